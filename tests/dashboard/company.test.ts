import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { expectApiError, TestStack, type ApiResponse, type EventJson } from "@hyrelog/testing";
import { dash, expectStatus, footprint, until, type Who } from "./helpers.ts";

/**
 * The company routes (x-company-id): the summary, workspaces, projects and API keys. Any role reads,
 * ADMIN and HYRELOG_ADMIN change (HyreLog staff for any company); archiving stops new events;
 * another company's ids, in this region or another, answer exactly like ids that exist nowhere.
 */

let stack: TestStack;
type Seeded = Awaited<ReturnType<TestStack["seedCompany"]>>;
let co: Seeded;
let admin: Who;
let member: Who;

const sql = <T = Record<string, unknown>>(query: string, params: unknown[] = []) => stack.regions.us!.orm.em.fork().execute<T[]>(query, params);

beforeAll(async () => {
  stack = await TestStack.start({ infra: inject("infra"), regions: ["us", "eu"], plan: "GROWTH", env: { RATE_LIMIT_KEY_MANAGEMENT_PER_MINUTE: "1000" } });
  co = await stack.seedCompany("us", "GROWTH", "Dashboard Co");
  admin = { role: "ADMIN", companyId: co.companyId, userId: "admin-1", email: "admin@dashboard-co.test" };
  member = { role: "MEMBER", companyId: co.companyId, userId: "member-1", email: "member@dashboard-co.test" };
});
afterAll(async () => stack?.stop());

