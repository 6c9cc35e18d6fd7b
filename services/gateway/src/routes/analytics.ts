/** Analytics: event counts per UTC hour or day, by one dimension, answered from rollups (docs/analytics.md). */
import { AnalyticsGroupBy, AnalyticsGroupBySchema, AnalyticsInterval, AnalyticsIntervalSchema, type GroupCount } from "@hyrelog/proto";
import { EVENT_FILTER_FIELDS, EventFilter, enumNames } from "@hyrelog/runtime";
import { enumParam, iso, limitParam, refuse, type Handler, type RouteTable, type Violation } from "./shared.ts";

const INTERVALS = enumNames(AnalyticsIntervalSchema, { prefix: "ANALYTICS_INTERVAL_", lowerCase: true });
const DIMENSIONS = enumNames(AnalyticsGroupBySchema, { prefix: "ANALYTICS_GROUP_BY_", lowerCase: true });

export const analyticsRoutes: RouteTable = (clients) => {
  const countEvents: Handler = async (r) => {
    const q = r.url.searchParams;
    const violations: Violation[] = [];
    // The list's filters (the service refuses those rollups cannot answer, naming them).
    const filter = EventFilter.fromQuery(q, violations);
    const interval = enumParam(q, "interval", INTERVALS, violations) ?? AnalyticsInterval.UNSPECIFIED;
    const groupBy = enumParam(q, "groupBy", DIMENSIONS, violations) ?? AnalyticsGroupBy.UNSPECIFIED;
    const limit = limitParam(q, 100, violations);
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
      },
    };
  };

  return [{ method: "GET", pattern: "/v1/analytics/events", query: [...EVENT_FILTER_FIELDS, "interval", "groupBy", "limit"], handler: countEvents }];
};
