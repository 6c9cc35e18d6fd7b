import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Webhook as StandardWebhook } from "standardwebhooks";
import { Webhook as SvixWebhook } from "svix";
import { spawn } from "node:child_process";
import path from "node:path";
import { TestStack, expectApiError, freePort } from "@hyrelog/testing";
import { startReceiver, type Receiver } from "./receiver.ts";

let stack: TestStack;
const receivers: Receiver[] = [];
beforeAll(async () => {
  stack = await TestStack.start({ infra: inject("infra"), regions: ["us"], plan: "GROWTH", env: { RATE_LIMIT_KEY_MANAGEMENT_PER_MINUTE: "1000" } });
});
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await stack?.stop();
});

async function receiver(...args: Parameters<typeof startReceiver>): Promise<Receiver> {
  const r = await startReceiver(...args);
  receivers.push(r);
  return r;
}

async function growthCompany() {
  return stack.seedCompany("us", "GROWTH", "Webhook Co");
}

async function createWebhook(co: { companyKey: string; workspaceId: string }, body: Record<string, unknown>) {
  const res = await stack.api(co.companyKey, "POST", `/v1/workspaces/${co.workspaceId}/webhooks`, body);
  expect(res.status, res.text).toBe(201);
  return res.body as { webhook: { id: string; [k: string]: unknown }; secret: string };
}

async function ingest(key: string, event: Record<string, unknown>) {
  const res = await stack.api(key, "POST", "/v1/events", { actor: { id: "u_1", type: "user" }, ...event });
  expect(res.status, res.text).toBe(201);
  return res.body as { id: string; sequence: number; hash: string };
}

