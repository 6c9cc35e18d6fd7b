import { randomBytes } from "node:crypto";
import http from "node:http";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { TestStack, type ApiResponse, expectApiError } from "@hyrelog/testing";

let stack: TestStack;
beforeAll(async () => {
  // A long cache TTL: a revoked or rotated key must stop working because the gateway is told
  // (NATS invalidation), not because its cache entry happened to expire.
  stack = await TestStack.start({ infra: inject("infra"), env: { KEY_CACHE_TTL_MS: "120000" } });
});
afterAll(async () => stack?.stop());

const event = (extra: Record<string, unknown> = {}) => ({
  category: "auth",
  action: "auth.checked",
  actor: { id: "u_auth", type: "user" },
  target: { id: "res_1", type: "resource" },
  ...extra,
});


/** Sends an Authorization header verbatim. */
function withAuthorization(authorization: string, method = "GET", path = "/v1/events"): Promise<ApiResponse> {
  return stack.api(null, method, path, undefined, { authorization });
}

/** Polls until `check` holds (invalidation travels over NATS); returns the last response. */
async function eventually(call: () => Promise<ApiResponse>, check: (r: ApiResponse) => boolean, timeoutMs = 3000): Promise<ApiResponse> {
  const deadline = Date.now() + timeoutMs;
  let res = await call();
  while (!check(res) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    res = await call();
  }
  return res;
}

async function keyIdOf(key: string): Promise<string> {
  const res = await stack.api(key, "GET", "/v1/keys/status");
  expect(res.status, res.text).toBe(200);
  return res.body.key.id;
}

/** POSTs JSON with Transfer-Encoding: chunked, as streaming HTTP clients do. */
function chunkedPost(key: string, path: string, body: unknown): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const url = new URL(stack.gatewayUrl + path);
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json", "transfer-encoding": "chunked" },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    const json = JSON.stringify(body);
    req.write(json.slice(0, 5));
    req.end(json.slice(5));
  });
}

const wellFormedUnknown = (kind: "co" | "ws", region: string) => `hlk_${kind}_${region}_${randomBytes(32).toString("base64url")}`;

describe("authentication failures answer 401 in the one error shape", () => {
  it("missing Authorization header", async () => {
    const res = await stack.api(null, "GET", "/v1/events");
    expectApiError(res, 401, "unauthenticated");
    expect(res.body.error.details).toBeNull();
    expect(res.body.error.message).toMatch(/Bearer/);
    const post = await stack.api(null, "POST", "/v1/events", event());
    expectApiError(post, 401, "unauthenticated");
  });

  it("malformed Authorization headers", async () => {
    const key = stack.companies.us!.workspaceKey;
    for (const header of ["Basic x", "Bearer", "Bearer ", `Basic ${key}`, `Token ${key}`, `Bearer ${key} extra`, key]) {
      const res = await withAuthorization(header);
      expectApiError(res, 401, "unauthenticated");
      expect(res.body.error.details).toBeNull();
    }
  });

  it("keys not in the hlk_ format", async () => {
    const real = stack.companies.us!.workspaceKey;
    for (const key of [
      "not-a-key",
      "hlk_xx_us_" + randomBytes(32).toString("base64url"),
      "hlk_ws_zz_" + randomBytes(32).toString("base64url"),
      real.slice(0, -1),
      real + "A",
      "sk_live_" + randomBytes(24).toString("hex"),
    ]) {
      const res = await stack.api(key, "GET", "/v1/events");
      expectApiError(res, 401, "unauthenticated");
      expect(res.body.error.message).toMatch(/malformed API key/);
    }
  });

  it("well-formed keys that do not exist, in any region", async () => {
    for (const key of [wellFormedUnknown("ws", "us"), wellFormedUnknown("co", "us"), wellFormedUnknown("ws", "eu"), wellFormedUnknown("co", "eu")]) {
      const res = await stack.api(key, "GET", "/v1/events");
      expectApiError(res, 401, "unauthenticated");
      expect(res.body.error.message).toMatch(/unknown API key/);
    }
    // A real key's region hint changed: it is looked up in the other region, where it does not exist.
    const moved = stack.companies.us!.workspaceKey.replace("hlk_ws_us_", "hlk_ws_eu_");
    expectApiError(await stack.api(moved, "GET", "/v1/events"), 401, "unauthenticated");
  });

  it("does not leak the presented key back in the error", async () => {
    const key = wellFormedUnknown("ws", "us");
    const res = await stack.api(key, "GET", "/v1/events");
    expect(res.status).toBe(401);
    expect(res.text).not.toContain(key);
  });
});

