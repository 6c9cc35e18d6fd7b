import { createHash } from "node:crypto";
import { canonicalJson } from "./canonical-json.ts";

/** prevHash of the first event of every log. */
export const GENESIS_HASH = "0".repeat(64);

/** Version of the hashed document of events with personal data in the clear (docs/verification.md); v2 is PERSONAL_CHAIN_VERSION. */
export const CHAIN_VERSION = 1;

export interface ChainedEventFields {
  /** The hash-document version: 1 (absent) or 2, whose personal values are committed to in `personal`. */
  v?: number;
  id: string;
  companyId: string;
  workspaceId: string | null;
  projectId: string | null;
  sequence: number;
  prevHash: string;
  occurredAt: string;
  receivedAt: string;
  category: string;
  action: string;
  actor: { id: string | null; type: string | null; email: string | null; name: string | null };
  target: { id: string | null; type: string | null; name: string | null };
  changes: Array<{ field: string; old?: unknown; new?: unknown }>;
  metadata: Record<string, unknown>;
  context: { ip: string | null; userAgent: string | null; traceId: string | null; requestId: string | null };
  /** Version 2: JSON pointer → commitment of each personal value (each is null in place). */
  personal?: Record<string, string>;
  /** The sender's payload object; absent (not null) when the event has none, and then not in the document. */
  payload?: Record<string, unknown>;
}

/** The exact document whose SHA-256 is an event's hash (docs/verification.md). */
export function chainDocument(e: ChainedEventFields): Record<string, unknown> {
  const v = e.v ?? CHAIN_VERSION;
  return {
    v,
    id: e.id,
    companyId: e.companyId,
    workspaceId: e.workspaceId,
    projectId: e.projectId,
    sequence: e.sequence,
    prevHash: e.prevHash,
    occurredAt: e.occurredAt,
    receivedAt: e.receivedAt,
    category: e.category,
    action: e.action,
    actor: e.actor,
    target: e.target,
    changes: e.changes,
    metadata: e.metadata,
    context: e.context,
    // Only events sent with a payload have the field: every other event hashes as before it existed.
    ...(e.payload !== undefined ? { payload: e.payload } : {}),
    ...(v >= 2 ? { personal: e.personal ?? {} } : {}),
  };
}

/** Lowercase hex SHA-256 of the canonical JSON of the event's chain document. */
export function eventHash(e: ChainedEventFields): string {
  return createHash("sha256").update(canonicalChainDocument(e), "utf8").digest("hex");
}

/**
 * `canonicalJson(chainDocument(e))`, written straight out in the fixed, already sorted key order
 * of the document's known shape (the hash runs for every stored and every verified event). Any
 * object that does not have exactly the known shape goes through the general canonicalJson, so
 * the result is always the same string.
 */
export function canonicalChainDocument(e: ChainedEventFields): string {
  const actor = known(e.actor, ACTOR_KEYS);
  const target = known(e.target, TARGET_KEYS);
  const context = known(e.context, CONTEXT_KEYS);
  if (actor === null || target === null || context === null || !Array.isArray(e.changes)) return canonicalJson(chainDocument(e));
  let changes = "[";
  for (let i = 0; i < e.changes.length; i++) {
    const c = known(e.changes[i], CHANGE_KEYS);
    if (c === null) return canonicalJson(chainDocument(e));
    changes += (i ? "," : "") + c;
  }
  changes += "]";
  const v = e.v ?? CHAIN_VERSION;
  const envelope: Array<[string, string | undefined]> = [
    ["action", value(e.action)],
    ["actor", actor],
    ["category", value(e.category)],
    ["changes", changes],
    ["companyId", value(e.companyId)],
    ["context", context],
    ["id", value(e.id)],
    ["metadata", value(e.metadata)],
    ["occurredAt", value(e.occurredAt)],
    ["payload", value(e.payload)],
    ["personal", v >= 2 ? canonicalJson(e.personal ?? {}) : undefined],
    ["prevHash", value(e.prevHash)],
    ["projectId", value(e.projectId)],
    ["receivedAt", value(e.receivedAt)],
    ["sequence", value(e.sequence)],
    ["target", target],
    ["v", value(v)],
    ["workspaceId", value(e.workspaceId)],
  ];
  let out = "{";
  for (const [key, json] of envelope) {
    if (json === undefined) continue;
    out += (out.length > 1 ? "," : "") + `"${key}":` + json;
  }
  return out + "}";
}

// Sorted by UTF-16 code units, as RFC 8785 orders them.
const ACTOR_KEYS = ["email", "id", "name", "type"];
const TARGET_KEYS = ["id", "name", "type"];
const CONTEXT_KEYS = ["ip", "requestId", "traceId", "userAgent"];
const CHANGE_KEYS = ["field", "new", "old"];

const value = (v: unknown): string | undefined => (v === undefined ? undefined : canonicalJson(v));

/** The canonical JSON of a plain object whose keys are all in `keys` (sorted), else null. */
function known(obj: unknown, keys: readonly string[]): string | null {
  if (obj === null || typeof obj !== "object" || Array.isArray(obj)) return null;
  const record = obj as Record<string, unknown>;
  for (const k of Object.keys(record)) if (!keys.includes(k)) return null;
  let out = "{";
  for (const k of keys) {
    const v = record[k];
    if (v === undefined) continue;
    out += (out.length > 1 ? "," : "") + `"${k}":` + canonicalJson(v);
  }
  return out + "}";
}

export type ChainFault = { sequence: number; kind: "hash_mismatch" | "broken_link" | "gap" };

/** Checks a run of consecutive events of one log; returns the first fault, or null. */
export function verifyChain(events: ChainedEventFields[], hashes: string[], expectedPrev?: string): ChainFault | null {
  let prev = expectedPrev;
  let expectedSeq = events[0]?.sequence;
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    if (e.sequence !== expectedSeq) return { sequence: expectedSeq!, kind: "gap" };
    if (prev !== undefined && e.prevHash !== prev) return { sequence: e.sequence, kind: "broken_link" };
    if (eventHash(e) !== hashes[i]) return { sequence: e.sequence, kind: "hash_mismatch" };
    prev = hashes[i];
    expectedSeq = e.sequence + 1;
  }
  return null;
}
