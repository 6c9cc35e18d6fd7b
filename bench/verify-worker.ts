/**
 * The `verify` phase of `pnpm bench`, in its own process (bench/run.ts starts it with
 * --expose-gc): how fast a verifier can check a log's chain and Merkle tree, against the rate of
 * plain SHA-256 over the same bytes on the same machine.
 *
 * Streams VERIFY_EVENTS valid chained events of one workspace log in chunks of VERIFY_CHUNK (as
 * GET /v1/events or an export gives them: EventJson, JSON-parsed; sizes as bench/events.ts
 * makes), and times, chunk by chunk (generation untimed):
 *   verify    for each event, in sequence order: sequence = previous + 1, prevHash = previous hash
 *             (GENESIS_HASH first), eventHash(chainFieldsOf(e)) === e.hash, CompactRange.append
 *             (e.hash); at the end CompactRange.root(), compared with merkleRoot() of all hashes
 *             (computed separately, untimed)
 *   sha256    createHash("sha256").update(s).digest() over each event's canonical JSON string s
 *             (the bytes eventHash hashes; the strings are made before timing)
 * and, on every 4th chunk, the parts of the verify loop on their own (what-ifs for the report).
 *
 * VERIFY_PROFILE=<file.cpuprofile>: instead, verify VERIFY_EVENTS events held in memory at once
 * under the V8 CPU profiler (node:inspector, sampling only the verify loop) and write the profile.
 * Prints one line `RESULT <json>` on stdout.
 */
import { createHash, hash, randomBytes, randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { canonicalJson, chainDocument, chainFieldsOf, CompactRange, eventHash, GENESIS_HASH, merkleRoot, uuidv7, type EventJson } from "./core.ts";
import { apiEvent, USER_AGENT } from "./events.ts";

const EVENTS = Number(process.env.VERIFY_EVENTS ?? 1_000_000);
const CHUNK = Number(process.env.VERIFY_CHUNK ?? 50_000);
const PROFILE = process.env.VERIFY_PROFILE?.trim();
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

const companyId = uuidv7();
const workspaceId = uuidv7();
const projectId = uuidv7();
const baseMs = Date.now() - 30 * 86_400_000;

const canonical = (e: EventJson) => canonicalJson(chainDocument(chainFieldsOf(e)));

/**
 * Events `first`..`first + count - 1` of the log, chained from `prevHash`, as a client parses them,
 * with the canonical JSON of each (hash = SHA-256 of it, which is eventHash's definition; the
 * verifier recomputes every hash with eventHash itself, so a disagreement would show as faults).
 */
function generate(first: number, count: number, prevHash: string): { events: EventJson[]; strings: string[] } {
  const out: EventJson[] = [];
  const strings: string[] = [];
  let prev = prevHash;
  for (let sequence = first; sequence < first + count; sequence++) {
    const api = apiEvent(sequence, projectId);
    const ms = baseMs + sequence * 2;
    // Same fields, same order as eventFromRow (packages/db) gives the API.
    const e: EventJson = {
      id: uuidv7(ms),
      companyId,
      workspaceId,
      projectId,
      sequence,
      prevHash: prev,
      hash: "",
      v: 1,
      occurredAt: new Date(ms - 150).toISOString(),
      receivedAt: new Date(ms).toISOString(),
      category: api.category,
      action: api.action,
      actor: api.actor,
      target: api.target,
      changes: api.changes,
      metadata: api.metadata,
      context: { ip: `10.${sequence % 256}.${(sequence >> 8) % 256}.7`, userAgent: USER_AGENT, traceId: randomBytes(16).toString("hex"), requestId: randomUUID() },
      idempotencyKey: null,
    };
    const text = canonical(e);
    e.hash = createHash("sha256").update(text, "utf8").digest("hex");
    prev = e.hash;
    out.push(e);
    strings.push(text);
  }
  return { events: JSON.parse(JSON.stringify(out)) as EventJson[], strings };
}

/** The verifier's state between chunks. */
class Verifier {
  expectedSequence = 1;
  prevHash = GENESIS_HASH;
  readonly range = new CompactRange();
  faults = 0;

  verify(events: readonly EventJson[]): void {
    for (const e of events) {
      if (e.sequence !== this.expectedSequence) this.faults++;
      if (e.prevHash !== this.prevHash) this.faults++;
      if (eventHash(chainFieldsOf(e)) !== e.hash) this.faults++;
      this.range.append(e.hash);
      this.prevHash = e.hash;
      this.expectedSequence = e.sequence + 1;
    }
  }
}

/** The same bytes as canonicalJson for JSON-shaped values: keys sorted once, then the native JSON.stringify. */
function sortedCopy(v: unknown): unknown {
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map(sortedCopy);
  const o = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o).sort()) out[k] = sortedCopy(o[k]);
  return out;
}
const stringifyCanonical = (e: EventJson) => JSON.stringify(sortedCopy(chainDocument(chainFieldsOf(e))));

