import { Code, ConnectError, type ConnectRouter, type HandlerContext } from "@connectrpc/connect";
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { IngestService, EventResultSchema, KeyScope, type IngestEventsRequest } from "@hyrelog/proto";
import { isUuid } from "@hyrelog/core";
import { invalidArgument } from "@hyrelog/runtime";
import type { Orm } from "@hyrelog/db";
import { LIMITS, validateEvent, type Violation } from "./validate.ts";
import type { LogWriter, PendingEvent } from "./writer.ts";

export interface IngestDeps {
  orm: Orm;
  writer: LogWriter;
}

export function ingestRoutes(deps: IngestDeps) {
  const projects = new ProjectDirectory(deps.orm);
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
        await projects.check(pending, p.companyId, violations);
        if (violations.length) throw invalidArgument(`${violations.length} problem(s) in the events; nothing was stored`, violations);

        ctx.signal.throwIfAborted();
        const results = await deps.writer.write(pending);
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

/** Which workspace each project belongs to; projects never move, so answers are cached. */
class ProjectDirectory {
  readonly #orm: Orm;
  readonly #workspaceOf = new Map<string, { companyId: string; workspaceId: string }>();
  constructor(orm: Orm) {
    this.#orm = orm;
  }

  async check(events: PendingEvent[], companyId: string, violations: Violation[]): Promise<void> {
    // Ids that are not UUIDs were reported by validateEvent; PostgreSQL would refuse them as uuid.
    const missing = [...new Set(events.map((e) => e.projectId).filter((id): id is string => !!id && isUuid(id) && !this.#workspaceOf.has(id)))];
    if (missing.length) {
      const rows = await this.#orm.em
        .fork()
        .execute<Array<{ id: string; company_id: string; workspace_id: string }>>(
          `select id, company_id, workspace_id from projects where id in (?)`,
          [missing],
        );
      if (this.#workspaceOf.size > 50_000) this.#workspaceOf.clear();
      for (const r of rows) this.#workspaceOf.set(r.id, { companyId: r.company_id, workspaceId: r.workspace_id });
    }
    events.forEach((e, i) => {
      if (!e.projectId || !isUuid(e.projectId)) return;
      const owner = this.#workspaceOf.get(e.projectId);
      if (!owner || owner.companyId !== companyId || owner.workspaceId !== e.workspaceId) {
        violations.push({ field: `events[${i}].projectId`, description: `project ${e.projectId} does not exist in this workspace` });
      }
    });
  }
}
