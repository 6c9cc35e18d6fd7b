import { describe, expect, it } from "vitest";
import { MAX_DELIVERY_ATTEMPTS, MAX_RETRY_AFTER_MS, RETRY_DELAYS_MS, nextAttemptAt } from "./schedule.ts";

const t0 = new Date("2026-11-22T10:00:00.000Z");
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const plus = (at: Date, ms: number) => new Date(at.getTime() + ms);

describe("retry schedule", () => {
  it("is 5 attempts: now, +1 min, +5 min, +30 min, +6 h", () => {
    expect(MAX_DELIVERY_ATTEMPTS).toBe(5);
    expect(RETRY_DELAYS_MS).toEqual([0, MINUTE, 5 * MINUTE, 30 * MINUTE, 6 * HOUR]);
    expect(Object.isFrozen(RETRY_DELAYS_MS)).toBe(true);
  });

  it("gives the exact time of each retry after the attempt that failed", () => {
    expect(nextAttemptAt(1, t0)).toEqual(plus(t0, MINUTE));
    expect(nextAttemptAt(2, t0)).toEqual(plus(t0, 5 * MINUTE));
    expect(nextAttemptAt(3, t0)).toEqual(plus(t0, 30 * MINUTE));
    expect(nextAttemptAt(4, t0)).toEqual(plus(t0, 6 * HOUR));
  });

  it("walks a whole delivery: attempt times from the first one, then permanently failed", () => {
    const times = [t0];
    for (let attempt = 1; ; attempt++) {
      const next = nextAttemptAt(attempt, times.at(-1)!);
      if (!next) break;
      times.push(next);
    }
    expect(times.map((t) => (t.getTime() - t0.getTime()) / MINUTE)).toEqual([0, 1, 6, 36, 396]);
  });

  it("returns null after the fifth attempt, whatever Retry-After says", () => {
    expect(nextAttemptAt(5, t0)).toBeNull();
    expect(nextAttemptAt(6, t0)).toBeNull();
    expect(nextAttemptAt(5, t0, { retryAfterSeconds: 10 })).toBeNull();
  });

  it("honours Retry-After when it is later than the schedule", () => {
    expect(nextAttemptAt(1, t0, { retryAfterSeconds: 120 })).toEqual(plus(t0, 2 * MINUTE));
    expect(nextAttemptAt(4, t0, { retryAfterSeconds: 8 * 3600 })).toEqual(plus(t0, 8 * HOUR));
  });

  it("keeps the schedule when Retry-After is earlier, zero, negative or not a number", () => {
    expect(nextAttemptAt(1, t0, { retryAfterSeconds: 7 })).toEqual(plus(t0, MINUTE));
    expect(nextAttemptAt(3, t0, { retryAfterSeconds: 0 })).toEqual(plus(t0, 30 * MINUTE));
    expect(nextAttemptAt(3, t0, { retryAfterSeconds: -100 })).toEqual(plus(t0, 30 * MINUTE));
    expect(nextAttemptAt(3, t0, { retryAfterSeconds: Number.NaN })).toEqual(plus(t0, 30 * MINUTE));
  });

  it("caps Retry-After at 24 hours", () => {
    expect(MAX_RETRY_AFTER_MS).toBe(24 * HOUR);
    expect(nextAttemptAt(1, t0, { retryAfterSeconds: 7 * 24 * 3600 })).toEqual(plus(t0, 24 * HOUR));
    expect(nextAttemptAt(1, t0, { retryAfterSeconds: Number.POSITIVE_INFINITY })).toEqual(plus(t0, MINUTE));
  });

  it("shrinks every duration by timeScale, Retry-After and its cap included", () => {
    const fast = { timeScale: 0.001 };
    expect(nextAttemptAt(1, t0, fast)).toEqual(plus(t0, 60));
    expect(nextAttemptAt(2, t0, fast)).toEqual(plus(t0, 300));
    expect(nextAttemptAt(3, t0, fast)).toEqual(plus(t0, 1_800));
    expect(nextAttemptAt(4, t0, fast)).toEqual(plus(t0, 21_600));
    expect(nextAttemptAt(5, t0, fast)).toBeNull();
    expect(nextAttemptAt(1, t0, { ...fast, retryAfterSeconds: 120 })).toEqual(plus(t0, 120));
    expect(nextAttemptAt(1, t0, { ...fast, retryAfterSeconds: 10 ** 9 })).toEqual(plus(t0, 86_400));
  });

  it("rejects nonsense arguments", () => {
    expect(() => nextAttemptAt(0, t0)).toThrow(RangeError);
    expect(() => nextAttemptAt(1.5, t0)).toThrow(RangeError);
    expect(() => nextAttemptAt(1, t0, { timeScale: 0 })).toThrow(RangeError);
    expect(() => nextAttemptAt(1, t0, { timeScale: -1 })).toThrow(RangeError);
    expect(() => nextAttemptAt(1, t0, { timeScale: Number.NaN })).toThrow(RangeError);
  });
});
