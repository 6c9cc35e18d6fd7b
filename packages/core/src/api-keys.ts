import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { isRegionCode, type RegionCode } from "./regions.ts";

export type KeyKind = "co" | "ws";

export interface ParsedApiKey {
  kind: KeyKind;
  /** The region hint the key carries, so the gateway can route without a lookup. */
  region: RegionCode;
}

const KEY_RE = /^hlk_(co|ws)_(us|eu|uk|au)_[A-Za-z0-9_-]{43}$/;

/** `hlk_<co|ws>_<region>_<43 chars: 32 random bytes, base64url>`. */
export function generateApiKey(kind: KeyKind, region: RegionCode): string {
  return `hlk_${kind}_${region}_${randomBytes(32).toString("base64url")}`;
}

export function parseApiKey(key: string): ParsedApiKey | null {
  const m = KEY_RE.exec(key);
  if (!m || !isRegionCode(m[2]!)) return null;
  return { kind: m[1] as KeyKind, region: m[2] };
}

/** The part shown in listings: enough to recognise a key, useless to an attacker. */
export function apiKeyPrefix(key: string): string {
  return key.slice(0, "hlk_ws_us_".length + 6);
}

/** Keys are stored only as HMAC-SHA256 under the server secret (hex). */
export function hashApiKey(key: string, secret: string): string {
  return createHmac("sha256", secret).update(key, "utf8").digest("hex");
}

/** Constant-time equality of two secrets of any length (compares their SHA-256 digests). */
export function constantTimeEqual(a: string, b: string): boolean {
  const x = createHash("sha256").update(a, "utf8").digest();
  const y = createHash("sha256").update(b, "utf8").digest();
  return timingSafeEqual(x, y);
}
