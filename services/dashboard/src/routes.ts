import { Code, ConnectError, type Client, type ConnectRouter } from "@connectrpc/connect";
import { create, type JsonObject, type JsonValue } from "@bufbuild/protobuf";
import {
  CompanySchema,
  DashboardService,
  IngestService,
  KeyCountsSchema,
  KeyScope,
  KeysService,
  KeyStatus,
  PlanSchema,
  PlanTierSchema,
  ProjectSchema,
  RegionSchema,
  UsageSchema,
  WorkspaceSchema,
  type ApiKey,
  type Company,
  type DashboardUser,
  type Plan,
  type PlanTier,
  type Project,
  type RequestContext,
  type Usage,
  type Workspace,
} from "@hyrelog/proto";
import { timestampDate, timestampFromDate } from "@bufbuild/protobuf/wkt";
import { isSystemCompanyId, isUuid, systemCompanyId, textProblem, uuidv7, type PlanTierName, type RegionCode, type Violation } from "@hyrelog/core";
import type { Orm } from "@hyrelog/db";
import { applyPlanOverrides, dashboardActor, enumNames, invalidArgument, planTierToProto, recordAuditEvent, regionToProto, requireCompanyUser, requireHyrelogAdmin, rowTimestamp, type Logger, type PlanRow, type Tenancy } from "@hyrelog/runtime";

export interface DashboardDeps {
  orm: Orm;
  /** The region this instance serves: it creates and answers for this region's companies only. */
  region: RegionCode;
  tenancy: Tenancy;
  /** Makes, lists, revokes keys and edits their allowlists: the one implementation of keys. */
  keys: Client<typeof KeysService>;
  /** Records every change in the company's log and in the region's system log. */
  ingest: Client<typeof IngestService>;
  /** Tells every ingest replica that a workspace or project was archived. */
  archived(id: string): void;
  logger: Logger;
}

/** The plan features a company's overrides may switch (the `plans.features` keys). */
const FEATURES = ["webhooks", "exports", "archivedExports", "coldStorage", "gdprWorkflows", "gdprHyrelogApproval"];
const TIERS = enumNames<PlanTier, PlanTierName>(PlanTierSchema, { prefix: "PLAN_TIER_" });
const REGION_NAMES = enumNames(RegionSchema, { prefix: "REGION_", lowerCase: true });
const MAX_COMPANY_NAME = 200;
const MAX_NAME = 100;

interface CompanyRow {
  id: string;
  name: string;
  data_region: string;
  plan_tier: string;
  plan_overrides: JsonObject | null;
  created_at: Date | string;
  retention_days: number;
  export_row_limit: string | null;
  max_webhooks: number;
  features: Record<string, boolean>;
  monthly_event_quota: string | null;
}

interface WorkspaceRow {
  id: string;
  company_id: string;
  name: string;
  created_at: Date | string;
  archived_at: Date | string | null;
}

interface ProjectRow extends WorkspaceRow {
  workspace_id: string;
}

type Change = { field: string; old?: JsonValue; new?: JsonValue };

const COMPANY_COLUMNS = `c.id, c.name, c.data_region, c.plan_tier, c.plan_overrides, c.created_at, p.retention_days, p.export_row_limit, p.max_webhooks, p.features, p.monthly_event_quota`;

