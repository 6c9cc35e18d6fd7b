import { Code, ConnectError } from "@connectrpc/connect";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { KeyScope, type EventFilter, type Principal } from "@hyrelog/proto";
import { isUuid } from "@hyrelog/core";
import { invalidArgument } from "./errors.ts";

/**
 * The SQL conditions of GET /v1/events, shared by every reader of audit_events (query, exports)
 * so that an export holds exactly the rows the query API lists for the same filters.
 */
export interface EventConditions {
  where: string[];
  params: unknown[];
}

/** Conditions that confine a principal to its tenant: company, and workspace for workspace keys. */
export function eventScope(p: Principal | undefined, workspaceFilter: string): EventConditions {
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
      if (!isUuid(workspaceFilter)) throw invalidArgument("invalid workspaceId", [{ field: "workspaceId", description: "must be a workspace id (UUID)" }]);
      where.push("workspace_id = ?");
      params.push(workspaceFilter);
    }
  } else {
    throw new ConnectError("principal has no read scope", Code.PermissionDenied);
  }
  return { where, params };
}

/** Adds the filter's conditions (exact matches, project, occurredAt range) to `where`/`params`. */
export function addEventFilterConditions(f: EventFilter | undefined, where: string[], params: unknown[]): void {
  if (!f) return;
  const eq: Array<[string, string]> = [
    ["category", f.category],
    ["action", f.action],
    ["actor_id", f.actorId],
    ["actor_email", f.actorEmail],
    ["target_id", f.targetId],
    ["target_type", f.targetType],
  ];
  for (const [column, value] of eq) {
    if (value) {
      where.push(`${column} = ?`);
      params.push(value);
    }
  }
  if (f.projectId) {
    if (!isUuid(f.projectId)) throw invalidArgument("invalid projectId", [{ field: "projectId", description: "must be a project id (UUID)" }]);
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
export function eventConditions(p: Principal | undefined, f: EventFilter | undefined): EventConditions {
  const c = eventScope(p, f?.workspaceId ?? "");
  addEventFilterConditions(f, c.where, c.params);
  return c;
}