describe("workspaces and projects", () => {
  it("an ADMIN creates, lists, renames and archives; a MEMBER reads and is refused every change", async () => {
    const created = await dash(stack, admin, "POST", "/dashboard/workspaces", { name: "Staging" });
    expectStatus(created, 201);
    const ws = created.body.workspace;
    expect(ws).toMatchObject({ companyId: co.companyId, name: "Staging", status: "active", archivedAt: null });

    const renamed = await dash(stack, admin, "POST", `/dashboard/workspaces/${ws.id}/rename`, { name: "Staging EU" });
    expectStatus(renamed, 200);
    expect(renamed.body.workspace.name).toBe("Staging EU");
    // Renaming to the same name changes nothing and records nothing.
    expectStatus(await dash(stack, admin, "POST", `/dashboard/workspaces/${ws.id}/rename`, { name: "Staging EU" }), 200);

    const project = await dash(stack, admin, "POST", `/dashboard/workspaces/${ws.id}/projects`, { name: "API" });
    expectStatus(project, 201);
    const p = project.body.project;
    expect(p).toMatchObject({ workspaceId: ws.id, name: "API", status: "active" });
    const projectRenamed = await dash(stack, admin, "POST", `/dashboard/projects/${p.id}/rename`, { name: "Public API" });
    expect(projectRenamed.body.project.name).toBe("Public API");

    const list = await dash(stack, member, "GET", "/dashboard/workspaces");
    expectStatus(list, 200);
    expect(list.body.data.map((w: { name: string }) => w.name)).toEqual(["Production", "Staging EU"]);
    expect(list.body.data[1].projects.map((x: { name: string }) => x.name)).toEqual(["Public API"]);
    const projects = await dash(stack, member, "GET", `/dashboard/workspaces/${ws.id}/projects`);
    expect(projects.body.data.map((x: { id: string }) => x.id)).toEqual([p.id]);

    const before = await footprint(stack);
    for (const [method, path, body] of [
      ["POST", "/dashboard/workspaces", { name: "Nope" }],
      ["POST", `/dashboard/workspaces/${ws.id}/rename`, { name: "Nope" }],
      ["POST", `/dashboard/workspaces/${ws.id}/archive`, undefined],
      ["POST", `/dashboard/workspaces/${ws.id}/projects`, { name: "Nope" }],
      ["POST", `/dashboard/projects/${p.id}/rename`, { name: "Nope" }],
      ["POST", `/dashboard/projects/${p.id}/archive`, undefined],
      ["POST", "/dashboard/keys", { scope: "company", name: "Nope" }],
      ["POST", `/dashboard/keys/${randomUUID()}/revoke`, undefined],
      ["PUT", `/dashboard/keys/${randomUUID()}/ip-allowlist`, { ipAllowlist: [] }],
    ] as const) {
      const res = await dash(stack, member, method, path, body);
      expectApiError(res, 403, "forbidden");
      expect(res.body.error.message).toBe("this route needs role ADMIN or HYRELOG_ADMIN (x-user-role is MEMBER)");
    }
    expect(await stack.footprint()).toEqual(before);

    // HyreLog staff change any company.
    const staff = await dash(stack, { role: "HYRELOG_ADMIN", companyId: co.companyId }, "POST", `/dashboard/projects/${p.id}/rename`, { name: "API v2" });
    expectStatus(staff, 200);
    expect(staff.body.project.name).toBe("API v2");
  });

  it("names are validated: required, at most 100 characters, no control characters, no other fields", async () => {
    const before = await footprint(stack);
    const cases: Array<[unknown, string]> = [
      [{}, "name"],
      [{ name: "" }, "name"],
      [{ name: "   " }, "name"],
      [{ name: 5 }, "name"],
      [{ name: "x".repeat(101) }, "name"],
      [{ name: "a\nb" }, "name"],
      [{ name: "ok", colour: "red" }, "colour"],
    ];
    for (const [body, field] of cases) {
      const res = await dash(stack, admin, "POST", "/dashboard/workspaces", body);
      expectApiError(res, 400, "invalid_argument");
      expect(res.body.error.details.violations.map((v: { field: string }) => v.field), JSON.stringify(body)).toContain(field);
    }
    expectApiError(await dash(stack, admin, "POST", "/dashboard/workspaces", "[1]"), 400, "invalid_argument");
    expectApiError(await dash(stack, admin, "POST", `/dashboard/workspaces/${co.workspaceId}/archive`, { now: true }), 400, "invalid_argument");
    expect(await stack.footprint()).toEqual(before);
  });

  it("an archived workspace keeps its log but refuses new events, projects, keys and renames; an archived project refuses events naming it", async () => {
    const ws = (await dash(stack, admin, "POST", "/dashboard/workspaces", { name: "Legacy" })).body.workspace;
    const project = (await dash(stack, admin, "POST", `/dashboard/workspaces/${ws.id}/projects`, { name: "Old app" })).body.project;
    const key = (await dash(stack, admin, "POST", "/dashboard/keys", { scope: "workspace", workspaceId: ws.id, name: "legacy ingest" })).body.secret as string;
    const event = { category: "doc", action: "doc.read", actor: { id: "u1" } };
    const stored = await stack.api(key, "POST", "/v1/events", { ...event, projectId: project.id });
    expectStatus(stored, 201);

    // The project first: events naming it are refused, the workspace still takes others.
    const archivedProject = await dash(stack, admin, "POST", `/dashboard/projects/${project.id}/archive`);
    expectStatus(archivedProject, 200);
    expect(archivedProject.body.project).toMatchObject({ status: "archived", archivedAt: expect.any(String) });
    const naming = await stack.api(key, "POST", "/v1/events", { ...event, projectId: project.id });
    expectApiError(naming, 400, "invalid_argument");
    expect(naming.body.error.details.violations).toEqual([{ field: "projectId", description: `project ${project.id} is archived: it accepts no new events` }]);
    expectStatus(await stack.api(key, "POST", "/v1/events", event), 201);
    expectApiError(await dash(stack, admin, "POST", `/dashboard/projects/${project.id}/rename`, { name: "x" }), 409, "failed_precondition");

    const archived = await dash(stack, admin, "POST", `/dashboard/workspaces/${ws.id}/archive`);
    expectStatus(archived, 200);
    expect(archived.body.workspace).toMatchObject({ id: ws.id, status: "archived", archivedAt: expect.any(String) });
    // At once (the dashboard tells every ingest replica), with a clear answer.
    const refused = await stack.api(key, "POST", "/v1/events", event);
    expectApiError(refused, 409, "failed_precondition");
    expect(refused.body.error.message).toBe(`workspace ${ws.id} is archived: it accepts no new events`);
    const batch = await stack.api(key, "POST", "/v1/events", { events: [event, event] });
    expectApiError(batch, 409, "failed_precondition");

    // No hard delete: the log is still read and verified with the company key.
    const events = await stack.api(co.companyKey, "GET", `/v1/events?workspaceId=${ws.id}`);
    expect(events.body.data.map((e: EventJson) => e.id)).toContain(stored.body.id);
    const verified = await until("a checkpoint of the archived workspace", async () => {
      const res = await stack.api(co.companyKey, "POST", "/v1/verify", { workspaceId: ws.id });
      return res.body.ok && res.body.checkpointsChecked > 0 ? res.body : null;
    });
    expect(verified.ok).toBe(true);
    expect(await sql(`select 1 from workspaces where id = ?`, [ws.id])).toHaveLength(1);

    for (const [method, path, body] of [
      ["POST", `/dashboard/workspaces/${ws.id}/rename`, { name: "Renamed" }],
      ["POST", `/dashboard/workspaces/${ws.id}/projects`, { name: "New" }],
      ["POST", "/dashboard/keys", { scope: "workspace", workspaceId: ws.id, name: "new" }],
    ] as const) {
      const res = await dash(stack, admin, method, path, body);
      expectApiError(res, 409, "failed_precondition");
      expect(res.body.error.message).toContain(`workspace ${ws.id} is archived`);
    }
    expectApiError(await stack.api(co.companyKey, "POST", `/v1/workspaces/${ws.id}/keys`, { name: "new" }), 409, "failed_precondition");
    // Archiving again returns it unchanged.
    const again = await dash(stack, admin, "POST", `/dashboard/workspaces/${ws.id}/archive`);
    expect(again.body.workspace.archivedAt).toBe(archived.body.workspace.archivedAt);
    // HyreLog still records what happens to it: revoking its key lands in its log.
    expectStatus(await dash(stack, admin, "POST", `/dashboard/keys/${(await keyIdOf(key, ws.id))}/revoke`), 200);
    const log = await stack.api(co.companyKey, "GET", `/v1/events?workspaceId=${ws.id}&action=api_key.revoked`);
    expect(log.body.data).toHaveLength(1);
  });
});

