import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Webhook as StandardWebhook } from "standardwebhooks";
import { TestStack } from "@hyrelog/testing";
import { startReceiver, type Receiver, type Reply } from "./receiver.ts";

/**
 * The retry schedule runs 10,000x faster here (WEBHOOK_RETRY_TIME_SCALE=0.0001): +1 min → 6 ms,
 * +5 min → 30 ms, +30 min → 180 ms, +6 h → 2.16 s; one day of continuous failure → 8.64 s.
 */
const SCALE = 0.0001;
const MINUTE = 60_000 * SCALE;

let stack: TestStack;
const receivers: Receiver[] = [];
beforeAll(async () => {
  stack = await TestStack.start({
    infra: inject("infra"),
    regions: ["us"],
    plan: "GROWTH",
    env: { WEBHOOK_RETRY_TIME_SCALE: String(SCALE), WEBHOOK_DISABLE_AFTER_DAYS: "1", RATE_LIMIT_KEY_MANAGEMENT_PER_MINUTE: "1000" },
  });
});
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await stack?.stop();
});

async function receiver(respond?: (req: { body: string }, index: number) => Reply): Promise<Receiver> {
  const r = await startReceiver(respond);
  receivers.push(r);
  return r;
}

async function endpoint(url: string) {
  const co = await stack.seedCompany("us", "GROWTH", "Retry Co");
  // Only "user" events: the endpoint's own management records are not part of these tests.
  const res = await stack.api(co.companyKey, "POST", `/v1/workspaces/${co.workspaceId}/webhooks`, { url, events: ["AUDIT_EVENT_CREATED"], filters: { categories: ["user"] } });
  expect(res.status, res.text).toBe(201);
  return { co, webhookId: res.body.webhook.id as string, secret: res.body.secret as string };
}

async function ingest(key: string, n = 1) {
  const res = await stack.api(key, "POST", "/v1/events", { events: Array.from({ length: n }, (_, i) => ({ category: "user", action: "user.updated", actor: { id: `u${i}` } })) });
  expect(res.status, res.text).toBe(201);
  return res.body.results as Array<{ id: string }>;
}

async function deliveries(co: { companyKey: string }, webhookId: string) {
  const res = await stack.api(co.companyKey, "GET", `/v1/webhooks/${webhookId}/deliveries`);
  expect(res.status, res.text).toBe(200);
  return res.body.data as Array<{ id: string; status: string; attempts: Array<{ number: number; statusCode: number | null; error: string | null; round: number }>; nextAttemptAt: string | null }>;
}

async function webhookOf(co: { companyKey: string; workspaceId: string }, id: string) {
  const res = await stack.api(co.companyKey, "GET", `/v1/workspaces/${co.workspaceId}/webhooks`);
  return (res.body.data as Array<{ id: string; status: string; disabledReason: string | null }>).find((w) => w.id === id)!;
}

