import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { TestStack, expectApiError } from "@hyrelog/testing";
import { fetchText, ingestMany, queryAll, startExport, waitForExport } from "./helpers.ts";

let stack: TestStack;
beforeAll(async () => {
  stack = await TestStack.start({ infra: inject("infra"), regions: ["us"] });
}, 120_000);
afterAll(async () => stack?.stop());

const sha256 = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");

/** The CSV columns, as the export writes them, from an event of the query API. */
function csvRecordOf(e: any): Record<string, string> {
  const s = (v: unknown) => (v === null || v === undefined ? "" : String(v));
  return {
    id: e.id,
    companyId: e.companyId,
    workspaceId: s(e.workspaceId),
    projectId: s(e.projectId),
    sequence: String(e.sequence),
    prevHash: e.prevHash,
    hash: e.hash,
    occurredAt: e.occurredAt,
    receivedAt: e.receivedAt,
    category: e.category,
    action: e.action,
    actorId: s(e.actor.id),
    actorType: s(e.actor.type),
    actorEmail: s(e.actor.email),
    actorName: s(e.actor.name),
    targetId: s(e.target.id),
    targetType: s(e.target.type),
    targetName: s(e.target.name),
    changes: JSON.stringify(e.changes),
    metadata: JSON.stringify(e.metadata),
    ip: s(e.context.ip),
    userAgent: s(e.context.userAgent),
    traceId: s(e.context.traceId),
    requestId: s(e.context.requestId),
    idempotencyKey: s(e.idempotencyKey),
    v: String(e.v),
    personal: e.personal ? JSON.stringify(e.personal) : "",
    payload: e.payload === undefined ? "" : JSON.stringify(e.payload),
  };
}

/**
 * The events as of the export's snapshot: an export holds the events that existed when it was
 * requested, not the "export.completed" record it wrote itself (a workspace export is recorded
 * in that workspace's log).
 */
async function asOfExport(key: string, jobId: string, events: any[]): Promise<any[]> {
  const job = await stack.api(key, "GET", `/v1/jobs/${jobId}`);
  const beforeId: string = job.body.params.beforeId;
  expect(events.filter((e) => e.id >= beforeId).every((e) => e.action === "export.completed")).toBe(true);
  return events.filter((e) => e.id < beforeId);
}

