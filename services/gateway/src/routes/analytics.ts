/** Analytics: event counts per UTC hour or day, by one dimension, answered from rollups (docs/analytics.md). */
import { AnalyticsGroupBy, AnalyticsGroupBySchema, AnalyticsInterval, AnalyticsIntervalSchema, type GroupCount } from "@hyrelog/proto";
import { EventFilter, enumNames } from "@hyrelog/runtime";
import { array, dateTime, eventFilterQuery, integer, jsonResponse, limitQuery, named, nullableStr, object, query, response } from "../api-schema.ts";
import { iso, refuse, type Handler, type Route, type RouteTable, type Violation } from "./shared.ts";

const INTERVALS = enumNames(AnalyticsIntervalSchema, { prefix: "ANALYTICS_INTERVAL_", lowerCase: true });
const DIMENSIONS = enumNames(AnalyticsGroupBySchema, { prefix: "ANALYTICS_GROUP_BY_", lowerCase: true });
const DIMENSION_NAMES = ["category", "action", "actor", "project", "workspace"];

const COUNT = integer({ minimum: 0 });
const GROUP = named(
  "AnalyticsGroup",
  object({
    key: nullableStr({ description: "The category, action, actor id, project id or workspace id. Null: events without one (no project, the company's own log, an actor identified by email alone)." }),
    count: COUNT,
  }),
);
const BUCKET = named(
  "AnalyticsBucket",
  object({
    start: dateTime("The bucket's first instant (UTC); it lasts one hour or one day."),
    count: COUNT,
    groups: array(GROUP, { description: "The shown groups with events in this bucket, largest first." }),
    other: { ...COUNT, description: "Events of groups beyond `limit`." },
  }),
);
const EVENT_COUNTS = named(
  "EventCounts",
  object({
    from: dateTime("The range counted, from (inclusive): `from` widened to a whole bucket."),
    to: dateTime("The range counted, to (exclusive): `to` widened to a whole bucket."),
    interval: { type: "string", enum: ["hour", "day"] },
    groupBy: { type: ["string", "null"], enum: [...DIMENSION_NAMES, null] },
    timeZone: { const: "UTC", description: "Buckets are UTC hours and UTC days." },
    total: COUNT,
    groups: array(GROUP, { description: "The `limit` largest groups over the range, largest first (ties by key); empty without groupBy." }),
    other: { ...COUNT, description: "Events of every other group." },
    buckets: array(BUCKET, { description: "Every bucket of the range, oldest first, empty ones included." }),
    asOf: dateTime("The counts hold every event of the scope stored before this time."),
    pendingEvents: { ...COUNT, description: "Events of the scope stored but not counted yet (0: up to date; the rollups follow ingest within about a second)." },
    groupsExact: {
      type: "boolean",
      description:
        "True when `groups` are certainly the `limit` largest over the range (ties by key). False only when grouping by actor over many events: actors are then ranked from per-hour heavy-hitter lists whose bounds did not prove the choice. Every count is exact either way.",
    },
    otherGroupMax: { type: ["integer", "null"], minimum: 0, description: "When groupsExact is false: no group left out of `groups` has more events than this. Null otherwise." },
  }),
);

const REFUSED = "Refused (400): the rollups keep no actor emails and no targets.";

export const analyticsRoutes: RouteTable = (clients): Route[] => {
  const countEvents: Handler = async (r) => {
    const q = r.url.searchParams;
    const violations: Violation[] = [];
    // The list's filters (the service refuses those rollups cannot answer, naming them).
    const filter = EventFilter.fromQuery(q, violations);
    const values = r.query as { interval?: string; groupBy?: string; limit?: number };
    const interval = INTERVALS.fromName(values.interval) ?? AnalyticsInterval.UNSPECIFIED;
    const groupBy = DIMENSIONS.fromName(values.groupBy) ?? AnalyticsGroupBy.UNSPECIFIED;
    const limit = values.limit ?? 0;
    refuse(`invalid ${violations.map((v) => v.field).join(", ")}`, violations);
    const res = await clients
      .analytics(r.region)
      .countEvents({ principal: r.principal, filter: filter.toProto(), interval, groupBy, limit }, { headers: r.callHeaders });
    const groups = (list: GroupCount[]) => list.map((g) => ({ key: g.key ?? null, count: Number(g.count) }));
    return {
      status: 200,
      body: {
        from: iso(res.from),
        to: iso(res.to),
        interval: INTERVALS.toName(res.interval) ?? null,
        groupBy: DIMENSIONS.toName(res.groupBy) ?? null,
        timeZone: "UTC",
        total: Number(res.total),
        groups: groups(res.groups),
        other: Number(res.other),
        buckets: res.buckets.map((b) => ({ start: iso(b.start), count: Number(b.count), groups: groups(b.groups), other: Number(b.other) })),
        asOf: iso(res.asOf),
        pendingEvents: Number(res.pendingEvents),
        groupsExact: res.groupsExact,
        otherGroupMax: res.otherGroupMax === undefined ? null : Number(res.otherGroupMax),
      },
    };
  };

  return [
    {
      method: "GET",
      pattern: "/v1/analytics/events",
      doc: {
        tag: "Analytics",
        operationId: "countEvents",
        summary: "Count events per hour or day, by one dimension",
        description:
          "Counts of the key's events (a workspace key: its workspace; a company key: every workspace, or one with workspaceId) per UTC hour or day of occurredAt, " +
          "optionally split by category, action, actor (id), project or workspace, with the filters of GET /v1/events that rollups can answer. " +
          "Answered from hourly rollups kept after ingest, never by scanning events: `asOf` and `pendingEvents` say how fresh they are. " +
          "Hourly buckets cover at most 31 days, daily ones 366.",
        parameters: [
          ...eventFilterQuery({
            actorEmail: REFUSED,
            targetId: REFUSED,
            targetType: REFUSED,
            from: "Start of the range (RFC 3339), widened down to a whole bucket. Default: 7 days before `to`.",
            to: "End of the range (RFC 3339, exclusive), widened up to a whole bucket. Default: the end of the current hour or day.",
          }),
          query("interval", { type: "string", enum: ["hour", "day"], default: "day" }, "Bucket size."),
          query("groupBy", { type: "string", enum: DIMENSION_NAMES }, "Split each bucket by this dimension (actor: the actor's id). None: totals only."),
          limitQuery(100, 10, "With groupBy: at most this many groups (the largest over the range); the rest are counted as `other`."),
        ],
        responses: { "200": jsonResponse("The counts.", EVENT_COUNTS), "403": response("Forbidden"), "404": response("NotFound") },
      },
      handler: countEvents,
    },
  ];
};
