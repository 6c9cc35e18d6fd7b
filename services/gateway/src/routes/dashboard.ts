/**
 * The dashboard API (/dashboard/*): what HyreLog's dashboard application calls with its service
 * token and the signed-in person (README, "Dashboard API"). Admin routes (HYRELOG_ADMIN) manage
 * companies and plans across regions and read each region's system log; company routes act for
 * x-company-id in the company's own region. Every route calls the dashboard service of one region
 * (keys through it, the system log through query and verification); the gateway keeps no data.
 */
import { createHash } from "node:crypto";
import { Code, ConnectError } from "@connectrpc/connect";
import { timestampFromDate, timestampFromMs, timestampMs } from "@bufbuild/protobuf/wkt";
import { create, type JsonObject } from "@bufbuild/protobuf";
import { DeciderRole, KeyScope, PlanTier, type RetentionPolicy, RequestStatus, PlanTierSchema, PrincipalSchema, RegionSchema, type Company, type Plan, type Principal, type Project, type Workspace } from "@hyrelog/proto";
import { isRegionCode, isUuid, REGIONS, systemCompanyId, textProblem, type RegionCode } from "@hyrelog/core";
import { decodeCursor, encodeCursor, EventFilter, enumNames, eventFromProto, regionToProto } from "@hyrelog/runtime";
import type { DashboardRoleName } from "../dashboard-auth.ts";
import { bodyReader, queryReader } from "../request-validation.ts";
import { ApiError } from "../errors.ts";
import { eventRoutes } from "./events.ts";
import { exportRoutes } from "./exports.ts";
import { commentBody, deciderOf, GDPR_STATUSES, gdprRoutes, requestJson } from "./gdpr.ts";
import { jobJson } from "./jobs.ts";
import { restoreJson, RESTORE_STATUSES, restoreRoutes } from "./restores.ts";
import { keyJson } from "./keys.ts";
import {
  iso,
  limitParam,
  objectBody,
  optionalObjectBody,
  queryNames,
  refuse,
  stringField,
  stringParam,
  stringsField,
  type DashboardHandler,
  type DashboardRequestInfo,
  type DashboardRoute,
  type RequestInfo,
  type Route,
  type RouteTable,
  type Violation,
} from "./shared.ts";
import { verifyRange, verifyResultJson } from "./verification.ts";
import { webhookRoutes } from "./webhooks.ts";

const ANYONE: readonly DashboardRoleName[] = ["MEMBER", "ADMIN", "HYRELOG_ADMIN"];
const MANAGERS: readonly DashboardRoleName[] = ["ADMIN", "HYRELOG_ADMIN"];
const STAFF: readonly DashboardRoleName[] = ["HYRELOG_ADMIN"];
const TIERS = enumNames(PlanTierSchema, { prefix: "PLAN_TIER_" });
const REGION_NAMES = enumNames(RegionSchema, { prefix: "REGION_", lowerCase: true });
const KEY_SCOPES: Record<string, KeyScope> = { company: KeyScope.COMPANY, workspace: KeyScope.WORKSPACE };
/** The event filters the system log takes (it has no workspaces or projects). */
const SYSTEM_LOG_FILTERS = ["category", "action", "actorId", "actorEmail", "targetId", "targetType", "from", "to"] as const;

