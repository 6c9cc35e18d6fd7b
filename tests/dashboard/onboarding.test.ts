import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { chainFieldsOf, eventHash, expectApiError, GENESIS_HASH, systemCompanyId, TestStack, type EventJson } from "@hyrelog/testing";
import { dash, expectStatus, until, type Who } from "./helpers.ts";

/**
 * A company onboarded through the dashboard API alone, with no seed: created by HyreLog staff in
 * EU, given a workspace, a project and keys, used through /v1 (ingest and query), its rows only in
 * the EU database; the admin list across regions; plans and overrides; and HyreLog's own system log
 * holding every change, verifying like any company-level log.
 */

let stack: TestStack;
const staff: Who = { role: "HYRELOG_ADMIN", userId: "staff-1", email: "staff@hyrelog.test" };

/** The onboarded company, built by the first test and used by the next. */
const onboarded = { companyId: "", workspaceId: "", projectId: "", workspaceKey: "", companyKey: "", companyKeyId: "", eventId: "" };

const sql = <T = Record<string, unknown>>(region: "us" | "eu", query: string, params: unknown[] = []) => stack.regions[region]!.orm.em.fork().execute<T[]>(query, params);

beforeAll(async () => {
  stack = await TestStack.start({ infra: inject("infra"), regions: ["us", "eu"], env: { RATE_LIMIT_KEY_MANAGEMENT_PER_MINUTE: "1000" } });
});
afterAll(async () => stack?.stop());

