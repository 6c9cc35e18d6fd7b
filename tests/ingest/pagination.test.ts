/**
 * Reading the log: cursor pagination (newest first, no repeats or skips, stable while new events
 * arrive), filters, cursor validation, and the resource timeline with its accumulated state.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { TestStack, expectApiError, type ApiResponse, type EventJson } from "@hyrelog/testing";

let stack: TestStack;

beforeAll(async () => {
  stack = await TestStack.start({
    infra: inject("infra"),
    regions: ["us"],
    env: { RATE_LIMIT_PER_KEY_PER_MINUTE: "100000", RATE_LIMIT_PER_IP_PER_MINUTE: "100000" },
  });
});
afterAll(async () => stack?.stop());

async function sql<T>(query: string, params: unknown[] = []): Promise<T[]> {
  return stack.regions.us!.orm.em.fork().execute<T[]>(query, params);
}

async function ingest(key: string, events: unknown[]): Promise<Array<{ id: string; sequence: number }>> {
  const res = await stack.api(key, "POST", "/v1/events", { events });
  expect(res.status, res.text).toBe(201);
  return res.body.results;
}

function list(key: string, query: Record<string, string | number | undefined>): Promise<ApiResponse> {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) qs.set(k, String(v));
  return stack.api(key, "GET", `/v1/events${qs.size ? `?${qs}` : ""}`);
}

/** Every page of a listing; checks the page bookkeeping (hasMore, nextCursor) on the way. */
async function allPages(key: string, query: Record<string, string | number | undefined>, between?: () => Promise<void>): Promise<EventJson[][]> {
  const pages: EventJson[][] = [];
  let cursor: string | undefined;
  for (;;) {
    const res = await list(key, { ...query, cursor });
    expect(res.status, res.text).toBe(200);
    pages.push(res.body.data);
    expect(res.body.hasMore).toBe(res.body.nextCursor !== null);
    if (!res.body.nextCursor) return pages;
    cursor = res.body.nextCursor;
    expect(pages.length).toBeLessThan(1000);
    await between?.();
  }
}

const violationField = (res: ApiResponse) => {
  expect(res.status, res.text).toBe(400);
  expect(res.body.error.code).toBe("invalid_argument");
  return res.body.error.details.violations.map((v: { field: string }) => v.field);
};

