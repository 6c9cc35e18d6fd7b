/**
 * The webhook service SIGKILLed in the middle of a delivery (what an OOM kill or a node failure
 * does: no hand-back, no clean-up): after a new process starts, every event is delivered, the one
 * cut off is sent again with the same webhook-id, and nothing is delivered twice otherwise.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { TestStack } from "@hyrelog/testing";
import { killAllServe, startServe } from "../ingest/serve-process.ts";
import { startReceiver, type Receiver } from "./receiver.ts";

let stack: TestStack;
let rx: Receiver;
/** While true the receiver holds every request open without answering (a hung endpoint). */
let hang = true;
beforeAll(async () => {
  stack = await TestStack.start({ infra: inject("infra"), regions: ["us"], plan: "GROWTH" });
  // The region's services run in child processes below, on the same database; stop the in-process ones.
  await stack.regions.us!.process.stop();
  rx = await startReceiver(() => (hang ? { delayMs: 600_000 } : {}));
}, 120_000);
afterAll(async () => {
  await killAllServe();
  await rx?.close();
  await stack?.stop();
});

async function api(base: string, key: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: await res.json() };
}

it("a delivery cut off by SIGKILL is sent again, with the same webhook-id, by the next process; none lost", async () => {
  const co = stack.companies.us!;
  const opts = {
    databaseUrl: stack.regions.us!.databaseUrl,
    natsUrl: inject("infra").natsUrl,
    natsPrefix: `t${randomBytes(4).toString("hex")}`,
    apiKeySecret: stack.apiKeySecret,
    env: {
      // Both processes must open the secrets the first one sealed.
      WEBHOOK_SECRET_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      WEBHOOK_ALLOW_LOOPBACK: "true",
      // A short attempt timeout makes the dead process's lease (2 × timeout + 5 s) run out sooner.
      WEBHOOK_DELIVERY_TIMEOUT_MS: "2000",
      WEBHOOK_RETRY_TIME_SCALE: "0.001",
    },
  };
  const first = await startServe(opts);
  const created = await api(first.gatewayUrl, co.companyKey, "POST", `/v1/workspaces/${co.workspaceId}/webhooks`, {
    url: rx.url,
    events: ["AUDIT_EVENT_CREATED"],
    filters: { categories: ["doc"] },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const secret: string = created.body.secret;
  const events = Array.from({ length: 10 }, (_, i) => ({ category: "doc", action: "doc.edited", actor: { id: `u_${i}`, type: "user" } }));
  const ingested = await api(first.gatewayUrl, co.workspaceKey, "POST", "/v1/events", { events });
  expect(ingested.status, JSON.stringify(ingested.body)).toBe(201);
  const eventIds: string[] = ingested.body.results.map((r: { id: string }) => r.id);

  // At least one attempt is in flight, held open by the receiver, when the process dies.
  const [cutOff] = await rx.waitFor(1, 20_000);
  first.child.kill("SIGKILL");
  expect((await first.exited).signal).toBe("SIGKILL");
  hang = false;

  await startServe(opts);
  const deliveredCount = async () => {
    const [row] = await stack.regions.us!.orm.em
      .fork()
      .execute<Array<{ total: string; delivered: string }>>(
        `select count(*) as total, count(*) filter (where status = 'DELIVERED') as delivered from webhook_deliveries where endpoint_id = ?`,
        [created.body.webhook.id],
      );
    return { total: Number(row!.total), delivered: Number(row!.delivered) };
  };
  // One delivery row per event, all ending delivered.
  await expect.poll(deliveredCount, { timeout: 40_000, interval: 200 }).toEqual({ total: 10, delivered: 10 });

  const bodies = rx.requests.map((r) => ({ id: r.headers["webhook-id"]!, event: JSON.parse(r.body).data.event.id as string, r }));
  // Every event arrived, each verifiable.
  expect(new Set(bodies.map((b) => b.event))).toEqual(new Set(eventIds));
  for (const b of bodies) expect(() => new Webhook(secret).verify(b.r.body, b.r.headers)).not.toThrow();
  // One webhook-id per event; the cut-off delivery came again under its own id.
  const idsPerEvent = new Map<string, Set<string>>();
  for (const b of bodies) idsPerEvent.set(b.event, (idsPerEvent.get(b.event) ?? new Set()).add(b.id));
  for (const ids of idsPerEvent.values()) expect(ids.size).toBe(1);
  expect(bodies.filter((b) => b.id === cutOff!.headers["webhook-id"]).length).toBeGreaterThanOrEqual(2);
}, 90_000);