describe("retries", () => {
  it("retries on the schedule until the receiver succeeds, with the same webhook-id, re-signed each time", async () => {
    const rx = await receiver((_, i) => ({ status: i < 3 ? 500 : 200 }));
    const { co, webhookId, secret } = await endpoint(rx.url);
    await ingest(co.workspaceKey);
    const reqs = await rx.waitFor(4);
    const ids = new Set(reqs.map((r) => r.headers["webhook-id"]));
    expect(ids.size).toBe(1);
    for (const r of reqs) expect(() => new StandardWebhook(secret).verify(r.body, r.headers)).not.toThrow();
    // Gaps follow +1 min, +5 min, +30 min (scaled), never earlier.
    const gaps = reqs.slice(1).map((r, i) => r.at - reqs[i]!.at);
    expect(gaps[0]).toBeGreaterThanOrEqual(1 * MINUTE - 2);
    expect(gaps[1]).toBeGreaterThanOrEqual(5 * MINUTE - 2);
    expect(gaps[2]).toBeGreaterThanOrEqual(30 * MINUTE - 2);
    await expect.poll(async () => (await deliveries(co, webhookId))[0]?.status).toBe("delivered");
    const [d] = await deliveries(co, webhookId);
    expect(d!.attempts.map((a) => a.statusCode)).toEqual([500, 500, 500, 200]);
    expect(d!.attempts.map((a) => a.number)).toEqual([1, 2, 3, 4]);
    expect(d!.nextAttemptAt).toBeNull();
  });

  it("fails a delivery for good after 5 attempts, and a replay starts a new sequence with the same webhook-id", async () => {
    let failing = true;
    const rx = await receiver(() => ({ status: failing ? 503 : 200 }));
    const { co, webhookId } = await endpoint(rx.url);
    await ingest(co.workspaceKey);
    await rx.waitFor(5, 20_000);
    await expect.poll(async () => (await deliveries(co, webhookId))[0]?.status, { timeout: 10_000 }).toBe("failed");
    const [d] = await deliveries(co, webhookId);
    expect(d!.attempts).toHaveLength(5);
    expect(d!.nextAttemptAt).toBeNull();
    await new Promise((r) => setTimeout(r, 300));
    expect(rx.requests).toHaveLength(5);

    failing = false;
    const replay = await stack.api(co.companyKey, "POST", `/v1/webhooks/${webhookId}/deliveries/${d!.id}/replay`);
    expect(replay.status, replay.text).toBe(202);
    expect(replay.body.delivery).toMatchObject({ id: d!.id, status: "pending", round: 2 });
    const [, , , , , sixth] = await rx.waitFor(6);
    expect(sixth!.headers["webhook-id"]).toBe(d!.id);
    await expect.poll(async () => (await deliveries(co, webhookId))[0]?.status).toBe("delivered");
    const [after] = await deliveries(co, webhookId);
    expect(after!.attempts.map((a) => [a.number, a.round, a.statusCode])).toEqual([
      [1, 1, 503],
      [2, 1, 503],
      [3, 1, 503],
      [4, 1, 503],
      [5, 1, 503],
      [6, 2, 200],
    ]);
    // A pending or delivered delivery: replaying a delivered one is allowed, a pending one is not.
    const again = await stack.api(co.companyKey, "POST", `/v1/webhooks/${webhookId}/deliveries/${d!.id}/replay`);
    expect(again.status).toBe(202);
    const twice = await stack.api(co.companyKey, "POST", `/v1/webhooks/${webhookId}/deliveries/${d!.id}/replay`);
    expect([202, 409]).toContain(twice.status);
  });

  it("honours Retry-After on 429", async () => {
    // Retry-After: 1 hour (scaled: 360 ms) is later than the schedule's +1 min (6 ms).
    const rx = await receiver((_, i) => (i === 0 ? { status: 429, headers: { "retry-after": "3600" } } : { status: 200 }));
    const { co } = await endpoint(rx.url);
    await ingest(co.workspaceKey);
    const [first, second] = await rx.waitFor(2);
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(3600_000 * SCALE - 2);
    expect(second!.headers["webhook-id"]).toBe(first!.headers["webhook-id"]);
  });

  it("honours Retry-After on 503 given as an HTTP date", async () => {
    const rx = await receiver((_, i) => (i === 0 ? { status: 503, headers: { "retry-after": new Date(Date.now() + 2 * 3600_000).toUTCString() } } : { status: 200 }));
    const { co } = await endpoint(rx.url);
    await ingest(co.workspaceKey);
    const [first, second] = await rx.waitFor(2);
    // About 2 h (scaled: 720 ms); at least 1 h after the date is parsed with second precision.
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(3600_000 * SCALE);
  });

  it("disables the endpoint on 410 Gone and records why", async () => {
    const rx = await receiver(() => ({ status: 410 }));
    const { co, webhookId } = await endpoint(rx.url);
    await ingest(co.workspaceKey, 3);
    await rx.waitFor(1);
    await expect.poll(async () => (await webhookOf(co, webhookId)).status).toBe("disabled");
    const w = await webhookOf(co, webhookId);
    expect(w.disabledReason).toMatch(/410 Gone/);
    // Nothing more is sent while it is disabled; the system's decision is in the audit log.
    await new Promise((r) => setTimeout(r, 500));
    const sent = rx.requests.length;
    expect(sent).toBeLessThanOrEqual(3);
    await ingest(co.workspaceKey);
    await new Promise((r) => setTimeout(r, 500));
    expect(rx.requests.length).toBe(sent);
    const audit = await stack.api(co.companyKey, "GET", `/v1/events?action=webhook.disabled&workspaceId=${co.workspaceId}`);
    expect(audit.body.data[0]).toMatchObject({ actor: { id: "hyrelog-webhooks", type: "system" }, target: { id: webhookId, type: "webhook" } });
  });

  it("a slow endpoint does not delay a fast one", async () => {
    const slow = await receiver(() => ({ delayMs: 3000 }));
    const fast = await receiver();
    const a = await endpoint(slow.url);
    const b = await endpoint(fast.url);
    // 60 deliveries queue up for the slow endpoint (more than its concurrency) first.
    await ingest(a.co.workspaceKey, 60);
    await slow.waitFor(1);
    const started = Date.now();
    await ingest(b.co.workspaceKey, 20);
    await fast.waitFor(20, 5000);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(slow.requests.length).toBeLessThan(60);
  });

  it("disables an endpoint after N days of continuous failure", async () => {
    const rx = await receiver(() => ({ status: 500 }));
    const { co, webhookId } = await endpoint(rx.url);
    // One day at this scale is 8.64 s; keep failing deliveries coming for longer than that.
    const deadline = Date.now() + 25_000;
    let w = await webhookOf(co, webhookId);
    while (w.status === "active" && Date.now() < deadline) {
      await ingest(co.workspaceKey);
      await new Promise((r) => setTimeout(r, 500));
      w = await webhookOf(co, webhookId);
    }
    expect(w.status).toBe("disabled");
    expect(w.disabledReason).toMatch(/every attempt has failed since .* \(1 days of continuous failure\)/);
  }, 40_000);
});
