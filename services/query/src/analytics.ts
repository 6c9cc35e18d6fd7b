/**
 * AnalyticsService (hyrelog.query.v1): event counts per UTC hour or day, optionally split by one
 * dimension, read from the rollups only (analytics-rollup.ts keeps them; docs/analytics.md).
 * Scope and filters are those of ListEvents (EventFilter, Tenancy): a workspace key counts its
 * workspace, a company key its company or the workspace it names.
 */
import { create } from "@bufbuild/protobuf";
import { timestampDate, timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, type ConnectRouter } from "@connectrpc/connect";
import { AnalyticsGroupBy, AnalyticsInterval, AnalyticsService, EventFilterSchema, GroupCountSchema, type EventFilter as EventFilterMessage, type GroupCount } from "@hyrelog/proto";
import type { Violation } from "@hyrelog/core";
import type { Orm } from "@hyrelog/db";
import { EventFilter, invalidArgument, type Tenancy } from "@hyrelog/runtime";
import { NO_ID } from "./analytics-rollup.ts";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** The range when `from` (or both bounds) is not given. */
const DEFAULT_RANGE_MS = 7 * DAY_MS;
/** Largest ranges: 31 days of hours (744 buckets), 366 days of days. */
const MAX_BUCKETS = { hour: 744, day: 366 } as const;
const DEFAULT_GROUPS = 10;
/** The longest a question may read the rollups. */
const MAX_READ_MS = 5_000;
const MAX_GROUPS = 100;
/**
 * Grouping by actor over at most this many events ranks every actor of the range (about one actor
 * row per event at worst: ~50 ms here). Over more, actors are ranked from the per-hour heavy-hitter
 * lists (analytics_actor_totals' rank index), exact when their bounds prove it.
 */
const EXACT_ACTOR_EVENTS = 50_000;
/** Entries read from each (hour, workspace) heavy-hitter list: this many in all, spread over the lists, at least `limit` + 1 each. */
const LIST_ENTRIES = 5_000;
/** Above this many entries (a long range by hour), the lists cost more than they save: every actor row is ranked. */
const MAX_LIST_ENTRIES = 100_000;

/** A rollup table and its time column (migrations 0016, 0017). */
interface Source {
  table: string;
  time: "hour" | "day";
}
const HOURLY: Source = { table: "analytics_hourly", time: "hour" };
const DAILY: Source = { table: "analytics_daily", time: "day" };
const ACTORS: Source = { table: "analytics_actor_hourly", time: "hour" };

/** Filters of GET /v1/events that rollups cannot answer: they keep no emails and no targets. */
const UNSUPPORTED: Array<keyof EventFilterMessage & string> = ["actorEmail", "targetId", "targetType"];

/** The bucket sizes (unspecified: a day). */
const INTERVALS = new Set<number>([AnalyticsInterval.UNSPECIFIED, AnalyticsInterval.HOUR, AnalyticsInterval.DAY]);
/** Per dimension: the rollup column, and the value that stands for "none" in it. */
const DIMENSIONS: Partial<Record<AnalyticsGroupBy, { column: string; none: string }>> = {
  [AnalyticsGroupBy.CATEGORY]: { column: "category", none: "" },
  [AnalyticsGroupBy.ACTION]: { column: "action", none: "" },
  [AnalyticsGroupBy.ACTOR]: { column: "actor_id", none: "" },
  [AnalyticsGroupBy.PROJECT]: { column: "project_id::text", none: NO_ID },
  [AnalyticsGroupBy.WORKSPACE]: { column: "workspace_id::text", none: NO_ID },
};

/** How grouping by actor chooses between ranking every actor row and the heavy-hitter lists (tests set small ones). */
export interface ActorRanking {
  /** Ranking every actor row up to this many events in the range. */
  exactActorEvents: number;
  /** Heavy-hitter list entries read in all (at least limit + 1 per list). */
  listEntries: number;
  /** No lists when limit + 1 entries of each would be more than this: every actor row is ranked. */
  maxListEntries: number;
}

