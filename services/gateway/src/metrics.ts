import type { Counter, Histogram, Metrics as ProcessMetrics } from "@hyrelog/runtime";

/**
 * The gateway's request metrics, one observation per request at its single dispatch point,
 * labelled by route pattern (never the raw path, so ids cannot explode the series). Rendered with
 * everything else the process measures (RPCs, domain counters, Node's process metrics).
 */
export class Metrics {
  readonly #process: ProcessMetrics;
  readonly #requests: Counter<"method" | "route" | "status">;
  readonly #latency: Histogram<"method" | "route">;

  constructor(metrics: ProcessMetrics) {
    this.#process = metrics;
    this.#requests = metrics.counter("hyrelog_gateway_requests_total", "HTTP requests handled by the gateway.", ["method", "route", "status"]);
    this.#latency = metrics.histogram("hyrelog_gateway_request_duration_seconds", "Time to answer a request.", ["method", "route"]);
    const started = Date.now();
    metrics.gauge("hyrelog_gateway_uptime_seconds", "Seconds since the gateway started.", [], function () {
      this.set((Date.now() - started) / 1000);
    });
  }

  observe(method: string, route: string, status: number, seconds: number): void {
    this.#requests.inc({ method, route, status });
    this.#latency.observe({ method, route }, seconds);
  }

  /** Prometheus text of the whole process. */
  render(): Promise<string> {
    return this.#process.render();
  }
}
