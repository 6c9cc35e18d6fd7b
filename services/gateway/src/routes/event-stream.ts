/**
 * GET /v1/events/stream: live tail as Server-Sent Events (README, "Live tail"; docs/events.md).
 *
 * The key's region's query service streams the events (hyrelog.query.v1.TailService); this route
 * turns each into an SSE message whose `id:` is its resume token and whose data is the event as
 * GET /v1/events shows it. `Last-Event-ID` (or `?lastEventId=`) resumes right after an event.
 * The gateway keeps no event: what a slow client has not read waits in its socket's buffer, and
 * past `maxBufferedBytes` the client is dropped with a last message carrying the id to resume from.
 * One timer sends every stream's heartbeat; open streams are counted per API key.
 */
import type { ServerResponse } from "node:http";
import { Code, ConnectError } from "@connectrpc/connect";
import type { HyrelogConfig } from "@hyrelog/config";
import type { TailEventsResponse } from "@hyrelog/proto";
import { EVENT_FILTER_FIELDS, EventFilter, eventFromProto } from "@hyrelog/runtime";
import { ApiError, toApiError } from "../errors.ts";
import { header, refuse, stringParam, type Handler, type RouteTable, type Violation } from "./shared.ts";

type Settings = HyrelogConfig["tail"];

/** Parameters of GET /v1/events that a live stream refuses, and why. */
const NOT_FOR_STREAMS: Record<string, string> = {
  to: "a live stream has no end: leave out to (read a closed range with GET /v1/events)",
  limit: "a live stream has no pages: it sends every matching event until you close it",
  cursor: "a live stream has no pages: resume with Last-Event-ID (or lastEventId) instead",
};

/** How long a dropped client's last bytes may take to leave before its connection is closed. */
const DROP_GRACE_MS = 10_000;

interface OpenStream {
  /** Set once the headers are sent. */
  res: ServerResponse | null;
  keyId: string;
  /** The id of the last message written: where the client resumes. */
  lastId: string;
  abort: AbortController;
}

export interface EventStreams {
  routes: RouteTable;
  /** Open streams on this gateway (metrics, tests). */
  readonly size: number;
  /** Ends every open stream (gateway shutdown): clients reconnect with Last-Event-ID. */
  closeAll(): void;
}