export const dashboardRoutes: RouteTable = (clients) => {
  /** The company route's region (the directory found it before the handler ran). */
  const here = (r: DashboardRequestInfo): RegionCode => r.region!;
  const call = (r: DashboardRequestInfo) => ({ headers: r.callHeaders });

  // -------------------------------------------------------------------------------------------
  // Admin (HYRELOG_ADMIN)
  // -------------------------------------------------------------------------------------------

  const createCompany: DashboardHandler = async (r) => {
    const b = await objectBody(r.req);
    const violations: Violation[] = [];
    onlyFields(b, ["name", "dataRegion", "plan"], violations);
    const name = requiredText(b, "name", violations);
    const dataRegion = stringField(b, "dataRegion", violations, true);
    const plan = stringField(b, "plan", violations, true);
    if (dataRegion && !isRegionCode(dataRegion)) violations.push({ field: "dataRegion", description: `must be ${REGIONS.join(", ")}` });
    else if (dataRegion && !r.regions.includes(dataRegion as RegionCode)) violations.push({ field: "dataRegion", description: `this installation serves ${r.regions.join(", ")}` });
    if (plan && TIERS.fromName(plan) === undefined) violations.push({ field: "plan", description: `must be ${TIERS.alternatives}` });
    refuse("invalid company", violations);
    const region = dataRegion as RegionCode;
    const res = await clients
      .dashboard(region)
      .createCompany({ user: r.user, name, dataRegion: regionToProto(region), plan: TIERS.fromName(plan)!, context: r.context }, call(r));
    r.remember(res.company!.id, region);
    return { status: 201, body: { company: companyJson(res.company!) } };
  };

  const listCompanies: DashboardHandler = async (r) => {
    const q = r.url.searchParams;
    const violations: Violation[] = [];
    const query = stringParam(q, "q").trim();
    const problem = query.length > 200 ? "must be at most 200 characters" : textProblem(query);
    if (problem) violations.push({ field: "q", description: problem });
    const only = regionParam(q, r.regions, violations, false);
    const limit = limitParam(q, 200, violations) || 50;
    const filters = JSON.stringify([query, only ?? ""]);
    const after = companyCursor(stringParam(q, "cursor"), filters, violations);
    refuse("invalid company search", violations);
    const regions = only ? [only] : r.regions;
    // One more than a page from each region: more than `limit` in all means there is a next page.
    const page = { user: r.user, query, limit: limit + 1, afterCreatedAt: after ? timestampFromMs(after.t) : undefined, afterId: after?.id ?? "" };
    const answers = await Promise.allSettled(regions.map((region) => clients.dashboard(region).listCompanies(page, call(r))));
    const unreachable: RegionCode[] = [];
    const companies: Company[] = [];
    answers.forEach((a, i) => {
      if (a.status === "fulfilled") {
        for (const c of a.value.companies) r.remember(c.id, regions[i]!);
        companies.push(...a.value.companies);
        return;
      }
      // A region that does not answer is named; any other error (a refusal) is the answer.
      if (!(a.reason instanceof ConnectError && [Code.Unavailable, Code.DeadlineExceeded].includes(a.reason.code))) throw a.reason;
      unreachable.push(regions[i]!);
    });
    if (unreachable.length === regions.length) throw answers.find((a): a is PromiseRejectedResult => a.status === "rejected")!.reason;
    companies.sort((a, b) => Number((b.createdAt?.seconds ?? 0n) - (a.createdAt?.seconds ?? 0n)) || (b.createdAt?.nanos ?? 0) - (a.createdAt?.nanos ?? 0) || (a.id < b.id ? 1 : -1));
    const data = companies.slice(0, limit);
    const last = data.at(-1);
    const nextCursor = companies.length > limit && last ? encodeCompanyCursor(last, filters) : null;
    return { status: 200, body: { data: data.map(companyJson), nextCursor, hasMore: nextCursor !== null, regions, unreachableRegions: unreachable } };
  };

  const listPlans: DashboardHandler = async (r) => {
    // The plans table is the same in every region: the first region that answers.
    let last: unknown;
    for (const region of r.regions) {
      try {
        const res = await clients.dashboard(region).listPlans({ user: r.user }, call(r));
        return { status: 200, body: { data: res.plans.map(planJson) } };
      } catch (err) {
        last = err;
      }
    }
    throw last;
  };

  const setPlan: DashboardHandler = async (r) => {
    const b = await objectBody(r.req);
    const violations: Violation[] = [];
    onlyFields(b, ["tier", "overrides"], violations);
    const tier = stringField(b, "tier", violations, true);
    if (tier && TIERS.fromName(tier) === undefined) violations.push({ field: "tier", description: `must be ${TIERS.alternatives}` });
    const overrides = b.overrides;
    if (overrides !== undefined && overrides !== null && (typeof overrides !== "object" || Array.isArray(overrides))) {
      violations.push({ field: "overrides", description: 'must be an object, e.g. {"maxWebhooks": 5, "features": {"webhooks": true}}' });
    }
    refuse("invalid plan change", violations);
    const companyId = pathId(r, "id", "company");
    const region = await r.regionOf(companyId);
    const res = await clients.dashboard(region).setCompanyPlan(
      {
        user: r.user,
        companyId,
        tier: TIERS.fromName(tier)!,
        // Absent or null: the overrides stay as they are; an object (even {}) replaces them.
        overrides: overrides === undefined || overrides === null ? undefined : (overrides as JsonObject),
        context: r.context,
      },
      call(r),
    );
    return { status: 200, body: { company: companyJson(res.company!) } };
  };

  /** The region's system company as a company-key principal: its log read and verified like any company-level log. */
  const systemReader = (region: RegionCode): Principal =>
    create(PrincipalSchema, { companyId: systemCompanyId(region), scope: KeyScope.COMPANY, region: regionToProto(region), plan: PlanTier.ENTERPRISE });

  const auditLogs: DashboardHandler = async (r) => {
    const q = r.url.searchParams;
    const violations: Violation[] = [];
    const region = regionParam(q, r.regions, violations, true)!;
    const filter = EventFilter.fromQuery(q, violations);
    const limit = limitParam(q, 1000, violations);
    refuse(`invalid ${violations.map((v) => v.field).join(", ")}`, violations);
    const res = await clients
      .query(region)
      .listEvents({ principal: systemReader(region), filter: filter.toProto(), limit, cursor: stringParam(q, "cursor") }, call(r));
    return { status: 200, body: { region, companyId: systemCompanyId(region), data: res.events.map(eventFromProto), nextCursor: res.nextCursor || null, hasMore: res.nextCursor !== "" } };
  };

  const verifyAuditLog: DashboardHandler = async (r) => {
    const violations: Violation[] = [];
    const region = regionParam(r.url.searchParams, r.regions, violations, true)!;
    const body = await optionalObjectBody(r.req);
    onlyFields(body, ["fromSequence", "toSequence"], violations);
    const range = verifyRange(body, violations);
    refuse("invalid verification request", violations);
    const res = await clients.verification(region).verifyRange({ principal: systemReader(region), workspaceId: "", ...range }, call(r));
    return { status: 200, body: { region, ...verifyResultJson(res) } };
  };

  // -------------------------------------------------------------------------------------------
  // The company of x-company-id
  // -------------------------------------------------------------------------------------------

  const company: DashboardHandler = async (r) => {
    const res = await clients.dashboard(here(r)).getCompany({ user: r.user }, call(r));
    return {
      status: 200,
      body: {
        company: companyJson(res.company!),
        workspaces: res.workspaces.map(workspaceJson),
        keys: {
          total: res.keys?.total ?? 0,
          active: res.keys?.active ?? 0,
          revoked: res.keys?.revoked ?? 0,
          expired: res.keys?.expired ?? 0,
          company: res.keys?.companyScope ?? 0,
          workspace: res.keys?.workspaceScope ?? 0,
        },
        usage: {
          eventsToday: Number(res.usage?.eventsToday ?? 0n),
          eventsThisMonth: Number(res.usage?.eventsThisMonth ?? 0n),
          monthlyEventQuota: res.company?.effectivePlan?.monthlyEventQuota === undefined ? null : Number(res.company.effectivePlan.monthlyEventQuota),
          monthResetsAt: iso(res.usage?.monthResetsAt),
        },
      },
    };
  };

  const createWorkspace: DashboardHandler = async (r) => {
    const name = await nameBody(r);
    const res = await clients.dashboard(here(r)).createWorkspace({ user: r.user, name, context: r.context }, call(r));
    return { status: 201, body: { workspace: workspaceJson(res.workspace!) } };
  };

  const listWorkspaces: DashboardHandler = async (r) => {
    const res = await clients.dashboard(here(r)).listWorkspaces({ user: r.user }, call(r));
    return { status: 200, body: { data: res.workspaces.map(workspaceJson) } };
  };

  const renameWorkspace: DashboardHandler = async (r) => {
    const workspaceId = pathId(r, "id", "workspace");
    const name = await nameBody(r);
    const res = await clients.dashboard(here(r)).renameWorkspace({ user: r.user, workspaceId, name, context: r.context }, call(r));
    return { status: 200, body: { workspace: workspaceJson(res.workspace!) } };
  };

  const archiveWorkspace: DashboardHandler = async (r) => {
    const workspaceId = pathId(r, "id", "workspace");
    await emptyBody(r);
    const res = await clients.dashboard(here(r)).archiveWorkspace({ user: r.user, workspaceId, context: r.context }, call(r));
    return { status: 200, body: { workspace: workspaceJson(res.workspace!) } };
  };

  const createProject: DashboardHandler = async (r) => {
    const workspaceId = pathId(r, "id", "workspace");
    const name = await nameBody(r);
    const res = await clients.dashboard(here(r)).createProject({ user: r.user, workspaceId, name, context: r.context }, call(r));
    return { status: 201, body: { project: projectJson(res.project!) } };
  };

  const listProjects: DashboardHandler = async (r) => {
    const workspaceId = pathId(r, "id", "workspace");
    const res = await clients.dashboard(here(r)).listProjects({ user: r.user, workspaceId }, call(r));
    return { status: 200, body: { data: res.projects.map(projectJson) } };
  };

  const renameProject: DashboardHandler = async (r) => {
    const projectId = pathId(r, "id", "project");
    const name = await nameBody(r);
    const res = await clients.dashboard(here(r)).renameProject({ user: r.user, projectId, name, context: r.context }, call(r));
    return { status: 200, body: { project: projectJson(res.project!) } };
  };

  const archiveProject: DashboardHandler = async (r) => {
    const projectId = pathId(r, "id", "project");
    await emptyBody(r);
    const res = await clients.dashboard(here(r)).archiveProject({ user: r.user, projectId, context: r.context }, call(r));
    return { status: 200, body: { project: projectJson(res.project!) } };
  };

  const createKey: DashboardHandler = async (r) => {
    const b = await objectBody(r.req);
    const violations: Violation[] = [];
    onlyFields(b, ["scope", "workspaceId", "name", "ipAllowlist"], violations);
    const scope = stringField(b, "scope", violations, true);
    if (scope && !Object.hasOwn(KEY_SCOPES, scope)) violations.push({ field: "scope", description: "must be company or workspace" });
    const workspaceId = stringField(b, "workspaceId", violations);
    const name = stringField(b, "name", violations);
    const ipAllowlist = stringsField(b, "ipAllowlist", violations);
    refuse("invalid key request", violations);
    const res = await clients
      .dashboard(here(r))
      .createApiKey({ user: r.user, scope: KEY_SCOPES[scope]!, workspaceId, name, ipAllowlist, context: r.context }, call(r));
    return { status: 201, body: { key: keyJson(res.key!), secret: res.secret } };
  };

  const listKeys: DashboardHandler = async (r) => {
    const res = await clients.dashboard(here(r)).listApiKeys({ user: r.user }, call(r));
    return { status: 200, body: { data: res.keys.map(keyJson) } };
  };

  const revokeKey: DashboardHandler = async (r) => {
    const keyId = pathId(r, "id", "API key");
    const b = await optionalObjectBody(r.req);
    const violations: Violation[] = [];
    onlyFields(b, ["reason"], violations);
    const reason = stringField(b, "reason", violations);
    refuse("invalid revocation request", violations);
    const res = await clients.dashboard(here(r)).revokeApiKey({ user: r.user, keyId, reason, context: r.context }, call(r));
    return { status: 200, body: { key: keyJson(res.key!) } };
  };

  const setAllowlist: DashboardHandler = async (r) => {
    const keyId = pathId(r, "id", "API key");
    const b = await objectBody(r.req);
    const violations: Violation[] = [];
    onlyFields(b, ["ipAllowlist"], violations);
    const ipAllowlist = stringsField(b, "ipAllowlist", violations, true);
    refuse("invalid IP allowlist", violations);
    const res = await clients.dashboard(here(r)).setApiKeyIpAllowlist({ user: r.user, keyId, ipAllowlist, context: r.context }, call(r));
    return { status: 200, body: { key: keyJson(res.key!) } };
  };

  // -------------------------------------------------------------------------------------------
  // Events, exports, webhooks, GDPR and restore requests of x-company-id: the /v1 handlers
  // themselves (one implementation), called with the dashboard user as a company key of the company.
  // -------------------------------------------------------------------------------------------

  /**
   * The dashboard user as a company key of x-company-id: what a company key reads, exports and
   * manages, in the company's region. The service token vouches for the caller, so the key's IP
   * allowlist (which guards /v1 against a leaked key) is the caller's own address. The key id names
   * the user, so records of webhook changes and exports say who acted.
   */
  const asCompanyKey = (r: DashboardRequestInfo): RequestInfo => ({
    req: r.req,
    url: r.url,
    params: r.params,
    query: {},
    body: undefined,
    region: here(r),
    clientIp: r.clientIp,
    context: r.context,
    callHeaders: r.callHeaders,
    principal: create(PrincipalSchema, {
      keyId: `dashboard:${r.user.userId}`.slice(0, 256),
      companyId: r.user.companyId,
      scope: KeyScope.COMPANY,
      region: regionToProto(here(r)),
      ipAllowlist: [r.clientIp],
    }),
  });
  const v1Routes = new Map<string, Route>(
    [...eventRoutes(clients), ...exportRoutes(clients), ...webhookRoutes(clients), ...gdprRoutes(clients), ...restoreRoutes(clients)].flatMap((route) => ("roles" in route ? [] : [[`${route.method} ${route.pattern}`, route] as const])),
  );
  /** The /v1 route (e.g. "GET /v1/events"), its query parameters and its handler, for the dashboard user as a company key. */
  const v1 = (name: string): Pick<DashboardRoute, "query" | "handler"> => {
    const route = v1Routes.get(name);
    if (!route) throw new Error(`no route ${name}`);
    const values = queryReader(route.doc);
    const body = bodyReader(route.doc);
    return { query: queryNames(route.doc), handler: async (r) => route.handler({ ...asCompanyKey(r), query: values(r.url.searchParams), body: body ? await body(r.req) : undefined }) };
  };

  // -------------------------------------------------------------------------------------------
  // GDPR requests of every company, for HyreLog staff: the requests of each region, and approvals
  // by HyreLog (a plan may require one before an erasure runs).
  // -------------------------------------------------------------------------------------------

  const staffPrincipal = (r: DashboardRequestInfo) =>
    create(PrincipalSchema, { keyId: `dashboard:${r.user.userId}`.slice(0, 256), scope: KeyScope.SYSTEM, companyId: "" });

  const listGdprRequests: DashboardHandler = async (r) => {
    const violations: Violation[] = [];
    const statusName = r.url.searchParams.get("status");
    const status = statusName ? GDPR_STATUSES.fromName(statusName) : RequestStatus.UNSPECIFIED;
    if (status === undefined) violations.push({ field: "status", description: `must be ${GDPR_STATUSES.alternatives}` });
    refuse("invalid query", violations);
    // The one cursor contract (opaque, bound to the status filter); what it holds is the last id shown.
    const filterKey = JSON.stringify(["dashboard-gdpr-requests", statusName ?? ""]);
    const beforeId = decodeCursor(r.url.searchParams.get("cursor") ?? "", filterKey) ?? "";
    const limit = 50;
    // Ids are time-ordered across regions: the newest `limit` of every region's page, merged.
    const pages = await Promise.all(
      r.regions.map((region) => clients.gdpr(region).listRequests({ principal: staffPrincipal(r), allCompanies: true, status, limit, beforeId }, call(r))),
    );
    const all = pages.flatMap((p) => p.requests).sort((a, b) => (a.id < b.id ? 1 : -1));
    const page = all.slice(0, limit);
    const more = all.length > limit || pages.some((p) => p.nextCursor);
    return { status: 200, body: { data: page.map((q) => requestJson(q)), nextCursor: more && page.length ? encodeCursor(page.at(-1)!.id, filterKey) : null, hasMore: more } };
  };

  /** The region holding a record (a GDPR or restore request): asked of each region in turn (ids say nothing of their region). */
  const regionHolding = async (r: DashboardRequestInfo, what: string, id: string, get: (region: RegionCode) => Promise<unknown>): Promise<RegionCode> => {
    for (const region of r.regions) {
      const found = await get(region)
        .then(() => true)
        .catch((err: unknown) => {
          if (err instanceof ConnectError && err.code === Code.NotFound) return false;
          throw err;
        });
      if (found) return region;
    }
    throw new ApiError(404, "not_found", `${what} ${id} not found`);
  };
  const gdprRegion = (r: DashboardRequestInfo, id: string) =>
    regionHolding(r, "GDPR request", id, (region) => clients.gdpr(region).getRequest({ principal: staffPrincipal(r), requestId: id }, call(r)));

  const getGdprRequest: DashboardHandler = async (r) => {
    const id = pathId(r, "id", `GDPR request ${r.params.id ?? ""}`);
    const res = await clients.gdpr(await gdprRegion(r, id)).getRequest({ principal: staffPrincipal(r), requestId: id }, call(r));
    return { status: 200, body: requestJson(res.request!) };
  };

  const decideGdprRequest =
    (approve: boolean): DashboardHandler =>
    async (r) => {
      const id = pathId(r, "id", `GDPR request ${r.params.id ?? ""}`);
      const comment = await commentBody(r.req);
      const region = await gdprRegion(r, id);
      const principal = staffPrincipal(r);
      const res = await clients
        .gdpr(region)
        .decideRequest({ principal, decider: deciderOf(principal, DeciderRole.HYRELOG_ADMIN), requestId: id, approve, comment, context: r.context }, call(r));
      return { status: 200, body: requestJson(res.request!) };
    };

  const runPeriodicJob: DashboardHandler = async (r) => {
    const violations: Violation[] = [];
    const region = regionParam(r.url.searchParams, r.regions, violations, true)!;
    const body = await optionalObjectBody(r.req);
    onlyFields(body, ["asOf"], violations);
    let asOf: Date | undefined;
    if (body.asOf !== undefined && body.asOf !== null) {
      asOf = typeof body.asOf === "string" ? new Date(body.asOf) : new Date(NaN);
      if (Number.isNaN(asOf.getTime())) violations.push({ field: "asOf", description: "must be an RFC 3339 time, e.g. 2027-01-31T00:00:00Z" });
    }
    refuse("invalid job run", violations);
    const res = await clients
      .archival(region)
      .runJob({ principal: staffPrincipal(r), name: r.params.name!, asOf: asOf ? timestampFromDate(asOf) : undefined }, { ...call(r), timeoutMs: 11 * 60_000 });
    return { status: 200, body: { region, ...jobJson(res.job!) } };
  };

  // -------------------------------------------------------------------------------------------
  // Restore requests of cold archives: the company asks (x-company-id: the /v1 handlers, as a
  // company key), HyreLog staff list every company's and decide.
  // -------------------------------------------------------------------------------------------

  const listAllRestoreRequests: DashboardHandler = async (r) => {
    const q = r.url.searchParams;
    const violations: Violation[] = [];
    const region = regionParam(q, r.regions, violations, true)!;
    const statusName = q.get("status");
    const status = statusName ? RESTORE_STATUSES.fromName(statusName) : 0;
    if (status === undefined) violations.push({ field: "status", description: `must be ${RESTORE_STATUSES.alternatives}` });
    const limit = limitParam(q, 100, violations);
    refuse("invalid query", violations);
    const res = await clients
      .archival(region)
      .listRestoreRequests({ principal: staffPrincipal(r), allCompanies: true, status: status!, limit, cursor: stringParam(q, "cursor") }, call(r));
    return { status: 200, body: { data: res.requests.map(restoreJson), nextCursor: res.nextCursor || null, hasMore: res.nextCursor !== "" } };
  };

  const restoreRegion = (r: DashboardRequestInfo, id: string) =>
    regionHolding(r, "restore request", id, (region) => clients.archival(region).getRestoreRequest({ principal: staffPrincipal(r), requestId: id }, call(r)));

  const decideRestoreRequest =
    (decision: "approve" | "reject" | "cancel"): DashboardHandler =>
    async (r) => {
      const id = pathId(r, "id", "restore request");
      const comment = decision === "cancel" ? (await emptyBody(r), "") : await commentBody(r.req);
      const region = await restoreRegion(r, id);
      const by = `dashboard:${r.user.userId}`.slice(0, 256);
      const res =
        decision === "cancel"
          ? await clients.archival(region).cancelRestoreRequest({ principal: staffPrincipal(r), requestId: id, actor: by }, call(r))
          : await clients.archival(region).decideRestoreRequest({ principal: staffPrincipal(r), requestId: id, approve: decision === "approve", comment, decidedBy: by }, call(r));
      return { status: 200, body: restoreJson(res.request!) };
    };

  const policyJson = (p: RetentionPolicy) => ({
    classes: p.classes.map((c) => ({ category: c.category, hotRetentionDays: c.hotRetentionDays })),
    defaultHotRetentionDays: p.defaultHotRetentionDays,
    maxHotRetentionDays: p.maxHotRetentionDays,
  });

  const getRetentionClasses: DashboardHandler = async (r) => {
    const res = await clients.archival(here(r)).getRetentionClasses({ principal: asCompanyKey(r).principal }, call(r));
    return { status: 200, body: policyJson(res.policy!) };
  };

  const setRetentionClasses: DashboardHandler = async (r) => {
    const b = await objectBody(r.req);
    const violations: Violation[] = [];
    onlyFields(b, ["classes"], violations);
    const classes: Array<{ category: string; hotRetentionDays: number }> = [];
    if (!Array.isArray(b.classes)) violations.push({ field: "classes", description: 'is required: a list of {"category", "hotRetentionDays"} (empty: none)' });
    else {
      b.classes.forEach((c: unknown, i: number) => {
        if (typeof c !== "object" || c === null || Array.isArray(c)) return void violations.push({ field: `classes[${i}]`, description: 'must be an object {"category", "hotRetentionDays"}' });
        const o = c as Record<string, unknown>;
        for (const k of Object.keys(o)) if (k !== "category" && k !== "hotRetentionDays") violations.push({ field: `classes[${i}].${k}`, description: "is not a field of a retention class (category, hotRetentionDays)" });
        if (typeof o.category !== "string") violations.push({ field: `classes[${i}].category`, description: "must be a string" });
        // Any whole number the contract's int32 holds; the archival service checks the plan's range.
        const days = o.hotRetentionDays;
        const whole = typeof days === "number" && Number.isInteger(days) && Math.abs(days) <= 2 ** 31 - 1;
        if (!whole) violations.push({ field: `classes[${i}].hotRetentionDays`, description: "must be a whole number of days" });
        classes.push({ category: String(o.category), hotRetentionDays: whole ? days : 0 });
      });
    }
    refuse("invalid retention classes", violations);
    const res = await clients.archival(here(r)).setRetentionClasses({ principal: asCompanyKey(r).principal, classes, actor: `dashboard:${r.user.userId}`.slice(0, 256) }, call(r));
    return { status: 200, body: policyJson(res.policy!) };
  };

  const admin = { roles: STAFF, company: false } as const;
  const reads = { roles: ANYONE, company: true } as const;
  const changes = { roles: MANAGERS, company: true } as const;
  return [
    { method: "POST", pattern: "/dashboard/admin/companies", ...admin, handler: createCompany },
    { method: "GET", pattern: "/dashboard/admin/companies", ...admin, query: ["q", "region", "limit", "cursor"], handler: listCompanies },
    { method: "GET", pattern: "/dashboard/admin/plans", ...admin, handler: listPlans },
    { method: "POST", pattern: "/dashboard/admin/companies/:id/plan", ...admin, handler: setPlan },
    { method: "GET", pattern: "/dashboard/admin/audit-logs", ...admin, query: ["region", ...SYSTEM_LOG_FILTERS, "limit", "cursor"], handler: auditLogs },
    { method: "POST", pattern: "/dashboard/admin/audit-logs/verify", ...admin, query: ["region"], handler: verifyAuditLog },
    { method: "POST", pattern: "/dashboard/admin/jobs/:name/run", ...admin, query: ["region"], handler: runPeriodicJob },
    { method: "GET", pattern: "/dashboard/admin/restore-requests", ...admin, query: ["region", "status", "limit", "cursor"], handler: listAllRestoreRequests },
    { method: "POST", pattern: "/dashboard/admin/restore-requests/:id/approve", ...admin, handler: decideRestoreRequest("approve") },
    { method: "POST", pattern: "/dashboard/admin/restore-requests/:id/reject", ...admin, handler: decideRestoreRequest("reject") },
    { method: "POST", pattern: "/dashboard/admin/restore-requests/:id/cancel", ...admin, handler: decideRestoreRequest("cancel") },
    { method: "GET", pattern: "/dashboard/admin/gdpr-requests", ...admin, query: ["status", "cursor"], handler: listGdprRequests },
    { method: "GET", pattern: "/dashboard/admin/gdpr-requests/:id", ...admin, handler: getGdprRequest },
    { method: "POST", pattern: "/dashboard/admin/gdpr-requests/:id/approve", ...admin, handler: decideGdprRequest(true) },
    { method: "POST", pattern: "/dashboard/admin/gdpr-requests/:id/reject", ...admin, handler: decideGdprRequest(false) },
    { method: "GET", pattern: "/dashboard/company", ...reads, handler: company },
    { method: "GET", pattern: "/dashboard/workspaces", ...reads, handler: listWorkspaces },
    { method: "POST", pattern: "/dashboard/workspaces", ...changes, handler: createWorkspace },
    { method: "POST", pattern: "/dashboard/workspaces/:id/rename", ...changes, handler: renameWorkspace },
    { method: "POST", pattern: "/dashboard/workspaces/:id/archive", ...changes, handler: archiveWorkspace },
    { method: "GET", pattern: "/dashboard/workspaces/:id/projects", ...reads, handler: listProjects },
    { method: "POST", pattern: "/dashboard/workspaces/:id/projects", ...changes, handler: createProject },
    { method: "POST", pattern: "/dashboard/projects/:id/rename", ...changes, handler: renameProject },
    { method: "POST", pattern: "/dashboard/projects/:id/archive", ...changes, handler: archiveProject },
    { method: "GET", pattern: "/dashboard/keys", ...reads, handler: listKeys },
    { method: "POST", pattern: "/dashboard/keys", ...changes, handler: createKey },
    { method: "POST", pattern: "/dashboard/keys/:id/revoke", ...changes, handler: revokeKey },
    { method: "PUT", pattern: "/dashboard/keys/:id/ip-allowlist", ...changes, handler: setAllowlist },
    { method: "GET", pattern: "/dashboard/events", ...reads, ...v1("GET /v1/events") },
    { method: "GET", pattern: "/dashboard/events/:id", ...reads, ...v1("GET /v1/events/:id") },
    { method: "POST", pattern: "/dashboard/exports", ...changes, ...v1("POST /v1/exports") },
    { method: "GET", pattern: "/dashboard/exports/:jobId", ...reads, ...v1("GET /v1/exports/:jobId") },
    { method: "GET", pattern: "/dashboard/exports/:jobId/download", ...reads, ...v1("GET /v1/exports/:jobId/download") },
    { method: "GET", pattern: "/dashboard/workspaces/:workspaceId/webhooks", ...reads, ...v1("GET /v1/workspaces/:workspaceId/webhooks") },
    { method: "POST", pattern: "/dashboard/workspaces/:workspaceId/webhooks", ...changes, ...v1("POST /v1/workspaces/:workspaceId/webhooks") },
    { method: "POST", pattern: "/dashboard/webhooks/:id/disable", ...changes, ...v1("POST /v1/webhooks/:id/disable") },
    { method: "POST", pattern: "/dashboard/webhooks/:id/enable", ...changes, ...v1("POST /v1/webhooks/:id/enable") },
    { method: "POST", pattern: "/dashboard/webhooks/:id/rotate-secret", ...changes, ...v1("POST /v1/webhooks/:id/rotate-secret") },
    { method: "DELETE", pattern: "/dashboard/webhooks/:id", ...changes, ...v1("DELETE /v1/webhooks/:id") },
    { method: "GET", pattern: "/dashboard/webhooks/:id/deliveries", ...reads, ...v1("GET /v1/webhooks/:id/deliveries") },
    { method: "POST", pattern: "/dashboard/webhooks/:id/deliveries/:deliveryId/replay", ...changes, ...v1("POST /v1/webhooks/:id/deliveries/:deliveryId/replay") },
    { method: "GET", pattern: "/dashboard/gdpr-requests", ...reads, ...v1("GET /v1/gdpr/requests") },
    { method: "POST", pattern: "/dashboard/gdpr-requests", ...changes, ...v1("POST /v1/gdpr/requests") },
    { method: "GET", pattern: "/dashboard/gdpr-requests/:id", ...reads, ...v1("GET /v1/gdpr/requests/:id") },
    { method: "POST", pattern: "/dashboard/gdpr-requests/:id/approve", ...changes, ...v1("POST /v1/gdpr/requests/:id/approve") },
    { method: "POST", pattern: "/dashboard/gdpr-requests/:id/reject", ...changes, ...v1("POST /v1/gdpr/requests/:id/reject") },
    { method: "POST", pattern: "/dashboard/gdpr-requests/:id/cancel", ...changes, ...v1("POST /v1/gdpr/requests/:id/cancel") },
    { method: "POST", pattern: "/dashboard/restore-requests", ...changes, ...v1("POST /v1/restore-requests") },
    { method: "GET", pattern: "/dashboard/restore-requests", ...reads, ...v1("GET /v1/restore-requests") },
    { method: "GET", pattern: "/dashboard/restore-requests/:id", ...reads, ...v1("GET /v1/restore-requests/:id") },
    { method: "DELETE", pattern: "/dashboard/restore-requests/:id", ...changes, ...v1("DELETE /v1/restore-requests/:id") },
    { method: "GET", pattern: "/dashboard/retention-classes", ...reads, handler: getRetentionClasses },
    { method: "PUT", pattern: "/dashboard/retention-classes", ...changes, handler: setRetentionClasses },
  ];
};

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

