import { randomFillSync } from "node:crypto";
import {
  context,
  isSpanContextValid,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
  type Attributes,
  type Context,
  type Span,
  type TextMapGetter,
} from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler, TracerProvider } from "@opentelemetry/sdk-trace";
import { setSpanRecording } from "@hyrelog/bus";
import { TARGETS, type HyrelogConfig } from "@hyrelog/config";

/**
 * OpenTelemetry for a process. Context propagation (W3C `traceparent`, AsyncLocalStorage) is
 * always on, so a trace id flows from the gateway through Connect calls and NATS messages. Spans
 * are recorded and exported (OTLP over HTTP) only when an endpoint is configured; without one the
 * global tracer stays OpenTelemetry's no-op and costs nothing beyond carrying the context.
 */

const TRACER = "hyrelog";
let installed: { provider: TracerProvider | null } | undefined;
/** The global tracer (a proxy: it follows the provider registered later). */
const hyrelogTracer = trace.getTracer(TRACER);

/** Random ids from a pooled buffer: one crypto call per 512 ids, not one per id (ids are per request). */
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;
function randomHex(bytes: 8 | 16): string {
  if (poolOffset + bytes > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const hex = pool.toString("hex", poolOffset, poolOffset + bytes);
  poolOffset += bytes;
  return hex;
}

/**
 * Installs context propagation and, when `config.tracing.tracesEndpoint` is set, the exporting
 * tracer provider. Global and once per Node process: the first process's settings win (several
 * HyreLog processes share one Node process only in tests).
 */
export function setupTracing(config: Pick<HyrelogConfig, "tracing" | "targets" | "region">): { flush(): Promise<void> } {
  if (!installed) {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    let provider: TracerProvider | null = null;
    const { tracesEndpoint, headers, sampleRatio } = config.tracing;
    if (tracesEndpoint) {
      provider = new TracerProvider({
        resource: resourceFromAttributes({
          "service.name": serviceName(config.targets),
          "service.namespace": "hyrelog",
          "hyrelog.region": config.region,
          "hyrelog.targets": config.targets.join(","),
        }),
        sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(sampleRatio) }),
        spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: tracesEndpoint, headers }) })],
      });
      trace.setGlobalTracerProvider(provider);
    }
    installed = { provider };
    setSpanRecording(!!provider);
  }
  const provider = installed.provider;
  return { flush: async () => void (await provider?.forceFlush().catch(() => undefined)) };
}

/** `hyrelog-ingest` for one target, `hyrelog-keys+ingest` for a few, `hyrelog` for all of them. */
function serviceName(targets: readonly string[]): string {
  return targets.length === TARGETS.length ? "hyrelog" : `hyrelog-${targets.join("+")}`;
}

/** Whether spans are recorded (an exporter is configured), i.e. whether building span data is worth it. */
export function tracingEnabled(): boolean {
  return !!installed?.provider;
}

export function tracer() {
  return hyrelogTracer;
}

/** Reads W3C headers from fetch `Headers` (Connect) or a plain record. */
const headersGetter: TextMapGetter<Headers | Record<string, string | undefined>> = {
  get: (carrier, key) => (carrier instanceof Headers ? (carrier.get(key) ?? undefined) : carrier[key]),
  keys: (carrier) => (carrier instanceof Headers ? [...carrier.keys()] : Object.keys(carrier)),
};

/** The remote parent a request's headers name (`traceparent`), or the root context. */
export function extractContext(headers: Headers | Record<string, string | undefined> | undefined): Context {
  return headers ? propagation.extract(ROOT_CONTEXT, headers, headersGetter) : ROOT_CONTEXT;
}

/** A span that always has ids of its own (see startSpan). */
export interface ActiveSpan {
  span: Span;
  /** The context with this span active: run the work in it. */
  context: Context;
  traceId: string;
  spanId: string;
  traceparent: string;
}

/**
 * Starts a span under `parent`. With no exporter the tracer is the no-op one, whose spans would
 * merely repeat the parent's ids: the span then gets fresh ids of its own (a new trace id when
 * there is no parent), so trace ids and `traceparent` answers work either way.
 */
export function startSpan(name: string, kind: SpanKind, parent: Context, attributes?: Attributes): ActiveSpan {
  const parentSc = trace.getSpanContext(parent);
  const valid = !!parentSc && isSpanContextValid(parentSc);
  let span: Span | null = null;
  if (installed?.provider) {
    span = tracer().startSpan(name, { kind, attributes }, parent);
    const sc = span.spanContext();
    if (!isSpanContextValid(sc) || (valid && sc.spanId === parentSc.spanId)) span = null;
  }
  span ??= trace.wrapSpanContext({
    traceId: valid ? parentSc.traceId : randomHex(16),
    spanId: randomHex(8),
    traceFlags: valid ? parentSc.traceFlags : TraceFlags.SAMPLED,
  });
  const sc = span.spanContext();
  const traceparent = `00-${sc.traceId}-${sc.spanId}-${(sc.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED ? "01" : "00"}`;
  return { span, context: trace.setSpan(parent, span), traceId: sc.traceId, spanId: sc.spanId, traceparent };
}

/** Ends a span with an error status when `error` is given (the message only: no payloads). */
export function endSpan(span: Span, error?: unknown, attributes?: Attributes): void {
  if (!span.isRecording()) return;
  if (attributes) span.setAttributes(attributes);
  if (error !== undefined) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : String(error) });
  }
  span.end();
}

/**
 * Runs `fn` in a span whose parent is the remote context `traceId` names (an id stored with the
 * data, e.g. an event's `context.traceId`), so background work joins the trace of the request that
 * caused it. Without a valid id the span starts a trace of its own.
 */
export async function inStoredTrace<T>(name: string, traceId: string | null | undefined, attributes: Attributes, fn: () => Promise<T>): Promise<T> {
  const parent =
    traceId && /^[0-9a-f]{32}$/.test(traceId)
      ? trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId: randomHex(8), traceFlags: TraceFlags.SAMPLED, isRemote: true })
      : ROOT_CONTEXT;
  const s = startSpan(name, SpanKind.INTERNAL, parent, attributes);
  try {
    const out = await context.with(s.context, fn);
    endSpan(s.span);
    return out;
  } catch (err) {
    endSpan(s.span, err);
    throw err;
  }
}

export { context as otelContext, SpanKind };
