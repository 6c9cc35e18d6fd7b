import { createHash } from "node:crypto";
import type { Client } from "@connectrpc/connect";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { KeysService, type Principal } from "@hyrelog/proto";
import { parseApiKey, type RegionCode } from "@hyrelog/core";
import { ApiError, toApiError } from "./errors.ts";

export interface Authenticated {
  principal: Principal;
  region: RegionCode;
}

/**
 * Resolves `Authorization: Bearer hlk_...` to a principal through the key's region's keys service,
 * caching answers briefly. Revocation and rotation drop cache entries at once (NATS notice);
 * the TTL bounds staleness if a notice is lost, and never outlives a rotated key's grace period.
 */
export class Authenticator {
  readonly #cache = new Map<string, { auth: Authenticated; until: number }>();
  readonly #byKeyId = new Map<string, Set<string>>();
  readonly #ttlMs: number;
  readonly #keysClient: (region: RegionCode) => Client<typeof KeysService>;
  /** Bumped by every invalidation: an answer that raced with one is not cached. */
  #generation = 0;

  constructor(ttlMs: number, keysClient: (region: RegionCode) => Client<typeof KeysService>) {
    this.#ttlMs = ttlMs;
    this.#keysClient = keysClient;
  }

  async authenticate(authorization: string | undefined): Promise<Authenticated> {
    if (!authorization) {
      throw new ApiError(401, "unauthenticated", 'missing API key: send "Authorization: Bearer hlk_..."');
    }
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!m) throw new ApiError(401, "unauthenticated", 'malformed Authorization header: expected "Bearer hlk_..."');
    const key = m[1]!;
    const parsed = parseApiKey(key);
    if (!parsed) throw new ApiError(401, "unauthenticated", "malformed API key: expected hlk_co_... or hlk_ws_...");
    // Cache by a digest so plaintext keys are not held as map keys.
    const cacheKey = createHash("sha256").update(key).digest("base64url");
    const now = Date.now();
    const hit = this.#cache.get(cacheKey);
    if (hit && hit.until > now) return hit.auth;
    const generation = this.#generation;
    let res;
    try {
      res = await this.#keysClient(parsed.region).authenticate({ apiKey: key });
    } catch (err) {
      throw toApiError(err);
    }
    const auth: Authenticated = { principal: res.principal!, region: parsed.region };
    if (generation !== this.#generation) return auth;
    const until = Math.min(now + this.#ttlMs, res.expiresAt ? timestampDate(res.expiresAt).getTime() : Infinity);
    if (this.#cache.size > 100_000) this.#cache.clear();
    this.#cache.set(cacheKey, { auth, until });
    const ids = this.#byKeyId.get(auth.principal.keyId) ?? new Set();
    ids.add(cacheKey);
    this.#byKeyId.set(auth.principal.keyId, ids);
    return auth;
  }

  invalidate(keyId: string): void {
    this.#generation++;
    for (const cacheKey of this.#byKeyId.get(keyId) ?? []) this.#cache.delete(cacheKey);
    this.#byKeyId.delete(keyId);
  }
}
