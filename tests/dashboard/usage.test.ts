import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { expectApiError, TestStack } from "@hyrelog/testing";
import { dash, expectStatus } from "./helpers.ts";

/**
 * Usage: events stored per company per UTC day (usage_daily, kept by a trigger on audit_events in
 * the inserting transaction), shown in GET /dashboard/company, and the plan's monthly event quota
 * that ingest enforces (429 plan_limit naming the quota and when it resets; none for ENTERPRISE).
 */

let stack: TestStack;
const staff = { role: "HYRELOG_ADMIN" as const };

const sql = <T = Record<string, unknown>>(query: string, params: unknown[] = []) => stack.regions.us!.orm.em.fork().execute<T[]>(query, params);
const event = (i: number) => ({ category: "usage", action: "usage.tested", actor: { id: `u_${i}` } });
const stored = async (companyId: string) => Number((await sql<{ n: string }>(`select count(*)::text as n from audit_events where company_id = ?`, [companyId]))[0]!.n);
const counted = async (companyId: string) =>
  Number((await sql<{ n: string }>(`select coalesce(sum(events), 0)::text as n from usage_daily where company_id = ?`, [companyId]))[0]!.n);

beforeAll(async () => {
  stack = await TestStack.start({ infra: inject("infra"), regions: ["us"] });
});
afterAll(async () => stack?.stop());

describe("usage counter", () => {
  it("equals the events stored under concurrent ingest into several workspaces, and GET /dashboard/company shows it", async () => {
    const co = await stack.seedCompany("us", "STARTER", "Usage Co");
    const admin = { role: "ADMIN" as const, companyId: co.companyId };
    // A second workspace with a key of its own, so writers of two logs of one company race.
    const ws2 = await dash(stack, admin, "POST", "/dashboard/workspaces", { name: "Second" });
    expectStatus(ws2, 201);
    const key2 = await dash(stack, admin, "POST", "/dashboard/keys", { scope: "workspace", workspaceId: ws2.body.workspace.id, name: "second" });
    expectStatus(key2, 201);
    const keys = [co.workspaceKey, key2.body.secret as string];

    const requests = Array.from({ length: 40 }, (_, i) => {
      const key = keys[i % 2]!;
      // Singles, batches, and idempotent retries (a duplicate stores nothing and counts nothing).
      if (i % 4 === 0) return stack.api(key, "POST", "/v1/events", event(i));
      if (i % 4 === 1) return stack.api(key, "POST", "/v1/events", { events: Array.from({ length: 25 }, (_, j) => event(i * 100 + j)) });
      return stack.api(key, "POST", "/v1/events", event(i % 8), { "idempotency-key": `retry-${i % 8}` });
    });
    const answers = await Promise.all(requests);
    for (const a of answers) expect([200, 201], a.text).toContain(a.status);

    const n = await stored(co.companyId);
    // 10 singles + 10 batches of 25 + the distinct idempotency keys per workspace, plus the
    // company-log records of the dashboard changes above.
    expect(n).toBeGreaterThanOrEqual(10 + 250 + 4);
    expect(await counted(co.companyId)).toBe(n);

    const summary = await dash(stack, { role: "MEMBER", companyId: co.companyId }, "GET", "/dashboard/company");
    expectStatus(summary, 200);
    const now = new Date();
    expect(summary.body.usage).toEqual({
      eventsToday: n,
      eventsThisMonth: n,
      monthlyEventQuota: 1_000_000,
      monthResetsAt: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString(),
    });
  });

  it("counts per UTC day and month: older days count in the month, other months do not", async () => {
    const co = await stack.seedCompany("us", "STARTER", "Calendar Co");
    const now = new Date();
    const yesterday = new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);
    const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 15)).toISOString().slice(0, 10);
    await sql(`insert into usage_daily (company_id, day, events) values (?, ?, 7), (?, ?, 1000)`, [co.companyId, yesterday, co.companyId, lastMonth]);
    expectStatus(await stack.api(co.workspaceKey, "POST", "/v1/events", event(1)), 201);
    const summary = await dash(stack, { role: "MEMBER", companyId: co.companyId }, "GET", "/dashboard/company");
    const sameMonth = yesterday.slice(0, 7) === now.toISOString().slice(0, 7);
    expect(summary.body.usage).toMatchObject({ eventsToday: 1, eventsThisMonth: sameMonth ? 8 : 1 });
  });
});