export function dashboardRoutes(deps: DashboardDeps) {
  const sql = <T>(query: string, params: unknown[] = []) => deps.orm.em.fork().execute<T[]>(query, params);
  const region = regionToProto(deps.region);
  const systemCompany = systemCompanyId(deps.region);

  /** A dashboard user acting for a company of this region; any other (or the system company) is NOT_FOUND. */
  const companyUser = async (user: DashboardUser | undefined, change: boolean): Promise<DashboardUser> => {
    const u = requireCompanyUser(user, change);
    if (!(await deps.tenancy.hasCompany(u.companyId))) throw new ConnectError(`company ${u.companyId} not found`, Code.NotFound);
    return u;
  };

  /**
   * Records a dashboard change: in the company's own log (company-level, unless the keys service
   * already recorded it there) and in this region's system log, with the user as the actor, their
   * role in the metadata, and before/after values in `changes`. The change is committed already, so
   * a failed record is logged, not undone (recordAuditEvent).
   */
  const audit = async (
    user: DashboardUser,
    companyId: string,
    e: { category: string; action: string; target: { id: string; type: string; name?: string }; changes: Change[]; context?: RequestContext; companyLog: boolean },
  ) => {
    const { actor, metadata } = dashboardActor(user);
    const event = { region, category: e.category, action: e.action, actor, target: e.target, changes: e.changes, context: e.context };
    await Promise.all([
      e.companyLog ? recordAuditEvent(deps.ingest, deps.logger, { ...event, companyId, metadata }) : undefined,
      recordAuditEvent(deps.ingest, deps.logger, { ...event, companyId: systemCompany, metadata: { ...metadata, companyId } }),
    ]);
  };

  const findCompany = async (id: string): Promise<CompanyRow | undefined> => {
    if (!isUuid(id) || isSystemCompanyId(id)) return undefined;
    const [row] = await sql<CompanyRow>(`select ${COMPANY_COLUMNS} from companies c join plans p on p.tier = c.plan_tier where c.id = ?`, [id]);
    return row;
  };

  const requireCompanyRow = async (id: string): Promise<CompanyRow> => {
    const row = await findCompany(id);
    if (!row) throw new ConnectError(`company ${id} not found`, Code.NotFound);
    return row;
  };

  const findWorkspace = async (companyId: string, workspaceId: string): Promise<WorkspaceRow> => {
    await deps.tenancy.requireWorkspace(companyId, workspaceId);
    const [row] = await sql<WorkspaceRow>(`select id, company_id, name, created_at, archived_at from workspaces where id = ? and company_id = ?`, [workspaceId, companyId]);
    if (!row) throw new ConnectError(`workspace ${workspaceId} not found`, Code.NotFound);
    return row;
  };

  const findProject = async (companyId: string, projectId: string): Promise<ProjectRow> => {
    await deps.tenancy.requireProject(companyId, projectId);
    const [row] = await sql<ProjectRow>(`select id, company_id, workspace_id, name, created_at, archived_at from projects where id = ? and company_id = ?`, [projectId, companyId]);
    if (!row) throw new ConnectError(`project ${projectId} not found`, Code.NotFound);
    return row;
  };

  const workspacesOf = async (companyId: string): Promise<Workspace[]> => {
    const [workspaces, projects] = await Promise.all([
      sql<WorkspaceRow>(`select id, company_id, name, created_at, archived_at from workspaces where company_id = ? order by created_at, id`, [companyId]),
      sql<ProjectRow>(`select id, company_id, workspace_id, name, created_at, archived_at from projects where company_id = ? order by created_at, id`, [companyId]),
    ]);
    return workspaces.map((w) => workspaceMessage(w, projects.filter((p) => p.workspace_id === w.id)));
  };

  /** One workspace with its projects, as ListWorkspaces shows it. */
  const withProjects = async (row: WorkspaceRow): Promise<Workspace> =>
    workspaceMessage(row, await sql<ProjectRow>(`select id, company_id, workspace_id, name, created_at, archived_at from projects where workspace_id = ? order by created_at, id`, [row.id]));

  /** Events stored today and this month (UTC), from the counters the audit_events trigger keeps (migration 0011). */
  const usageOf = async (companyId: string): Promise<Usage> => {
    const now = new Date();
    const [row] = await sql<{ today: string; month: string }>(
      `select coalesce(sum(events) filter (where day = ?::date), 0)::text as today, coalesce(sum(events), 0)::text as month
       from usage_daily where company_id = ? and day >= ?::date`,
      [now.toISOString().slice(0, 10), companyId, now.toISOString().slice(0, 8) + "01"],
    );
    return create(UsageSchema, {
      eventsToday: BigInt(row?.today ?? 0),
      eventsThisMonth: BigInt(row?.month ?? 0),
      monthResetsAt: timestampFromDate(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1))),
    });
  };

  const notArchived = (kind: "workspace" | "project", row: WorkspaceRow, what: string) => {
    if (row.archived_at) throw new ConnectError(`${kind} ${row.id} is archived: ${what}`, Code.FailedPrecondition);
  };

  return (router: ConnectRouter) =>
    router.service(DashboardService, {
      // -------------------------------------------------------------------------------------
      // Admin (HYRELOG_ADMIN)
      // -------------------------------------------------------------------------------------

      async createCompany(req) {
        const user = requireHyrelogAdmin(req.user);
        const violations: Violation[] = [];
        const name = requireName(req.name, "name", MAX_COMPANY_NAME, violations);
        if (req.dataRegion !== region) {
          violations.push({ field: "dataRegion", description: `this is the ${deps.region} region's dashboard service; the company's region must be ${deps.region}` });
        }
        const tier = TIERS.toName(req.plan);
        if (!tier) violations.push({ field: "plan", description: `must be ${TIERS.alternatives}` });
        if (violations.length) throw invalidArgument("invalid company", violations);
        const id = uuidv7();
        await sql(`insert into companies (id, name, data_region, plan_tier, plan_overrides) values (?, ?, ?, ?, '{}'::jsonb)`, [id, name, deps.region, tier]);
        const company = companyMessage(await requireCompanyRow(id));
        await audit(user, id, {
          companyLog: true,
          category: "company",
          action: "company.created",
          target: { id, type: "company", name },
          changes: [
            { field: "name", new: name },
            { field: "dataRegion", new: deps.region },
            { field: "plan", new: tier! },
          ],
          context: req.context,
        });
        return { company };
      },

      async listCompanies(req) {
        requireHyrelogAdmin(req.user);
        const query = req.query.trim();
        const violations: Violation[] = [];
        const problem = query.length > MAX_COMPANY_NAME ? `must be at most ${MAX_COMPANY_NAME} characters` : textProblem(query);
        if (problem) violations.push({ field: "q", description: problem });
        if (req.limit > 201) violations.push({ field: "limit", description: "must be at most 201" });
        const after = req.afterCreatedAt && isUuid(req.afterId) ? { at: timestampDate(req.afterCreatedAt), id: req.afterId.toLowerCase() } : null;
        if (!after && (req.afterCreatedAt || req.afterId)) violations.push({ field: "cursor", description: "after_created_at and after_id (a UUID) go together" });
        if (violations.length) throw invalidArgument("invalid company search", violations);
        const like = `%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        // Newest first by creation time to the millisecond (what the gateway sees and merges
        // regions by), then id: a page continues strictly after the cursor's company.
        const rows = await sql<CompanyRow>(
          `select ${COMPANY_COLUMNS} from companies c join plans p on p.tier = c.plan_tier
           where c.id <> ? and (c.name ilike ? or c.id = ?::uuid)
             and (?::timestamptz is null or (date_trunc('milliseconds', c.created_at), c.id) < (?::timestamptz, ?::uuid))
           order by date_trunc('milliseconds', c.created_at) desc, c.id desc limit ?`,
          [systemCompany, like, isUuid(query) ? query.toLowerCase() : null, after?.at ?? null, after?.at ?? null, after?.id ?? null, req.limit || 50],
        );
        return { companies: rows.map(companyMessage) };
      },

      async locateCompany(req) {
        const found = isUuid(req.companyId) && !isSystemCompanyId(req.companyId) && (await deps.tenancy.hasCompany(req.companyId));
        return { found };
      },

      async listPlans(req) {
        requireHyrelogAdmin(req.user);
        const rows = await sql<PlanRow>(
          `select tier, retention_days, export_row_limit, max_webhooks, features, monthly_event_quota from plans order by array_position(array['FREE', 'STARTER', 'GROWTH', 'ENTERPRISE'], tier)`,
        );
        return { plans: rows.map((r) => planMessage(r, {})) };
      },

      async setCompanyPlan(req) {
        const user = requireHyrelogAdmin(req.user);
        const violations: Violation[] = [];
        const tier = TIERS.toName(req.tier);
        if (!tier) violations.push({ field: "tier", description: `must be ${TIERS.alternatives}` });
        if (req.overrides) checkOverrides(req.overrides, violations);
        if (violations.length) throw invalidArgument("invalid plan change", violations);
        const before = await requireCompanyRow(req.companyId);
        const overrides = req.overrides ?? before.plan_overrides ?? {};
        // A downgrade only changes the tier: every event, key, webhook and export stays; what the new
        // plan lacks is refused from the next call on (each service reads the plan when it acts).
        await sql(`update companies set plan_tier = ?, plan_overrides = ?::jsonb where id = ?`, [tier, JSON.stringify(overrides), before.id]);
        const after = await requireCompanyRow(before.id);
        const changes: Change[] = [];
        if (before.plan_tier !== after.plan_tier) changes.push({ field: "plan", old: before.plan_tier, new: after.plan_tier });
        if (JSON.stringify(before.plan_overrides ?? {}) !== JSON.stringify(after.plan_overrides ?? {})) {
          changes.push({ field: "planOverrides", old: before.plan_overrides ?? {}, new: after.plan_overrides ?? {} });
        }
        if (changes.length) {
          await audit(user, before.id, {
            companyLog: true,
            category: "company",
            action: "company.plan_changed",
            target: { id: before.id, type: "company", name: before.name },
            changes,
            context: req.context,
          });
        }
        return { company: companyMessage(after) };
      },

      // -------------------------------------------------------------------------------------
      // The company (user.companyId): any role reads, ADMIN and HYRELOG_ADMIN change
      // -------------------------------------------------------------------------------------

      async getCompany(req) {
        const user = await companyUser(req.user, false);
        const [row, workspaces, keys, usage] = await Promise.all([requireCompanyRow(user.companyId), workspacesOf(user.companyId), deps.keys.listKeys({ user }), usageOf(user.companyId)]);
        return { company: companyMessage(row), workspaces, keys: keyCounts(keys.keys), usage };
      },

      async createWorkspace(req) {
        const user = await companyUser(req.user, true);
        const violations: Violation[] = [];
        const name = requireName(req.name, "name", MAX_NAME, violations);
        if (violations.length) throw invalidArgument("invalid workspace", violations);
        const id = uuidv7();
        const [row] = await sql<WorkspaceRow>(`insert into workspaces (id, company_id, name) values (?, ?, ?) returning id, company_id, name, created_at, archived_at`, [
          id,
          user.companyId,
          name,
        ]);
        await audit(user, user.companyId, {
          companyLog: true,
          category: "workspace",
          action: "workspace.created",
          target: { id, type: "workspace", name },
          changes: [{ field: "name", new: name }],
          context: req.context,
        });
        return { workspace: workspaceMessage(row!, []) };
      },

      async listWorkspaces(req) {
        const user = await companyUser(req.user, false);
        return { workspaces: await workspacesOf(user.companyId) };
      },

      async renameWorkspace(req) {
        const user = await companyUser(req.user, true);
        const violations: Violation[] = [];
        const name = requireName(req.name, "name", MAX_NAME, violations);
        if (violations.length) throw invalidArgument("invalid workspace", violations);
        const before = await findWorkspace(user.companyId, req.workspaceId);
        notArchived("workspace", before, "it can no longer be renamed");
        if (before.name === name) return { workspace: await withProjects(before) };
        const [after] = await sql<WorkspaceRow>(`update workspaces set name = ? where id = ? returning id, company_id, name, created_at, archived_at`, [name, before.id]);
        await audit(user, user.companyId, {
          companyLog: true,
          category: "workspace",
          action: "workspace.renamed",
          target: { id: before.id, type: "workspace", name },
          changes: [{ field: "name", old: before.name, new: name }],
          context: req.context,
        });
        return { workspace: await withProjects(after!) };
      },

      async archiveWorkspace(req) {
        const user = await companyUser(req.user, true);
        const before = await findWorkspace(user.companyId, req.workspaceId);
        if (before.archived_at) return { workspace: await withProjects(before) };
        const [after] = await sql<WorkspaceRow>(
          `update workspaces set archived_at = coalesce(archived_at, now()) where id = ? returning id, company_id, name, created_at, archived_at`,
          [before.id],
        );
        deps.archived(before.id);
        await audit(user, user.companyId, {
          companyLog: true,
          category: "workspace",
          action: "workspace.archived",
          target: { id: before.id, type: "workspace", name: before.name },
          changes: [{ field: "archivedAt", new: new Date(after!.archived_at!).toISOString() }],
          context: req.context,
        });
        return { workspace: await withProjects(after!) };
      },

      async createProject(req) {
        const user = await companyUser(req.user, true);
        const violations: Violation[] = [];
        const name = requireName(req.name, "name", MAX_NAME, violations);
        if (violations.length) throw invalidArgument("invalid project", violations);
        const workspace = await findWorkspace(user.companyId, req.workspaceId);
        notArchived("workspace", workspace, "it gets no new projects");
        const id = uuidv7();
        const [row] = await sql<ProjectRow>(
          `insert into projects (id, company_id, workspace_id, name) values (?, ?, ?, ?) returning id, company_id, workspace_id, name, created_at, archived_at`,
          [id, user.companyId, workspace.id, name],
        );
        await audit(user, user.companyId, {
          companyLog: true,
          category: "project",
          action: "project.created",
          target: { id, type: "project", name },
          changes: [
            { field: "name", new: name },
            { field: "workspaceId", new: workspace.id },
          ],
          context: req.context,
        });
        return { project: projectMessage(row!) };
      },

      async listProjects(req) {
        const user = await companyUser(req.user, false);
        const workspace = await findWorkspace(user.companyId, req.workspaceId);
        return { projects: (await withProjects(workspace)).projects };
      },

      async renameProject(req) {
        const user = await companyUser(req.user, true);
        const violations: Violation[] = [];
        const name = requireName(req.name, "name", MAX_NAME, violations);
        if (violations.length) throw invalidArgument("invalid project", violations);
        const before = await findProject(user.companyId, req.projectId);
        notArchived("project", before, "it can no longer be renamed");
        if (before.name === name) return { project: projectMessage(before) };
        const [after] = await sql<ProjectRow>(`update projects set name = ? where id = ? returning id, company_id, workspace_id, name, created_at, archived_at`, [name, before.id]);
        await audit(user, user.companyId, {
          companyLog: true,
          category: "project",
          action: "project.renamed",
          target: { id: before.id, type: "project", name },
          changes: [{ field: "name", old: before.name, new: name }],
          context: req.context,
        });
        return { project: projectMessage(after!) };
      },

      async archiveProject(req) {
        const user = await companyUser(req.user, true);
        const before = await findProject(user.companyId, req.projectId);
        if (before.archived_at) return { project: projectMessage(before) };
        const [after] = await sql<ProjectRow>(
          `update projects set archived_at = coalesce(archived_at, now()) where id = ? returning id, company_id, workspace_id, name, created_at, archived_at`,
          [before.id],
        );
        deps.archived(before.id);
        await audit(user, user.companyId, {
          companyLog: true,
          category: "project",
          action: "project.archived",
          target: { id: before.id, type: "project", name: before.name },
          changes: [{ field: "archivedAt", new: new Date(after!.archived_at!).toISOString() }],
          context: req.context,
        });
        return { project: projectMessage(after!) };
      },

      // -------------------------------------------------------------------------------------
      // API keys: made, listed and changed by the keys service, which also records them in the
      // company's log; this service adds them to the system log.
      // -------------------------------------------------------------------------------------

      async createApiKey(req) {
        const user = await companyUser(req.user, true);
        const res = await deps.keys.createKey({ user, scope: req.scope, workspaceId: req.workspaceId, name: req.name, ipAllowlist: req.ipAllowlist, context: req.context });
        const key = res.key!;
        await audit(user, user.companyId, {
          companyLog: false,
          category: "api_key",
          action: "api_key.created",
          target: { id: key.id, type: "api_key", name: key.name },
          changes: [
            { field: "status", new: "ACTIVE" },
            { field: "ipAllowlist", new: key.ipAllowlist },
          ],
          context: req.context,
        });
        return { key, secret: res.secret };
      },

      async listApiKeys(req) {
        const user = await companyUser(req.user, false);
        return { keys: (await deps.keys.listKeys({ user })).keys };
      },

      async revokeApiKey(req) {
        const user = await companyUser(req.user, true);
        const res = await deps.keys.revokeKey({ user, keyId: req.keyId, reason: req.reason, context: req.context });
        const key = res.key!;
        if (res.previousStatus !== KeyStatus.REVOKED) {
          await audit(user, user.companyId, {
            companyLog: false,
            category: "api_key",
            action: "api_key.revoked",
            target: { id: key.id, type: "api_key", name: key.name },
            changes: [{ field: "status", old: KeyStatus[res.previousStatus] ?? "UNKNOWN", new: "REVOKED" }],
            context: req.context,
          });
        }
        return { key };
      },

      async setApiKeyIpAllowlist(req) {
        const user = await companyUser(req.user, true);
        const res = await deps.keys.setIpAllowlist({ user, keyId: req.keyId, ipAllowlist: req.ipAllowlist, context: req.context });
        const key = res.key!;
        if (res.previousIpAllowlist.join("\n") !== key.ipAllowlist.join("\n")) {
          await audit(user, user.companyId, {
            companyLog: false,
            category: "api_key",
            action: "api_key.ip_allowlist_changed",
            target: { id: key.id, type: "api_key", name: key.name },
            changes: [{ field: "ipAllowlist", old: res.previousIpAllowlist, new: key.ipAllowlist }],
            context: req.context,
          });
        }
        return { key };
      },
    });
}

/** A required name: trimmed, 1 to `max` characters of single-line text. */
function requireName(raw: string, field: string, max: number, out: Violation[]): string {
  const name = raw.trim();
  const problem = !name ? "is required" : name.length > max ? `must be at most ${max} characters` : textProblem(name);
  if (problem) out.push({ field, description: problem });
  return name;
}

const isWhole = (v: unknown, min: number, max: number): boolean => typeof v === "number" && Number.isSafeInteger(v) && v >= min && v <= max;

/** Per-company overrides: only what the plans table holds, each value in range; every problem named. */
function checkOverrides(o: JsonObject, out: Violation[]): void {
  for (const [k, v] of Object.entries(o)) {
    const field = `overrides.${k}`;
    if (k === "retentionDays") {
      if (!isWhole(v, 1, 3650)) out.push({ field, description: "must be a whole number of days from 1 to 3650" });
    } else if (k === "exportRowLimit") {
      if (v !== null && !isWhole(v, 0, Number.MAX_SAFE_INTEGER)) out.push({ field, description: "must be a whole number >= 0, or null for unlimited" });
    } else if (k === "maxWebhooks") {
      if (!isWhole(v, 0, 1000)) out.push({ field, description: "must be a whole number from 0 to 1000" });
    } else if (k === "monthlyEventQuota") {
      if (v !== null && !isWhole(v, 0, Number.MAX_SAFE_INTEGER)) out.push({ field, description: "must be a whole number of events >= 0, or null for unlimited" });
    } else if (k === "features") {
      if (typeof v !== "object" || v === null || Array.isArray(v)) {
        out.push({ field, description: `must be an object of feature names (${FEATURES.join(", ")}) to true or false` });
        continue;
      }
      for (const [f, on] of Object.entries(v)) {
        if (!FEATURES.includes(f)) out.push({ field: `${field}.${f}`, description: `is not a feature; use ${FEATURES.join(", ")}` });
        else if (typeof on !== "boolean") out.push({ field: `${field}.${f}`, description: "must be true or false" });
      }
    } else {
      out.push({ field, description: "is not a plan override; use retentionDays, exportRowLimit, maxWebhooks, monthlyEventQuota or features" });
    }
  }
}

/** A plan's limits with a company's overrides applied (runtime's applyPlanOverrides, as every plan check reads them). */
function planMessage(row: PlanRow, overrides: JsonObject): Plan {
  const p = applyPlanOverrides(row, overrides);
  return create(PlanSchema, {
    tier: p.plan,
    retentionDays: p.retentionDays,
    exportRowLimit: p.exportRowLimit ?? undefined,
    maxWebhooks: p.maxWebhooks,
    features: p.features,
    monthlyEventQuota: p.monthlyEventQuota ?? undefined,
  });
}

function companyMessage(row: CompanyRow): Company {
  const overrides = row.plan_overrides ?? {};
  return create(CompanySchema, {
    id: row.id,
    name: row.name,
    dataRegion: REGION_NAMES.fromName(row.data_region),
    plan: planTierToProto(row.plan_tier),
    planOverrides: overrides,
    effectivePlan: planMessage({ ...row, tier: row.plan_tier }, overrides),
    createdAt: rowTimestamp(row.created_at),
  });
}

function workspaceMessage(row: WorkspaceRow, projects: ProjectRow[]): Workspace {
  return create(WorkspaceSchema, {
    id: row.id,
    companyId: row.company_id,
    name: row.name,
    createdAt: rowTimestamp(row.created_at),
    archivedAt: rowTimestamp(row.archived_at),
    projects: projects.map(projectMessage),
  });
}

function projectMessage(row: ProjectRow): Project {
  return create(ProjectSchema, {
    id: row.id,
    companyId: row.company_id,
    workspaceId: row.workspace_id,
    name: row.name,
    createdAt: rowTimestamp(row.created_at),
    archivedAt: rowTimestamp(row.archived_at),
  });
}

function keyCounts(keys: ApiKey[]) {
  const count = (test: (k: ApiKey) => boolean) => keys.filter(test).length;
  return create(KeyCountsSchema, {
    total: keys.length,
    active: count((k) => k.status === KeyStatus.ACTIVE || k.status === KeyStatus.ROTATING),
    revoked: count((k) => k.status === KeyStatus.REVOKED),
    expired: count((k) => k.status === KeyStatus.EXPIRED),
    companyScope: count((k) => k.scope === KeyScope.COMPANY),
    workspaceScope: count((k) => k.scope === KeyScope.WORKSPACE),
  });
}