export function analyticsRoutes(orm: Orm, tenancy: Tenancy, ranking: ActorRanking = { exactActorEvents: EXACT_ACTOR_EVENTS, listEntries: LIST_ENTRIES, maxListEntries: MAX_LIST_ENTRIES }) {
  return (router: ConnectRouter) =>
    router.service(AnalyticsService, {
      async countEvents(req) {
        const given = req.filter ?? create(EventFilterSchema);
        const violations: Violation[] = UNSUPPORTED.filter((f) => given[f]).map((field) => ({
          field,
          description: "analytics counts by workspaceId, projectId, category, action and actorId; this filter of GET /v1/events cannot be answered from its rollups",
        }));
        // REST's schema admits only names; an RPC caller can send any number.
        if (!INTERVALS.has(req.interval)) violations.push({ field: "interval", description: "must be HOUR or DAY" });
        if (req.groupBy !== AnalyticsGroupBy.UNSPECIFIED && !DIMENSIONS[req.groupBy]) violations.push({ field: "groupBy", description: "is not a dimension" });
        if (req.limit > MAX_GROUPS) violations.push({ field: "limit", description: `must be between 1 and ${MAX_GROUPS}` });
        // The range (checked as the list checks it) is this call's own, in whole buckets; the rest is the list's filter.
        EventFilter.fromProto(create(EventFilterSchema, { from: given.from, to: given.to }), violations);
        const filter = EventFilter.fromProto(create(EventFilterSchema, { ...given, from: undefined, to: undefined }), violations);
        if (violations.length) throw invalidArgument(`invalid ${violations.map((v) => v.field).join(", ")}`, violations);

        const interval = req.interval === AnalyticsInterval.HOUR ? "hour" : "day";
        const { from, to } = rangeOf(interval, given);
        const { where, params } = await filter.conditions(tenancy, req.principal);
        const { reader, workspaceId } = await tenancy.readScope(req.principal, filter.workspaceId);

        // Which rollup answers: actors are only in their own (hourly) table; without them, days are read by day.
        const plain: Source = interval === "day" ? DAILY : HOURLY;
        const source = given.actorId ? ACTORS : plain;
        const dimension = DIMENSIONS[req.groupBy];
        const limit = req.limit || DEFAULT_GROUPS;
        /** The scope, the filter and the range, on one rollup table. */
        const rangeOn = (s: Source) => ({
          where: [...where, `${s.time} >= to_timestamp(?)`, `${s.time} < to_timestamp(?)`].join(" and "),
          params: [...params, from.getTime() / 1000, to.getTime() / 1000],
        });
        const bucketOf = (s: Source) => (interval === "hour" || s.time === "day" ? s.time : `date_trunc('day', ${s.time}, 'UTC')`);
        type Row = { bucket: Date | string; key: string; n: string };

        // One snapshot: the freshness, the totals and the groups agree with each other.
        const { fresh, totals, grouped, ranked } = await orm.em.fork().transactional(
          async (tx) => {
            const sql = <T>(query: string, values: unknown[]) => tx.execute<T[]>(query, values);
            // A question that reads too many rollup rows (many actors over a long range) is stopped, not left to load the database.
            // Grouping tens of thousands of actors fits in memory (a hash, not a sort); JIT compiling costs more than these reads,
            // and so does starting parallel workers (14 ms measured, for an index scan of 1.5 ms).
            await sql(`set local statement_timeout = ${MAX_READ_MS}; set local work_mem = '16MB'; set local jit = off; set local max_parallel_workers_per_gather = 0`, []);
            const [fresh] = await sql<{ pending: string; as_of: Date }>(
              `select coalesce(sum(h.sequence - coalesce(p.sequence, 0)), 0)::text as pending,
                      coalesce(min(coalesce(e.received_at, p.updated_at)), now()) as as_of
               from log_heads h left join rollup_progress p using (log_id)
               left join lateral (select received_at from audit_events e where e.log_id = h.log_id and e.sequence = coalesce(p.sequence, 0) + 1) e on true
               where h.company_id = ? ${workspaceId ? "and h.log_id = ?" : ""} and h.sequence > coalesce(p.sequence, 0)`,
              workspaceId ? [reader.companyId, workspaceId] : [reader.companyId],
            );
            const at = rangeOn(source);
            const totals = await sql<Row>(`select ${bucketOf(source)} as bucket, sum(events)::text as n from ${source.table} where ${at.where} group by 1`, at.params);
            if (!dimension) return { fresh: fresh!, totals, grouped: [] as Row[], ranked: undefined };
            // The `limit` largest groups over the range, then their counts per bucket. By actor, that
            // reads every actor of the range (the costly question); the buckets come by the actor index.
            const g = req.groupBy === AnalyticsGroupBy.ACTOR ? ACTORS : source;
            const on = rangeOn(g);
            // Many events grouped by actor, within the scope only (the lists are per hour and workspace):
            // rank from the heavy-hitter lists (rankFromLists) instead of every actor row of the range.
            const events = totals.reduce((sum, r) => sum + Number(r.n), 0);
            const rankable = req.groupBy === AnalyticsGroupBy.ACTOR && events > ranking.exactActorEvents && !given.actorId && !given.projectId && !given.category && !given.action;
            const hourly = rangeOn(HOURLY);
            // The range's (hour, workspace) lists, `per` entries of each; none when there are so many lists that
            // even `limit` + 1 entries of each cost more than ranking every row (a long range by hour).
            const entries = rankable
              ? await sql<ListEntry & { per: number }>(
                  `with l as materialized (select distinct hour, workspace_id from analytics_hourly where ${hourly.where}),
                        k as (select count(*) as lists, greatest(?::int, ?::int / greatest(count(*), 1))::int as per from l)
                   select l.hour::text || '|' || l.workspace_id as list, a.actor_id, a.events::text as n, k.per
                   from l cross join k
                   cross join lateral (select actor_id, events from analytics_actor_totals a
                                       where a.company_id = ? and a.hour = l.hour and a.workspace_id = l.workspace_id
                                       order by events desc, actor_id limit (select per from k)) a
                   where k.lists * ? <= ?`,
                  [...hourly.params, limit + 1, ranking.listEntries, reader.companyId, limit + 1, ranking.maxListEntries],
                )
              : [];
            let ranked: Ranking | undefined;
            let top: Array<{ key: string }>;
            if (entries.length) {
              ranked = rankFromLists(entries, entries[0]!.per, limit);
              top = ranked.chosen.map((key) => ({ key }));
            } else {
              top = await sql<{ key: string }>(`select ${dimension.column} as key from ${g.table} where ${on.where} group by 1 order by sum(events) desc, 1 limit ?`, [...on.params, limit]);
            }
            const grouped = top.length
              ? await sql<Row>(
                  `select ${bucketOf(g)} as bucket, ${dimension.column} as key, sum(events)::text as n from ${g.table} where ${on.where} and ${dimension.column} in (?) group by 1, 2`,
                  [...on.params, top.map((t) => t.key)],
                )
              : [];
            return { fresh: fresh!, totals, grouped, ranked };
          },
          { isolationLevel: "repeatable read", readOnly: true },
        ).catch((err: { code?: string }) => {
          if (err?.code !== "57014") throw err;
          throw new ConnectError(`this question reads too many rollup rows to answer within ${MAX_READ_MS / 1000} s; narrow the range or add filters`, Code.DeadlineExceeded);
        });

        const size = interval === "hour" ? HOUR_MS : DAY_MS;
        const buckets = new Map<number, { count: bigint; groups: GroupCount[]; other: bigint }>();
        for (let t = from.getTime(); t < to.getTime(); t += size) buckets.set(t, { count: 0n, groups: [], other: 0n });
        const at = (bucket: Date | string) => buckets.get(new Date(bucket).getTime())!;
        for (const r of totals) {
          const b = at(r.bucket);
          b.count += BigInt(r.n);
          b.other += BigInt(r.n);
        }
        const sums = new Map<string, bigint>();
        for (const r of grouped) {
          const b = at(r.bucket);
          const n = BigInt(r.n);
          b.groups.push(groupCount(r.key, n, dimension!.none));
          b.other -= n;
          sums.set(r.key, (sums.get(r.key) ?? 0n) + n);
        }
        const total = [...buckets.values()].reduce((sum, b) => sum + b.count, 0n);
        const shown = [...sums.values()].reduce((sum, n) => sum + n, 0n);
        // From the lists: exact when no actor left out can reach the smallest count shown (proven below).
        const proof = ranked ? ranked.prove(sums, total - shown) : { exact: true, otherMax: undefined };
        const largestFirst = (a: GroupCount, b: GroupCount) => a.count !== b.count ? (a.count > b.count ? -1 : 1) : (a.key ?? "") < (b.key ?? "") ? -1 : 1;
        for (const b of buckets.values()) b.groups.sort(largestFirst);
        return {
          from: timestampFromDate(from),
          to: timestampFromDate(to),
          interval: interval === "hour" ? AnalyticsInterval.HOUR : AnalyticsInterval.DAY,
          groupBy: req.groupBy,
          buckets: [...buckets].map(([t, b]) => ({ start: timestampFromDate(new Date(t)), ...b, other: dimension ? b.other : 0n })),
          total,
          groups: [...sums].map(([key, n]) => groupCount(key, n, dimension!.none)).sort(largestFirst),
          other: dimension ? total - shown : 0n,
          asOf: timestampFromDate(new Date(fresh.as_of)),
          pendingEvents: BigInt(fresh.pending),
          groupsExact: proof.exact,
          otherGroupMax: proof.otherMax,
        };
      },
    });
}

