/**
 * GDPR erasure end to end (issue 11): a subject who is actor in one workspace and target in
 * another, whose events were exported and delivered by webhook before the erasure. After an
 * approved erasure their email, name and IP are nowhere in the region's database, in files written
 * afterwards or in API answers; everyone else's data is intact; every proof still verifies.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { chainFieldsOf, ERASED, eventHash, TestStack, WITHHELD, type EventJson } from "@hyrelog/testing";
import { dash, until } from "../dashboard/helpers.ts";
import { fetchText, startExport, waitForExport } from "../exports/helpers.ts";
import { startReceiver, type Receiver } from "../webhooks/receiver.ts";

let stack: TestStack;
let rx: Receiver;
const ROOT = path.resolve(import.meta.dirname, "../..");
const ALICE = { id: "user_alice", email: "alice.liddell@example.com", name: "Alice Liddell", ip: "198.51.100.77" };
const BOB = { id: "user_bob", email: "bob.builder@example.com", name: "Bob Builder" };

beforeAll(async () => {
  // TRUST_PROXY: the subject's address arrives in X-Forwarded-For, as behind a load balancer.
  stack = await TestStack.start({ infra: inject("infra"), regions: ["us"], plan: "GROWTH", env: { TRUST_PROXY: "true" } });
  rx = await startReceiver();
});
afterAll(async () => {
  await rx?.close();
  await stack?.stop();
});

const co = () => stack.companies.us!;
const admin = () => ({ role: "ADMIN" as const, companyId: co().companyId, userId: "dpo-1" });

async function ok(res: Promise<{ status: number; text: string; body: any }>, status = 200) {
  const r = await res;
  expect(r.status, r.text).toBe(status);
  return r.body;
}

async function allEvents(key: string, query = ""): Promise<EventJson[]> {
  const out: EventJson[] = [];
  let cursor: string | null = null;
  do {
    const page: any = await ok(stack.api(key, "GET", `/v1/events?limit=1000${query}${cursor ? `&cursor=${cursor}` : ""}`));
    out.push(...page.data);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

async function waitForRequest(key: string, id: string, status: string) {
  return until(`request ${id} ${status}`, async () => {
    const r: any = await ok(stack.api(key, "GET", `/v1/gdpr/requests/${id}`));
    return r.status === status ? r : r.status === "FAILED" ? Promise.reject(new Error(r.error)) : null;
  }, 30_000);
}

/** Every row of every table of the region database, as text. */
async function databaseDump(): Promise<string> {
  const em = stack.regions.us!.orm.em.fork();
  const tables = await em.execute<Array<{ table_name: string }>>(`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`);
  let dump = "";
  for (const { table_name } of tables) {
    for (const row of await em.execute<Array<{ t: string }>>(`select t::text as t from "${table_name}" t`)) dump += row.t + "\n";
  }
  return dump;
}

function hyrelogVerify(lines: string): { status: number | null; out: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "gdpr-verify-"));
  const file = path.join(dir, "events.jsonl");
  writeFileSync(file, lines);
  const r = spawnSync(process.execPath, [path.join(ROOT, "apps/cli/src/main.ts"), "verify", "--events", file], { encoding: "utf8" });
  return { status: r.status, out: r.stdout + r.stderr };
}

