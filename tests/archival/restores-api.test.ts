/**
 * Restore requests with a company key (issue 14): REST (/v1/restore-requests) and the public RPC
 * (hyrelog.api.v1.RestoreService over gRPC and Connect) on a real stack. An archive is made cold
 * as `hyrelog job run --as-of` would (retention marking, archival, verification, cold marking at
 * later dates); the company asks, lists, reads and cancels, who asked is the key, another
 * company's key finds nothing, a workspace key is refused, and plans without restores say so.
 * Approval stays with HyreLog staff (the dashboard: tests/archival/restores.test.ts).
 */
import { randomUUID } from "node:crypto";
import { Code, ConnectError, createClient, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { api, BadRequestSchema, PlanLimitSchema, PlanTier } from "@hyrelog/proto";
import { HyreLog, HyreLogError } from "@hyrelog/sdk";
import { TestStack, type ApiResponse } from "@hyrelog/testing";
import { dash, until } from "../dashboard/helpers.ts";

type SeededCompany = Awaited<ReturnType<TestStack["seedCompany"]>>;
const STAFF = { role: "HYRELOG_ADMIN" as const, userId: "ops-1" };
const DAY = 86_400_000;
const start = Date.now();
const at = (ms: number) => new Date(start + ms).toISOString();

let stack: TestStack;
/** The company with a cold archive (ENTERPRISE), another company, and its company key's id. */
let a: SeededCompany;
let b: SeededCompany;
let aKeyId: string;
let archiveId: string;
const transports: Record<string, Transport> = {};

async function runJob(name: string, asOf: string) {
  const res = await dash(stack, STAFF, "POST", `/dashboard/admin/jobs/${name}/run`, { asOf });
  expect(res.status, res.text).toBe(200);
  expect(res.body.status, res.text).toBe("COMPLETED");
  return res.body.result as Record<string, number>;
}

beforeAll(async () => {
  stack = await TestStack.start({ infra: inject("infra"), regions: ["us"], plan: "ENTERPRISE" });
  a = stack.companies.us!;
  b = await stack.seedCompany("us", "ENTERPRISE", "Restores B");
  transports.grpc = createGrpcTransport({ baseUrl: stack.gatewayUrl });
  transports.connect = createConnectTransport({ baseUrl: stack.gatewayUrl, httpVersion: "1.1" });
  aKeyId = (await stack.api(a.companyKey, "GET", "/v1/keys/status")).body.key.id;

  const events = Array.from({ length: 5 }, (_, i) => ({ category: "doc", action: `doc.read.${i}`, actor: { id: "u1" } }));
  expect((await stack.api(a.workspaceKey, "POST", "/v1/events", { events })).status).toBe(201);
  await until("a checkpoint of 5 events", async () => (await stack.api(a.workspaceKey, "GET", "/v1/checkpoints/latest")).body?.treeSize >= 5);
  await runJob("retention-marking", at(181 * DAY));
  await runJob("archival", at(181 * DAY));
  await runJob("archive-verification", at(181 * DAY));
  expect((await runJob("cold-marking", at(272 * DAY))).marked).toBeGreaterThanOrEqual(1);
  const archive = (await stack.api(a.companyKey, "GET", `/v1/archives?workspaceId=${a.workspaceId}`)).body.data[0];
  expect(archive).toMatchObject({ storageClass: "GLACIER", rows: 5 });
  archiveId = archive.id;
}, 60_000);
afterAll(async () => stack?.stop());

const auth = (key: string) => ({ headers: { authorization: `Bearer ${key}` } });
const restores = (protocol: string) => createClient(api.RestoreService, transports[protocol]!);
const violated = (res: ApiResponse) => (res.body?.error?.details?.violations ?? []).map((v: { field: string }) => v.field);

async function rpcError(p: Promise<unknown>): Promise<ConnectError> {
  try {
    await p;
  } catch (err) {
    return ConnectError.from(err);
  }
  throw new Error("expected the call to fail");
}

/** What the company log says about a request once it holds `count` entries: each action and who did it, oldest first. */
async function logOf(requestId: string, count: number): Promise<string[]> {
  return until(`${count} log entries of ${requestId}`, async () => {
    const log = await stack.api(a.companyKey, "GET", "/v1/events?category=archive&limit=100");
    expect(log.status, log.text).toBe(200);
    const entries = log.body.data
      .filter((e: { target: { id: string } }) => e.target.id === requestId)
      .map((e: { action: string; actor: { id: string } }) => `${e.action} by ${e.actor.id}`)
      .reverse();
    return entries.length >= count && entries;
  });
}

describe("REST: /v1/restore-requests with a company key", () => {
  it("an ARCHIVED export of a cold archive is refused with its id: the key can now ask for it", async () => {
    const refused = await stack.api(a.companyKey, "POST", "/v1/exports", { source: "ARCHIVED", format: "JSONL", filters: { workspaceId: a.workspaceId } });
    expect(refused.status, refused.text).toBe(409);
    expect(refused.body.error).toMatchObject({ code: "restore_required", details: { archiveIds: [archiveId] } });
  });

  it("bad requests name the field to fix and create nothing; an unknown archive is a 404", async () => {
    const bad: Array<[unknown, string]> = [
      [{ archiveId, tier: "FAST" }, "tier"],
      [{ archiveId }, "tier"],
      [{ archiveId, tier: "STANDARD", days: 0 }, "days"],
      [{ archiveId, tier: "STANDARD", days: 31 }, "days"],
      [{ archiveId, tier: "STANDARD", days: "7" }, "days"],
      [{ archiveId: "nope", tier: "STANDARD" }, "archiveId"],
      [{ tier: "STANDARD" }, "archiveId"],
      [{ archiveId, tier: "STANDARD", reason: "x".repeat(1001) }, "reason"],
      [{ archiveId, tier: "STANDARD", reason: "a\u0000b" }, "reason"],
      [{ archiveId, tier: "STANDARD", requestedBy: "someone else" }, "requestedBy"],
    ];
    for (const [body, field] of bad) {
      const res = await stack.api(a.companyKey, "POST", "/v1/restore-requests", body);
      expect(res.status, `${JSON.stringify(body)}: ${res.text}`).toBe(400);
      expect(res.body.error.code).toBe("invalid_argument");
      expect(violated(res), JSON.stringify(body)).toEqual([field]);
    }
    const unknown = await stack.api(a.companyKey, "POST", "/v1/restore-requests", { archiveId: randomUUID(), tier: "STANDARD" });
    expect(unknown.status, unknown.text).toBe(404);
    expect(unknown.body.error.message).toMatch(/^archive [0-9a-f-]{36} not found$/);
    expect((await stack.api(a.companyKey, "GET", "/v1/restore-requests")).body).toEqual({ data: [], nextCursor: null, hasMore: false });
  });

  it("creates, lists, reads and cancels a request; the key that asked is recorded on it and in the company's log", async () => {
    const created = await stack.api(a.companyKey, "POST", "/v1/restore-requests", { archiveId, tier: "EXPEDITED", days: 3, reason: "auditor asked for Q1\nticket 4411" });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({
      companyId: a.companyId,
      archiveId,
      tier: "EXPEDITED",
      status: "PENDING",
      days: 3,
      reason: "auditor asked for Q1\nticket 4411",
      requestedBy: `key:${aKeyId}`,
      decidedBy: null,
    });
    expect(created.body.estimatedCostUsd).toBeGreaterThan(0);
    const id = created.body.id as string;

    // One open request per archive.
    const again = await stack.api(a.companyKey, "POST", "/v1/restore-requests", { archiveId, tier: "BULK" });
    expect(again.status, again.text).toBe(409);
    expect(again.body.error.code).toBe("already_exists");

    const listed = await stack.api(a.companyKey, "GET", "/v1/restore-requests?status=PENDING");
    expect(listed.status, listed.text).toBe(200);
    expect(listed.body).toEqual({ data: [created.body], nextCursor: null, hasMore: false });
    expect((await stack.api(a.companyKey, "GET", "/v1/restore-requests?status=COMPLETED")).body.data).toEqual([]);
    const badStatus = await stack.api(a.companyKey, "GET", "/v1/restore-requests?status=SOON");
    expect(badStatus.status).toBe(400);
    expect(violated(badStatus)).toEqual(["status"]);

    const got = await stack.api(a.companyKey, "GET", `/v1/restore-requests/${id}`);
    expect(got.status, got.text).toBe(200);
    expect(got.body).toMatchObject({ ...created.body, archive: { id: archiveId, storageClass: "GLACIER", rows: 5 } });
    // The dashboard reads the same request through the same handler.
    const inDashboard = await dash(stack, { role: "MEMBER", companyId: a.companyId }, "GET", `/dashboard/restore-requests/${id}`);
    expect(inDashboard.body).toEqual(got.body);

    const cancelled = await stack.api(a.companyKey, "DELETE", `/v1/restore-requests/${id}`);
    expect(cancelled.status, cancelled.text).toBe(200);
    expect(cancelled.body).toMatchObject({ id, status: "CANCELLED" });
    const twice = await stack.api(a.companyKey, "DELETE", `/v1/restore-requests/${id}`);
    expect(twice.status).toBe(409);
    expect(twice.body.error.message).toContain("only PENDING requests can be cancelled");
    expect(await logOf(id, 2)).toEqual([`restore.requested by key:${aKeyId}`, `restore.cancelled by key:${aKeyId}`]);
  });

  it("approval stays with HyreLog staff: an approved request can no longer be cancelled with the key", async () => {
    const created = await stack.api(a.companyKey, "POST", "/v1/restore-requests", { archiveId, tier: "BULK" });
    expect(created.status, created.text).toBe(201);
    const id = created.body.id as string;
    expect((await stack.api(a.companyKey, "POST", `/v1/restore-requests/${id}/approve`, {})).status).toBe(404);
    const approved = await dash(stack, STAFF, "POST", `/dashboard/admin/restore-requests/${id}/approve`, { comment: "cost accepted" });
    expect(approved.status, approved.text).toBe(200);
    const got = await stack.api(a.companyKey, "GET", `/v1/restore-requests/${id}`);
    expect(got.body).toMatchObject({ status: "APPROVED", decidedBy: "dashboard:ops-1", decisionComment: "cost accepted" });
    const refused = await stack.api(a.companyKey, "DELETE", `/v1/restore-requests/${id}`);
    expect(refused.status).toBe(409);
    expect((await stack.api(a.companyKey, "GET", `/v1/restore-requests/${id}`)).body.status).toBe("APPROVED");
    // Staff withdraw it, so the archive can be asked for again.
    expect((await dash(stack, STAFF, "POST", `/dashboard/admin/restore-requests/${id}/cancel`)).body.status).toBe("CANCELLED");
  });

  it("pages with the list cursor contract: every request once, newest first; a cursor is for its own filter", async () => {
    const all = (await stack.api(a.companyKey, "GET", "/v1/restore-requests?limit=100")).body.data.map((q: { id: string }) => q.id);
    expect(all.length).toBeGreaterThanOrEqual(2);
    expect([...all].sort().reverse()).toEqual(all);
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const res: ApiResponse = await stack.api(a.companyKey, "GET", `/v1/restore-requests?limit=1${cursor ? `&cursor=${cursor}` : ""}`);
      expect(res.status, res.text).toBe(200);
      expect(res.body.hasMore).toBe(res.body.nextCursor !== null);
      paged.push(...res.body.data.map((q: { id: string }) => q.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(paged).toEqual(all);
    const first = await stack.api(a.companyKey, "GET", "/v1/restore-requests?limit=1");
    const otherFilter = await stack.api(a.companyKey, "GET", `/v1/restore-requests?limit=1&status=CANCELLED&cursor=${first.body.nextCursor}`);
    expect(otherFilter.status, otherFilter.text).toBe(400);
    expect(violated(otherFilter)).toEqual(["cursor"]);
  });
});

describe("RPC: hyrelog.api.v1.RestoreService", () => {
  it.each(["grpc", "connect"])("over %s: creates, lists, reads and cancels, answering as REST does", async (protocol) => {
    const created = await restores(protocol).createRestoreRequest({ archiveId, tier: api.RestoreTier.STANDARD, reason: `over ${protocol}` }, auth(a.companyKey));
    const q = created.request!;
    expect(q).toMatchObject({ companyId: a.companyId, archiveId, tier: api.RestoreTier.STANDARD, status: api.RestoreStatus.PENDING, days: 7, requestedBy: `key:${aKeyId}` });

    const rest = await stack.api(a.companyKey, "GET", `/v1/restore-requests/${q.id}`);
    expect(rest.body).toMatchObject({ id: q.id, tier: "STANDARD", status: "PENDING", days: 7, reason: `over ${protocol}`, requestedBy: q.requestedBy, estimatedCostUsd: q.estimatedCostUsd });

    const listed = await restores(protocol).listRestoreRequests({ status: api.RestoreStatus.PENDING }, auth(a.companyKey));
    expect(listed.requests.map((r) => r.id)).toEqual([q.id]);
    expect(listed.nextCursor).toBe("");
    const page = await restores(protocol).listRestoreRequests({ limit: 1 }, auth(a.companyKey));
    expect(page.requests.map((r) => r.id)).toEqual([q.id]);
    const next = await restores(protocol).listRestoreRequests({ limit: 100, cursor: page.nextCursor }, auth(a.companyKey));
    const restList = (await stack.api(a.companyKey, "GET", "/v1/restore-requests?limit=100")).body.data.map((r: { id: string }) => r.id);
    expect([q.id, ...next.requests.map((r) => r.id)]).toEqual(restList);

    const got = await restores(protocol).getRestoreRequest({ requestId: q.id }, auth(a.companyKey));
    expect(got.request).toEqual(q);
    expect(got.archive).toMatchObject({ id: archiveId, storageClass: "GLACIER", rowCount: 5n });
    // Where the archive is stored stays inside (the internal message's object key).
    expect(got.archive!.$unknown).toBeUndefined();

    const cancelled = await restores(protocol).cancelRestoreRequest({ requestId: q.id }, auth(a.companyKey));
    expect(cancelled.request!.status).toBe(api.RestoreStatus.CANCELLED);
    expect((await rpcError(restores(protocol).cancelRestoreRequest({ requestId: q.id }, auth(a.companyKey)))).code).toBe(Code.FailedPrecondition);
    expect(await logOf(q.id, 2)).toEqual([`restore.requested by key:${aKeyId}`, `restore.cancelled by key:${aKeyId}`]);
  });

  it("refuses bad input with INVALID_ARGUMENT naming the field; an unknown archive is NOT_FOUND; nothing is created", async () => {
    const before = (await stack.api(a.companyKey, "GET", "/v1/restore-requests?limit=100")).body.data.length;
    const cases: Array<[Parameters<ReturnType<typeof restores>["createRestoreRequest"]>[0], string]> = [
      [{ archiveId }, "tier"],
      [{ archiveId, tier: 7 as api.RestoreTier }, "tier"],
      [{ archiveId, tier: api.RestoreTier.BULK, days: 31 }, "days"],
      [{ archiveId, tier: api.RestoreTier.BULK, days: -1 }, "days"],
      [{ archiveId: "nope", tier: api.RestoreTier.BULK }, "archiveId"],
      [{ archiveId, tier: api.RestoreTier.BULK, reason: "a\u0000b" }, "reason"],
    ];
    for (const [request, field] of cases) {
      const err = await rpcError(restores("grpc").createRestoreRequest(request, auth(a.companyKey)));
      expect(err.code, field).toBe(Code.InvalidArgument);
      expect(err.findDetails(BadRequestSchema)[0]?.violations.map((v) => v.field), field).toEqual([field]);
    }
    const unknown = await rpcError(restores("connect").createRestoreRequest({ archiveId: randomUUID(), tier: api.RestoreTier.BULK }, auth(a.companyKey)));
    expect(unknown.code).toBe(Code.NotFound);
    const badStatus = await rpcError(restores("grpc").listRestoreRequests({ status: 42 as api.RestoreStatus }, auth(a.companyKey)));
    expect(badStatus.code).toBe(Code.InvalidArgument);
    expect((await stack.api(a.companyKey, "GET", "/v1/restore-requests?limit=100")).body.data.length).toBe(before);
  });
});

describe("TypeScript SDK: log.restores", () => {
  it("creates, lists, gets and cancels; refusals are HyreLogErrors with the code", async () => {
    const log = new HyreLog({ baseUrl: stack.gatewayUrl, apiKey: a.companyKey, flushIntervalMs: 10 });
    try {
      const created = await log.restores.create(archiveId, { tier: "BULK", days: 2, reason: "from the SDK" });
      expect(created).toMatchObject({ archiveId, tier: api.RestoreTier.BULK, status: api.RestoreStatus.PENDING, days: 2, requestedBy: `key:${aKeyId}` });
      const pending = [];
      for await (const q of log.restores.list({ status: "PENDING", pageSize: 1 })) pending.push(q.id);
      expect(pending).toEqual([created.id]);
      const all = [];
      for await (const q of log.restores.list({ pageSize: 2 })) all.push(q.id);
      expect(all).toEqual((await stack.api(a.companyKey, "GET", "/v1/restore-requests?limit=100")).body.data.map((q: { id: string }) => q.id));
      expect((await log.restores.get(created.id)).archive?.id).toBe(archiveId);
      expect((await log.restores.cancel(created.id)).status).toBe(api.RestoreStatus.CANCELLED);
      const again = await log.restores.cancel(created.id).then(() => null, (err: unknown) => err);
      expect(again).toBeInstanceOf(HyreLogError);
      expect(again).toMatchObject({ code: Code.FailedPrecondition, attempts: 1 });
      await expect(log.restores.create(archiveId, { tier: "FAST" as "BULK" })).rejects.toThrow(TypeError);
      expect(() => log.restores.list({ status: "SOON" as "PENDING" })).toThrow(TypeError);
    } finally {
      await log.close();
    }
  });
});

describe("tenants and keys", () => {
  let pending: string;

  beforeAll(async () => {
    const created = await stack.api(a.companyKey, "POST", "/v1/restore-requests", { archiveId, tier: "BULK" });
    expect(created.status, created.text).toBe(201);
    pending = created.body.id;
  });

  /** An answer with ids blanked: another company's id must answer exactly as an id that does not exist. */
  const shape = (res: ApiResponse, id: string) => `${res.status} ${res.body?.error?.code} ${String(res.body?.error?.message).replaceAll(id, "<id>")}`;

  it("another company's key gets 404 for every id of this company, as for an id that does not exist; nothing changes", async () => {
    const missing = randomUUID();
    for (const method of ["GET", "DELETE"]) {
      const foreign = await stack.api(b.companyKey, method, `/v1/restore-requests/${pending}`);
      expect(foreign.status, `${method}: ${foreign.text}`).toBe(404);
      expect(shape(foreign, pending)).toBe(shape(await stack.api(b.companyKey, method, `/v1/restore-requests/${missing}`), missing));
    }
    const foreignArchive = await stack.api(b.companyKey, "POST", "/v1/restore-requests", { archiveId, tier: "BULK" });
    expect(foreignArchive.status, foreignArchive.text).toBe(404);
    expect(shape(foreignArchive, archiveId)).toBe(shape(await stack.api(b.companyKey, "POST", "/v1/restore-requests", { archiveId: missing, tier: "BULK" }), missing));
    expect((await stack.api(b.companyKey, "GET", "/v1/restore-requests")).body.data).toEqual([]);

    for (const protocol of ["grpc", "connect"]) {
      expect((await rpcError(restores(protocol).getRestoreRequest({ requestId: pending }, auth(b.companyKey)))).code).toBe(Code.NotFound);
      expect((await rpcError(restores(protocol).cancelRestoreRequest({ requestId: pending }, auth(b.companyKey)))).code).toBe(Code.NotFound);
      expect((await rpcError(restores(protocol).createRestoreRequest({ archiveId, tier: api.RestoreTier.BULK }, auth(b.companyKey)))).code).toBe(Code.NotFound);
      expect((await restores(protocol).listRestoreRequests({}, auth(b.companyKey))).requests).toEqual([]);
    }
    expect((await stack.api(a.companyKey, "GET", `/v1/restore-requests/${pending}`)).body.status).toBe("PENDING");
  });

  it("a workspace key is refused (403) on every route, REST and RPC, even for its own company's request", async () => {
    const calls: Array<[string, string, unknown?]> = [
      ["POST", "/v1/restore-requests", { archiveId, tier: "BULK" }],
      ["GET", "/v1/restore-requests"],
      ["GET", `/v1/restore-requests/${pending}`],
      ["DELETE", `/v1/restore-requests/${pending}`],
    ];
    for (const [method, path, body] of calls) {
      const res = await stack.api(a.workspaceKey, method, path, body);
      expect(res.status, `${method} ${path}: ${res.text}`).toBe(403);
      expect(res.body.error).toMatchObject({ code: "forbidden", message: "restore requests need a company key (hlk_co_...) or the dashboard" });
    }
    const rpc = restores("grpc");
    for (const call of [
      rpc.createRestoreRequest({ archiveId, tier: api.RestoreTier.BULK }, auth(a.workspaceKey)),
      rpc.listRestoreRequests({}, auth(a.workspaceKey)),
      rpc.getRestoreRequest({ requestId: pending }, auth(a.workspaceKey)),
      rpc.cancelRestoreRequest({ requestId: pending }, auth(a.workspaceKey)),
    ]) {
      expect((await rpcError(call)).code).toBe(Code.PermissionDenied);
    }
    expect((await stack.api(a.companyKey, "GET", `/v1/restore-requests/${pending}`)).body.status).toBe("PENDING");
  });
});

describe("plans", () => {
  it("FREE and STARTER are refused with the reason, whatever archive they name; GROWTH only for STANDARD and BULK", async () => {
    for (const tier of ["FREE", "STARTER"] as const) {
      const co = await stack.seedCompany("us", tier, `Restores ${tier}`);
      const res = await stack.api(co.companyKey, "POST", "/v1/restore-requests", { archiveId: randomUUID(), tier: "BULK" });
      expect(res.status, res.text).toBe(403);
      expect(res.body.error).toMatchObject({
        code: "plan_limit",
        message: `restores from cold storage are not available on the ${tier} plan; they need GROWTH or above`,
        details: { plan: tier, limit: "restoreTiers", value: "none" },
      });
      const err = await rpcError(restores("connect").createRestoreRequest({ archiveId: randomUUID(), tier: api.RestoreTier.BULK }, auth(co.companyKey)));
      expect(err.code).toBe(Code.PermissionDenied);
      expect(err.rawMessage).toContain(`not available on the ${tier} plan`);
      expect(err.findDetails(PlanLimitSchema)[0]).toMatchObject({ plan: PlanTier[tier], limit: "restoreTiers", value: "none" });
      // Nothing was asked for.
      expect((await stack.api(co.companyKey, "GET", "/v1/restore-requests")).body.data).toEqual([]);
    }

    // The company with the cold archive, moved to GROWTH: no EXPEDITED.
    const setPlan = async (tier: string) => expect((await dash(stack, STAFF, "POST", `/dashboard/admin/companies/${a.companyId}/plan`, { tier })).status).toBe(200);
    await setPlan("GROWTH");
    try {
      const expedited = await stack.api(a.companyKey, "POST", "/v1/restore-requests", { archiveId, tier: "EXPEDITED" });
      expect(expedited.status, expedited.text).toBe(403);
      expect(expedited.body.error).toMatchObject({ code: "plan_limit", message: "the GROWTH plan restores with STANDARD or BULK, not EXPEDITED", details: { plan: "GROWTH", value: "STANDARD,BULK" } });
    } finally {
      await setPlan("ENTERPRISE");
    }
  });
});
