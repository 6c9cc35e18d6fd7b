import { Code, ConnectError, type ConnectRouter } from "@connectrpc/connect";
import { QueryService } from "@hyrelog/proto";
import { isUuid, type EventJson, type Violation } from "@hyrelog/core";
import { EVENT_COLUMNS, storedEventFromRow, type EventRow, type Orm, type SubjectKeyStore } from "@hyrelog/db";
import { EventFilter, decodeCursor, encodeCursor, eventApiJson, eventScope, eventToProto, invalidArgument, requireFilterText, type Tenancy } from "@hyrelog/runtime";

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 1000;

function limitOf(limit: number): number {
  if (limit === 0) return DEFAULT_LIMIT;
  if (limit > MAX_LIMIT) throw invalidArgument("limit too large", [{ field: "limit", description: `must be between 1 and ${MAX_LIMIT}` }]);
  return limit;
}

export function queryRoutes(orm: Orm, tenancy: Tenancy, subjects: SubjectKeyStore) {
  /** Rows in the API's form, personal values opened (or erased). */
  const shown = async (rows: EventRow[]) => subjects.open(rows.map(storedEventFromRow));
  /** Whether events of the principal's scope (and workspace filter) have been purged to archives. */
  const purgedInScope = async (principal: Parameters<typeof eventScope>[1], workspaceId: string): Promise<boolean> => {
    const { where, params } = await eventScope(tenancy, principal, workspaceId);
    const [row] = await orm.em.fork().execute<Array<{ found: boolean }>>(`select exists (select 1 from log_lifecycle where ${where.join(" and ")} and purged_to > 0) as found`, params);
    return row?.found === true;
  };
  return (router: ConnectRouter) =>
    router.service(QueryService, {
      async listEvents(req) {
        const limit = limitOf(req.limit);
        const violations: Violation[] = [];
        const filter = EventFilter.fromProto(req.filter, violations);
        if (violations.length) throw invalidArgument("invalid filter", violations);
        const { where, params } = await filter.conditions(tenancy, req.principal, subjects);
        const filterKey = JSON.stringify([req.principal!.companyId, where, params]);
        const after = decodeCursor(req.cursor, filterKey);
        if (after) {
          where.push("id < ?");
          params.push(after);
        }
        // Newest first by UUIDv7 id: an event that existed when paging began is returned exactly once.
        const rows = await orm.em
          .fork()
          .execute<EventRow[]>(`select ${EVENT_COLUMNS} from audit_events where ${where.join(" and ")} order by id desc limit ?`, [
            ...params,
            limit + 1,
          ]);
        const page = rows.slice(0, limit);
        const last = rows.length <= limit;
        const events = await shown(page);
        return {
          ...(req.asJson ? { eventsJson: `[${events.map(eventApiJson).join(",")}]` } : { events: events.map(eventToProto) }),
          nextCursor: last ? "" : encodeCursor(page.at(-1)!.id, filterKey),
          olderInArchives: last && (await purgedInScope(req.principal, filter.workspaceId)),
        };
      },

      async getEvent(req) {
        const { where, params } = await eventScope(tenancy, req.principal, "");
        if (!isUuid(req.id)) throw new ConnectError(`event ${req.id} not found`, Code.NotFound);
        const rows = await orm.em
          .fork()
          .execute<EventRow[]>(`select ${EVENT_COLUMNS} from audit_events where ${where.join(" and ")} and id = ?`, [...params, req.id]);
        if (!rows[0]) {
          const [purged] = await orm.em.fork().execute<Array<{ archive_id: string }>>(
            `select p.archive_id from purged_events p join log_lifecycle l using (log_id) where ${where.map((w) => `l.${w}`).join(" and ")} and p.id = ?`,
            [...params, req.id],
          );
          if (purged) throw new ConnectError(`event ${req.id} was archived (archive ${purged.archive_id}) and has left hot storage: export it with source ARCHIVED`, Code.NotFound);
          throw new ConnectError(`event ${req.id} not found`, Code.NotFound);
        }
        return { event: eventToProto((await shown(rows))[0]!) };
      },

      async listTargetEvents(req) {
        const limit = limitOf(req.limit);
        const violations = [];
        if (!req.targetType) violations.push({ field: "targetType", description: "is required" });
        if (!req.targetId) violations.push({ field: "targetId", description: "is required" });
        if (violations.length) throw invalidArgument("target type and id are required", violations);
        requireFilterText([
          ["targetType", req.targetType],
          ["targetId", req.targetId, "multiline"],
        ]);
        const { where, params } = await eventScope(tenancy, req.principal, req.workspaceId);
        where.push("target_type = ?", "target_id = ?");
        params.push(req.targetType, req.targetId);
        const filterKey = JSON.stringify([req.principal!.companyId, where, params]);
        const after = decodeCursor(req.cursor, filterKey);
        const em = orm.em.fork();
        // The resource's state before this page: every earlier event's changes, applied in order.
        const state: Record<string, unknown> = {};
        let version = 0;
        if (after) {
          const earlier = await shown(
            await em.execute<EventRow[]>(`select ${EVENT_COLUMNS} from audit_events where ${where.join(" and ")} and id <= ? order by id`, [...params, after]),
          );
          for (const e of earlier) applyChanges(state, e.changes);
          version = earlier.length;
          where.push("id > ?");
          params.push(after);
        }
        const rows = await em.execute<EventRow[]>(
          `select ${EVENT_COLUMNS} from audit_events where ${where.join(" and ")} order by id limit ?`,
          [...params, limit + 1],
        );
        const page = await shown(rows.slice(0, limit));
        return {
          versions: page.map((e) => {
            applyChanges(state, e.changes);
            return { version: ++version, event: eventToProto(e), state: structuredClone(state) as never };
          }),
          nextCursor: rows.length > limit ? encodeCursor(page.at(-1)!.id, filterKey) : "",
        };
      },
    });
}

/** A change with `new` sets the field; one without `new` removes it. */
function applyChanges(state: Record<string, unknown>, changes: EventJson["changes"]): void {
  for (const c of changes) {
    if ("new" in c) state[c.field] = c.new;
    else delete state[c.field];
  }
}
