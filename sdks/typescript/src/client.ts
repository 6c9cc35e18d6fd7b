/**
 * The HyreLog client: records events in batches with safe retries, reads them back page by page,
 * and proves them. Options are checked once, in the constructor; nothing connects until the
 * first call.
 */
import { randomUUID } from "node:crypto";
import http from "node:http";
import https from "node:https";
import { Code, createClient, type CallOptions, type Client, type Interceptor, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, Http2SessionManager } from "@connectrpc/connect-node";
import { Batcher } from "./batcher.ts";
import { HyreLogError, VerificationError } from "./errors.ts";
import { toEventFilter, toEventInput, type AuditEventInput, type EventListFilter, type RecordResult } from "./events.ts";
import { AnalyticsGroupBy, AnalyticsInterval, AnalyticsService, type CountEventsResponse } from "./gen/hyrelog/api/v1/analytics_pb.js";
import { ArchiveService, type Archive, type GetArchiveResponse, type ListArchivesResponse } from "./gen/hyrelog/api/v1/archives_pb.js";
import { EventService, type ListEventsResponse, type TargetVersion } from "./gen/hyrelog/api/v1/events_pb.js";
import { ExportService, JobService } from "./gen/hyrelog/api/v1/exports_pb.js";
import { KeyService } from "./gen/hyrelog/api/v1/keys_pb.js";
import { RestoreService, RestoreStatus, RestoreTier, type GetRestoreRequestResponse, type ListRestoreRequestsResponse, type RestoreRequest } from "./gen/hyrelog/api/v1/restores_pb.js";
import { VerificationService, type GetInclusionProofResponse } from "./gen/hyrelog/api/v1/verification_pb.js";
import { WebhookService } from "./gen/hyrelog/api/v1/webhooks_pb.js";
import type { AuditEvent } from "./gen/hyrelog/common/v1/common_pb.js";
import { DEFAULT_RETRY, withRetry, type RetryOptions, type RetryPolicy } from "./retry.ts";
import { LiveTail } from "./tail.ts";
import { verifyCheckpoint, verifyConsistencyProof, verifyProof, type TrustedKeys, type VerifiedConsistency, type VerifiedInclusion } from "./verify.ts";

export interface HyreLogOptions {
  /** The gateway, e.g. `https://api.hyrelog.com` or `http://127.0.0.1:8080`. */
  baseUrl: string;
  /** `hlk_...`: a workspace key records and reads its workspace; a company key reads. */
  apiKey: string;
  /** "connect" (default): the Connect protocol over HTTP/1.1; "grpc": gRPC over HTTP/2. */
  transport?: "connect" | "grpc";
  /** Longest time a recorded event waits for its batch to fill (default 1000 ms). */
  flushIntervalMs?: number;
  /** Events per request, 1 to 1,000 (default 100). A full batch leaves at once. */
  maxBatchSize?: number;
  /** Bytes per request (default 1,000,000; the server takes at most 1 MiB). */
  maxBatchBytes?: number;
  /** Events waiting or in flight before record() fails with QueueFullError (default 10,000). */
  maxQueueSize?: number;
  retry?: RetryOptions;
  /** Deadline of each attempt of each call (default 30 s); an attempt past it is retried. */
  timeoutMs?: number;
  /**
   * Pinned verifier keys for proveEvent(). Without them, proveEvent() fetches the server's keys
   * with the proof, which shows only that the answer is self-consistent (docs/verification.md).
   */
  trustedKeys?: TrustedKeys;
  /** Extra headers sent with every call. */
  headers?: Record<string, string>;
}

/** A page of events and the cursor of the next (empty on the last page). */
export interface EventPage {
  events: AuditEvent[];
  nextCursor: string;
  /** On the last page: older events of this scope have moved to archives. */
  olderInArchives: boolean;
}

/** The events of a filter: iterate for events (`for await`), or call pages() for whole pages. */
export interface EventPages extends AsyncIterable<AuditEvent> {
  pages(): AsyncIterable<EventPage>;
}

export interface ProvedEvent extends VerifiedInclusion {
  event: AuditEvent;
  /** False when the keys came from the server with the proof rather than from `trustedKeys`. */
  keysPinned: boolean;
}

export interface ProvedConsistency extends VerifiedConsistency {
  /** The newer checkpoint's signed note: keep it as the older checkpoint of the next check. */
  newerNote: string;
  /** False when the keys came from the server with the proof rather than from `trustedKeys`. */
  keysPinned: boolean;
}

