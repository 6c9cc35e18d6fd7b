/**
 * Archives (docs/verification.md, "Archives"): a contiguous range of one log's events as gzipped
 * JSON lines, written by the archival service and checked offline by `hyrelog verify --archive`.
 *
 * Line 1 is the header: which log and range, the prevHash the range starts from, and a signed
 * checkpoint with the audit path of the range's last event. Every other line is one event in its
 * stored, closed form: the hashed fields (version 2: personal values null in place, committed to
 * in `personal`), `hash`, the sealed personal values and the idempotency key. Nothing opened: once
 * a subject's key is destroyed, the archive holds nothing that recovers their values.
 *
 * Why that proves the range is exactly what was logged: each event's hash is recomputed from its
 * fields (which include prevHash), each prevHash must be the previous event's hash, and the last
 * hash is a leaf of the checkpoint's Merkle tree at position toSequence - 1. Changing, dropping,
 * adding or reordering any event changes the last hash or breaks a link.
 */
import { eventHash, type ChainedEventFields } from "./chain.ts";
import { CheckpointError, parseCheckpoint, parseSignedNote, verifyCheckpoint, verifyInclusion } from "@hyrelog/tlog";
import { checkpointOrigin } from "./origin.ts";
import type { SealedValues } from "./personal-data.ts";
import { isRegionCode, type RegionCode } from "./regions.ts";

export const ARCHIVE_FORMAT = 1;

export interface ArchiveHeader {
  hyrelogArchive: typeof ARCHIVE_FORMAT;
  region: RegionCode;
  companyId: string;
  workspaceId: string | null;
  logId: string;
  /** UTC day (YYYY-MM-DD) of the first event's receivedAt. */
  day: string;
  fromSequence: number;
  toSequence: number;
  rows: number;
  /** The hash the first event links to (its prevHash). */
  prevHash: string;
  /** A signed checkpoint of the log whose tree holds the last event. */
  checkpoint: { treeSize: number; rootHash: string; signedNote: string };
  /** Audit path of leaf toSequence - 1 (the last event's hash) in that checkpoint's tree. */
  inclusionProof: string[];
  createdAt: string;
}

/** One archived event: its stored form (closed), as hashed, plus what is kept beside the hash. */
export type ArchivedEvent = ChainedEventFields & {
  v: number;
  hash: string;
  sealed: SealedValues[];
  idempotencyKey: string | null;
};

/** The object key of an archive: archives/{companyId}/{YYYY}/{MM}/{DD}/{logId}-{from}-{to}.jsonl.gz. */
export function archiveObjectKey(h: Pick<ArchiveHeader, "companyId" | "logId" | "day" | "fromSequence" | "toSequence">): string {
  const [y, m, d] = h.day.split("-");
  return `archives/${h.companyId}/${y}/${m}/${d}/${h.logId}-${h.fromSequence}-${h.toSequence}.jsonl.gz`;
}

export type ArchiveProblemKind = "bad header" | "bad line" | "altered" | "missing" | "unexpected" | "broken link" | "wrong log" | "not in checkpoint" | "checkpoint";

export interface ArchiveProblem {
  kind: ArchiveProblemKind;
  /** Line of the (decompressed) file, from 1. */
  line?: number;
  sequence?: number;
  message: string;
}

export interface ArchiveReport {
  ok: boolean;
  header: ArchiveHeader | null;
  events: number;
  /** The checkpoint's signer when its signature was checked against trusted keys; null when no keys were given. */
  signedBy: string | null;
  problems: ArchiveProblem[];
}

const HEX64 = /^[0-9a-f]{64}$/;
const MAX_PROBLEMS = 1000;

/**
 * Checks an archive line by line (feed the decompressed lines in order, then `finish()`): memory
 * stays constant however long the archive is. `trustedKeys`: verifier keys (`name+id+base64`) the
 * checkpoint must be signed by; without any, the signature is not checked and the report says so.
 */
export class ArchiveVerifier {
  readonly #trustedKeys: readonly string[];
  readonly #problems: ArchiveProblem[] = [];
  #header: ArchiveHeader | null = null;
  #line = 0;
  #events = 0;
  #expected = 0;
  #prevHash = "";
  #lastHash: string | null = null;
  #signedBy: string | null = null;

  constructor(options: { trustedKeys?: readonly string[] } = {}) {
    this.#trustedKeys = options.trustedKeys ?? [];
  }

