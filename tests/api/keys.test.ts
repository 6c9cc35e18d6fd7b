import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { TestStack, expectApiError } from "@hyrelog/testing";

let stack: TestStack;
beforeAll(async () => {
  stack = await TestStack.start({ infra: inject("infra") });
});
afterAll(async () => stack?.stop());

const sql = <T = Record<string, unknown>>(query: string, params: unknown[] = []) => stack.regions.us!.orm.em.fork().execute<T[]>(query, params);


async function keyCount(companyId: string): Promise<number> {
  const rows = await sql<{ n: number }>("select count(*)::int as n from api_keys where company_id = ?", [companyId]);
  return rows[0]!.n;
}

async function keyIdOf(key: string): Promise<string> {
  const res = await stack.api(key, "GET", "/v1/keys/status");
  expect(res.status, res.text).toBe(200);
  return res.body.key.id;
}

/** Fixed one-minute rate windows: make sure a burst of calls fits in one. */
async function avoidWindowEdge(marginMs = 8000): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < marginMs) await new Promise((r) => setTimeout(r, left + 50));
}

describe("POST /v1/workspaces/:workspaceId/keys", () => {
  it("creates a workspace key that ingests into that workspace", async () => {
    const co = await stack.seedCompany("us");
    const res = await stack.api(co.companyKey, "POST", `/v1/workspaces/${co.workspaceId}/keys`, {
      name: "CI pipeline",
      ipAllowlist: ["127.0.0.1", "203.0.113.0/24", "2001:db8::/32"],
    });
    expect(res.status, res.text).toBe(201);
    const secret: string = res.body.secret;
    expect(secret).toMatch(/^hlk_ws_us_[A-Za-z0-9_-]{43}$/);
    expect(secret).not.toBe(co.workspaceKey);
    expect(res.body.key).toMatchObject({
      prefix: secret.slice(0, "hlk_ws_us_".length + 6),
      scope: "workspace",
      companyId: co.companyId,
      workspaceId: co.workspaceId,
      name: "CI pipeline",
      ipAllowlist: ["127.0.0.1", "203.0.113.0/24", "2001:db8::/32"],
      status: "active",
      revokedAt: null,
      expiresAt: null,
    });
    expect(res.body.key).not.toHaveProperty("keyHash");

    const created = await stack.api(secret, "POST", "/v1/events", {
      category: "deploy",
      action: "deploy.started",
      actor: { id: "ci", type: "service" },
      projectId: co.projectId,
    });
    expect(created.status, created.text).toBe(201);
    const stored = await stack.api(co.companyKey, "GET", `/v1/events/${created.body.id}`);
    expect(stored.status).toBe(200);
    expect(stored.body).toMatchObject({ companyId: co.companyId, workspaceId: co.workspaceId, action: "deploy.started" });
    const status = await stack.api(secret, "GET", "/v1/keys/status");
    expect(status.body.key).toMatchObject({ id: res.body.key.id, scope: "workspace", workspaceId: co.workspaceId });
  });

  it("stores the key only as a hash", async () => {
    const co = await stack.seedCompany("us");
    const res = await stack.api(co.companyKey, "POST", `/v1/workspaces/${co.workspaceId}/keys`, { name: "hashed" });
    expect(res.status, res.text).toBe(201);
    const secret: string = res.body.secret;
    const random = secret.slice("hlk_ws_us_".length);

    const rows = await sql<Record<string, unknown>>("select * from api_keys where id = ?", [res.body.key.id]);
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row.key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.key_hash).not.toBe(secret);
    expect(row.prefix).toBe(secret.slice(0, 16));
    for (const [column, value] of Object.entries(row)) {
      const text = value instanceof Date ? value.toISOString() : JSON.stringify(value);
      expect(text, `api_keys.${column}`).not.toContain(random);
    }
    // Nowhere in the row (as text), nor in any stored event (the key-creation audit record included).
    const leaks = await sql<{ n: number }>(
      "select (select count(*) from api_keys k where k::text like ?)::int + (select count(*) from audit_events e where e::text like ?)::int as n",
      [`%${random}%`, `%${random}%`],
    );
    expect(leaks[0]!.n).toBe(0);
    // Nor is it ever shown again.
    const status = await stack.api(secret, "GET", "/v1/keys/status");
    expect(status.status).toBe(200);
    expect(status.text).not.toContain(random);
    const events = await stack.api(co.companyKey, "GET", "/v1/events?category=api_key");
    expect(events.status).toBe(200);
    expect(events.body.data.length).toBeGreaterThan(0);
    expect(events.text).not.toContain(random);
  });

  it("refuses a company key without an IP allowlist: 403", async () => {
    const co = await stack.seedCompany("us");
    // Before the key is ever used, so no gateway has it cached.
    await sql("update api_keys set ip_allowlist = '{}' where company_id = ? and scope = 'COMPANY'", [co.companyId]);
    const res = await stack.api(co.companyKey, "POST", `/v1/workspaces/${co.workspaceId}/keys`, { name: "nope" });
    expectApiError(res, 403, "forbidden");
    expect(res.body.error.message).toMatch(/allowlist/);
    const wsKeyId = await keyIdOf(co.workspaceKey);
    expectApiError(await stack.api(co.companyKey, "POST", `/v1/keys/${wsKeyId}/rotate`, { gracePeriodSeconds: 0 }), 403, "forbidden");
    expectApiError(await stack.api(co.companyKey, "POST", `/v1/keys/${wsKeyId}/revoke`, { reason: "x" }), 403, "forbidden");
    expect(await keyCount(co.companyId)).toBe(2);
    expect((await stack.api(co.workspaceKey, "GET", "/v1/keys/status")).body.key.status).toBe("active");
    // The key itself still reads.
    expect((await stack.api(co.companyKey, "GET", "/v1/events")).status).toBe(200);
  });

  it("refuses a company key whose IP allowlist does not include the caller: 403", async () => {
    const co = await stack.seedCompany("us");
    await sql("update api_keys set ip_allowlist = '{10.0.0.0/8}' where company_id = ? and scope = 'COMPANY'", [co.companyId]);
    const res = await stack.api(co.companyKey, "POST", `/v1/workspaces/${co.workspaceId}/keys`, { name: "nope" });
    expectApiError(res, 403, "forbidden");
    expect(res.body.error.message).toMatch(/127\.0\.0\.1/);
    const wsKeyId = await keyIdOf(co.workspaceKey);
    expectApiError(await stack.api(co.companyKey, "POST", `/v1/keys/${wsKeyId}/rotate`, { gracePeriodSeconds: 0 }), 403, "forbidden");
    expect(await keyCount(co.companyId)).toBe(2);
    expect((await stack.api(co.workspaceKey, "GET", "/v1/events")).status).toBe(200);
  });

  it("enforces a key's IP allowlist on every request, not only key management", async () => {
    const co = await stack.seedCompany("us");
    const created = await stack.api(co.companyKey, "POST", `/v1/workspaces/${co.workspaceId}/keys`, { ipAllowlist: ["203.0.113.0/24"] });
    expect(created.status, created.text).toBe(201);
    const elsewhere = await stack.api(created.body.secret, "POST", "/v1/events", { category: "c", action: "a", actor: { id: "u" } });
    expectApiError(elsewhere, 403, "forbidden");
    expect(elsewhere.body.error.message).toMatch(/allowlist/);
    expectApiError(await stack.api(created.body.secret, "GET", "/v1/events"), 403, "forbidden");
    const rows = await sql<{ n: number }>("select count(*)::int as n from audit_events where workspace_id = ? and category <> 'api_key'", [co.workspaceId]);
    expect(rows[0]!.n).toBe(0);
  });

  it("answers 404 for an unknown workspace or another company's workspace", async () => {
    const co = await stack.seedCompany("us");
    const other = await stack.seedCompany("us", "STARTER", "Someone Else");
    for (const workspaceId of [randomUUID(), other.workspaceId, stack.companies.us!.workspaceId]) {
      const res = await stack.api(co.companyKey, "POST", `/v1/workspaces/${workspaceId}/keys`, { name: "x" });
      expectApiError(res, 404, "not_found");
    }
    // The EU company's workspace is not in this company's region either.
    expectApiError(await stack.api(co.companyKey, "POST", `/v1/workspaces/${stack.companies.eu!.workspaceId}/keys`, {}), 404, "not_found");
    expect(await keyCount(co.companyId)).toBe(2);
    expect(await keyCount(other.companyId)).toBe(2);
  });

  it("answers 400 with violations for an invalid ipAllowlist", async () => {
    const co = await stack.seedCompany("us");
    const bad: unknown[] = [["not-an-ip"], ["10.0.0.0/33"], ["127.0.0.1", "300.1.2.3"], ["::1/129"], ["10.0.0.0/8/1"], "127.0.0.1", [42], { ip: "127.0.0.1" }];
    for (const ipAllowlist of bad) {
      const res = await stack.api(co.companyKey, "POST", `/v1/workspaces/${co.workspaceId}/keys`, { name: "bad", ipAllowlist });
      expectApiError(res, 400, "invalid_argument");
      // The list itself, or the one entry that is not a string ([42]: ipAllowlist[0]).
      expect(res.body.error.details.violations, JSON.stringify(ipAllowlist)).toEqual([{ field: expect.stringMatching(/^ipAllowlist(\[\d+\])?$/), description: expect.any(String) }]);
    }
    expect(await keyCount(co.companyId)).toBe(2);
  }, 20_000);

  it("answers 400 for a workspace id that is not a UUID", async () => {
    const co = await stack.seedCompany("us");
    const res = await stack.api(co.companyKey, "POST", "/v1/workspaces/not-a-uuid/keys", { name: "x" });
    expectApiError(res, 400, "invalid_argument");
    expect(res.body.error.details.violations.map((v: { field: string }) => v.field)).toContain("workspaceId");
  });
});

