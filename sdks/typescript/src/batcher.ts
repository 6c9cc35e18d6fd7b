/**
 * The record queue. Events wait in a bounded FIFO queue and leave in batches of at most
 * `maxBatchSize` events and `maxBatchBytes`: at once when a full batch is waiting, otherwise
 * `flushIntervalMs` after the first event of a batch arrived, or on `flush()`. One batch is in
 * flight at a time, so events are stored in the order they were recorded. A batch is retried as
 * a whole (the same events with the same idempotency keys, so a retry never stores one twice).
 *
 * The server refuses a batch atomically when an event in it is invalid. Events the server named
 * in its field violations fail with them; the others did nothing wrong and go back to the front
 * of the queue for the next batch.
 */
import { toBinary } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import { HyreLogError, QueueFullError, type FieldViolation } from "./errors.ts";
import { toRecordResult, type RecordResult } from "./events.ts";
import { EventInputSchema, type EventInput, type IngestEventsResponse } from "./gen/hyrelog/api/v1/events_pb.js";

export interface BatchOptions {
  flushIntervalMs: number;
  maxBatchSize: number;
  maxBatchBytes: number;
  maxQueueSize: number;
}

/** Sends one batch (with retries); throws a HyreLogError. */
export type SendBatch = (events: EventInput[]) => Promise<IngestEventsResponse>;

interface Pending {
  input: EventInput;
  bytes: number;
  resolve: (result: RecordResult) => void;
  reject: (err: HyreLogError) => void;
  settled: Promise<unknown>;
}

/** Bytes an event adds to a request: its encoding, a tag and a length prefix. */
const FRAMING_BYTES = 6;
const VIOLATION_FIELD = /^events\[(\d+)\](?:\.(.*))?$/;

export class Batcher {
  readonly #send: SendBatch;
  readonly #opts: BatchOptions;
  #queue: Pending[] = [];
  #queuedBytes = 0;
  /** Every event recorded and not yet settled: queued or in flight. */
  readonly #unsettled = new Set<Pending>();
  /** How many events at the head of the queue must leave now, full batch or not. */
  #due = 0;
  #timer: NodeJS.Timeout | undefined;
  #pumping = false;
  #closed = false;

  constructor(send: SendBatch, opts: BatchOptions) {
    this.#send = send;
    this.#opts = opts;
  }

  /** Events waiting or in flight. */
  get pending(): number {
    return this.#unsettled.size;
  }

  enqueue(input: EventInput): Promise<RecordResult> {
    if (this.#closed) return Promise.reject(new HyreLogError(Code.FailedPrecondition, "the client is closed"));
    if (this.pending >= this.#opts.maxQueueSize) return Promise.reject(new QueueFullError(this.#opts.maxQueueSize));
    const bytes = toBinary(EventInputSchema, input).byteLength + FRAMING_BYTES;
    if (bytes > this.#opts.maxBatchBytes) {
      return Promise.reject(new HyreLogError(Code.InvalidArgument, `the event takes ${bytes} bytes, more than a request may (${this.#opts.maxBatchBytes})`));
    }
    let pending!: Pending;
    const promise = new Promise<RecordResult>((resolve, reject) => {
      pending = { input, bytes, resolve, reject, settled: Promise.resolve() };
    });
    pending.settled = promise.then(
      () => this.#unsettled.delete(pending),
      () => this.#unsettled.delete(pending),
    );
    this.#unsettled.add(pending);
    this.#queue.push(pending);
    this.#queuedBytes += bytes;
    if (this.#fullBatchWaiting()) this.#pump();
    else this.#startTimer();
    return promise;
  }

  /** Sends every event recorded so far; resolves when each has its result (or error). */
  async flush(): Promise<void> {
    const waiting = [...this.#unsettled].map((p) => p.settled);
    this.#due = this.#queue.length;
    this.#pump();
    await Promise.all(waiting);
  }

  /** Refuses new records, then sends what is queued. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.flush();
    clearTimeout(this.#timer);
  }

  #fullBatchWaiting(): boolean {
    return this.#queue.length >= this.#opts.maxBatchSize || this.#queuedBytes >= this.#opts.maxBatchBytes;
  }

  #startTimer(): void {
    if (this.#timer !== undefined || this.#queue.length === 0) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#due = this.#queue.length;
      this.#pump();
    }, this.#opts.flushIntervalMs);
  }

  #pump(): void {
    if (this.#pumping) return;
    this.#pumping = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    void (async () => {
      try {
        while (this.#queue.length > 0 && (this.#due > 0 || this.#fullBatchWaiting())) await this.#sendOne(this.#takeBatch());
      } finally {
        this.#pumping = false;
        this.#startTimer();
      }
    })();
  }

  #takeBatch(): Pending[] {
    let bytes = 0;
    let n = 0;
    while (n < this.#queue.length && n < this.#opts.maxBatchSize && bytes + this.#queue[n]!.bytes <= this.#opts.maxBatchBytes) bytes += this.#queue[n++]!.bytes;
    const batch = this.#queue.splice(0, n);
    this.#queuedBytes -= bytes;
    this.#due = Math.max(0, this.#due - n);
    return batch;
  }

  async #sendOne(batch: Pending[]): Promise<void> {
    try {
      const res = await this.#send(batch.map((p) => p.input));
      const byIndex = new Map(res.results.map((r) => [r.index, r]));
      batch.forEach((p, i) => {
        const r = byIndex.get(i);
        if (r) p.resolve(toRecordResult(r, p.input.idempotencyKey));
        else p.reject(new HyreLogError(Code.Internal, `the server returned no result for event ${i} of the batch`));
      });
    } catch (err) {
      this.#refused(batch, HyreLogError.from(err));
    }
  }

  /** A refused batch: each named event fails with its own violations; the rest are sent again. */
  #refused(batch: Pending[], err: HyreLogError): void {
    const own = new Map<number, FieldViolation[]>();
    for (const v of err.violations) {
      const m = VIOLATION_FIELD.exec(v.field);
      const i = m ? Number(m[1]) : -1;
      if (i >= 0 && i < batch.length) own.set(i, [...(own.get(i) ?? []), { field: m![2] ?? "", description: v.description }]);
    }
    if (err.code !== Code.InvalidArgument || own.size === 0) {
      for (const p of batch) p.reject(err);
      return;
    }
    const innocent: Pending[] = [];
    batch.forEach((p, i) => {
      const violations = own.get(i);
      if (violations === undefined) return innocent.push(p);
      const what = violations.map((v) => `${v.field || "event"}: ${v.description}`).join("; ");
      p.reject(new HyreLogError(err.code, `the event is invalid (${what})`, { violations, attempts: err.attempts, cause: err }));
    });
    this.#queue.unshift(...innocent);
    this.#queuedBytes += innocent.reduce((sum, p) => sum + p.bytes, 0);
    this.#due += innocent.length;
  }
}
