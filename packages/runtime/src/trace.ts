import { SpanKind } from "@opentelemetry/api";
import { endSpan, extractContext, startSpan, type ActiveSpan } from "./tracing.ts";

/** The trace of one request at the edge (the gateway): W3C trace context, `00-<trace id>-<span id>-<flags>`. */
export interface TraceContext {
  traceId: string;
  spanId: string;
  /** This request's span as a `traceparent`: returned to the caller and sent on every internal call. */
  traceparent: string;
  /** Ends the request's span with the route pattern (never the raw path) and the status. */
  end(route: string, status: number): void;
}

/**
 * Continues the caller's trace when it sent a valid `traceparent` (W3C rules, through
 * OpenTelemetry's propagator), else starts one. The request gets a server span of its own: a
 * recorded one when an exporter is configured, else just fresh ids.
 */
export function continueTrace(traceparent: string | null | undefined, method = "HTTP"): TraceContext {
  const parent = extractContext(traceparent ? { traceparent: traceparent.trim().toLowerCase() } : undefined);
  const s: ActiveSpan = startSpan(method, SpanKind.SERVER, parent, { "http.request.method": method });
  return {
    traceId: s.traceId,
    spanId: s.spanId,
    traceparent: s.traceparent,
    end: (route, status) => {
      if (!s.span.isRecording()) return;
      s.span.updateName(`${method} ${route}`);
      endSpan(s.span, status >= 500 ? `HTTP ${status}` : undefined, { "http.route": route, "http.response.status_code": status });
    },
  };
}