/** What analytics.countEvents() counts: the list's filters (bar actorEmail, targetId, targetType), per hour or day, by one dimension. */
export interface AnalyticsQuery extends Omit<EventListFilter, "actorEmail" | "targetId" | "targetType"> {
  /** Bucket size (default "day"). */
  interval?: "hour" | "day";
  /** Split each bucket by this dimension ("actor": the actor's id); none: totals only. */
  groupBy?: "category" | "action" | "actor" | "project" | "workspace";
  /** With groupBy: at most this many groups, 1 to 100 (default 10); the rest count as `other`. */
  limit?: number;
}

const INTERVALS = { hour: AnalyticsInterval.HOUR, day: AnalyticsInterval.DAY } as const;
const DIMENSIONS = {
  category: AnalyticsGroupBy.CATEGORY,
  action: AnalyticsGroupBy.ACTION,
  actor: AnalyticsGroupBy.ACTOR,
  project: AnalyticsGroupBy.PROJECT,
  workspace: AnalyticsGroupBy.WORKSPACE,
} as const;

/** The company's restore requests: iterate for requests (`for await`), or call pages() for whole pages. */
export interface RestorePages extends AsyncIterable<RestoreRequest> {
  pages(): AsyncIterable<ListRestoreRequestsResponse>;
}

/** A restore request's tier: the plan decides which (GROWTH STANDARD or BULK, ENTERPRISE also EXPEDITED). */
export type RestoreTierName = "EXPEDITED" | "STANDARD" | "BULK";
/** A restore request's status, as the list filters by it. */
export type RestoreStatusName = Exclude<keyof typeof RestoreStatus, "UNSPECIFIED">;

const RESTORE_TIERS: Record<RestoreTierName, RestoreTier> = { EXPEDITED: RestoreTier.EXPEDITED, STANDARD: RestoreTier.STANDARD, BULK: RestoreTier.BULK };
const RESTORE_STATUSES = Object.keys(RestoreStatus).filter((k) => Number.isNaN(Number(k)) && k !== "UNSPECIFIED") as RestoreStatusName[];

/** The archives of the key's scope: iterate for archives (`for await`), or call pages() for whole pages. */
export interface ArchivePages extends AsyncIterable<Archive> {
  pages(): AsyncIterable<ListArchivesResponse>;
}

/** A checkpoint kept earlier: its signed note, or a Checkpoint message (anything with `signedNote`). */
export type KeptCheckpoint = string | { signedNote: string };

interface Settings {
  flushIntervalMs: number;
  maxBatchSize: number;
  maxBatchBytes: number;
  maxQueueSize: number;
  retry: RetryPolicy;
  timeoutMs: number;
}

function settingsOf(opts: HyreLogOptions): Settings {
  const problems: string[] = [];
  if (opts === null || typeof opts !== "object") throw new TypeError("new HyreLog() needs options: { baseUrl, apiKey }");
  try {
    const url = new URL(opts.baseUrl);
    if (url.protocol !== "http:" && url.protocol !== "https:") problems.push("baseUrl must be an http(s) URL");
  } catch {
    problems.push("baseUrl must be a URL, e.g. http://127.0.0.1:8080");
  }
  if (typeof opts.apiKey !== "string" || !opts.apiKey.startsWith("hlk_")) problems.push("apiKey must be a HyreLog API key (hlk_...)");
  if (opts.transport !== undefined && opts.transport !== "connect" && opts.transport !== "grpc") problems.push('transport must be "connect" or "grpc"');
  const int = (name: string, value: number | undefined, fallback: number, min: number, max: number): number => {
    if (value === undefined) return fallback;
    if (!Number.isInteger(value) || value < min || value > max) problems.push(`${name} must be an integer from ${min} to ${max}, got ${value}`);
    return value;
  };
  const r = opts.retry ?? {};
  const settings: Settings = {
    flushIntervalMs: int("flushIntervalMs", opts.flushIntervalMs, 1000, 0, 3_600_000),
    maxBatchSize: int("maxBatchSize", opts.maxBatchSize, 100, 1, 1000),
    maxBatchBytes: int("maxBatchBytes", opts.maxBatchBytes, 1_000_000, 1024, 1_048_000),
    maxQueueSize: int("maxQueueSize", opts.maxQueueSize, 10_000, 1, 10_000_000),
    timeoutMs: int("timeoutMs", opts.timeoutMs, 30_000, 1, 3_600_000),
    retry: {
      maxAttempts: int("retry.maxAttempts", r.maxAttempts, DEFAULT_RETRY.maxAttempts, 1, 100),
      initialDelayMs: int("retry.initialDelayMs", r.initialDelayMs, DEFAULT_RETRY.initialDelayMs, 0, 3_600_000),
      maxDelayMs: int("retry.maxDelayMs", r.maxDelayMs, DEFAULT_RETRY.maxDelayMs, 0, 3_600_000),
      maxRetryAfterMs: int("retry.maxRetryAfterMs", r.maxRetryAfterMs, DEFAULT_RETRY.maxRetryAfterMs, 0, 86_400_000),
    },
  };
  if (problems.length > 0) throw new TypeError(`invalid HyreLog options: ${problems.join("; ")}`);
  return settings;
}

