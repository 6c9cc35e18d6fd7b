/**
 * Fixed one-minute windows per bucket (a key, an IP, a key's management calls). Counts live in
 * this gateway replica; with N replicas behind a load balancer the effective limit is up to N
 * times higher (docs/operations note this).
 */
export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Unix seconds when the window resets. */
  reset: number;
  retryAfterSeconds: number;
}

export class RateLimiter {
  readonly #windows = new Map<string, { start: number; count: number }>();
  readonly #windowMs: number;
  #lastSweep = 0;

  constructor(windowMs = 60_000) {
    this.#windowMs = windowMs;
  }

  hit(bucket: string, limit: number, now = Date.now()): RateDecision {
    const start = now - (now % this.#windowMs);
    this.#sweep(start);
    let w = this.#windows.get(bucket);
    if (!w || w.start !== start) {
      w = { start, count: 0 };
      this.#windows.set(bucket, w);
    }
    const resetMs = start + this.#windowMs;
    const allowed = w.count < limit;
    if (allowed) w.count++;
    return {
      allowed,
      limit,
      remaining: Math.max(0, limit - w.count),
      reset: Math.ceil(resetMs / 1000),
      retryAfterSeconds: Math.max(1, Math.ceil((resetMs - now) / 1000)),
    };
  }

  #sweep(currentStart: number): void {
    if (currentStart === this.#lastSweep) return;
    this.#lastSweep = currentStart;
    for (const [k, w] of this.#windows) if (w.start < currentStart) this.#windows.delete(k);
  }
}

export function rateLimitHeaders(d: RateDecision): Record<string, string> {
  return {
    "x-ratelimit-limit": String(d.limit),
    "x-ratelimit-remaining": String(d.remaining),
    "x-ratelimit-reset": String(d.reset),
  };
}
