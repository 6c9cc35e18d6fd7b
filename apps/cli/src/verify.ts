/**
 * `hyrelog verify`: checks one log's events offline, from a file, against the hash chain of
 * docs/verification.md and, optionally, signed checkpoints of the log's Merkle tree. No network.
 *
 * The events file is streamed line by line. Per event only its sequence, line number, hash and
 * prevHash (32 bytes each) and a few flag bits are kept, in typed arrays: about 80 bytes per event.
 * Large files are split at line boundaries and hashed by worker threads (this same module), which
 * later also hash the aligned blocks of the Merkle tree; everything else runs on the main thread.
 */
import { once } from "node:events";
import { createReadStream } from "node:fs";
import { open, readFile, stat } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import { createGunzip } from "node:zlib";
import {
  ArchiveVerifier,
  type ArchiveReport,
  CHAIN_VERSION,
  CheckpointError,
  PERSONAL_CHAIN_VERSION,
  CompactRange,
  REGIONS,
  chainFieldsOf,
  checkpointOrigin,
  emptyRoot,
  eventHash,
  isRegionCode,
  nodeHash,
  parseVerifierKey,
  verifyCheckpoint,
  type ChainedEventFields,
  type CheckpointErrorCode,
  type EventJson,
  type RegionCode,
} from "@hyrelog/core";

export const VERIFY_USAGE = `usage: hyrelog verify --events <file> [--checkpoint <file>]... [--key <vkey>]... [--keys <file>]...
                      [--region us|eu|uk|au] [--json] [--threads <n>]
       hyrelog verify --archive <file.jsonl.gz> [--key <vkey>]... [--keys <file>]... [--json]

Checks one log's events offline: every event's hash, consecutive sequences, every prevHash link,
and each signed checkpoint (signature, origin, Merkle root of the events it covers).

  --archive <file>     an archive as the archival service wrote it (gzipped JSON lines): checks
                       its events, their chain and range, and the signed checkpoint it carries
  --events <file>      the events of one log, in any order: JSON lines, one event each in the
                       form GET /v1/events returns (what exports write), or saved GET /v1/events
                       pages ({"data":[...],...}), one per line or as whole JSON documents
  --checkpoint <file>  a signed checkpoint of the log: the C2SP signed note, or the API's JSON
                       (a checkpoint object with "signedNote", or a list {"data":[...]}); repeatable
  --key <vkey>         a trusted verifier key, <name>+<key id>+<base64 key>; repeatable
  --keys <file>        trusted verifier keys: one per line ('#' comments), or the JSON of
                       GET /v1/verification/keys saved when you pinned them; repeatable
  --region <region>    the log's region; a checkpoint's origin must be hyrelog.<region>/<log id>
                       (default: hyrelog.<any region>/<log id>)
  --json               print a JSON report instead of text
  --threads <n>        hashing threads (default: one per CPU for files over 16 MB; 1: no workers)

Exit status: 0 everything checked verifies, 1 verification failed, 2 usage or input error.`;

/** What to verify. Paths are read from disk; nothing else is accessed. */
export interface VerifyOptions {
  /** The events file. */
  events: string;
  /** Signed checkpoint files. */
  checkpoints?: readonly string[];
  /** Trusted verifier keys (`name+keyid+base64`). */
  keys?: readonly string[];
  /** Files of trusted verifier keys, one per line. */
  keyFiles?: readonly string[];
  /** The log's region; without it a checkpoint of this log in any region is accepted. */
  region?: string;
  /** Worker threads; default: one per CPU (at most 16) for files of 16 MB or more, else none. */
  threads?: number;
}

export type ProblemKind = "altered" | "missing" | "duplicate" | "broken link" | "reordered" | "root mismatch" | CheckpointErrorCode;

export interface Problem {
  kind: ProblemKind;
  /** The sequence the problem is at (for "missing": the first missing one). */
  sequence?: number;
  /** Line of the events file where that event is. */
  line?: number;
  /** The checkpoint file, for checkpoint problems. */
  checkpoint?: string;
  message: string;
}

export interface CheckpointResult {
  /** The checkpoint file; `file#n` for the n-th checkpoint of a JSON list. */
  file: string;
  /** verified: signature, origin and root; unchecked_root: signature and origin only; failed. */
  status: "verified" | "unchecked_root" | "failed";
  origin?: string;
  treeSize?: number;
  rootHash?: string;
  keyName?: string;
  /** For failed: the CheckpointError code, or "root mismatch". */
  error?: { code: ProblemKind; message: string };
  /** For unchecked_root: why the root was not recomputed. */
  reason?: string;
}

export interface VerifyReport {
  ok: boolean;
  /** 0 verified, 1 verification failed (usage and input errors throw {@link VerifyInputError}). */
  exitCode: 0 | 1;
  verdict: string;
  eventsFile: string;
  logId: string;
  companyId: string;
  workspaceId: string | null;
  events: number;
  firstSequence: number;
  lastSequence: number;
  /** Hashes, sequences and links all passed. */
  chainIntact: boolean;
  checkpoints: CheckpointResult[];
  /** Chain problems in sequence order, then checkpoint problems; at most MAX_LISTED_PROBLEMS. */
  problems: Problem[];
  /** Every problem counted by kind, including those not listed. */
  problemCounts: Partial<Record<ProblemKind, number>>;
  problemsNotListed: number;
  warnings: string[];
  notes: string[];
  /** Threads that read and hashed the events (1: in-process). */
  threads: number;
}

/** A usage or input error: unreadable file, bad JSON, not one log. Exit status 2. */
export class VerifyInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "VerifyInputError";
  }
}

/** Problems beyond this many are counted, not listed, so that memory stays bounded. */
export const MAX_LISTED_PROBLEMS = 10_000;
/** Files from this size on are hashed by worker threads (when there is more than one CPU). */
const PARALLEL_MIN_BYTES = 16 << 20;
/** Leaves per Merkle block hashed by one worker task: a perfect, aligned subtree. */
const MERKLE_BLOCK = 1 << 14;
const WORKER_FLAG = "hyrelogVerifyWorker";

const HEX64 = /^[0-9a-f]{64}$/;
/** Flag bits per event. */
const HASH_OK = 1; // the stored hash is the hash of the event's content
const HASH_HEX = 2; // the stored hash is 64 lowercase hex characters (and is in `hashes`)
const PREV_HEX = 4; // likewise for prevHash

/** The log of the first event of a range: every other event must be of the same log. */
interface Identity {
  companyId: string;
  workspaceId: string | null;
  line: number;
  sequence: number;
}