describe("revoked and rotated keys", () => {
  it("a revoked key gets 401 right after revocation, even though the gateway cached it", async () => {
    const co = await stack.seedCompany("us");
    expect((await stack.api(co.workspaceKey, "GET", "/v1/events")).status).toBe(200);
    const keyId = await keyIdOf(co.workspaceKey);

    const revoked = await stack.api(co.companyKey, "POST", `/v1/keys/${keyId}/revoke`, { reason: "leaked in a log" });
    expect(revoked.status, revoked.text).toBe(200);
    expect(revoked.body.key).toMatchObject({ id: keyId, status: "revoked", scope: "workspace", workspaceId: co.workspaceId });
    expect(revoked.body.key.revokedAt).toEqual(expect.any(String));

    const res = await eventually(
      () => stack.api(co.workspaceKey, "GET", "/v1/events"),
      (r) => r.status === 401,
    );
    expectApiError(res, 401, "unauthenticated");
    expect(res.body.error.message).toMatch(/revoked/);
    // Every route refuses it, ingest included, and nothing is stored.
    expectApiError(await stack.api(co.workspaceKey, "POST", "/v1/events", event()), 401, "unauthenticated");
    expectApiError(await stack.api(co.workspaceKey, "GET", "/v1/keys/status"), 401, "unauthenticated");
    const rows = await stack.regions.us!.orm.em
      .fork()
      .execute<Array<{ n: number }>>("select count(*)::int as n from audit_events where company_id = ? and category = 'auth'", [co.companyId]);
    expect(rows[0]!.n).toBe(0);

    // Revoking again is harmless; the company key itself still works.
    const again = await stack.api(co.companyKey, "POST", `/v1/keys/${keyId}/revoke`);
    expect(again.status, again.text).toBe(200);
    expect(again.body.key.status).toBe("revoked");
    expect((await stack.api(co.companyKey, "GET", "/v1/events")).status).toBe(200);
  });

  it("a key rotated with gracePeriodSeconds 0 stops at once; the new secret works", async () => {
    const co = await stack.seedCompany("us");
    expect((await stack.api(co.workspaceKey, "POST", "/v1/events", event())).status).toBe(201);
    const oldId = await keyIdOf(co.workspaceKey);

    const rotated = await stack.api(co.companyKey, "POST", `/v1/keys/${oldId}/rotate`, { gracePeriodSeconds: 0 });
    expect(rotated.status, rotated.text).toBe(201);
    const secret: string = rotated.body.secret;
    expect(secret).toMatch(/^hlk_ws_us_[A-Za-z0-9_-]{43}$/);
    expect(secret).not.toBe(co.workspaceKey);
    expect(rotated.body.key).toMatchObject({ status: "active", rotatedFromId: oldId, workspaceId: co.workspaceId, scope: "workspace" });
    expect(rotated.body.key.id).not.toBe(oldId);
    expect(rotated.body.previous).toMatchObject({ id: oldId, status: "expired" });

    const old = await eventually(
      () => stack.api(co.workspaceKey, "GET", "/v1/events"),
      (r) => r.status === 401,
    );
    expectApiError(old, 401, "unauthenticated");
    expectApiError(await stack.api(co.workspaceKey, "POST", "/v1/events", event()), 401, "unauthenticated");

    const created = await stack.api(secret, "POST", "/v1/events", event({ action: "auth.after_rotation" }));
    expect(created.status, created.text).toBe(201);
    const list = await stack.api(secret, "GET", "/v1/events?category=auth");
    expect(list.status).toBe(200);
    // Same workspace: the new key sees the events written with the old one.
    expect(list.body.data.map((e: { action: string }) => e.action).sort()).toEqual(["auth.after_rotation", "auth.checked"]);
    const status = await stack.api(secret, "GET", "/v1/keys/status");
    expect(status.body.key).toMatchObject({ id: rotated.body.key.id, status: "active", rotatedFromId: oldId });
  });

  it("a key rotated with a grace period keeps working until it ends, next to the new one", async () => {
    const co = await stack.seedCompany("us");
    expect((await stack.api(co.workspaceKey, "GET", "/v1/events")).status).toBe(200);
    const oldId = await keyIdOf(co.workspaceKey);

    const before = Date.now();
    const rotated = await stack.api(co.companyKey, "POST", `/v1/keys/${oldId}/rotate`, { gracePeriodSeconds: 300 });
    expect(rotated.status, rotated.text).toBe(201);
    expect(rotated.body.previous).toMatchObject({ id: oldId, status: "rotating" });
    const expiresAt = Date.parse(rotated.body.previous.expiresAt);
    expect(expiresAt).toBeGreaterThanOrEqual(before + 299_000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 301_000);

    // The old key keeps working through (and after) the invalidation notice.
    for (let i = 0; i < 5; i++) {
      const res = await stack.api(co.workspaceKey, "POST", "/v1/events", event({ action: `auth.grace_${i}` }));
      expect(res.status, res.text).toBe(201);
      await new Promise((r) => setTimeout(r, 40));
    }
    const oldStatus = await stack.api(co.workspaceKey, "GET", "/v1/keys/status");
    expect(oldStatus.status).toBe(200);
    expect(oldStatus.body.key).toMatchObject({ id: oldId, status: "rotating" });
    expect(Date.parse(oldStatus.body.key.expiresAt)).toBe(expiresAt);

    const fresh = await stack.api(rotated.body.secret, "GET", "/v1/events?category=auth");
    expect(fresh.status).toBe(200);
    expect(fresh.body.data).toHaveLength(5);

    // A rotating key cannot be rotated again; revoking it ends the grace period at once.
    const twice = await stack.api(co.companyKey, "POST", `/v1/keys/${oldId}/rotate`, { gracePeriodSeconds: 300 });
    expectApiError(twice, 409, "failed_precondition");
    expect((await stack.api(co.companyKey, "POST", `/v1/keys/${oldId}/revoke`)).status).toBe(200);
    const gone = await eventually(
      () => stack.api(co.workspaceKey, "GET", "/v1/events"),
      (r) => r.status === 401,
    );
    expectApiError(gone, 401, "unauthenticated");
    expect((await stack.api(rotated.body.secret, "GET", "/v1/events")).status).toBe(200);
  });

  it("honours gracePeriodSeconds 0 when the body is sent chunked (no Content-Length)", async () => {
    const co = await stack.seedCompany("us");
    const oldId = await keyIdOf(co.workspaceKey);
    const rotated = await chunkedPost(co.companyKey, `/v1/keys/${oldId}/rotate`, { gracePeriodSeconds: 0 });
    expect(rotated.status, JSON.stringify(rotated.body)).toBe(201);
    expect(rotated.body.previous).toMatchObject({ id: oldId, status: "expired" });
    const old = await eventually(
      () => stack.api(co.workspaceKey, "GET", "/v1/events"),
      (r) => r.status === 401,
    );
    expectApiError(old, 401, "unauthenticated");
    // A revocation reason sent chunked is kept too.
    const revoked = await chunkedPost(co.companyKey, `/v1/keys/${rotated.body.key.id}/revoke`, { reason: "chunked reason" });
    expect(revoked.status).toBe(200);
    const rows = await stack.regions.us!.orm.em
      .fork()
      .execute<Array<{ revoked_reason: string | null }>>("select revoked_reason from api_keys where id = ?", [rotated.body.key.id]);
    expect(rows).toEqual([{ revoked_reason: "chunked reason" }]);
  });

  it("answers 400, not 500, for rotate/revoke bodies that are not JSON objects", async () => {
    const co = await stack.seedCompany("us");
    const keyId = await keyIdOf(co.workspaceKey);
    for (const action of ["rotate", "revoke"]) {
      for (const body of ["null", "[]", "5", '"x"']) {
        const res = await stack.api(co.companyKey, "POST", `/v1/keys/${keyId}/${action}`, body);
        expectApiError(res, 400, "invalid_argument");
      }
    }
    const rows = await stack.regions.us!.orm.em
      .fork()
      .execute<Array<{ n: number }>>("select count(*)::int as n from api_keys where company_id = ? and revoked_at is null and expires_at is null", [co.companyId]);
    expect(rows[0]!.n).toBe(2);
  });

  it("a grace period ending expires the old key", async () => {
    const co = await stack.seedCompany("us");
    const oldId = await keyIdOf(co.workspaceKey);
    const rotated = await stack.api(co.companyKey, "POST", `/v1/keys/${oldId}/rotate`, { gracePeriodSeconds: 1 });
    expect(rotated.status, rotated.text).toBe(201);
    expect((await stack.api(co.workspaceKey, "GET", "/v1/events")).status).toBe(200);
    const res = await eventually(
      () => stack.api(co.workspaceKey, "GET", "/v1/events"),
      (r) => r.status === 401,
      4000,
    );
    expectApiError(res, 401, "unauthenticated");
    expect(res.body.error.message).toMatch(/expired/);
    expect((await stack.api(rotated.body.secret, "GET", "/v1/events")).status).toBe(200);
  });
});

