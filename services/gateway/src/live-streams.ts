/**
 * The gateway's open live streams (GET /v1/events/stream, routes/event-stream.ts): how each is
 * written, dropped when its client reads too slowly, and ended; how many each API key has open; and
 * the one timer that sends every stream's heartbeat.
 */
import type { ServerResponse } from "node:http";
import type { HyrelogConfig } from "@hyrelog/config";
import { ApiError } from "./errors.ts";

type Settings = HyrelogConfig["tail"];

/** How long a dropped client's last bytes may take to leave before its connection is closed. */
const DROP_GRACE_MS = 10_000;

export interface OpenStream {
  /** Set once the headers are sent. */
  res: ServerResponse | null;
  keyId: string;
  /** The id of the last message written: where the client resumes. */
  lastId: string;
  abort: AbortController;
}

/** One per gateway (GatewayClients.liveStreams): shared by the route and the gateway's shutdown. */
export class LiveStreams {
  readonly settings: Settings;
  readonly #open = new Set<OpenStream>();
  readonly #perKey = new Map<string, number>();
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
    const s: OpenStream = { res: null, keyId, lastId: "", abort: new AbortController() };
    this.#perKey.set(keyId, opened + 1);
    this.#open.add(s);
    this.#heartbeat ??= setInterval(() => {
      for (const o of this.#open) this.send(o, ": keep-alive\n\n");
    }, this.settings.heartbeatMs).unref();
    return s;
  }

  isOpen(s: OpenStream): boolean {
    return this.#open.has(s);
  }

  /** Writes a message; false when the stream is over, or the client is too far behind (then it was dropped). */
  send(s: OpenStream, text: string): boolean {
    const res = s.res;
    if (!res || res.writableEnded || res.destroyed) return false;
    res.write(text);
    if (res.writableLength <= this.settings.maxBufferedBytes) return true;
    this.drop(s);
    return false;
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

  /** Ends a stream (with a last message): stops its RPC and frees its place. */
  finish(s: OpenStream, last?: string): void {
    s.abort.abort();
    if (this.#open.delete(s)) {
      const n = (this.#perKey.get(s.keyId) ?? 1) - 1;
      if (n > 0) this.#perKey.set(s.keyId, n);
      else this.#perKey.delete(s.keyId);
      if (!this.#open.size && this.#heartbeat) {
        clearInterval(this.#heartbeat);
        this.#heartbeat = null;
      }
    }
    if (s.res && !s.res.writableEnded && !s.res.destroyed) s.res.end(last);
  }

  /** Ends every open stream (gateway shutdown): clients reconnect with Last-Event-ID. */
  closeAll(): void {
    for (const s of [...this.#open]) this.finish(s, ": the gateway is shutting down; reconnect with Last-Event-ID\n\n");
  }
}

/** One SSE message (its data is one line of JSON: JSON.stringify never writes a raw line break). */
export function sse(event: string, id: string, data: unknown): string {
  return `id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
