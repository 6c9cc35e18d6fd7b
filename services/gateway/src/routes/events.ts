/** Events: record (single or batch), list with filters, get one, a target's history. */
import { KeyScope, type EventInput } from "@hyrelog/proto";
import { EVENT_FILTER_FIELDS, EventFilter, eventFromProto } from "@hyrelog/runtime";
import { ApiError, toApiError } from "../errors.ts";
import { parseEventInput } from "../event-input.ts";
import { readJson } from "../http.ts";
import { header, iso, limitParam, refuse, stringParam, type Handler, type RouteTable, type Violation } from "./shared.ts";

export const eventRoutes: RouteTable = (clients) => {
  const ingest: Handler = async (r) => {
    if (r.principal.scope !== KeyScope.WORKSPACE) {
      throw new ApiError(403, "forbidden", "company keys cannot ingest events; use a workspace key (hlk_ws_...)");
    }
    const body = await readJson(r.req);
    const headerKey = header(r.req, "idempotency-key");
    const violations: Violation[] = [];
    let events: EventInput[];
    const batch = typeof body === "object" && body !== null && !Array.isArray(body) && "events" in body;
    if (batch) {
      const list = (body as { events: unknown }).events;
      const extra = Object.keys(body as object).filter((k) => k !== "events");
      if (extra.length) violations.push({ field: extra[0]!, description: 'a batch body holds only "events"' });
      if (!Array.isArray(list)) throw new ApiError(400, "invalid_argument", '"events" must be an array of events', { violations: [{ field: "events", description: "must be an array" }] });
      events = list.map((e, i) => parseEventInput(e, `events[${i}]`, violations));
      // A batch-level Idempotency-Key covers each event by position, unless the event has its own.
      if (headerKey) events.forEach((e, i) => (e.idempotencyKey ||= `${headerKey}#${i}`));
    } else {
      const e = parseEventInput(body, "", violations);
      if (headerKey) {
        if (e.idempotencyKey && e.idempotencyKey !== headerKey) {
          violations.push({ field: "idempotencyKey", description: "differs from the Idempotency-Key header; send one or make them equal" });
        }
        e.idempotencyKey = headerKey;
      }
      events = [e];
    }
    refuse(`${violations.length} problem(s) in the request; nothing was stored`, violations);
    const res = await clients
      .ingest(r.region)
      .ingestEvents({ principal: r.principal, events, context: r.context }, { headers: r.callHeaders })
      .catch((err) => {
        // A single event's problems are reported at the top level, not under events[0].
        const e = toApiError(err, batch ? undefined : (f) => f.replace(/^events\[0\]\.?/, "") || "body");
        // The plan's monthly event quota: retry when it resets, at the start of the next month (UTC).
        if (e.status === 429) e.headers["retry-after"] = String(Math.ceil((nextMonthUtc() - Date.now()) / 1000));
        throw e;
      });
    const results = res.results.map((x) => ({
      index: x.index,
      id: x.id,
      sequence: Number(x.chain?.sequence ?? 0n),
      hash: x.chain?.hash ?? "",
      prevHash: x.chain?.prevHash ?? "",
      receivedAt: iso(x.receivedAt),
      status: x.duplicate ? "duplicate" : "created",
    }));
    const anyCreated = results.some((x) => x.status === "created");
    if (!batch) {
      const { index: _i, ...one } = results[0]!;
      return { status: anyCreated ? 201 : 200, body: one };
    }
    return { status: anyCreated ? 201 : 200, body: { results } };
  };

  const listEvents: Handler = async (r) => {
    const q = r.url.searchParams;
    const violations: Violation[] = [];
    const filter = EventFilter.fromQuery(q, violations);
    refuse(`invalid ${violations.map((v) => v.field).join(", ")}`, violations);
    const res = await clients
      .query(r.region)
      .listEvents({ principal: r.principal, filter: filter.toProto(), limit: limitParam(q, 1000), cursor: stringParam(q, "cursor") }, { headers: r.callHeaders });
    return {
      status: 200,
      body: { data: res.events.map(eventFromProto), nextCursor: res.nextCursor || null, hasMore: res.nextCursor !== "", ...(res.olderInArchives ? { olderEventsInArchives: true } : {}) },
    };
  };

  const getEvent: Handler = async (r) => {
    const res = await clients.query(r.region).getEvent({ principal: r.principal, id: r.params.id! }, { headers: r.callHeaders });
    return { status: 200, body: eventFromProto(res.event!) };
  };

  const targetEvents: Handler = async (r) => {
    const q = r.url.searchParams;
    const res = await clients.query(r.region).listTargetEvents(
      {
        principal: r.principal,
        targetType: r.params.type!,
        targetId: r.params.id!,
        workspaceId: stringParam(q, "workspaceId"),
        limit: limitParam(q, 1000),
        cursor: stringParam(q, "cursor"),
      },
      { headers: r.callHeaders },
    );
    return {
      status: 200,
      body: {
        target: { type: r.params.type, id: r.params.id },
        versions: res.versions.map((v) => ({ version: v.version, state: v.state ?? {}, event: eventFromProto(v.event!) })),
        nextCursor: res.nextCursor || null,
        hasMore: res.nextCursor !== "",
      },
    };
  };

  return [
    { method: "POST", pattern: "/v1/events", handler: ingest },
    { method: "POST", pattern: "/v1/key/workspace/events", handler: ingest },
    { method: "GET", pattern: "/v1/events", query: [...EVENT_FILTER_FIELDS, "limit", "cursor"], handler: listEvents },
    { method: "GET", pattern: "/v1/events/:id", handler: getEvent },
    { method: "GET", pattern: "/v1/targets/:type/:id/events", query: ["workspaceId", "limit", "cursor"], handler: targetEvents },
  ];
};

/** The start of the next calendar month (UTC), in epoch milliseconds. */
function nextMonthUtc(now = new Date()): number {
  return Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
}
