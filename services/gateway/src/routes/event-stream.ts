/**
 * GET /v1/events/stream: live tail as Server-Sent Events (README, "Live tail"; docs/events.md).
 *
 * The key's region's query service streams the events (hyrelog.query.v1.TailService); this route
 * turns each into an SSE message whose `id:` is its resume token and whose data is the event as
 * GET /v1/events shows it. `Last-Event-ID` (or `?lastEventId=`) resumes right after an event.
 * The gateway keeps no event: what a slow client has not read waits in its socket's buffer, and
 * past `maxBufferedBytes` the client is dropped with a last message carrying the id to resume from.
 * Streams that start now with the same scope and filter share one TailService call; heartbeats,
 * per-key counts and the sharing are LiveStreams' (live-streams.ts).
 */
import { Code, ConnectError } from "@connectrpc/connect";
import type { TailEventsResponse } from "@hyrelog/proto";
import { EventFilter } from "@hyrelog/runtime";
import { errorResponse, eventFilterQuery, headerParam, mediaResponse, query, response } from "../api-schema.ts";
import { toApiError } from "../errors.ts";
import { sse, sseJson, type Upstream } from "../live-streams.ts";
import { header, refuse, stringParam, type Handler, type Operation, type Route, type RouteTable, type Violation } from "./shared.ts";

/**
 * The filters of GET /v1/events but `to` (a live stream has no end), and where to resume. Its
 * `to`, `limit` and `cursor` are refused like any parameter a route does not take: 400 naming them.
 */
const STREAM_DOC: Operation = {
  tag: "Events",
  operationId: "streamEvents",
  summary: "Live tail (Server-Sent Events)",
  description:
    "Events stored from now on in the key's scope, oldest first, as Server-Sent Events (README, \"Live tail\"; docs/events.md). " +
    "The first message is `event: ready` (its `id` is where the stream starts); then one `event: event` per event, whose `data` is the event " +
    "exactly as GET /v1/events/{id} returns it and whose `id` is a resume token. Send the last id you received as `Last-Event-ID` (browsers' " +
    "EventSource does on every reconnect) or `lastEventId` to continue right after it with no gap and no repeat. Comment lines (`: keep-alive`) " +
    "every 15 s (TAIL_HEARTBEAT_MS). A client that reads too slowly gets `event: dropped` with the id to resume from, and the stream ends; " +
    "`event: error` (with the id to resume from) ends it when the region cannot serve it. Takes the filters of GET /v1/events but `to` " +
    "(`to`, `limit` and `cursor` are 400). 409 when the resume point is older than the event stream keeps (7 days): read the gap with " +
    "GET /v1/events and open a new stream without it. 429 beyond TAIL_MAX_STREAMS_PER_KEY open streams of one key (default 10 per gateway).",
  parameters: [
    ...eventFilterQuery({}, ["to"]),
    query("lastEventId", { type: "string" }, "Resume right after this event: the `id` of a message of an earlier stream (the Last-Event-ID header wins when both are sent)."),
    headerParam("Last-Event-ID", "Resume right after this event: the `id` of the last message received."),
  ],
  responses: {
    "200": mediaResponse("The stream: `ready`, then `event` messages (data: Event), until the client closes it or a `dropped` or `error` message ends it.", ["text/event-stream"]),
    "403": response("Forbidden"),
    "404": response("NotFound"),
    "409": errorResponse("409", "The resume point is older than the event stream keeps (or from a stream since recreated): read the gap with GET /v1/events, then open a new stream without it."),
  },
};

export const eventStreamRoutes: RouteTable = (clients): Route[] => {
  const live = clients.liveStreams;

  const stream: Handler = async (r) => {
    const q = r.url.searchParams;
    const violations: Violation[] = [];
    const filter = EventFilter.fromQuery(q, violations);
    // A browser's EventSource sends Last-Event-ID on every reconnect: it is newer than a lastEventId in the URL.
    const lastEventId = header(r.req, "last-event-id") || stringParam(q, "lastEventId");
    if (lastEventId.length > 200 || !lastEventId.isWellFormed()) violations.push({ field: "lastEventId", description: "must be the id of an event this stream sent" });
    refuse(`invalid ${violations.map((v) => v.field).join(", ")}`, violations);

    const p = r.principal;
    // Streams starting now with the same scope and filter share one upstream; a resumed one has its own.
    const key = lastEventId ? null : JSON.stringify([r.region, p.companyId, p.scope, p.workspaceId, filter.toJson()]);
    const s = live.acquire(p.keyId);
    try {
      await live.attach(s, key, async (up) => {
        const events = clients
          .tail(r.region)
          .tailEvents({ principal: p, filter: filter.toProto(), resumeToken: lastEventId, asJson: true }, { headers: r.callHeaders, signal: up.abort.signal })
          [Symbol.asyncIterator]();
        // The first answer is where the stream starts, or the reason it cannot (bad filter, token too old...).
        const first = await events.next();
        if (first.done) throw new ConnectError("the live tail ended before it started", Code.Unavailable);
        up.lastId = first.value.resumeToken;
        void relay(up, events);
      });
    } catch (err) {
      live.finish(s);
      throw toApiError(err, (f) => (f === "resumeToken" ? "lastEventId" : f));
    }
    return {
      status: 200,
      body: null,
      live: {
        headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache, no-transform", "x-accel-buffering": "no" },
        run: (res) => {
          live.start(s, res, sse("ready", s.startId, { resumeToken: s.startId }));
          return s.done;
        },
      },
    };
  };

  /** Reads an upstream: each response's events (JSON made by the query service) as SSE text once, to every stream on it. */
  const relay = async (up: Upstream, responses: AsyncIterator<TailEventsResponse>) => {
    try {
      for (;;) {
        const next = await responses.next();
        if (next.done) break;
        const { events, resumeToken } = next.value;
        if (events.length) live.deliver(up, resumeToken, events.map((e) => sseJson("event", e.resumeToken, e.json)).join(""));
      }
      live.fail(up, () => "");
    } catch (err) {
      if (up.abort.signal.aborted) return; // its last stream left
      if (ConnectError.from(err).code === Code.ResourceExhausted) return live.fail(up, () => "drop");
      const e = toApiError(err);
      live.fail(up, (s) => sse("error", s.lastId, { code: e.code, message: `${e.message}; reconnect with Last-Event-ID set to this message's id`, resumeToken: s.lastId }));
    }
  };

  return [{ method: "GET", pattern: "/v1/events/stream", doc: STREAM_DOC, handler: stream }];
};
