import { Code, ConnectError } from "@connectrpc/connect";
import { context, propagation, SpanKind } from "@opentelemetry/api";
import type { Counter, Histogram } from "prom-client";
import type { Metrics } from "./metrics.ts";
import { endSpan, startSpan, tracingEnabled } from "./tracing.ts";

const HEALTH = "grpc.health.v1.Health";
/** The codes that make a server span an error (OpenTelemetry's gRPC conventions); the others are the caller's. */
const SERVER_ERRORS = new Set([Code.Unknown, Code.DeadlineExceeded, Code.Unimplemented, Code.Internal, Code.Unavailable, Code.DataLoss]);
const headersGetter = {
  get: (h: Headers, key: string) => h.get(key) ?? undefined,
  keys: (h: Headers) => [...h.keys()],
};

/** `invalid_argument`, `ok`: Connect's names of the codes, as the `code` label. */
function codeLabel(code: Code | null): string {
  if (code === null) return "ok";
  return (Code[code] ?? "unknown").replace(/[A-Z]/g, (c, i: number) => (i ? "_" : "") + c.toLowerCase());
}

/**
 * What every RPC a process serves records, over the network (the server's interceptor) or
 * in-process (LocalServices): a count by code and a latency per method, and a server span that
 * continues the caller's `traceparent` and is active while the handler runs.
 */
export class RpcTelemetry {
  readonly #requests: Counter<"service" | "method" | "code">;
  readonly #duration: Histogram<"service" | "method">;

  constructor(metrics: Metrics) {
    this.#requests = metrics.counter("hyrelog_rpc_server_requests_total", "RPCs handled, by service, method and result code.", ["service", "method", "code"]);
    this.#duration = metrics.histogram("hyrelog_rpc_server_duration_seconds", "Time to handle an RPC.", ["service", "method"]);
  }

  async run<T>(service: string, method: string, header: Headers | undefined, fn: () => Promise<T>): Promise<T> {
    const started = performance.now();
    const active = context.active();
    const parent = header?.has("traceparent") ? propagation.extract(active, header, headersGetter) : active;
    // Health probes every few seconds would drown the traces; they are counted, not traced.
    const span = tracingEnabled() && service !== HEALTH ? startSpan(`${service}/${method}`, SpanKind.SERVER, parent, { "rpc.system": "grpc", "rpc.service": service, "rpc.method": method }) : null;
    let code: Code | null = null;
    try {
      return await context.with(span?.context ?? parent, fn);
    } catch (err) {
      code = ConnectError.from(err).code;
      throw err;
    } finally {
      const seconds = (performance.now() - started) / 1000;
      this.#requests.inc({ service, method, code: codeLabel(code) });
      this.#duration.observe({ service, method }, seconds);
      if (span) endSpan(span.span, code !== null && SERVER_ERRORS.has(code) ? codeLabel(code) : undefined, { "rpc.grpc.status_code": code ?? 0 });
    }
  }
}