describe("exports of 10k+ events", () => {
  const N = 10_500;
  beforeAll(async () => {
    const { workspaceKey, projectId } = stack.companies.us!;
    const events = Array.from({ length: N }, (_, i) => ({
      category: i % 3 === 0 ? "billing" : "user",
      action: i % 7 === 0 ? "invoice.paid" : "user.login",
      actor: { id: `u_${i % 97}`, type: "user", email: `u${i % 97}@acme.test`, name: i % 11 === 0 ? `Zoë "Z", Ünïcødé\nline` : `User ${i}` },
      target: { id: `t_${i % 13}`, type: "doc" },
      projectId,
      changes: [{ field: "n", old: i - 1, new: i }],
      metadata: { i, tags: ["a", "b,c"], nested: { quote: 'say "hi"' } },
    }));
    await ingestMany(stack, workspaceKey, events);
  }, 120_000);

  it("JSONL: every line parses and equals what GET /v1/events returns, in the same order", async () => {
    // The workspace's events (exports record themselves in the company's own log).
    const key = stack.companies.us!.companyKey;
    const ws = { workspaceId: stack.companies.us!.workspaceId };
    const jobId = await startExport(stack, key, { source: "HOT", format: "JSONL", filters: ws });
    const done = await waitForExport(stack, key, jobId);
    expect(done.status, JSON.stringify(done)).toBe("COMPLETED");
    const expected = await asOfExport(key, jobId, await queryAll(stack, key, ws));
    expect(expected.length).toBeGreaterThanOrEqual(N);
    expect(done.rowCount).toBe(expected.length);
    expect(done.progress).toEqual({ done: expected.length, total: expected.length });

    const file = await fetchText(done.downloadUrl);
    expect(file.status).toBe(200);
    const lines = file.text.split("\n");
    expect(lines.pop()).toBe("");
    expect(lines.map((l) => JSON.parse(l))).toEqual(expected);
    expect(Buffer.byteLength(file.text)).toBe(done.bytes);
    expect(sha256(file.text)).toBe(done.sha256);
    // An unfiltered export of one workspace is its whole log: hyrelog verify accepts it, and catches an edit.
    const dir = mkdtempSync(path.join(os.tmpdir(), "hyrelog-export-verify-"));
    try {
      const file = path.join(dir, "export.jsonl");
      writeFileSync(file, (await fetchText(done.downloadUrl)).text);
      const verify = spawnSync(process.execPath, ["apps/cli/src/main.ts", "verify", "--events", file], { cwd: process.cwd(), encoding: "utf8" });
      expect(verify.status, verify.stdout + verify.stderr).toBe(0);
      expect(verify.stdout).toMatch(new RegExp(`VERIFIED: ${expected.length} events`));
      writeFileSync(file, (await fetchText(done.downloadUrl)).text.replace('"action":"user.login"', '"action":"user.logout"'));
      expect(spawnSync(process.execPath, ["apps/cli/src/main.ts", "verify", "--events", file], { cwd: process.cwd(), encoding: "utf8" }).status).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // One file, under the company's prefix in this region.
    expect(await stack.s3Keys("us", `exports/us/${stack.companies.us!.companyId}/`)).toEqual([`exports/us/${stack.companies.us!.companyId}/${jobId}.jsonl`]);
  });

  it("CSV: parsed by a real CSV parser, every record equals the query API's event", async () => {
    const key = stack.companies.us!.workspaceKey;
    const jobId = await startExport(stack, key, { source: "HOT", format: "CSV" });
    const done = await waitForExport(stack, key, jobId);
    expect(done.status).toBe("COMPLETED");
    const file = await fetchText(done.downloadUrl);
    const records = parse(file.text, { columns: true, bom: true, relax_column_count: false }) as Array<Record<string, string>>;
    const expected = await asOfExport(key, jobId, await queryAll(stack, key));
    expect(records.length).toBeGreaterThanOrEqual(N);
    expect(records).toEqual(expected.map(csvRecordOf));
    expect(file.text.startsWith("id,companyId,workspaceId,projectId,sequence,prevHash,hash,")).toBe(true);
    expect(file.text.includes("\r\n")).toBe(true);
  });

  it("filters select exactly the rows GET /v1/events returns for the same filters, and limit keeps the newest", async () => {
    const key = stack.companies.us!.companyKey;
    const all = await queryAll(stack, key, { workspaceId: stack.companies.us!.workspaceId });
    const from = all[Math.floor(N * 0.7)].occurredAt;
    const to = all[Math.floor(N * 0.2)].occurredAt;
    const filters = { action: "invoice.paid", actorId: "u_5", from, to };
    const expected = await queryAll(stack, key, filters);
    const jobId = await startExport(stack, key, { source: "HOT", format: "JSONL", filters });
    const done = await waitForExport(stack, key, jobId);
    const lines = (await fetchText(done.downloadUrl)).text.split("\n").filter(Boolean).map((l) => JSON.parse(l));
    expect(lines).toEqual(expected);

    const wsKey = stack.companies.us!.workspaceKey;
    const limited = await waitForExport(stack, wsKey, await startExport(stack, wsKey, { source: "HOT", format: "JSONL", filters: { category: "billing" }, limit: 25 }));
    const billing = await queryAll(stack, wsKey, { category: "billing" });
    const got = (await fetchText(limited.downloadUrl)).text.split("\n").filter(Boolean).map((l) => JSON.parse(l));
    expect(got).toEqual(billing.slice(0, 25));
  });

  it("streams the same bytes through GET /v1/exports/:jobId/download", async () => {
    const key = stack.companies.us!.companyKey;
    const jobId = await startExport(stack, key, { source: "HOT", format: "CSV", filters: { actorId: "u_1" } });
    const done = await waitForExport(stack, key, jobId);
    const res = await stack.api(key, "GET", `/v1/exports/${jobId}/download`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toContain(`${jobId}.csv`);
    expect(sha256(res.text)).toBe(done.sha256);
    expect(res.text).toBe((await fetchText(done.downloadUrl)).text);
  });
});

describe("export edge cases", () => {
  it("an empty result completes with 0 rows: a CSV with only its header, an empty JSONL", async () => {
    const key = stack.companies.us!.companyKey;
    const csv = await waitForExport(stack, key, await startExport(stack, key, { source: "HOT", format: "CSV", filters: { action: "never.happened" } }));
    expect(csv).toMatchObject({ status: "COMPLETED", rowCount: 0 });
    const text = (await fetchText(csv.downloadUrl)).text;
    expect(text).toBe("id,companyId,workspaceId,projectId,sequence,prevHash,hash,occurredAt,receivedAt,category,action,actorId,actorType,actorEmail,actorName,targetId,targetType,targetName,changes,metadata,ip,userAgent,traceId,requestId,idempotencyKey,v,personal,payload\r\n");
    const jsonl = await waitForExport(stack, key, await startExport(stack, key, { source: "HOT", format: "JSONL", filters: { action: "never.happened" } }));
    expect(jsonl).toMatchObject({ status: "COMPLETED", rowCount: 0, bytes: 0 });
    expect((await fetchText(jsonl.downloadUrl)).text).toBe("");
  });

  it("neutralises formula injection in CSV cells (= + - @ tab CR) and keeps the value readable", async () => {
    const co = await stack.seedCompany("us", "STARTER", "Injection Co");
    const payloads = ["=HYPERLINK(\"http://evil.test\",\"x\")", "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1", "safe"];
    await ingestMany(
      stack,
      co.workspaceKey,
      payloads.map((p, i) => ({ category: "inj", action: `a${i}`, actor: { id: p, name: p }, target: { id: "t", type: "doc", name: p }, metadata: { p } })),
    );
    const done = await waitForExport(stack, co.companyKey, await startExport(stack, co.companyKey, { source: "HOT", format: "CSV" }));
    const records = parse((await fetchText(done.downloadUrl)).text, { columns: true }) as Array<Record<string, string>>;
    expect(records).toHaveLength(payloads.length);
    const byAction = new Map(records.map((r) => [r.action, r]));
    payloads.forEach((p, i) => {
      const r = byAction.get(`a${i}`)!;
      const expected = p === "safe" ? p : `'${p}`;
      expect([r.actorId, r.actorName, r.targetName]).toEqual([expected, expected, expected]);
      // No cell of the file starts with a formula character.
      for (const cell of Object.values(r)) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    });
  });

  it("ARCHIVED before archival exists completes with 0 rows and says so", async () => {
    const co = await stack.seedCompany("us", "GROWTH", "Growth Co");
    await ingestMany(stack, co.workspaceKey, [{ category: "x", action: "x", actor: { id: "a" } }]);
    const done = await waitForExport(stack, co.companyKey, await startExport(stack, co.companyKey, { source: "ARCHIVED", format: "JSONL" }));
    expect(done).toMatchObject({ status: "COMPLETED", rowCount: 0, source: "ARCHIVED" });
    expect(done.message).toMatch(/no archives yet/);
    const both = await waitForExport(stack, co.workspaceKey, await startExport(stack, co.workspaceKey, { source: "HOT_AND_ARCHIVED", format: "JSONL" }));
    expect(both).toMatchObject({ status: "COMPLETED", rowCount: 1 });
    expect(both.message).toMatch(/no archives yet/);
  });

  it("refuses malformed requests with 400 naming each field", async () => {
    const key = stack.companies.us!.companyKey;
    const res = await stack.api(key, "POST", "/v1/exports", { source: "WARM", format: "XML", limit: 0, filters: { from: "yesterday", colour: "red" } });
    expectApiError(res, 400, "invalid_argument");
    expect(res.body.error.details.violations.map((v: { field: string }) => v.field).sort()).toEqual(["filters.colour", "filters.from", "format", "limit", "source"]);
    // Names of inherited properties are not formats or sources either.
    const inherited = await stack.api(key, "POST", "/v1/exports", { source: "constructor", format: "toString" });
    expectApiError(inherited, 400, "invalid_argument");
    expect(inherited.body.error.details.violations).toEqual([
      { field: "source", description: "must be HOT, ARCHIVED or HOT_AND_ARCHIVED" },
      { field: "format", description: "must be JSONL or CSV" },
    ]);
    const ws = await stack.api(stack.companies.us!.workspaceKey, "POST", "/v1/exports", { source: "HOT", format: "CSV", filters: { workspaceId: "01a201a0-10c2-7000-8000-000000000000" } });
    expectApiError(ws, 403, "forbidden");
  });
});

describe("plan limits, checked before any work", () => {
  it("FREE cannot export at all (403 naming the limit); no job is created", async () => {
    const co = await stack.seedCompany("us", "FREE", "Free Co");
    const res = await stack.api(co.companyKey, "POST", "/v1/exports", { source: "HOT", format: "CSV" });
    expectApiError(res, 403, "plan_limit");
    expect(res.body.error.details).toEqual({ plan: "FREE", limit: "exports", value: "false" });
    const jobs = await stack.regions.us!.orm.em.fork().execute(`select id from jobs where company_id = ?`, [co.companyId]);
    expect(jobs).toHaveLength(0);
  });

  it("more rows than the plan's limit is refused with the limit; a limit or narrower filter within it is accepted; BigInt-safe", async () => {
    const co = await stack.seedCompany("us", "STARTER", "Limited Co");
    await ingestMany(stack, co.workspaceKey, Array.from({ length: 30 }, (_, i) => ({ category: "c", action: i < 10 ? "ten" : "twenty", actor: { id: "a" } })));
    const em = stack.regions.us!.orm.em.fork();
    await em.execute(`update companies set plan_overrides = '{"exportRowLimit": 20}' where id = ?`, [co.companyId]);
    const over = await stack.api(co.companyKey, "POST", "/v1/exports", { source: "HOT", format: "JSONL" });
    expectApiError(over, 403, "plan_limit");
    expect(over.body.error.details).toEqual({ plan: "STARTER", limit: "exportRowLimit", value: "20" });
    expect(over.body.error.message).toMatch(/30 events.*at most 20/);
    expect(await em.execute(`select id from jobs where company_id = ?`, [co.companyId])).toHaveLength(0);

    const limited = await waitForExport(stack, co.companyKey, await startExport(stack, co.companyKey, { source: "HOT", format: "JSONL", limit: 20 }));
    expect(limited).toMatchObject({ status: "COMPLETED", rowCount: 20 });
    const narrow = await waitForExport(stack, co.companyKey, await startExport(stack, co.companyKey, { source: "HOT", format: "JSONL", filters: { action: "ten" } }));
    expect(narrow).toMatchObject({ status: "COMPLETED", rowCount: 10 });

    // A limit above 2^53 must not be rounded into a smaller one.
    await em.execute(`update companies set plan_overrides = '{"exportRowLimit": "9007199254740993"}' where id = ?`, [co.companyId]);
    await startExport(stack, co.companyKey, { source: "HOT", format: "JSONL" });
  });

  it("STARTER cannot export archived events (GROWTH and above)", async () => {
    const res = await stack.api(stack.companies.us!.companyKey, "POST", "/v1/exports", { source: "ARCHIVED", format: "JSONL" });
    expectApiError(res, 403, "plan_limit");
    expect(res.body.error.details.limit).toBe("archivedExports");
  });
});

describe("tenant isolation and the jobs API", () => {
  it("company A's keys get 404 for company B's export, job, download and cancel", async () => {
    const b = await stack.seedCompany("us", "STARTER", "Company B");
    await ingestMany(stack, b.workspaceKey, [{ category: "secret", action: "b.only", actor: { id: "b" } }]);
    const jobId = await startExport(stack, b.companyKey, { source: "HOT", format: "JSONL" });
    await waitForExport(stack, b.companyKey, jobId);
    const a = stack.companies.us!;
    for (const key of [a.companyKey, a.workspaceKey]) {
      expectApiError(await stack.api(key, "GET", `/v1/exports/${jobId}`), 404, "not_found");
      expectApiError(await stack.api(key, "GET", `/v1/exports/${jobId}/download`), 404, "not_found");
      expectApiError(await stack.api(key, "GET", `/v1/jobs/${jobId}`), 404, "not_found");
      expectApiError(await stack.api(key, "POST", `/v1/jobs/${jobId}/cancel`), 404, "not_found");
    }
    expectApiError(await stack.api(a.companyKey, "GET", `/v1/key/company/jobs/${jobId}`), 404, "not_found");
    expectApiError(await stack.api(a.companyKey, "GET", `/v1/jobs/not-a-uuid`), 404, "not_found");
    // B's own keys see it.
    expect((await stack.api(b.companyKey, "GET", `/v1/key/company/jobs/${jobId}`)).status).toBe(200);
    expect((await stack.api(b.workspaceKey, "GET", `/v1/jobs/${jobId}`)).status).toBe(404); // company-wide export: not the workspace key's
  });

  it("GET /v1/jobs/:jobId shows the job; cancel of a finished job is refused with 409", async () => {
    const key = stack.companies.us!.workspaceKey;
    const jobId = await startExport(stack, key, { source: "HOT", format: "JSONL", limit: 5 });
    await waitForExport(stack, key, jobId);
    const res = await stack.api(key, "GET", `/v1/jobs/${jobId}`);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({
      id: jobId,
      type: "export",
      status: "COMPLETED",
      companyId: stack.companies.us!.companyId,
      workspaceId: stack.companies.us!.workspaceId,
      attempts: 1,
      maxAttempts: 3,
      progress: { done: 5, total: 5 },
      error: null,
    });
    expect(res.body.result).toMatchObject({ rowCount: 5, format: "JSONL", source: "HOT" });
    expectApiError(await stack.api(key, "POST", `/v1/jobs/${jobId}/cancel`), 409, "failed_precondition");
  });

  it("records the completed export in the company's audit log and publishes EXPORT_COMPLETED once", async () => {
    const co = stack.companies.us!;
    const jobId = await startExport(stack, co.workspaceKey, { source: "HOT", format: "CSV", limit: 3 });
    const done = await waitForExport(stack, co.workspaceKey, jobId);
    let recorded: any[] = [];
    for (let i = 0; i < 50 && recorded.length === 0; i++) {
      recorded = (await queryAll(stack, co.workspaceKey, { action: "export.completed" })).filter((e) => e.target.id === jobId);
      if (!recorded.length) await new Promise((r) => setTimeout(r, 100));
    }
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ category: "export", workspaceId: co.workspaceId, target: { id: jobId, type: "export" } });
    expect(done.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});
