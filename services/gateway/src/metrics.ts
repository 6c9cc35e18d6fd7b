/** Request counters and latency histograms in Prometheus text format. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export class Metrics {
  readonly #requests = new Map<string, number>();
  readonly #latency = new Map<string, { buckets: number[]; sum: number; count: number }>();
  readonly #started = Date.now();

  observe(method: string, route: string, status: number, seconds: number): void {
    const labels = `method="${method}",route="${route}",status="${status}"`;
    this.#requests.set(labels, (this.#requests.get(labels) ?? 0) + 1);
    const key = `method="${method}",route="${route}"`;
    let h = this.#latency.get(key);
    if (!h) {
      h = { buckets: BUCKETS.map(() => 0), sum: 0, count: 0 };
      this.#latency.set(key, h);
    }
    BUCKETS.forEach((b, i) => {
      if (seconds <= b) h.buckets[i]!++;
    });
    h.sum += seconds;
    h.count++;
  }

  render(): string {
    const lines = [
      "# HELP hyrelog_gateway_requests_total HTTP requests handled by the gateway.",
      "# TYPE hyrelog_gateway_requests_total counter",
      ...[...this.#requests].map(([l, v]) => `hyrelog_gateway_requests_total{${l}} ${v}`),
      "# HELP hyrelog_gateway_request_duration_seconds Time to answer a request.",
      "# TYPE hyrelog_gateway_request_duration_seconds histogram",
    ];
    for (const [l, h] of this.#latency) {
      BUCKETS.forEach((b, i) => lines.push(`hyrelog_gateway_request_duration_seconds_bucket{${l},le="${b}"} ${h.buckets[i]}`));
      lines.push(`hyrelog_gateway_request_duration_seconds_bucket{${l},le="+Inf"} ${h.count}`);
      lines.push(`hyrelog_gateway_request_duration_seconds_sum{${l}} ${h.sum}`);
      lines.push(`hyrelog_gateway_request_duration_seconds_count{${l}} ${h.count}`);
    }
    lines.push(
      "# HELP hyrelog_gateway_uptime_seconds Seconds since the gateway started.",
      "# TYPE hyrelog_gateway_uptime_seconds gauge",
      `hyrelog_gateway_uptime_seconds ${(Date.now() - this.#started) / 1000}`,
    );
    return lines.join("\n") + "\n";
  }
}