describe("key management rate limit", () => {
  it("allows 10 key-management calls per key per minute; the 11th gets 429 with Retry-After", async () => {
    const co = await stack.seedCompany("us");
    await avoidWindowEdge();
    for (let i = 1; i <= 10; i++) {
      const res = await stack.api(co.companyKey, "POST", `/v1/workspaces/${co.workspaceId}/keys`, { name: `k${i}` });
      expect(res.status, res.text).toBe(201);
      expect(res.headers.get("x-ratelimit-limit")).toBe("10");
      expect(res.headers.get("x-ratelimit-remaining")).toBe(String(10 - i));
    }
    const limited = await stack.api(co.companyKey, "POST", `/v1/workspaces/${co.workspaceId}/keys`, { name: "k11" });
    expectApiError(limited, 429, "rate_limited");
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.headers.get("x-ratelimit-remaining")).toBe("0");
    expect(await keyCount(co.companyId)).toBe(12);

    // Rotation and revocation share the budget.
    const wsKeyId = await keyIdOf(co.workspaceKey);
    expectApiError(await stack.api(co.companyKey, "POST", `/v1/keys/${wsKeyId}/revoke`), 429, "rate_limited");
    expectApiError(await stack.api(co.companyKey, "POST", `/v1/keys/${wsKeyId}/rotate`, { gracePeriodSeconds: 0 }), 429, "rate_limited");
    const ws = await sql<{ revoked_at: Date | null; expires_at: Date | null }>("select revoked_at, expires_at from api_keys where id = ?", [wsKeyId]);
    expect(ws).toEqual([{ revoked_at: null, expires_at: null }]);

    // Only key management is limited this strictly: the same key still reads.
    const read = await stack.api(co.companyKey, "GET", "/v1/events");
    expect(read.status).toBe(200);
    // And the limit is per key: another company's key manages keys as usual.
    const other = await stack.seedCompany("us");
    const ok = await stack.api(other.companyKey, "POST", `/v1/workspaces/${other.workspaceId}/keys`, { name: "fine" });
    expect(ok.status, ok.text).toBe(201);
  });
});