const logIdOf = (id: { companyId: string; workspaceId: string | null }): string => id.workspaceId ?? id.companyId;
const sameLog = (a: Identity, workspaceId: string | null, companyId: string): boolean =>
  workspaceId === a.workspaceId && (workspaceId !== null || companyId === a.companyId);

/** Why a line cannot be read; `other` when its event belongs to another log than the first one. */
class LineError extends Error {
  readonly line: number;
  readonly other: { logId: string; sequence: number } | undefined;
  constructor(line: number, message: string, other?: { logId: string; sequence: number }) {
    super(message);
    this.line = line;
    this.other = other;
  }
}

/** The events of one range of the file, in file order, as columns; line numbers are range-relative. */
interface Scan {
  size: number;
  /** Lines read (the whole range unless `error`). */
  lines: number;
  seq: Float64Array;
  line: Uint32Array;
  flags: Uint8Array;
  hashes: Uint8Array;
  prevs: Uint8Array;
  identity: Identity | null;
  error: { line: number; message: string; other?: { logId: string; sequence: number } } | null;
}

/** Collects events into growing columns, checking each event's hash on the way. */
class Collector {
  size = 0;
  seq = new Float64Array(1024);
  line = new Uint32Array(1024);
  flags = new Uint8Array(1024);
  hashes = Buffer.alloc(1024 * 32);
  prevs = Buffer.alloc(1024 * 32);
  identity: Identity | null = null;

  #grow(): void {
    const cap = this.seq.length * 2;
    const seq = new Float64Array(cap);
    seq.set(this.seq);
    const line = new Uint32Array(cap);
    line.set(this.line);
    const flags = new Uint8Array(cap);
    flags.set(this.flags);
    const hashes = Buffer.alloc(cap * 32);
    this.hashes.copy(hashes);
    const prevs = Buffer.alloc(cap * 32);
    this.prevs.copy(prevs);
    this.seq = seq;
    this.line = line;
    this.flags = flags;
    this.hashes = hashes;
    this.prevs = prevs;
  }

  /** A parsed JSON value: an event, a page {"data": [...]}, or an array of either. */
  addValue(value: unknown, line: number): void {
    if (Array.isArray(value)) {
      for (const v of value) this.addValue(v, line);
    } else if (value !== null && typeof value === "object" && !("sequence" in value) && Array.isArray((value as { data?: unknown }).data)) {
      for (const v of (value as { data: unknown[] }).data) this.addValue(v, line);
    } else {
      this.addEvent(value, line);
    }
  }

  addEvent(value: unknown, line: number): void {
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      throw new LineError(line, "not an event, a GET /v1/events page or an array of them");
    }
    const e = value as Record<string, unknown>;
    const { sequence, hash, prevHash, companyId, workspaceId } = e;
    const problem = shapeProblem(e);
    if (problem !== null) throw new LineError(line, `not an event in the form GET /v1/events returns: ${problem}`);
    const ws = workspaceId as string | null;
    const company = companyId as string;
    if (this.identity === null) this.identity = { companyId: company, workspaceId: ws, line, sequence: sequence as number };
    else if (!sameLog(this.identity, ws, company)) throw new LineError(line, "", { logId: ws ?? company, sequence: sequence as number });

    const i = this.size;
    if (i === this.seq.length) this.#grow();
    this.seq[i] = sequence as number;
    this.line[i] = line;
    let flags = 0;
    if (HEX64.test(hash as string)) {
      flags |= HASH_HEX;
      this.hashes.write(hash as string, i * 32, 32, "hex");
    }
    if (HEX64.test(prevHash as string)) {
      flags |= PREV_HEX;
      this.prevs.write(prevHash as string, i * 32, 32, "hex");
    }
    // eventHash hashes exactly the members of the chain document, so on the parsed public form it
    // is eventHash(chainFieldsOf(event)), without copying the event first.
    let computed: string | null = null;
    try {
      // Version 2: each personal value shown is committed to afresh (chainFieldsOf), so a value
      // that is not the logged one fails like any other altered field.
      const v2 = typeof e.v === "number" && e.v >= 2;
      computed = eventHash(v2 ? chainFieldsOf(e as unknown as EventJson) : (e as unknown as ChainedEventFields));
    } catch {
      // A value canonical JSON cannot encode: the event cannot have been hashed as stored.
    }
    if (computed === hash) flags |= HASH_OK;
    this.flags[i] = flags;
    this.size = i + 1;
  }

  finish(lines: number, error: unknown): Scan {
    if (error !== null && !(error instanceof LineError)) throw error;
    const n = this.size;
    return {
      size: n,
      lines,
      seq: this.seq.subarray(0, n),
      line: this.line.subarray(0, n),
      flags: this.flags.subarray(0, n),
      hashes: this.hashes.subarray(0, n * 32),
      prevs: this.prevs.subarray(0, n * 32),
      identity: this.identity,
      error: error === null ? null : { line: error.line, message: error.message, other: error.other },
    };
  }
}

/** What keeps a parsed value from being checked as an event, or null. */
function shapeProblem(e: Record<string, unknown>): string | null {
  const { sequence, workspaceId } = e;
  if (typeof sequence !== "number" || !Number.isSafeInteger(sequence) || sequence < 1) return '"sequence" is not a positive integer';
  if (typeof e.hash !== "string") return '"hash" is not a string';
  if (typeof e.prevHash !== "string") return '"prevHash" is not a string';
  if (typeof e.companyId !== "string") return '"companyId" is not a string';
  if (workspaceId !== null && typeof workspaceId !== "string") return '"workspaceId" is neither a string nor null';
  if (e.v !== undefined && e.v !== CHAIN_VERSION && e.v !== PERSONAL_CHAIN_VERSION) {
    return `chain document version ${JSON.stringify(e.v)} is not supported (this verifier knows v${CHAIN_VERSION} and v${PERSONAL_CHAIN_VERSION})`;
  }
  if (e.v === PERSONAL_CHAIN_VERSION && (typeof e.personal !== "object" || e.personal === null || Array.isArray(e.personal))) return '"personal" is not an object (version 2 events carry one)';
  return null;
}

function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return false;
  }
  return true;
}

/**
 * Reads the lines of bytes start..end-1 (which begin at a line start) as JSON lines. Returns null
 * when `allowDocuments` and the first non-blank line is not JSON: the file is then read as whole
 * JSON documents instead (see readDocuments).
 */
