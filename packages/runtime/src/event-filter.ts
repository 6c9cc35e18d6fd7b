import { Code, ConnectError } from "@connectrpc/connect";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { KeyScope, type EventFilter, type Principal } from "@hyrelog/proto";
import { textProblem } from "@hyrelog/core";
import { invalidArgument } from "./errors.ts";
import type { Tenancy } from "./tenancy.ts";

/**
 * The SQL conditions of GET /v1/events, shared by every reader of audit_events (query, exports)
 * so that an export holds exactly the rows the query API lists for the same filters.
 */
export interface EventConditions {
  where: string[];
  params: unknown[];
}

/**
 * Conditions that confine a principal to its tenant: company, and workspace for workspace keys.
 * A workspace named by the caller must be one of its company's: another company's (or another
 * region's) is NOT_FOUND, exactly like an id that does not exist.
 */
export async function eventScope(tenancy: Tenancy, p: Principal | undefined, workspaceFilter: string): Promise<EventConditions> {
  if (!p || !p.companyId) throw new ConnectError("principal is required", Code.Unauthenticated);
  const where = ["company_id = ?"];
  const params: unknown[] = [p.companyId];
  if (p.scope === KeyScope.WORKSPACE) {
    if (workspaceFilter && workspaceFilter !== p.workspaceId) {
      throw new ConnectError("a workspace key can only read its own workspace", Code.PermissionDenied);
    }
    where.push("workspace_id = ?");
    params.push(p.workspaceId);
  } else if (p.scope === KeyScope.COMPANY) {
    if (workspaceFilter) {
      await tenancy.requireWorkspace(p.companyId, workspaceFilter);
      where.push("workspace_id = ?");
      params.push(workspaceFilter);
    }
  } else {
    throw new ConnectError("principal has no read scope", Code.PermissionDenied);
  }
  return { where, params };
}

/**
 * Adds the filter's conditions (exact matches, project, occurredAt range) to `where`/`params`.
 * A project must be one of the principal's (its workspace's, for a workspace key).
 */
export async function addEventFilterConditions(tenancy: Tenancy, p: Principal, f: EventFilter | undefined, where: string[], params: unknown[]): Promise<void> {
  if (!f) return;
  const eq: Array<[string, string, string]> = [
    ["category", "category", f.category],
    ["action", "action", f.action],
    ["actor_id", "actorId", f.actorId],
    ["actor_email", "actorEmail", f.actorEmail],
    ["target_id", "targetId", f.targetId],
    ["target_type", "targetType", f.targetType],
  ];
  requireFilterText(eq.map(([, field, value]) => [field, value]));
  for (const [column, , value] of eq) {
    if (value) {
      where.push(`${column} = ?`);
      params.push(value);
    }
  }
  if (f.projectId) {
    await tenancy.requireProject(p.companyId, f.projectId, p.scope === KeyScope.WORKSPACE ? p.workspaceId : f.workspaceId || undefined);
    where.push("project_id = ?");
    params.push(f.projectId);
  }
  const from = f.from ? timestampDate(f.from) : null;
  const to = f.to ? timestampDate(f.to) : null;
  if (from && to && from >= to) throw invalidArgument("empty time range", [{ field: "from", description: "must be before to" }]);
  if (from) {
    where.push("occurred_at >= ?");
    params.push(from.toISOString());
  }
  if (to) {
    where.push("occurred_at < ?");
    params.push(to.toISOString());
  }
}

/** Scope plus filter: the full condition set of GET /v1/events for this principal. */
export async function eventConditions(tenancy: Tenancy, p: Principal | undefined, f: EventFilter | undefined): Promise<EventConditions> {
  const c = await eventScope(tenancy, p, f?.workspaceId ?? "");
  await addEventFilterConditions(tenancy, p!, f, c.where, c.params);
  return c;
}

/**
 * Filter values follow the rule of the fields they match (single-line text): a value no event
 * can hold (NUL, a control character, a lone surrogate) is a mistake worth naming, not an empty page.
 */
export function requireFilterText(fields: Array<[field: string, value: string]>): void {
  const violations = fields.flatMap(([field, value]) => {
    const problem = value ? textProblem(value) : null;
    return problem ? [{ field, description: problem }] : [];
  });
  if (violations.length) throw invalidArgument("invalid filter", violations);
}