describe("cursor pagination", () => {
  let key: string;
  let ids: string[] = [];

  beforeAll(async () => {
    key = stack.companies.us!.workspaceKey;
    for (let b = 0; b < 5; b++) {
      const events = Array.from({ length: 46 }, (_, i) => ({ category: "page", action: "page.event", actor: { id: `a${b * 46 + i}` } }));
      ids.push(...(await ingest(key, events)).map((r) => r.id));
    }
    expect(ids).toHaveLength(230);
    ids = ids.reverse(); // newest first
  });

  it("serves 230 events as 5 pages of at most 50, newest first, with no repeats and no skips", async () => {
    const pages = await allPages(key, { limit: 50 });
    expect(pages.map((p) => p.length)).toEqual([50, 50, 50, 50, 30]);
    const seen = pages.flat();
    expect(seen.map((e) => e.id)).toEqual(ids);
    const sequences = seen.map((e) => e.sequence);
    expect(sequences).toEqual([...sequences].sort((a, b) => b - a));
    expect(sequences[0]).toBe(230);
    expect(sequences.at(-1)).toBe(1);
  });

  it("defaults to 50 per page and accepts limit up to 1000", async () => {
    const first = await list(key, {});
    expect(first.status).toBe(200);
    expect(first.body.data).toHaveLength(50);
    expect(first.body.hasMore).toBe(true);
    const all = await list(key, { limit: 1000 });
    expect(all.body.data).toHaveLength(230);
    expect(all.body.hasMore).toBe(false);
    expect(all.body.nextCursor).toBeNull();
    const exact = await list(key, { limit: 230 });
    expect(exact.body.data).toHaveLength(230);
    expect(exact.body.nextCursor).toBeNull();
  });

  it("returns every event that existed before page 1 exactly once while new events keep arriving", async () => {
    const before = new Set((await sql<{ id: string }>(`select id from audit_events where workspace_id = ?`, [stack.companies.us!.workspaceId])).map((r) => r.id));
    expect(before.size).toBe(230);
    let writing = true;
    let written = 0;
    const writer = (async () => {
      for (let i = 0; writing; i++) {
        const res = await stack.api(key, "POST", "/v1/events", i % 2 ? { category: "page", action: "late", actor: { id: "late" } } : { events: [{ category: "page", action: "late", actor: { id: "late" } }, { category: "page", action: "late", actor: { id: "late2" } }] });
        expect(res.status).toBe(201);
        written++;
      }
    })();
    let inserted = 0;
    const pages = await allPages(key, { limit: 37 }, async () => {
      // Some events certainly land between pages, on top of the background writer.
      await ingest(key, [{ category: "page", action: "between", actor: { id: "b" } }]);
      inserted++;
    });
    writing = false;
    await writer;
    expect(written).toBeGreaterThan(0);
    expect(inserted).toBeGreaterThan(4);

    const served = pages.flat().map((e) => e.id);
    expect(new Set(served).size).toBe(served.length);
    for (const id of before) expect(served.filter((x) => x === id), id).toHaveLength(1);
    // Still newest first across pages.
    expect(served).toEqual([...served].sort().reverse());
  });

  it("refuses limit over 1000, or not a whole number from 1", async () => {
    for (const limit of ["1001", "5000", "0", "-1", "ten", "1.5"]) {
      expect(violationField(await list(key, { limit })), limit).toEqual(["limit"]);
    }
  });

  it("refuses a garbage cursor", async () => {
    const forged = Buffer.from(JSON.stringify({ v: 1, after: "'; drop table audit_events; --", f: "x" })).toString("base64url");
    for (const cursor of ["garbage", "!!!", Buffer.from("{}").toString("base64url"), forged, "eyJ2IjoxfQ"]) {
      const res = await list(key, { cursor });
      expect(violationField(res), cursor).toEqual(["cursor"]);
    }
  });

  it("refuses a cursor issued for different filters, or to another tenant", async () => {
    const page = await list(key, { limit: 10, action: "page.event" });
    const cursor = page.body.nextCursor as string;
    expect(cursor).toBeTruthy();
    // The same filters accept it.
    const next = await list(key, { limit: 10, action: "page.event", cursor });
    expect(next.status).toBe(200);
    expect(next.body.data[0].id).toBe(ids[10]);
    // Other filters do not.
    expect(violationField(await list(key, { limit: 10, cursor }))).toEqual(["cursor"]);
    expect(violationField(await list(key, { limit: 10, action: "late", cursor }))).toEqual(["cursor"]);
    expect(violationField(await list(key, { limit: 10, action: "page.event", category: "page", cursor }))).toEqual(["cursor"]);
    // Nor does another company.
    const other = await stack.seedCompany("us");
    expect(violationField(await list(other.workspaceKey, { limit: 10, action: "page.event", cursor }))).toEqual(["cursor"]);
  });
});