describe("scope", () => {
  it("a company key cannot ingest: 403", async () => {
    const co = stack.companies.us!;
    for (const path of ["/v1/events", "/v1/key/workspace/events"]) {
      const res = await stack.api(co.companyKey, "POST", path, event());
      expectApiError(res, 403, "forbidden");
      expect(res.body.error.message).toMatch(/workspace key/);
    }
    const batch = await stack.api(co.companyKey, "POST", "/v1/events", { events: [event()] });
    expectApiError(batch, 403, "forbidden");
    const rows = await stack.regions.us!.orm.em
      .fork()
      .execute<Array<{ n: number }>>("select count(*)::int as n from audit_events where company_id = ? and category = 'auth'", [co.companyId]);
    expect(rows[0]!.n).toBe(0);
  });

  it("a workspace key cannot manage keys: 403 on create, rotate and revoke", async () => {
    const co = await stack.seedCompany("us");
    const wsKeyId = await keyIdOf(co.workspaceKey);
    const coKeyId = await keyIdOf(co.companyKey);
    const calls: Array<[string, unknown]> = [
      [`/v1/workspaces/${co.workspaceId}/keys`, { name: "sneaky" }],
      [`/v1/keys/${wsKeyId}/rotate`, { gracePeriodSeconds: 0 }],
      [`/v1/keys/${coKeyId}/rotate`, { gracePeriodSeconds: 0 }],
      [`/v1/keys/${wsKeyId}/revoke`, {}],
      [`/v1/keys/${coKeyId}/revoke`, {}],
    ];
    for (const [path, body] of calls) {
      const res = await stack.api(co.workspaceKey, "POST", path, body);
      expectApiError(res, 403, "forbidden");
      expect(res.body.error.message).toMatch(/company key/);
    }
    const keys = await stack.regions.us!.orm.em
      .fork()
      .execute<Array<{ id: string; revoked_at: Date | null; expires_at: Date | null }>>(
        "select id, revoked_at, expires_at from api_keys where company_id = ? order by id",
        [co.companyId],
      );
    expect(keys).toHaveLength(2);
    for (const k of keys) expect(k).toMatchObject({ revoked_at: null, expires_at: null });
    expect((await stack.api(co.workspaceKey, "GET", "/v1/events")).status).toBe(200);
    expect((await stack.api(co.companyKey, "GET", "/v1/events")).status).toBe(200);
  });
});

