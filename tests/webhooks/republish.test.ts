/**
 * An event that reaches the events stream twice (republished after JetStream's de-duplication
 * window, e.g. by the outbox sweeper after a crash or a long NATS outage) gives one webhook
 * delivery: the intake de-duplicates by (endpoint, event id), not by message id.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { connectBus, eventsStreamName, eventSubject, TestStack, type Bus, type EventJson } from "@hyrelog/testing";
import { startReceiver, type Receiver } from "./receiver.ts";

let stack: TestStack;
let bus: Bus;
const receivers: Receiver[] = [];
beforeAll(async () => {
  stack = await TestStack.start({ infra: inject("infra"), regions: ["us"], plan: "GROWTH", env: { RATE_LIMIT_KEY_MANAGEMENT_PER_MINUTE: "1000" } });
  bus = await connectBus({ url: inject("infra").natsUrl, prefix: stack.natsPrefix, region: "us", name: "republish-test" });
});
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await bus?.close();
  await stack?.stop();
});

const sql = <T = Record<string, unknown>>(query: string, params: unknown[] = []) => stack.regions.us!.orm.em.fork().execute<T[]>(query, params);
const stream = () => eventsStreamName(stack.natsPrefix, "us");

async function setup(categories: string[]) {
  const rx = await startReceiver();
  receivers.push(rx);
  const co = await stack.seedCompany("us", "GROWTH", "Republish Co");
  const res = await stack.api(co.companyKey, "POST", `/v1/workspaces/${co.workspaceId}/webhooks`, { url: rx.url, events: ["AUDIT_EVENT_CREATED"], filters: { categories } });
  expect(res.status, res.text).toBe(201);
  return { rx, co, webhookId: res.body.webhook.id as string };
}

async function ingest(key: string, n: number, category: string): Promise<string[]> {
  const res = await stack.api(key, "POST", "/v1/events", { events: Array.from({ length: n }, (_, i) => ({ category, action: `${category}.updated`, actor: { id: `u${i}` } })) });
  expect(res.status, res.text).toBe(201);
  return (res.body.results as Array<{ id: string }>).map((r) => r.id);
}

/** Resolves once the webhook intake has taken and acknowledged everything in the events stream. */
async function intakeCaughtUp(): Promise<void> {
  const jsm = await bus.js.jetstreamManager();
  await expect
    .poll(
      async () => {
        const [s, c] = await Promise.all([jsm.streams.info(stream()), jsm.consumers.info(stream(), "hyrelog-webhook-events")]);
        return c.delivered.stream_seq === s.state.last_seq && c.num_ack_pending === 0 && c.num_pending === 0;
      },
      { timeout: 15_000 },
    )
    .toBe(true);
}

const deliveries = (webhookId: string) =>
  sql<{ source_id: string; status: string }>("select source_id, status from webhook_deliveries where endpoint_id = ? order by source_id", [webhookId]);

/** Message ids of the stream's messages on a subject, in order. */
async function msgIds(subject: string): Promise<string[]> {
  const consumer = await bus.js.consumers.get(stream(), { filter_subjects: subject });
  const ids: string[] = [];
  for (;;) {
    const batch = await consumer.fetch({ max_messages: 100, expires: 1000 });
    let n = 0;
    let pending = -1;
    for await (const m of batch) {
      n++;
      pending = m.info.pending;
      ids.push(m.headers?.get("Nats-Msg-Id") ?? "");
    }
    if (n === 0 || pending === 0) return ids;
  }
}

describe("events republished past the de-duplication window", () => {
  it("the outbox sweeper republishing a run after the window (same message id, stored again) adds no delivery", async () => {
    const { rx, co, webhookId } = await setup(["user"]);
    const ids = await ingest(co.workspaceKey, 3, "user");
    await rx.waitFor(3);
    await expect.poll(() => deliveries(webhookId), { timeout: 15_000 }).toHaveLength(3);
    await intakeCaughtUp();

    // A 1 s window instead of 2 minutes, then a leftover outbox row for the published run: what an
    // ingest process leaves when it dies between publishing and deleting the row.
    const jsm = await bus.js.jetstreamManager();
    const { config } = await jsm.streams.info(stream());
    const [run] = await sql<{ from: string; to: string }>(`select min(sequence) as from, max(sequence) as to from audit_events where id in (?)`, [ids]);
    const msgId = `${co.workspaceId}:${run!.from}-${run!.to}`;
    await jsm.streams.update(stream(), { duplicate_window: 1e9 });
    try {
      await new Promise((r) => setTimeout(r, 1500));
      await sql(`insert into event_outbox (log_id, from_sequence, to_sequence, created_at) values (?, ?, ?, now() - interval '1 minute')`, [co.workspaceId, run!.from, run!.to]);
      await expect.poll(() => sql("select 1 from event_outbox where log_id = ?", [co.workspaceId]), { timeout: 15_000 }).toHaveLength(0);
    } finally {
      await jsm.streams.update(stream(), { duplicate_window: config.duplicate_window });
    }
    // JetStream stored the run a second time under the same message id...
    const subject = eventSubject(stack.natsPrefix, "us", co.companyId, co.workspaceId);
    expect((await msgIds(subject)).filter((id) => id === msgId)).toHaveLength(2);
    // ...and the webhook intake took it without a second delivery.
    await intakeCaughtUp();
    await new Promise((r) => setTimeout(r, 500));
    expect(await deliveries(webhookId)).toEqual([...ids].sort().map((id) => ({ source_id: id, status: "DELIVERED" })));
    expect(rx.requests).toHaveLength(3);
  });

  it("two copies of the same events arriving together (different message ids) give one delivery each", async () => {
    // Stored while the endpoint did not want them, so neither copy below finds a delivery row.
    const { rx, co, webhookId } = await setup(["user"]);
    const ids = await ingest(co.workspaceKey, 4, "billing");
    await intakeCaughtUp();
    expect(await deliveries(webhookId)).toEqual([]);
    await sql("update webhook_endpoints set categories = '{}' where id = ?", [webhookId]);

    const events: EventJson[] = [];
    for (const id of ids) events.push((await stack.api(co.companyKey, "GET", `/v1/events/${id}`)).body);
    const subject = eventSubject(stack.natsPrefix, "us", co.companyId, co.workspaceId);
    const body = Buffer.from(JSON.stringify({ events }));
    // Back to back, so the intake most likely writes both in one statement.
    await Promise.all([bus.publish(subject, body, { msgId: `again-1:${ids[0]}` }), bus.publish(subject, body, { msgId: `again-2:${ids[0]}` })]);
    await intakeCaughtUp();
    await rx.waitFor(4);
    await expect.poll(() => deliveries(webhookId)).toEqual([...ids].sort().map((id) => ({ source_id: id, status: "DELIVERED" })));
    await new Promise((r) => setTimeout(r, 500));
    expect(rx.requests).toHaveLength(4);
    expect(new Set(rx.requests.map((r) => JSON.parse(r.body).data.event.id))).toEqual(new Set(ids));
  });
});
