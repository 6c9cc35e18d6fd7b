/**
 * The retry schedule of a webhook delivery: attempt 1 immediately, then 1 minute, 5 minutes,
 * 30 minutes and 6 hours after the previous attempt — 5 attempts in all — after which the delivery
 * is permanently failed.
 *
 * A receiver's `Retry-After` (on 429/503) can push the next attempt later, never earlier, and never
 * further than 24 hours; it does not add attempts. `timeScale` multiplies every duration (schedule,
 * Retry-After and cap alike) so tests can run the whole schedule in seconds (e.g. 0.001: minutes
 * become 60 ms).
 */

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** Delay before each attempt, measured from the previous attempt: index 0 is attempt 1. */
export const RETRY_DELAYS_MS: readonly number[] = Object.freeze([0, 1 * MINUTE_MS, 5 * MINUTE_MS, 30 * MINUTE_MS, 6 * HOUR_MS]);

/** Attempts a delivery gets before it is permanently failed. */
export const MAX_DELIVERY_ATTEMPTS = RETRY_DELAYS_MS.length;

/** The most a `Retry-After` can postpone the next attempt. */
export const MAX_RETRY_AFTER_MS = 24 * HOUR_MS;

export interface NextAttemptOptions {
  /** Multiplies all durations; 1 in production, e.g. 0.001 in tests. Must be > 0. */
  timeScale?: number;
  /** The receiver's `Retry-After`, in seconds, from the attempt that just failed. */
  retryAfterSeconds?: number;
}

/**
 * When to make the next attempt after attempt number `attemptNumber` (1-based: the attempt that just
 * failed, made at `lastAttemptAt`), or null when that was the last attempt and the delivery is
 * permanently failed. The time is the later of the schedule and `Retry-After`, capped at 24 hours.
 */
export function nextAttemptAt(attemptNumber: number, lastAttemptAt: Date, options: NextAttemptOptions = {}): Date | null {
  const timeScale = options.timeScale ?? 1;
  if (!Number.isInteger(attemptNumber) || attemptNumber < 1) throw new RangeError("attemptNumber must be an integer >= 1");
  if (!Number.isFinite(timeScale) || timeScale <= 0) throw new RangeError("timeScale must be a positive number");
  if (attemptNumber >= MAX_DELIVERY_ATTEMPTS) return null;

  const scheduledMs = RETRY_DELAYS_MS[attemptNumber]!;
  const retryAfter = options.retryAfterSeconds;
  const retryAfterMs = retryAfter !== undefined && Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter * 1000, MAX_RETRY_AFTER_MS) : 0;
  const delayMs = Math.max(scheduledMs, retryAfterMs) * timeScale;
  return new Date(lastAttemptAt.getTime() + Math.round(delayMs));
}
