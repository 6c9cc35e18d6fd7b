/**
 * Ingest validation through the gateway: every rejected request is a 400 (or 413/415) whose
 * `error.details.violations` name the offending path and say what to fix, and nothing of a
 * rejected request is stored — batches are all or nothing.
 */
import http from "node:http";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { TestStack, type ApiResponse } from "@hyrelog/testing";

let stack: TestStack;
let key: string;
let projectId: string;

beforeAll(async () => {
  stack = await TestStack.start({ infra: inject("infra"), regions: ["us"] });
  key = stack.companies.us!.workspaceKey;
  projectId = stack.companies.us!.projectId;
});
afterAll(async () => stack?.stop());

const valid = (extra: Record<string, unknown> = {}) => ({
  category: "user",
  action: "user.login",
  actor: { id: "u_1", email: "jane@acme.test" },
  ...extra,
});

async function storedCount(): Promise<number> {
  const rows = await stack.regions.us!.orm.em.fork().execute<Array<{ n: string }>>(`select count(*) as n from audit_events`);
  return Number(rows[0]!.n);
}

type Violation = { field: string; description: string };

/** Sends a request that must be refused; checks that the table did not change. */
async function refused(body: unknown, headers: Record<string, string> = {}, path = "/v1/events"): Promise<ApiResponse> {
  const before = await storedCount();
  const res = await stack.api(key, "POST", path, body, headers);
  expect(await storedCount()).toBe(before);
  return res;
}

function violationsOf(res: ApiResponse): Violation[] {
  expect(res.status, res.text).toBe(400);
  expect(res.body.error.code).toBe("invalid_argument");
  const violations = res.body.error.details?.violations as Violation[];
  expect(Array.isArray(violations), res.text).toBe(true);
  for (const v of violations) {
    expect(Object.keys(v).sort()).toEqual(["description", "field"]);
    expect(v.description.length).toBeGreaterThan(3);
  }
  return violations;
}