export class HyreLog {
  /** The generated Connect clients of hyrelog.api.v1, for calls the helpers do not cover (authenticated, no retries). */
  readonly rpc: {
    events: Client<typeof EventService>;
    verification: Client<typeof VerificationService>;
    keys: Client<typeof KeyService>;
    webhooks: Client<typeof WebhookService>;
    exports: Client<typeof ExportService>;
    jobs: Client<typeof JobService>;
    analytics: Client<typeof AnalyticsService>;
    archives: Client<typeof ArchiveService>;
    restores: Client<typeof RestoreService>;
  };
  /** Reading events: list (every page), get, history of one resource. */
  readonly events: {
    list(filter?: EventListFilter, opts?: { pageSize?: number }): EventPages;
    get(id: string): Promise<AuditEvent>;
    history(targetType: string, targetId: string, opts?: { pageSize?: number; workspaceId?: string }): AsyncIterable<TargetVersion>;
  };
  /** Event counts per hour or day from rollups (docs/analytics.md); the answer has the REST route's fields. */
  readonly analytics: {
    countEvents(query?: AnalyticsQuery): Promise<CountEventsResponse>;
  };
  /** Archives of events past hot retention (docs/operations/archival.md): list (every page), get (with a download URL). */
  readonly archives: {
    list(opts?: { workspaceId?: string; pageSize?: number }): ArchivePages;
    get(id: string): Promise<GetArchiveResponse>;
  };
  /**
   * Restore requests of archives in cold storage (company keys; docs/operations/archival.md,
   * Restores): create (PENDING until HyreLog staff approve it), list (every page), get (with the
   * archive), cancel (while PENDING). create and cancel are sent once, never retried.
   */
  readonly restores: {
    create(archiveId: string, opts: { tier: RestoreTierName; days?: number; reason?: string }): Promise<RestoreRequest>;
    list(opts?: { status?: RestoreStatusName; pageSize?: number }): RestorePages;
    get(id: string): Promise<GetRestoreRequestResponse>;
    cancel(id: string): Promise<RestoreRequest>;
  };
  readonly #settings: Settings;
  readonly #batcher: Batcher;
  readonly #trustedKeys: TrustedKeys | undefined;
  /** Aborted by close(): cancels the helpers' calls in flight, which are then not retried. */
  readonly #closing = new AbortController();
  readonly #close: () => void;