describe("a company onboarded through the dashboard, with no seed", () => {
  it("is created in EU, gets a workspace, a project and keys, ingests and reads through /v1, and has rows only in the EU database", async () => {
    const created = await dash(stack, staff, "POST", "/dashboard/admin/companies", { name: "Onboarded GmbH", dataRegion: "eu", plan: "GROWTH" });
    expectStatus(created, 201);
    expect(created.body.company).toMatchObject({
      name: "Onboarded GmbH",
      dataRegion: "eu",
      plan: "GROWTH",
      planOverrides: {},
      effectivePlan: { tier: "GROWTH", retentionDays: 90, exportRowLimit: 1_000_000, maxWebhooks: 3, features: { webhooks: true, exports: true } },
    });
    const companyId: string = created.body.company.id;
    onboarded.companyId = companyId;
    const admin: Who = { role: "ADMIN", companyId, userId: "cust-admin", email: "admin@onboarded.test" };

    const ws = await dash(stack, admin, "POST", "/dashboard/workspaces", { name: "Production" });
    expectStatus(ws, 201);
    expect(ws.body.workspace).toMatchObject({ companyId, name: "Production", status: "active", archivedAt: null, projects: [] });
    const workspaceId: string = ws.body.workspace.id;
    const project = await dash(stack, admin, "POST", `/dashboard/workspaces/${workspaceId}/projects`, { name: "Billing" });
    expectStatus(project, 201);
    expect(project.body.project).toMatchObject({ companyId, workspaceId, name: "Billing", status: "active" });
    const projectId: string = project.body.project.id;

    const wsKey = await dash(stack, admin, "POST", "/dashboard/keys", { scope: "workspace", workspaceId, name: "billing ingest" });
    expectStatus(wsKey, 201);
    expect(wsKey.body.secret).toMatch(/^hlk_ws_eu_[A-Za-z0-9_-]{43}$/);
    expect(wsKey.body.key).toMatchObject({ scope: "workspace", companyId, workspaceId, name: "billing ingest", status: "active", ipAllowlist: [] });
    expect(wsKey.body.secret.startsWith(wsKey.body.key.prefix)).toBe(true);
    const coKey = await dash(stack, admin, "POST", "/dashboard/keys", { scope: "company", name: "reader", ipAllowlist: ["127.0.0.1", "::1"] });
    expectStatus(coKey, 201);
    expect(coKey.body.secret).toMatch(/^hlk_co_eu_/);
    expect(coKey.body.key).toMatchObject({ scope: "company", workspaceId: null, ipAllowlist: ["127.0.0.1", "::1"] });

    const ingested = await stack.api(wsKey.body.secret, "POST", "/v1/events", {
      category: "invoice",
      action: "invoice.paid",
      actor: { id: "u_42", type: "user" },
      target: { id: "inv_1", type: "invoice" },
      projectId,
    });
    expectStatus(ingested, 201);
    const read = await stack.api(coKey.body.secret, "GET", `/v1/events?workspaceId=${workspaceId}&action=invoice.paid`);
    expectStatus(read, 200);
    expect(read.body.data.map((e: EventJson) => e.id)).toEqual([ingested.body.id]);
    expect(read.body.data[0]).toMatchObject({ companyId, workspaceId, projectId });

    const summary = await dash(stack, { role: "MEMBER", companyId }, "GET", "/dashboard/company");
    expectStatus(summary, 200);
    expect(summary.body.company).toMatchObject({ id: companyId, dataRegion: "eu" });
    expect(summary.body.workspaces).toMatchObject([{ id: workspaceId, name: "Production", projects: [{ id: projectId, name: "Billing" }] }]);
    expect(summary.body.keys).toEqual({ total: 2, active: 2, revoked: 0, expired: 0, company: 1, workspace: 1 });

    // Residency: every row of the company is in EU, none in US.
    const tables = ["companies", "workspaces", "projects", "api_keys", "log_heads", "audit_events", "checkpoints"];
    for (const table of tables) {
      const column = table === "companies" ? "id" : "company_id";
      const [us] = await sql<{ n: number }>("us", `select count(*)::int as n from ${table} where ${column} = ?`, [companyId]);
      expect(us!.n, `us.${table}`).toBe(0);
    }
    for (const table of ["companies", "workspaces", "projects", "api_keys", "audit_events"]) {
      const column = table === "companies" ? "id" : "company_id";
      const [eu] = await sql<{ n: number }>("eu", `select count(*)::int as n from ${table} where ${column} = ?`, [companyId]);
      expect(eu!.n, `eu.${table}`).toBeGreaterThan(0);
    }
    // The US system log holds nothing about it either: the change was recorded in EU's.
    const [usSystem] = await sql<{ n: number }>("us", `select count(*)::int as n from audit_events where metadata->>'companyId' = ?`, [companyId]);
    expect(usSystem!.n).toBe(0);

    Object.assign(onboarded, {
      workspaceId,
      projectId,
      workspaceKey: wsKey.body.secret,
      companyKey: coKey.body.secret,
      companyKeyId: coKey.body.key.id,
      eventId: ingested.body.id,
    });
  });

  it("lists companies across regions: every region, one region, a name fragment, an exact id", async () => {
    const us = await dash(stack, staff, "POST", "/dashboard/admin/companies", { name: "Onboarded Inc", dataRegion: "us", plan: "STARTER" });
    expectStatus(us, 201);
    const all = await dash(stack, staff, "GET", "/dashboard/admin/companies?q=onboarded");
    expectStatus(all, 200);
    expect(all.body.regions).toEqual(["us", "eu"]);
    expect(all.body.unreachableRegions).toEqual([]);
    // Newest first, across regions.
    expect(all.body.data.map((c: { name: string; dataRegion: string }) => `${c.name} ${c.dataRegion}`)).toEqual(["Onboarded Inc us", "Onboarded GmbH eu"]);
    const everyone = await dash(stack, staff, "GET", "/dashboard/admin/companies");
    const names = everyone.body.data.map((c: { name: string }) => c.name);
    expect(names).toEqual(expect.arrayContaining(["Test Co us", "Test Co eu", "Onboarded Inc", "Onboarded GmbH"]));
    // HyreLog's own system companies are never listed.
    expect(names.some((n: string) => n.startsWith("HyreLog system"))).toBe(false);
    const euOnly = await dash(stack, staff, "GET", "/dashboard/admin/companies?region=eu&q=ONBOARD");
    expect(euOnly.body.data.map((c: { id: string }) => c.id)).toEqual([onboarded.companyId]);
    const byId = await dash(stack, staff, "GET", `/dashboard/admin/companies?q=${us.body.company.id}`);
    expect(byId.body.data.map((c: { id: string }) => c.id)).toEqual([us.body.company.id]);
    const limited = await dash(stack, staff, "GET", "/dashboard/admin/companies?limit=1");
    expect(limited.body.data).toHaveLength(1);
    // LIKE wildcards in q are plain text.
    expect((await dash(stack, staff, "GET", "/dashboard/admin/companies?q=%25")).body.data).toEqual([]);
    expectApiError(await dash(stack, staff, "GET", "/dashboard/admin/companies?region=mars"), 400, "invalid_argument");
    const notServed = await dash(stack, staff, "GET", "/dashboard/admin/companies?region=au");
    expectApiError(notServed, 400, "invalid_argument");
    expect(notServed.body.error.details.violations).toEqual([{ field: "region", description: "this installation serves us, eu" }]);
  });

  it("creating a company is validated at the edge and in its region", async () => {
    const bad = await dash(stack, staff, "POST", "/dashboard/admin/companies", { name: "", dataRegion: "mars", plan: "PLATINUM", extra: 1 });
    expectApiError(bad, 400, "invalid_argument");
    expect(bad.body.error.details.violations.map((v: { field: string }) => v.field).sort()).toEqual(["dataRegion", "extra", "name", "plan"]);
    const notServed = await dash(stack, staff, "POST", "/dashboard/admin/companies", { name: "Down Under", dataRegion: "au", plan: "FREE" });
    expectApiError(notServed, 400, "invalid_argument");
    expect(notServed.body.error.details.violations).toEqual([{ field: "dataRegion", description: "this installation serves us, eu" }]);
    const control = await dash(stack, staff, "POST", "/dashboard/admin/companies", { name: "bad\u0000name", dataRegion: "eu", plan: "FREE" });
    expectApiError(control, 400, "invalid_argument");
    expect(control.body.error.details.violations[0].field).toBe("name");
    const long = await dash(stack, staff, "POST", "/dashboard/admin/companies", { name: "x".repeat(201), dataRegion: "eu", plan: "FREE" });
    expectApiError(long, 400, "invalid_argument");
  });

  it("plans: the tiers and their limits; a change with overrides, validated; a downgrade keeps the data and disables features", async () => {
    const plans = await dash(stack, staff, "GET", "/dashboard/admin/plans");
    expectStatus(plans, 200);
    expect(plans.body.data.map((p: { tier: string }) => p.tier)).toEqual(["FREE", "STARTER", "GROWTH", "ENTERPRISE"]);
    expect(plans.body.data[3]).toMatchObject({ tier: "ENTERPRISE", retentionDays: 180, exportRowLimit: null, maxWebhooks: 20 });

    const { companyId } = onboarded;
    const path = `/dashboard/admin/companies/${companyId}/plan`;
    const badTier = await dash(stack, staff, "POST", path, { tier: "PLATINUM" });
    expectApiError(badTier, 400, "invalid_argument");
    expect(badTier.body.error.details.violations).toEqual([{ field: "tier", description: "must be FREE, STARTER, GROWTH or ENTERPRISE" }]);
    const badOverrides = await dash(stack, staff, "POST", path, {
      tier: "STARTER",
      overrides: { maxWebhooks: -1, retentionDays: 1.5, exportRowLimit: "lots", colour: "red", features: { teleport: true, exports: "yes" } },
    });
    expectApiError(badOverrides, 400, "invalid_argument");
    expect(badOverrides.body.error.details.violations.map((v: { field: string }) => v.field).sort()).toEqual([
      "overrides.colour",
      "overrides.exportRowLimit",
      "overrides.features.exports",
      "overrides.features.teleport",
      "overrides.maxWebhooks",
      "overrides.retentionDays",
    ]);
    expectApiError(await dash(stack, staff, "POST", path, { tier: "STARTER", overrides: [1] }), 400, "invalid_argument");

    const changed = await dash(stack, staff, "POST", path, { tier: "STARTER", overrides: { maxWebhooks: 1, exportRowLimit: null, features: { webhooks: true } } });
    expectStatus(changed, 200);
    expect(changed.body.company).toMatchObject({
      plan: "STARTER",
      planOverrides: { maxWebhooks: 1, exportRowLimit: null, features: { webhooks: true } },
      effectivePlan: { tier: "STARTER", retentionDays: 30, exportRowLimit: null, maxWebhooks: 1, features: { webhooks: true, exports: true, archivedExports: false } },
    });

    // Downgrade to FREE without overrides: the overrides stay until replaced; clear them with {}.
    const free = await dash(stack, staff, "POST", path, { tier: "FREE", overrides: {} });
    expectStatus(free, 200);
    expect(free.body.company).toMatchObject({ plan: "FREE", planOverrides: {}, effectivePlan: { maxWebhooks: 0, features: { webhooks: false, exports: false } } });
    // Nothing was deleted: the event is still there and readable...
    const events = await stack.api(onboarded.companyKey, "GET", `/v1/events?workspaceId=${onboarded.workspaceId}`);
    expect(events.body.data.map((e: EventJson) => e.id)).toContain(onboarded.eventId);
    // ...and what FREE lacks is refused from now on.
    const hook = await stack.api(onboarded.companyKey, "POST", `/v1/workspaces/${onboarded.workspaceId}/webhooks`, { url: "https://hooks.example.com/x", events: ["AUDIT_EVENT_CREATED"] });
    expectApiError(hook, 403, "plan_limit");
    const back = await dash(stack, staff, "POST", path, { tier: "GROWTH" });
    expect(back.body.company).toMatchObject({ plan: "GROWTH", planOverrides: {} });

    // A company no region has.
    expectApiError(await dash(stack, staff, "POST", "/dashboard/admin/companies/0190a3c4-0000-7000-8000-000000000000/plan", { tier: "FREE" }), 404, "not_found");
    expectApiError(await dash(stack, staff, "POST", "/dashboard/admin/companies/not-an-id/plan", { tier: "FREE" }), 404, "not_found");
  });
});

