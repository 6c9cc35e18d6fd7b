import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { TestStack, expectApiError } from "@hyrelog/testing";

type SeededCompany = Awaited<ReturnType<TestStack["seedCompany"]>>;

let stack: TestStack;
let A: SeededCompany;
let B: SeededCompany;
const ids = { A: [] as string[], B: [] as string[] };

type Ev = { id: string; companyId: string; workspaceId: string | null };

/** Events with the same category, action, actor and target in both companies: only scope tells them apart. */
const event = (who: "A" | "B", i: number, projectId: string) => ({
  category: "document",
  action: "document.updated",
  actor: { id: "shared-actor", email: "same@example.test", type: "user" },
  target: { id: i === 0 ? "shared-doc" : `doc-${who}-${i}`, type: "document" },
  projectId,
  changes: [{ field: "title", old: null, new: `${who} title ${i}` }],
  metadata: { owner: who },
});

beforeAll(async () => {
  stack = await TestStack.start({ infra: inject("infra") });
  A = stack.companies.us!;
  B = await stack.seedCompany("us", "STARTER", "Company B");
  for (const [who, co] of [
    ["A", A],
    ["B", B],
  ] as const) {
    for (let i = 0; i < 3; i++) {
      const res = await stack.api(co.workspaceKey, "POST", "/v1/events", event(who, i, co.projectId));
      expect(res.status, res.text).toBe(201);
      ids[who].push(res.body.id);
    }
  }
});
afterAll(async () => stack?.stop());


/** Every event a key can list for a query, following cursors. */
async function listAll(key: string, query = ""): Promise<Ev[]> {
  const out: Ev[] = [];
  let cursor: string | null = null;
  do {
    const qs = new URLSearchParams(query);
    qs.set("limit", "2");
    if (cursor) qs.set("cursor", cursor);
    const res = await stack.api(key, "GET", `/v1/events?${qs}`);
    expect(res.status, res.text).toBe(200);
    out.push(...res.body.data);
    cursor = res.body.nextCursor;
  } while (cursor);
  return out;
}

