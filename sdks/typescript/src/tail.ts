/**
 * A live tail over EventService.TailEvents that survives the stream's ends: it calls again from
 * the last resume token it received, so no event is missed and none comes twice (the behaviour of
 * the Python, Go and Java wrappers).
 */
import { Code, ConnectError } from "@connectrpc/connect";
import { HyreLogError } from "./errors.ts";
import type { TailEventsRequest, TailEventsResponse } from "./gen/hyrelog/api/v1/events_pb.js";
import type { AuditEvent } from "./gen/hyrelog/common/v1/common_pb.js";
import { droppedConnection, isRetryable, retryDelay, type RetryPolicy } from "./retry.ts";

/** One event of a live tail, and the resume token right after it. */
export interface TailedEvent {
  event: AuditEvent;
  /** Keep the token of the last event you handled; `tail(filter, { resumeToken })` goes on from there. */
  resumeToken: string;
}

/** One TailEvents call from a token (the generated client's, with the key). */
export type OpenTail = (request: Pick<TailEventsRequest, "filter" | "resumeToken">, signal: AbortSignal) => AsyncIterable<TailEventsResponse>;

/**
 * A live tail (`await log.tail(filter)`): iterate it (`for await`) for each event the filter
 * matches as it is stored, oldest first, each once.
 *
 * `resumeToken` is always the position after the last event yielded (before the first: where the
 * stream started). When the stream ends for a transient reason (UNAVAILABLE: the gateway restarted
 * or the connection broke; RESOURCE_EXHAUSTED: the reader was too slow, or the key has too many
 * streams open; DEADLINE_EXCEEDED: it took longer than `timeoutMs` to open), the tail calls again
 * with that token: at once after a stream that brought events, else after the retry backoff.
 * When `retry.maxAttempts` calls in a row fail to open, the iteration throws the last failure as a
 * HyreLogError; so does any other failure, e.g. FAILED_PRECONDITION when the resume point is older
 * than the event stream keeps (7 days): read the gap with `events.list` and tail again without a
 * token. `close()`, the caller's `signal`, or leaving the `for await` loop ends it.
 */
export class LiveTail implements AsyncIterable<TailedEvent>, AsyncDisposable {
  readonly #open: OpenTail;
  readonly #filter: TailEventsRequest["filter"];
  readonly #policy: RetryPolicy;
  readonly #timeoutMs: number;
  readonly #closed = new AbortController();
  #token: string;
  /** The open stream, and how to end it. */
  #stream: { messages: AsyncIterator<TailEventsResponse>; abort: AbortController } | undefined;
  /** Whether the open stream brought a message after its first. */
  #delivered = false;
  #iterating = false;

  private constructor(open: OpenTail, filter: TailEventsRequest["filter"], resumeToken: string, policy: RetryPolicy, timeoutMs: number, signal?: AbortSignal) {
    this.#open = open;
    this.#filter = filter;
    this.#token = resumeToken;
    this.#policy = policy;
    this.#timeoutMs = timeoutMs;
    signal?.addEventListener("abort", () => this.close(), { once: true, signal: this.#closed.signal });
    if (signal?.aborted) this.close();
  }

  /** Opens the stream (retrying transient failures) and resolves once it is open. */
  static async open(open: OpenTail, filter: TailEventsRequest["filter"], resumeToken: string, policy: RetryPolicy, timeoutMs: number, signal?: AbortSignal): Promise<LiveTail> {
    const tail = new LiveTail(open, filter, resumeToken, policy, timeoutMs, signal);
    await tail.#connect();
    return tail;
  }

  /** The position after the last event yielded: pass it as `resumeToken` to go on from there later. */
  get resumeToken(): string {
    return this.#token;
  }

  /** Ends the tail; an iteration in progress stops. */
  close(): void {
    this.#closed.abort();
    this.#stream?.abort.abort();
    this.#stream = undefined;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<TailedEvent> {
    if (this.#iterating) throw new TypeError("a live tail is iterated once at a time");
    this.#iterating = true;
    try {
      while (!this.#closed.signal.aborted) {
        if (!this.#stream) {
          await this.#connect();
          continue;
        }
        let res: TailEventsResponse | undefined;
        try {
          const next = await this.#stream.messages.next();
          res = next.done ? undefined : next.value;
        } catch (err) {
          if (this.#closed.signal.aborted) return;
          if (!isRetryable(droppedConnection(err, this.#stream.abort.signal))) throw HyreLogError.from(err);
        }
        if (this.#closed.signal.aborted) return;
        if (res === undefined) {
          // The stream ended: call again, at once after a stream that brought events, else after the backoff.
          this.#stream.abort.abort();
          this.#stream = undefined;
          if (!this.#delivered) await this.#sleep(Math.random() * this.#policy.initialDelayMs);
          continue;
        }
        this.#delivered = true;
        this.#token = res.resumeToken;
        if (res.event) yield { event: res.event, resumeToken: res.resumeToken };
      }
    } finally {
      this.#iterating = false;
      // Leaving the loop (break, an error) ends the tail.
      this.close();
    }
  }

  /**
   * Calls TailEvents from the current token and reads its first message (where the stream starts),
   * retrying transient failures with the retry policy; each attempt has `timeoutMs` to open.
   */
  async #connect(): Promise<void> {
    for (let attempt = 1; !this.#closed.signal.aborted; attempt++) {
      const abort = new AbortController();
      const signal = AbortSignal.any([abort.signal, this.#closed.signal]);
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        abort.abort();
      }, this.#timeoutMs);
      let failure: unknown;
      try {
        const messages = this.#open({ filter: this.#filter, resumeToken: this.#token }, signal)[Symbol.asyncIterator]();
        const first = await messages.next();
        if (!first.done && !timedOut) {
          this.#token = first.value.resumeToken;
          this.#stream = { messages, abort };
          this.#delivered = false;
          return;
        }
        abort.abort();
        failure = timedOut ? undefined : new ConnectError("the live tail ended before it opened", Code.Unavailable);
      } catch (err) {
        failure = droppedConnection(err, signal);
      } finally {
        clearTimeout(timer);
      }
      if (this.#closed.signal.aborted) return;
      if (timedOut) failure = new ConnectError(`the live tail did not open within ${this.#timeoutMs} ms`, Code.DeadlineExceeded);
      const delay = retryDelay(failure, attempt, this.#policy);
      if (delay === null) throw HyreLogError.from(failure, attempt);
      await this.#sleep(delay);
    }
  }

  /** Waits, or less when the tail is closed meanwhile. */
  #sleep(ms: number): Promise<void> {
    const closed = this.#closed.signal;
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        closed.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      closed.addEventListener("abort", done, { once: true });
    });
  }
}