describe("key operations are recorded in the company's audit log", () => {
  type Ev = { id: string; action: string; category: string; workspaceId: string | null; target: { id: string; type: string }; actor: { id: string; type: string }; changes: unknown[]; context: { ip: string | null } };

  it("records create, rotate and revoke of a workspace key in that workspace", async () => {
    const co = await stack.seedCompany("us");
    const companyKeyId = await keyIdOf(co.companyKey);

    const created = await stack.api(co.companyKey, "POST", `/v1/workspaces/${co.workspaceId}/keys`, { name: "audited" });
    expect(created.status, created.text).toBe(201);
    const k1 = created.body.key.id as string;
    const rotated = await stack.api(co.companyKey, "POST", `/v1/keys/${k1}/rotate`, { gracePeriodSeconds: 60 });
    expect(rotated.status, rotated.text).toBe(201);
    const k2 = rotated.body.key.id as string;
    const revoked = await stack.api(co.companyKey, "POST", `/v1/keys/${k2}/revoke`, { reason: "no longer needed" });
    expect(revoked.status, revoked.text).toBe(200);

    const res = await stack.api(co.companyKey, "GET", "/v1/events?category=api_key");
    expect(res.status, res.text).toBe(200);
    const events = (res.body.data as Ev[]).slice().reverse(); // oldest first
    expect(events.map((e) => [e.action, e.target.id])).toEqual([
      ["api_key.created", k1],
      ["api_key.rotated", k1],
      ["api_key.revoked", k2],
    ]);
    for (const e of events) {
      expect(e.category).toBe("api_key");
      expect(e.workspaceId).toBe(co.workspaceId);
      expect(e.target.type).toBe("api_key");
      expect(e.actor).toMatchObject({ id: companyKeyId, type: "api_key" });
      expect(e.context.ip).toBe("127.0.0.1");
    }
    expect(events[0]!.changes).toEqual([{ field: "status", new: "ACTIVE" }]);
    expect(events[1]!.changes).toEqual([{ field: "status", old: "ACTIVE", new: "ROTATING" }]);
    expect(events[2]!.changes).toEqual([{ field: "status", old: "ACTIVE", new: "REVOKED" }]);

    // They are in that workspace's log: its own workspace key reads them.
    const ws = await stack.api(co.workspaceKey, "GET", "/v1/events?category=api_key");
    expect(ws.status).toBe(200);
    expect(ws.body.data.map((e: Ev) => e.id).sort()).toEqual(events.map((e) => e.id).sort());
    const filtered = await stack.api(co.companyKey, "GET", `/v1/events?category=api_key&workspaceId=${co.workspaceId}`);
    expect(filtered.body.data).toHaveLength(3);
    // Each action can be filtered on, and the target's history lists all operations on k1.
    const byAction = await stack.api(co.companyKey, "GET", "/v1/events?action=api_key.rotated");
    expect(byAction.body.data.map((e: Ev) => e.target.id)).toEqual([k1]);
    const history = await stack.api(co.companyKey, "GET", `/v1/targets/api_key/${k1}/events`);
    expect(history.status).toBe(200);
    expect(history.body.versions.map((v: { event: Ev }) => v.event.action)).toEqual(["api_key.created", "api_key.rotated"]);
    expect(history.body.versions.at(-1).state).toEqual({ status: "ROTATING" });

    // No other company sees them.
    const other = await stack.api(stack.companies.us!.companyKey, "GET", "/v1/events?category=api_key");
    expect(other.body.data.map((e: Ev) => e.id)).not.toEqual(expect.arrayContaining([events[0]!.id]));
  });

  it("records operations on a company key at company level", async () => {
    const co = await stack.seedCompany("us");
    const oldId = await keyIdOf(co.companyKey);
    const rotated = await stack.api(co.companyKey, "POST", `/v1/keys/${oldId}/rotate`, { gracePeriodSeconds: 120 });
    expect(rotated.status, rotated.text).toBe(201);
    expect(rotated.body.secret).toMatch(/^hlk_co_us_/);
    expect(rotated.body.key.ipAllowlist.slice().sort()).toEqual(["127.0.0.1", "::1"]);
    const res = await stack.api(rotated.body.secret, "GET", "/v1/events?category=api_key");
    expect(res.status, res.text).toBe(200);
    expect(res.body.data).toHaveLength(1);
    expect(res.body.data[0]).toMatchObject({ action: "api_key.rotated", workspaceId: null, target: { id: oldId, type: "api_key" } });
    // Not in any workspace: the workspace key does not see it.
    const ws = await stack.api(co.workspaceKey, "GET", "/v1/events?category=api_key");
    expect(ws.body.data).toEqual([]);
  });
});