  line(text: string): void {
    this.#line++;
    if (text.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      this.#problem({ kind: this.#line === 1 ? "bad header" : "bad line", line: this.#line, message: "not JSON" });
      return;
    }
    if (this.#line === 1) this.#readHeader(value);
    else if (this.#header) this.#readEvent(value as ArchivedEvent);
  }

  finish(): ArchiveReport {
    const h = this.#header;
    if (!h) {
      if (!this.#problems.length) this.#problem({ kind: "bad header", message: "the archive is empty" });
    } else {
      if (this.#expected <= h.toSequence) {
        this.#problem({ kind: "missing", sequence: this.#expected, message: `events ${this.#expected}..${h.toSequence} are missing (the header says ${h.rows} rows)` });
      } else if (this.#lastHash !== null) {
        this.#checkInclusion(h, this.#lastHash);
      }
    }
    return { ok: this.#problems.length === 0, header: h, events: this.#events, signedBy: this.#signedBy, problems: this.#problems };
  }

  #problem(p: ArchiveProblem): void {
    if (this.#problems.length < MAX_PROBLEMS) this.#problems.push(p);
  }

  #readHeader(value: unknown): void {
    const h = value as ArchiveHeader;
    const why = headerProblem(h);
    if (why) {
      this.#problem({ kind: "bad header", line: 1, message: why });
      return;
    }
    this.#header = h;
    this.#expected = h.fromSequence;
    this.#prevHash = h.prevHash;
    // The checkpoint: signed by a trusted key (when given) for this log, and of a tree that holds the range.
    try {
      const origin = checkpointOrigin(h.region, h.logId);
      const body = this.#trustedKeys.length ? verifyCheckpoint(h.checkpoint.signedNote, this.#trustedKeys, { origin }) : { ...parseCheckpoint(parseSignedNote(h.checkpoint.signedNote).text), keyName: null };
      if (body.origin !== origin) throw new CheckpointError("wrong_origin", `the checkpoint is of ${JSON.stringify(body.origin)}, not ${JSON.stringify(origin)}`);
      if (body.treeSize !== h.checkpoint.treeSize || body.rootHash !== h.checkpoint.rootHash) {
        throw new CheckpointError("malformed_checkpoint", "the header's tree size or root hash differs from its signed checkpoint");
      }
      this.#signedBy = body.keyName;
    } catch (err) {
      this.#problem({ kind: "checkpoint", line: 1, message: err instanceof Error ? err.message : String(err) });
    }
  }

  #readEvent(e: ArchivedEvent): void {
    const h = this.#header!;
    this.#events++;
    if (typeof e !== "object" || e === null || !Number.isSafeInteger(e.sequence) || typeof e.hash !== "string") {
      this.#problem({ kind: "bad line", line: this.#line, message: "not an archived event (it needs sequence and hash)" });
      return;
    }
    if ((e.workspaceId ?? e.companyId) !== h.logId || e.companyId !== h.companyId) {
      this.#problem({ kind: "wrong log", line: this.#line, sequence: e.sequence, message: `the event is not of log ${h.logId}` });
    }
    if (e.sequence !== this.#expected) {
      const kind = e.sequence > this.#expected ? "missing" : "unexpected";
      const message = kind === "missing" ? `expected event ${this.#expected}, found ${e.sequence}` : `event ${e.sequence} is repeated or out of order (expected ${this.#expected})`;
      this.#problem({ kind: e.sequence > h.toSequence ? "unexpected" : kind, line: this.#line, sequence: e.sequence, message: e.sequence > h.toSequence ? `event ${e.sequence} is past the archive's range (to ${h.toSequence})` : message });
    }
    let computed: string | null = null;
    try {
      computed = eventHash(e);
    } catch {
      computed = null;
    }
    if (computed !== e.hash) {
      this.#problem({ kind: "altered", line: this.#line, sequence: e.sequence, message: `event ${e.sequence}'s fields do not hash to its hash` });
    }
    if (e.prevHash !== this.#prevHash) {
      this.#problem({ kind: "broken link", line: this.#line, sequence: e.sequence, message: `event ${e.sequence}'s prevHash is not the hash of the event before it` });
    }
    this.#prevHash = e.hash;
    this.#lastHash = e.hash;
    this.#expected = Math.max(this.#expected, e.sequence) + 1;
  }

  #checkInclusion(h: ArchiveHeader, lastHash: string): void {
    const ok = HEX64.test(lastHash) && verifyInclusion(Buffer.from(lastHash, "hex"), h.toSequence - 1, h.checkpoint.treeSize, h.inclusionProof, h.checkpoint.rootHash);
    if (!ok) {
      this.#problem({ kind: "not in checkpoint", sequence: h.toSequence, message: `the last event (${h.toSequence}) is not at its position in the checkpoint's tree of ${h.checkpoint.treeSize} events` });
    }
  }
}

function headerProblem(h: ArchiveHeader): string | null {
  if (typeof h !== "object" || h === null || h.hyrelogArchive !== ARCHIVE_FORMAT) return `the first line must be an archive header ({"hyrelogArchive": ${ARCHIVE_FORMAT}, ...})`;
  if (!isRegionCode(h.region)) return "region must be us, eu, uk or au";
  for (const f of ["companyId", "logId", "day", "prevHash", "createdAt"] as const) if (typeof h[f] !== "string") return `${f} must be a string`;
  if (!Number.isSafeInteger(h.fromSequence) || h.fromSequence < 1 || !Number.isSafeInteger(h.toSequence) || h.toSequence < h.fromSequence) return "fromSequence and toSequence must be a range of sequences";
  if (h.rows !== h.toSequence - h.fromSequence + 1) return "rows must be toSequence - fromSequence + 1";
  if (!HEX64.test(h.prevHash)) return "prevHash must be 64 hex digits";
  const c = h.checkpoint;
  if (typeof c !== "object" || c === null || !Number.isSafeInteger(c.treeSize) || c.treeSize < h.toSequence || typeof c.rootHash !== "string" || typeof c.signedNote !== "string") {
    return "checkpoint must have treeSize (at least toSequence), rootHash and signedNote";
  }
  if (!Array.isArray(h.inclusionProof) || h.inclusionProof.some((p) => typeof p !== "string" || !HEX64.test(p))) return "inclusionProof must be a list of 64-hex-digit hashes";
  return null;
}
