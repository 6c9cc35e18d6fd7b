import { consistencyProof, inclusionProof, leafHash, merkleRoot, nodeHash, type HashRange } from "@hyrelog/core";
import type { Orm } from "./orm.ts";

/** Subtrees of 2^STORED_LEVEL leaves and larger are stored; smaller ones are rehashed from events. */
export const STORED_LEVEL = 8;
const BLOCK = 2 ** STORED_LEVEL;
/** Blocks indexed per round trip: 64 blocks = 16,384 event hashes in memory at most. */
const INDEX_WINDOW_BLOCKS = 64;

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

  /** The audit path of leaf `index` and the root it leads to, from one pair of reads. */
  async inclusionProof(index: number, treeSize: number): Promise<{ proof: string[]; root: string }> {
    return this.#withHashes(treeSize, (tree) => ({
      proof: inclusionProof(tree, index, treeSize).map(hex),
      root: hex(merkleRoot(tree, treeSize)),
    }));
  }

  /** The consistency proof from `from` to `to` leaves and both roots, from one pair of reads. */
  async consistencyProof(from: number, to: number): Promise<{ proof: string[]; fromRoot: string; toRoot: string }> {
    return this.#withHashes(to, (tree) => ({
      proof: consistencyProof(tree, from, to).map(hex),
      fromRoot: hex(merkleRoot(tree, from)),
      toRoot: hex(merkleRoot(tree, to)),
    }));
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
    const blocks = Math.floor(treeSize / BLOCK);
    let added = 0;
    // Bounded windows: a long unindexed log never holds more than a window of hashes in memory.
    for (let first = last?.idx == null ? 0 : Number(last.idx) + 1; first < blocks; first += INDEX_WINDOW_BLOCKS) {
      added += await this.#indexBlocks(first, Math.min(blocks, first + INDEX_WINDOW_BLOCKS));
    }
    return added;
  }

  /** Stores the hashes of blocks [first, end) and of the larger subtrees they complete. */
  async #indexBlocks(first: number, end: number): Promise<number> {
    const added = new Map<string, Buffer>();
    const leaves = await this.#leaves(first * BLOCK, end * BLOCK);
    for (let b = first; b < end; b++) {
      let hash = hashPerfect(leaves, b * BLOCK, (b + 1) * BLOCK);
      added.set(`${STORED_LEVEL}:${b}`, hash);
      // Completing block b may complete its parent, grandparent...: right children are odd.
      let level = STORED_LEVEL;
      let idx = b;
      while (idx % 2 === 1) {
        const sibling = added.get(`${level}:${idx - 1}`) ?? (await this.#node(level, idx - 1));
        hash = nodeHash(sibling, hash);
        level++;
        idx = (idx - 1) / 2;
        added.set(`${level}:${idx}`, hash);
      }
    }
    const rows = [...added].map(([key, hash]) => {
      const [level, idx] = key.split(":").map(Number);
      return { level, idx, hash: hash.toString("hex") };
    });
    await this.#em.execute(
      `insert into merkle_nodes (log_id, level, idx, hash)
       select ?, level, idx, hash from jsonb_to_recordset(?::jsonb) as n(level smallint, idx bigint, hash text)
       on conflict do nothing`,
      [this.#logId, JSON.stringify(rows)],
    );
    return rows.length;
  }

  /**
   * Runs `compute` twice: first against all-zero dummy hashes to learn which subtrees it reads
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

    // Small subtrees lie inside one 256-leaf block each: read just those blocks' parts.
    const spans = new Map<number, [number, number]>();
    for (const [start, end] of leafRanges) {
      const block = Math.floor(start / BLOCK);
      const span = spans.get(block);
      spans.set(block, span ? [Math.min(span[0], start), Math.max(span[1], end)] : [start, end]);
    }
    const wanted = [...nodesWanted.values()];
    // The two reads are independent: run them together.
    const [rows, leaves] = await Promise.all([
      wanted.length
        ? // Plain (level, idx) pairs: a join on a JSON record set is misestimated and JIT-compiled.
          this.#em.execute<Array<{ level: number; idx: string; hash: string }>>(
            `select level, idx, hash from merkle_nodes where log_id = ? and (level, idx) in (${wanted.map(() => "(?, ?)").join(", ")})`,
            [this.#logId, ...wanted.flatMap((w) => [w.level, w.idx])],
          )
        : Promise.resolve([]),
      this.#leafSpans([...spans.values()]),
    ]);
    const nodes = new Map<string, Buffer>();
    for (const r of rows) nodes.set(`${r.level}:${Number(r.idx)}`, Buffer.from(r.hash, "hex"));
    for (const w of wanted) {
      const key = `${w.level}:${w.idx}`;
      // Not indexed yet (the checkpointer runs behind ingest): hash it from the events.
      if (!nodes.has(key)) nodes.set(key, await this.#hashFromEvents(w.idx * 2 ** w.level, (w.idx + 1) * 2 ** w.level));
    }
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
    // Plain range bounds (one or two spans): a join on a JSON record set here was estimated at
    // millions of rows, and PostgreSQL spent ~40 ms JIT-compiling every proof's query.
    // Purged events (archived and gone from audit_events) keep their leaf in purged_events.
    const ranges = spans.map(() => "(sequence > ? and sequence <= ?)").join(" or ");
    const rows = await this.#em.execute<Array<{ sequence: string; hash: string }>>(
      `select sequence, hash from audit_events where log_id = ? and (${ranges})
       union all select sequence, hash from purged_events where log_id = ? and (${ranges})`,
      [this.#logId, ...spans.flat(), this.#logId, ...spans.flat()],
    );
    const expected = spans.reduce((n, [lo, hi]) => n + hi - lo, 0);
    if (rows.length !== expected) throw new Error(`log ${this.#logId} lacks events its tree needs (${rows.length} of ${expected} found)`);
    return new Map(rows.map((r) => [Number(r.sequence) - 1, Buffer.from(r.hash, "hex")]));
  }
}

const hex = (b: Buffer) => b.toString("hex");

/** MTH of a perfect subtree [start, end) from its leaves' event hashes. */
function hashPerfect(leaves: Map<number, Buffer>, start: number, end: number): Buffer {
  if (end - start === 1) return leafHash(leaves.get(start)!);
  const mid = start + (end - start) / 2;
  return nodeHash(hashPerfect(leaves, start, mid), hashPerfect(leaves, mid, end));
}