/** 400 naming each field a body does not take. */
function onlyFields(b: Record<string, unknown>, allowed: readonly string[], out: Violation[]): void {
  for (const k of Object.keys(b)) if (!allowed.includes(k)) out.push({ field: k, description: `unknown field; this body takes ${allowed.join(", ")}` });
}

/** A required string field that is not blank. */
function requiredText(b: Record<string, unknown>, field: string, out: Violation[]): string {
  const v = stringField(b, field, out, true);
  if (typeof b[field] === "string" && !v.trim()) out.push({ field, description: "is required" });
  return v;
}

/** A path id: anything but a UUID is a 404, like an id that exists nowhere. */
function pathId(r: DashboardRequestInfo, param: string, what: string): string {
  const id = r.params[param] ?? "";
  if (!isUuid(id)) throw new ApiError(404, "not_found", `${what} not found`);
  return id.toLowerCase();
}

/** `{"name": "..."}`, required (the service checks its length and text rule). */
async function nameBody(r: DashboardRequestInfo): Promise<string> {
  const b = await objectBody(r.req);
  const violations: Violation[] = [];
  onlyFields(b, ["name"], violations);
  const name = requiredText(b, "name", violations);
  refuse("invalid request", violations);
  return name;
}

/** No body, or an empty JSON object. */
async function emptyBody(r: DashboardRequestInfo): Promise<void> {
  const violations: Violation[] = [];
  onlyFields(await optionalObjectBody(r.req), [], violations);
  refuse("this route takes no body", violations);
}

