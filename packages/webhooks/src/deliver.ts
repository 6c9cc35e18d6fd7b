/**
 * One HTTP delivery attempt of a webhook: POST the body, report what happened, never throw.
 *
 * Security properties:
 * - The URL passes {@link validateWebhookUrl} first (scheme, credentials, IP literals, localhost).
 * - The connection's DNS lookup is our own: it resolves the host and refuses to connect when any
 *   address is not allowed ({@link resolveAndCheck}), so a name that was public at registration but
 *   now points inside the network (DNS rebinding) is caught at connection time. The socket connects
 *   only to the addresses that lookup returned.
 * - Redirects are never followed: a 3xx is a failed attempt with its status.
 * - One deadline (`timeoutMs`, default 15 s) covers DNS, connect, TLS, sending and the response.
 * - At most 64 KiB of the response body is read, then discarded.
 * - Every attempt uses a fresh connection (no keep-alive pool), so every attempt is checked.
 */
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { LookupFunction } from "node:net";
import { resolveAndCheck, validateWebhookUrl, WebhookUrlError, type AddressPolicyOptions, type HostResolver } from "./ssrf.ts";

export const DEFAULT_DELIVERY_TIMEOUT_MS = 15_000;
const MAX_RESPONSE_BYTES = 64 * 1024;
const USER_AGENT = "HyreLog-Webhooks/1";

export interface DeliverOnceOptions extends AddressPolicyOptions {
  url: string | URL;
  /** Request headers, normally the signature headers plus content type. Names are case-insensitive. */
  headers: Readonly<Record<string, string>>;
  /** The request body, exactly as signed. */
  body: string;
  /** Deadline for the whole attempt; default 15 000 ms. */
  timeoutMs?: number;
  /** DNS resolution used at connection time; default the system resolver. Tests inject fakes. */
  lookup?: HostResolver;
  /** Aborts the attempt early (e.g. on shutdown); reported like a timeout, as an error. */
  signal?: AbortSignal;
}

export interface DeliveryResult {
  /** True for a 2xx response. */
  ok: boolean;
  /** The HTTP status, or null when no response arrived (refused, network error, timeout). */
  status: number | null;
  /** Milliseconds from the start of the attempt to the end of the response (or the failure). */
  latencyMs: number;
  /** Why the attempt failed without a response; absent whenever a response arrived. */
  error?: string;
  /**
   * True when the policy refused the URL or an address it resolved to: nothing was sent, and retrying
   * is pointless unless DNS changes. (A host that does not resolve at all is an ordinary error.)
   */
  blocked: boolean;
  /** From `Retry-After` (delta seconds or HTTP date) on a 429 or 503 response. */
  retryAfterSeconds?: number;
  /** True for 410 Gone: the receiver asks us to stop; the endpoint should be disabled. */
  gone: boolean;
}

/**
 * Performs one POST to a webhook endpoint. Never throws for a failed delivery — refusals, DNS and
 * network errors, timeouts are described in the result; only an invalid `timeoutMs` throws.
 */
export async function deliverOnce(options: DeliverOnceOptions): Promise<DeliveryResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_DELIVERY_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new RangeError("timeoutMs must be a positive number of milliseconds");
  const started = performance.now();
  const result = (fields: Partial<DeliveryResult>): DeliveryResult => ({
    ok: false,
    status: null,
    blocked: false,
    gone: false,
    ...fields,
    latencyMs: Math.round(performance.now() - started),
  });

  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  try {
    const url = validateWebhookUrl(options.url, options);
    const response = await post(url, options, signal);
    const status = response.status;
    const retryAfterSeconds = status === 429 || status === 503 ? parseRetryAfter(response.retryAfter) : undefined;
    return result({
      ok: status >= 200 && status < 300,
      status,
      gone: status === 410,
      ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
    });
  } catch (error) {
    if (timeout.aborted) return result({ error: `timed out after ${timeoutMs} ms` });
    if (signal.aborted) return result({ error: "aborted" });
    // A DNS failure is a transient network error (retry); every other WebhookUrlError is the policy refusing.
    const blocked = error instanceof WebhookUrlError && error.code !== "unresolvable";
    return result({ error: errorText(error), blocked });
  }
}

/**
 * Parses a `Retry-After` value: delta seconds ("7") or an HTTP date, as seconds from `now` (0 when
 * the date has passed). Returns undefined when the value is absent or unparseable.
 */
export function parseRetryAfter(value: string | undefined, now: Date = new Date()): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text);
  // HTTP dates always name a day or month ("Wed, 21 Oct 2015 07:28:00 GMT"); this keeps Date.parse's
  // leniency from reading things like "7.5" as dates.
  if (!/[A-Za-z]{3}/.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now.getTime()) / 1000));
}

interface ResponseSummary {
  status: number;
  retryAfter: string | undefined;
}

/** Sends the request and resolves once the response is over (ended, body cap reached, or cut off). */
function post(url: URL, options: DeliverOnceOptions, signal: AbortSignal): Promise<ResponseSummary> {
  const headers: Record<string, string> = { "content-type": "application/json", "user-agent": USER_AGENT };
  for (const [name, value] of Object.entries(options.headers)) headers[name.toLowerCase()] = value;
  headers["content-length"] = String(Buffer.byteLength(options.body, "utf8"));

  return new Promise<ResponseSummary>((resolve, reject) => {
    const request = url.protocol === "https:" ? httpsRequest : httpRequest;
    const req = request(url, {
      method: "POST",
      headers,
      agent: false,
      lookup: checkedLookup(options),
      signal,
    });
    let summary: ResponseSummary | undefined;
    // The verdict is the status; the body is read only so the receiver sees a clean exchange.
    // Whatever happens to the body afterwards (cap, reset, deadline) the status stands.
    req.on("error", (error) => (summary ? resolve(summary) : reject(error)));
    req.on("response", (res) => {
      summary = { status: res.statusCode ?? 0, retryAfter: res.headers["retry-after"] };
      const done = () => resolve(summary!);
      let received = 0;
      res.on("data", (chunk: Buffer) => {
        received += chunk.length;
        if (received >= MAX_RESPONSE_BYTES) {
          res.destroy();
          done();
        }
      });
      res.on("end", done);
      res.on("error", done);
      res.on("close", done);
    });
    req.end(options.body);
  });
}

/**
 * The socket's DNS lookup: resolves with the injected or system resolver and refuses when any
 * address is not allowed. Honours the `family` and `all` options net.connect passes.
 */
function checkedLookup(options: DeliverOnceOptions): LookupFunction {
  return (hostname, lookupOptions, callback) => {
    resolveAndCheck(hostname, { allowLoopback: options.allowLoopback, lookup: options.lookup }).then(
      (resolved) => {
        const family = lookupOptions.family === 4 || lookupOptions.family === 6 ? lookupOptions.family : 0;
        const addresses = family ? resolved.filter((a) => a.family === family) : resolved;
        const first = addresses[0];
        if (!first) {
          callback(Object.assign(new Error(`webhook host ${hostname} has no IPv${family} address`), { code: "ENOTFOUND" }), "");
        } else if (lookupOptions.all) {
          callback(null, addresses);
        } else {
          callback(null, first.address, first.family);
        }
      },
      (error: Error) => callback(error, ""),
    );
  };
}

function errorText(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return [...new Set(error.errors.map(errorText))].join("; ");
  if (error instanceof Error) return error.message || (error as NodeJS.ErrnoException).code || error.name;
  return String(error);
}
