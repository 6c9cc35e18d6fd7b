/**
 * Webhook signatures.
 *
 * Every delivery carries two signature schemes:
 *
 * 1. **Standard Webhooks** (https://www.standardwebhooks.com, the scheme Svix uses), so receivers can
 *    verify with the `standardwebhooks` or `svix` npm libraries or any other implementation:
 *
 *        webhook-id:        <delivery id>
 *        webhook-timestamp: <unix seconds>
 *        webhook-signature: v1,<base64 HMAC-SHA256(key, "<id>.<timestamp>.<body>")> [v1,<...> ...]
 *
 *    The secret has the form `whsec_<base64>`; the HMAC key is the base64-decoded part after the
 *    prefix. During a secret rotation both the new and the old secret sign (one `v1,` entry each,
 *    separated by spaces), so receivers holding either secret keep verifying for the overlap.
 *
 * 2. **HyreLog compatibility headers**, the format of the original HyreLog webhooks, kept so existing
 *    receivers do not break:
 *
 *        x-hyrelog-timestamp: <unix seconds>                        (the same value as webhook-timestamp)
 *        x-hyrelog-signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>
 *
 *    Here the HMAC key is the whole secret string as UTF-8 (`whsec_` prefix included, no base64
 *    decoding), i.e. what a receiver gets from `createHmac("sha256", secret)` with the secret it was
 *    shown. Only the newest secret signs this header (it has room for one signature). New receivers
 *    should use the Standard Webhooks headers: they also bind the delivery id.
 */
import { createHmac, createSecretKey, randomBytes, timingSafeEqual, type KeyObject } from "node:crypto";

/** The prefix of every webhook secret. */
export const WEBHOOK_SECRET_PREFIX = "whsec_";

/** Standard Webhooks allows keys of 24 to 64 bytes; we generate 32. */
const MIN_KEY_BYTES = 24;
const MAX_KEY_BYTES = 64;
const SECRET_BYTES = 32;
/** Receivers reject deliveries whose timestamp is further than this from their clock (5 minutes). */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/**
 * Message ids are restricted to characters that are safe in a header and cannot contain the `.`
 * separator of the signed content (an id with a dot would make `<id>.<timestamp>.<body>` ambiguous).
 */
const ID_RE = /^[A-Za-z0-9_-]{1,255}$/;
const STRICT_BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * The headers of one signed delivery. All names are lower-case. (A type alias rather than an
 * interface so it is assignable to plain header records.)
 */
export type WebhookSignatureHeaders = {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
  "x-hyrelog-timestamp": string;
  "x-hyrelog-signature": string;
};

export interface SignPayloadInput {
  /** The delivery's message id; the same for every retry of one delivery (receivers de-duplicate on it). */
  id: string;
  /** Unix time in seconds of this attempt (re-signed on each retry so receivers' freshness checks pass). */
  timestamp: number;
  /** The exact request body that is sent. */
  body: string;
  /**
   * The endpoint's active secrets, **newest first**. Every secret adds one `v1,` signature; the first
   * one also signs the `x-hyrelog-signature` compatibility header. Duplicates are signed once.
   */
  secrets: readonly string[];
}

/** `whsec_<base64 of 32 random bytes>`: a new Standard Webhooks secret. */
export function generateWebhookSecret(): string {
  return WEBHOOK_SECRET_PREFIX + randomBytes(SECRET_BYTES).toString("base64");
}

/** True when `secret` is a well-formed `whsec_` secret (strict base64, 24–64 byte key). */
export function isWebhookSecret(secret: string): boolean {
  return decodeSecret(secret) !== null;
}

/** Signs one delivery attempt; returns the headers to send with `body`. Throws on invalid input. */
export function signPayload(input: SignPayloadInput): WebhookSignatureHeaders {
  const { id, timestamp, body, secrets } = input;
  if (!ID_RE.test(id)) throw new TypeError("webhook id must be 1-255 characters of [A-Za-z0-9_-]");
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new TypeError("webhook timestamp must be a non-negative integer (unix seconds)");
  if (secrets.length === 0) throw new TypeError("at least one webhook secret is required");

  const signatures = new Set<string>();
  for (const secret of secrets) signatures.add(`v1,${standardSignature(signingKeys(secret).standard, id, timestamp, body)}`);

  return {
    "webhook-id": id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": [...signatures].join(" "),
    "x-hyrelog-timestamp": String(timestamp),
    "x-hyrelog-signature": `v1=${compatSignature(signingKeys(secrets[0]!).compat, timestamp, body)}`,
  };
}

/** Why {@link verifyWebhook} rejected a delivery. */
export type WebhookVerifyFailure = "missing-headers" | "invalid-timestamp" | "timestamp-too-old" | "timestamp-too-new" | "no-matching-signature";