/**
 * The same bytes again, knowing the chain document's shape (docs/verification.md): its keys and
 * those of actor, target and context written in sorted order, only changes and metadata sorted
 * at run time. A what-if for the report, checked against eventHash on every event it hashes.
 */
const schemaCanonical = (e: EventJson) =>
  JSON.stringify({
    action: e.action,
    actor: { email: e.actor.email, id: e.actor.id, name: e.actor.name, type: e.actor.type },
    category: e.category,
    changes: sortedCopy(e.changes),
    companyId: e.companyId,
    context: { ip: e.context.ip, requestId: e.context.requestId, traceId: e.context.traceId, userAgent: e.context.userAgent },
    id: e.id,
    metadata: sortedCopy(e.metadata),
    occurredAt: e.occurredAt,
    prevHash: e.prevHash,
    projectId: e.projectId,
    receivedAt: e.receivedAt,
    sequence: e.sequence,
    target: { id: e.target.id, name: e.target.name, type: e.target.type },
    v: 1,
    workspaceId: e.workspaceId,
  });

/**
 * CompactRange's algorithm with hashes kept as hex and hashed from preallocated buffers
 * (crypto.hash returning hex is ~4x cheaper than returning a new Buffer). A what-if; its root is
 * checked against CompactRange's.
 */
class FastRange {
  #size = 0;
  readonly #stack: string[] = [];
  readonly #leaf = Buffer.alloc(33, 0);
  readonly #node = Buffer.alloc(65, 1);

  #nodeHash(left: string, right: string): string {
    this.#node.write(left, 1, "hex");
    this.#node.write(right, 33, "hex");
    return hash("sha256", this.#node, "hex");
  }