export function eventStreams(settings: Settings): EventStreams {
  const open = new Set<OpenStream>();
  const perKey = new Map<string, number>();
  let heartbeat: NodeJS.Timeout | null = null;

  const release = (s: OpenStream) => {
    if (!open.delete(s)) return;
    const n = (perKey.get(s.keyId) ?? 1) - 1;
    if (n > 0) perKey.set(s.keyId, n);
    else perKey.delete(s.keyId);
    if (!open.size && heartbeat) {
      clearInterval(heartbeat);
      heartbeat = null;
    }
  };

  /** Writes a message; false when the client is too far behind (it has been dropped). */
  const send = (s: OpenStream, text: string): boolean => {
    const res = s.res;
    if (!res || res.writableEnded || res.destroyed) return false;
    res.write(text);
    if (res.writableLength <= settings.maxBufferedBytes) return true;
    drop(s);
    return false;
  };

  /** The last message of a client that reads too slowly: the id to resume from, then the end. */
  const drop = (s: OpenStream) => {
    const data = { reason: "slow_client", message: "this client read too slowly and was disconnected; reconnect with Last-Event-ID set to this message's id", resumeToken: s.lastId };
    finish(s, sse("dropped", s.lastId, data));
    const res = s.res!;
    const timer = setTimeout(() => res.destroy(), DROP_GRACE_MS).unref();
    res.once("close", () => clearTimeout(timer));
  };

  const finish = (s: OpenStream, last?: string) => {
    s.abort.abort();
    release(s);
    if (s.res && !s.res.writableEnded && !s.res.destroyed) s.res.end(last);
  };

  const beat = () => {
    for (const s of open) send(s, ": keep-alive\n\n");
  };

  const routes: RouteTable = (clients) => {
    const stream: Handler = async (r) => {
      const q = r.url.searchParams;
      const violations: Violation[] = [];
      for (const [name, why] of Object.entries(NOT_FOR_STREAMS)) if (q.has(name)) violations.push({ field: name, description: why });
      const filter = EventFilter.fromQuery(q, violations);
      // A browser's EventSource sends Last-Event-ID on every reconnect: it is newer than a lastEventId in the URL.
      const lastEventId = header(r.req, "last-event-id") || stringParam(q, "lastEventId");
      if (lastEventId.length > 200 || !lastEventId.isWellFormed()) violations.push({ field: "lastEventId", description: "must be the id of an event this stream sent" });
      refuse(`invalid ${violations.map((v) => v.field).join(", ")}`, violations);

      const keyId = r.principal.keyId;
      const opened = perKey.get(keyId) ?? 0;
      if (opened >= settings.maxStreamsPerKey) {
        throw new ApiError(429, "rate_limited", `this API key already has ${opened} live streams open on this gateway, the most it may; close one and retry`, { limit: settings.maxStreamsPerKey, open: opened }, { "retry-after": "5" });
      }
      const s: OpenStream = { res: null, keyId, lastId: "", abort: new AbortController() };
      perKey.set(keyId, opened + 1);
      open.add(s);
      heartbeat ??= setInterval(beat, settings.heartbeatMs).unref();
      let events: AsyncIterator<TailEventsResponse>;
      try {
        events = clients
          .tail(r.region)
          .tailEvents({ principal: r.principal, filter: filter.toProto(), resumeToken: lastEventId }, { headers: r.callHeaders, signal: s.abort.signal })
          [Symbol.asyncIterator]();
        // The first answer is where the stream starts, or the reason it cannot (bad filter, token too old...).
        const first = await events.next();
        if (first.done) throw new ConnectError("the live tail ended before it started", Code.Unavailable);
        s.lastId = first.value.resumeToken;
      } catch (err) {
        s.abort.abort();
        release(s);
        throw toApiError(err, (f) => (f === "resumeToken" ? "lastEventId" : f));
      }
      return {
        status: 200,
        body: null,
        live: {
          headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache, no-transform", "x-accel-buffering": "no" },
          run: (res) => pump(s, res, events),
        },
      };
    };
    return [{ method: "GET", pattern: "/v1/events/stream", query: [...EVENT_FILTER_FIELDS, "lastEventId", ...Object.keys(NOT_FOR_STREAMS)], handler: stream }];
  };

  const pump = async (s: OpenStream, res: ServerResponse, events: AsyncIterator<TailEventsResponse>) => {
    s.res = res;
    res.once("close", () => finish(s));
    if (res.destroyed || !open.has(s)) return finish(s);
    if (!send(s, sse("ready", s.lastId, { resumeToken: s.lastId }))) return;
    try {
      for (;;) {
        const next = await events.next();
        if (next.done || !open.has(s)) break;
        const { event, resumeToken } = next.value;
        if (!event) continue;
        s.lastId = resumeToken;
        if (!send(s, sse("event", resumeToken, eventFromProto(event)))) return;
      }
      finish(s);
    } catch (err) {
      if (!open.has(s)) return; // the client left, or was dropped
      const e = ConnectError.from(err);
      if (e.code === Code.ResourceExhausted) return drop(s);
      const mapped = toApiError(err);
      finish(s, sse("error", s.lastId, { code: mapped.code, message: `${mapped.message}; reconnect with Last-Event-ID set to this message's id`, resumeToken: s.lastId }));
    }
  };

  return {
    routes,
    get size() {
      return open.size;
    },
    closeAll() {
      for (const s of [...open]) finish(s, ": the gateway is shutting down; reconnect with Last-Event-ID\n\n");
    },
  };
}

/** One SSE message (its data is one line of JSON: JSON.stringify never writes a raw line break). */
function sse(event: string, id: string, data: unknown): string {
  return `id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
