/**
 * When and how long to retry. Retried: UNAVAILABLE, RESOURCE_EXHAUSTED (rate limits, honouring
 * Retry-After), DEADLINE_EXCEEDED and network failures (the connection refused, reset or dropped
 * before the answer, including CANCELED that the caller did not cause: see droppedConnection).
 * Never retried: INVALID_ARGUMENT, PERMISSION_DENIED, NOT_FOUND and every other answer the server
 * gave on purpose, and calls the caller cancelled.
 */
import { Code, ConnectError } from "@connectrpc/connect";
import { HyreLogError } from "./errors.ts";

export interface RetryOptions {
  /** Attempts in all, the first included (default 6; 1 disables retries). */
  maxAttempts?: number;
  /** The backoff before the second attempt (default 100 ms); doubled for each attempt after. */
  initialDelayMs?: number;
  /** The longest wait between attempts (default 10 s). */
  maxDelayMs?: number;
  /** A Retry-After longer than this ends the retries at once (default 60 s): e.g. a monthly quota. */
  maxRetryAfterMs?: number;
}

export type RetryPolicy = Required<RetryOptions>;

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 6, initialDelayMs: 100, maxDelayMs: 10_000, maxRetryAfterMs: 60_000 };

const RETRYABLE_CODES = new Set([Code.Unavailable, Code.ResourceExhausted, Code.DeadlineExceeded]);

/** System errors of a connection that failed or broke: the request may or may not have arrived. */
const NETWORK_ERRORS = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "ERR_STREAM_PREMATURE_CLOSE",
  "ERR_HTTP2_GOAWAY_SESSION",
  "ERR_HTTP2_SESSION_ERROR",
  "ERR_HTTP2_STREAM_ERROR",
  "ERR_HTTP2_STREAM_CANCEL",
]);

function networkFailure(err: unknown): boolean {
  const seen = new Set<unknown>();
  for (let e = err; e instanceof Error && !seen.has(e); e = e.cause) {
    seen.add(e);
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && NETWORK_ERRORS.has(code)) return true;
  }
  return false;
}

/** Whether a failed call may be sent again (with the same idempotency keys). */
export function isRetryable(err: unknown): boolean {
  const ce = ConnectError.from(err);
  if (ce.code === Code.Canceled) return false;
  return RETRYABLE_CODES.has(ce.code) || networkFailure(err);
}

/**
 * A call that ended CANCELED although `ours` (the signal it ran under) was not aborted was cut
 * under it: connect-node reports an HTTP/2 stream reset or a connection closed before the answer
 * so. That is a dropped connection, returned as UNAVAILABLE (retried), not a cancellation by the
 * caller (never retried); any other error is returned as is.
 */
export function droppedConnection(err: unknown, ours: AbortSignal): unknown {
  const ce = ConnectError.from(err);
  if (ce.code !== Code.Canceled || ours.aborted) return err;
  return new ConnectError(`the connection dropped before the answer: ${ce.rawMessage}`, Code.Unavailable, undefined, undefined, err);
}

/** The server's Retry-After in milliseconds (seconds or an HTTP date), or null. */
function retryAfterMs(err: unknown): number | null {
  const value = ConnectError.from(err).metadata.get("retry-after");
  if (value === null) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}

/**
 * The wait before attempt `attempt + 1` after `err`, or null to give up. Exponential backoff with
 * full jitter (a uniform random wait up to the exponential bound, so clients that failed together
 * do not retry together), and at least the server's Retry-After.
 */
export function retryDelay(err: unknown, attempt: number, policy: RetryPolicy, random: () => number = Math.random): number | null {
  if (attempt >= policy.maxAttempts || !isRetryable(err)) return null;
  const bound = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (attempt - 1));
  const backoff = random() * bound;
  const after = retryAfterMs(err);
  if (after !== null && after > policy.maxRetryAfterMs) return null;
  return Math.max(backoff, after ?? 0);
}

/**
 * Calls `fn` with `signal` until it succeeds, fails for good, or runs out of attempts; throws the
 * last error as a HyreLogError. Only for calls that are safe to send twice (reads, and ingests whose
 * events carry idempotency keys): CANCELED while `signal` is not aborted is retried (droppedConnection).
 */
export async function withRetry<T>(fn: (signal: AbortSignal) => Promise<T>, policy: RetryPolicy, signal: AbortSignal): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(signal);
    } catch (err) {
      const failure = droppedConnection(err, signal);
      const delay = retryDelay(failure, attempt, policy);
      if (delay === null) throw HyreLogError.from(failure, attempt);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