  constructor(opts: HyreLogOptions) {
    this.#settings = settingsOf(opts);
    this.#trustedKeys = opts.trustedKeys;
    const headers = { ...opts.headers, authorization: `Bearer ${opts.apiKey}` };
    const auth: Interceptor = (next) => (req) => {
      for (const [k, v] of Object.entries(headers)) req.header.set(k, v);
      return next(req);
    };
    let transport: Transport;
    if (opts.transport === "grpc") {
      const sessionManager = new Http2SessionManager(opts.baseUrl);
      transport = createGrpcTransport({ baseUrl: opts.baseUrl, sessionManager, interceptors: [auth] });
      this.#close = () => sessionManager.abort();
    } else {
      const agent = new (opts.baseUrl.startsWith("https:") ? https : http).Agent({ keepAlive: true });
      transport = createConnectTransport({ baseUrl: opts.baseUrl, httpVersion: "1.1", nodeOptions: { agent }, interceptors: [auth] });
      this.#close = () => agent.destroy();
    }
    const events = createClient(EventService, transport);
    const verification = createClient(VerificationService, transport);
    this.rpc = {
      events,
      verification,
      keys: createClient(KeyService, transport),
      webhooks: createClient(WebhookService, transport),
      exports: createClient(ExportService, transport),
      jobs: createClient(JobService, transport),
      analytics: createClient(AnalyticsService, transport),
      archives: createClient(ArchiveService, transport),
      restores: createClient(RestoreService, transport),
    };
    this.#batcher = new Batcher(
      (batch) => this.#call((o) => events.ingestEvents({ events: batch }, o)),
      { flushIntervalMs: this.#settings.flushIntervalMs, maxBatchSize: this.#settings.maxBatchSize, maxBatchBytes: this.#settings.maxBatchBytes, maxQueueSize: this.#settings.maxQueueSize },
    );
    this.events = {
      list: (filter, o) => this.#list(filter, o?.pageSize),
      get: async (id) => (await this.#call((c) => events.getEvent({ id }, c))).event!,
      history: (targetType, targetId, o) => this.#history(targetType, targetId, o),
    };
    this.analytics = {
      countEvents: async (query = {}) => {
        const { interval, groupBy, limit, ...filter } = query;
        if (interval !== undefined && !Object.hasOwn(INTERVALS, interval)) throw new TypeError(`interval must be "hour" or "day", got ${JSON.stringify(interval)}`);
        if (groupBy !== undefined && !Object.hasOwn(DIMENSIONS, groupBy)) throw new TypeError(`groupBy must be one of ${Object.keys(DIMENSIONS).join(", ")}, got ${JSON.stringify(groupBy)}`);
        const request = {
          filter: toEventFilter(filter),
          interval: interval ? INTERVALS[interval] : AnalyticsInterval.UNSPECIFIED,
          groupBy: groupBy ? DIMENSIONS[groupBy] : AnalyticsGroupBy.UNSPECIFIED,
          limit: limit ?? 0,
        };
        return this.#call((c) => this.rpc.analytics.countEvents(request, c));
      },
    };
    this.archives = {
      list: (o) => this.#archives(o?.workspaceId ?? "", o?.pageSize ?? 100),
      get: (id) => this.#call((c) => this.rpc.archives.getArchive({ archiveId: id }, c)),
    };
    this.restores = {
      create: async (archiveId, o) => {
        if (!Object.hasOwn(RESTORE_TIERS, o?.tier)) throw new TypeError(`tier must be one of ${Object.keys(RESTORE_TIERS).join(", ")}, got ${JSON.stringify(o?.tier)}`);
        const request = { archiveId, tier: RESTORE_TIERS[o.tier], days: o.days ?? 0, reason: o.reason ?? "" };
        return (await this.#callOnce((c) => this.rpc.restores.createRestoreRequest(request, c))).request!;
      },
      list: (o) => {
        const status = o?.status;
        if (status !== undefined && !RESTORE_STATUSES.includes(status)) throw new TypeError(`status must be one of ${RESTORE_STATUSES.join(", ")}, got ${JSON.stringify(status)}`);
        return this.#restores(status === undefined ? RestoreStatus.UNSPECIFIED : RestoreStatus[status], o?.pageSize ?? 100);
      },
      get: (id) => this.#call((c) => this.rpc.restores.getRestoreRequest({ requestId: id }, c)),
      cancel: async (id) => (await this.#callOnce((c) => this.rpc.restores.cancelRestoreRequest({ requestId: id }, c))).request!,
    };
  }

  /**
   * Opens a live tail of the events the filter matches (the list's filters, bar `to`) that are
   * stored from now on, or right after `resumeToken` (one a tail gave you earlier), and resolves
   * once the stream is open. Iterate it for `{ event, resumeToken }`, oldest first, each once; it
   * reconnects by itself from its last token after a dropped connection, a gateway restart or
   * RESOURCE_EXHAUSTED, so no event is missed or repeated. See LiveTail.
   *
   *   const tail = await log.tail({ action: "user.login" }, { resumeToken: saved });
   *   for await (const { event, resumeToken } of tail) { handle(event); saved = resumeToken; }
   */
  async tail(filter?: EventListFilter, opts: { resumeToken?: string; signal?: AbortSignal } = {}): Promise<LiveTail> {
    const events = this.rpc.events;
    return LiveTail.open((req, signal) => events.tailEvents(req, { signal }), toEventFilter(filter), opts.resumeToken ?? "", this.#settings.retry, this.#settings.timeoutMs, opts.signal);
  }

  /**
   * Queues an event and resolves with what the server stored for it, once its batch is sent.
   * The event gets its idempotency key now (a random UUID unless given), so however often the
   * batch is retried it is stored once. Rejects with a HyreLogError: the event's own field
   * violations (INVALID_ARGUMENT), QueueFullError, or the last error after the retries.
   */
  record(event: AuditEventInput): Promise<RecordResult> {
    let input;
    try {
      input = toEventInput(event, event?.idempotencyKey || randomUUID());
    } catch (err) {
      return Promise.reject(new HyreLogError(Code.InvalidArgument, (err as Error).message, { cause: err }));
    }
    return this.#batcher.enqueue(input);
  }

  /** Events recorded and not yet settled (queued or in flight). */
  get pending(): number {
    return this.#batcher.pending;
  }

  /** Sends every event recorded so far, now; resolves when each has its result (errors go to record()'s promises). */
  flush(): Promise<void> {
    return this.#batcher.flush();
  }

  /** Sends what is queued, refuses further records, and closes the connections. */
  async close(): Promise<void> {
    await this.#batcher.close();
    this.#closing.abort();
    this.#close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /**
   * Fetches an event, its inclusion proof against the newest checkpoint (waiting up to `waitMs`,
   * default 15 s, for a checkpoint that covers it) and, unless trusted keys are pinned, the signing
   * keys; then verifies that the proof's leaf is the event's chain hash at its position and that
   * the proof leads to the root of a checkpoint signed by a trusted key. Throws a
   * VerificationError when anything does not verify.
   */
  async proveEvent(id: string, opts: { trustedKeys?: TrustedKeys; waitMs?: number } = {}): Promise<ProvedEvent> {
    const event = await this.events.get(id);
    const proof = await this.#inclusionProof(id, opts.waitMs ?? 15_000);
    const pinned = opts.trustedKeys ?? this.#trustedKeys;
    const keys = pinned ?? (await this.#call((c) => this.rpc.verification.listSigningKeys({}, c))).keys;
    if (proof.leaf !== event.chain?.hash || Number(proof.leafIndex) !== Number(event.chain.sequence) - 1) {
      throw new VerificationError("leaf_mismatch", `the proof is of leaf ${proof.leafIndex} (${proof.leaf}), the event is sequence ${event.chain?.sequence} with hash ${event.chain?.hash}`);
    }
    return { ...verifyProof(proof, undefined, keys), event, keysPinned: pinned !== undefined };
  }

  /**
   * Proves that a log only grew since a checkpoint you kept (its events unchanged, in the same
   * places): takes the newest checkpoint of the log (or `newer`), fetches the consistency proof
   * between the two tree sizes and verifies both signed notes and the proof (see
   * verifyConsistencyProof). `workspaceId`: which log, for a company key (empty: the company's own
   * log); a workspace key's is its own. Keep the result's `newerNote` for the next check. Throws a
   * VerificationError when anything does not verify.
   */
  async proveConsistency(older: KeptCheckpoint, opts: { newer?: KeptCheckpoint; workspaceId?: string; trustedKeys?: TrustedKeys } = {}): Promise<ProvedConsistency> {
    const workspaceId = opts.workspaceId ?? "";
    const pinned = opts.trustedKeys ?? this.#trustedKeys;
    const keys = pinned ?? (await this.#call((c) => this.rpc.verification.listSigningKeys({}, c))).keys;
    const olderNote = typeof older === "string" ? older : older?.signedNote;
    const from = verifyCheckpoint(olderNote, keys);
    let newerNote = typeof opts.newer === "string" ? opts.newer : opts.newer?.signedNote;
    if (newerNote === undefined) {
      const latest = await this.#call((c) => this.rpc.verification.getLatestCheckpoint({ workspaceId }, c));
      if (!latest.checkpoint) throw new VerificationError("no_checkpoint", "the log has no signed checkpoint");
      newerNote = latest.checkpoint.signedNote;
    }
    const to = verifyCheckpoint(newerNote, keys, { logId: from.logId });
    if (from.treeSize > to.treeSize) {
      throw new VerificationError("checkpoint_mismatch", `the older checkpoint (${from.treeSize} events) is of a larger tree than the newer (${to.treeSize})`);
    }
    const proof = await this.#call((c) =>
      this.rpc.verification.getConsistencyProof({ workspaceId, fromTreeSize: BigInt(from.treeSize), toTreeSize: BigInt(to.treeSize) }, c),
    );
    return { ...verifyConsistencyProof(proof, olderNote, newerNote, keys), newerNote, keysPinned: pinned !== undefined };
  }

  async #inclusionProof(eventId: string, waitMs: number): Promise<GetInclusionProofResponse> {
    const deadline = Date.now() + waitMs;
    for (let delay = 100; ; delay = Math.min(delay * 2, 2000)) {
      try {
        return await this.#call((c) => this.rpc.verification.getInclusionProof({ eventId }, c));
      } catch (err) {
        // FAILED_PRECONDITION: no checkpoint covers the event yet; one is signed within seconds.
        if (!(err instanceof HyreLogError && err.code === Code.FailedPrecondition) || Date.now() + delay > deadline) throw err;
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  /**
   * One call with this client's deadline per attempt and retry policy, cancelled by close(). Only
   * for calls that are safe to send twice: reads, and ingests (every event has its idempotency key
   * before the first attempt). A connection dropped before the answer (UNAVAILABLE, a network
   * error, or CANCELED that close() did not cause: connect-node's report over gRPC) is retried.
   */
  #call<T>(fn: (opts: CallOptions) => Promise<T>): Promise<T> {
    return withRetry((signal) => fn({ timeoutMs: this.#settings.timeoutMs, signal }), this.#settings.retry, this.#closing.signal);
  }

  /** A call that is not safe to send twice (asking for a restore, cancelling one): one attempt, failures as HyreLogError. */
  #callOnce<T>(fn: (opts: CallOptions) => Promise<T>): Promise<T> {
    return withRetry((signal) => fn({ timeoutMs: this.#settings.timeoutMs, signal }), { ...this.#settings.retry, maxAttempts: 1 }, this.#closing.signal);
  }

  #list(filter: EventListFilter | undefined, pageSize: number | undefined): EventPages {
    const request = { filter: toEventFilter(filter), limit: pageSize ?? 100 };
    const call = (cursor: string): Promise<ListEventsResponse> => this.#call((c) => this.rpc.events.listEvents({ ...request, cursor }, c));
    async function* pages(): AsyncGenerator<EventPage> {
      let cursor = "";
      do {
        const res = await call(cursor);
        yield { events: res.events, nextCursor: res.nextCursor, olderInArchives: res.olderInArchives };
        cursor = res.nextCursor;
      } while (cursor !== "");
    }
    return {
      pages,
      async *[Symbol.asyncIterator]() {
        for await (const page of pages()) yield* page.events;
      },
    };
  }

  #archives(workspaceId: string, pageSize: number): ArchivePages {
    const call = (cursor: string) => this.#call((c) => this.rpc.archives.listArchives({ workspaceId, limit: pageSize, cursor }, c));
    async function* pages(): AsyncGenerator<ListArchivesResponse> {
      let cursor = "";
      do {
        const res = await call(cursor);
        yield res;
        cursor = res.nextCursor;
      } while (cursor !== "");
    }
    return {
      pages,
      async *[Symbol.asyncIterator]() {
        for await (const page of pages()) yield* page.archives;
      },
    };
  }

  #restores(status: RestoreStatus, pageSize: number): RestorePages {
    const call = (cursor: string) => this.#call((c) => this.rpc.restores.listRestoreRequests({ status, limit: pageSize, cursor }, c));
    async function* pages(): AsyncGenerator<ListRestoreRequestsResponse> {
      let cursor = "";
      do {
        const res = await call(cursor);
        yield res;
        cursor = res.nextCursor;
      } while (cursor !== "");
    }
    return {
      pages,
      async *[Symbol.asyncIterator]() {
        for await (const page of pages()) yield* page.requests;
      },
    };
  }

  async *#history(targetType: string, targetId: string, opts: { pageSize?: number; workspaceId?: string } = {}): AsyncGenerator<TargetVersion> {
    let cursor = "";
    do {
      const res = await this.#call((c) =>
        this.rpc.events.listTargetEvents({ targetType, targetId, limit: opts.pageSize ?? 100, cursor, workspaceId: opts.workspaceId ?? "" }, c),
      );
      yield* res.versions;
      cursor = res.nextCursor;
    } while (cursor !== "");
  }
}
