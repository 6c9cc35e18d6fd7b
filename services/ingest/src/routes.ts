import { Code, ConnectError, type ConnectRouter, type HandlerContext } from "@connectrpc/connect";
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { IngestService, EventResultSchema, KeyScope, type IngestEventsRequest, type Principal } from "@hyrelog/proto";
import { isUuid } from "@hyrelog/core";
import { invalidArgument, type Metrics, type Tenancy } from "@hyrelog/runtime";
import type { MonthlyQuota } from "./quota.ts";
import { LIMITS, validateEvent, type Violation } from "./validate.ts";
import type { LogWriter, PendingEvent } from "./writer.ts";
import type { EventSealer } from "./seal.ts";

export interface IngestDeps {
  writer: LogWriter;
  tenancy: Tenancy;
  metrics: Metrics;
  /** Null stores chain v1 (PERSONAL_DATA_ENCRYPTION=off). */
  sealer: EventSealer | null;
  quota: MonthlyQuota;
}

export function ingestRoutes(deps: IngestDeps) {
  const events = deps.metrics.counter("hyrelog_ingest_events_total", "Events accepted by IngestEvents: stored, or duplicate (an idempotent retry, nothing stored).", ["result"]);
  const batches = deps.metrics.counter("hyrelog_ingest_batches_total", "IngestEvents requests whose events were all accepted (a request is one atomic batch).");
  const batchSize = deps.metrics.histogram("hyrelog_ingest_batch_events", "Events per accepted IngestEvents request.", [], [1, 2, 5, 10, 50, 100, 250, 500, 1000]);
  return (router: ConnectRouter) =>
    router.service(IngestService, {
      async ingestEvents(req: IngestEventsRequest, ctx: HandlerContext) {
        const p = req.principal;
        if (!p || !p.companyId) throw new ConnectError("principal is required", Code.Unauthenticated);
        if (p.scope === KeyScope.COMPANY) {
          throw new ConnectError("company keys cannot ingest events; use a workspace key (hlk_ws_...)", Code.PermissionDenied);
        }
        if (p.scope !== KeyScope.WORKSPACE && p.scope !== KeyScope.SYSTEM) {
          throw new ConnectError("principal has no ingest scope", Code.PermissionDenied);
        }
        if (req.events.length === 0) throw invalidArgument("no events to store", [{ field: "events", description: "must contain at least one event" }]);
        if (req.events.length > LIMITS.eventsPerRequest) {
          throw invalidArgument("too many events", [
            { field: "events", description: `must contain at most ${LIMITS.eventsPerRequest} events (got ${req.events.length})` },
          ]);
        }

        const now = Date.now();
        const receivedAt = new Date(now);
        const violations: Violation[] = [];
        const pending: PendingEvent[] = req.events.map((input, i) => {
          const path = `events[${i}]`;
          const e = validateEvent(input, path, now, violations);
          let workspaceId: string | null;
          if (p.scope === KeyScope.WORKSPACE) {
            if (e.workspaceId && e.workspaceId !== p.workspaceId) {
              violations.push({ field: `${path}.workspaceId`, description: "must be omitted: the workspace key decides the workspace" });
            }
            workspaceId = p.workspaceId;
          } else {
            workspaceId = e.workspaceId;
          }
          return {
            ...e,
            companyId: p.companyId,
            workspaceId,
            logId: workspaceId ?? p.companyId,
            receivedAt,
            context: {
              ip: req.context?.ip || null,
              userAgent: req.context?.userAgent || null,
              traceId: req.context?.traceId || null,
              requestId: req.context?.requestId || null,
            },
          };
        });
        await checkOwnership(deps.tenancy, p, pending, violations);
        if (violations.length) throw invalidArgument(`${violations.length} problem(s) in the events; nothing was stored`, violations);

        // A customer's events count against the plan's monthly quota; HyreLog's own records
        // (system principals: key, webhook, dashboard changes) always land.
        if (p.scope === KeyScope.WORKSPACE) await deps.quota.check(p.companyId, pending.length);

        ctx.signal.throwIfAborted();
        const results = await deps.writer.write(deps.sealer ? await deps.sealer.seal(pending) : pending);
        const duplicates = results.reduce((n, r) => n + (r.duplicate ? 1 : 0), 0);
        deps.quota.stored(p.companyId, results.length - duplicates);
        if (results.length > duplicates) events.inc({ result: "stored" }, results.length - duplicates);
        if (duplicates) events.inc({ result: "duplicate" }, duplicates);
        batches.inc();
        batchSize.observe(results.length);
        return {
          results: results.map((r, index) =>
            create(EventResultSchema, {
              index,
              id: r.event.id,
              chain: { sequence: BigInt(r.event.sequence), prevHash: r.event.prevHash, hash: r.event.hash },
              receivedAt: timestampFromDate(new Date(r.event.receivedAt)),
              duplicate: r.duplicate,
            }),
          ),
        };
      },
    });
}

/**
 * Every log written to must be the principal's: its company's own log, or a workspace of its
 * company (a workspace key's own, or the one a system principal names). Every project must be in
 * the event's workspace. A workspace key's workspace, and the projects it names, must not be
 * archived (FAILED_PRECONDITION for the workspace, a violation per project). The database refuses anything else too (migration 0008); checking here
 * turns it into a clear answer naming the field, with nothing stored.
 */
async function checkOwnership(tenancy: Tenancy, p: Principal, events: PendingEvent[], violations: Violation[]): Promise<void> {
  const { companyId } = p;
  const workspaces = new Map<string, boolean>();
  for (const id of new Set(events.map((e) => e.workspaceId))) {
    // Malformed ids were already reported by validateEvent.
    if (id !== null && isUuid(id)) workspaces.set(id, (await tenancy.workspaceOwner(id)) === companyId);
  }
  if (p.scope === KeyScope.WORKSPACE && workspaces.get(p.workspaceId) !== true) {
    throw new ConnectError(`workspace ${p.workspaceId} not found`, Code.NotFound);
  }
  // Archived workspaces and projects refuse their customers' events. HyreLog's own records about
  // them (system principals, e.g. a key revoked after archival) are still kept.
  const customer = p.scope === KeyScope.WORKSPACE;
  if (customer && (await tenancy.archived("workspaces", [p.workspaceId])).size) {
    throw new ConnectError(`workspace ${p.workspaceId} is archived: it accepts no new events`, Code.FailedPrecondition);
  }
  const companyLog = events.some((e) => e.workspaceId === null);
  if (companyLog && !(await tenancy.hasCompany(companyId))) throw new ConnectError(`company ${companyId} not found in this region`, Code.NotFound);
  const projectIds = events.flatMap((e) => (e.projectId ? [e.projectId] : []));
  const projects = await tenancy.projectOwners(projectIds);
  const archivedProjects = customer && projects.size ? await tenancy.archived("projects", projects.keys()) : new Set<string>();
  events.forEach((e, i) => {
    if (e.workspaceId !== null && workspaces.get(e.workspaceId) === false) {
      violations.push({ field: `events[${i}].workspaceId`, description: `workspace ${e.workspaceId} does not exist in this company` });
      return;
    }
    if (!e.projectId || !isUuid(e.projectId)) return;
    const owner = projects.get(e.projectId);
    if (!owner || owner.companyId !== companyId || owner.workspaceId !== e.workspaceId) {
      violations.push({ field: `events[${i}].projectId`, description: `project ${e.projectId} does not exist in this workspace` });
    } else if (archivedProjects.has(e.projectId)) {
      violations.push({ field: `events[${i}].projectId`, description: `project ${e.projectId} is archived: it accepts no new events` });
    }
  });
}
