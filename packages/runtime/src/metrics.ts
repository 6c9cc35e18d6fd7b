import http from "node:http";
import type { AddressInfo } from "node:net";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

/** Latency buckets (seconds) of request histograms: 5 ms to 10 s. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Node's process metrics (CPU, memory, event loop lag, GC, handles): one registry per Node
 * process, shared by every HyreLog process in it (several only in tests).
 */
let processDefaults: Registry | undefined;
function defaults(): Registry {
  if (!processDefaults) {
    processDefaults = new Registry();
    collectDefaultMetrics({ register: processDefaults });
  }
  return processDefaults;
}

type Collect<M> = (this: M) => void | Promise<void>;

/**
 * A HyreLog process's Prometheus metrics (prom-client): what the gateway's `/internal/metrics` and
 * the metrics port serve. Services create their metrics here by name; asking again for a name
 * returns the same metric, so two services in one process can share one.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly contentType = this.registry.contentType;

  constructor() {
    defaults();
  }

  counter<L extends string>(name: string, help: string, labelNames: readonly L[] = [], collect?: Collect<Counter<L>>): Counter<L> {
    return this.#get(name) ?? new Counter<L>({ name, help, labelNames, registers: [this.registry], ...(collect ? { collect } : {}) });
  }

  gauge<L extends string>(name: string, help: string, labelNames: readonly L[] = [], collect?: Collect<Gauge<L>>): Gauge<L> {
    return this.#get(name) ?? new Gauge<L>({ name, help, labelNames, registers: [this.registry], ...(collect ? { collect } : {}) });
  }

  histogram<L extends string>(name: string, help: string, labelNames: readonly L[] = [], buckets: number[] = LATENCY_BUCKETS): Histogram<L> {
    return this.#get(name) ?? new Histogram<L>({ name, help, labelNames, buckets, registers: [this.registry] });
  }

  /** The Prometheus text exposition of this process's metrics and Node's process metrics. */
  async render(): Promise<string> {
    const [own, node] = await Promise.all([this.registry.metrics(), defaults().metrics()]);
    return `${own}\n${node}`;
  }

  #get<M>(name: string): M | undefined {
    return this.registry.getSingleMetric(name) as M | undefined;
  }
}

export interface MetricsServer {
  port: number;
  close(): Promise<void>;
}

/** `GET /metrics` on its own port for Prometheus scrapes (METRICS_PORT); no other route. */
export async function startMetricsServer(metrics: Metrics, host: string, port: number): Promise<MetricsServer> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET" || path !== "/metrics") {
      res.writeHead(404, { "content-type": "text/plain" }).end("only GET /metrics here\n");
      return;
    }
    metrics.render().then(
      (text) => res.writeHead(200, { "content-type": metrics.contentType }).end(text),
      () => res.writeHead(500, { "content-type": "text/plain" }).end("metrics collection failed\n"),
    );
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
