import { createHash } from "node:crypto";
import { invalidArgument } from "./errors.ts";

/**
 * The one page cursor of every list (events, a target's history, keys, jobs, exports): opaque,
 * the last id returned (a UUID; lists are newest first by id) plus a digest of the filters it
 * belongs to, so a cursor cannot be replayed against a different query. `filterKey` is any string
 * that differs when the filters differ.
 */
export function encodeCursor(lastId: string, filterKey: string): string {
  return Buffer.from(JSON.stringify({ v: 1, after: lastId, f: digest(filterKey) })).toString("base64url");
}

export function decodeCursor(cursor: string, filterKey: string): string | null {
  if (!cursor) return null;
  let parsed: { v?: number; after?: string; f?: string } | null;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw invalidArgument("invalid cursor", [{ field: "cursor", description: "is not a cursor this API returned; start without one" }]);
  }
  // Any JSON decodes (null, a number, an array): only an object of ours is a cursor.
  if (typeof parsed !== "object" || parsed === null || parsed.v !== 1 || typeof parsed.after !== "string" || !/^[0-9a-f-]{36}$/.test(parsed.after)) {
    throw invalidArgument("invalid cursor", [{ field: "cursor", description: "is not a cursor this API returned; start without one" }]);
  }
  if (parsed.f !== digest(filterKey)) {
    throw invalidArgument("cursor does not match the filters", [
      { field: "cursor", description: "was issued for different filters; repeat the original filters or start without a cursor" },
    ]);
  }
  return parsed.after;
}

function digest(s: string): string {
  return createHash("sha256").update(s).digest("base64url").slice(0, 16);
}

/** A page size as the contracts take it: 0 means `fallback`; more than `max` is INVALID_ARGUMENT. */
export function pageLimit(limit: number, max = 100, fallback = 50): number {
  if (limit === 0) return fallback;
  // Negative: an int32 field of an RPC caller (REST's schema refuses it first).
  if (limit < 0 || limit > max) throw invalidArgument("invalid limit", [{ field: "limit", description: `must be a whole number from 1 to ${max}` }]);
  return limit;
}
