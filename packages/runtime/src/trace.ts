import { randomBytes } from "node:crypto";

/** W3C trace context: `00-<32 hex trace id>-<16 hex parent id>-<flags>`. */
const TRACEPARENT_RE = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

export interface TraceContext {
  traceId: string;
  spanId: string;
  traceparent: string;
}

/** Continues the caller's trace when it sent a valid traceparent, else starts one. */
export function continueTrace(traceparent: string | null | undefined): TraceContext {
  const m = traceparent ? TRACEPARENT_RE.exec(traceparent.trim().toLowerCase()) : null;
  const traceId = m && !/^0+$/.test(m[1]!) ? m[1]! : randomBytes(16).toString("hex");
  const spanId = randomBytes(8).toString("hex");
  return { traceId, spanId, traceparent: `00-${traceId}-${spanId}-${m?.[3] ?? "01"}` };
}