async function scanLines(file: string, start: number, end: number, allowDocuments: boolean): Promise<Scan | null> {
  const collector = new Collector();
  if (end <= start) return collector.finish(0, null);
  const input = createReadStream(file, { encoding: "utf8", start, end: end - 1, highWaterMark: 1 << 20 });
  const lines = createInterface({ input, crlfDelay: Infinity });
  let error: unknown = null;
  let streamError: Error | null = null;
  let documents = false;
  let lineNo = 0;
  let seenValue = false;
  const stop = (): void => {
    lines.close();
    input.destroy();
  };
  input.on("error", (err) => {
    streamError = err;
    lines.close();
  });
  lines.on("line", (text) => {
    if (error !== null || documents) return;
    lineNo++;
    if (lineNo === 1 && start === 0 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (isBlank(text)) return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      // Pretty-printed or concatenated JSON documents: not JSON lines.
      if (!seenValue && allowDocuments) documents = true;
      else error = new LineError(lineNo, `not valid JSON (${(err as Error).message})`);
      stop();
      return;
    }
    seenValue = true;
    try {
      collector.addValue(value, lineNo);
    } catch (err) {
      error = err;
      stop();
    }
  });
  await once(lines, "close");
  if (streamError !== null) throw new VerifyInputError(`cannot read ${file}: ${(streamError as Error).message}`);
  return documents ? null : collector.finish(lineNo, error);
}

/** The file as a sequence of JSON documents (pretty-printed, or concatenated like `curl >> file`). */
async function readDocuments(file: string): Promise<Scan> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    throw new VerifyInputError(`cannot read ${file}: ${(err as Error).message}`);
  }
  const collector = new Collector();
  let line = 1;
  let counted = 0; // `line` is the line of text[counted]
  const lineAt = (pos: number): number => {
    for (; counted < pos; counted++) if (text.charCodeAt(counted) === 0x0a) line++;
    return line;
  };
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  try {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
        i++;
        continue;
      }
      const start = i;
      if (c === 0x7b || c === 0x5b) {
        // The end of this object or array: depth counted outside strings.
        let depth = 0;
        let inString = false;
        for (; i < n; i++) {
          const ch = text.charCodeAt(i);
          if (inString) {
            if (ch === 0x5c) i++;
            else if (ch === 0x22) inString = false;
          } else if (ch === 0x22) inString = true;
          else if (ch === 0x7b || ch === 0x5b) depth++;
          else if ((ch === 0x7d || ch === 0x5d) && --depth === 0) {
            i++;
            break;
          }
        }
      } else {
        while (i < n && !/\s/.test(text[i]!)) i++;
      }
      const startLine = lineAt(start);
      let value: unknown;
      try {
        value = JSON.parse(text.slice(start, i));
      } catch (err) {
        const message = (err as Error).message;
        const at = /at position (\d+)/.exec(message);
        throw new LineError(at ? lineAt(start + Number(at[1])) : startLine, `not valid JSON (${message})`);
      }
      collector.addValue(value, startLine);
    }
  } catch (err) {
    return collector.finish(lineAt(n), err);
  }
  return collector.finish(lineAt(n), null);
}

/** Byte offsets that split the file into about `parts` ranges of whole lines: [0, ..., size]. */
async function lineBoundaries(file: string, size: number, parts: number): Promise<number[]> {
  const out = [0];
  const fh = await open(file, "r");
  try {
    const buf = Buffer.alloc(1 << 16);
    for (let i = 1; i < parts; i++) {
      let found = size;
      for (let p = Math.max(Math.floor((size * i) / parts), out.at(-1)!) - 1; p < size; ) {
        const { bytesRead } = await fh.read(buf, 0, buf.length, p);
        if (bytesRead === 0) break;
        const nl = buf.subarray(0, bytesRead).indexOf(0x0a);
        if (nl >= 0) {
          found = p + nl + 1;
          break;
        }
        p += bytesRead;
      }
      if (found > out.at(-1)! && found < size) out.push(found);
    }
  } finally {
    await fh.close();
  }
  out.push(size);
  return out;
}

/** Whether the first non-blank line of the file is a JSON value (else: whole JSON documents). */
async function startsWithJsonLine(file: string): Promise<boolean> {
  const input = createReadStream(file, { encoding: "utf8" });
  const lines = createInterface({ input, crlfDelay: Infinity });
  try {
    for await (let text of lines) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      if (isBlank(text)) continue;
      try {
        JSON.parse(text);
        return true;
      } catch {
        return false;
      }
    }
    return true;
  } finally {
    lines.close();
    input.destroy();
  }
}

/** The events of the whole file, in file order, with global line numbers. */
class EventTable {
  readonly size: number;
  readonly seq: Float64Array;
  readonly line: Uint32Array;
  readonly flags: Uint8Array;
  readonly hashes: Buffer;
  readonly prevs: Buffer;

  constructor(scans: readonly Scan[]) {
    const n = scans.reduce((sum, s) => sum + s.size, 0);
    if (scans.length === 1) {
      const s = scans[0]!;
      this.seq = s.seq;
      this.line = s.line;
      this.flags = s.flags;
      this.hashes = Buffer.from(s.hashes.buffer, s.hashes.byteOffset, s.hashes.length);
      this.prevs = Buffer.from(s.prevs.buffer, s.prevs.byteOffset, s.prevs.length);
    } else {
      this.seq = new Float64Array(n);
      this.line = new Uint32Array(n);
      this.flags = new Uint8Array(n);
      this.hashes = Buffer.alloc(n * 32);
      this.prevs = Buffer.alloc(n * 32);
      let at = 0;
      let lineOffset = 0;
      for (const s of scans) {
        this.seq.set(s.seq, at);
        this.flags.set(s.flags, at);
        this.hashes.set(s.hashes, at * 32);
        this.prevs.set(s.prevs, at * 32);
        for (let i = 0; i < s.size; i++) this.line[at + i] = s.line[i]! + lineOffset;
        at += s.size;
        lineOffset += s.lines;
      }
    }
    this.size = n;
  }

  /** Event indices sorted by sequence (file order among equal sequences). */
  order(): Uint32Array {
    const { size: n, seq } = this;
    let ascending = true;
    let descending = true;
    for (let i = 1; i < n && (ascending || descending); i++) {
      if (seq[i]! < seq[i - 1]!) ascending = false;
      else if (seq[i]! > seq[i - 1]!) descending = false;
    }
    const order = new Uint32Array(n);
    if (ascending) for (let i = 0; i < n; i++) order[i] = i;
    else if (descending) {
      // Newest first, as GET /v1/events lists: reverse, keeping file order among equal sequences.
      let k = 0;
      for (let end = n; end > 0; ) {
        let start = end - 1;
        while (start > 0 && seq[start - 1] === seq[end - 1]) start--;
        for (let i = start; i < end; i++) order[k++] = i;
        end = start;
      }
    } else {
      for (let i = 0; i < n; i++) order[i] = i;
      order.sort((a, b) => seq[a]! - seq[b]! || a - b);
    }
    return order;
  }