/** An entry of a heavy-hitter list: `list` is "hour|workspace", entries largest first. */
interface ListEntry {
  list: string;
  actor_id: string;
  n: string;
}

interface Ranking {
  /** The actors shown: the `limit` largest known counts. */
  chosen: string[];
  /** Whether the lists prove `chosen` (with their exact counts) are the `limit` largest; else a bound on every other actor. */
  prove(exact: Map<string, bigint>, other: bigint): { exact: boolean; otherMax: bigint | undefined };
}

/**
 * Ranks actors from per-(hour, workspace) heavy-hitter lists: each list is the first `perList`
 * entries of analytics_actor_totals' rank index (that hour and workspace's actors, largest first).
 * A list shorter than `perList` is complete; a full one bounds every actor it leaves out by its
 * last count. So an actor's count over the range is at least the sum of its listed counts (known)
 * and at most that plus the bounds of the lists it is missing from (upper); an actor in no list
 * has at most the sum of all bounds. The `limit` largest known counts are shown (their exact counts
 * come from the actor table); the choice is exact when every actor not shown has an upper bound
 * below the smallest exact count shown (or, with fewer than `limit` shown, when no other actor
 * exists). Otherwise the answer says so, with the largest upper bound of those left out.
 */
export function rankFromLists(entries: ListEntry[], perList: number, limit: number): Ranking {
  const lists = new Map<string, ListEntry[]>();
  for (const e of entries) {
    const list = lists.get(e.list);
    if (list) list.push(e);
    else lists.set(e.list, [e]);
  }
  let allBounds = 0n;
  const known = new Map<string, bigint>();
  const boundsListed = new Map<string, bigint>();
  for (const list of lists.values()) {
    const bound = list.length < perList ? 0n : list.reduce((min, e) => (BigInt(e.n) < min ? BigInt(e.n) : min), BigInt(list[0]!.n));
    allBounds += bound;
    for (const e of list) {
      known.set(e.actor_id, (known.get(e.actor_id) ?? 0n) + BigInt(e.n));
      boundsListed.set(e.actor_id, (boundsListed.get(e.actor_id) ?? 0n) + bound);
    }
  }
  const byKnown = [...known].sort(([ka, a], [kb, b]) => (a !== b ? (a > b ? -1 : 1) : ka < kb ? -1 : 1));
  const chosen = byKnown.slice(0, limit).map(([key]) => key);
  return {
    chosen,
    prove(exact, other) {
      // The largest count an actor not shown may have: listed ones by their bounds, unlisted ones by all bounds.
      let otherMax = allBounds;
      for (const [key, n] of byKnown.slice(limit)) {
        const upper = n + allBounds - boundsListed.get(key)!;
        if (upper > otherMax) otherMax = upper;
      }
      if (otherMax > other) otherMax = other;
      const shown = chosen.map((key) => exact.get(key) ?? 0n);
      const smallest = shown.reduce((min, n) => (n < min ? n : min), shown[0] ?? 0n);
      const proven = otherMax === 0n || (chosen.length === limit && otherMax < smallest);
      return proven ? { exact: true, otherMax: undefined } : { exact: false, otherMax };
    },
  };
}

