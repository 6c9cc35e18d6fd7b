import { readFileSync } from "node:fs";
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { expectApiError, TestStack, type ApiResponse } from "@hyrelog/testing";
import { dash, dashboardHeaders, expectStatus, footprint, type Role, type Who } from "./helpers.ts";

/**
 * Who may open /dashboard/*: the dashboard service token and the signed-in person's headers, checked
 * at the gateway for every route of its dashboard route table; never an API key, and the token
 * never opens /v1/*. Every refusal names the header or the role, says nothing of the person
 * (ids and emails are personal data), and writes nothing.
 */

let stack: TestStack;
/** A second token, for rotation: both work at once. */
const ROTATED = randomBytes(32).toString("base64url");
const PERSON = { userId: "person-7f3a", email: "jane.doe@customer.test" };

interface DashboardRouteEntry {
  method: string;
  pattern: string;
  access: "admin" | "reads" | "changes";
}

/** The dashboard routes the gateway registers, read from its route table (routes/dashboard.ts). */
function dashboardRoutes(): DashboardRouteEntry[] {
  const text = readFileSync(new URL("../../services/gateway/src/routes/dashboard.ts", import.meta.url), "utf8");
  const entries = [...text.matchAll(/\{ method: "([A-Z]+)", pattern: "([^"]+)", \.\.\.(admin|reads|changes)\b/g)].map(([, method, pattern, access]) => ({
    method: method!,
    pattern: pattern!,
    access: access as DashboardRouteEntry["access"],
  }));
  expect(entries.length, "every route entry of routes/dashboard.ts is read").toBe(text.match(/\bpattern: "/g)?.length);
  return entries;
}

const ROLES_OF: Record<DashboardRouteEntry["access"], Role[]> = { admin: ["HYRELOG_ADMIN"], reads: ["MEMBER", "ADMIN", "HYRELOG_ADMIN"], changes: ["ADMIN", "HYRELOG_ADMIN"] };

/** A concrete path for a route: ids that exist nowhere (authentication comes first). */
const concrete = (pattern: string) => pattern.replace(/:[A-Za-z]+/g, () => randomUUID());

function call(route: DashboardRouteEntry, headers: Record<string, string>): Promise<ApiResponse> {
  const body = route.method === "GET" ? undefined : {};
  return stack.api(null, route.method, concrete(route.pattern), body, headers);
}

/** No refusal tells anything about the person: neither their id nor their email. */
function expectNoPersonalData(res: ApiResponse): void {
  expect(res.text).not.toContain(PERSON.userId);
  expect(res.text).not.toContain(PERSON.email);
}

beforeAll(async () => {
  // Every route times every refusal is more requests than the default 600 a minute per address.
  stack = await TestStack.start({ infra: inject("infra"), regions: ["us", "eu"], env: { RATE_LIMIT_PER_IP_PER_MINUTE: "100000" } });
  // The stack's token plus a rotated-in one.
  await stack.restartGateway({ DASHBOARD_SERVICE_TOKEN: `${stack.dashboardToken},${ROTATED}` });
});
afterAll(async () => stack?.stop());

describe("authentication of /dashboard/*", () => {
  it("covers every dashboard route: 53 routes, each with the roles its table entry allows", () => {
    const routes = dashboardRoutes();
    expect(routes.map((r) => `${r.method} ${r.pattern}`)).toEqual([
      "POST /dashboard/admin/companies",
      "GET /dashboard/admin/companies",
      "GET /dashboard/admin/plans",
      "POST /dashboard/admin/companies/:id/plan",
      "GET /dashboard/admin/audit-logs",
      "POST /dashboard/admin/audit-logs/verify",
      "POST /dashboard/admin/jobs/:name/run",
      "GET /dashboard/admin/restore-requests",
      "POST /dashboard/admin/restore-requests/:id/approve",
      "POST /dashboard/admin/restore-requests/:id/reject",
      "POST /dashboard/admin/restore-requests/:id/cancel",
      "GET /dashboard/admin/gdpr-requests",
      "GET /dashboard/admin/gdpr-requests/:id",
      "POST /dashboard/admin/gdpr-requests/:id/approve",
      "POST /dashboard/admin/gdpr-requests/:id/reject",
      "GET /dashboard/company",
      "GET /dashboard/workspaces",
      "POST /dashboard/workspaces",
      "POST /dashboard/workspaces/:id/rename",
      "POST /dashboard/workspaces/:id/archive",
      "GET /dashboard/workspaces/:id/projects",
      "POST /dashboard/workspaces/:id/projects",
      "POST /dashboard/projects/:id/rename",
      "POST /dashboard/projects/:id/archive",
      "GET /dashboard/keys",
      "POST /dashboard/keys",
      "POST /dashboard/keys/:id/revoke",
      "PUT /dashboard/keys/:id/ip-allowlist",
      "GET /dashboard/events",
      "GET /dashboard/events/:id",
      "POST /dashboard/exports",
      "GET /dashboard/exports/:jobId",
      "GET /dashboard/exports/:jobId/download",
      "GET /dashboard/workspaces/:workspaceId/webhooks",
      "POST /dashboard/workspaces/:workspaceId/webhooks",
      "POST /dashboard/webhooks/:id/disable",
      "POST /dashboard/webhooks/:id/enable",
      "POST /dashboard/webhooks/:id/rotate-secret",
      "DELETE /dashboard/webhooks/:id",
      "GET /dashboard/webhooks/:id/deliveries",
      "POST /dashboard/webhooks/:id/deliveries/:deliveryId/replay",
      "GET /dashboard/gdpr-requests",
      "POST /dashboard/gdpr-requests",
      "GET /dashboard/gdpr-requests/:id",
      "POST /dashboard/gdpr-requests/:id/approve",
      "POST /dashboard/gdpr-requests/:id/reject",
      "POST /dashboard/gdpr-requests/:id/cancel",
      "POST /dashboard/restore-requests",
      "GET /dashboard/restore-requests",
      "GET /dashboard/restore-requests/:id",
      "DELETE /dashboard/restore-requests/:id",
      "GET /dashboard/retention-classes",
      "PUT /dashboard/retention-classes",
    ]);
    // Reads are open to every role; every change (a GDPR decision too) needs ADMIN or HYRELOG_ADMIN.
    for (const r of routes) if (r.pattern.startsWith("/dashboard/admin/")) expect(r.access, r.pattern).toBe("admin");
    for (const r of routes) if (!r.pattern.startsWith("/dashboard/admin/") && r.method !== "GET") expect(r.access, `${r.method} ${r.pattern}`).toBe("changes");
    for (const r of routes) if (!r.pattern.startsWith("/dashboard/admin/") && r.method === "GET") expect(r.access, `${r.method} ${r.pattern}`).toBe("reads");
  });

  it("every route refuses a missing token, an API key, a wrong token and each missing or malformed header, by name, writing nothing", async () => {
    const co = stack.companies.us!;
    const before = await footprint(stack);
    for (const route of dashboardRoutes()) {
      const label = `${route.method} ${route.pattern}`;
      const who: Who = { role: ROLES_OF[route.access].at(-1)!, companyId: co.companyId, ...PERSON };
      const good = dashboardHeaders(stack, who);
      const without = (name: string) => Object.fromEntries(Object.entries(good).filter(([k]) => k !== name));
      const cases: Array<[Record<string, string>, number, string]> = [
        [{}, 401, "missing x-dashboard-token: /dashboard/* is opened by the dashboard service token, never by an API key"],
        [{ authorization: `Bearer ${co.companyKey}` }, 401, "missing x-dashboard-token: /dashboard/* is opened by the dashboard service token, never by an API key"],
        [{ ...without("x-dashboard-token"), authorization: `Bearer ${co.companyKey}` }, 401, "missing x-dashboard-token: /dashboard/* is opened by the dashboard service token, never by an API key"],
        [{ ...good, "x-dashboard-token": `${stack.dashboardToken}x` }, 401, "wrong x-dashboard-token"],
        [{ ...good, "x-dashboard-token": co.companyKey }, 401, "wrong x-dashboard-token"],
        [without("x-user-id"), 401, "missing x-user-id"],
        [{ ...good, "x-user-id": "x".repeat(257) }, 401, "x-user-id must be 1 to 256 characters without control characters"],
        [without("x-user-email"), 401, "missing x-user-email"],
        [{ ...good, "x-user-email": "not-an-email" }, 401, "x-user-email must be an email address"],
        [without("x-user-role"), 401, "missing x-user-role"],
        [{ ...good, "x-user-role": "ROOT" }, 401, "x-user-role must be MEMBER, ADMIN or HYRELOG_ADMIN"],
        [{ ...good, "x-user-role": "admin" }, 401, "x-user-role must be MEMBER, ADMIN or HYRELOG_ADMIN"],
      ];
      if (route.access !== "admin") {
        cases.push(
          [without("x-company-id"), 401, "missing x-company-id"],
          [{ ...good, "x-company-id": "acme" }, 401, "x-company-id must be a company id (UUID)"],
        );
      }
      for (const [headers, status, message] of cases) {
        const res = await call(route, headers);
        expectApiError(res, status, status === 401 ? "unauthenticated" : "forbidden");
        expect(res.body.error.message, `${label} ${JSON.stringify(Object.keys(headers))}`).toBe(message);
        expectNoPersonalData(res);
      }
    }
    expect(await stack.footprint()).toEqual(before);
  });

  it("a role the route does not allow is 403 naming the role needed", async () => {
    const co = stack.companies.us!;
    const before = await footprint(stack);
    let refused = 0;
    for (const route of dashboardRoutes()) {
      for (const role of (["MEMBER", "ADMIN", "HYRELOG_ADMIN"] as Role[]).filter((r) => !ROLES_OF[route.access].includes(r))) {
        const res = await call(route, dashboardHeaders(stack, { role, companyId: co.companyId, ...PERSON }));
        expectApiError(res, 403, "forbidden");
        expect(res.body.error.message, `${role} ${route.method} ${route.pattern}`).toBe(`this route needs role ${ROLES_OF[route.access].join(" or ")} (x-user-role is ${role})`);
        expectNoPersonalData(res);
        refused++;
      }
    }
    // 15 admin routes x 2 roles + 23 changes x MEMBER.
    expect(refused).toBe(15 * 2 + 23);
    expect(await stack.footprint()).toEqual(before);
  });

  it("a company no region has is 404 on every company route; the system company is no one's", async () => {
    const routes = dashboardRoutes().filter((r) => r.access !== "admin");
    const system = (await dash(stack, { role: "HYRELOG_ADMIN" }, "GET", "/dashboard/admin/audit-logs?region=us")).body.companyId;
    for (const companyId of [randomUUID(), system]) {
      for (const route of routes) {
        const res = await call(route, dashboardHeaders(stack, { role: "HYRELOG_ADMIN", companyId }));
        expectApiError(res, 404, "not_found");
        expect(res.body.error.message).toBe(`company ${companyId} not found`);
      }
    }
  });

  it("both tokens of a rotation are accepted; the token never opens /v1 and an API key never opens /dashboard", async () => {
    const co = stack.companies.eu!;
    for (const token of [stack.dashboardToken, ROTATED]) {
      const res = await stack.api(null, "GET", "/dashboard/company", undefined, { ...dashboardHeaders(stack, { role: "MEMBER", companyId: co.companyId }), "x-dashboard-token": token });
      expectStatus(res, 200);
      expect(res.body.company.id).toBe(co.companyId);
    }
    for (const path of ["/v1/events", "/v1/keys/status"]) {
      const res = await stack.api(null, "GET", path, undefined, dashboardHeaders(stack, { role: "HYRELOG_ADMIN", companyId: co.companyId }));
      expectApiError(res, 401, "unauthenticated");
      const bearer = await stack.api(stack.dashboardToken, "GET", path);
      expectApiError(bearer, 401, "unauthenticated");
    }
    const withKey = await stack.api(co.companyKey, "GET", "/dashboard/company", undefined, { "x-company-id": co.companyId, "x-user-role": "HYRELOG_ADMIN" });
    expectApiError(withKey, 401, "unauthenticated");
  });

  it("takes no query parameter a route does not declare, after authentication", async () => {
    const who: Who = { role: "HYRELOG_ADMIN", companyId: stack.companies.us!.companyId };
    const res = await dash(stack, who, "GET", "/dashboard/company?verbose=1");
    expectApiError(res, 400, "invalid_argument");
    expect(res.body.error.details.violations).toEqual([{ field: "verbose", description: "is not a query parameter of GET /dashboard/company (it takes none)" }]);
    expectApiError(await stack.api(null, "GET", "/dashboard/company?verbose=1"), 401, "unauthenticated");
    const wrongMethod = await dash(stack, who, "DELETE", "/dashboard/keys");
    expectApiError(wrongMethod, 405, "method_not_allowed");
    expect(wrongMethod.headers.get("allow")).toBe("GET, POST");
  });
});

describe("a gateway without DASHBOARD_SERVICE_TOKEN", () => {
  it("answers 503 on every dashboard route and serves /v1 as before", async () => {
    await stack.restartGateway({ DASHBOARD_SERVICE_TOKEN: "" });
    try {
      for (const route of dashboardRoutes()) {
        const res = await call(route, dashboardHeaders(stack, { role: "HYRELOG_ADMIN", companyId: stack.companies.us!.companyId }));
        expectApiError(res, 503, "unavailable");
        expect(res.body.error.message).toBe("dashboard is not configured (DASHBOARD_SERVICE_TOKEN is not set)");
      }
      expectStatus(await stack.api(stack.companies.us!.companyKey, "GET", "/v1/keys/status"), 200);
    } finally {
      await stack.restartGateway({ DASHBOARD_SERVICE_TOKEN: `${stack.dashboardToken},${ROTATED}` });
    }
  });
});
