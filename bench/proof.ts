/**
 * The `proof` phase's data: one workspace log of `rows` events (sequence 1..rows) bulk-loaded
 * into audit_events, its stored Merkle subtrees (merkle_nodes, levels >= 8) computed in one JS
 * pass, and direct-call timings of StoredTree. bench/run.ts drives it (and StoredTree.index, in
 * bench/index-worker.ts) and times the REST route.
 *
 * Event hashes are not a valid chain (proofs never look at chain links): the event of sequence s
 * has hash SHA-256 of the decimal text of s, both in SQL (encode(sha256(s::text::bytea), 'hex'))
 * and here, so this module knows every leaf without reading the table back.
 */
import { hash } from "node:crypto";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import copyStreams from "pg-copy-streams";
import { openOrm, StoredTree, STORED_LEVEL } from "@hyrelog/db";
import { summary } from "./load.ts";

export const PROOF_ACTION = "bench.proof";

/** The event hash of sequence `s` of the proof log. */
export function proofEventHash(s: number): string {
  return hash("sha256", String(s), "hex");
}

/**
 * Inserts sequences `from`..`to` of the proof log: only the columns a proof or the route's event
 * lookup needs plus the other not-null ones (rows ~300 bytes, not the ~900 of a real event).
 * UUIDv7-shaped ids in sequence order, as ingest would give them.
 */
export const PROOF_INSERT_SQL = `
insert into audit_events (id, company_id, workspace_id, log_id, sequence, prev_hash, hash, occurred_at, received_at, category, action)
select (lpad(to_hex($4::bigint + g / 16), 12, '0') || '7' || lpad(to_hex(g % 4096), 3, '0') || '8' || lpad(to_hex(g), 15, '0'))::uuid,
  $1::uuid, $2::uuid, $2::uuid, g,
  case when g = 1 then repeat('0', 64) else encode(sha256((g - 1)::text::bytea), 'hex') end,
  encode(sha256(g::text::bytea), 'hex'),
  to_timestamp(($4::bigint + g / 16) / 1000.0) - interval '150 milliseconds', to_timestamp(($4::bigint + g / 16) / 1000.0),
  'bench', '${PROOF_ACTION}'
from generate_series($3::bigint, $5::bigint) as g`;

export interface StoredNode {
  level: number;
  idx: number;
  /** 64 lowercase hex characters. */
  hash: string;
}

/**
 * Every complete aligned subtree of 2^8 leaves or more of the first `rows` leaves, and the root,
 * in one streaming pass: a compact range whose merges at level >= 8 are exactly those subtrees.
 * Hashes travel as hex strings into preallocated buffers: crypto.hash is ~4x cheaper when it
 * returns hex than when it allocates a Buffer.
 */
export function computeStoredNodes(rows: number): { nodes: StoredNode[]; root: string } {
  const nodes: StoredNode[] = [];
  const stack: string[] = [];
  const leafIn = Buffer.alloc(33, 0);
  const nodeIn = Buffer.alloc(65, 1);
  const node = (left: string, right: string) => {
    nodeIn.write(left, 1, "hex");
    nodeIn.write(right, 33, "hex");
    return hash("sha256", nodeIn, "hex");
  };
  for (let i = 0; i < rows; i++) {
    leafIn.write(proofEventHash(i + 1), 1, "hex");
    let h = hash("sha256", leafIn, "hex");
    let level = 0;
    for (let s = i; s % 2 === 1; s = Math.floor(s / 2)) {
      h = node(stack.pop()!, h);
      level++;
      if (level >= STORED_LEVEL) nodes.push({ level, idx: (i + 1) / 2 ** level - 1, hash: h });
    }
    stack.push(h);
  }
  let root = stack.at(-1) ?? hash("sha256", "", "hex");
  for (let i = stack.length - 2; i >= 0; i--) root = node(stack[i]!, root);
  return { nodes, root };
}

/**
 * Stores `nodes` for `logId`: COPY into a temporary table, a check that the nodes already stored
 * (by StoredTree.index) are the same, then one insert of the rest. Returns how many were added.
 */
export async function storeNodes(client: pg.PoolClient, logId: string, nodes: StoredNode[]): Promise<{ added: number; alreadyStored: number }> {
  await client.query("create temporary table bench_nodes (level smallint, idx bigint, hash char(64)) on commit preserve rows");
  try {
    const text = nodes.map((n) => `${n.level}\t${n.idx}\t${n.hash}\n`).join("");
    await pipeline(Readable.from([Buffer.from(text)]), client.query(copyStreams.from("copy bench_nodes (level, idx, hash) from stdin")));
    const check = await client.query<{ same: string; differ: string }>(
      `select count(*) filter (where m.hash = b.hash)::text as same, count(*) filter (where m.hash <> b.hash)::text as differ
       from merkle_nodes m join bench_nodes b using (level, idx) where m.log_id = $1`,
      [logId],
    );
    if (Number(check.rows[0]!.differ)) throw new Error(`${check.rows[0]!.differ} subtree hashes stored by StoredTree.index differ from the bench's`);
    const ins = await client.query(`insert into merkle_nodes (log_id, level, idx, hash) select $1, level, idx, hash from bench_nodes on conflict do nothing`, [logId]);
    return { added: ins.rowCount ?? 0, alreadyStored: Number(check.rows[0]!.same) };
  } finally {
    await client.query("drop table if exists bench_nodes");
  }
}

/**
 * StoredTree.inclusionProof (and every 10th time .root) called directly, sequentially, on one
 * MikroORM connection; `sessionSql` (e.g. "set jit = off") runs on that connection first.
 */
export async function measureDirect(dbUrl: string, logId: string, treeSize: number, sequences: number[], expectedRoot: string, sessionSql?: string) {
  const orm = await openOrm({ databaseUrl: dbUrl, poolMax: 1 });
  try {
    if (sessionSql) await orm.em.fork().execute(sessionSql);
    const proofMs: number[] = [];
    const rootMs: number[] = [];
    const tree = () => new StoredTree(orm.em.fork(), logId);
    for (let i = 0; i < sequences.length; i++) {
      const t0 = performance.now();
      await tree().inclusionProof(sequences[i]! - 1, treeSize);
      proofMs.push(performance.now() - t0);
      if (i % 10 === 0) {
        const t1 = performance.now();
        const root = await tree().root(treeSize);
        rootMs.push(performance.now() - t1);
        if (root !== expectedRoot) throw new Error(`StoredTree.root(${treeSize}) = ${root}, the bench computed ${expectedRoot}`);
      }
    }
    const [jit] = await orm.em.fork().execute<Array<{ jit: string }>>("show jit");
    return { inclusionProofMs: summary(proofMs), rootMs: summary(rootMs), jit: jit?.jit ?? "?" };
  } finally {
    await orm.close(true);
  }
}

/** The statement StoredTree runs for the event hashes of one partial block (merkle-store.ts #leafSpans). */
export const LEAF_SPANS_SQL = `select sequence, hash from audit_events where log_id = $3 and ((sequence > $1 and sequence <= $2))`;
