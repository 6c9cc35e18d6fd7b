import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { TestStack, type ApiResponse } from "@hyrelog/testing";

/**
 * Query parameters are declared once per route and checked once by the gateway's dispatcher: a
 * parameter a route does not take is a 400 naming it (so `?acton=` never silently lists every
 * event), every parameter /openapi.json documents is taken, and the two lists are the same.
 */

const INTERNAL_TOKEN = "query-parameters-test-internal-token-0123";
const METHODS = ["get", "post", "put", "patch", "delete"];
const UNKNOWN = "is not a query parameter of ";

let stack: TestStack;
let doc: any;
let co: Awaited<ReturnType<TestStack["seedCompany"]>>;

beforeAll(async () => {
  // Every strict (key-management) route is asked once; keep its per-key limit out of the way.
  stack = await TestStack.start({ infra: inject("infra"), regions: ["us"], env: { INTERNAL_TOKEN, RATE_LIMIT_KEY_MANAGEMENT_PER_MINUTE: "1000" } });
  doc = (await stack.api(null, "GET", "/openapi.json")).body;
  co = await stack.seedCompany("us", "GROWTH", "Query parameters");
});
afterAll(async () => stack?.stop());

interface Operation {
  method: string;
  template: string;
  /** The documented query parameters, with a valid-looking value each. */
  query: Map<string, string>;
  op: any;
}

const deref = (p: any) => (typeof p?.$ref === "string" ? p.$ref.slice(2).split("/").reduce((n: any, k: string) => n[k], doc) : p);

/** A value of a parameter's schema: what a client following the document would send. */
function sample(schema: any): string {
  if (schema.enum) return String(schema.enum[0]);
  if (schema.type === "integer") return String(schema.minimum ?? 1);
  if (schema.format === "uuid") return randomUUID();
  if (schema.format === "date-time") return new Date(Date.now() - 86_400_000).toISOString();
  return "x";
}

function operations(): Operation[] {
  return Object.entries(doc.paths as Record<string, any>).flatMap(([template, item]) =>
    METHODS.filter((m) => m in item).map((m) => {
      const params = (item[m].parameters ?? []).map(deref).filter((p: any) => p.in === "query");
      return { method: m.toUpperCase(), template, op: item[m], query: new Map(params.map((p: any) => [p.name, sample(p.schema)])) };
    }),
  );
}

/** A request to an operation as its caller would send it: a key for /v1 routes, the token for internal ones. */
function call(o: Operation, query: URLSearchParams): Promise<ApiResponse> {
  const path = o.template.replace(/\{(\w+)\}/g, (_, name: string) => (name === "workspaceId" ? co.workspaceId : randomUUID())) + (query.size ? `?${query}` : "");
  const key = o.template.startsWith("/v1/") ? (o.method === "POST" && o.template.endsWith("/events") ? co.workspaceKey : co.companyKey) : null;
  const headers = o.template.startsWith("/internal/") ? { "x-internal-token": INTERNAL_TOKEN } : undefined;
  return stack.api(key, o.method, path, undefined, headers);
}

const unknownParameterViolations = (res: ApiResponse): Array<{ field: string; description: string }> =>
  res.status === 400 ? (res.body?.error?.details?.violations ?? []).filter((v: { description: string }) => v.description.startsWith(UNKNOWN)) : [];

describe("query parameters", () => {
  it("GET /v1/events?acton= is refused, naming the parameter and the ones the route takes", async () => {
    await stack.api(co.workspaceKey, "POST", "/v1/events", { category: "c", action: "a", actor: { id: "u" } });
    const res = await stack.api(co.companyKey, "GET", "/v1/events?acton=x&limit=5");
    expect(res.status, res.text).toBe(400);
    expect(res.body.error).toMatchObject({ code: "invalid_argument", message: "unknown query parameter: acton" });
    expect(res.body.error.details.violations).toEqual([
      {
        field: "acton",
        description:
          "is not a query parameter of GET /v1/events (category, action, projectId, workspaceId, actorId, actorEmail, targetId, targetType, from, to, limit, cursor)",
      },
    ]);
    const two = await stack.api(co.companyKey, "GET", "/v1/events?acton=x&Category=y&acton=z");
    expect(two.body.error.message).toBe("unknown query parameters: acton, Category");
    expect(two.body.error.details.violations.map((v: { field: string }) => v.field)).toEqual(["acton", "Category"]);
    const none = await stack.api(co.companyKey, "POST", "/v1/verify?dryRun=1", {});
    expect(none.body.error.details.violations).toEqual([{ field: "dryRun", description: "is not a query parameter of POST /v1/verify (it takes none)" }]);
    // The right spelling works.
    const ok = await stack.api(co.companyKey, "GET", "/v1/events?action=a&limit=5");
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body.data.length).toBeGreaterThan(0);
  });

  it("an unauthenticated caller gets 401 first; a refused call changes nothing", async () => {
    const anonymous = await stack.api(null, "GET", "/v1/events?acton=x");
    expect(anonymous.status).toBe(401);
    const keys = async () =>
      (await stack.regions.us!.orm.em.fork().execute<Array<{ n: number }>>(`select count(*)::int as n from api_keys where company_id = ?`, [co.companyId]))[0]!.n;
    const before = await keys();
    const refused = await stack.api(co.companyKey, "POST", `/v1/workspaces/${co.workspaceId}/keys?name=x`, { name: "never" });
    expect(refused.status, refused.text).toBe(400);
    expect(refused.body.error.details.violations[0].field).toBe("name");
    expect(await keys()).toBe(before);
  });

  it("every route refuses an unknown parameter, lists exactly its documented ones, and documents the 400", async () => {
    const ops = operations();
    expect(ops.length).toBeGreaterThan(30);
    for (const o of ops) {
      const label = `${o.method} ${o.template}`;
      const res = await call(o, new URLSearchParams({ ...Object.fromEntries(o.query), notAParameter: "1" }));
      expect(res.status, `${label}: ${res.text}`).toBe(400);
      const [violation, ...more] = unknownParameterViolations(res);
      expect(more, label).toEqual([]);
      expect(violation?.field, `${label}: ${res.text}`).toBe("notAParameter");
      const listed = /\((.*)\)$/.exec(violation!.description)![1]!;
      expect(listed === "it takes none" ? [] : listed.split(", "), `${label}: the router's parameters are the documented ones`).toEqual([...o.query.keys()]);
      expect(Object.keys(o.op.responses), `${label} documents the 400`).toContain("400");
    }
  });

  it("every route takes each documented parameter, alone and all together", async () => {
    const withQuery = operations().filter((o) => o.query.size > 0);
    expect(withQuery.length).toBeGreaterThanOrEqual(7);
    for (const o of withQuery) {
      const label = `${o.method} ${o.template}`;
      const cases = [...[...o.query].map(([name, value]) => new URLSearchParams({ [name]: value })), new URLSearchParams(Object.fromEntries(o.query))];
      for (const query of cases) {
        const res = await call(o, query);
        expect(unknownParameterViolations(res), `${label}?${query}: ${res.text}`).toEqual([]);
        expect(res.status, `${label}?${query}: ${res.text}`).toBeLessThan(500);
      }
    }
  });
});
