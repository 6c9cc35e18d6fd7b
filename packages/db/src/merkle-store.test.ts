import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { merkleRoot, uuidv7, verifyConsistency, verifyInclusion } from "@hyrelog/core";
import { StoredTree } from "./merkle-store.ts";
import { migrateDatabase, openOrm, type Orm } from "./orm.ts";

const logId = uuidv7();
const hashes = Array.from({ length: 1400 }, (_, i) => createHash("sha256").update(`event ${i}`).digest("hex"));
let orm: Orm;
let dbName: string;

beforeAll(async () => {
  dbName = `hyrelog_t_tree_${Date.now().toString(36)}`;
  const url = `${inject("infra").postgresUrl}/${dbName}`;
  await migrateDatabase(url);
  orm = await openOrm({ databaseUrl: url, poolMax: 2 });
  // A company-level log (its id is the company's); only the columns the tree reads matter.
  await orm.em.fork().execute(`insert into companies (id, name, data_region, plan_tier) values (?, 'Tree Co', 'us', 'FREE')`, [logId]);
  await orm.em.fork().execute(`insert into log_heads (log_id, company_id, sequence, hash, updated_at) values (?, ?, 0, repeat('0', 64), now())`, [logId, logId]);
  await orm.em.fork().execute(
    `insert into audit_events (id, company_id, log_id, sequence, prev_hash, hash, occurred_at, received_at, category, action)
     select gen_random_uuid(), ?, ?, s.i, repeat('0', 64), s.h, now(), now(), 'c', 'a'
     from jsonb_to_recordset(?::jsonb) as s(i bigint, h text)`,
    [logId, logId, JSON.stringify(hashes.map((h, i) => ({ i: i + 1, h })))],
  );
});
afterAll(async () => {
  await orm?.close(true);
  const admin = await openOrm({ databaseUrl: `${inject("infra").postgresUrl}/postgres`, poolMax: 1 });
  await admin.em.getConnection().execute(`drop database if exists "${dbName}" with (force)`);
  await admin.close(true);
});

describe("StoredTree (subtree hashes in merkle_nodes, leaves in audit_events)", () => {
  it("gives the same roots and valid proofs before and after indexing, at every kind of size", async () => {
    const sizes = [1, 2, 3, 255, 256, 257, 511, 512, 513, 768, 1024, 1025, 1400];
    for (const pass of ["unindexed", "indexed"]) {
      const tree = new StoredTree(orm.em.fork(), logId);
      if (pass === "indexed") expect(await tree.index(1400)).toBe(5 + 2 + 1); // blocks 0..4, then 2 at level 9, 1 at level 10
      for (const n of sizes) {
        const root = await tree.root(n);
        expect(root, `${pass} root(${n})`).toBe(merkleRoot(hashes, n).toString("hex"));
        for (const i of [0, n - 1, Math.floor(n / 2)]) {
          const { proof, root: sameRoot } = await tree.inclusionProof(i, n);
          expect(sameRoot).toBe(root);
          expect(verifyInclusion(hashes[i]!, i, n, proof, root), `${pass} inclusion ${i}/${n}`).toBe(true);
        }
        for (const m of [1, Math.floor(n / 3), n]) {
          if (m < 1) continue;
          const { proof, fromRoot, toRoot } = await tree.consistencyProof(m, n);
          expect(toRoot).toBe(root);
          expect(verifyConsistency(m, n, proof, fromRoot, root), `${pass} consistency ${m}->${n}`).toBe(true);
        }
      }
    }
    // Indexing again adds nothing; a later, longer tree adds only what it completes.
    expect(await new StoredTree(orm.em.fork(), logId).index(1400)).toBe(0);
  });
});