describe("filters", () => {
  const base = Date.UTC(2026, 5, 1);
  type Spec = {
    i: number;
    category: string;
    action: string;
    actor: { id: string; email?: string };
    target?: { id: string; type: string };
    projectId?: string;
    occurredAt: string;
  };
  let key: string;
  let companyKey: string;
  let workspaceId: string;
  let p1: string;
  let p2: string;
  let specs: Spec[] = [];
  const idOf = new Map<number, string>();

  beforeAll(async () => {
    const co = await stack.seedCompany("us", "STARTER", "Filters Co");
    key = co.workspaceKey;
    companyKey = co.companyKey;
    workspaceId = co.workspaceId;
    p1 = co.projectId;
    p2 = randomUUID();
    await sql(`insert into projects (id, company_id, workspace_id, name) values (?, ?, ?, 'Second')`, [p2, co.companyId, co.workspaceId]);
    specs = Array.from({ length: 48 }, (_, i) => {
      const category = ["auth", "billing", "user"][i % 3]!;
      const s: Spec = {
        i,
        category,
        action: `${category}.${i % 2 ? "created" : "deleted"}`,
        actor: { id: `a${i % 4}`, ...(i % 5 ? { email: `e${i % 3}@acme.test` } : {}) },
        // Out of insertion order on purpose: occurredAt is not the paging order.
        occurredAt: new Date(base + ((i * 7) % 48) * 3_600_000).toISOString(),
      };
      if (i % 6) s.target = { id: `t${i % 5}`, type: i % 2 ? "user" : "invoice" };
      if (i % 3 === 0) s.projectId = p1;
      else if (i % 3 === 1) s.projectId = p2;
      return s;
    });
    const results = await ingest(key, specs.map(({ i: _i, ...e }) => e));
    results.forEach((r, i) => idOf.set(i, r.id));
  });

  async function expectFilter(query: Record<string, string>, match: (s: Spec) => boolean, viaKey = key) {
    const expected = specs.filter(match).map((s) => idOf.get(s.i)!).reverse();
    expect(expected.length, `filter ${JSON.stringify(query)} selects something`).toBeGreaterThan(0);
    expect(expected.length, `filter ${JSON.stringify(query)} leaves something out`).toBeLessThan(specs.length);
    // Paged small, so filters and cursors are exercised together.
    const got = (await allPages(viaKey, { ...query, limit: 4 })).flat();
    expect(got.map((e) => e.id), JSON.stringify(query)).toEqual(expected);
  }

  it("filters by category, action, actor and target", async () => {
    await expectFilter({ category: "billing" }, (s) => s.category === "billing");
    await expectFilter({ action: "user.created" }, (s) => s.action === "user.created");
    await expectFilter({ actorId: "a1" }, (s) => s.actor.id === "a1");
    await expectFilter({ actorEmail: "e2@acme.test" }, (s) => s.actor.email === "e2@acme.test");
    await expectFilter({ targetId: "t3" }, (s) => s.target?.id === "t3");
    await expectFilter({ targetType: "invoice" }, (s) => s.target?.type === "invoice");
    await expectFilter({ targetType: "user", targetId: "t1" }, (s) => s.target?.type === "user" && s.target.id === "t1");
    await expectFilter({ category: "auth", actorId: "a2" }, (s) => s.category === "auth" && s.actor.id === "a2");
  });

  it("filters by project", async () => {
    await expectFilter({ projectId: p1 }, (s) => s.projectId === p1);
    await expectFilter({ projectId: p2 }, (s) => s.projectId === p2);
    // A project that is not this workspace's is not found, like any id that does not exist.
    expectApiError(await list(key, { projectId: randomUUID() }), 404, "not_found");
    expect(violationField(await list(key, { projectId: "web-app" }))).toEqual(["projectId"]);
  });

  it("filters by occurredAt: from inclusive, to exclusive", async () => {
    const from = new Date(base + 10 * 3_600_000).toISOString();
    const to = new Date(base + 20 * 3_600_000).toISOString();
    const at = (s: Spec) => Date.parse(s.occurredAt);
    await expectFilter({ from }, (s) => at(s) >= Date.parse(from));
    await expectFilter({ to }, (s) => at(s) < Date.parse(to));
    await expectFilter({ from, to }, (s) => at(s) >= Date.parse(from) && at(s) < Date.parse(to));
    await expectFilter({ from, to, category: "user" }, (s) => at(s) >= Date.parse(from) && at(s) < Date.parse(to) && s.category === "user");
    // Offsets are honoured.
    await expectFilter({ from: "2026-06-01T12:00:00+02:00" }, (s) => at(s) >= Date.parse("2026-06-01T10:00:00Z"));
    expect(violationField(await list(key, { from: "last week" }))).toEqual(["from"]);
    expect(violationField(await list(key, { from: to, to: from }))).toEqual(["from"]);
  });

  it("applies the same filters to a company key, optionally narrowed to a workspace", async () => {
    await expectFilter({ category: "auth" }, (s) => s.category === "auth", companyKey);
    await expectFilter({ category: "auth", workspaceId }, (s) => s.category === "auth", companyKey);
    expectApiError(await list(companyKey, { workspaceId: randomUUID() }), 404, "not_found");
  });
});

