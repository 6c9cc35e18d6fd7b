/**
 * Issue 4 × issue 5: a finished export reaches the requester's webhook endpoint as one signed
 * EXPORT_COMPLETED delivery, end to end through the export worker, the notifications stream and
 * the webhook service; endpoints that did not subscribe, or belong to another company, get nothing.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Webhook as StandardWebhook } from "standardwebhooks";
import { TestStack } from "@hyrelog/testing";
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

async function receiver(): Promise<Receiver> {
  const r = await startReceiver();
  receivers.push(r);
  return r;
}

async function waitForExport(key: string, jobId: string): Promise<Record<string, any>> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await stack.api(key, "GET", `/v1/exports/${jobId}`);
    expect(res.status, res.text).toBe(200);
    if (["COMPLETED", "FAILED", "CANCELLED"].includes(res.body.status)) return res.body;
    if (Date.now() > deadline) throw new Error(`export ${jobId} still ${res.body.status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("EXPORT_COMPLETED webhooks", () => {
  it("delivers one signed EXPORT_COMPLETED to the subscribed endpoint of the export's workspace, matching the export", async () => {
    const co = await stack.seedCompany("us", "GROWTH", "Export Hook Co");
    const otherCompany = await stack.seedCompany("us", "GROWTH", "Other Hook Co");
    const subscribed = await receiver();
    const auditOnly = await receiver();
    const create = async (owner: { companyKey: string; workspaceId: string }, url: string, events: string[]) => {
      const res = await stack.api(owner.companyKey, "POST", `/v1/workspaces/${owner.workspaceId}/webhooks`, { url, events });
      expect(res.status, res.text).toBe(201);
      return res.body as { webhook: { id: string }; secret: string };
    };
    const otherTenant = await receiver();
    const { secret } = await create(co, subscribed.url, ["EXPORT_COMPLETED"]);
    await create(co, auditOnly.url, ["CHECKPOINT_PUBLISHED"]);
    await create(otherCompany, otherTenant.url, ["EXPORT_COMPLETED"]);

    const events = Array.from({ length: 25 }, (_, i) => ({ category: "doc", action: "doc.viewed", actor: { id: `u_${i}`, type: "user" } }));
    expect((await stack.api(co.workspaceKey, "POST", "/v1/events", { events })).status).toBe(201);
    // A workspace key exports its own workspace.
    const started = await stack.api(co.workspaceKey, "POST", "/v1/exports", { source: "HOT", format: "JSONL", filters: { category: "doc" } });
    expect(started.status, started.text).toBe(202);
    const done = await waitForExport(co.workspaceKey, started.body.jobId);
    expect(done.status).toBe("COMPLETED");

    const [req] = await subscribed.waitFor(1, 20_000);
    const verified = new StandardWebhook(secret).verify(req!.body, req!.headers) as Record<string, any>;
    expect(verified.type).toBe("EXPORT_COMPLETED");
    expect(verified.data).toMatchObject({
      jobId: started.body.jobId,
      workspaceId: co.workspaceId,
      format: "JSONL",
      source: "HOT",
      status: "COMPLETED",
      rowCount: 25,
      bytes: done.bytes,
      sha256: done.sha256,
    });

    // Nothing else arrives: one delivery per export, none to endpoints that did not ask for it.
    await new Promise((r) => setTimeout(r, 1500));
    expect(subscribed.requests).toHaveLength(1);
    expect(auditOnly.requests.filter((r) => JSON.parse(r.body).type === "EXPORT_COMPLETED")).toEqual([]);
    expect(otherTenant.requests).toEqual([]);
  });
});
