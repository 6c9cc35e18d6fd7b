/**
 * The list and read routes of issue 14: keys (the company's and a workspace's), exports and jobs
 * (with a status filter), one webhook. Every list pages with `limit`/`cursor` and answers
 * `{data, nextCursor, hasMore}` as GET /v1/events does; another company's objects are never seen
 * (404 for their ids); bad input is a 4xx in the one error shape.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { TestStack, expectApiError } from "@hyrelog/testing";

type SeededCompany = Awaited<ReturnType<TestStack["seedCompany"]>>;
import { waitForExport } from "../exports/helpers.ts";
import { dash } from "../dashboard/helpers.ts";

let stack: TestStack;
let a: SeededCompany;
let b: SeededCompany;
beforeAll(async () => {
  stack = await TestStack.start({ infra: inject("infra"), regions: ["us"], plan: "GROWTH", env: { RATE_LIMIT_KEY_MANAGEMENT_PER_MINUTE: "1000" } });
  a = await stack.seedCompany("us", "GROWTH", "Reads A");
  b = await stack.seedCompany("us", "GROWTH", "Reads B");
});
afterAll(async () => stack?.stop());

const sql = <T = Record<string, unknown>>(query: string, params: unknown[] = []) => stack.regions.us!.orm.em.fork().execute<T[]>(query, params);

/** Every page of a list, following nextCursor; checks the page shape on the way. */
async function allPages(key: string, path: string, limit: number): Promise<{ items: any[]; pages: number }> {
  const items: any[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const sep = path.includes("?") ? "&" : "?";
    const res = await stack.api(key, "GET", `${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    expect(res.status, res.text).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(["data", "hasMore", "nextCursor"]);
    expect(res.body.data.length).toBeLessThanOrEqual(limit);
    expect(res.body.hasMore).toBe(res.body.nextCursor !== null);
    items.push(...res.body.data);
    cursor = res.body.nextCursor;
    pages++;
  } while (cursor);
  return { items, pages };
}

/** A time-ordered (UUIDv7-shaped) id for a row written here, so it sorts as a job created now does. */
function uuidv7Like(): string {
  const hex = Date.now().toString(16).padStart(12, "0") + "7" + crypto.randomUUID().replace(/-/g, "").slice(13);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

const descending = (ids: string[]) => [...ids].sort().reverse();

describe("GET /v1/keys and GET /v1/workspaces/:id/keys", () => {
  let created: Array<{ id: string; secret: string }>;
  beforeAll(async () => {
    created = [];
    for (const name of ["one", "two", "three"]) {
      const res = await stack.api(a.companyKey, "POST", `/v1/workspaces/${a.workspaceId}/keys`, { name });
      expect(res.status, res.text).toBe(201);
      created.push({ id: res.body.key.id, secret: res.body.secret });
    }
  });

  it("pages through every key of the company, newest first, each once, never a secret or a hash", async () => {
    const { items, pages } = await allPages(a.companyKey, "/v1/keys", 2);
    const rows = await sql<{ id: string; key_hash: string }>("select id, key_hash from api_keys where company_id = ? order by id desc", [a.companyId]);
    expect(items.map((k) => k.id)).toEqual(rows.map((r) => r.id));
    expect(rows.length).toBe(5); // the seeded company and workspace keys, and three more
    expect(pages).toBe(3);
    expect(items.map((k) => k.id)).toEqual(descending(items.map((k) => k.id)));
    expect(new Set(items.map((k) => k.scope))).toEqual(new Set(["company", "workspace"]));
    for (const k of items) {
      expect(Object.keys(k).sort()).toEqual(
        ["companyId", "createdAt", "expiresAt", "id", "ipAllowlist", "lastUsedAt", "name", "prefix", "revokedAt", "rotatedFromId", "scope", "status", "workspaceId"].sort(),
      );
    }
    const text = JSON.stringify(items);
    for (const r of rows) expect(text).not.toContain(r.key_hash);
    for (const c of [...created.map((x) => x.secret), a.companyKey, a.workspaceKey]) expect(text).not.toContain(c.slice(17));
  });

  it("lists one workspace's keys, and a revoked key shows as revoked", async () => {
    const revoked = await stack.api(a.companyKey, "POST", `/v1/keys/${created[0]!.id}/revoke`, { reason: "test" });
    expect(revoked.status, revoked.text).toBe(200);
    const { items } = await allPages(a.companyKey, `/v1/workspaces/${a.workspaceId}/keys`, 100);
    expect(items.map((k) => k.id)).toEqual(descending([...created.map((c) => c.id), await keyIdOf(a.workspaceKey)]));
    expect(items.every((k) => k.scope === "workspace" && k.workspaceId === a.workspaceId)).toBe(true);
    expect(items.find((k) => k.id === created[0]!.id)).toMatchObject({ status: "revoked", name: "one" });
  });

  it("never shows another company's keys: B's list holds none of A's, A's workspace is 404 to B", async () => {
    const { items } = await allPages(b.companyKey, "/v1/keys", 100);
    expect(items.length).toBe(2);
    expect(items.every((k) => k.companyId === b.companyId)).toBe(true);
    expectApiError(await stack.api(b.companyKey, "GET", `/v1/workspaces/${a.workspaceId}/keys`), 404, "not_found");
    expectApiError(await stack.api(a.companyKey, "GET", "/v1/workspaces/not-a-workspace/keys"), 404, "not_found");
  });

  it("is for company keys: a workspace key gets 403", async () => {
    expectApiError(await stack.api(a.workspaceKey, "GET", "/v1/keys"), 403, "forbidden");
    expectApiError(await stack.api(a.workspaceKey, "GET", `/v1/workspaces/${a.workspaceId}/keys`), 403, "forbidden");
  });

  it("refuses a bad limit, a made-up cursor and a cursor of another list with 400", async () => {
    for (const limit of ["0", "101", "-1", "x", "1.5"]) {
      const res = await stack.api(a.companyKey, "GET", `/v1/keys?limit=${limit}`);
      expectApiError(res, 400, "invalid_argument");
      expect(res.body.error.details.violations[0].field).toBe("limit");
    }
    for (const cursor of ["nope", "eyJ2IjoxfQ", Buffer.from("null").toString("base64url")]) {
      const res = await stack.api(a.companyKey, "GET", `/v1/keys?cursor=${cursor}`);
      expectApiError(res, 400, "invalid_argument");
      expect(res.body.error.details.violations[0].field).toBe("cursor");
    }
    const first = await stack.api(a.companyKey, "GET", "/v1/keys?limit=1");
    const other = await stack.api(a.companyKey, "GET", `/v1/workspaces/${a.workspaceId}/keys?cursor=${first.body.nextCursor}`);
    expectApiError(other, 400, "invalid_argument");
    expect(other.body.error.message).toBe("cursor does not match the filters");
    // B cannot use A's cursor either: it was issued for A's company.
    expectApiError(await stack.api(b.companyKey, "GET", `/v1/keys?cursor=${first.body.nextCursor}`), 400, "invalid_argument");
  });
});

async function keyIdOf(key: string): Promise<string> {
  const res = await stack.api(key, "GET", "/v1/keys/status");
  expect(res.status, res.text).toBe(200);
  return res.body.key.id;
}

describe("GET /v1/exports and GET /v1/jobs", () => {
  let companyExports: string[];
  let workspaceExport: string;
  let failedJob: string;
  beforeAll(async () => {
    const ingest = await stack.api(a.workspaceKey, "POST", "/v1/events", { category: "user", action: "user.login", actor: { id: "u_1", type: "user" } });
    expect(ingest.status, ingest.text).toBe(201);
    companyExports = [];
    for (const format of ["JSONL", "CSV", "JSONL"]) {
      const res = await stack.api(a.companyKey, "POST", "/v1/exports", { source: "HOT", format });
      expect(res.status, res.text).toBe(202);
      companyExports.push(res.body.jobId);
    }
    const ws = await stack.api(a.workspaceKey, "POST", "/v1/exports", { source: "HOT", format: "CSV" });
    expect(ws.status, ws.text).toBe(202);
    workspaceExport = ws.body.jobId;
    for (const id of [...companyExports, workspaceExport]) expect((await waitForExport(stack, a.companyKey, id)).status).toBe("COMPLETED");
    // A job of another type that failed for good, as the job system leaves one.
    const [row] = await sql<{ id: string }>(
      `insert into jobs (id, type, company_id, workspace_id, status, params, attempts, max_attempts, timeout_ms, error, requested_by, finished_at)
       values (?, 'archival', ?, null, 'FAILED', '{}'::jsonb, 3, 3, 60000, 'bucket unreachable', '{"keyId":"system","scope":"COMPANY"}'::jsonb, now())
       returning id`,
      [uuidv7Like(), a.companyId],
    );
    failedJob = row!.id;
  });

  it("lists the company's exports newest first, in the form of GET /v1/exports/:jobId without the download URL", async () => {
    const { items, pages } = await allPages(a.companyKey, "/v1/exports", 3);
    expect(pages).toBe(2);
    expect(items.map((e) => e.jobId)).toEqual(descending([...companyExports, workspaceExport]));
    const one = await stack.api(a.companyKey, "GET", `/v1/exports/${companyExports[1]}`);
    const listed = items.find((e) => e.jobId === companyExports[1]);
    expect(listed).toEqual({ ...one.body, downloadUrl: null, expiresAt: null, fileExpiresAt: null });
    expect(listed).toMatchObject({ status: "COMPLETED", source: "HOT", format: "CSV" });
    expect(listed.rowCount).toBeGreaterThan(0);
    expect(listed.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("filters by status; a cursor only continues the same status", async () => {
    const completed = await allPages(a.companyKey, "/v1/exports?status=COMPLETED", 100);
    expect(completed.items).toHaveLength(4);
    const failed = await allPages(a.companyKey, "/v1/exports?status=FAILED", 100);
    expect(failed.items).toHaveLength(0); // the failed job is not an export
    const jobsFailed = await allPages(a.companyKey, "/v1/jobs?status=FAILED", 100);
    expect(jobsFailed.items.map((j) => j.id)).toEqual([failedJob]);
    expect(jobsFailed.items[0]).toMatchObject({ type: "archival", status: "FAILED", error: "bucket unreachable" });
    const first = await stack.api(a.companyKey, "GET", "/v1/jobs?status=COMPLETED&limit=1");
    expect(first.body.nextCursor).toBeTruthy();
    const mismatch = await stack.api(a.companyKey, "GET", `/v1/jobs?status=FAILED&cursor=${first.body.nextCursor}`);
    expectApiError(mismatch, 400, "invalid_argument");
    expect(mismatch.body.error.details.violations[0].field).toBe("cursor");
  });

  it("lists every job of the company, or of one type; a workspace key sees only its workspace's", async () => {
    const all = await allPages(a.companyKey, "/v1/jobs", 2);
    expect(all.items.map((j) => j.id)).toEqual(descending([...companyExports, workspaceExport, failedJob]));
    const exportsOnly = await allPages(a.companyKey, "/v1/jobs?type=export", 100);
    expect(exportsOnly.items.map((j) => j.id)).toEqual(descending([...companyExports, workspaceExport]));
    const single = await stack.api(a.companyKey, "GET", `/v1/jobs/${workspaceExport}`);
    expect(exportsOnly.items.find((j) => j.id === workspaceExport)).toEqual(single.body);

    const ws = await allPages(a.workspaceKey, "/v1/jobs", 100);
    expect(ws.items.map((j) => j.id)).toEqual([workspaceExport]);
    const wsExports = await allPages(a.workspaceKey, "/v1/exports", 100);
    expect(wsExports.items.map((e) => e.jobId)).toEqual([workspaceExport]);
  });

  it("never shows another company's jobs", async () => {
    expect((await allPages(b.companyKey, "/v1/jobs", 100)).items).toEqual([]);
    expect((await allPages(b.companyKey, "/v1/exports", 100)).items).toEqual([]);
    expect((await allPages(b.workspaceKey, "/v1/jobs", 100)).items).toEqual([]);
    expectApiError(await stack.api(b.companyKey, "GET", `/v1/jobs/${companyExports[0]}`), 404, "not_found");
    // A's cursor is no cursor for B.
    const first = await stack.api(a.companyKey, "GET", "/v1/jobs?limit=1");
    expectApiError(await stack.api(b.companyKey, "GET", `/v1/jobs?limit=1&cursor=${first.body.nextCursor}`), 400, "invalid_argument");
  });

  it("refuses a bad status, limit or cursor with 400 naming the parameter", async () => {
    for (const [path, field] of [
      ["/v1/jobs?status=DONE", "status"],
      ["/v1/jobs?status=pending", "status"],
      ["/v1/exports?status=", "status"],
      ["/v1/jobs?limit=0", "limit"],
      ["/v1/exports?limit=101", "limit"],
      ["/v1/jobs?cursor=abc", "cursor"],
      ["/v1/exports?cursor=abc", "cursor"],
      ["/v1/jobs?type=Not%20A%20Type", "type"],
      ["/v1/exports?type=export", "type"],
    ] as const) {
      const res = await stack.api(a.companyKey, "GET", path);
      expectApiError(res, 400, "invalid_argument");
      expect(JSON.stringify(res.body.error.details ?? res.body.error.message)).toContain(field);
    }
  });
});

describe("GET /v1/webhooks/:id", () => {
  it("returns one endpoint as it was created, without its secret; another company's id is 404", async () => {
    const created = await stack.api(a.companyKey, "POST", `/v1/workspaces/${a.workspaceId}/webhooks`, {
      url: "http://127.0.0.1:9/hook",
      events: ["AUDIT_EVENT_CREATED"],
      description: "read me",
    });
    expect(created.status, created.text).toBe(201);
    const id = created.body.webhook.id;
    const res = await stack.api(a.companyKey, "GET", `/v1/webhooks/${id}`);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ webhook: created.body.webhook });
    expect(res.text).not.toContain(created.body.secret);
    expect(res.text).not.toContain("secret\"");

    expectApiError(await stack.api(b.companyKey, "GET", `/v1/webhooks/${id}`), 404, "not_found");
    expectApiError(await stack.api(a.companyKey, "GET", "/v1/webhooks/not-a-uuid"), 404, "not_found");
    expectApiError(await stack.api(a.companyKey, "GET", `/v1/webhooks/${crypto.randomUUID()}`), 404, "not_found");
    expectApiError(await stack.api(a.workspaceKey, "GET", `/v1/webhooks/${id}`), 403, "forbidden");
  });
});

describe("GET /v1/gdpr/requests", () => {
  it("pages with the same cursor contract as every list: opaque, only for the list that issued it", async () => {
    const ids: string[] = [];
    for (const subject of ["reads-s1", "reads-s2", "reads-s3"]) {
      const res = await stack.api(a.companyKey, "POST", "/v1/gdpr/requests", { kind: "ERASURE", subject: { id: subject }, reason: "paging test" });
      expect(res.status, res.text).toBe(201);
      ids.push(res.body.id);
    }
    const { items, pages } = await allPages(a.companyKey, "/v1/gdpr/requests", 2);
    expect(items.map((r) => r.id)).toEqual(descending(ids));
    expect(pages).toBe(2);
    expect((await allPages(b.companyKey, "/v1/gdpr/requests", 100)).items).toEqual([]);

    const first = await stack.api(a.companyKey, "GET", "/v1/gdpr/requests?limit=1");
    const cursor = encodeURIComponent(first.body.nextCursor);
    expect(first.body.nextCursor).not.toBe(ids.at(-1));
    // A raw id, another status's list, another company: 400 naming the cursor.
    for (const [key, path] of [
      [a.companyKey, `/v1/gdpr/requests?cursor=${ids[0]}`],
      [a.companyKey, `/v1/gdpr/requests?status=CANCELLED&cursor=${cursor}`],
      [b.companyKey, `/v1/gdpr/requests?cursor=${cursor}`],
    ] as const) {
      const res = await stack.api(key, "GET", path);
      expect(res.status, path).toBe(400);
      expect(res.body.error.details.violations[0].field).toBe("cursor");
    }
  });

  it("the staff dashboard's list of every company (50 a page, regions merged) pages with the same contract", async () => {
    const STAFF = { role: "HYRELOG_ADMIN" as const, userId: "ops-reads" };
    const before = (await stack.api(a.companyKey, "GET", "/v1/gdpr/requests?limit=100")).body.data.length + (await stack.api(b.companyKey, "GET", "/v1/gdpr/requests?limit=100")).body.data.length;
    for (let i = 0; i < 52 - before; i++) {
      const res = await stack.api(i % 2 ? a.companyKey : b.companyKey, "POST", "/v1/gdpr/requests", { kind: "ERASURE", subject: { id: `staff-page-${i}` }, reason: "paging test" });
      expect(res.status, res.text).toBe(201);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await dash(stack, STAFF, "GET", `/dashboard/admin/gdpr-requests${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ""}`);
      expect(res.status, res.text).toBe(200);
      seen.push(...res.body.data.map((r: { id: string }) => r.id));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(2);
    expect(seen.length).toBeGreaterThanOrEqual(52);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(descending(seen));
    const raw = await dash(stack, STAFF, "GET", `/dashboard/admin/gdpr-requests?cursor=${seen[0]}`);
    expect(raw.status).toBe(400);
    expect(raw.body.error.details.violations[0].field).toBe("cursor");
  });
});