  /** Whether event a's stored hash is event b's stored prevHash. */
  linked(a: number, b: number): boolean {
    const { hashes, prevs } = this;
    for (let k = 0, x = a * 32, y = b * 32; k < 32; k++) if (hashes[x + k] !== prevs[y + k]) return false;
    return true;
  }
}

type WorkerRequest =
  | { type: "scan"; file: string; start: number; end: number }
  | { type: "merkle"; leaves: SharedArrayBuffer; from: number; to: number };

/** Worker threads running this module, one task at a time each. */
class WorkerPool {
  readonly workers: Worker[];

  constructor(n: number) {
    this.workers = Array.from({ length: n }, () => new Worker(new URL(import.meta.url), { workerData: { [WORKER_FLAG]: true } }));
  }

  run<T>(index: number, request: WorkerRequest): Promise<T> {
    const worker = this.workers[index]!;
    return new Promise<T>((resolve, reject) => {
      const done = (): void => {
        worker.off("message", onMessage);
        worker.off("error", onError);
        worker.off("exit", onExit);
      };
      const onMessage = (m: T): void => {
        done();
        resolve(m);
      };
      const onError = (err: Error): void => {
        done();
        reject(err);
      };
      const onExit = (code: number): void => {
        done();
        reject(new Error(`a verify worker thread exited with code ${code}`));
      };
      worker.on("message", onMessage);
      worker.on("error", onError);
      worker.on("exit", onExit);
      worker.postMessage(request);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** Roots of the Merkle blocks from..to-1 (block b: leaves b*MERKLE_BLOCK up to the next block). */
function blockRoots(leaves: Buffer, from: number, to: number): Uint8Array {
  const out = new Uint8Array((to - from) * 32);
  for (let b = from; b < to; b++) {
    const range = new CompactRange();
    for (let i = b * MERKLE_BLOCK, end = i + MERKLE_BLOCK; i < end; i++) range.append(leaves.subarray(i * 32, i * 32 + 32));
    out.set(range.root(), (b - from) * 32);
  }
  return out;
}

/**
 * The Merkle roots of the first `size` leaves, for each size asked. Aligned blocks of
 * MERKLE_BLOCK leaves are perfect subtrees: hashed in parallel when there are workers, then
 * combined into the compact range of the largest block-aligned prefix, which takes the rest of
 * the leaves one by one.
 */
async function merkleRoots(leaves: Buffer, sizes: readonly number[], pool: WorkerPool | null): Promise<Map<number, string>> {
  const roots = new Map<number, string>();
  if (sizes.length === 0) return roots;
  const blockCount = Math.floor(Math.max(...sizes) / MERKLE_BLOCK);
  let blocks: Buffer;
  if (pool !== null && blockCount >= 2) {
    const w = Math.min(pool.workers.length, blockCount);
    const parts = await Promise.all(
      Array.from({ length: w }, (_, i) =>
        pool.run<Uint8Array>(i, { type: "merkle", leaves: leaves.buffer as SharedArrayBuffer, from: Math.floor((blockCount * i) / w), to: Math.floor((blockCount * (i + 1)) / w) }),
      ),
    );
    blocks = Buffer.concat(parts);
  } else {
    blocks = Buffer.from(blockRoots(leaves, 0, blockCount));
  }
  // MTH of `count` (a power of two) blocks from block `first`.
  const subtree = (first: number, count: number): Buffer =>
    count === 1 ? blocks.subarray(first * 32, first * 32 + 32) : nodeHash(subtree(first, count / 2), subtree(first + count / 2, count / 2));
  for (const size of sizes) {
    if (size === 0) {
      roots.set(0, emptyRoot().toString("hex"));
      continue;
    }
    const full = Math.floor(size / MERKLE_BLOCK);
    const frontier: Buffer[] = [];
    let first = 0;
    for (let p = 2 ** Math.floor(Math.log2(Math.max(full, 1))); p >= 1; p /= 2) {
      if (full - first >= p) {
        frontier.push(subtree(first, p));
        first += p;
      }
    }
    const range = new CompactRange(full * MERKLE_BLOCK, frontier);
    for (let i = full * MERKLE_BLOCK; i < size; i++) range.append(leaves.subarray(i * 32, i * 32 + 32));
    roots.set(size, range.root().toString("hex"));
  }
  return roots;
}

/** Runs in a worker thread: serves scan and merkle requests. */
function serveWorker(): void {
  const port = parentPort!;
  port.on("message", (request: WorkerRequest) => {
    void (async () => {
      if (request.type === "scan") {
        const scan = (await scanLines(request.file, request.start, request.end, false))!;
        port.postMessage(scan, [scan.seq.buffer, scan.line.buffer, scan.flags.buffer, scan.hashes.buffer, scan.prevs.buffer] as ArrayBuffer[]);
      } else {
        const roots = blockRoots(Buffer.from(request.leaves), request.from, request.to);
        port.postMessage(roots, [roots.buffer as ArrayBuffer]);
      }
    })().catch((err: unknown) =>
      process.nextTick(() => {
        throw err;
      }),
    );
  });
}

if (!isMainThread && (workerData as Record<string, unknown> | null)?.[WORKER_FLAG] === true) serveWorker();

async function fileSize(file: string): Promise<number> {
  let s;
  try {
    s = await stat(file);
  } catch (err) {
    throw new VerifyInputError(`cannot read ${file}: ${(err as Error).message}`);
  }
  if (!s.isFile()) throw new VerifyInputError(`cannot read ${file}: not a file`);
  return s.size;
}

/** Reads the events file into an EventTable; throws VerifyInputError on malformed input or another log. */
async function readEvents(file: string, size: number, pool: WorkerPool | null): Promise<{ table: EventTable; identity: Identity; threads: number }> {
  let scans: Scan[] | null = null;
  if (pool !== null && (await startsWithJsonLine(file))) {
    const bounds = await lineBoundaries(file, size, pool.workers.length);
    if (bounds.length > 2) {
      scans = await Promise.all(bounds.slice(1).map((end, i) => pool.run<Scan>(i, { type: "scan", file, start: bounds[i]!, end })));
    }
  }
  scans ??= [(await scanLines(file, 0, size, true)) ?? (await readDocuments(file))];

  // The first problem in file order: a line error, or the first event of another log.
  let identity: Identity | null = null;
  let lineOffset = 0;
  for (const scan of scans) {
    const id = scan.identity;
    if (id !== null) {
      if (identity === null) identity = { ...id, line: id.line + lineOffset };
      else if (!sameLog(identity, id.workspaceId, id.companyId)) throw mixedLogs(file, id.line + lineOffset, { logId: logIdOf(id), sequence: id.sequence }, identity);
    }
    if (scan.error !== null) {
      const line = scan.error.line + lineOffset;
      if (scan.error.other) throw mixedLogs(file, line, scan.error.other, identity!);
      throw new VerifyInputError(`${file}:${line}: ${scan.error.message}`);
    }
    lineOffset += scan.lines;
  }
  if (identity === null) throw new VerifyInputError(`${file}: no events`);
  return { table: new EventTable(scans), identity, threads: scans.length };
}

function mixedLogs(file: string, line: number, other: { logId: string; sequence: number }, first: Identity): VerifyInputError {
  return new VerifyInputError(
    `${file}:${line}: the event with sequence ${other.sequence} belongs to log ${other.logId}, but the events from line ${first.line} on belong to log ${logIdOf(first)}; ` +
      "a file must hold one log (workspaceId, or companyId for events without a workspace): split it by log",
  );
}

/** A signed note to verify, and what to call it: the file, or file#n for the n-th of a list. */
interface NoteInput {
  label: string;
  note: Uint8Array;
}

/**
 * A checkpoint file: the signed note itself, or the API's JSON: a checkpoint object (its
 * `signedNote`), or a list of them (`{"data": [...]}` or an array).
 */
async function readCheckpoint(file: string): Promise<NoteInput[]> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw new VerifyInputError(`cannot read checkpoint ${file}: ${(err as Error).message}`);
  }
  if (bytes[0] === 0x7b || bytes[0] === 0x5b) {
    let json: unknown = undefined;
    try {
      json = JSON.parse(bytes.toString("utf8"));
    } catch {
      // Not JSON: verified as the note it claims to be.
    }
    const record = (v: unknown): Record<string, unknown> => (v !== null && typeof v === "object" ? (v as Record<string, unknown>) : {});
    const list = Array.isArray(json) ? json : Array.isArray(record(json).data) ? (record(json).data as unknown[]) : [record(json).checkpoint ?? json];
    const notes = list.map((v) => record(v).signedNote).filter((n): n is string => typeof n === "string");
    if (notes.length === 1) return [{ label: file, note: Buffer.from(notes[0]!, "utf8") }];
    if (notes.length > 1) return notes.map((n, i) => ({ label: `${file}#${i + 1}`, note: Buffer.from(n, "utf8") }));
  }
  return [{ label: file, note: bytes }];
}

async function readKeys(options: VerifyOptions): Promise<string[]> {
  const keys: string[] = [];
  const add = (vkey: string, where: string): void => {
    try {
      parseVerifierKey(vkey);
    } catch (err) {
      throw new VerifyInputError(`${where}: ${(err as Error).message}`);
    }
    keys.push(vkey);
  };
  for (const vkey of options.keys ?? []) add(vkey.trim(), "--key");
  for (const file of options.keyFiles ?? []) {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (err) {
      throw new VerifyInputError(`cannot read keys ${file}: ${(err as Error).message}`);
    }
    if (text.trimStart().startsWith("{")) {
      // The API's key list, {"keys": [{"verifierKey": ...}, ...]}, saved once and pinned.
      let list: unknown;
      try {
        list = (JSON.parse(text) as { keys?: unknown }).keys;
      } catch (err) {
        throw new VerifyInputError(`${file}: not valid JSON (${(err as Error).message})`);
      }
      if (!Array.isArray(list)) throw new VerifyInputError(`${file}: expected verifier keys, one per line, or {"keys": [{"verifierKey": ...}]}`);
      list.forEach((k: { verifierKey?: unknown } | null, i) => add(typeof k?.verifierKey === "string" ? k.verifierKey : "", `${file}: keys[${i}]`));
      continue;
    }
    text.split("\n").forEach((raw, i) => {
      const line = raw.trim();
      if (line !== "" && !line.startsWith("#")) add(line, `${file}:${i + 1}`);
    });
  }
  return keys;
}

/** The thread count for a file: `threads` if given, else one per CPU (at most 16) for large files. */
function threadCount(threads: number | undefined, size: number): number {
  if (threads !== undefined) return Math.max(1, Math.floor(threads));
  if (size < PARALLEL_MIN_BYTES) return 1;
  return Math.max(1, Math.min(availableParallelism(), 16, Math.ceil(size / (4 << 20))));
}

/** Verifies an events file (and checkpoints); throws {@link VerifyInputError} on usage or input errors. */
export async function verifyEventsFile(options: VerifyOptions): Promise<VerifyReport> {
  const checkpointFiles = options.checkpoints ?? [];
  if (options.region !== undefined && !isRegionCode(options.region)) {
    throw new VerifyInputError(`--region must be one of ${REGIONS.join(", ")}, got ${JSON.stringify(options.region)}`);
  }
  if (options.threads !== undefined && !(Number.isInteger(options.threads) && options.threads >= 1)) {
    throw new VerifyInputError(`--threads must be a positive integer, got ${options.threads}`);
  }
  const region = options.region as RegionCode | undefined;
  const keys = await readKeys(options);
  if (checkpointFiles.length > 0 && keys.length === 0) throw new VerifyInputError("a checkpoint needs the keys that may sign it: --key <vkey> or --keys <file>");
  const notes = (await Promise.all(checkpointFiles.map(readCheckpoint))).flat();
  const size = await fileSize(options.events);
  const threads = threadCount(options.threads, size);
  let pool = threads >= 2 ? new WorkerPool(threads) : null;
  try {
    let events;
    try {
      events = await readEvents(options.events, size, pool);
    } catch (err) {
      if (err instanceof VerifyInputError || pool === null) throw err;
      // The worker threads failed (for example, they could not load this module): read in-process.
      await pool.close();
      pool = null;
      events = await readEvents(options.events, size, null);
    }
    const report = await verifyTable(options.events, events.table, events.identity, notes, keys, region, pool);
    return { ...report, threads: events.threads };
  } finally {
    await pool?.close();
  }
}

async function verifyTable(
  eventsFile: string,
  t: EventTable,
  identity: Identity,
  notes: readonly NoteInput[],
  keys: readonly string[],
  region: RegionCode | undefined,
  pool: WorkerPool | null,
): Promise<Omit<VerifyReport, "threads">> {
  const n = t.size;
  const { seq, flags, line } = t;
  const logId = logIdOf(identity);

  const problems: Problem[] = [];
  const problemCounts: Partial<Record<ProblemKind, number>> = {};
  let problemsNotListed = 0;
  const problem = (p: Problem): void => {
    problemCounts[p.kind] = (problemCounts[p.kind] ?? 0) + 1;
    if (problems.length < MAX_LISTED_PROBLEMS) problems.push(p);
    else problemsNotListed++;
  };
  const warnings: string[] = [];
  const infos: string[] = [];

  // (4, first part) Signatures and origins, so that the pass over the events knows which roots to compute.
  const checkpoints: CheckpointResult[] = [];
  const checkpointProblems: Problem[] = [];
  let expectedOrigins: string[] = [];
  try {
    expectedOrigins = (region ? [region] : REGIONS).map((r) => checkpointOrigin(r, logId));
  } catch {
    // The log id is not a lowercase UUID: no checkpoint can be of this log.
  }
  notes.forEach(({ label: file, note }) => {
    const failed = (code: ProblemKind, message: string, fields: Partial<CheckpointResult> = {}): void => {
      checkpoints.push({ file, status: "failed", ...fields, error: { code, message } });
      checkpointProblems.push({ kind: code, checkpoint: file, message: `checkpoint ${file}: ${code}: ${message}` });
    };
    try {
      const cp = verifyCheckpoint(note, keys, region && expectedOrigins.length > 0 ? { origin: expectedOrigins[0]! } : {});
      const fields = { origin: cp.origin, treeSize: cp.treeSize, rootHash: cp.rootHash, keyName: cp.keyName };
      if (expectedOrigins.includes(cp.origin)) checkpoints.push({ file, status: "unchecked_root", ...fields });
      else {
        const expected = expectedOrigins.length === 0 ? `the log id ${logId} is not a lowercase UUID` : `expected hyrelog.${region ?? "<region>"}/${logId}`;
        failed("wrong_origin", `the checkpoint is of ${JSON.stringify(cp.origin)}, not of this log (${expected})`, fields);
      }
    } catch (err) {
      if (!(err instanceof CheckpointError)) throw err;
      failed(err.code, err.message);
    }
  });

  const order = t.order();
  const firstSequence = seq[order[0]!]!;
  const lastSequence = seq[order[n - 1]!]!;

  // Leaves of the Merkle tree (stored event hashes of sequences 1, 2, ...), up to the largest
  // tree size to check, collected while they are consecutive.
  const sizes = [...new Set(checkpoints.filter((c) => c.status === "unchecked_root").map((c) => c.treeSize!))].sort((a, b) => a - b);
  const wanted = firstSequence === 1 && sizes.length > 0 ? Math.min(sizes.at(-1)!, lastSequence) : 0;
  const leaves = Buffer.from(pool !== null ? new SharedArrayBuffer(wanted * 32) : new ArrayBuffer(wanted * 32));
  let leafCount = 0;
  let leavesStop: string | null = null; // why collecting stopped before `wanted`

  // Built when first needed: event index by the first 6 bytes of its hash, to tell "reordered" from "broken link".
  let byHash: Map<number, number> | null = null;
  const eventWithHashOfPrev = (i: number): number => {
    if (byHash === null) {
      byHash = new Map();
      for (let j = 0; j < n; j++) {
        const key = t.hashes.readUIntBE(j * 32, 6);
        if (flags[j]! & HASH_HEX && !byHash.has(key)) byHash.set(key, j);
      }
    }
    const j = byHash.get(t.prevs.readUIntBE(i * 32, 6));
    return j !== undefined && j !== i && t.linked(j, i) ? j : -1;
  };
  const at = (i: number): string => `sequence ${seq[i]} (line ${line[i]})`;

  // (1)-(3) One pass in sequence order; a run of equal sequences is one position of the chain.
  let prev = -1;
  let repeated = 0; // extra copies of identical events
  let firstRepeat: string | null = null;
  for (let k = 0; k < n; ) {
    const s = seq[order[k]!]!;
    let end = k + 1;
    while (end < n && seq[order[end]!] === s) end++;
    let cur = order[k]!;

    // (2) Sequences: consecutive from the first one.
    if (prev >= 0 && s !== seq[prev]! + 1) {
      const from = seq[prev]! + 1;
      problem({
        kind: "missing",
        sequence: from,
        message:
          from === s - 1
            ? `sequence ${from}: missing: it is not in the file (the events jump from ${from - 1} to ${s})`
            : `sequence ${from}: missing: sequences ${from}..${s - 1} (${s - from} events) are not in the file (the events jump from ${from - 1} to ${s})`,
      });
    }
    // The same event more than once (overlapping saved pages or exports): counted once.
    let copies = true;
    for (let j = k + 1; j < end && copies; j++) copies = (flags[order[j]!]! & flags[cur]! & HASH_OK) !== 0 && t.hashes.compare(t.hashes, cur * 32, cur * 32 + 32, order[j]! * 32, order[j]! * 32 + 32) === 0;
    if (end - k > 1 && copies) {
      repeated += end - k - 1;
      firstRepeat ??= `sequence ${s}, lines ${Array.from(order.subarray(k, end), (j) => line[j]).join(", ")}`;
    } else if (end - k > 1) {
      // Keep the copy that the next event links to (else one whose hash matches); report the rest.
      const next = end < n && seq[order[end]!] === s + 1 && flags[order[end]!]! & PREV_HEX ? order[end]! : -1;
      let chosen = -1;
      for (let j = k; j < end && chosen < 0; j++) if (next >= 0 && flags[order[j]!]! & HASH_HEX && t.linked(order[j]!, next)) chosen = order[j]!;
      for (let j = k; j < end && chosen < 0; j++) if (flags[order[j]!]! & HASH_OK) chosen = order[j]!;
      if (chosen >= 0) cur = chosen;
      const lines = Array.from(order.subarray(k, end), (j) => line[j]).join(", ");
      problem({
        kind: "duplicate",
        sequence: s,
        line: line[cur],
        message: `sequence ${s}: duplicate: ${end - k} events have this sequence (lines ${lines}): an event was inserted or copied`,
      });
    }

    // (1) The event's own hash.
    const f = flags[cur]!;
    if (!(f & HASH_OK)) {
      problem({
        kind: "altered",
        sequence: s,
        line: line[cur],
        message: f & HASH_HEX ? `${at(cur)}: altered: its hash does not match its content` : `${at(cur)}: altered: its hash is not 64 lowercase hex characters`,
      });
    }

    // (3) The link to the event before (not across a gap: that is already reported).
    if (prev < 0 && s !== 1) {
      infos.push(
        `the events start at sequence ${s}; its prevHash ${f & PREV_HEX ? t.prevs.toString("hex", cur * 32, cur * 32 + 32) : "(malformed)"} should be the hash of sequence ${s - 1}, ` +
          "which is not in the file, so that link was not checked: compare it with a hash you trust (every POST /v1/events response carries the new event's hash)",
      );
    } else if (prev < 0 || s === seq[prev]! + 1) {
      const genesis = prev < 0;
      let linked = false;
      if (!(f & PREV_HEX)) linked = false;
      else if (genesis) {
        linked = true;
        for (let b = cur * 32; b < cur * 32 + 32; b++) if (t.prevs[b] !== 0) linked = false;
      } else linked = (flags[prev]! & HASH_HEX) !== 0 && t.linked(prev, cur);
      if (!linked) {
        const other = f & PREV_HEX ? eventWithHashOfPrev(cur) : -1;
        const expected = genesis ? "the genesis value (64 zeros) that sequence 1 links to" : `the hash of sequence ${seq[prev]}`;
        if (other >= 0) {
          problem({
            kind: "reordered",
            sequence: s,
            line: line[cur],
            message: `${at(cur)}: reordered: its prevHash is the hash of sequence ${seq[other]} (line ${line[other]}), not ${expected}`,
          });
        } else {
          problem({
            kind: "broken link",
            sequence: s,
            line: line[cur],
            message: !(f & PREV_HEX)
              ? `${at(cur)}: broken link: its prevHash is not 64 lowercase hex characters`
              : genesis
                ? `${at(cur)}: broken link: its prevHash is not ${expected}`
                : `${at(cur)}: broken link: its prevHash is not ${expected} (that event was changed and its hash recomputed, or an event was inserted or removed here)`,
          });
        }
      }
    }

    // (4, leaves) Leaf s-1 of the tree is the stored hash of sequence s.
    if (leafCount < wanted && leavesStop === null) {
      if (s !== leafCount + 1) leavesStop = `sequence ${leafCount + 1} is missing`;
      else if (!(f & HASH_HEX)) leavesStop = `the hash of sequence ${s} is malformed`;
      else t.hashes.copy(leaves, leafCount++ * 32, cur * 32, cur * 32 + 32);
    }

    prev = cur;
    k = end;
  }
  const chainIntact = Object.keys(problemCounts).length === 0;
  const unique = n - repeated;
  if (repeated > 0) warnings.push(`${repeated} event(s) appear more than once with identical content (first: ${firstRepeat}); each is counted once`);

  // (4, roots) Each checkpoint's root against the root of the events it covers.
  const roots = await merkleRoots(leaves, sizes.filter((size) => size <= leafCount), pool);
  for (const c of checkpoints) {
    if (c.status !== "unchecked_root") continue;
    const size = c.treeSize!;
    const root = roots.get(size);
    if (root === undefined) {
      c.reason =
        firstSequence !== 1
          ? `the events start at sequence ${firstSequence}; a Merkle root covers sequences 1..${size}, so it cannot be recomputed from a partial range`
          : leavesStop !== null
            ? `cannot compute the root of sequences 1..${size}: ${leavesStop}`
            : `the checkpoint covers sequences 1..${size}, beyond the last event in the file (${lastSequence}); if this file should hold the whole log, sequences ${lastSequence + 1}..${size} are missing from it`;
      warnings.push(`checkpoint ${c.file} (tree size ${size}): signature and origin verified, root not checked: ${c.reason}`);
    } else if (root === c.rootHash) {
      c.status = "verified";
    } else {
      c.status = "failed";
      const message = `root mismatch at tree size ${size}: the Merkle root of sequences 1..${size} in the file is ${root}, the checkpoint signs ${c.rootHash}`;
      c.error = { code: "root mismatch", message };
      checkpointProblems.push({ kind: "root mismatch", checkpoint: c.file, message: `checkpoint ${c.file}: ${message}` });
    }
  }
  for (const p of checkpointProblems) problem(p);

  const verifiedSizes = checkpoints.filter((c) => c.status === "verified").map((c) => c.treeSize!);
  if (notes.length === 0) {
    infos.push("no checkpoint given: only the hash chain was verified; a chain alone does not show that the log was not rewritten from some point on (pass --checkpoint and --key)");
  } else if (verifiedSizes.length > 0 && lastSequence > Math.max(...verifiedSizes)) {
    const covered = Math.max(...verifiedSizes);
    infos.push(`sequences ${covered + 1}..${lastSequence} are newer than the largest verified checkpoint (tree size ${covered}): the hash chain alone vouches for them`);
  }

  const ok = problems.length === 0;
  let verdict: string;
  if (!ok) verdict = `FAILED: ${problems[0]!.message}`;
  else {
    const unchecked = checkpoints.filter((c) => c.status === "unchecked_root").map((c) => c.treeSize!);
    const parts = [`VERIFIED: ${unique} events (sequences ${firstSequence}..${lastSequence}) of log ${logId}; chain intact`];
    if (checkpoints.length === 0) parts.push("no checkpoint: only the hash chain was verified");
    if (verifiedSizes.length > 0) parts.push(`${verifiedSizes.length} checkpoint(s) verified (tree size ${verifiedSizes.join(", ")})`);
    if (unchecked.length > 0) parts.push(`${unchecked.length} checkpoint(s) with signature and origin verified, root not recomputed (tree size ${unchecked.join(", ")})`);
    verdict = parts.join("; ");
  }

  return {
    ok,
    exitCode: ok ? 0 : 1,
    verdict,
    eventsFile,
    logId,
    companyId: identity.companyId,
    workspaceId: identity.workspaceId,
    events: unique,
    firstSequence,
    lastSequence,
    chainIntact,
    checkpoints,
    problems,
    problemCounts,
    problemsNotListed,
    warnings,
    notes: infos,
  };
}

/** The human-readable report: a summary, each check, every listed problem, then the verdict. */
export function formatReport(report: VerifyReport): string[] {
  const out: string[] = [];
  const c = report.problemCounts;
  const count = (...kinds: ProblemKind[]) => kinds.reduce((sum, k) => sum + (c[k] ?? 0), 0);
  out.push(`log ${report.logId} (${report.workspaceId === null ? `company ${report.companyId}'s own log` : `workspace of company ${report.companyId}`}): ${report.events} events, sequences ${report.firstSequence}..${report.lastSequence}, from ${report.eventsFile}`);
  const altered = count("altered");
  out.push(altered ? `hashes:    FAILED, ${altered} event(s) altered` : `hashes:    ok, every event's hash matches its content`);
  const seqProblems = count("missing", "duplicate");
  out.push(
    seqProblems
      ? `sequences: FAILED, ${count("missing")} gap(s), ${count("duplicate")} duplicated sequence(s)`
      : `sequences: ok, consecutive from ${report.firstSequence} to ${report.lastSequence}`,
  );
  const links = count("broken link", "reordered");
  out.push(
    links
      ? `links:     FAILED, ${count("broken link")} broken, ${count("reordered")} reordered`
      : `links:     ok, every prevHash is the previous event's hash${
          report.firstSequence === 1 ? "; sequence 1 links to the genesis value" : `; the link of sequence ${report.firstSequence} to ${report.firstSequence - 1} is not in the file`
        }${count("missing") ? "; links across gaps cannot be checked" : ""}`,
  );
  for (const cp of report.checkpoints) {
    const what = cp.origin === undefined ? "" : `origin ${cp.origin}, tree size ${cp.treeSize}, signed by ${cp.keyName}`;
    if (cp.status === "verified") out.push(`checkpoint ${cp.file}: ok, ${what}; root matches sequences 1..${cp.treeSize}`);
    else if (cp.status === "unchecked_root") out.push(`checkpoint ${cp.file}: signature ok, ${what}; root NOT checked`);
    else out.push(`checkpoint ${cp.file}: FAILED, ${cp.error!.code}`);
  }
  const total = Object.values(c).reduce((a, b) => a + b, 0);
  if (total > 0) {
    out.push(`${total} problem(s):`);
    for (const p of report.problems) out.push(`  ${p.message}`);
    if (report.problemsNotListed > 0) out.push(`  ... and ${report.problemsNotListed} more, not listed (counts by kind: ${JSON.stringify(c)})`);
  }
  for (const w of report.warnings) out.push(`warning: ${w}`);
  for (const note of report.notes) out.push(`note: ${note}`);
  out.push(report.verdict);
  return out;
}

/** `hyrelog verify ...`: prints the report and returns the exit status (0, 1, or 2). */
export async function runVerify(argv: readonly string[], io: { out: (text: string) => void; err: (text: string) => void } = defaultIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        events: { type: "string" },
        archive: { type: "string" },
        checkpoint: { type: "string", multiple: true },
        key: { type: "string", multiple: true },
        keys: { type: "string", multiple: true },
        region: { type: "string" },
        json: { type: "boolean" },
        threads: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    io.err(`hyrelog verify: ${(err as Error).message}\n\n${VERIFY_USAGE}`);
    return 2;
  }
  if (values.help) {
    io.out(VERIFY_USAGE);
    return 0;
  }
  const json = values.json === true;
  try {
    if (values.archive !== undefined) {
      if (values.events !== undefined || values.checkpoint !== undefined) throw new VerifyInputError("--archive takes no --events or --checkpoint: the archive carries its checkpoint");
      const report = await verifyArchiveFile(values.archive, await readKeys({ events: "", keys: values.key, keyFiles: values.keys }));
      io.out(json ? JSON.stringify(report, null, 2) : formatArchiveReport(report).join("\n"));
      return report.ok ? 0 : 1;
    }
    if (values.events === undefined) throw new VerifyInputError("--events <file> (or --archive <file>) is required");
    const report = await verifyEventsFile({
      events: values.events,
      checkpoints: values.checkpoint,
      keys: values.key,
      keyFiles: values.keys,
      region: values.region,
      threads: values.threads === undefined ? undefined : /^[0-9]+$/.test(values.threads) ? Number(values.threads) : NaN,
    });
    io.out(json ? JSON.stringify(report, null, 2) : formatReport(report).join("\n"));
    return report.exitCode;
  } catch (err) {
    // Usage and input errors, and anything unexpected: exit status 2, never a verdict.
    const message = err instanceof VerifyInputError ? err.message : `internal error: ${(err as Error)?.stack ?? String(err)}`;
    if (json) io.out(JSON.stringify({ ok: false, exitCode: 2, error: message }, null, 2));
    else io.err(`hyrelog verify: ${message}${values.events === undefined ? `\n\n${VERIFY_USAGE}` : ""}`);
    return 2;
  }
}

/**
 * Checks an archive (gzipped JSON lines, docs/verification.md "Archives") offline: its header, every
 * event's hash and link, the range, and the last event's audit path in the carried checkpoint,
 * whose signature is checked against the trusted keys given (and only noted when none are).
 */
export async function verifyArchiveFile(file: string, trustedKeys: readonly string[]): Promise<ArchiveReport> {
  const verifier = new ArchiveVerifier({ trustedKeys });
  const input = createReadStream(file);
  await new Promise<void>((resolve, reject) => {
    input.once("open", () => resolve());
    input.once("error", reject);
  }).catch((err: Error) => {
    throw new VerifyInputError(`cannot read ${file}: ${err.message}`);
  });
  const gunzip = input.pipe(createGunzip());
  try {
    for await (const line of createInterface({ input: gunzip, crlfDelay: Infinity })) verifier.line(line);
  } catch (err) {
    throw new VerifyInputError(`${file} is not a gzip archive (${(err as Error).message})`);
  }
  return verifier.finish();
}

export function formatArchiveReport(report: ArchiveReport): string[] {
  const h = report.header;
  const what = h ? `archive of log ${h.logId}, events ${h.fromSequence}..${h.toSequence} (${h.day})` : "archive";
  const lines = [`${report.ok ? "OK" : "FAILED"}: ${what}: ${report.events} events checked`];
  if (h) {
    lines.push(
      report.signedBy
        ? `  checkpoint of ${h.checkpoint.treeSize} events signed by ${report.signedBy}; the last event is in it`
        : `  checkpoint of ${h.checkpoint.treeSize} events: signature NOT checked (pass --key or --keys with the region's verifier keys)`,
    );
  }
  for (const p of report.problems) lines.push(`  ${p.kind}${p.sequence !== undefined ? ` at event ${p.sequence}` : ""}${p.line !== undefined ? ` (line ${p.line})` : ""}: ${p.message}`);
  return lines;
}

const defaultIo = {
  out: (text: string) => void process.stdout.write(`${text}\n`),
  err: (text: string) => void process.stderr.write(`${text}\n`),
};
