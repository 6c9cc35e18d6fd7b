import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { TestStack, type ApiResponse, expectApiError } from "@hyrelog/testing";

const INTERNAL_TOKEN = "gateway-test-internal-token-0123456789";

const event = (extra: Record<string, unknown> = {}) => ({
  category: "document",
  action: "document.viewed",
  actor: { id: "u_gw", type: "user" },
  target: { id: "doc_1", type: "document" },
  ...extra,
});


function expectRateHeaders(res: ApiResponse, what: string): void {
  const limit = res.headers.get("x-ratelimit-limit") ?? "(missing)";
  const remaining = res.headers.get("x-ratelimit-remaining") ?? "(missing)";
  const reset = res.headers.get("x-ratelimit-reset") ?? "(missing)";
  expect(limit, `${what}: X-RateLimit-Limit`).toMatch(/^\d+$/);
  expect(remaining, `${what}: X-RateLimit-Remaining`).toMatch(/^\d+$/);
  expect(reset, `${what}: X-RateLimit-Reset`).toMatch(/^\d+$/);
  expect(Number(remaining)).toBeLessThanOrEqual(Number(limit));
  const nowS = Date.now() / 1000;
  expect(Number(reset)).toBeGreaterThan(nowS - 1);
  expect(Number(reset)).toBeLessThanOrEqual(Math.ceil(nowS) + 61);
}

/**
 * Rate limits use fixed one-minute windows; a burst that straddles a window edge would be
 * counted in two windows. Wait for the next window when too little of this one is left.
 */
async function avoidWindowEdge(marginMs = 5000): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < marginMs) await new Promise((r) => setTimeout(r, left + 50));
}

