/**
 * W3C trace context in NATS message headers (OpenTelemetry's global propagator; the process
 * installs it). A publish carries the active trace, or the `traceparent` its caller names; a
 * consumer continues it, so one ingest request is one trace from the gateway to webhook delivery.
 */
import { context, isSpanContextValid, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Span } from "@opentelemetry/api";
import type { MsgHdrs } from "@nats-io/transport-node";

const getter = {
  get: (h: MsgHdrs | undefined, key: string) => (h?.has(key) ? h.get(key) : undefined),
  keys: (h: MsgHdrs | undefined) => (h ? h.keys() : []),
};
const setter = { set: (h: MsgHdrs, key: string, value: string) => h.set(key, value) };

/** The global tracer (a proxy: it follows the provider the process registers). */
const hyrelogTracer = trace.getTracer("hyrelog");
const tracer = () => hyrelogTracer;

/**
 * Whether spans are recorded (the process configured an exporter; runtime's setupTracing says so).
 * Without, a publish or a consumer only carries the context on: no span objects at all.
 */
let recording = false;
export function setSpanRecording(on: boolean): void {
  recording = on;
}

/** What a subject is about (`events`, `notifications`, `jobs`): span names without ids in them. */
function kindOf(subject: string): string {
  return subject.split(".")[2] ?? "message";
}

/** The trace context a message's headers carry (the root context when none). */
export function messageContext(headers: MsgHdrs | undefined): Context {
  return propagation.extract(ROOT_CONTEXT, headers, getter);
}

/** The trace id a message's headers carry, or null. */
export function messageTraceId(headers: MsgHdrs | undefined): string | null {
  const sc = trace.getSpanContext(messageContext(headers));
  return sc && isSpanContextValid(sc) ? sc.traceId : null;
}

/**
 * Publishes inside a producer span whose parent is the `traceparent` already in `headers`, else the
 * active context; the span's context goes into the headers. Without an exporter the tracer is a
 * no-op and the headers simply carry the parent's context on.
 */
export async function tracedPublish<T>(subject: string, headers: MsgHdrs, publish: () => Promise<T>): Promise<T> {
  const active = context.active();
  if (!recording) {
    if (!headers.has("traceparent")) propagation.inject(active, headers, setter);
    return publish();
  }
  let parent = active;
  if (headers.has("traceparent")) {
    const named = propagation.extract(ROOT_CONTEXT, headers, getter);
    // The active span is the better parent when it belongs to the trace the caller names (the real
    // span, not one rebuilt from a stored trace id).
    if (trace.getSpanContext(named)?.traceId !== trace.getSpanContext(active)?.traceId) parent = named;
  }
  const span = tracer().startSpan(`publish ${kindOf(subject)}`, { kind: SpanKind.PRODUCER, attributes: { "messaging.system": "nats", "messaging.operation.type": "send" } }, parent);
  propagation.inject(trace.setSpan(parent, span), headers, setter);
  try {
    return await publish();
  } catch (err) {
    fail(span, err);
    throw err;
  } finally {
    span.end();
  }
}

/** Runs a consumer's work on one message in a consumer span that continues the message's trace. */
export async function inMessageSpan<T>(name: string, headers: MsgHdrs | undefined, fn: () => Promise<T>): Promise<T> {
  const parent = messageContext(headers);
  if (!recording) return context.with(parent, fn);
  const span = tracer().startSpan(name, { kind: SpanKind.CONSUMER, attributes: { "messaging.system": "nats", "messaging.operation.type": "process" } }, parent);
  try {
    return await context.with(trace.setSpan(parent, span), fn);
  } catch (err) {
    fail(span, err);
    throw err;
  } finally {
    span.end();
  }
}

/**
 * Marks that a batch of messages was processed: one consumer span per message, under that message's
 * trace, started when it arrived and ended now. For consumers that write many messages at once.
 */
export function messagesProcessed(name: string, messages: Array<{ headers?: MsgHdrs; receivedAt: number }>, error?: unknown): void {
  if (!recording) return;
  for (const m of messages) {
    const parent = messageContext(m.headers);
    if (!trace.getSpanContext(parent)) continue;
    const span = tracer().startSpan(name, { kind: SpanKind.CONSUMER, startTime: m.receivedAt, attributes: { "messaging.system": "nats", "messaging.operation.type": "process", "messaging.batch.message_count": messages.length } }, parent);
    if (error !== undefined) fail(span, error);
    span.end();
  }
}

function fail(span: Span, err: unknown): void {
  span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.name : "error" });
}