describe("monthly event quota", () => {
  it("plans list their quota; overrides are validated", async () => {
    const plans = await dash(stack, staff, "GET", "/dashboard/admin/plans");
    expectStatus(plans, 200);
    expect(Object.fromEntries(plans.body.data.map((p: { tier: string; monthlyEventQuota: number | null }) => [p.tier, p.monthlyEventQuota]))).toEqual({
      FREE: 100_000,
      STARTER: 1_000_000,
      GROWTH: 10_000_000,
      ENTERPRISE: null,
    });
    const co = stack.companies.us!;
    for (const bad of [-1, 1.5, "10"]) {
      const res = await dash(stack, staff, "POST", `/dashboard/admin/companies/${co.companyId}/plan`, { tier: "STARTER", overrides: { monthlyEventQuota: bad } });
      expectApiError(res, 400, "invalid_argument");
      expect(res.body.error.details.violations).toEqual([{ field: "overrides.monthlyEventQuota", description: "must be a whole number of events >= 0, or null for unlimited" }]);
    }
  });

  it("refuses a FREE company's events beyond a small override with 429 naming the quota and its reset; nothing is stored", async () => {
    const co = await stack.seedCompany("us", "FREE", "Quota Co");
    const set = await dash(stack, staff, "POST", `/dashboard/admin/companies/${co.companyId}/plan`, { tier: "FREE", overrides: { monthlyEventQuota: 30 } });
    expectStatus(set, 200);
    expect(set.body.company.effectivePlan.monthlyEventQuota).toBe(30);
    // The plan change is recorded in the company's own log (HyreLog's record, outside the quota).
    const base = await stored(co.companyId);

    expectStatus(await stack.api(co.workspaceKey, "POST", "/v1/events", { events: Array.from({ length: 25 - base }, (_, i) => event(i)) }), 201);
    const over = await stack.api(co.workspaceKey, "POST", "/v1/events", { events: Array.from({ length: 10 }, (_, i) => event(i)) });
    expectApiError(over, 429, "plan_limit");
    const now = new Date();
    const resets = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
    expect(over.body.error.message).toBe(
      `monthly event quota reached: the FREE plan of this company allows 30 events per calendar month (UTC), 25 are stored this month, ` +
        `and this request carries 10 (5 left); nothing was stored. The quota resets at ${resets.toISOString()}; a plan change or a monthlyEventQuota override raises it.`,
    );
    expect(over.body.error.details).toEqual({ plan: "FREE", limit: "monthlyEventQuota", value: "30" });
    const retryAfter = Number(over.headers.get("retry-after"));
    expect(Math.abs(retryAfter - (resets.getTime() - Date.now()) / 1000)).toBeLessThan(60);
    expect(await stored(co.companyId)).toBe(25);

    // What is left still goes in; then a single event is refused too.
    expectStatus(await stack.api(co.workspaceKey, "POST", "/v1/events", { events: Array.from({ length: 5 }, (_, i) => event(i)) }), 201);
    expectApiError(await stack.api(co.workspaceKey, "POST", "/v1/events", event(99)), 429, "plan_limit");
    expect(await stored(co.companyId)).toBe(30);
    expect(await counted(co.companyId)).toBe(30);

    // HyreLog's own records still land beyond the quota (an ADMIN's change, recorded in the company log).
    expectStatus(await dash(stack, { role: "ADMIN", companyId: co.companyId }, "POST", "/dashboard/workspaces", { name: "After quota" }), 201);
    await expect.poll(() => stored(co.companyId)).toBe(31);

    // ENTERPRISE has no quota (the cached read is at most 1 s old).
    expectStatus(await dash(stack, staff, "POST", `/dashboard/admin/companies/${co.companyId}/plan`, { tier: "ENTERPRISE", overrides: {} }), 200);
    await new Promise((r) => setTimeout(r, 1100));
    expectStatus(await stack.api(co.workspaceKey, "POST", "/v1/events", event(100)), 201);
    const summary = await dash(stack, { role: "MEMBER", companyId: co.companyId }, "GET", "/dashboard/company");
    expect(summary.body.usage).toMatchObject({ eventsThisMonth: await stored(co.companyId), monthlyEventQuota: null });
  });

  it("a STARTER company with an override is refused as well", async () => {
    const co = await stack.seedCompany("us", "STARTER", "Starter Quota Co");
    expectStatus(await dash(stack, staff, "POST", `/dashboard/admin/companies/${co.companyId}/plan`, { tier: "STARTER", overrides: { monthlyEventQuota: 0 } }), 200);
    const res = await stack.api(co.workspaceKey, "POST", "/v1/events", event(1));
    expectApiError(res, 429, "plan_limit");
    expect(res.body.error.message).toMatch(/^monthly event quota reached: the STARTER plan of this company allows 0 events per calendar month/);
  });
});