describe("gateway", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await TestStack.start({ infra: inject("infra"), env: { INTERNAL_TOKEN } });
  });
  afterAll(async () => stack?.stop());

  it("GET / describes the service", async () => {
    const res = await stack.api(null, "GET", "/");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: "HyreLog", docs: "/openapi.json" });
    expect(res.body.version).toMatch(/^\d+\.\d+\.\d+/);
    expect([...res.body.regions].sort()).toEqual(["eu", "us"]);
  });

  it("GET /openapi.json serves an OpenAPI 3.1 document", async () => {
    const res = await stack.api(null, "GET", "/openapi.json");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(typeof res.body.openapi).toBe("string");
    expect(res.body.openapi.startsWith("3.1")).toBe(true);
  });

  describe("internal endpoints", () => {
    for (const path of ["/internal/health", "/internal/metrics"]) {
      it(`${path} needs the internal token`, async () => {
        const none = await stack.api(null, "GET", path);
        expectApiError(none, 401, "unauthenticated");
        const wrong = await stack.api(null, "GET", path, undefined, { "x-internal-token": "not-the-internal-token-0000" });
        expectApiError(wrong, 401, "unauthenticated");
        // An API key is not an internal token.
        const apiKey = await stack.api(stack.companies.us!.companyKey, "GET", path);
        expectApiError(apiKey, 401, "unauthenticated");
        const right = await stack.api(null, "GET", path, undefined, { "x-internal-token": INTERNAL_TOKEN });
        expect(right.status).toBe(200);
      });
    }

    it("/internal/health reports every region's services serving", async () => {
      const res = await stack.api(null, "GET", "/internal/health", undefined, { "x-internal-token": INTERNAL_TOKEN });
      expect(res.status).toBe(200);
      expect(res.body.status).toBe("ok");
      for (const region of ["us", "eu"]) {
        expect(res.body.regions[region]).toEqual({ keys: "serving", ingest: "serving", query: "serving", webhook: "serving", export: "serving", gdpr: "serving", archival: "serving", dashboard: "serving" });
      }
    });

    it("/internal/metrics is Prometheus text counting requests", async () => {
      await stack.api(null, "GET", "/");
      const res = await stack.api(null, "GET", "/internal/metrics", undefined, { "x-internal-token": INTERNAL_TOKEN });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
      expect(res.text).toContain("# TYPE hyrelog_gateway_requests_total counter");
      const line = res.text.split("\n").find((l) => l.startsWith('hyrelog_gateway_requests_total{method="GET",route="/",status="200"}'));
      expect(line, res.text).toBeDefined();
      expect(Number(line!.split(" ").at(-1))).toBeGreaterThanOrEqual(1);
    });
  });

  it("answers an unknown route with 404 in the error shape", async () => {
    const res = await stack.api(stack.companies.us!.companyKey, "GET", "/v1/nope");
    expectApiError(res, 404, "not_found");
    expect(res.body.error.details).toBeNull();
    const anonymous = await stack.api(null, "POST", "/does/not/exist", {});
    expectApiError(anonymous, 404, "not_found");
  });

  it("answers a wrong method with 405 and an Allow header", async () => {
    const res = await stack.api(stack.companies.us!.companyKey, "DELETE", "/v1/events");
    expectApiError(res, 405, "method_not_allowed");
    const allow = (res.headers.get("allow") ?? "").split(",").map((s) => s.trim()).sort();
    expect(allow).toEqual(["GET", "POST"]);
    const put = await stack.api(null, "PUT", "/");
    expectApiError(put, 405, "method_not_allowed");
    expect(put.headers.get("allow")).toBe("GET");
  });

  it("sends X-RateLimit-* headers on every response, success and error", async () => {
    const co = stack.companies.us!;
    const token = { "x-internal-token": INTERNAL_TOKEN };
    const cases: Array<[string, () => Promise<ApiResponse>, number]> = [
      ["GET /", () => stack.api(null, "GET", "/"), 200],
      ["GET /openapi.json", () => stack.api(null, "GET", "/openapi.json"), 200],
      ["GET /internal/health", () => stack.api(null, "GET", "/internal/health", undefined, token), 200],
      ["GET /internal/metrics", () => stack.api(null, "GET", "/internal/metrics", undefined, token), 200],
      ["GET /internal/metrics without token", () => stack.api(null, "GET", "/internal/metrics"), 401],
      ["POST /v1/events", () => stack.api(co.workspaceKey, "POST", "/v1/events", event()), 201],
      ["GET /v1/events", () => stack.api(co.companyKey, "GET", "/v1/events"), 200],
      ["GET /v1/keys/status", () => stack.api(co.workspaceKey, "GET", "/v1/keys/status"), 200],
      ["invalid event", () => stack.api(co.workspaceKey, "POST", "/v1/events", { category: "x" }), 400],
      ["no API key", () => stack.api(null, "GET", "/v1/events"), 401],
      ["company key ingests", () => stack.api(co.companyKey, "POST", "/v1/events", event()), 403],
      ["unknown event", () => stack.api(co.companyKey, "GET", `/v1/events/${crypto.randomUUID()}`), 404],
      ["unknown route", () => stack.api(null, "GET", "/nope"), 404],
      ["wrong method", () => stack.api(null, "DELETE", "/v1/events"), 405],
    ];
    for (const [what, call, status] of cases) {
      const res = await call();
      expect(res.status, `${what}: ${res.text}`).toBe(status);
      expectRateHeaders(res, what);
      expect(res.headers.get("x-request-id"), `${what}: X-Request-Id`).toBeTruthy();
      expect(res.headers.get("traceparent") ?? "", `${what}: traceparent`).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/);
    }
  });

  it("continues the caller's trace and stores its trace id and request id with the event", async () => {
    const co = stack.companies.us!;
    const traceId = randomBytes(16).toString("hex");
    const parentId = randomBytes(8).toString("hex");
    const requestId = `req-${randomBytes(6).toString("hex")}`;
    const created = await stack.api(co.workspaceKey, "POST", "/v1/events", event({ action: "document.traced" }), {
      traceparent: `00-${traceId}-${parentId}-01`,
      "x-request-id": requestId,
    });
    expect(created.status, created.text).toBe(201);
    const tp = created.headers.get("traceparent") ?? "";
    expect(tp).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    expect(tp.split("-")[2]).not.toBe(parentId);
    expect(created.headers.get("x-request-id")).toBe(requestId);

    const stored = await stack.api(co.companyKey, "GET", `/v1/events/${created.body.id}`);
    expect(stored.status).toBe(200);
    expect(stored.body.context).toMatchObject({ traceId, requestId, ip: "127.0.0.1" });

    const rows = await stack.regions.us!.orm.em
      .fork()
      .execute<Array<{ trace_id: string; request_id: string }>>("select trace_id, request_id from audit_events where id = ?", [created.body.id]);
    expect(rows).toEqual([{ trace_id: traceId, request_id: requestId }]);
  });

  it("puts the continued trace id into error bodies", async () => {
    const traceId = randomBytes(16).toString("hex");
    const res = await stack.api(null, "GET", "/v1/events", undefined, { traceparent: `00-${traceId}-${randomBytes(8).toString("hex")}-01` });
    expectApiError(res, 401, "unauthenticated");
    expect(res.body.error.traceId).toBe(traceId);
    expect(res.headers.get("traceparent")).toMatch(new RegExp(`^00-${traceId}-`));
  });

  it("starts a new trace and request id when the caller sends none or invalid ones", async () => {
    const res = await stack.api(stack.companies.us!.companyKey, "GET", "/v1/events", undefined, {
      traceparent: "00-not-a-trace-01",
      "x-request-id": "has spaces and ; semicolons",
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("traceparent")).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/);
    const requestId = res.headers.get("x-request-id") ?? "";
    expect(requestId).not.toBe("has spaces and ; semicolons");
    expect(requestId).toMatch(/^[\w.:-]{1,128}$/);
    const plain = await stack.api(null, "GET", "/");
    expect(plain.headers.get("traceparent")).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(plain.headers.get("x-request-id")).toBeTruthy();
  });
});