describe("tenant isolation within a region", () => {
  it("each company's keys list exactly their own company's events", async () => {
    for (const [who, co] of [
      ["A", A],
      ["B", B],
    ] as const) {
      for (const key of [co.companyKey, co.workspaceKey]) {
        const events = await listAll(key);
        expect(events.map((e) => e.id).sort()).toEqual([...ids[who]].sort());
        for (const e of events) expect(e.companyId).toBe(co.companyId);
      }
    }
  });

  it("filters never reach into another company", async () => {
    // [filter, whether A has matching events of its own]
    const filters: Array<[string, boolean]> = [
      ["category=document", true],
      ["action=document.updated", true],
      ["actorId=shared-actor", true],
      ["actorEmail=same@example.test", true],
      ["targetType=document", true],
      ["targetId=shared-doc", true],
      ["targetId=doc-B-1", false],
      ["from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z", true],
    ];
    for (const [filter, hasOwn] of filters) {
      const events = await listAll(A.companyKey, filter);
      expect(
        events.filter((e) => e.companyId !== A.companyId || ids.B.includes(e.id)),
        filter,
      ).toEqual([]);
      if (hasOwn) expect(events.length, filter).toBeGreaterThan(0);
    }
    // B's target id is just a string A never used: nothing, not B's events.
    const res = await stack.api(A.companyKey, "GET", "/v1/events?targetId=doc-B-1");
    expect(res.status, res.text).toBe(200);
    expect(res.body.data).toEqual([]);
    // B's workspace or project is not A's: 404, as if it did not exist (tests/api/cross-tenant.test.ts walks every route).
    for (const filter of [`workspaceId=${B.workspaceId}`, `projectId=${B.projectId}`]) {
      expectApiError(await stack.api(A.companyKey, "GET", `/v1/events?${filter}`), 404, "not_found");
    }
    expectApiError(await stack.api(A.workspaceKey, "GET", `/v1/events?projectId=${B.projectId}`), 404, "not_found");
    for (const filter of ["actorId=shared-actor", "targetId=shared-doc"]) {
      const events = await listAll(A.workspaceKey, filter);
      expect(events.filter((e) => ids.B.includes(e.id)), filter).toEqual([]);
    }
  });

  it("GET /v1/events/:id of another company's event is 404", async () => {
    for (const key of [A.companyKey, A.workspaceKey]) {
      for (const id of ids.B) expectApiError(await stack.api(key, "GET", `/v1/events/${id}`), 404, "not_found");
    }
    for (const key of [B.companyKey, B.workspaceKey]) {
      expectApiError(await stack.api(key, "GET", `/v1/events/${ids.A[0]}`), 404, "not_found");
      expect((await stack.api(key, "GET", `/v1/events/${ids.B[0]}`)).status).toBe(200);
    }
  });

  it("a target's history holds only the caller's company's events", async () => {
    for (const key of [A.companyKey, A.workspaceKey]) {
      const onlyB = await stack.api(key, "GET", "/v1/targets/document/doc-B-1/events");
      expect(onlyB.status, onlyB.text).toBe(200);
      expect(onlyB.body.versions).toEqual([]);
      const shared = await stack.api(key, "GET", "/v1/targets/document/shared-doc/events");
      expect(shared.status).toBe(200);
      expect(shared.body.versions.map((v: { event: Ev }) => v.event.id)).toEqual([ids.A[0]]);
      expect(shared.body.versions[0].state).toEqual({ title: "A title 0" });
    }
    const byWorkspace = await stack.api(A.companyKey, "GET", `/v1/targets/document/doc-B-1/events?workspaceId=${B.workspaceId}`);
    expectApiError(byWorkspace, 404, "not_found");
  });

  it("a workspace key cannot read another workspace: 403", async () => {
    for (const path of [
      `/v1/events?workspaceId=${B.workspaceId}`,
      `/v1/events?workspaceId=${stack.companies.eu!.workspaceId}`,
      `/v1/targets/document/doc-B-1/events?workspaceId=${B.workspaceId}`,
    ]) {
      expectApiError(await stack.api(A.workspaceKey, "GET", path), 403, "forbidden");
    }
    // Its own workspace named explicitly is fine.
    const own = await stack.api(A.workspaceKey, "GET", `/v1/events?workspaceId=${A.workspaceId}`);
    expect(own.status).toBe(200);
    expect(own.body.data.map((e: Ev) => e.id).sort()).toEqual([...ids.A].sort());
  });

  it("a workspace key cannot write into another company's project", async () => {
    const res = await stack.api(A.workspaceKey, "POST", "/v1/events", event("A", 9, B.projectId));
    expectApiError(res, 400, "invalid_argument");
    expect(res.body.error.details.violations.map((v: { field: string }) => v.field)).toEqual(["projectId"]);
    const rows = await stack.regions.us!.orm.em
      .fork()
      .execute<Array<{ n: number }>>("select count(*)::int as n from audit_events where project_id = ?", [B.projectId]);
    expect(rows[0]!.n).toBe(3);
  });
});

describe("data residency", () => {
  it("an EU company's event is stored only in the EU database and read through the gateway", async () => {
    const eu = stack.companies.eu!;
    const created = await stack.api(eu.workspaceKey, "POST", "/v1/events", {
      category: "gdpr",
      action: "gdpr.export_requested",
      actor: { id: "eu-user", type: "user" },
      projectId: eu.projectId,
    });
    expect(created.status, created.text).toBe(201);
    const id = created.body.id as string;

    const count = async (region: "us" | "eu") => {
      const rows = await stack.regions[region]!.orm.em
        .fork()
        .execute<Array<{ n: number }>>("select count(*)::int as n from audit_events where id = ?", [id]);
      return rows[0]!.n;
    };
    expect(await count("eu")).toBe(1);
    expect(await count("us")).toBe(0);
    const usRows = await stack.regions.us!.orm.em
      .fork()
      .execute<Array<{ n: number }>>("select count(*)::int as n from audit_events where company_id = ?", [eu.companyId]);
    expect(usRows[0]!.n).toBe(0);

    const one = await stack.api(eu.companyKey, "GET", `/v1/events/${id}`);
    expect(one.status, one.text).toBe(200);
    expect(one.body).toMatchObject({ id, companyId: eu.companyId, workspaceId: eu.workspaceId, action: "gdpr.export_requested" });
    const list = await stack.api(eu.companyKey, "GET", "/v1/events");
    expect(list.body.data.map((e: Ev) => e.id)).toEqual([id]);

    // US keys do not see it.
    expectApiError(await stack.api(A.companyKey, "GET", `/v1/events/${id}`), 404, "not_found");
    const usList = await listAll(A.companyKey);
    expect(usList.map((e) => e.id)).not.toContain(id);
  });
});