/** A single-event request refused with a violation on exactly `field` whose text matches `description`. */
async function expectViolation(body: unknown, field: string, description: RegExp): Promise<Violation[]> {
  const violations = violationsOf(await refused(body));
  expect(violations, JSON.stringify(violations)).toContainEqual({ field, description: expect.stringMatching(description) });
  // A single event is the body: its paths have no "events[0]." prefix.
  for (const v of violations) expect(v.field).not.toMatch(/^events\[/);
  return violations;
}

describe("single events", () => {
  it("accepts the valid baseline that the refused cases below alter", async () => {
    const res = await stack.api(key, "POST", "/v1/events", valid({ projectId, metadata: { note: "ok" } }));
    expect(res.status, res.text).toBe(201);
    expect(await storedCount()).toBe(1);
  });

  it("requires category, action and an actor id or email", async () => {
    const { category: _c, ...noCategory } = valid();
    await expectViolation(noCategory, "category", /required/);
    const { action: _a, ...noAction } = valid();
    await expectViolation(noAction, "action", /required/);
    // An email alone identifies an actor (tests/api/compat.test.ts); a name alone does not.
    await expectViolation(valid({ actor: { name: "Jane", type: "user" } }), "actor.id", /required/);
    const { actor: _x, ...noActor } = valid();
    await expectViolation(noActor, "actor", /required/);
    await expectViolation(valid({ category: "" }), "category", /must not be empty/);
  });

  it("reports every problem of an event together", async () => {
    const violations = violationsOf(await refused({ actor: {} }));
    expect(violations.map((v) => v.field).sort()).toEqual(["action", "actor.id", "category"]);
  });

  it("names fields of the wrong type", async () => {
    await expectViolation(valid({ category: 5 }), "category", /must be a string \(got number\)/);
    await expectViolation(valid({ action: ["a"] }), "action", /must be a string \(got array\)/);
    await expectViolation(valid({ actor: "u_1" }), "actor", /must be a JSON object \(got string\)/);
    await expectViolation(valid({ actor: { id: 42 } }), "actor.id", /must be a string/);
    await expectViolation(valid({ metadata: [1, 2] }), "metadata", /JSON object/);
    await expectViolation(valid({ changes: { role: "admin" } }), "changes", /array/);
    await expectViolation(valid({ changes: [{ field: 7, new: "x" }] }), "changes[0].field", /must be a string/);
  });

  it("rejects a non-object body naming the body", async () => {
    await expectViolation([valid()], "body", /JSON object/);
    await expectViolation("\"user.login\"", "body", /JSON object/);
  });

  it("names unknown fields and lists the allowed ones", async () => {
    const v = await expectViolation(valid({ severity: "high" }), "severity", /^unknown field \(allowed: /);
    expect(v.find((x) => x.field === "severity")!.description).toContain("category");
    await expectViolation(valid({ actor: { id: "u_1", role: "admin" } }), "actor.role", /^unknown field \(allowed: id, type, email, name\)/);
    await expectViolation(valid({ workspaceId: randomUUID() }), "workspaceId", /^unknown field/);
  });

  it("rejects occurredAt that is not an RFC 3339 timestamp", async () => {
    for (const occurredAt of ["yesterday", "2026-01-31", "2026-01-31 12:00:00", 1767225600000, "2026-13-01T00:00:00Z", "2026-01-01T25:00:00Z"]) {
      await expectViolation(valid({ occurredAt }), "occurredAt", /RFC 3339/);
    }
  });

  it("rejects calendar dates that do not exist instead of moving them to another day", async () => {
    for (const occurredAt of ["2026-02-30T10:00:00Z", "2025-02-29T10:00:00Z", "2026-04-31T10:00:00Z"]) {
      await expectViolation(valid({ occurredAt }), "occurredAt", /RFC 3339/);
    }
    // 2024 is a leap year: the 29th of February exists and is stored as sent.
    const leap = await stack.api(key, "POST", "/v1/events", valid({ occurredAt: "2024-02-29T10:00:00Z" }));
    expect(leap.status, leap.text).toBe(201);
    const got = await stack.api(key, "GET", `/v1/events/${leap.body.id}`);
    expect(got.body.occurredAt).toBe("2024-02-29T10:00:00.000Z");
  });

  it("rejects occurredAt before 1970 or more than 5 minutes in the future", async () => {
    await expectViolation(valid({ occurredAt: "1969-12-31T23:59:59Z" }), "occurredAt", /after 1970/);
    const future = new Date(Date.now() + 60 * 60_000).toISOString();
    await expectViolation(valid({ occurredAt: future }), "occurredAt", /future/);
    // Within the allowed clock skew it is accepted.
    const skew = await stack.api(key, "POST", "/v1/events", valid({ occurredAt: new Date(Date.now() + 60_000).toISOString() }));
    expect(skew.status, skew.text).toBe(201);
  });

  it("rejects a projectId that is not a UUID", async () => {
    const v = await expectViolation(valid({ projectId: "web-app" }), "projectId", /UUID/);
    expect(v).toHaveLength(1);
  });

  it("rejects a project that does not exist in the key's workspace", async () => {
    await expectViolation(valid({ projectId: randomUUID() }), "projectId", /does not exist in this workspace/);

    // A project of another company.
    const other = await stack.seedCompany("us");
    await expectViolation(valid({ projectId: other.projectId }), "projectId", /does not exist in this workspace/);

    // A project of another workspace of the same company.
    const em = stack.regions.us!.orm.em.fork();
    const co = stack.companies.us!;
    const workspaceId = randomUUID();
    const siblingProject = randomUUID();
    await em.execute(`insert into workspaces (id, company_id, name) values (?, ?, 'Staging')`, [workspaceId, co.companyId]);
    await em.execute(`insert into projects (id, company_id, workspace_id, name) values (?, ?, ?, 'Staging app')`, [siblingProject, co.companyId, workspaceId]);
    await expectViolation(valid({ projectId: siblingProject }), "projectId", /does not exist in this workspace/);
  });

  it("rejects the NUL character anywhere in metadata and changes", async () => {
    await expectViolation(valid({ metadata: { note: "a\u0000b" } }), "metadata.note", /NUL/);
    await expectViolation(valid({ metadata: { deep: { list: ["ok", "bad\u0000"] } } }), "metadata.deep.list[1]", /NUL/);
    await expectViolation(valid({ metadata: { "k\u0000": 1 } }), "metadata", /NUL/);
    await expectViolation(valid({ changes: [{ field: "role", old: "a", new: "\u0000" }] }), "changes[0].new", /NUL/);
  });

  it("rejects numbers beyond the 64-bit float range, which JSON.parse turns into Infinity", async () => {
    const base = '"category":"user","action":"user.login","actor":{"id":"u_1"}';
    await expectViolation(`{${base},"metadata":{"amount":1e400}}`, "metadata.amount", /range/);
    await expectViolation(`{${base},"metadata":{"list":[1,{"x":-1e999}]}}`, "metadata.list[1].x", /range/);
    await expectViolation(`{${base},"changes":[{"field":"limit","old":1,"new":1e400}]}`, "changes[0].new", /range/);
  });

  it("rejects lone UTF-16 surrogates, which UTF-8 storage would silently replace", async () => {
    const base = '"category":"user","action":"user.login"';
    await expectViolation(`{${base},"actor":{"id":"u_\\ud800"}}`, "actor.id", /Unicode/);
    await expectViolation(`{${base},"actor":{"id":"u"},"metadata":{"note":"x\\udc00y"}}`, "metadata.note", /Unicode/);
    await expectViolation(`{${base},"actor":{"id":"u"},"changes":[{"field":"n","new":["\\ud83d"]}]}`, "changes[0].new[0]", /Unicode/);
    // A proper pair is fine.
    const ok = await stack.api(key, "POST", "/v1/events", `{${base},"actor":{"id":"u_\\ud83d\\ude00"}}`);
    expect(ok.status, ok.text).toBe(201);
  });

  it("a bad request does not fail other clients' requests stored at the same time", async () => {
    const before = await storedCount();
    const bad = `{"category":"user","action":"user.login","actor":{"id":"u_1"},"metadata":{"amount":1e400}}`;
    const answers = await Promise.all([
      ...Array.from({ length: 20 }, (_, i) => stack.api(key, "POST", "/v1/events", valid({ metadata: { i } }))),
      ...Array.from({ length: 5 }, () => stack.api(key, "POST", "/v1/events", bad)),
      ...Array.from({ length: 5 }, () => stack.api(key, "POST", "/v1/events", valid({ projectId: "nope" }))),
    ]);
    expect(answers.slice(0, 20).map((a) => a.status)).toEqual(Array(20).fill(201));
    expect(answers.slice(20).map((a) => a.status)).toEqual(Array(10).fill(400));
    expect(await storedCount()).toBe(before + 20);
  });

  it("rejects metadata nested too deeply", async () => {
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 20; i++) deep = { d: deep };
    const v = violationsOf(await refused(valid({ metadata: deep })));
    expect(v.some((x) => x.field.startsWith("metadata.d") && /nested/.test(x.description))).toBe(true);
  });

  it("rejects metadata larger than 64 KiB, saying how large it may be", async () => {
    const v = violationsOf(await refused(valid({ metadata: { blob: "x".repeat(70_000) } })));
    expect(v).toHaveLength(1);
    expect(v[0]!.field).not.toMatch(/^events\[/);
    expect(v[0]!.description).toMatch(/metadata/);
    expect(v[0]!.description).toContain(String(64 * 1024));
    // Just under the limit is fine.
    const ok = await stack.api(key, "POST", "/v1/events", valid({ metadata: { blob: "x".repeat(60_000) } }));
    expect(ok.status, ok.text).toBe(201);
  });

  it("answers 413 payload_too_large for a body over 1 MiB", async () => {
    const res = await refused(valid({ metadata: { blob: "x".repeat(1_100_000) } }));
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe("payload_too_large");
  });

  it("answers 413 for an oversized body sent without Content-Length (chunked)", async () => {
    const before = await storedCount();
    const url = new URL(stack.gatewayUrl);
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(
        { host: url.hostname, port: url.port, method: "POST", path: "/v1/events", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" } },
        (res) => {
          let body = "";
          res.on("data", (c) => (body += c));
          res.on("end", () => resolve({ status: res.statusCode!, body }));
        },
      );
      // Once answered, the server may reset the rest of the upload: only an error before the answer counts.
      req.on("error", reject);
      req.write(`{"category":"user","action":"a","actor":{"id":"u"},"metadata":{"blob":"`);
      const chunk = "x".repeat(64 * 1024);
      let sent = 0;
      const pump = () => {
        while (sent < 20) {
          sent++;
          if (!req.write(chunk)) return void req.once("drain", pump);
        }
        req.end(`"}}`);
      };
      pump();
    });
    expect(answer.status, answer.body).toBe(413);
    expect(JSON.parse(answer.body).error.code).toBe("payload_too_large");
    expect(await storedCount()).toBe(before);
  });

  it("answers 400 for a body that is not JSON, or empty", async () => {
    const res = await refused('{"category": "user", "action": ');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("invalid_argument");
    expect(res.body.error.message).toMatch(/not valid JSON/);
    const empty = await refused("");
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe("invalid_argument");
  });

  it("answers 415 for a body that is not sent as JSON", async () => {
    const res = await refused(JSON.stringify(valid()), { "content-type": "text/plain" });
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe("unsupported_media_type");
    const form = await refused("category=user", { "content-type": "application/x-www-form-urlencoded" });
    expect(form.status).toBe(415);
  });
});

describe("batches", () => {
  it("rejects an empty batch", async () => {
    const v = violationsOf(await refused({ events: [] }));
    expect(v).toContainEqual({ field: "events", description: expect.stringMatching(/at least one/) });
  });

  it("rejects events that is not an array", async () => {
    const v = violationsOf(await refused({ events: valid() }));
    expect(v).toContainEqual({ field: "events", description: expect.stringMatching(/array/) });
  });

  it("rejects a batch of more than 1000 events", async () => {
    const events = Array.from({ length: 1001 }, (_, i) => ({ category: "c", action: "a", actor: { id: `u${i}` } }));
    const v = violationsOf(await refused({ events }));
    expect(v).toContainEqual({ field: "events", description: expect.stringMatching(/at most 1000/) });
  });

  it("rejects other fields next to events", async () => {
    const v = violationsOf(await refused({ events: [valid()], dryRun: true }));
    expect(v).toContainEqual({ field: "dryRun", description: "unknown field (allowed: events)" });
  });

  it("stores none of a batch when one event is bad, naming events[i] (shape checked by the gateway)", async () => {
    const v = violationsOf(await refused({ events: [valid(), valid({ category: 5 }), valid()] }));
    expect(v).toEqual([{ field: "events[1].category", description: expect.stringMatching(/must be a string/) }]);
  });

  it("stores none of a batch when one event is bad, naming events[i] (semantics checked by the ingest service)", async () => {
    const v = violationsOf(await refused({ events: [valid(), valid({ actor: { name: "X" } }), valid()] }));
    expect(v).toEqual([{ field: "events[1].actor.id", description: expect.stringMatching(/required/) }]);

    const p = violationsOf(await refused({ events: [valid({ projectId }), valid({ projectId: randomUUID() }), valid({ projectId })] }));
    expect(p).toEqual([{ field: "events[1].projectId", description: expect.stringMatching(/does not exist/) }]);

    const n = violationsOf(await refused({ events: [valid(), valid({ metadata: { a: { b: "\u0000" } } }), valid()] }));
    expect(n).toEqual([{ field: "events[1].metadata.a.b", description: expect.stringMatching(/NUL/) }]);

    const big = violationsOf(await refused({ events: [valid(), valid({ metadata: { blob: "y".repeat(70_000) } }), valid()] }));
    expect(big).toEqual([{ field: "events[1]", description: expect.stringMatching(/65536/) }]);
  });

  it("names every bad event of a batch", async () => {
    // Shape problems (found by the gateway)…
    const shape = violationsOf(await refused({ events: [valid({ category: 5 }), valid(), valid({ occurredAt: "soon" })] }));
    expect(shape.map((x) => x.field).sort()).toEqual(["events[0].category", "events[2].occurredAt"]);
    // …and semantic ones (found by the ingest service).
    const sem = violationsOf(await refused({ events: [valid({ action: "" }), valid(), valid({ projectId: "nope" }), valid({ actor: {} })] }));
    expect(sem.map((x) => x.field).sort()).toEqual(["events[0].action", "events[2].projectId", "events[3].actor.id"]);
  });

  it("stores a valid batch of the same events", async () => {
    const before = await storedCount();
    const res = await stack.api(key, "POST", "/v1/events", { events: [valid({ projectId }), valid(), valid()] });
    expect(res.status, res.text).toBe(201);
    expect(await storedCount()).toBe(before + 3);
  });
});
