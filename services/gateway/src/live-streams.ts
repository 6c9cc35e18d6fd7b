/**
 * The gateway's open live streams (GET /v1/events/stream, routes/event-stream.ts): how each is
 * written, dropped when its client reads too slowly, and ended; how many each API key has open; the
 * one timer that sends every stream's heartbeat; and the upstreams (TailService calls) they share.
 *
 * Streams that start now with the same scope and filter share one upstream: its events arrive as
 * the API's JSON (made once by the query service), are turned into SSE text once and written to
 * each of them, so a thousand viewers of one company cost one call to the query service and no
 * serialisation per stream. A stream that joins an upstream starts
 * at the upstream's last id, so it gets every event after that id. A resumed stream (Last-Event-ID)
 * has an upstream of its own.
 */
import type { ServerResponse } from "node:http";
import type { HyrelogConfig } from "@hyrelog/config";
import { ApiError } from "./errors.ts";

type Settings = HyrelogConfig["tail"];

/** How long a dropped client's last bytes may take to leave before its connection is closed. */
const DROP_GRACE_MS = 10_000;

/** One TailService call and the streams it feeds. */
export interface Upstream {
  /** Streams with this key join it; null: a resumed stream's own. */
  key: string | null;
  members: Set<OpenStream>;
  /** The id of the last message it delivered: where a stream joining now starts. */
  lastId: string;
  abort: AbortController;
  /** Its entry in the shared map, while it has one. */
  entry?: Promise<Upstream>;
}

export interface OpenStream {
  /** Set once the headers are sent; until then its messages wait in `pending` (with their ids). */
  res: ServerResponse | null;
  pending: Array<{ text: string; id: string }>;
  keyId: string;
  /** The id it started at (its `ready` message). */
  startId: string;
  /** The id of the last message written: where the client resumes. */
  lastId: string;
  upstream: Upstream | null;
  /** Aborted when the stream ends (also at gateway shutdown: callers that stream by other means stop on it). */
  abort: AbortController;
  /** Resolves when the stream is over. */
  done: Promise<void>;
  end: () => void;
}

/** One per gateway (GatewayClients.liveStreams): shared by the route and the gateway's shutdown. */
export class LiveStreams {
  readonly settings: Settings;
  readonly #open = new Set<OpenStream>();
  readonly #perKey = new Map<string, number>();
  readonly #upstreams = new Map<string, Promise<Upstream>>();
  #heartbeat: NodeJS.Timeout | null = null;

  constructor(settings: Settings) {
    this.settings = settings;
  }

  /** Open streams on this gateway. */
  get size(): number {
    return this.#open.size;
  }