describe("webhook delivery", () => {
  it("delivers an ingested event, signed so that standardwebhooks and svix verify it", async () => {
    const co = await growthCompany();
    const rx = await receiver();
    const { webhook, secret } = await createWebhook(co, { url: rx.url, events: ["AUDIT_EVENT_CREATED"], description: "first" });
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(webhook).toMatchObject({ url: rx.url, events: ["AUDIT_EVENT_CREATED"], status: "active", workspaceId: co.workspaceId, projectId: null });
    expect(JSON.stringify(webhook)).not.toContain(secret);

    const stored = await ingest(co.workspaceKey, { category: "user", action: "user.created", projectId: co.projectId });
    // The endpoint's own creation is an audit event of the workspace too, so it is delivered first.
    const [first, req] = await rx.waitFor(2);
    expect(JSON.parse(first!.body).data.event).toMatchObject({ category: "webhook", action: "webhook.created", target: { id: webhook.id, type: "webhook" } });
    const headers = req!.headers;
    expect(headers["webhook-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(headers["x-hyrelog-signature"]).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(headers["x-hyrelog-timestamp"]).toBe(headers["webhook-timestamp"]);
    expect(headers["content-type"]).toBe("application/json");

    const verified = new StandardWebhook(secret).verify(req!.body, headers) as Record<string, any>;
    expect(() => new SvixWebhook(secret).verify(req!.body, headers)).not.toThrow();
    // A wrong secret or a changed body does not verify, with either library.
    const wrong = "whsec_" + Buffer.alloc(32, 7).toString("base64");
    expect(() => new StandardWebhook(wrong).verify(req!.body, headers)).toThrow();
    expect(() => new SvixWebhook(wrong).verify(req!.body, headers)).toThrow();
    expect(() => new StandardWebhook(secret).verify(req!.body.replace("user.created", "user.deleted"), headers)).toThrow();
    // The compatibility header: hex HMAC-SHA256 over "<timestamp>.<body>" keyed with the secret string.
    const compat = createHmac("sha256", secret).update(`${headers["x-hyrelog-timestamp"]}.${req!.body}`).digest("hex");
    expect(headers["x-hyrelog-signature"]).toBe(`v1=${compat}`);

    expect(Object.keys(verified)).toEqual(["id", "type", "createdAt", "data"]);
    expect(verified.id).toBe(headers["webhook-id"]);
    expect(verified.type).toBe("AUDIT_EVENT_CREATED");
    const api = await stack.api(co.companyKey, "GET", `/v1/events/${stored.id}`);
    expect(verified.data.event).toEqual(api.body);
    expect(verified.data.event).toMatchObject({ id: stored.id, sequence: stored.sequence, hash: stored.hash });

    const deliveries = await stack.api(co.companyKey, "GET", `/v1/webhooks/${webhook.id}/deliveries`);
    expect(deliveries.status, deliveries.text).toBe(200);
    await expect
      .poll(async () => (await stack.api(co.companyKey, "GET", `/v1/webhooks/${webhook.id}/deliveries`)).body.data.map((d: { status: string }) => d.status))
      .toEqual(["delivered", "delivered"]);
    const listed = (await stack.api(co.companyKey, "GET", `/v1/webhooks/${webhook.id}/deliveries`)).body;
    expect(listed.data).toHaveLength(2);
    expect(listed.data[0]).toMatchObject({ id: verified.id, eventType: "AUDIT_EVENT_CREATED", sourceId: stored.id, status: "delivered", round: 1, nextAttemptAt: null });
    expect(listed.data[0].attempts).toEqual([
      { number: 1, round: 1, startedAt: expect.any(String), statusCode: 200, latencyMs: expect.any(Number), error: null },
    ]);
    // The status filter takes only its three values (an inherited property name is not one).
    const delivered = await stack.api(co.companyKey, "GET", `/v1/webhooks/${webhook.id}/deliveries?status=delivered`);
    expect(delivered.body.data).toHaveLength(2);
    expect((await stack.api(co.companyKey, "GET", `/v1/webhooks/${webhook.id}/deliveries?status=failed`)).body.data).toEqual([]);
    for (const status of ["constructor", "toString", "DELIVERED"]) {
      expectApiError(await stack.api(co.companyKey, "GET", `/v1/webhooks/${webhook.id}/deliveries?status=${status}`), 400, "invalid_argument");
    }
  });

  it("tools/webhook-receiver.js verifies real deliveries and rejects forged or stale ones", async () => {
    const co = await growthCompany();
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    const created = await stack.api(co.companyKey, "POST", `/v1/workspaces/${co.workspaceId}/webhooks`, { url, events: ["AUDIT_EVENT_CREATED"], filters: { categories: ["user"] } });
    expect(created.status, created.text).toBe(201);
    const child = spawn(process.execPath, [path.resolve(import.meta.dirname, "../../tools/webhook-receiver.js")], {
      env: { PATH: process.env.PATH ?? "", WEBHOOK_SECRET: created.body.secret, PORT: String(port) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout!.on("data", (c) => (out += c));
    child.stderr!.on("data", (c) => (out += c));
    try {
      await expect.poll(() => out).toContain("HyreLog webhook receiver");
      const stored = await ingest(co.workspaceKey, { category: "user", action: "user.invited", target: { id: "u_9", type: "user" } });
      await expect.poll(() => out, { timeout: 10_000 }).toMatch(/verified [0-9a-f-]{36}\n {2}AUDIT_EVENT_CREATED user\.invited by u_1 on user\/u_9/);
      expect(out).toContain(`sequence ${stored.sequence}`);
      const forged = await fetch(url, {
        method: "POST",
        headers: { "webhook-id": "msg_1", "webhook-timestamp": String(Math.floor(Date.now() / 1000)), "webhook-signature": "v1,AAAA" },
        body: "{}",
      });
      expect(forged.status).toBe(400);
      const stale = await fetch(url, { method: "POST", headers: { "webhook-id": "msg_2", "webhook-timestamp": "1000", "webhook-signature": "v1,AAAA" }, body: "{}" });
      expect(stale.status).toBe(400);
      await expect.poll(() => out).toMatch(/REJECTED POST \/: no signature matches/);
      await expect.poll(() => out).toMatch(/REJECTED POST \/: timestamp is \d+ s away/);
    } finally {
      child.kill();
    }
  });
});
