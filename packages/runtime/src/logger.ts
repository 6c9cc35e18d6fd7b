import { isSpanContextValid, trace, context } from "@opentelemetry/api";
import pino, { type DestinationStream, type Logger as Pino } from "pino";

/**
 * Structured logs: one JSON object per line on stdout (pino), the shape log collectors expect:
 * `{"level":"info","time":"<ISO>","msg":…,"region":…,"service":…,"traceId":…,…}`.
 *
 * Nothing secret or personal is written, whatever a call site passes:
 * - fields named like credentials (authorization, cookie, secret, password, token, api key,
 *   private/signing key, signature, database URL) and like personal data (email, ip, user agent,
 *   actor, target, changes, metadata, payload, body, event(s)) are replaced by "[redacted]", at
 *   any depth (pino's own redaction covers the common paths, the scrub below any depth);
 * - API keys (`hlk_…`), webhook secrets (`whsec_…`), bearer tokens, e-mail addresses and
 *   credentials in URLs are cut out of every string, messages and error texts included.
 * The trace id (and span id) of the active OpenTelemetry span is added to every line.
 */
export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

export const REDACTED = "[redacted]";

const SECRET_KEY = /authorization|cookie|secret|password|passwd|passphrase|token|api_?key|private_?key|signing_?key|access_?key|credential|signature|database_?url/i;
const PERSONAL_KEY = /^(e-?mail|ip|ips|client_?ip|remote_?address|x-forwarded-for|x-real-ip|forwarded|user_?agent|user-agent|ip_?allowlist|actor|target|changes|metadata|payload|body|events?)$/i;

/** Value patterns, in the order applied. */
const SECRET_TEXT: Array<[RegExp, string]> = [
  [/\bhlk_[A-Za-z0-9_-]+/g, "hlk_[redacted]"],
  [/\bwhsec_[A-Za-z0-9+/=_-]+/g, "whsec_[redacted]"],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, "$1 [redacted]"],
  [/(\/\/)[^/\s:@]+:[^/\s@]+@/g, "$1[redacted]@"],
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, "[redacted email]"],
];
const MAYBE_SECRET = /hlk_|whsec_|bearer|basic|@/i;

function scrubText(s: string): string {
  if (!MAYBE_SECRET.test(s)) return s;
  for (const [re, replacement] of SECRET_TEXT) s = s.replace(re, replacement);
  return s;
}

/** A copy of `value` with secret and personal fields and texts removed (bounded depth and breadth). */
export function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return scrubText(value);
  if (value === null || typeof value !== "object") return value;
  if (depth > 6) return "[too deep]";
  if (value instanceof Error) {
    const err = value as Error & { code?: unknown; rawMessage?: unknown };
    const out: Record<string, unknown> = { type: err.name, message: scrubText(err.message) };
    if (err.code !== undefined) out.code = err.code;
    if (err.stack) out.stack = scrubText(err.stack);
    if (err.cause !== undefined) out.cause = scrub(err.cause, depth + 1);
    return out;
  }
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => scrub(v, depth + 1));
  if (value instanceof Headers) return scrub(Object.fromEntries(value), depth);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_KEY.test(k) || PERSONAL_KEY.test(k) ? REDACTED : scrub(v, depth + 1);
  }
  return out;
}

/** pino's path redaction for the usual places (the scrub covers the rest). */
const REDACT_PATHS = [
  "authorization",
  "headers.authorization",
  "headers.cookie",
  "headers['x-internal-token']",
  "req.headers.authorization",
  "req.headers.cookie",
  "*.authorization",
  "password",
  "*.password",
  "secret",
  "*.secret",
  "token",
  "*.token",
  "apiKey",
  "*.apiKey",
];

/** Loggers whose own fields name a trace already (a child made for one request or job). */
const tracedChildren = new WeakSet<object>();

function activeTrace(_fields: object, _level: number, logger: object): Record<string, string> {
  if (tracedChildren.has(logger)) return {};
  const sc = trace.getSpanContext(context.active());
  return sc && isSpanContextValid(sc) ? { traceId: sc.traceId, spanId: sc.spanId } : {};
}

/**
 * A logger at `level` with `base` fields on every line. `destination` defaults to stdout
 * (synchronous writes, like console.log); tests pass a stream to read what was written.
 */
export function createLogger(level: LogLevel, base: Record<string, unknown> = {}, destination?: DestinationStream): Logger {
  const root = pino(
    {
      level,
      base: scrub(base) as Record<string, unknown>,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: (fields) => scrub(fields) as Record<string, unknown>,
      },
      // Errors are serialised by the scrub (type, message, stack, code, cause; texts scrubbed).
      serializers: { err: (v: unknown) => v },
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      mixin: activeTrace,
    },
    destination ?? pino.destination({ dest: 1, sync: true }),
  );
  return wrap(root);
}

function wrap(p: Pino): Logger {
  const at = (lvl: "debug" | "info" | "warn" | "error") => (msg: string, fields?: Record<string, unknown>) => {
    if (!p.isLevelEnabled(lvl)) return;
    if (fields) p[lvl](fields, scrubText(msg));
    else p[lvl](scrubText(msg));
  };
  return {
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
    child: (fields) => {
      const child = p.child(scrub(fields) as Record<string, unknown>);
      if ("traceId" in fields || tracedChildren.has(p)) tracedChildren.add(child);
      return wrap(child);
    },
  };
}