describe("HyreLog audits itself", () => {
  it("records every dashboard change in the company's log and in the region's system log: who, what, which resource, before and after", async () => {
    const { companyId } = onboarded;
    const admin: Who = { role: "ADMIN", companyId, userId: "cust-admin", email: "admin@onboarded.test" };
    const edited = await dash(stack, admin, "PUT", `/dashboard/keys/${onboarded.companyKeyId}/ip-allowlist`, { ipAllowlist: ["127.0.0.1", "::1", "10.0.0.0/8"] });
    expectStatus(edited, 200);
    expect(edited.body.key.ipAllowlist).toEqual(["127.0.0.1", "::1", "10.0.0.0/8"]);

    const system = await dash(stack, staff, "GET", "/dashboard/admin/audit-logs?region=eu&limit=1000");
    expectStatus(system, 200);
    expect(system.body.companyId).toBe(systemCompanyId("eu"));
    const mine = (system.body.data as EventJson[]).filter((e) => (e.metadata as { companyId?: string }).companyId === companyId).reverse();
    expect(mine.map((e) => e.action)).toEqual([
      "company.created",
      "workspace.created",
      "project.created",
      "api_key.created",
      "api_key.created",
      "company.plan_changed",
      "company.plan_changed",
      "company.plan_changed",
      "api_key.ip_allowlist_changed",
    ]);
    for (const e of mine) {
      expect(e.companyId).toBe(systemCompanyId("eu"));
      expect(e.workspaceId).toBeNull();
      expect(e.context.requestId).toBeTruthy();
    }
    const created = mine[0]!;
    expect(created).toMatchObject({
      category: "company",
      actor: { id: "staff-1", type: "user", email: "staff@hyrelog.test" },
      target: { id: companyId, type: "company", name: "Onboarded GmbH" },
      metadata: { role: "HYRELOG_ADMIN", via: "dashboard", companyId },
      changes: [
        { field: "name", new: "Onboarded GmbH" },
        { field: "dataRegion", new: "eu" },
        { field: "plan", new: "GROWTH" },
      ],
    });
    expect(mine[5]!.changes).toEqual([
      { field: "plan", old: "GROWTH", new: "STARTER" },
      { field: "planOverrides", old: {}, new: { maxWebhooks: 1, exportRowLimit: null, features: { webhooks: true } } },
    ]);
    expect(mine[1]).toMatchObject({ actor: { id: "cust-admin", email: "admin@onboarded.test" }, metadata: { role: "ADMIN" }, target: { id: onboarded.workspaceId, type: "workspace" } });
    expect(mine[8]).toMatchObject({
      actor: { id: "cust-admin" },
      target: { id: onboarded.companyKeyId, type: "api_key" },
      changes: [{ field: "ipAllowlist", old: ["127.0.0.1", "::1"], new: ["127.0.0.1", "::1", "10.0.0.0/8"] }],
    });
    // Filters work on the system log like on any log.
    const plans = await dash(stack, staff, "GET", "/dashboard/admin/audit-logs?region=eu&action=company.plan_changed");
    expect(plans.body.data.every((e: EventJson) => e.action === "company.plan_changed")).toBe(true);
    // The US system log holds US's changes only.
    const us = await dash(stack, staff, "GET", "/dashboard/admin/audit-logs?region=us");
    expect(us.body.data.map((e: EventJson) => `${e.action} ${e.target.name}`)).toEqual(["company.created Onboarded Inc"]);

    // The company's own log has the same changes, read with its own company key.
    const own = await stack.api(onboarded.companyKey, "GET", "/v1/events?limit=1000");
    const ownActions = (own.body.data as EventJson[]).map((e) => e.action).reverse();
    expect(ownActions).toEqual([
      "company.created",
      "workspace.created",
      "project.created",
      "api_key.created",
      "api_key.created",
      "invoice.paid",
      "company.plan_changed",
      "company.plan_changed",
      "company.plan_changed",
      "api_key.ip_allowlist_changed",
    ]);
    const allowlist = (own.body.data as EventJson[]).find((e) => e.action === "api_key.ip_allowlist_changed")!;
    expect(allowlist).toMatchObject({ actor: { id: "cust-admin", type: "user", email: "admin@onboarded.test" }, metadata: { role: "ADMIN", via: "dashboard" } });
    expect(allowlist.changes).toEqual([{ field: "ipAllowlist", old: ["127.0.0.1", "::1"], new: ["127.0.0.1", "::1", "10.0.0.0/8"] }]);
  });

  it("the system log is hash-chained, checkpointed and verifies with the verification service", async () => {
    const all = (await dash(stack, staff, "GET", "/dashboard/admin/audit-logs?region=eu&limit=1000")).body.data as EventJson[];
    const chain = [...all].reverse();
    chain.forEach((e, i) => {
      expect(e.sequence).toBe(i + 1);
      expect(e.prevHash).toBe(i === 0 ? GENESIS_HASH : chain[i - 1]!.hash);
      expect(eventHash(chainFieldsOf(e))).toBe(e.hash);
    });
    // The checkpointer signs the grown log within CHECKPOINT_INTERVAL_MS; then the whole log verifies against it.
    const verified = await until("a verified checkpointed system log", async () => {
      const res = await dash(stack, staff, "POST", "/dashboard/admin/audit-logs/verify?region=eu");
      expectStatus(res, 200);
      return res.body.checkpointsChecked > 0 && res.body.toSequence === chain.length ? res.body : null;
    });
    expect(verified).toMatchObject({ region: "eu", ok: true, logId: systemCompanyId("eu"), fromSequence: 1, toSequence: chain.length, eventsChecked: chain.length, fault: null });
    const range = await dash(stack, staff, "POST", "/dashboard/admin/audit-logs/verify?region=eu", { fromSequence: 2, toSequence: 3 });
    expect(range.body).toMatchObject({ ok: true, fromSequence: 2, toSequence: 3, eventsChecked: 2 });
    expectApiError(await dash(stack, staff, "POST", "/dashboard/admin/audit-logs/verify?region=eu", { fromSequence: 0 }), 400, "invalid_argument");
    // Which region's log is asked must be said when the gateway serves several.
    const noRegion = await dash(stack, staff, "GET", "/dashboard/admin/audit-logs");
    expectApiError(noRegion, 400, "invalid_argument");
    expect(noRegion.body.error.details.violations).toEqual([{ field: "region", description: "is required: one of us, eu" }]);
  });
});
