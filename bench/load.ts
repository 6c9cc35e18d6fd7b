/** Load generation (autocannon) and latency statistics. */
import autocannon from "autocannon";

export interface LoadResult {
  seconds: number;
  requests: number;
  reqPerSec: number;
  latencyMs: { p50: number; p90: number; p99: number; mean: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
}

export interface LoadOptions {
  url: string;
  connections: number;
  seconds: number;
  method: "GET" | "POST";
  headers: Record<string, string>;
  /** A fresh body for every request. */
  body?: () => string;
}

export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const instance = autocannon({
    url: o.url,
    connections: o.connections,
    duration: o.seconds,
    timeout: 30,
    method: o.method,
    headers: o.headers,
    requests: [o.body ? { method: o.method, setupRequest: (req) => ({ ...req, body: o.body!() }) } : { method: o.method }],
  });
  const r = await instance;
  const statusCodes: Record<string, number> = {};
  for (const [code, s] of Object.entries(r.statusCodeStats)) statusCodes[code] = s.count;
  return {
    seconds: r.duration,
    requests: r.requests.total,
    reqPerSec: r.requests.total / r.duration,
    latencyMs: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, mean: round(r.latency.mean, 2), max: r.latency.max },
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    statusCodes,
  };
}

/** Nearest-rank percentile of unsorted samples. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

export function summary(samples: number[]): { n: number; p50: number; p90: number; p99: number; mean: number; max: number } {
  const mean = samples.length ? samples.reduce((a, b) => a + b, 0) / samples.length : NaN;
  return {
    n: samples.length,
    p50: round(percentile(samples, 50), 2),
    p90: round(percentile(samples, 90), 2),
    p99: round(percentile(samples, 99), 2),
    mean: round(mean, 2),
    max: round(samples.length ? Math.max(...samples) : NaN, 2),
  };
}

export function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
