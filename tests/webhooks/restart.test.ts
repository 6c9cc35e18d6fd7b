import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { TestStack, connectBus, eventSubject } from "@hyrelog/testing";
import { startReceiver, type Receiver } from "./receiver.ts";

let stack: TestStack;
const receivers: Receiver[] = [];
beforeAll(async () => {
  // A 3 s attempt deadline makes a crashed replica's lease (deadline + 5 s) run out within the test.
  stack = await TestStack.start({ infra: inject("infra"), regions: ["us"], plan: "GROWTH", env: { WEBHOOK_DELIVERY_TIMEOUT_MS: "3000", RATE_LIMIT_KEY_MANAGEMENT_PER_MINUTE: "1000" } });
});
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await stack?.stop();
});

const sql = <T = Record<string, unknown>>(query: string, params: unknown[] = []) => stack.regions.us!.orm.em.fork().execute<T[]>(query, params);

async function setup(respond: Parameters<typeof startReceiver>[0]) {
  const rx = await startReceiver(respond);
  receivers.push(rx);
  const co = await stack.seedCompany("us", "GROWTH", "Restart Co");
  const res = await stack.api(co.companyKey, "POST", `/v1/workspaces/${co.workspaceId}/webhooks`, { url: rx.url, events: ["AUDIT_EVENT_CREATED"], filters: { categories: ["user"] } });
  expect(res.status, res.text).toBe(201);
  return { rx, co, webhookId: res.body.webhook.id as string };
}

async function ingest(key: string, n: number) {
  const res = await stack.api(key, "POST", "/v1/events", { events: Array.from({ length: n }, (_, i) => ({ category: "user", action: "user.updated", actor: { id: `u${i}` } })) });
  expect(res.status, res.text).toBe(201);
  return (res.body.results as Array<{ id: string }>).map((r) => r.id);
}

const statuses = (webhookId: string) => sql<{ status: string; n: number }>("select status, count(*)::int as n from webhook_deliveries where endpoint_id = ? group by status", [webhookId]);

describe("restarts and crashes", () => {
  it("a restart in the middle of a delivery loses none and doubles none: the cut-off one is sent again with the same webhook-id", async () => {
    // The first request hangs (the service is stopped while waiting for it); everything else answers at once.
    const { rx, co, webhookId } = await setup((_, i) => (i === 0 ? { delayMs: 30_000 } : {}));
    const eventIds = await ingest(co.workspaceKey, 10);
    const [hung] = await rx.waitFor(1);
    await stack.restartRegion("us");
    await expect.poll(() => statuses(webhookId), { timeout: 15_000 }).toEqual([{ status: "DELIVERED", n: 10 }]);
    const ids = rx.requests.map((r) => r.headers["webhook-id"]);
    // Every event once, plus the cut-off attempt repeated with its original webhook-id.
    expect(new Set(ids).size).toBe(10);
    expect(ids.filter((id) => id === hung!.headers["webhook-id"]).length).toBeGreaterThanOrEqual(2);
    const delivered = new Set(rx.requests.map((r) => JSON.parse(r.body).data.event.id));
    expect([...delivered].sort()).toEqual([...eventIds].sort());
  });

  it("a replica that died holding a delivery: its lease runs out and another attempt follows with the same webhook-id", async () => {
    const { rx, co, webhookId } = await setup(() => ({}));
    // The row a replica leaves behind when it dies after claiming a delivery: leased for 2 more seconds.
    const [d] = await sql<{ id: string }>(
      `insert into webhook_deliveries (id, endpoint_id, company_id, event_type, source_id, payload, next_attempt_at, lease_until)
       values (gen_random_uuid(), ?, ?, 'AUDIT_EVENT_CREATED', 'crash-test', '{"crash":true}', now(), now() + interval '2 seconds') returning id`,
      [webhookId, co.companyId],
    );
    const leasedAt = Date.now();
    const [req] = await rx.waitFor(1, 10_000);
    expect(req!.at - leasedAt).toBeGreaterThanOrEqual(1500);
    expect(req!.headers["webhook-id"]).toBe(d!.id);
    expect(req!.body).toBe('{"crash":true}');
    await expect.poll(() => statuses(webhookId)).toEqual([{ status: "DELIVERED", n: 1 }]);
  });

  it("a JetStream message delivered twice yields one delivery", async () => {
    const { rx, co, webhookId } = await setup(() => ({}));
    const [eventId] = await ingest(co.workspaceKey, 1);
    await rx.waitFor(1);
    // Publish the same events again under another message id (past JetStream's de-duplication).
    const [row] = await sql<{ id: string }>("select id from audit_events where id = ?", [eventId]);
    expect(row).toBeDefined();
    const event = (await stack.api(co.companyKey, "GET", `/v1/events/${eventId}`)).body;
    const bus = await connectBus({ url: inject("infra").natsUrl, prefix: stack.natsPrefix, region: "us", name: "test" });
    try {
      await bus.publish(eventSubject(stack.natsPrefix, "us", co.companyId, co.workspaceId), Buffer.from(JSON.stringify({ events: [event] })), { msgId: `again-${eventId}` });
    } finally {
      await bus.close();
    }
    await new Promise((r) => setTimeout(r, 1000));
    expect(await statuses(webhookId)).toEqual([{ status: "DELIVERED", n: 1 }]);
    expect(rx.requests).toHaveLength(1);
  });
});

describe("deleting an endpoint during an attempt", () => {
  it("records the other endpoints' attempts all the same", async () => {
    const slow = await setup(() => ({ delayMs: 1500 }));
    const fast = await setup(() => ({}));
    await ingest(slow.co.workspaceKey, 1);
    await slow.rx.waitFor(1);
    // Deleted while its attempt is in flight; a fast endpoint's attempt lands in the same moments.
    expect((await stack.api(slow.co.companyKey, "DELETE", `/v1/webhooks/${slow.webhookId}`)).status).toBe(200);
    await ingest(fast.co.workspaceKey, 3);
    await new Promise((r) => setTimeout(r, 2000));
    await expect.poll(() => statuses(fast.webhookId)).toEqual([{ status: "DELIVERED", n: 3 }]);
    expect(fast.rx.requests).toHaveLength(3);
    expect(await sql("select 1 from webhook_deliveries where endpoint_id = ?", [slow.webhookId])).toHaveLength(0);
  });
});