/** `region`: one of the regions this gateway serves (required when it serves more than one). */
function regionParam(q: URLSearchParams, served: readonly RegionCode[], out: Violation[], required: boolean): RegionCode | undefined {
  const raw = q.get("region");
  if (raw === null || raw === "") {
    if (required && served.length > 1) out.push({ field: "region", description: `is required: one of ${served.join(", ")}` });
    return required && served.length === 1 ? served[0] : undefined;
  }
  if (!isRegionCode(raw)) out.push({ field: "region", description: `must be ${REGIONS.join(", ")}` });
  else if (!served.includes(raw)) out.push({ field: "region", description: `this installation serves ${served.join(", ")}` });
  else return raw;
  return undefined;
}

/**
 * The company list's cursor: the last company of a page (creation time in milliseconds, as every
 * region orders by, and id) and a digest of the search it belongs to, so it cannot be replayed
 * against another search.
 */
function encodeCompanyCursor(c: Company, filters: string): string {
  const t = c.createdAt ? timestampMs(c.createdAt) : 0;
  return Buffer.from(JSON.stringify({ v: 1, t, id: c.id, f: digest(filters) })).toString("base64url");
}

function companyCursor(raw: string, filters: string, out: Violation[]): { t: number; id: string } | null {
  if (!raw) return null;
  let c: { v?: unknown; t?: unknown; id?: unknown; f?: unknown } | null = null;
  try {
    c = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
  } catch {
    // reported below
  }
  if (typeof c !== "object" || c === null || c.v !== 1 || !Number.isSafeInteger(c.t) || (c.t as number) < 0 || typeof c.id !== "string" || !isUuid(c.id)) {
    out.push({ field: "cursor", description: "is not a cursor this API returned; start without one" });
    return null;
  }
  if (c.f !== digest(filters)) {
    out.push({ field: "cursor", description: "was issued for a different search (q, region); repeat it or start without a cursor" });
    return null;
  }
  return { t: c.t as number, id: c.id };
}

