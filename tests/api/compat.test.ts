/**
 * Compatibility with the original HyreLog API (issue 14): its documented requests are accepted
 * as documented, and our stricter rules stay where they protect data.
 *  - an actor identified by email alone, sealed under a subject derived from the email's blind
 *    index, which an erasure by email reaches (the events then read "[erased]" and still verify);
 *  - a top-level `payload` object, stored, hashed, returned by the API, exports and webhooks;
 *  - POST /v1/exports with top-level `from`/`to`;
 *  - X-RateLimit-Reset in Unix seconds, as documented.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { chainFieldsOf, ERASED, eventHash, expectApiError, TestStack, type EventJson } from "@hyrelog/testing";
import { dash, until } from "../dashboard/helpers.ts";
import { fetchText, waitForExport } from "../exports/helpers.ts";
import { startReceiver, type Receiver } from "../webhooks/receiver.ts";

let stack: TestStack;
let rx: Receiver;
const ROOT = path.resolve(import.meta.dirname, "../..");
beforeAll(async () => {
  stack = await TestStack.start({ infra: inject("infra"), regions: ["us"], plan: "GROWTH" });
  rx = await startReceiver();
});
afterAll(async () => {
  await rx?.close();
  await stack?.stop();
});

const co = () => stack.companies.us!;
const sql = <T = Record<string, unknown>>(query: string, params: unknown[] = []) => stack.regions.us!.orm.em.fork().execute<T[]>(query, params);

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

function hyrelogVerify(lines: string): { status: number | null; out: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "compat-verify-"));
  const file = path.join(dir, "events.jsonl");
  writeFileSync(file, lines);
  const r = spawnSync(process.execPath, [path.join(ROOT, "apps/cli/src/main.ts"), "verify", "--events", file], { encoding: "utf8" });
  return { status: r.status, out: r.stdout + r.stderr };
}

// The original API's own documented examples.
const LOGIN = { category: "user", action: "login", actor: { email: "user@example.com" }, metadata: { ip: "192.168.1.1" } };
const UPDATED = {
  action: "user.updated",
  category: "user",
  actor: { id: "admin-123", email: "admin@example.com" },
  target: { id: "user-456", type: "user" },
  changes: [{ field: "name", old: "John Doe", new: "Jane Doe" }],
  payload: { userId: "user-456" },
};

describe("the original API's event examples", () => {
  it("accepts an actor identified by email alone: stored with no id, the email sealed, found by actorEmail, verifiable", async () => {
    const created = await ok(stack.api(co().workspaceKey, "POST", "/v1/events", LOGIN), 201);
    const e: EventJson = await ok(stack.api(co().workspaceKey, "GET", `/v1/events/${created.id}`));
    expect(e.actor).toEqual({ id: null, type: null, email: "user@example.com", name: null });
    expect(e.v).toBe(2);
    expect(Object.keys(e.personal!)).toContain("/actor/email");
    expect(eventHash(chainFieldsOf(e))).toBe(e.hash);
    expect((await allEvents(co().workspaceKey, "&actorEmail=USER@example.com")).map((x) => x.id)).toEqual([created.id]);
    // The email is nowhere in the clear: not in the row, not as the subject's name.
    const [row] = await sql<{ t: string }>("select t::text as t from audit_events t where id = ?", [created.id]);
    expect(row!.t).not.toContain("user@example.com");
    const subjects = await sql<{ external_id: string }>("select external_id from data_subjects where company_id = ? and external_id like 'email:%'", [co().companyId]);
    expect(subjects).toHaveLength(1);
    expect(subjects[0]!.external_id).toMatch(/^email:[0-9a-f]{64}$/);
  });

  it("still needs an actor: neither id nor email is refused naming actor.id", async () => {
    const res = await stack.api(co().workspaceKey, "POST", "/v1/events", { category: "user", action: "login", actor: { name: "Nobody" } });
    expectApiError(res, 400, "invalid_argument");
    expect(res.body.error.details.violations).toEqual([{ field: "actor.id", description: "is required (or actor.email instead)" }]);
    const bad = await stack.api(co().workspaceKey, "POST", "/v1/events", { category: "user", action: "login", actor: { email: "not-an-email" } });
    expectApiError(bad, 400, "invalid_argument");
    expect(bad.body.error.details.violations.map((v: any) => v.field)).toEqual(["actor.email"]);
  });

  it("accepts a payload: stored as sent, hashed, returned by the API, a webhook and both export formats", async () => {
    await ok(stack.api(co().companyKey, "POST", `/v1/workspaces/${co().workspaceId}/webhooks`, { url: rx.url, events: ["AUDIT_EVENT_CREATED"], filters: { actions: ["user.updated"] } }), 201);
    const created = await ok(stack.api(co().workspaceKey, "POST", "/v1/events", UPDATED), 201);
    const e: EventJson & { payload?: unknown } = await ok(stack.api(co().companyKey, "GET", `/v1/events/${created.id}`));
    expect(e.payload).toEqual({ userId: "user-456" });
    expect(e.hash).toBe(created.hash);
    expect(eventHash(chainFieldsOf(e))).toBe(e.hash);
    // The payload is covered by the hash: another payload is another hash.
    expect(eventHash(chainFieldsOf({ ...e, payload: { userId: "user-457" } } as EventJson))).not.toBe(e.hash);
    const listed = (await allEvents(co().workspaceKey)).find((x) => x.id === created.id) as EventJson & { payload?: unknown };
    expect(listed.payload).toEqual({ userId: "user-456" });

    const [delivery] = await rx.waitFor(1, 20_000);
    expect(JSON.parse(delivery!.body).data.event).toMatchObject({ id: created.id, payload: { userId: "user-456" } });

    const jsonl = await ok(stack.api(co().companyKey, "POST", "/v1/exports", { source: "HOT", format: "JSONL", filters: { workspaceId: co().workspaceId } }), 202);
    const file = (await fetchText((await waitForExport(stack, co().companyKey, jsonl.jobId)).downloadUrl)).text;
    const line = file.split("\n").filter(Boolean).map((l) => JSON.parse(l)).find((x) => x.id === created.id);
    expect(line).toEqual(e);
    expect(hyrelogVerify(file)).toMatchObject({ status: 0 });
    const csv = await ok(stack.api(co().companyKey, "POST", "/v1/exports", { source: "HOT", format: "CSV", filters: { action: "user.updated" } }), 202);
    const table = (await fetchText((await waitForExport(stack, co().companyKey, csv.jobId)).downloadUrl)).text.split("\r\n");
    expect(table[0]!.split(",").at(-1)).toBe("payload");
    expect(table[1]!.endsWith(`,"{""userId"":""user-456""}"`)).toBe(true);
  });

  it("an event without a payload has no payload field and hashes as before; a retry must repeat the payload", async () => {
    const plain = await ok(stack.api(co().workspaceKey, "POST", "/v1/events", { ...UPDATED, payload: undefined }), 201);
    const e = await ok(stack.api(co().workspaceKey, "GET", `/v1/events/${plain.id}`));
    expect(e).not.toHaveProperty("payload");
    expect(eventHash(chainFieldsOf(e))).toBe(e.hash);
    const [row] = await sql<{ payload: unknown }>("select payload from audit_events where id = ?", [plain.id]);
    expect(row!.payload).toBeNull();
    const withNull = await ok(stack.api(co().workspaceKey, "POST", "/v1/events", { ...UPDATED, payload: null }), 201);
    expect(await ok(stack.api(co().workspaceKey, "GET", `/v1/events/${withNull.id}`))).not.toHaveProperty("payload");

    const first = await ok(stack.api(co().workspaceKey, "POST", "/v1/events", { ...UPDATED, idempotencyKey: "compat-1" }), 201);
    const again = await ok(stack.api(co().workspaceKey, "POST", "/v1/events", { ...UPDATED, idempotencyKey: "compat-1" }), 200);
    expect(again).toMatchObject({ id: first.id, status: "duplicate" });
    const other = await stack.api(co().workspaceKey, "POST", "/v1/events", { ...UPDATED, payload: { userId: "x" }, idempotencyKey: "compat-1" });
    expectApiError(other, 409, "already_exists");
  });

  it("refuses a payload that is not an object, and personal fields inside it", async () => {
    for (const payload of [[1], "x", 5, true]) {
      const res = await stack.api(co().workspaceKey, "POST", "/v1/events", { ...UPDATED, payload });
      expectApiError(res, 400, "invalid_argument");
      expect(res.body.error.details.violations).toEqual([{ field: "payload", description: expect.stringMatching(/^must be a JSON object \(got \w+\)$/) }]);
    }
    const nul = await stack.api(co().workspaceKey, "POST", "/v1/events", { ...UPDATED, payload: { a: "x\u0000y" } });
    expectApiError(nul, 400, "invalid_argument");
    expect(nul.body.error.details.violations[0].field).toMatch(/^payload/);
    const marked = await stack.api(co().workspaceKey, "POST", "/v1/events", { ...UPDATED, personalFields: ["/payload/userId"] });
    expectApiError(marked, 400, "invalid_argument");
    expect(marked.body.error.details.violations[0].field).toBe("personalFields[0]");
    const big = await stack.api(co().workspaceKey, "POST", "/v1/events", { ...UPDATED, payload: { blob: "x".repeat(70_000) } });
    expectApiError(big, 400, "invalid_argument");
    expect(big.body.error.details.violations[0].description).toContain("metadata, changes and payload together");
  });
});

describe("POST /v1/exports with top-level from/to", () => {
  it("takes them as filters.from/filters.to", async () => {
    const res = await ok(stack.api(co().companyKey, "POST", "/v1/exports", { source: "HOT", format: "JSONL", from: "2020-01-01T00:00:00Z", to: "2099-01-01T00:00:00Z" }), 202);
    const done = await waitForExport(stack, co().companyKey, res.jobId);
    expect(done.filters).toMatchObject({ from: "2020-01-01T00:00:00.000Z", to: "2099-01-01T00:00:00.000Z" });
    expect(done.status).toBe("COMPLETED");
    const empty = await ok(stack.api(co().companyKey, "POST", "/v1/exports", { source: "HOT", format: "JSONL", from: "2099-01-01T00:00:00Z", filters: { action: "user.updated" } }), 202);
    expect((await waitForExport(stack, co().companyKey, empty.jobId)).rowCount).toBe(0);
  });

  it("refuses a bad time naming the top-level field, and the same bound in both places", async () => {
    const bad = await stack.api(co().companyKey, "POST", "/v1/exports", { source: "HOT", format: "JSONL", from: "yesterday" });
    expectApiError(bad, 400, "invalid_argument");
    expect(bad.body.error.details.violations.map((v: any) => v.field)).toEqual(["from"]);
    const both = await stack.api(co().companyKey, "POST", "/v1/exports", { source: "HOT", format: "JSONL", to: "2030-01-01T00:00:00Z", filters: { to: "2030-01-01T00:00:00Z" } });
    expectApiError(both, 400, "invalid_argument");
    expect(both.body.error.details.violations.map((v: any) => v.field)).toEqual(["to"]);
    const reversed = await stack.api(co().companyKey, "POST", "/v1/exports", { source: "HOT", format: "JSONL", from: "2030-01-01T00:00:00Z", to: "2020-01-01T00:00:00Z" });
    expectApiError(reversed, 400, "invalid_argument");
  });
});

describe("X-RateLimit-Reset", () => {
  it("is the Unix time in seconds when the current one-minute window ends", async () => {
    const res = await stack.api(co().workspaceKey, "GET", "/v1/keys/status");
    const reset = res.headers.get("x-ratelimit-reset")!;
    expect(reset).toMatch(/^\d{10}$/);
    const seconds = Number(reset) - Date.now() / 1000;
    expect(seconds).toBeGreaterThan(-1);
    expect(seconds).toBeLessThanOrEqual(61);
    expect(Number(reset) % 60).toBe(0);
  });
});

describe("erasure of an actor identified by email alone", () => {
  it("a request by email erases their events: [erased] everywhere, still verifiable, others intact", async () => {
    const EMAIL = "mallory.email-only@example.com";
    const admin = { role: "ADMIN" as const, companyId: co().companyId, userId: "dpo-compat" };
    const second: any = await ok(dash(stack, admin, "POST", "/dashboard/keys", { scope: "company", name: "DPO key", ipAllowlist: ["127.0.0.1", "::1"] }), 201);
    await ok(
      stack.api(co().workspaceKey, "POST", "/v1/events", {
        events: [
          { category: "user", action: "login", actor: { email: EMAIL, name: "Mallory" }, metadata: { via: "sso" } },
          { category: "user", action: "logout", actor: { email: EMAIL.toUpperCase() } },
          { category: "user", action: "login", actor: { email: "someone.else@example.com", name: "Someone" } },
          { category: "user", action: "login", actor: { id: "u_mallory", email: EMAIL, name: "Mallory M." } },
        ],
      }),
      201,
    );
    const before = await allEvents(co().workspaceKey, `&actorEmail=${encodeURIComponent(EMAIL)}`);
    expect(before).toHaveLength(3);

    const request: any = await ok(stack.api(co().companyKey, "POST", "/v1/gdpr/requests", { kind: "ERASURE", subject: { email: EMAIL }, reason: "Art. 17" }), 201);
    await ok(stack.api(second.secret, "POST", `/v1/gdpr/requests/${request.id}/approve`, {}));
    const done: any = await until(
      "erasure completed",
      async () => {
        const r: any = await ok(stack.api(co().companyKey, "GET", `/v1/gdpr/requests/${request.id}`));
        return r.status === "COMPLETED" ? r : r.status === "FAILED" ? Promise.reject(new Error(r.error)) : null;
      },
      30_000,
    );
    // Two subjects: the email's own (both email-only events) and u_mallory's.
    expect(done.result).toEqual({ subjectsErased: 2, eventsCovered: 3, eventsNotErasable: 0 });

    const after = await allEvents(co().workspaceKey);
    for (const id of before.map((e) => e.id)) {
      const e = after.find((x) => x.id === id)!;
      expect(e.actor.email).toBe(ERASED);
      expect(eventHash(chainFieldsOf(e))).toBe(e.hash);
    }
    const emailOnly = after.filter((e) => before.some((b) => b.id === e.id) && e.actor.id === null);
    expect(emailOnly.map((e) => e.action).sort()).toEqual(["login", "logout"]);
    expect(emailOnly.find((e) => e.action === "login")).toMatchObject({ actor: { name: ERASED }, metadata: { via: "sso" } });
    const someone = after.find((e) => e.actor.name === "Someone")!;
    expect(someone.actor.email).toBe("someone.else@example.com");
    // Unlinked from the email, and nothing of it left in the clear.
    expect(await allEvents(co().workspaceKey, `&actorEmail=${encodeURIComponent(EMAIL)}`)).toEqual([]);
    const dump = (await sql<{ t: string }>("select t::text as t from audit_events t where company_id = ?", [co().companyId])).map((r) => r.t).join("\n");
    expect(dump).not.toContain(EMAIL);
    expect(dump.toLowerCase()).not.toContain(EMAIL.toLowerCase());

    const job = await ok(stack.api(co().companyKey, "POST", "/v1/exports", { source: "HOT", format: "JSONL", filters: { workspaceId: co().workspaceId } }), 202);
    const file = (await fetchText((await waitForExport(stack, co().companyKey, job.jobId)).downloadUrl)).text;
    expect(file).not.toContain(EMAIL);
    expect(hyrelogVerify(file)).toMatchObject({ status: 0 });
  }, 60_000);
});