/** A key's id, from the dashboard's list (by the workspace it belongs to). */
async function keyIdOf(_secret: string, workspaceId: string): Promise<string> {
  const keys = await dash(stack, admin, "GET", "/dashboard/keys");
  return keys.body.data.find((k: { workspaceId: string | null }) => k.workspaceId === workspaceId).id;
}

describe("API keys", () => {
  it("creates company and workspace keys (plaintext once), lists them without hash or secret, revokes, edits allowlists with immediate effect", async () => {
    const wsKey = await dash(stack, admin, "POST", "/dashboard/keys", { scope: "workspace", workspaceId: co.workspaceId, name: "ingest", ipAllowlist: ["127.0.0.1", "::1"] });
    expectStatus(wsKey, 201);
    const coKey = await dash(stack, admin, "POST", "/dashboard/keys", { scope: "company", name: "exports" });
    expectStatus(coKey, 201);
    expect(coKey.body.secret).toMatch(/^hlk_co_us_/);
    expectStatus(await stack.api(wsKey.body.secret, "POST", "/v1/events", { category: "c", action: "a", actor: { id: "u" } }), 201);

    const list = await dash(stack, member, "GET", "/dashboard/keys");
    expectStatus(list, 200);
    const listed = list.body.data.find((k: { id: string }) => k.id === wsKey.body.key.id);
    expect(Object.keys(listed).sort()).toEqual(["companyId", "createdAt", "expiresAt", "id", "ipAllowlist", "lastUsedAt", "name", "prefix", "revokedAt", "rotatedFromId", "scope", "status", "workspaceId"]);
    expect(listed).toMatchObject({ prefix: wsKey.body.key.prefix, scope: "workspace", status: "active", ipAllowlist: ["127.0.0.1", "::1"], lastUsedAt: expect.any(String) });
    // Neither the secret nor the stored HMAC appears anywhere in the list.
    const [stored] = await sql<{ key_hash: string }>(`select key_hash from api_keys where id = ?`, [listed.id]);
    expect(list.text).not.toContain(wsKey.body.secret);
    expect(list.text).not.toContain(stored!.key_hash.trim());
    // The seed's keys are there too: every key of the company, newest first.
    expect(list.body.data.length).toBeGreaterThanOrEqual(4);
    expect(list.body.data.every((k: { companyId: string }) => k.companyId === co.companyId)).toBe(true);

    // An allowlist without this address: refused at once (gateways drop the cached key).
    const moved = await dash(stack, admin, "PUT", `/dashboard/keys/${listed.id}/ip-allowlist`, { ipAllowlist: ["203.0.113.0/24"] });
    expectStatus(moved, 200);
    expect(moved.body.key.ipAllowlist).toEqual(["203.0.113.0/24"]);
    const blocked = await until("the allowlist to apply", async () => {
      const res = await stack.api(wsKey.body.secret, "GET", "/v1/keys/status");
      return res.status === 403 ? res : null;
    }, 3000);
    expectApiError(blocked, 403, "forbidden");
    expectStatus(await dash(stack, admin, "PUT", `/dashboard/keys/${listed.id}/ip-allowlist`, { ipAllowlist: [] }), 200);
    expectStatus(await until("the open allowlist to apply", async () => {
      const res = await stack.api(wsKey.body.secret, "GET", "/v1/keys/status");
      return res.status === 200 ? res : null;
    }, 3000), 200);
    const bad = await dash(stack, admin, "PUT", `/dashboard/keys/${listed.id}/ip-allowlist`, { ipAllowlist: ["not-an-ip", "10.0.0.0/33"] });
    expectApiError(bad, 400, "invalid_argument");
    expect(bad.body.error.details.violations[0].field).toBe("ipAllowlist");
    expectApiError(await dash(stack, admin, "PUT", `/dashboard/keys/${listed.id}/ip-allowlist`, {}), 400, "invalid_argument");

    const revoked = await dash(stack, admin, "POST", `/dashboard/keys/${coKey.body.key.id}/revoke`, { reason: "rotated out" });
    expectStatus(revoked, 200);
    expect(revoked.body.key).toMatchObject({ status: "revoked", revokedAt: expect.any(String) });
    expectApiError(await stack.api(coKey.body.secret, "GET", "/v1/keys/status"), 401, "unauthenticated");
    // Revoking again changes nothing; a revoked key's allowlist no longer changes.
    expectStatus(await dash(stack, admin, "POST", `/dashboard/keys/${coKey.body.key.id}/revoke`), 200);
    expectApiError(await dash(stack, admin, "PUT", `/dashboard/keys/${coKey.body.key.id}/ip-allowlist`, { ipAllowlist: [] }), 409, "failed_precondition");

    const summary = await dash(stack, member, "GET", "/dashboard/company");
    expect(summary.body.keys.revoked).toBeGreaterThanOrEqual(1);
    expect(summary.body.keys.total).toBe(list.body.data.length);
  });

  it("validates a key request: scope, the workspace of a workspace key, name, allowlist", async () => {
    const before = await footprint(stack);
    const cases: Array<[unknown, string[], number]> = [
      [{ name: "x" }, ["scope"], 400],
      [{ scope: "global" }, ["scope"], 400],
      [{ scope: "__proto__" }, ["scope"], 400],
      [{ scope: "workspace" }, ["workspaceId"], 400],
      [{ scope: "company", workspaceId: co.workspaceId }, ["workspaceId"], 400],
      [{ scope: "company", name: "x".repeat(101) }, ["name"], 400],
      [{ scope: "company", ipAllowlist: ["nope"] }, ["ipAllowlist"], 400],
      [{ scope: "company", ipAllowlist: "127.0.0.1" }, ["ipAllowlist"], 400],
      [{ scope: "company", secret: "mine" }, ["secret"], 400],
    ];
    for (const [body, fields, status] of cases) {
      const res = await dash(stack, admin, "POST", "/dashboard/keys", body);
      expectApiError(res, status, "invalid_argument");
      expect(res.body.error.details.violations.map((v: { field: string }) => v.field), JSON.stringify(body)).toEqual(fields);
    }
    expect(await stack.footprint()).toEqual(before);
  });
});