describe("resource timeline", () => {
  let key: string;

  type Change = { field: string; old?: unknown; new?: unknown };
  const history: Change[][] = [
    [{ field: "role", new: "member" }, { field: "name", new: "Ann" }],
    [{ field: "role", old: "member", new: "admin" }],
    [{ field: "name", old: "Ann" }],
    [{ field: "email", new: "ann@acme.test" }, { field: "role", old: "admin", new: null }],
    [],
    [{ field: "prefs", new: { theme: "dark", shortcuts: [1, 2] } }],
    [{ field: "email", old: "ann@acme.test" }, { field: "name", new: "Ann B." }],
    [{ field: "prefs", old: { theme: "dark" }, new: { theme: "light" } }],
  ];
  const expectedStates: Array<Record<string, unknown>> = [];
  const u1Ids: string[] = [];

  beforeAll(async () => {
    const co = await stack.seedCompany("us", "STARTER", "Timeline Co");
    key = co.workspaceKey;
    const state: Record<string, unknown> = {};
    for (const [n, changes] of history.entries()) {
      for (const c of changes) {
        if ("new" in c) state[c.field] = c.new;
        else delete state[c.field];
      }
      expectedStates.push(structuredClone(state));
      // Noise between the resource's events: same id of another type, another user.
      const noise = [
        { category: "billing", action: "invoice.updated", actor: { id: "sys" }, target: { id: "u1", type: "invoice" }, changes: [{ field: "role", new: "noise" }] },
        { category: "user", action: "user.updated", actor: { id: "sys" }, target: { id: "u2", type: "user" }, changes: [{ field: "name", new: "Zed" }] },
      ];
      const mine = { category: "user", action: `user.step${n}`, actor: { id: "admin" }, target: { id: "u1", type: "user" }, changes };
      const results = await ingest(key, n % 2 ? [noise[0], mine, noise[1]] : [mine, noise[1]]);
      u1Ids.push(results[n % 2 ? 1 : 0]!.id);
    }
  });

  it("lists the resource's versions oldest first with the state after each event", async () => {
    const res = await stack.api(key, "GET", "/v1/targets/user/u1/events");
    expect(res.status, res.text).toBe(200);
    expect(res.body.target).toEqual({ type: "user", id: "u1" });
    expect(res.body.hasMore).toBe(false);
    const versions = res.body.versions as Array<{ version: number; state: Record<string, unknown>; event: EventJson }>;
    expect(versions.map((v) => v.version)).toEqual(history.map((_, i) => i + 1));
    expect(versions.map((v) => v.event.id)).toEqual(u1Ids);
    expect(versions.map((v) => v.state)).toEqual(expectedStates);
    // A change without `new` removes the field; `new: null` keeps it as null.
    expect(versions[2]!.state).not.toHaveProperty("name");
    expect(versions[3]!.state).toHaveProperty("role", null);
  });

  it("keeps versions and state continuous across pages", async () => {
    for (const limit of [1, 2, 3]) {
      const versions: Array<{ version: number; state: unknown; event: EventJson }> = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const path: string = `/v1/targets/user/u1/events?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
        const res = await stack.api(key, "GET", path);
        expect(res.status, res.text).toBe(200);
        expect(res.body.versions.length).toBeLessThanOrEqual(limit);
        versions.push(...res.body.versions);
        cursor = res.body.nextCursor;
        pages++;
      } while (cursor);
      expect(pages).toBe(Math.ceil(history.length / limit));
      expect(versions.map((v) => v.version), `limit ${limit}`).toEqual(history.map((_, i) => i + 1));
      expect(versions.map((v) => v.event.id)).toEqual(u1Ids);
      expect(versions.map((v) => v.state), `limit ${limit}`).toEqual(expectedStates);
    }
  });

  it("refuses a timeline cursor on another resource, and a listing cursor", async () => {
    const page = await stack.api(key, "GET", "/v1/targets/user/u1/events?limit=2");
    const cursor = encodeURIComponent(page.body.nextCursor);
    const other = await stack.api(key, "GET", `/v1/targets/user/u2/events?limit=2&cursor=${cursor}`);
    expect(violationField(other)).toEqual(["cursor"]);
    const listing = await stack.api(key, "GET", `/v1/events?limit=2&cursor=${cursor}`);
    expect(violationField(listing)).toEqual(["cursor"]);
  });
});