describe("GET /v1/keys/status", () => {
  it("reports a company key", async () => {
    const co = stack.companies.us!;
    const res = await stack.api(co.companyKey, "GET", "/v1/keys/status");
    expect(res.status, res.text).toBe(200);
    expect(res.body.region).toBe("us");
    expect(res.body.key).toMatchObject({
      prefix: co.companyKey.slice(0, "hlk_co_us_".length + 6),
      scope: "company",
      companyId: co.companyId,
      workspaceId: null,
      status: "active",
      expiresAt: null,
      revokedAt: null,
      rotatedFromId: null,
    });
    expect([...res.body.key.ipAllowlist].sort()).toEqual(["127.0.0.1", "::1"]);
    expect(res.body.key.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(res.body.key.createdAt)).not.toBeNaN();
    expect(res.text).not.toContain(co.companyKey);
    expect(res.body.key).not.toHaveProperty("keyHash");
    expect(res.body.key).not.toHaveProperty("secret");
  });

  it("reports a workspace key", async () => {
    const co = stack.companies.us!;
    const res = await stack.api(co.workspaceKey, "GET", "/v1/keys/status");
    expect(res.status, res.text).toBe(200);
    expect(res.body.region).toBe("us");
    expect(res.body.key).toMatchObject({
      prefix: co.workspaceKey.slice(0, "hlk_ws_us_".length + 6),
      scope: "workspace",
      companyId: co.companyId,
      workspaceId: co.workspaceId,
      status: "active",
      ipAllowlist: [],
      revokedAt: null,
    });
    expect(res.text).not.toContain(co.workspaceKey);
    const company = await stack.api(co.companyKey, "GET", "/v1/keys/status");
    expect(res.body.key.id).not.toBe(company.body.key.id);
  });

  it("reports keys of another region from that region", async () => {
    const eu = stack.companies.eu!;
    for (const [key, scope] of [
      [eu.companyKey, "company"],
      [eu.workspaceKey, "workspace"],
    ] as const) {
      const res = await stack.api(key, "GET", "/v1/keys/status");
      expect(res.status, res.text).toBe(200);
      expect(res.body.region).toBe("eu");
      expect(res.body.key).toMatchObject({ scope, companyId: eu.companyId, status: "active" });
    }
  });
});