describe("another company's ids", () => {
  /** The answer with the ids blanked out, to compare a foreign id's answer with a missing id's. */
  const shape = (res: ApiResponse, ids: string[]) => {
    let message = String(res.body?.error?.message ?? "");
    for (const id of ids) message = message.replaceAll(id, "<id>");
    return `${res.status} ${res.body?.error?.code ?? ""} ${message}`;
  };

  it("a workspace, project or key of another company, in this region or another, is 404 exactly like one that exists nowhere, and nothing is written", async () => {
    const victims = [await stack.seedCompany("us", "GROWTH", "Victim US"), await stack.seedCompany("eu", "GROWTH", "Victim EU")];
    const keyOf = async (v: Seeded) => (await stack.api(v.workspaceKey, "GET", "/v1/keys/status")).body.key.id as string;
    const attacks = (ids: { workspaceId: string; projectId: string; keyId: string }): Array<[string, string, unknown]> => [
      ["POST", `/dashboard/workspaces/${ids.workspaceId}/rename`, { name: "mine" }],
      ["POST", `/dashboard/workspaces/${ids.workspaceId}/archive`, undefined],
      ["GET", `/dashboard/workspaces/${ids.workspaceId}/projects`, undefined],
      ["POST", `/dashboard/workspaces/${ids.workspaceId}/projects`, { name: "mine" }],
      ["POST", `/dashboard/projects/${ids.projectId}/rename`, { name: "mine" }],
      ["POST", `/dashboard/projects/${ids.projectId}/archive`, undefined],
      ["POST", `/dashboard/keys/${ids.keyId}/revoke`, undefined],
      ["PUT", `/dashboard/keys/${ids.keyId}/ip-allowlist`, { ipAllowlist: ["0.0.0.0/0"] }],
      ["POST", "/dashboard/keys", { scope: "workspace", workspaceId: ids.workspaceId, name: "mine" }],
    ];
    const before = await footprint(stack);
    let tried = 0;
    for (const victim of victims) {
      const foreign = { workspaceId: victim.workspaceId, projectId: victim.projectId, keyId: await keyOf(victim) };
      const missing = { workspaceId: randomUUID(), projectId: randomUUID(), keyId: randomUUID() };
      const theirs = attacks(foreign);
      const nowhere = attacks(missing);
      for (const who of [admin, { role: "HYRELOG_ADMIN" as const, companyId: co.companyId }]) {
        for (const [i, [method, path, body]] of theirs.entries()) {
          const res = await dash(stack, who, method, path, body);
          const [cm, cp, cb] = nowhere[i]!;
          const control = await dash(stack, who, cm, cp, cb);
          expect(res.status, `${method} ${path} ${res.text}`).toBe(404);
          expect(shape(res, Object.values(foreign))).toBe(shape(control, Object.values(missing)));
          tried++;
        }
      }
    }
    expect(tried).toBe(2 * 2 * 9);
    expect(await stack.footprint()).toEqual(before);
    // Path ids that are no ids at all are 404 too.
    expectApiError(await dash(stack, admin, "POST", "/dashboard/workspaces/not-an-id/rename", { name: "x" }), 404, "not_found");
    expectApiError(await dash(stack, admin, "POST", "/dashboard/keys/../revoke"), 404, "not_found");
  });
});