  /** Counts a new stream of a key, or 429 when the key has as many as it may. */
  acquire(keyId: string): OpenStream {
    const opened = this.#perKey.get(keyId) ?? 0;
    const limit = this.settings.maxStreamsPerKey;
    if (opened >= limit) {
      throw new ApiError(429, "rate_limited", `this API key already has ${opened} live streams open on this gateway, the most it may; close one and retry`, { limit, open: opened }, { "retry-after": "5" });
    }
    let end!: () => void;
    const done = new Promise<void>((resolve) => (end = resolve));
    const s: OpenStream = { res: null, pending: [], keyId, startId: "", lastId: "", upstream: null, abort: new AbortController(), done, end };
    this.#perKey.set(keyId, opened + 1);
    this.#open.add(s);
    this.#heartbeat ??= setInterval(() => {
      for (const o of this.#open) if (o.res) this.send(o, ": keep-alive\n\n");
    }, this.settings.heartbeatMs).unref();
    return s;
  }

  /**
   * Attaches a stream to the upstream shared under `key`, or to a new one that `open` starts (it
   * sets the upstream's first id; its failure is the stream's, e.g. a filter the service refuses).
   */
  async attach(s: OpenStream, key: string | null, open: (up: Upstream) => Promise<void>): Promise<void> {
    let up: Upstream | undefined;
    const shared = key ? this.#upstreams.get(key) : undefined;
    if (shared) up = await shared.catch(() => undefined);
    if (!up || up.abort.signal.aborted) {
      const fresh: Upstream = { key, members: new Set(), lastId: "", abort: new AbortController() };
      const opening = open(fresh).then(() => fresh);
      if (key) this.#upstreams.set(key, (fresh.entry = opening));
      try {
        up = await opening;
      } catch (err) {
        if (key && this.#upstreams.get(key) === opening) this.#upstreams.delete(key);
        fresh.abort.abort();
        throw err;
      }
    }
    if (!this.#open.has(s)) return this.#release(up);
    s.upstream = up;
    s.startId = s.lastId = up.lastId;
    up.members.add(s);
  }

  /** Starts writing a stream once its headers are out: `ready`, then what arrived meanwhile. */
  start(s: OpenStream, res: ServerResponse, ready: string): void {
    s.res = res;
    res.once("close", () => this.finish(s));
    if (res.destroyed || !this.#open.has(s)) return this.finish(s);
    const pending = s.pending;
    s.pending = [];
    s.lastId = s.startId;
    if (!this.send(s, ready)) return;
    for (const p of pending) if (!this.send(s, p.text, p.id)) return;
  }

  /** Events for every stream of an upstream (their SSE text, written as is); `id` is the last one's. */
  deliver(up: Upstream, id: string, text: string): void {
    up.lastId = id;
    for (const s of up.members) this.send(s, text, id);
  }

  /**
   * Writes a message (`id`: the resume id it ends with, if any); false when the stream is over, or
   * the client is too far behind (then it was dropped). Too far behind: what it left unread before
   * this message is over the limit, so a reader that keeps up is never dropped because one upstream
   * response carried many events at once; the gateway holds at most the limit plus one response.
   */
  send(s: OpenStream, text: string, id = ""): boolean {
    const res = s.res;
    if (!res) {
      s.pending.push({ text, id });
      if (id) s.lastId = id;
      return true;
    }
    if (res.writableEnded || res.destroyed) return false;
    if (res.writableLength > this.settings.maxBufferedBytes) {
      this.drop(s);
      return false;
    }
    res.write(text);
    if (id) s.lastId = id;
    return true;
  }

  /** The last message to a client that reads too slowly: the id to resume from; then the end. */
  drop(s: OpenStream): void {
    const data = { reason: "slow_client", message: "this client read too slowly and was disconnected; reconnect with Last-Event-ID set to this message's id", resumeToken: s.lastId };
    this.finish(s, sse("dropped", s.lastId, data));
    const res = s.res;
    if (!res) return;
    const timer = setTimeout(() => res.destroy(), DROP_GRACE_MS).unref();
    res.once("close", () => clearTimeout(timer));
  }

  /** Ends a stream (with a last message), frees its place, and closes its upstream if it was the last on it. */
  finish(s: OpenStream, last?: string): void {
    if (this.#open.delete(s)) {
      const n = (this.#perKey.get(s.keyId) ?? 1) - 1;
      if (n > 0) this.#perKey.set(s.keyId, n);
      else this.#perKey.delete(s.keyId);
      if (!this.#open.size && this.#heartbeat) {
        clearInterval(this.#heartbeat);
        this.#heartbeat = null;
      }
      if (s.upstream) {
        s.upstream.members.delete(s);
        this.#release(s.upstream);
      }
    }
    if (s.res && !s.res.writableEnded && !s.res.destroyed) s.res.end(last);
    s.abort.abort();
    s.end();
  }

  /** Ends every stream of an upstream that failed: each gets `last(stream)`. */
  fail(up: Upstream, last: (s: OpenStream) => string | "drop"): void {
    this.#forget(up);
    up.abort.abort();
    for (const s of [...up.members]) {
      const text = last(s);
      if (text === "drop") this.drop(s);
      else this.finish(s, text);
    }
  }

  /**
   * Ends a key's streams when it is revoked or rotated (the keys service's notice): a stream was
   * authorised once, at its start, so it must not outlive the key. Reconnecting authenticates
   * again: a rotated key in its grace period resumes where it was, a revoked one gets 401.
   */
  endKey(keyId: string): void {
    for (const s of [...this.#open]) {
      if (s.keyId !== keyId) continue;
      const data = { reason: "key_changed", message: "this API key was revoked or rotated; reconnect with Last-Event-ID (and the key to use now)", resumeToken: s.lastId };
      this.finish(s, sse("error", s.lastId, data));
    }
  }

  /** Ends every open stream (gateway shutdown): clients reconnect with Last-Event-ID. */
  closeAll(): void {
    for (const s of [...this.#open]) this.finish(s, ": the gateway is shutting down; reconnect with Last-Event-ID\n\n");
  }

  #release(up: Upstream): void {
    if (up.members.size) return;
    this.#forget(up);
    up.abort.abort();
  }

  #forget(up: Upstream): void {
    // Only this upstream's own entry: a newer one may have taken the key.
    if (up.key && up.entry && this.#upstreams.get(up.key) === up.entry) this.#upstreams.delete(up.key);
  }
}

/** One SSE message (its data is one line of JSON: JSON.stringify never writes a raw line break). */
export function sse(event: string, id: string, data: unknown): string {
  return sseJson(event, id, JSON.stringify(data));
}

/** One SSE message whose data is JSON text already (one line, as JSON.stringify writes it). */
export function sseJson(event: string, id: string, json: string): string {
  return `id: ${id}\nevent: ${event}\ndata: ${json}\n\n`;
}