/** A group as the contract has it: the stored "none" value is an absent key. */
function groupCount(key: string, count: bigint, none: string): GroupCount {
  return create(GroupCountSchema, { key: key === none ? undefined : key, count });
}

/**
 * The range counted: `from`/`to` widened to whole buckets (UTC), by default the 7 days up to the
 * end of the current bucket; too many buckets for the interval is a mistake worth naming.
 */
function rangeOf(interval: "hour" | "day", f: EventFilterMessage): { from: Date; to: Date } {
  const size = interval === "hour" ? HOUR_MS : DAY_MS;
  const floor = (ms: number) => Math.floor(ms / size) * size;
  const ceil = (ms: number) => Math.ceil(ms / size) * size;
  const to = ceil(f.to ? timestampDate(f.to).getTime() : Date.now());
  const from = floor(f.from ? timestampDate(f.from).getTime() : to - DEFAULT_RANGE_MS);
  if (from >= to) throw invalidArgument("invalid from: the time range is empty", [{ field: "from", description: "must be before to" }]);
  const max = MAX_BUCKETS[interval];
  if ((to - from) / size > max) {
    throw invalidArgument("invalid from: the time range is too large", [
      {
        field: "from",
        description:
          interval === "hour"
            ? `hourly buckets cover at most ${max} hours (31 days) from to; use interval=day or a shorter range`
            : `daily buckets cover at most ${max} days from to; use a shorter range`,
      },
    ]);
  }
  return { from: new Date(from), to: new Date(to) };
}
