import { consistencyProof, inclusionProof, leafHash, merkleRoot, nodeHash, type HashRange } from "@hyrelog/core";
import type { Orm } from "./orm.ts";

/** Subtrees of 2^STORED_LEVEL leaves and larger are stored; smaller ones are rehashed from events. */
export const STORED_LEVEL = 8;
const BLOCK = 2 ** STORED_LEVEL;

type Em = ReturnType<Orm["em"]["fork"]>;

/**
 * A log's Merkle tree as stored: event hashes (the leaves, leaf i = sequence i + 1) and the
 * hashes of complete aligned subtrees of 256 leaves and more (merkle_nodes). Every root or proof
 * costs two reads: the subtree hashes it needs, and the event hashes of at most one partial block.
 */
export class StoredTree {
  readonly #em: Em;
  readonly #logId: string;

  constructor(em: Em, logId: string) {
    this.#em = em;
    this.#logId = logId;
  }

  async root(treeSize: number): Promise<string> {
    return (await this.#withHashes(treeSize, (tree) => merkleRoot(tree, treeSize))).toString("hex");
  }

  async inclusionProof(index: number, treeSize: number): Promise<string[]> {
    return (await this.#withHashes(treeSize, (tree) => inclusionProof(tree, index, treeSize))).map((h) => h.toString("hex"));
  }

  async consistencyProof(from: number, to: number): Promise<string[]> {
    return (await this.#withHashes(to, (tree) => consistencyProof(tree, from, to))).map((h) => h.toString("hex"));
  }

  /**
   * Stores the subtree hashes of every complete 256-leaf block up to `treeSize` that is not yet
   * stored, and of the larger subtrees they complete. Returns how many were added.
   */
  async index(treeSize: number): Promise<number> {
    const [last] = await this.#em.execute<Array<{ idx: string | null }>>(
      `select max(idx) as idx from merkle_nodes where log_id = ? and level = ?`,
      [this.#logId, STORED_LEVEL],
    );
    const firstBlock = last?.idx == null ? 0 : Number(last.idx) + 1;
    const blocks = Math.floor(treeSize / BLOCK);
    if (firstBlock >= blocks) return 0;
    const added: Array<{ level: number; idx: number; hash: Buffer }> = [];
    const leaves = await this.#leaves(firstBlock * BLOCK, blocks * BLOCK);
    for (let b = firstBlock; b < blocks; b++) {
      let hash = hashPerfect(leaves, b * BLOCK, (b + 1) * BLOCK);
      added.push({ level: STORED_LEVEL, idx: b, hash });
      // Completing block b may complete its parent, grandparent...: right children are odd.
      let level = STORED_LEVEL;
      let idx = b;
      while (idx % 2 === 1) {
        const sibling = added.find((n) => n.level === level && n.idx === idx - 1)?.hash ?? (await this.#node(level, idx - 1));
        hash = nodeHash(sibling, hash);
        level++;
        idx = (idx - 1) / 2;
        added.push({ level, idx, hash });
      }
    }
    await this.#em.execute(
      `insert into merkle_nodes (log_id, level, idx, hash)
       select ?, level, idx, hash from jsonb_to_recordset(?::jsonb) as n(level smallint, idx bigint, hash text)
       on conflict do nothing`,
      [this.#logId, JSON.stringify(added.map((n) => ({ level: n.level, idx: n.idx, hash: n.hash.toString("hex") })))],
    );
    return added.length;
  }

  /**
   * Runs `compute` twice: first against placeholder hashes to learn which subtrees it reads
   * (the shape depends only on sizes), then against the real ones, fetched in two queries.
   */
  async #withHashes<T>(treeSize: number, compute: (tree: { size: number; hashRange: HashRange }) => T): Promise<T> {
    const nodesWanted = new Map<string, { level: number; idx: number }>();
    const leafRanges: Array<[number, number]> = [];
    const zero = Buffer.alloc(32);
    const record: HashRange = (start, end) => {
      const size = end - start;
      if (size >= BLOCK) nodesWanted.set(`${Math.log2(size)}:${start / size}`, { level: Math.log2(size), idx: start / size });
      else leafRanges.push([start, end]);
      return zero;
    };
    compute({ size: treeSize, hashRange: record });

    const nodes = new Map<string, Buffer>();
    if (nodesWanted.size) {
      const wanted = [...nodesWanted.values()];
      const rows = await this.#em.execute<Array<{ level: number; idx: string; hash: string }>>(
        `select n.level, n.idx, n.hash from merkle_nodes n
         join jsonb_to_recordset(?::jsonb) as w(level smallint, idx bigint) on n.level = w.level and n.idx = w.idx
         where n.log_id = ?`,
        [JSON.stringify(wanted), this.#logId],
      );
      for (const r of rows) nodes.set(`${r.level}:${Number(r.idx)}`, Buffer.from(r.hash, "hex"));
      for (const w of wanted) {
        const key = `${w.level}:${w.idx}`;
        // Not indexed yet (the checkpointer runs behind ingest): hash it from the events.
        if (!nodes.has(key)) nodes.set(key, await this.#hashFromEvents(w.idx * 2 ** w.level, (w.idx + 1) * 2 ** w.level));
      }
    }
    // Small subtrees lie inside one 256-leaf block each: read just those blocks' parts.
    const spans = new Map<number, [number, number]>();
    for (const [start, end] of leafRanges) {
      const block = Math.floor(start / BLOCK);
      const span = spans.get(block);
      spans.set(block, span ? [Math.min(span[0], start), Math.max(span[1], end)] : [start, end]);
    }
    const leaves = await this.#leafSpans([...spans.values()]);
    return compute({
      size: treeSize,
      hashRange: (start, end) => (end - start >= BLOCK ? nodes.get(`${Math.log2(end - start)}:${start / (end - start)}`)! : hashPerfect(leaves, start, end)),
    });
  }

  /** The hash of 256-leaf block `idx` recomputed from the events as stored now (hex). */
  async blockHashFromEvents(idx: number): Promise<string> {
    return (await this.#hashFromEvents(idx * BLOCK, (idx + 1) * BLOCK)).toString("hex");
  }

  async #node(level: number, idx: number): Promise<Buffer> {
    const [row] = await this.#em.execute<Array<{ hash: string }>>(
      `select hash from merkle_nodes where log_id = ? and level = ? and idx = ?`,
      [this.#logId, level, idx],
    );
    return row ? Buffer.from(row.hash, "hex") : this.#hashFromEvents(idx * 2 ** level, (idx + 1) * 2 ** level);
  }

  async #hashFromEvents(start: number, end: number): Promise<Buffer> {
    return hashPerfect(await this.#leaves(start, end), start, end);
  }

  /** Event hashes of leaves [start, end) by leaf index; a missing sequence is an error. */
  #leaves(start: number, end: number): Promise<Map<number, Buffer>> {
    return this.#leafSpans([[start, end]]);
  }

  async #leafSpans(spans: Array<[number, number]>): Promise<Map<number, Buffer>> {
    if (!spans.length) return new Map();
    const rows = await this.#em.execute<Array<{ sequence: string; hash: string }>>(
      `select e.sequence, e.hash from audit_events e
       join jsonb_to_recordset(?::jsonb) as s(lo bigint, hi bigint) on e.sequence > s.lo and e.sequence <= s.hi
       where e.log_id = ?`,
      [JSON.stringify(spans.map(([lo, hi]) => ({ lo, hi }))), this.#logId],
    );
    const expected = spans.reduce((n, [lo, hi]) => n + hi - lo, 0);
    if (rows.length !== expected) throw new Error(`log ${this.#logId} lacks events its tree needs (${rows.length} of ${expected} found)`);
    return new Map(rows.map((r) => [Number(r.sequence) - 1, Buffer.from(r.hash, "hex")]));
  }
}

/** MTH of a perfect subtree [start, end) from its leaves' event hashes. */
function hashPerfect(leaves: Map<number, Buffer>, start: number, end: number): Buffer {
  if (end - start === 1) return leafHash(leaves.get(start)!);
  const mid = start + (end - start) / 2;
  return nodeHash(hashPerfect(leaves, start, mid), hashPerfect(leaves, mid, end));
}