describe("GDPR erasure", () => {
  let workspaceB: { id: string; key: string };
  let exportBefore: string;
  let requestId: string;
  let secondKey: string;

  it("prepares a subject in two workspaces, exported and delivered by webhook", async () => {
    const ws: any = await ok(dash(stack, admin(), "POST", "/dashboard/workspaces", { name: "Second workspace" }), 201);
    const key: any = await ok(dash(stack, admin(), "POST", "/dashboard/keys", { scope: "workspace", workspaceId: ws.workspace.id, name: "ingest B" }), 201);
    workspaceB = { id: ws.workspace.id, key: key.secret };
    const second: any = await ok(dash(stack, admin(), "POST", "/dashboard/keys", { scope: "company", name: "DPO key", ipAllowlist: ["127.0.0.1", "::1"] }), 201);
    secondKey = second.secret;
    expect(workspaceB.key).toMatch(/^hlk_ws_/);
    expect(secondKey).toMatch(/^hlk_co_/);

    await ok(stack.api(co().companyKey, "POST", `/v1/workspaces/${co().workspaceId}/webhooks`, { url: rx.url, events: ["AUDIT_EVENT_CREATED"], filters: { categories: ["auth"] } }), 201);
    // Alice as actor in workspace A, from her address; Bob beside her, from his.
    for (const [person, ip, metadata] of [[ALICE, ALICE.ip, { plan: "pro" }], [BOB, "203.0.113.5", {}]] as const) {
      await ok(
        stack.api(
          co().workspaceKey,
          "POST",
          "/v1/events",
          { events: [{ category: "auth", action: "user.login", actor: { id: person.id, type: "user", email: person.email, name: person.name }, metadata }] },
          { "x-forwarded-for": ip },
        ),
        201,
      );
    }
    // Alice as the target of Bob's change in workspace B, her phone marked personal.
    await ok(
      stack.api(workspaceB.key, "POST", "/v1/events", {
        category: "admin",
        action: "user.updated",
        actor: { id: BOB.id, type: "user", email: BOB.email, name: BOB.name },
        target: { id: ALICE.id, type: "user", name: ALICE.name },
        changes: [{ field: "email", old: "alice@old.example", new: ALICE.email }],
        metadata: { phone: "+44 20 7946 0991", ticket: "T-1" },
        personalFields: ["/changes/0/old", "/changes/0/new", "/metadata/phone"],
      }),
      201,
    );
    const before = await allEvents(co().companyKey);
    const aliceLogin = before.find((e) => e.actor.id === ALICE.id)!;
    expect(aliceLogin).toMatchObject({ v: 2, actor: { email: ALICE.email, name: ALICE.name } });
    expect(eventHash(chainFieldsOf(aliceLogin))).toBe(aliceLogin.hash);
    expect((await allEvents(co().companyKey, `&actorEmail=${encodeURIComponent(ALICE.email.toUpperCase())}`)).map((e) => e.id)).toEqual([aliceLogin.id]);

    const delivered = await rx.waitFor(2);
    expect(delivered.map((d) => JSON.parse(d.body).data.event.actor.email)).toContain(ALICE.email);
    const job = await startExport(stack, co().companyKey, { source: "HOT", format: "JSONL", filters: { workspaceId: co().workspaceId } });
    exportBefore = (await fetchText((await waitForExport(stack, co().companyKey, job)).downloadUrl)).text;
    expect(exportBefore).toContain(ALICE.email);
  }, 60_000);

  it("needs another person's approval: pending and unapproved requests change nothing", async () => {
    const created: any = await ok(stack.api(co().companyKey, "POST", "/v1/gdpr/requests", { kind: "ERASURE", subject: { id: ALICE.id }, reason: "Art. 17 request of 2026-12-01" }), 201);
    requestId = created.id;
    expect(created).toMatchObject({ status: "PENDING_APPROVAL", kind: "ERASURE", approvalsNeeded: { customer: true, hyrelogAdmin: false } });
    const self = await stack.api(co().companyKey, "POST", `/v1/gdpr/requests/${requestId}/approve`, {});
    expect(self.status, self.text).toBe(403);
    await new Promise((r) => setTimeout(r, 500));
    const still = await allEvents(co().companyKey);
    expect(still.find((e) => e.actor.id === ALICE.id)!.actor.email).toBe(ALICE.email);
    // A request that is cancelled never runs either.
    const other: any = await ok(stack.api(co().companyKey, "POST", "/v1/gdpr/requests", { kind: "ERASURE", subject: { id: BOB.id }, reason: "mistake" }), 201);
    expect((await ok(stack.api(co().companyKey, "POST", `/v1/gdpr/requests/${other.id}/cancel`))).status).toBe("CANCELLED");
    expect((await stack.api(secondKey, "POST", `/v1/gdpr/requests/${other.id}/approve`, {})).status).toBe(409);
  });

  it("another company's key gets 404 on every request id", async () => {
    const stranger = await stack.seedCompany("us", "GROWTH", "Stranger Co");
    for (const [method, suffix] of [["GET", ""], ["POST", "/approve"], ["POST", "/reject"], ["POST", "/cancel"]] as const) {
      const r = await stack.api(stranger.companyKey, method, `/v1/gdpr/requests/${requestId}${suffix}`, method === "POST" ? {} : undefined);
      expect(r.status, `${method} ${suffix}: ${r.text}`).toBe(404);
    }
    expect((await ok(stack.api(stranger.companyKey, "GET", "/v1/gdpr/requests"))).data).toEqual([]);
  });

  it("on approval shreds the keys: erased everywhere, everyone else intact, every proof valid", async () => {
    const approved: any = await ok(stack.api(secondKey, "POST", `/v1/gdpr/requests/${requestId}/approve`, { comment: "checked identity" }));
    expect(approved.approvals).toMatchObject([{ role: "CUSTOMER", decision: "APPROVE", comment: "checked identity" }]);
    const done: any = await waitForRequest(co().companyKey, requestId, "COMPLETED");
    expect(done.result).toEqual({ subjectsErased: 1, eventsCovered: 2, eventsNotErasable: 0 });

    const after = await allEvents(co().companyKey);
    const login = after.find((e) => e.actor.id === ALICE.id && e.action === "user.login")!;
    expect(login.actor).toMatchObject({ email: ERASED, name: ERASED });
    expect(login.context.ip).toBe(ERASED);
    expect(login.metadata).toEqual({ plan: "pro" });
    const update = after.find((e) => e.action === "user.updated")!;
    expect(update.target.name).toBe(ERASED);
    expect(update.changes).toEqual([{ field: "email", old: ERASED, new: ERASED }]);
    expect(update.metadata).toEqual({ phone: ERASED, ticket: "T-1" });
    // Bob, the actor of the same event, keeps his data.
    expect(update.actor).toMatchObject({ email: BOB.email, name: BOB.name });
    expect(after.find((e) => e.actor.id === BOB.id && e.action === "user.login")!.context.ip).toBe("203.0.113.5");
    for (const e of after) expect(eventHash(chainFieldsOf(e)), `${e.action} #${e.sequence}`).toBe(e.hash);
    const text = JSON.stringify(after);
    for (const secret of [ALICE.email, ALICE.name, ALICE.ip, "+44 20 7946 0991", "alice@old.example"]) expect(text).not.toContain(secret);
    expect(await allEvents(co().companyKey, `&actorEmail=${encodeURIComponent(ALICE.email)}`)).toEqual([]);

    // The erasure is in the company's own log, without the subject's data.
    const record = after.find((e) => e.action === "gdpr.erasure_completed")!;
    expect(record).toMatchObject({ category: "gdpr", target: { id: requestId, type: "gdpr_request" } });

    const dump = await databaseDump();
    for (const secret of [ALICE.email, ALICE.name, ALICE.ip, "+44 20 7946 0991"]) expect(dump).not.toContain(secret);

    const verified: any = await ok(stack.api(co().companyKey, "POST", "/v1/verify"));
    expect(JSON.stringify(verified)).not.toMatch(/"fault":\{/);
    const proof = await stack.api(co().companyKey, "GET", `/v1/events/${login.id}/proof`);
    expect(proof.status, proof.text).toBe(200);
  }, 60_000);

  it("exports taken before and after verify with hyrelog verify; the one written after holds no erased value", async () => {
    expect(hyrelogVerify(exportBefore).status).toBe(0);
    const job = await startExport(stack, co().companyKey, { source: "HOT", format: "JSONL", filters: { workspaceId: co().workspaceId } });
    const exportAfter = (await fetchText((await waitForExport(stack, co().companyKey, job)).downloadUrl)).text;
    const v = hyrelogVerify(exportAfter);
    expect(v.status, v.out).toBe(0);
    for (const secret of [ALICE.email, ALICE.name, ALICE.ip]) expect(exportAfter).not.toContain(secret);
    expect(exportAfter).toContain(ERASED);
    expect(exportAfter).toContain(BOB.email);
  }, 60_000);

  it("a webhook replay after the erasure sends the erased form", async () => {
    const hooks: any = await ok(stack.api(co().companyKey, "GET", `/v1/workspaces/${co().workspaceId}/webhooks`));
    const hook = hooks.data[0];
    const deliveries: any = await ok(stack.api(co().companyKey, "GET", `/v1/webhooks/${hook.id}/deliveries`));
    const aliceLogin = (await allEvents(co().companyKey)).find((e) => e.actor.id === ALICE.id && e.action === "user.login")!;
    const alice = deliveries.data.find((d: any) => d.sourceId === aliceLogin.id && d.status === "delivered")!;
    expect(alice).toBeDefined();
    const before = rx.requests.length;
    await ok(stack.api(co().companyKey, "POST", `/v1/webhooks/${hook.id}/deliveries/${alice.id}/replay`), 202);
    const [replayed] = (await rx.waitFor(before + 1)).slice(before);
    const event = JSON.parse(replayed!.body).data.event;
    expect(event).toMatchObject({ id: aliceLogin.id, actor: { id: ALICE.id, email: ERASED, name: ERASED } });
    expect(replayed!.body).not.toContain(ALICE.email);
  }, 30_000);

  it("a request for an unknown subject completes with zero matches", async () => {
    const created: any = await ok(stack.api(co().companyKey, "POST", "/v1/gdpr/requests", { kind: "ERASURE", subject: { email: "nobody@example.com" }, reason: "test" }), 201);
    expect(created.subject).not.toHaveProperty("email", "nobody@example.com");
    await ok(stack.api(secondKey, "POST", `/v1/gdpr/requests/${created.id}/approve`, {}));
    const done: any = await waitForRequest(co().companyKey, created.id, "COMPLETED");
    expect(done.result).toEqual({ subjectsErased: 0, eventsCovered: 0, eventsNotErasable: 0 });
  }, 30_000);
});

describe("subject access and company export", () => {
  it("subject access: a file with every event naming the subject, opened, after a manifest; other people's values withheld", async () => {
    await ok(
      stack.api(co().workspaceKey, "POST", "/v1/events", {
        category: "admin",
        action: "user.invited",
        actor: { id: BOB.id, type: "user", email: BOB.email, name: BOB.name },
        target: { id: "user_carol", type: "user", name: "Carol Chen" },
      }),
      201,
    );
    const created: any = await ok(stack.api(co().companyKey, "POST", "/v1/gdpr/requests", { kind: "ACCESS", subject: { email: BOB.email } }), 201);
    const done: any = await waitForRequest(co().companyKey, created.id, "COMPLETED");
    expect(done.download.url).toMatch(/^http/);
    const lines = (await fetchText(done.download.url)).text.trim().split("\n").map((l) => JSON.parse(l));
    const [first, ...events] = lines;
    expect(first.manifest).toMatchObject({ requestId: created.id, subject: { namedByEmail: true }, events: events.length });
    expect(events.length).toBeGreaterThanOrEqual(2);
    for (const e of events) {
      expect(e.actor.email).toBe(BOB.email);
      expect(eventHash(chainFieldsOf(e)), `${e.action}`).toBe(e.hash);
    }
    const invited = events.find((e: EventJson) => e.action === "user.invited")!;
    expect(invited.target.name).toBe(WITHHELD);
    expect(invited.personal!["/target/name"]).toEqual({ commitment: expect.any(String), withheld: true });
    expect(JSON.stringify(lines)).not.toContain("Carol Chen");
  }, 30_000);

  it("refuses bad requests with 400 naming each field, and FREE plans with 403", async () => {
    const bad = await stack.api(co().companyKey, "POST", "/v1/gdpr/requests", { kind: "DELETE", subject: { id: "x", email: "y" }, extra: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.violations.map((v: any) => v.field).sort()).toEqual(["extra", "kind", "subject"]);
    const both = await stack.api(co().companyKey, "POST", "/v1/gdpr/requests", { kind: "ERASURE", subject: { id: "x", email: "y@z.example" }, reason: "r" });
    expect(both.status).toBe(400);
    expect(both.body.error.details.violations).toEqual([{ field: "subject", description: "must hold id or email, not fields of more than one" }]);
    const noReason = await stack.api(co().companyKey, "POST", "/v1/gdpr/requests", { kind: "ERASURE", subject: { id: "x" } });
    expect(noReason.body.error.details.violations).toEqual([expect.objectContaining({ field: "reason" })]);
    expect((await stack.api(co().workspaceKey, "POST", "/v1/gdpr/requests", { kind: "ACCESS", subject: { id: "x" } })).status).toBe(403);
    const free = await stack.seedCompany("us", "FREE", "Free Co");
    expect((await stack.api(free.companyKey, "POST", "/v1/gdpr/requests", { kind: "ACCESS", subject: { id: "x" } })).status).toBe(403);
  });

  it("company export: everything HyreLog holds about the company, without secrets", async () => {
    const started: any = await ok(stack.api(co().companyKey, "POST", "/v1/key/company/gdpr/export"), 202);
    const done: any = await until("company export", async () => {
      const r: any = await ok(stack.api(co().companyKey, "GET", `/v1/gdpr/exports/${started.jobId}`));
      return r.status === "COMPLETED" ? r : null;
    }, 30_000);
    const status: any = await ok(stack.api(co().companyKey, "GET", `/v1/key/company/jobs/${started.jobId}`));
    expect(status).toMatchObject({ status: "COMPLETED", type: "gdpr-company-export" });
    const text = (await fetchText(done.download.url)).text;
    const types = new Set(text.trim().split("\n").map((l) => JSON.parse(l).type ?? "event"));
    expect([...types]).toEqual(expect.arrayContaining(["company", "workspace", "project", "apiKey", "webhookEndpoint", "usage", "gdprRequest", "event"]));
    expect(text).not.toMatch(/key_hash|secret_sealed|whsec_/);
    expect(text).toContain(BOB.email);
  }, 60_000);
});
