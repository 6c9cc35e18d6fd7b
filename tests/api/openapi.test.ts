import { readdirSync, readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { TestStack, type ApiResponse } from "@hyrelog/testing";
import { dash, until } from "../dashboard/helpers.ts";

/**
 * The document at /openapi.json against the gateway that serves it: a valid OpenAPI 3.1 document,
 * one entry per route the gateway has, and real answers that match what it documents.
 */

const DOC_ID = "https://hyrelog.test/openapi.json";
const INTERNAL_TOKEN = "openapi-test-internal-token-0123456789";
/** When the filtered event of these tests happened: a day ago (occurredAt may not be in the future). */
const OCCURRED_AT = new Date(Date.now() - 86_400_000);
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
/** Top-level OpenAPI fields: keywords Ajv must skip when the whole document is added as a schema. */
const OPENAPI_FIELDS = ["openapi", "info", "jsonSchemaDialect", "servers", "security", "tags", "paths", "components", "webhooks", "externalDocs"];

let stack: TestStack;
let doc: any;
let ajv: InstanceType<typeof Ajv2020.default>;
/** "GET /v1/events 200" for every real answer checked against the document. */
const checked = new Set<string>();

beforeAll(async () => {
  stack = await TestStack.start({ infra: inject("infra"), regions: ["us"], env: { INTERNAL_TOKEN } });
  const res = await stack.api(null, "GET", "/openapi.json");
  expect(res.status).toBe(200);
  doc = res.body;
  ajv = new Ajv2020.default({ strict: true, allowUnionTypes: true, allErrors: true });
  addFormats.default(ajv);
  for (const keyword of OPENAPI_FIELDS) ajv.addKeyword(keyword);
  // The document itself is the schema resource: "#/components/schemas/X" resolves inside it.
  ajv.addSchema({ ...doc, $id: DOC_ID });
});
afterAll(async () => stack?.stop());

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

const escapePointer = (s: string) => s.replace(/~/g, "~0").replace(/\//g, "~1");
const pointerOf = (...segments: string[]) => "/" + segments.map(escapePointer).join("/");

function resolvePointer(pointer: string): unknown {
  if (!pointer.startsWith("#/")) throw new Error(`not a local $ref: ${pointer}`);
  let node: any = doc;
  for (const raw of pointer.slice(2).split("/")) {
    const part = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (node === null || typeof node !== "object" || !(part in node)) return undefined;
    node = node[part];
  }
  return node;
}

/** Follows a $ref (one level is all the document uses outside schemas); returns the object and its pointer. */
function deref(node: any, pointer: string): { node: any; pointer: string } {
  if (node && typeof node === "object" && typeof node.$ref === "string") {
    return { node: resolvePointer(node.$ref), pointer: node.$ref.slice(1) };
  }
  return { node, pointer };
}

function validatorAt(pointer: string) {
  const encoded = pointer
    .split("/")
    .map((p) => encodeURIComponent(p))
    .join("/");
  const validate = ajv.getSchema(`${DOC_ID}#${encoded}`);
  if (!validate) throw new Error(`no schema at ${pointer}`);
  return validate;
}

function walk(node: unknown, visit: (value: any, path: string[]) => void, path: string[] = []): void {
  if (node === null || typeof node !== "object") return;
  visit(node, path);
  for (const [k, v] of Object.entries(node)) walk(v, visit, [...path, k]);
}

const operations = (): Array<{ method: string; path: string; op: any }> =>
  Object.entries(doc.paths as Record<string, any>).flatMap(([path, item]) =>
    METHODS.filter((m) => m in item).map((method) => ({ method, path, op: item[method] })),
  );

/** Checks a real answer against the document: body schema and headers of the documented response. */
function expectDocumented(method: string, template: string, res: ApiResponse): void {
  const op = doc.paths[template]?.[method.toLowerCase()];
  expect(op, `${method} ${template} is not in the document`).toBeDefined();
  const status = String(res.status);
  const key = [status, `${status[0]}XX`, "default"].find((k) => k in op.responses);
  expect(key, `${method} ${template} answered ${status}, which is not documented`).toBeDefined();
  const { node: response, pointer } = deref(op.responses[key!], pointerOf("paths", template, method.toLowerCase(), "responses", key!));
  checkAgainst(response, pointer, res, `${method} ${template} ${status}`);
  checked.add(`${method.toUpperCase()} ${template} ${status}`);
}

function checkAgainst(response: any, pointer: string, res: ApiResponse, label: string): void {
  const mediaType = (res.headers.get("content-type") ?? "").split(";")[0]!.trim();
  expect(Object.keys(response.content ?? {}), `${label}: content type ${mediaType} is not documented`).toContain(mediaType);
  if (mediaType === "application/json") {
    const validate = validatorAt(`${pointer}/content/${escapePointer(mediaType)}/schema`);
    const ok = validate(res.body);
    expect(ok, `${label}: body does not match the documented schema:\n${JSON.stringify(validate.errors, null, 2)}\n${res.text.slice(0, 2000)}`).toBe(true);
  }
  for (const [name, h] of Object.entries(response.headers ?? {})) {
    const { node: headerObj, pointer: headerPointer } = deref(h, `${pointer}/headers/${escapePointer(name)}`);
    const value = res.headers.get(name);
    if (value === null) {
      expect(headerObj.required, `${label}: required header ${name} is missing`).not.toBe(true);
      continue;
    }
    const validate = validatorAt(`${headerPointer}/schema`);
    const typed = headerObj.schema.type === "integer" && /^-?\d+$/.test(value) ? Number(value) : value;
    expect(validate(typed), `${label}: header ${name}: ${value} does not match ${JSON.stringify(headerObj.schema)}`).toBe(true);
  }
}

/** Answers no route documents (unknown path, wrong method) still use the one error shape. */
function expectErrorShape(res: ApiResponse, label: string): void {
  checkAgainst(resolvePointer("#/components/responses/Error"), "/components/responses/Error", res, label);
}

// ---------------------------------------------------------------------------------------------
// 1. Structure
// ---------------------------------------------------------------------------------------------

describe("the OpenAPI document is structurally valid", () => {
  it("declares OpenAPI 3.1 with info, servers, security", async () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info.title).toBe("HyreLog API");
    const root = await stack.api(null, "GET", "/");
    expect(doc.info.version).toBe(root.body.version);
    expect(doc.info.description).toContain("hlk_co_");
    expect(doc.info.description).toContain("hlk_ws_");
    expect(doc.servers).toEqual([expect.objectContaining({ url: "/" })]);
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    expect(doc.components.securitySchemes.internalToken).toMatchObject({ type: "apiKey", in: "header", name: "x-internal-token" });
    expect(doc.security).toEqual([{ bearerAuth: [] }]);
  });

  it("resolves every $ref", () => {
    const refs: string[] = [];
    walk(doc, (node) => {
      if (typeof node.$ref === "string") refs.push(node.$ref);
    });
    expect(refs.length).toBeGreaterThan(50);
    const broken = refs.filter((r) => resolvePointer(r) === undefined);
    expect(broken).toEqual([]);
  });

  it("compiles every component schema as JSON Schema 2020-12", () => {
    const names = Object.keys(doc.components.schemas);
    expect(names).toEqual(expect.arrayContaining(["Event", "EventInput", "IngestResult", "ApiKey", "Error", "Violation"]));
    for (const name of names) {
      const schema = doc.components.schemas[name];
      expect(ajv.validateSchema(schema), `${name}: ${JSON.stringify(ajv.errors)}`).toBe(true);
      expect(typeof validatorAt(pointerOf("components", "schemas", name))).toBe("function");
    }
  });

  it("compiles every schema used by parameters, bodies, responses and headers", () => {
    const pointers: string[] = [];
    walk(doc.paths, (node, path) => {
      if (path.at(-1) !== "schema" && "schema" in node && typeof node.schema === "object") pointers.push(pointerOf("paths", ...path, "schema"));
    });
    walk(doc.components, (node, path) => {
      if (path[0] !== "schemas" && "schema" in node && typeof node.schema === "object") pointers.push(pointerOf("components", ...path, "schema"));
    });
    expect(pointers.length).toBeGreaterThan(30);
    for (const p of pointers) {
      expect(ajv.validateSchema(resolvePointer("#" + p) as object), p).toBe(true);
      expect(typeof validatorAt(p)).toBe("function");
    }
  });

  it("has well-formed operations", () => {
    const ids = new Set<string>();
    const tags = new Set((doc.tags as Array<{ name: string }>).map((t) => t.name));
    for (const { method, path, op } of operations()) {
      const label = `${method.toUpperCase()} ${path}`;
      expect(path.startsWith("/"), label).toBe(true);
      expect(op.operationId, label).toMatch(/^[A-Za-z]+$/);
      expect(ids.has(op.operationId), `${label}: duplicate operationId`).toBe(false);
      ids.add(op.operationId);
      for (const t of op.tags ?? []) expect(tags.has(t), `${label}: tag ${t}`).toBe(true);
      // Path parameters: exactly the template's, all required.
      const params = (op.parameters ?? []).map((p: any) => deref(p, "").node);
      const declared = params.filter((p: any) => p.in === "path").map((p: any) => p.name).sort();
      const inTemplate = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(declared, label).toEqual(inTemplate);
      for (const p of params) {
        expect(["path", "query", "header", "cookie"], label).toContain(p.in);
        if (p.in === "path") expect(p.required, `${label}: ${p.name}`).toBe(true);
      }
      // Responses: at least one success, each with a description.
      const statuses = Object.keys(op.responses);
      expect(statuses.some((s) => /^2/.test(s)), label).toBe(true);
      for (const s of statuses) {
        expect(s, label).toMatch(/^([1-5](\d\d|XX)|default)$/);
        expect(typeof deref(op.responses[s], "").node.description, `${label} ${s}`).toBe("string");
      }
      for (const req of op.security ?? doc.security) {
        for (const scheme of Object.keys(req)) expect(doc.components.securitySchemes, label).toHaveProperty(scheme);
      }
    }
  });

  it("puts the rate-limit, request-id and trace headers on every response", () => {
    const all = [
      ...operations().flatMap(({ method, path, op }) => Object.entries(op.responses).map(([s, r]) => [`${method} ${path} ${s}`, r] as const)),
      ...Object.entries(doc.components.responses).map(([n, r]) => [n, r] as const),
    ];
    for (const [label, r] of all) {
      const response = deref(r, "").node;
      expect(Object.keys(response.headers ?? {}), label).toEqual(
        expect.arrayContaining(["X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "X-Request-Id", "traceparent"]),
      );
    }
    expect(Object.keys(doc.components.responses.RateLimited.headers)).toContain("Retry-After");
  });
});

// ---------------------------------------------------------------------------------------------
// 2. Parity with the router
// ---------------------------------------------------------------------------------------------

/**
 * The routes the gateway registers, read from its source: the route tables (routes/*.ts) and
 * server.ts's own routes. The document is built from the same entries (openapi.ts); this keeps
 * anything from being registered another way, around the document.
 */
function gatewayRoutes(): string[] {
  const gateway = new URL("../../services/gateway/src/", import.meta.url);
  const routesDir = new URL("routes/", gateway);
  const server = readFileSync(new URL("server.ts", gateway), "utf8");
  const entriesOf = (source: string, label: string) => {
    const entries = [...source.matchAll(/\{\s*method:\s*"([A-Z]+)",\s*pattern:\s*"([^"]+)"/g)];
    expect(source.match(/\bmethod:\s*"[A-Z]+",/g)?.length ?? 0, `${label} has route entries this test does not read`).toBe(entries.length);
    return entries;
  };
  // Route entries live only in routes/*.ts: one route table per file, `export const x: RouteTable`.
  const tables: string[] = [];
  const table = readdirSync(routesDir)
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
    .flatMap((file) => {
      const routes = readFileSync(new URL(file, routesDir), "utf8");
      const entries = entriesOf(routes, file);
      const exported = [...routes.matchAll(/export const (\w+): RouteTable\b/g)].map((m) => m[1]!);
      if (entries.length) expect(exported, `${file} exports one route table ("export const x: RouteTable")`).toHaveLength(1);
      tables.push(...exported);
      return entries;
    });
  expect(readdirSync(gateway).filter((f) => /routes?\.ts$/.test(f)), "route entries outside routes/").toEqual([]);
  // server.ts registers exactly those tables and its own routes, each in one loop that also hands it to the document.
  const registered = server.match(/const ROUTE_TABLES: RouteTable\[\] = \[([^\]]*)\];/)?.[1]?.split(",").map((t) => t.trim()).filter(Boolean);
  expect(registered?.sort(), "server.ts registers every route table of routes/ in ROUTE_TABLES").toEqual(tables.sort());
  const adds = server.match(/router\.add\(/g)?.length ?? 0;
  const loops = server.match(/for \(const r of (apiRoutes|ownRoutes)\) \{?\s*router\.add\(r\.method, r\.pattern/g)?.length ?? 0;
  expect([adds, loops], "server.ts registers routes in a way this test does not read").toEqual([2, 2]);
  expect(table.length).toBeGreaterThan(0);
  // /dashboard/* is the private API of HyreLog's dashboard application (service token, README
  // "Dashboard API"), not part of the public document clients are generated from; tests/dashboard/ covers it.
  return [...table, ...entriesOf(server, "server.ts")]
    .filter(([, , pattern]) => !pattern!.startsWith("/dashboard/"))
    .map(([, method, pattern]) => `${method} ${pattern!.replace(/:([A-Za-z]+)/g, "{$1}")}`);
}

describe("the document covers exactly the routes the gateway serves", () => {
  it("matches the route table", () => {
    const documented = operations().map(({ method, path }) => `${method.toUpperCase()} ${path}`);
    expect(new Set(documented).size).toBe(documented.length);
    expect([...documented].sort()).toEqual([...new Set(gatewayRoutes())].sort());
  });

  it("matches the running router: each documented path answers 405 with exactly its documented methods", async () => {
    for (const [path, item] of Object.entries(doc.paths as Record<string, any>)) {
      const concrete = path.replace(/\{\w+\}/g, "x");
      const res = await stack.api(null, "PATCH", concrete);
      expect(res.status, `PATCH ${concrete}`).toBe(405);
      const allowed = res.headers.get("allow")!.split(/,\s*/).sort();
      expect(allowed, path).toEqual(
        METHODS.filter((m) => m in item)
          .map((m) => m.toUpperCase())
          .sort(),
      );
      expectErrorShape(res, `PATCH ${concrete}`);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// 3. Real answers match the document
// ---------------------------------------------------------------------------------------------

describe("real answers match the documented responses", () => {
  it("ingest: single and batch, created and duplicate", async () => {
    const co = stack.companies.us!;
    const event = {
      category: "user",
      action: "user.role_changed",
      actor: { id: "u_1", email: "jane@acme.test", name: "Jane", type: "user" },
      target: { id: "u_2", type: "user", name: "Bob" },
      projectId: co.projectId,
      changes: [
        { field: "role", old: "member", new: "admin" },
        { field: "nickname", old: null },
        { field: "tags", new: ["a", { b: 1 }] },
      ],
      metadata: { reason: "promotion", nested: { n: 1, list: [true, null] } },
      occurredAt: OCCURRED_AT.toISOString(),
    };
    const idem = { "idempotency-key": `single-${randomUUID()}` };
    const single = await stack.api(co.workspaceKey, "POST", "/v1/events", event, idem);
    expect(single.status).toBe(201);
    expect(single.body.status).toBe("created");
    expectDocumented("POST", "/v1/events", single);
    // The checks are not vacuous: a body that differs from the documented shape fails them.
    const validate = validatorAt("/paths/~1v1~1events/post/responses/201/content/application~1json/schema");
    expect(validate(single.body)).toBe(true);
    expect(validate({ ...single.body, extra: 1 })).toBe(false);
    expect(validate({ ...single.body, status: "stored" })).toBe(false);
    expect(validate({ ...single.body, sequence: "1" })).toBe(false);
    const again = await stack.api(co.workspaceKey, "POST", "/v1/events", event, idem);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: single.body.id, status: "duplicate" });
    expectDocumented("POST", "/v1/events", again);

    const minimal = await stack.api(co.workspaceKey, "POST", "/v1/key/workspace/events", { category: "doc", action: "doc.viewed", actor: { id: "u_1" } });
    expect(minimal.status).toBe(201);
    expectDocumented("POST", "/v1/key/workspace/events", minimal);

    const batchKey = { "idempotency-key": `batch-${randomUUID()}` };
    const batch = {
      events: [
        { category: "doc", action: "doc.created", actor: { id: "u_1" }, target: { type: "doc", id: "d_1" }, changes: [{ field: "title", new: "Plan" }] },
        { category: "doc", action: "doc.renamed", actor: { id: "u_1" }, target: { type: "doc", id: "d_1" }, changes: [{ field: "title", old: "Plan", new: "Plan B" }] },
      ],
    };
    for (const path of ["/v1/events", "/v1/key/workspace/events"]) {
      const created = await stack.api(co.workspaceKey, "POST", path, batch, { "idempotency-key": `${batchKey["idempotency-key"]}-${path}` });
      expect(created.status).toBe(201);
      expect(created.body.results.map((r: any) => r.status)).toEqual(["created", "created"]);
      expectDocumented("POST", path, created);
      const dup = await stack.api(co.workspaceKey, "POST", path, batch, { "idempotency-key": `${batchKey["idempotency-key"]}-${path}` });
      expect(dup.status).toBe(200);
      expectDocumented("POST", path, dup);
    }
  });

  it("ingest errors: 400, 401, 403, 413, 415", async () => {
    const co = stack.companies.us!;
    const invalid = await stack.api(co.workspaceKey, "POST", "/v1/events", { action: "x", actor: { email: "nope" }, colour: "red" });
    expect(invalid.status).toBe(400);
    // Every problem of the body at once: what is missing, what is unknown, what is malformed.
    expect(invalid.body.error.details.violations.map((v: { field: string }) => v.field).sort()).toEqual(["actor.email", "category", "colour"]);
    expectDocumented("POST", "/v1/events", invalid);

    const semantic = await stack.api(co.workspaceKey, "POST", "/v1/events", { events: [{ category: "c", action: "a", actor: { id: "u" }, occurredAt: "2999-01-01T00:00:00Z" }] });
    expect(semantic.status).toBe(400);
    expect(semantic.body.error.details.violations[0].field).toBe("events[0].occurredAt");
    expectDocumented("POST", "/v1/events", semantic);

    const malformedJson = await stack.api(co.workspaceKey, "POST", "/v1/events", "{not json");
    expect(malformedJson.status).toBe(400);
    expectDocumented("POST", "/v1/events", malformedJson);

    for (const key of [null, "hlk_ws_us_tooshort", `hlk_ws_us_${"A".repeat(43)}`]) {
      const res = await stack.api(key, "POST", "/v1/events", { category: "c", action: "a", actor: { id: "u" } });
      expect(res.status).toBe(401);
      expectDocumented("POST", "/v1/events", res);
    }

    const company = await stack.api(co.companyKey, "POST", "/v1/events", { category: "c", action: "a", actor: { id: "u" } });
    expect(company.status).toBe(403);
    expectDocumented("POST", "/v1/events", company);

    const tooLarge = await stack.api(co.workspaceKey, "POST", "/v1/key/workspace/events", { category: "c", action: "a", actor: { id: "u" }, metadata: { blob: "x".repeat(1024 * 1024) } });
    expect(tooLarge.status).toBe(413);
    expectDocumented("POST", "/v1/key/workspace/events", tooLarge);

    const text = await stack.api(co.workspaceKey, "POST", "/v1/events", "category=c", { "content-type": "text/plain" });
    expect(text.status).toBe(415);
    expectDocumented("POST", "/v1/events", text);
  });

  it("list, get and timeline", async () => {
    const co = stack.companies.us!;
    const first = await stack.api(co.workspaceKey, "GET", "/v1/events?limit=1");
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ hasMore: true, nextCursor: expect.any(String) });
    expectDocumented("GET", "/v1/events", first);
    const next = await stack.api(co.workspaceKey, "GET", `/v1/events?limit=1&cursor=${encodeURIComponent(first.body.nextCursor)}`);
    expect(next.status).toBe(200);
    expectDocumented("GET", "/v1/events", next);

    const q = new URLSearchParams({
      category: "user",
      action: "user.role_changed",
      projectId: co.projectId,
      workspaceId: co.workspaceId,
      actorId: "u_1",
      actorEmail: "jane@acme.test",
      targetId: "u_2",
      targetType: "user",
      from: new Date(OCCURRED_AT.getTime() - 3_600_000).toISOString(),
      to: new Date(OCCURRED_AT.getTime() + 3_600_000).toISOString(),
      limit: "1000",
    });
    const filtered = await stack.api(co.companyKey, "GET", `/v1/events?${q}`);
    expect(filtered.status).toBe(200);
    expect(filtered.body.data).toHaveLength(1);
    expect(filtered.body).toMatchObject({ hasMore: false, nextCursor: null });
    expectDocumented("GET", "/v1/events", filtered);

    const all = await stack.api(co.companyKey, "GET", "/v1/events?limit=1000");
    expect(all.status).toBe(200);
    expectDocumented("GET", "/v1/events", all);
    for (const e of all.body.data.slice(0, 3)) {
      const one = await stack.api(co.workspaceKey, "GET", `/v1/events/${e.id}`);
      expect(one.status).toBe(200);
      expectDocumented("GET", "/v1/events/{id}", one);
    }

    for (const path of [`/v1/events?limit=0`, `/v1/events?from=yesterday`, `/v1/events?cursor=bogus`, `/v1/events?projectId=nope`]) {
      const bad = await stack.api(co.companyKey, "GET", path);
      expect(bad.status, path).toBe(400);
      expectDocumented("GET", "/v1/events", bad);
    }
    const foreign = await stack.api(co.workspaceKey, "GET", `/v1/events?workspaceId=${randomUUID()}`);
    expect(foreign.status).toBe(403);
    expectDocumented("GET", "/v1/events", foreign);
    const anonymous = await stack.api(null, "GET", "/v1/events");
    expect(anonymous.status).toBe(401);
    expectDocumented("GET", "/v1/events", anonymous);

    for (const id of [randomUUID(), "not-a-uuid"]) {
      const missing = await stack.api(co.companyKey, "GET", `/v1/events/${id}`);
      expect(missing.status).toBe(404);
      expectDocumented("GET", "/v1/events/{id}", missing);
    }

    const timeline = await stack.api(co.companyKey, "GET", "/v1/targets/doc/d_1/events?limit=1");
    expect(timeline.status).toBe(200);
    expect(timeline.body.versions[0]).toMatchObject({ version: 1, state: { title: "Plan" } });
    expectDocumented("GET", "/v1/targets/{type}/{id}/events", timeline);
    const page2 = await stack.api(co.companyKey, "GET", `/v1/targets/doc/d_1/events?cursor=${encodeURIComponent(timeline.body.nextCursor)}`);
    expect(page2.status).toBe(200);
    expect(page2.body.versions[0]).toMatchObject({ version: 2, state: { title: "Plan B" } });
    expectDocumented("GET", "/v1/targets/{type}/{id}/events", page2);
    const badLimit = await stack.api(co.workspaceKey, "GET", "/v1/targets/doc/d_1/events?limit=5000");
    expect(badLimit.status).toBe(400);
    expectDocumented("GET", "/v1/targets/{type}/{id}/events", badLimit);
  });

  it("keys: status, create, rotate, revoke and their errors", async () => {
    const co = stack.companies.us!;
    for (const key of [co.workspaceKey, co.companyKey]) {
      const status = await stack.api(key, "GET", "/v1/keys/status");
      expect(status.status).toBe(200);
      expectDocumented("GET", "/v1/keys/status", status);
    }

    const createPath = "/v1/workspaces/{workspaceId}/keys";
    const created = await stack.api(co.companyKey, "POST", `/v1/workspaces/${co.workspaceId}/keys`, { name: "ci", ipAllowlist: ["127.0.0.1", "10.0.0.0/8"] });
    expect(created.status).toBe(201);
    expectDocumented("POST", createPath, created);
    const ownStatus = await stack.api(created.body.secret, "GET", "/v1/keys/status");
    expect(ownStatus.status).toBe(200);
    expectDocumented("GET", "/v1/keys/status", ownStatus);

    const forbidden = await stack.api(co.workspaceKey, "POST", `/v1/workspaces/${co.workspaceId}/keys`, { name: "x" });
    expect(forbidden.status).toBe(403);
    expectDocumented("POST", createPath, forbidden);
    const badBody = await stack.api(co.companyKey, "POST", `/v1/workspaces/${co.workspaceId}/keys`, { ipAllowlist: "127.0.0.1" });
    expect(badBody.status).toBe(400);
    expectDocumented("POST", createPath, badBody);

    const rotated = await stack.api(co.companyKey, "POST", `/v1/keys/${created.body.key.id}/rotate`, { gracePeriodSeconds: 60 });
    expect(rotated.status).toBe(201);
    expect(rotated.body.previous.status).toBe("rotating");
    expectDocumented("POST", "/v1/keys/{keyId}/rotate", rotated);
    const notActive = await stack.api(co.companyKey, "POST", `/v1/keys/${created.body.key.id}/rotate`);
    expect(notActive.status).toBe(409);
    expectDocumented("POST", "/v1/keys/{keyId}/rotate", notActive);

    const revoked = await stack.api(co.companyKey, "POST", `/v1/keys/${rotated.body.key.id}/revoke`, { reason: "test" });
    expect(revoked.status).toBe(200);
    expect(revoked.body.key.status).toBe("revoked");
    expectDocumented("POST", "/v1/keys/{keyId}/revoke", revoked);
    const missing = await stack.api(co.companyKey, "POST", `/v1/keys/${randomUUID()}/revoke`);
    expect(missing.status).toBe(404);
    expectDocumented("POST", "/v1/keys/{keyId}/revoke", missing);

    const companyKeys = await stack.api(co.companyKey, "GET", "/v1/keys?limit=2");
    expect(companyKeys.status, companyKeys.text).toBe(200);
    expectDocumented("GET", "/v1/keys", companyKeys);
    expectDocumented("GET", "/v1/keys", await stack.api(co.workspaceKey, "GET", "/v1/keys"));
    const workspaceKeys = await stack.api(co.companyKey, "GET", `/v1/workspaces/${co.workspaceId}/keys`);
    expect(workspaceKeys.status, workspaceKeys.text).toBe(200);
    expectDocumented("GET", createPath, workspaceKeys);
    expectDocumented("GET", createPath, await stack.api(co.companyKey, "GET", `/v1/workspaces/${randomUUID()}/keys`));
    expectDocumented("GET", createPath, await stack.api(co.companyKey, "GET", `/v1/workspaces/${co.workspaceId}/keys?cursor=x`));
  });

  it("service, document and internal endpoints", async () => {
    const root = await stack.api(null, "GET", "/");
    expect(root.status).toBe(200);
    expectDocumented("GET", "/", root);
    const self = await stack.api(null, "GET", "/openapi.json");
    expectDocumented("GET", "/openapi.json", self);

    const token = { "x-internal-token": INTERNAL_TOKEN };
    const health = await stack.api(null, "GET", "/internal/health", undefined, token);
    expect(health.status).toBe(200);
    expectDocumented("GET", "/internal/health", health);
    const metrics = await stack.api(null, "GET", "/internal/metrics", undefined, token);
    expect(metrics.status).toBe(200);
    expect(metrics.text).toContain("hyrelog_gateway_requests_total");
    expectDocumented("GET", "/internal/metrics", metrics);
    for (const path of ["/internal/health", "/internal/metrics"]) {
      const denied = await stack.api(null, "GET", path, undefined, { "x-internal-token": "wrong" });
      expect(denied.status).toBe(401);
      expectDocumented("GET", path, denied);
    }

    const unknown = await stack.api(null, "GET", "/v2/nothing");
    expect(unknown.status).toBe(404);
    expectErrorShape(unknown, "GET /v2/nothing");
  });

  it("key management rate limit: 429 with Retry-After", async () => {
    const co = stack.companies.us!;
    let res: ApiResponse | undefined;
    for (let i = 0; i < 25; i++) {
      res = await stack.api(co.companyKey, "POST", `/v1/keys/${randomUUID()}/revoke`, { reason: "probe" });
      if (res.status === 429) break;
      expect(res.status).toBe(404);
    }
    expect(res!.status).toBe(429);
    expect(res!.headers.get("retry-after")).toMatch(/^\d+$/);
    expectDocumented("POST", "/v1/keys/{keyId}/revoke", res!);
  });

  it("verification: checkpoints, keys, proofs, verify", async () => {
    const co = await stack.seedCompany("us", "STARTER", "OpenAPI verification");
    const batch = await stack.api(co.workspaceKey, "POST", "/v1/events", { events: Array.from({ length: 30 }, (_, i) => ({ category: "c", action: "a", actor: { id: `u${i}` } })) });
    expect(batch.status).toBe(201);
    let latest = await stack.api(co.workspaceKey, "GET", "/v1/checkpoints/latest");
    expectDocumented("GET", "/v1/checkpoints/latest", latest);
    for (let i = 0; i < 100 && !(latest.status === 200 && latest.body.treeSize === 30); i++) {
      await new Promise((r) => setTimeout(r, 100));
      latest = await stack.api(co.workspaceKey, "GET", "/v1/checkpoints/latest");
    }
    expect(latest.status, latest.text).toBe(200);
    expectDocumented("GET", "/v1/checkpoints/latest", latest);
    const answers: Array<[string, string, string, unknown]> = [
      ["GET", "/v1/checkpoints", "/v1/checkpoints?from=1", undefined],
      ["GET", "/v1/checkpoints/consistency", "/v1/checkpoints/consistency?from=10&to=30", undefined],
      ["GET", "/v1/checkpoints/consistency", "/v1/checkpoints/consistency?from=10", undefined],
      ["GET", "/v1/verification/keys", "/v1/verification/keys", undefined],
      ["GET", "/v1/events/{id}/proof", `/v1/events/${batch.body.results[3].id}/proof`, undefined],
      ["GET", "/v1/events/{id}/proof", `/v1/events/${batch.body.results[3].id}/proof?treeSize=2`, undefined],
      ["POST", "/v1/verify", "/v1/verify", {}],
      ["POST", "/v1/verify", "/v1/verify", { fromSequence: 0 }],
    ];
    for (const [method, template, path, body] of answers) {
      const res = await stack.api(co.workspaceKey, method, path, body);
      expect([200, 400], `${method} ${path}: ${res.text}`).toContain(res.status);
      expectDocumented(method, template, res);
    }
  });

  it("webhooks: create, list, disable, enable, rotate, deliveries, replay, delete", async () => {
    const co = await stack.seedCompany("us", "GROWTH", "OpenAPI webhooks");
    // A real receiver, so there is a delivered delivery to list and replay.
    const receiver = http.createServer((req, res) => req.resume().on("end", () => res.writeHead(204).end()));
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
      const createPath = "/v1/workspaces/{workspaceId}/webhooks";
      const created = await stack.api(co.companyKey, "POST", `/v1/workspaces/${co.workspaceId}/webhooks`, { url, events: ["AUDIT_EVENT_CREATED"], filters: { categories: ["doc"] } });
      expect(created.status, created.text).toBe(201);
      expectDocumented("POST", createPath, created);
      const invalid = await stack.api(co.companyKey, "POST", `/v1/workspaces/${co.workspaceId}/webhooks`, { url: "ftp://example.com", events: [] });
      expect(invalid.status).toBe(400);
      expectDocumented("POST", createPath, invalid);
      const other = await stack.seedCompany("us", "STARTER", "OpenAPI webhooks on STARTER");
      const starter = await stack.api(other.companyKey, "POST", `/v1/workspaces/${other.workspaceId}/webhooks`, { url, events: ["AUDIT_EVENT_CREATED"] });
      expect(starter.status).toBe(403);
      expectDocumented("POST", createPath, starter);
      const listed = await stack.api(co.companyKey, "GET", `/v1/workspaces/${co.workspaceId}/webhooks`);
      expect(listed.status).toBe(200);
      expectDocumented("GET", createPath, listed);

      const id = created.body.webhook.id as string;
      const one = await stack.api(co.companyKey, "GET", `/v1/webhooks/${id}`);
      expect(one.status, one.text).toBe(200);
      expectDocumented("GET", "/v1/webhooks/{id}", one);
      const event = await stack.api(co.workspaceKey, "POST", "/v1/events", { category: "doc", action: "doc.edited", actor: { id: "u1" } });
      expect(event.status).toBe(201);
      let deliveries = await stack.api(co.companyKey, "GET", `/v1/webhooks/${id}/deliveries`);
      for (let i = 0; i < 100 && deliveries.body?.data?.[0]?.status !== "delivered"; i++) {
        await new Promise((r) => setTimeout(r, 100));
        deliveries = await stack.api(co.companyKey, "GET", `/v1/webhooks/${id}/deliveries`);
      }
      expect(deliveries.body.data[0].status, deliveries.text).toBe("delivered");
      expectDocumented("GET", "/v1/webhooks/{id}/deliveries", deliveries);
      const badStatus = await stack.api(co.companyKey, "GET", `/v1/webhooks/${id}/deliveries?status=lost`);
      expect(badStatus.status).toBe(400);
      expectDocumented("GET", "/v1/webhooks/{id}/deliveries", badStatus);
      const replayed = await stack.api(co.companyKey, "POST", `/v1/webhooks/${id}/deliveries/${deliveries.body.data[0].id}/replay`);
      expect(replayed.status, replayed.text).toBe(202);
      expectDocumented("POST", "/v1/webhooks/{id}/deliveries/{deliveryId}/replay", replayed);

      const answers: Array<[string, string, string, number]> = [
        ["POST", "/v1/webhooks/{id}/rotate-secret", `/v1/webhooks/${id}/rotate-secret`, 200],
        ["POST", "/v1/webhooks/{id}/disable", `/v1/webhooks/${id}/disable`, 200],
        ["POST", "/v1/webhooks/{id}/enable", `/v1/webhooks/${id}/enable`, 200],
        ["DELETE", "/v1/webhooks/{id}", `/v1/webhooks/${id}`, 200],
        ["DELETE", "/v1/webhooks/{id}", `/v1/webhooks/${id}`, 404],
      ];
      for (const [method, template, path, status] of answers) {
        const res = await stack.api(co.companyKey, method, path);
        expect(res.status, `${method} ${path}: ${res.text}`).toBe(status);
        expectDocumented(method, template, res);
      }
    } finally {
      receiver.closeAllConnections();
      receiver.close();
    }
  });

  it("exports and jobs: create, get, download, job, company job, cancel, and their errors", async () => {
    const co = await stack.seedCompany("us", "STARTER", "OpenAPI exports");
    const ingested = await stack.api(co.workspaceKey, "POST", "/v1/events", { category: "doc", action: "doc.viewed", actor: { id: "u1" } });
    expect(ingested.status, ingested.text).toBe(201);
    const created = await stack.api(co.companyKey, "POST", "/v1/exports", { source: "HOT", format: "CSV", filters: { action: "doc.viewed" } });
    expectDocumented("POST", "/v1/exports", created);
    expectDocumented("POST", "/v1/exports", await stack.api(co.companyKey, "POST", "/v1/exports", { source: "HOT", format: "XLS" }));
    const free = await stack.seedCompany("us", "FREE", "OpenAPI exports on FREE");
    expectDocumented("POST", "/v1/exports", await stack.api(free.companyKey, "POST", "/v1/exports", { source: "HOT", format: "CSV" }));
    const jobId = created.body.jobId as string;
    let exp = await stack.api(co.companyKey, "GET", `/v1/exports/${jobId}`);
    for (let i = 0; i < 100 && exp.body.status !== "COMPLETED"; i++) {
      await new Promise((r) => setTimeout(r, 100));
      exp = await stack.api(co.companyKey, "GET", `/v1/exports/${jobId}`);
    }
    expect(exp.body.status, exp.text).toBe("COMPLETED");
    expectDocumented("GET", "/v1/exports/{jobId}", exp);
    expectDocumented("GET", "/v1/exports/{jobId}", await stack.api(co.companyKey, "GET", `/v1/exports/${randomUUID()}`));
    expectDocumented("GET", "/v1/exports/{jobId}/download", await stack.api(co.companyKey, "GET", `/v1/exports/${jobId}/download`));
    expectDocumented("GET", "/v1/jobs/{jobId}", await stack.api(co.companyKey, "GET", `/v1/jobs/${jobId}`));
    const exportList = await stack.api(co.companyKey, "GET", "/v1/exports?status=COMPLETED");
    expect(exportList.body.data.length, exportList.text).toBe(1);
    expectDocumented("GET", "/v1/exports", exportList);
    expectDocumented("GET", "/v1/exports", await stack.api(co.companyKey, "GET", "/v1/exports?status=DONE"));
    const jobList = await stack.api(co.workspaceKey, "GET", "/v1/jobs?type=export&limit=1");
    expect(jobList.status, jobList.text).toBe(200);
    expectDocumented("GET", "/v1/jobs", jobList);
    expectDocumented("GET", "/v1/jobs", await stack.api(co.companyKey, "GET", "/v1/jobs?limit=1000"));
    // No archives yet in this fresh company: an empty page (tests/archival has full ones).
    expectDocumented("GET", "/v1/archives", await stack.api(co.companyKey, "GET", "/v1/archives"));
    expectDocumented("GET", "/v1/archives/{id}", await stack.api(co.companyKey, "GET", `/v1/archives/${randomUUID()}`));
    expectDocumented("GET", "/v1/key/company/jobs/{jobId}", await stack.api(co.companyKey, "GET", `/v1/key/company/jobs/${jobId}`));
    expectDocumented("GET", "/v1/key/company/jobs/{jobId}", await stack.api(co.workspaceKey, "GET", `/v1/key/company/jobs/${jobId}`));
    expectDocumented("POST", "/v1/jobs/{jobId}/cancel", await stack.api(co.companyKey, "POST", `/v1/jobs/${jobId}/cancel`));
    // A PENDING job no worker has been handed (a row without its queue message), so the cancel cannot race a worker.
    const pendingId = randomUUID();
    await stack.regions.us!.orm.em.fork().execute(
      `insert into jobs (id, type, company_id, params, max_attempts, timeout_ms, requested_by) values (?, 'export', ?, '{}', 3, 60000, ?::jsonb)`,
      [pendingId, co.companyId, JSON.stringify({ keyId: randomUUID(), scope: "COMPANY" })],
    );
    const cancelled = await stack.api(co.companyKey, "POST", `/v1/jobs/${pendingId}/cancel`);
    expect(cancelled.body.status, cancelled.text).toBe("CANCELLED");
    expectDocumented("POST", "/v1/jobs/{jobId}/cancel", cancelled);
  });

  it("GDPR: requests, decisions, erased events in answers, the company export, and their errors", async () => {
    const co = await stack.seedCompany("us", "STARTER", "OpenAPI GDPR");
    const person = { role: "ADMIN" as const, companyId: co.companyId, userId: "dpo-openapi" };
    const subject = { id: "u_gdpr", type: "user", email: "erin.erased@example.com", name: "Erin Erased" };
    const ingested = await stack.api(co.workspaceKey, "POST", "/v1/events", {
      category: "user",
      action: "user.updated",
      actor: subject,
      metadata: { phone: "+44 20 7946 0000", plan: "pro" },
      personalFields: ["/metadata/phone"],
    });
    expect(ingested.status, ingested.text).toBe(201);
    expectDocumented("POST", "/v1/events", ingested);
    const poll = async (id: string, status: string) => {
      let res = await stack.api(co.companyKey, "GET", `/v1/gdpr/requests/${id}`);
      for (let i = 0; i < 200 && res.body?.status !== status; i++) {
        await new Promise((r) => setTimeout(r, 100));
        res = await stack.api(co.companyKey, "GET", `/v1/gdpr/requests/${id}`);
      }
      expect(res.body.status, res.text).toBe(status);
      return res;
    };

    // Subject access: created with the company key, runs at once; its file comes with the request.
    const access = await stack.api(co.companyKey, "POST", "/v1/gdpr/requests", { kind: "ACCESS", subject: { email: subject.email } });
    expect(access.status, access.text).toBe(201);
    expectDocumented("POST", "/v1/gdpr/requests", access);
    const accessDone = await poll(access.body.id, "COMPLETED");
    expect(accessDone.body.download.url).toMatch(/^http/);
    expect(accessDone.body.job.requestedByKeyId).toBe(access.body.requestedBy.replace(/^key:/, ""));
    expectDocumented("GET", "/v1/gdpr/requests/{id}", accessDone);

    // An erasure asked for in the dashboard, approved with the company key (another person), then carried out.
    const erasure = await dash(stack, person, "POST", "/dashboard/gdpr-requests", { kind: "ERASURE", subject: { id: subject.id }, reason: "Art. 17 request" });
    expect(erasure.status, erasure.text).toBe(201);
    const pending = await stack.api(co.companyKey, "GET", `/v1/gdpr/requests/${erasure.body.id}`);
    expect(pending.body.status).toBe("PENDING_APPROVAL");
    expectDocumented("GET", "/v1/gdpr/requests/{id}", pending);
    const approved = await stack.api(co.companyKey, "POST", `/v1/gdpr/requests/${erasure.body.id}/approve`, { comment: "identity checked" });
    expect(approved.status, approved.text).toBe(200);
    expectDocumented("POST", "/v1/gdpr/requests/{id}/approve", approved);
    // STARTER's erasures also need a HyreLog admin's approval (gdprHyrelogApproval).
    expect(approved.body).toMatchObject({ status: "PENDING_APPROVAL", approvalsNeeded: { customer: true, hyrelogAdmin: true } });
    const staff = await dash(stack, { role: "HYRELOG_ADMIN" }, "POST", `/dashboard/admin/gdpr-requests/${erasure.body.id}/approve`, {});
    expect(staff.status, staff.text).toBe(200);
    const erased = await poll(erasure.body.id, "COMPLETED");
    expectDocumented("GET", "/v1/gdpr/requests/{id}", erased);
    // Events answer with `v` and `personal`, the erased entries too.
    const events = await stack.api(co.companyKey, "GET", "/v1/events");
    expect(events.status).toBe(200);
    const erasedEvent = events.body.data.find((e: any) => e.actor.id === subject.id);
    expect(erasedEvent).toMatchObject({ v: 2, actor: { email: "[erased]" }, personal: { "/actor/email": { erased: true }, "/metadata/phone": { erased: true } } });
    expectDocumented("GET", "/v1/events", events);
    expectDocumented("GET", "/v1/events/{id}", await stack.api(co.companyKey, "GET", `/v1/events/${erasedEvent.id}`));
    const again = await stack.api(co.companyKey, "POST", `/v1/gdpr/requests/${erasure.body.id}/approve`, {});
    expect(again.status).toBe(409);
    expectDocumented("POST", "/v1/gdpr/requests/{id}/approve", again);

    // Rejected (by another person) and cancelled (by whoever asked).
    const toReject = await dash(stack, person, "POST", "/dashboard/gdpr-requests", { kind: "ERASURE", subject: { id: "u_other" }, reason: "mistake" });
    expect(toReject.status, toReject.text).toBe(201);
    const selfReject = await dash(stack, person, "POST", `/dashboard/gdpr-requests/${toReject.body.id}/reject`, {});
    expect(selfReject.status).toBe(403);
    const rejected = await stack.api(co.companyKey, "POST", `/v1/gdpr/requests/${toReject.body.id}/reject`, { comment: null });
    expect(rejected.body.status, rejected.text).toBe("REJECTED");
    expectDocumented("POST", "/v1/gdpr/requests/{id}/reject", rejected);
    const toCancel = await stack.api(co.companyKey, "POST", "/v1/gdpr/requests", { kind: "ERASURE", subject: { id: "u_third" }, reason: "test" });
    expect(toCancel.status, toCancel.text).toBe(201);
    const selfApprove = await stack.api(co.companyKey, "POST", `/v1/gdpr/requests/${toCancel.body.id}/approve`);
    expect(selfApprove.status).toBe(403);
    expectDocumented("POST", "/v1/gdpr/requests/{id}/approve", selfApprove);
    const cancelled = await stack.api(co.companyKey, "POST", `/v1/gdpr/requests/${toCancel.body.id}/cancel`);
    expect(cancelled.body.status, cancelled.text).toBe("CANCELLED");
    expectDocumented("POST", "/v1/gdpr/requests/{id}/cancel", cancelled);
    const cancelledAgain = await stack.api(co.companyKey, "POST", `/v1/gdpr/requests/${toCancel.body.id}/cancel`);
    expect(cancelledAgain.status).toBe(409);
    expectDocumented("POST", "/v1/gdpr/requests/{id}/cancel", cancelledAgain);

    const listed = await stack.api(co.companyKey, "GET", "/v1/gdpr/requests?limit=2");
    expect(listed.status).toBe(200);
    expect(listed.body.hasMore).toBe(true);
    expectDocumented("GET", "/v1/gdpr/requests", listed);
    const page2 = await stack.api(co.companyKey, "GET", `/v1/gdpr/requests?limit=2&cursor=${listed.body.nextCursor}`);
    expectDocumented("GET", "/v1/gdpr/requests", page2);
    expectDocumented("GET", "/v1/gdpr/requests", await stack.api(co.companyKey, "GET", "/v1/gdpr/requests?status=CANCELLED"));

    // Errors: a field by name, a workspace key, FREE, an id that is not the company's.
    const bad = await stack.api(co.companyKey, "POST", "/v1/gdpr/requests", { kind: "ERASURE", subject: { id: "x" } });
    expect(bad.body.error.details.violations).toEqual([expect.objectContaining({ field: "reason" })]);
    expectDocumented("POST", "/v1/gdpr/requests", bad);
    expectDocumented("POST", "/v1/gdpr/requests", await stack.api(co.workspaceKey, "POST", "/v1/gdpr/requests", { kind: "ACCESS", subject: { id: "x" } }));
    const free = await stack.seedCompany("us", "FREE", "OpenAPI GDPR on FREE");
    const planLimit = await stack.api(free.companyKey, "POST", "/v1/gdpr/requests", { kind: "ACCESS", subject: { id: "x" } });
    expect(planLimit.status).toBe(403);
    expectDocumented("POST", "/v1/gdpr/requests", planLimit);
    expectDocumented("GET", "/v1/gdpr/requests", await stack.api(co.workspaceKey, "GET", "/v1/gdpr/requests"));
    expectDocumented("GET", "/v1/gdpr/requests", await stack.api(co.companyKey, "GET", "/v1/gdpr/requests?status=DONE"));
    expectDocumented("GET", "/v1/gdpr/requests/{id}", await stack.api(co.companyKey, "GET", `/v1/gdpr/requests/${randomUUID()}`));
    expectDocumented("POST", "/v1/gdpr/requests/{id}/reject", await stack.api(co.companyKey, "POST", `/v1/gdpr/requests/${toCancel.body.id}/reject`, { comment: 5 }));

    // The company export.
    const started = await stack.api(co.companyKey, "POST", "/v1/key/company/gdpr/export");
    expect(started.status, started.text).toBe(202);
    expectDocumented("POST", "/v1/key/company/gdpr/export", started);
    expectDocumented("POST", "/v1/key/company/gdpr/export", await stack.api(co.workspaceKey, "POST", "/v1/key/company/gdpr/export"));
    expectDocumented("POST", "/v1/key/company/gdpr/export", await stack.api(free.companyKey, "POST", "/v1/key/company/gdpr/export"));
    let exp = await stack.api(co.companyKey, "GET", `/v1/gdpr/exports/${started.body.jobId}`);
    expectDocumented("GET", "/v1/gdpr/exports/{jobId}", exp);
    for (let i = 0; i < 200 && exp.body.status !== "COMPLETED"; i++) {
      await new Promise((r) => setTimeout(r, 100));
      exp = await stack.api(co.companyKey, "GET", `/v1/gdpr/exports/${started.body.jobId}`);
    }
    expect(exp.body.status, exp.text).toBe("COMPLETED");
    expect(exp.body.download.url).toMatch(/^http/);
    expectDocumented("GET", "/v1/gdpr/exports/{jobId}", exp);
    // A job of the company that is not a company export: 404 like any other id.
    const notExport = await stack.api(co.companyKey, "GET", `/v1/gdpr/exports/${accessDone.body.jobId}`);
    expect(notExport.status).toBe(404);
    expectDocumented("GET", "/v1/gdpr/exports/{jobId}", notExport);
  }, 60_000);

  it("archives: a page of them and one with its download URL", async () => {
    const co = stack.companies.us!;
    await until("a checkpoint", async () => (await stack.api(co.workspaceKey, "GET", "/v1/checkpoints/latest")).status === 200);
    const staff = { role: "HYRELOG_ADMIN" as const, userId: "ops" };
    const later = { asOf: new Date(Date.now() + 400 * 86_400_000).toISOString() };
    for (const job of ["retention-marking", "archival"]) expect((await dash(stack, staff, "POST", `/dashboard/admin/jobs/${job}/run`, later)).body.status).toBe("COMPLETED");
    const page = await stack.api(co.companyKey, "GET", "/v1/archives?limit=1");
    expectDocumented("GET", "/v1/archives", page);
    const one = await stack.api(co.companyKey, "GET", `/v1/archives/${page.body.data[0].id}`);
    expect(one.body.downloadUrl).toMatch(/^http/);
    expectDocumented("GET", "/v1/archives/{id}", one);
  });

  it("restore requests: create, list, get, cancel and their errors; the export that needs one", async () => {
    const co = await stack.seedCompany("us", "ENTERPRISE", "OpenAPI restores");
    const ingested = await stack.api(co.workspaceKey, "POST", "/v1/events", { category: "doc", action: "doc.read", actor: { id: "u1" } });
    expect(ingested.status, ingested.text).toBe(201);
    await until("a checkpoint", async () => (await stack.api(co.workspaceKey, "GET", "/v1/checkpoints/latest")).status === 200);
    // Archived, verified and moved to cold storage, as `hyrelog job run --as-of` does.
    const staff = { role: "HYRELOG_ADMIN" as const, userId: "ops" };
    const later = { asOf: new Date(Date.now() + 400 * 86_400_000).toISOString() };
    for (const job of ["retention-marking", "archival", "archive-verification", "cold-marking"]) {
      expect((await dash(stack, staff, "POST", `/dashboard/admin/jobs/${job}/run`, later)).body.status, job).toBe("COMPLETED");
    }
    const [archive] = (await stack.api(co.companyKey, "GET", "/v1/archives")).body.data;
    expect(archive.storageClass).toBe("GLACIER");
    const needsRestore = await stack.api(co.companyKey, "POST", "/v1/exports", { source: "ARCHIVED", format: "JSONL" });
    expect(needsRestore.body.error, needsRestore.text).toMatchObject({ code: "restore_required", details: { archiveIds: [archive.id] } });
    expectDocumented("POST", "/v1/exports", needsRestore);

    const created = await stack.api(co.companyKey, "POST", "/v1/restore-requests", { archiveId: archive.id, tier: "STANDARD", reason: "audit" });
    expect(created.status, created.text).toBe(201);
    expectDocumented("POST", "/v1/restore-requests", created);
    const refused: Array<[string, Promise<ApiResponse>, number]> = [
      ["open request", stack.api(co.companyKey, "POST", "/v1/restore-requests", { archiveId: archive.id, tier: "BULK" }), 409],
      ["bad tier", stack.api(co.companyKey, "POST", "/v1/restore-requests", { archiveId: archive.id, tier: "FAST" }), 400],
      ["workspace key", stack.api(co.workspaceKey, "POST", "/v1/restore-requests", { archiveId: archive.id, tier: "BULK" }), 403],
      ["STARTER", stack.api(stack.companies.us!.companyKey, "POST", "/v1/restore-requests", { archiveId: archive.id, tier: "BULK" }), 403],
      ["unknown archive", stack.api(co.companyKey, "POST", "/v1/restore-requests", { archiveId: randomUUID(), tier: "BULK" }), 404],
    ];
    for (const [label, res, status] of refused) {
      expect((await res).status, `${label}: ${(await res).text}`).toBe(status);
      expectDocumented("POST", "/v1/restore-requests", await res);
    }

    const listed = await stack.api(co.companyKey, "GET", "/v1/restore-requests?status=PENDING&limit=1");
    expect(listed.body.data.map((q: { id: string }) => q.id)).toEqual([created.body.id]);
    expectDocumented("GET", "/v1/restore-requests", listed);
    expectDocumented("GET", "/v1/restore-requests", await stack.api(co.companyKey, "GET", "/v1/restore-requests?status=SOON"));
    expectDocumented("GET", "/v1/restore-requests", await stack.api(co.workspaceKey, "GET", "/v1/restore-requests"));
    const one = await stack.api(co.companyKey, "GET", `/v1/restore-requests/${created.body.id}`);
    expect(one.body.archive.id).toBe(archive.id);
    expectDocumented("GET", "/v1/restore-requests/{id}", one);
    expectDocumented("GET", "/v1/restore-requests/{id}", await stack.api(co.companyKey, "GET", `/v1/restore-requests/${randomUUID()}`));

    const cancelled = await stack.api(co.companyKey, "DELETE", `/v1/restore-requests/${created.body.id}`);
    expect(cancelled.body.status, cancelled.text).toBe("CANCELLED");
    expectDocumented("DELETE", "/v1/restore-requests/{id}", cancelled);
    const again = await stack.api(co.companyKey, "DELETE", `/v1/restore-requests/${created.body.id}`);
    expect(again.status).toBe(409);
    expectDocumented("DELETE", "/v1/restore-requests/{id}", again);
    expectDocumented("DELETE", "/v1/restore-requests/{id}", await stack.api(stack.companies.us!.companyKey, "DELETE", `/v1/restore-requests/${created.body.id}`));
  });

  it("analytics: counts by hour and by day, grouped and not, and a refused filter", async () => {
    const co = await stack.seedCompany("us", "GROWTH", "OpenAPI analytics");
    const event = await stack.api(co.workspaceKey, "POST", "/v1/events", { category: "doc", action: "doc.read", actor: { email: "someone@example.com" }, occurredAt: OCCURRED_AT.toISOString() });
    expect(event.status, event.text).toBe(201);
    const counted = await until("the rollups to catch up", async () => {
      const res = await stack.api(co.companyKey, "GET", "/v1/analytics/events?groupBy=actor");
      return res.body?.pendingEvents === 0 && res;
    });
    expect(counted.body.groups).toEqual([{ key: null, count: 1 }]);
    expectDocumented("GET", "/v1/analytics/events", counted);
    for (const query of ["interval=hour", "interval=day&groupBy=action&limit=1", "actorEmail=someone@example.com"]) {
      expectDocumented("GET", "/v1/analytics/events", await stack.api(co.workspaceKey, "GET", `/v1/analytics/events?${query}`));
    }
  });

  it("live tail: an open stream (text/event-stream) and a refused resume point", async () => {
    const co = stack.companies.us!;
    const res = await stack.api(co.workspaceKey, "GET", `/v1/events/stream?category=doc&projectId=${co.projectId}`);
    expect(res.status).toBe(200);
    expectDocumented("GET", "/v1/events/stream", res);
    const bad = await stack.api(co.workspaceKey, "GET", "/v1/events/stream?lastEventId=nope");
    expect(bad.status).toBe(400);
    expectDocumented("GET", "/v1/events/stream", bad);
  });

  it("checked a real success answer of every documented operation", () => {
    const missing = operations()
      .map(({ method, path }) => `${method.toUpperCase()} ${path}`)
      .filter((op) => ![...checked].some((c) => c.startsWith(`${op} 2`)));
    expect(missing).toEqual([]);
  });
});
