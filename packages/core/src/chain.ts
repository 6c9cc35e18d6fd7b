import { createHash } from "node:crypto";
import { canonicalJson } from "./canonical-json.ts";

/** prevHash of the first event of every log. */
export const GENESIS_HASH = "0".repeat(64);

/** Version of the hashed document; bump it (and document it) to change what is hashed. */
export const CHAIN_VERSION = 1;

export interface ChainedEventFields {
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
}

/** The exact document whose SHA-256 is an event's hash (docs/verification.md). */
export function chainDocument(e: ChainedEventFields): Record<string, unknown> {
  return {
    v: CHAIN_VERSION,
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
  };
}

/** Lowercase hex SHA-256 of the canonical JSON of the event's chain document. */
export function eventHash(e: ChainedEventFields): string {
  return createHash("sha256").update(canonicalJson(chainDocument(e)), "utf8").digest("hex");
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