export type WebhookVerifyResult =
  | { ok: true; id: string; timestamp: number }
  | { ok: false; reason: WebhookVerifyFailure };

export interface VerifyWebhookOptions {
  /** Largest accepted difference between the delivery's timestamp and `now`, either way. Default 300 s. */
  toleranceSeconds?: number;
  /** The receiver's clock; default the current time. */
  now?: Date;
}

/** Request headers as Node (`IncomingHttpHeaders`), fetch (`Headers`) or a plain object give them. */
export type HeaderSource = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * Verifies a delivery's Standard Webhooks signature, as a receiver does (our own receiver tool and
 * tests; customers use any Standard Webhooks library). Accepts when one `v1,` entry matches one of
 * `secrets` (pass several during a rotation) and the timestamp is within the tolerance of `now`.
 * `body` must be the raw request body, byte for byte. Signatures are compared in constant time.
 * Throws only when a secret itself is malformed.
 */
export function verifyWebhook(
  headers: HeaderSource,
  body: string | Uint8Array,
  secrets: string | readonly string[],
  options: VerifyWebhookOptions = {},
): WebhookVerifyResult {
  const keys = (typeof secrets === "string" ? [secrets] : secrets).map(keyOf);
  const id = header(headers, "webhook-id");
  const timestampText = header(headers, "webhook-timestamp");
  const signatureList = header(headers, "webhook-signature");
  if (!id || !timestampText || !signatureList) return { ok: false, reason: "missing-headers" };

  if (!/^\d{1,15}$/.test(timestampText)) return { ok: false, reason: "invalid-timestamp" };
  const timestamp = Number(timestampText);
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (now - timestamp > tolerance) return { ok: false, reason: "timestamp-too-old" };
  if (timestamp - now > tolerance) return { ok: false, reason: "timestamp-too-new" };

  const candidates = signatureList
    .split(" ")
    .filter((entry) => entry.startsWith("v1,"))
    .map((entry) => Buffer.from(entry.slice(3), "utf8"));
  let matched = false;
  for (const key of keys) {
    const expected = Buffer.from(standardSignature(key, id, timestamp, body), "utf8");
    // Check every candidate without stopping early, so timing does not reveal which entry matched.
    for (const candidate of candidates) {
      if (candidate.length === expected.length && timingSafeEqual(candidate, expected)) matched = true;
    }
  }
  return matched ? { ok: true, id, timestamp } : { ok: false, reason: "no-matching-signature" };
}

/** base64 HMAC-SHA256 over `<id>.<timestamp>.<body>` (the part after `v1,`). */
function standardSignature(key: Buffer | KeyObject, id: string, timestamp: number, body: string | Uint8Array): string {
  return createHmac("sha256", key).update(`${id}.${timestamp}.`, "utf8").update(body).digest("base64");
}

/** hex HMAC-SHA256 over `<timestamp>.<body>`, keyed with the secret string itself (see the module comment). */
function compatSignature(secret: string | KeyObject, timestamp: number, body: string): string {
  return createHmac("sha256", secret).update(`${timestamp}.${body}`, "utf8").digest("hex");
}

/**
 * The HMAC keys of a secret, kept for the secrets signed with recently: createHmac with raw bytes
 * builds a key object on every call, which cost twice the HMAC of a typical delivery.
 */
const signingKeyCache = new Map<string, { standard: KeyObject; compat: KeyObject }>();

function signingKeys(secret: string): { standard: KeyObject; compat: KeyObject } {
  let keys = signingKeyCache.get(secret);
  if (!keys) {
    keys = { standard: createSecretKey(keyOf(secret)), compat: createSecretKey(Buffer.from(secret, "utf8")) };
    if (signingKeyCache.size >= 1000) signingKeyCache.clear();
    signingKeyCache.set(secret, keys);
  }
  return keys;
}

function keyOf(secret: string): Buffer {
  const key = decodeSecret(secret);
  if (!key) throw new TypeError(`webhook secrets must be "${WEBHOOK_SECRET_PREFIX}" + base64 of ${MIN_KEY_BYTES}-${MAX_KEY_BYTES} bytes`);
  return key;
}

function decodeSecret(secret: string): Buffer | null {
  if (!secret.startsWith(WEBHOOK_SECRET_PREFIX)) return null;
  const encoded = secret.slice(WEBHOOK_SECRET_PREFIX.length);
  if (!STRICT_BASE64_RE.test(encoded)) return null;
  const key = Buffer.from(encoded, "base64");
  return key.length >= MIN_KEY_BYTES && key.length <= MAX_KEY_BYTES ? key : null;
}

function header(headers: HeaderSource, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name) continue;
    return typeof value === "string" ? value : value?.[0];
  }
  return undefined;
}