describe("per-key rate limit", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await TestStack.start({ infra: inject("infra"), regions: ["us"], env: { INTERNAL_TOKEN, RATE_LIMIT_PER_KEY_PER_MINUTE: "5" } });
  });
  afterAll(async () => stack?.stop());

  it("answers a key's 6th request in a minute with 429 and Retry-After; other keys are unaffected", async () => {
    const co = stack.companies.us!;
    await avoidWindowEdge();
    for (let i = 1; i <= 5; i++) {
      const res = await stack.api(co.workspaceKey, "GET", "/v1/events");
      expect(res.status, res.text).toBe(200);
      expect(res.headers.get("x-ratelimit-limit")).toBe("5");
      expect(res.headers.get("x-ratelimit-remaining")).toBe(String(5 - i));
    }
    const limited = await stack.api(co.workspaceKey, "GET", "/v1/events");
    expectApiError(limited, 429, "rate_limited");
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.headers.get("x-ratelimit-limit")).toBe("5");
    expect(limited.headers.get("x-ratelimit-remaining")).toBe("0");
    expectRateHeaders(limited, "429");
    // Rejected requests do nothing: an ingest is refused too, and nothing is stored.
    const ingest = await stack.api(co.workspaceKey, "POST", "/v1/events", event());
    expectApiError(ingest, 429, "rate_limited");
    const rows = await stack.regions.us!.orm.em.fork().execute<Array<{ n: number }>>("select count(*)::int as n from audit_events where company_id = ?", [co.companyId]);
    expect(rows[0]!.n).toBe(0);

    // The limit is per key: the company key and unauthenticated routes still answer.
    const other = await stack.api(co.companyKey, "GET", "/v1/events");
    expect(other.status).toBe(200);
    expect(other.headers.get("x-ratelimit-remaining")).toBe("4");
    expect((await stack.api(null, "GET", "/")).status).toBe(200);
  });
});

describe("per-IP rate limit", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await TestStack.start({ infra: inject("infra"), regions: ["us"], env: { INTERNAL_TOKEN, RATE_LIMIT_PER_IP_PER_MINUTE: "5" } });
  });
  afterAll(async () => stack?.stop());

  it("answers an address's 6th request in a minute with 429, whichever keys it uses", async () => {
    const co = stack.companies.us!;
    await avoidWindowEdge();
    const calls = [
      () => stack.api(null, "GET", "/"),
      () => stack.api(co.companyKey, "GET", "/v1/events"),
      () => stack.api(co.workspaceKey, "GET", "/v1/events"),
      () => stack.api(co.companyKey, "GET", "/v1/keys/status"),
      () => stack.api(null, "GET", "/openapi.json"),
    ];
    for (const call of calls) expect((await call()).status).toBe(200);
    for (const res of [
      await stack.api(co.workspaceKey, "GET", "/v1/events"),
      await stack.api(null, "GET", "/"),
      await stack.api("not-even-a-key", "GET", "/v1/events"),
    ]) {
      expectApiError(res, 429, "rate_limited");
      expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(Number(res.headers.get("retry-after"))).toBeLessThanOrEqual(60);
      expect(res.headers.get("x-ratelimit-limit")).toBe("5");
      expect(res.headers.get("x-ratelimit-remaining")).toBe("0");
    }
  });
});