describe("request checks on key management and filters", () => {
  it("refuses a grace period over 30 days and a non-object body with 400, changing nothing", async () => {
    const co = await stack.seedCompany("us");
    const wsKeyId = await keyIdOf(co.workspaceKey);
    const tooLong = await stack.api(co.companyKey, "POST", `/v1/keys/${wsKeyId}/rotate`, { gracePeriodSeconds: 30 * 86_400 + 1 });
    expectApiError(tooLong, 400, "invalid_argument");
    expect(tooLong.body.error.details.violations[0].field).toBe("gracePeriodSeconds");
    expectApiError(await stack.api(co.companyKey, "POST", `/v1/workspaces/${co.workspaceId}/keys`, "[1]"), 400, "invalid_argument");
    expect(await keyCount(co.companyId)).toBe(2);
  });

  it("refuses impossible or zone-less from/to timestamps with 400", async () => {
    const co = stack.companies.us!;
    for (const bad of ["2026-02-30T00:00:00Z", "2026-01-01", "2026-01-01T10:00:00", "yesterday"]) {
      const res = await stack.api(co.companyKey, "GET", `/v1/events?from=${encodeURIComponent(bad)}`);
      expectApiError(res, 400, "invalid_argument");
      expect(res.body.error.details.violations[0].field).toBe("from");
    }
    expect((await stack.api(co.companyKey, "GET", "/v1/events?from=2026-01-01T00:00:00%2B02:00")).status).toBe(200);
  });
});