  append(eventHashHex: string): void {
    this.#leaf.write(eventHashHex, 1, "hex");
    let h = hash("sha256", this.#leaf, "hex");
    for (let s = this.#size; s % 2 === 1; s = Math.floor(s / 2)) h = this.#nodeHash(this.#stack.pop()!, h);
    this.#stack.push(h);
    this.#size++;
  }

  root(): Buffer {
    let r = this.#stack.at(-1)!;
    for (let i = this.#stack.length - 2; i >= 0; i--) r = this.#nodeHash(this.#stack[i]!, r);
    return Buffer.from(r, "hex");
  }
}

function timed(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

let sink = 0;

async function profileRun(file: string): Promise<void> {
  const { events } = generate(1, EVENTS, GENESIS_HASH);
  gc();
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 200 });
  const v = new Verifier();
  await session.post("Profiler.start");
  const ms = timed(() => {
    v.verify(events);
    sink ^= v.range.root()[0]!;
  });
  const { profile } = await session.post("Profiler.stop");
  session.disconnect();
  writeFileSync(file, JSON.stringify(profile));
  if (v.faults) throw new Error(`the verifier found ${v.faults} faults in a valid log`);
  process.stdout.write(`RESULT ${JSON.stringify({ events: EVENTS, verifyMs: ms, eventsPerSec: (EVENTS / ms) * 1000, profile: file, sink })}\n`);
}

function measureRun(): void {
  const v = new Verifier();
  const hashes: string[] = [];
  const ms = { verify: 0, sha256: 0, generate: 0 };
  const whatIf = { events: 0, canonicalJson: 0, chainFieldsOf: 0, eventHash: 0, append: 0, fastAppend: 0, verifyStringify: 0, verifyBest: 0, mismatches: 0 };
  let canonicalBytes = 0;
  let prevHash = GENESIS_HASH;
  for (let first = 1, chunkNo = 0; first <= EVENTS; first += CHUNK, chunkNo++) {
    const count = Math.min(CHUNK, EVENTS - first + 1);
    const g0 = performance.now();
    const { events, strings } = generate(first, count, prevHash);
    prevHash = events.at(-1)!.hash;
    for (const e of events) hashes.push(e.hash);
    ms.generate += performance.now() - g0;
    for (const s of strings) canonicalBytes += Buffer.byteLength(s);
    gc();

    ms.verify += timed(() => v.verify(events));
    ms.sha256 += timed(() => {
      for (const s of strings) sink ^= createHash("sha256").update(s).digest()[0]!;
    });

    if (chunkNo % 4 === 0) {
      whatIf.events += count;
      whatIf.chainFieldsOf += timed(() => {
        for (const e of events) sink ^= chainFieldsOf(e).sequence;
      });
      whatIf.canonicalJson += timed(() => {
        for (const e of events) sink ^= canonical(e).length;
      });
      whatIf.eventHash += timed(() => {
        for (const e of events) sink ^= eventHash(chainFieldsOf(e)).charCodeAt(0);
      });
      const r = new CompactRange();
      whatIf.append += timed(() => {
        for (const e of events) r.append(e.hash);
      });
      const fast = new FastRange();
      whatIf.fastAppend += timed(() => {
        for (const e of events) fast.append(e.hash);
      });
      if (!fast.root().equals(r.root())) whatIf.mismatches++;
      // The whole verify loop, (1) with the canonical JSON made by sortedCopy + JSON.stringify,
      // (2) with schemaCanonical, crypto.hash to hex and FastRange: the best this design does on one thread.
      let prev = events[0]!.prevHash;
      let seq = events[0]!.sequence;
      const r2 = new CompactRange();
      whatIf.verifyStringify += timed(() => {
        for (const e of events) {
          if (e.sequence !== seq || e.prevHash !== prev) whatIf.mismatches++;
          if (createHash("sha256").update(stringifyCanonical(e), "utf8").digest("hex") !== e.hash) whatIf.mismatches++;
          r2.append(e.hash);
          prev = e.hash;
          seq = e.sequence + 1;
        }
      });
      prev = events[0]!.prevHash;
      seq = events[0]!.sequence;
      const r3 = new FastRange();
      whatIf.verifyBest += timed(() => {
        for (const e of events) {
          if (e.sequence !== seq || e.prevHash !== prev) whatIf.mismatches++;
          if (hash("sha256", schemaCanonical(e), "hex") !== e.hash) whatIf.mismatches++;
          r3.append(e.hash);
          prev = e.hash;
          seq = e.sequence + 1;
        }
      });
      if (!r3.root().equals(r.root()) || !r2.root().equals(r.root())) whatIf.mismatches++;
    }
  }
  let root: Buffer = Buffer.alloc(0);
  ms.verify += timed(() => {
    root = v.range.root();
  });
  const m0 = performance.now();
  const expected = merkleRoot(hashes);
  const merkleRootMs = performance.now() - m0;
  if (v.faults) throw new Error(`the verifier found ${v.faults} faults in a valid log`);
  if (!root.equals(expected)) throw new Error("CompactRange root differs from merkleRoot of the same hashes");
  if (whatIf.mismatches) throw new Error(`the what-if variants disagreed with eventHash/CompactRange ${whatIf.mismatches} times`);
  const rate = (n: number, t: number) => (t > 0 ? (n / t) * 1000 : null);
  const result = {
    events: EVENTS,
    chunk: CHUNK,
    avgCanonicalBytes: canonicalBytes / EVENTS,
    verifyMs: ms.verify,
    sha256Ms: ms.sha256,
    generateMs: ms.generate,
    merkleRootMs,
    verifyPerSec: rate(EVENTS, ms.verify),
    sha256PerSec: rate(EVENTS, ms.sha256),
    root: root.toString("hex"),
    whatIf: {
      events: whatIf.events,
      perEventUs: {
        chainFieldsOf: (whatIf.chainFieldsOf * 1000) / whatIf.events,
        canonicalJson: (whatIf.canonicalJson * 1000) / whatIf.events,
        eventHash: (whatIf.eventHash * 1000) / whatIf.events,
        compactRangeAppend: (whatIf.append * 1000) / whatIf.events,
        fastRangeAppend: (whatIf.fastAppend * 1000) / whatIf.events,
        verifyWithStringify: (whatIf.verifyStringify * 1000) / whatIf.events,
        verifyBestSingleThread: (whatIf.verifyBest * 1000) / whatIf.events,
      },
      verifyWithStringifyPerSec: rate(whatIf.events, whatIf.verifyStringify),
      verifyBestSingleThreadPerSec: rate(whatIf.events, whatIf.verifyBest),
    },
    heapMB: process.memoryUsage().rss / 1e6,
    sink,
  };
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

if (PROFILE) await profileRun(PROFILE);
else measureRun();