function digest(s: string): string {
  return createHash("sha256").update(s).digest("base64url").slice(0, 16);
}

// ---------------------------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------------------------

function planJson(p: Plan) {
  return {
    tier: TIERS.toName(p.tier) ?? "unknown",
    retentionDays: p.retentionDays,
    exportRowLimit: p.exportRowLimit === undefined ? null : Number(p.exportRowLimit),
    maxWebhooks: p.maxWebhooks,
    monthlyEventQuota: p.monthlyEventQuota === undefined ? null : Number(p.monthlyEventQuota),
    features: p.features,
  };
}

function companyJson(c: Company) {
  return {
    id: c.id,
    name: c.name,
    dataRegion: REGION_NAMES.toName(c.dataRegion) ?? "unknown",
    plan: TIERS.toName(c.plan) ?? "unknown",
    planOverrides: c.planOverrides ?? {},
    effectivePlan: c.effectivePlan ? planJson(c.effectivePlan) : null,
    createdAt: iso(c.createdAt),
  };
}

function projectJson(p: Project) {
  return {
    id: p.id,
    companyId: p.companyId,
    workspaceId: p.workspaceId,
    name: p.name,
    status: p.archivedAt ? "archived" : "active",
    createdAt: iso(p.createdAt),
    archivedAt: iso(p.archivedAt),
  };
}

function workspaceJson(w: Workspace) {
  return {
    id: w.id,
    companyId: w.companyId,
    name: w.name,
    status: w.archivedAt ? "archived" : "active",
    createdAt: iso(w.createdAt),
    archivedAt: iso(w.archivedAt),
    projects: w.projects.map(projectJson),
  };
}
