import { createHash, generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { signingKey, uuidv7 } from "@hyrelog/core";
import { migrateDatabase, openOrm, type Orm } from "@hyrelog/db";
import { createLogger } from "@hyrelog/runtime";
import { Checkpointer, type PublishedCheckpoint } from "./checkpointer.ts";

/**
 * CHECKPOINT_PUBLISHED is not best effort: a checkpoint whose announcement failed (NATS down, a
 * crash right after the commit) is announced by the sweep, once it succeeds, and then forgotten.
 */
let orm: Orm;
let dbName: string;
const logId = uuidv7();
const companyId = uuidv7();

beforeAll(async () => {
  dbName = `hyrelog_t_ckpt_${Date.now().toString(36)}`;
  const url = `${inject("infra").postgresUrl}/${dbName}`;
  await migrateDatabase(url);
  orm = await openOrm({ databaseUrl: url, poolMax: 2 });
  const hashes = Array.from({ length: 5 }, (_, i) => createHash("sha256").update(`event ${i}`).digest("hex"));
  // A workspace log (its id is the workspace's) of a real company: the database insists.
  await orm.em.fork().execute(`insert into companies (id, name, data_region, plan_tier) values (?, 'Checkpoint Co', 'us', 'FREE')`, [companyId]);
  await orm.em.fork().execute(`insert into workspaces (id, company_id, name) values (?, ?, 'Production')`, [logId, companyId]);
  await orm.em.fork().execute(`insert into log_heads (log_id, company_id, workspace_id, sequence, hash, updated_at) values (?, ?, ?, 5, ?, now())`, [
    logId,
    companyId,
    logId,
    hashes[4],
  ]);
  await orm.em.fork().execute(
    `insert into audit_events (id, company_id, workspace_id, log_id, sequence, prev_hash, hash, occurred_at, received_at, category, action)
     select gen_random_uuid(), ?, ?, ?, s.i, repeat('0', 64), s.h, now(), now(), 'c', 'a'
     from jsonb_to_recordset(?::jsonb) as s(i bigint, h text)`,
    [companyId, logId, logId, JSON.stringify(hashes.map((h, i) => ({ i: i + 1, h })))],
  );
});
afterAll(async () => {
  await orm?.close(true);
  const admin = await openOrm({ databaseUrl: `${inject("infra").postgresUrl}/postgres`, poolMax: 1 });
  await admin.em.getConnection().execute(`drop database if exists "${dbName}" with (force)`);
  await admin.close(true);
});

/** A checkpointer on the test database that signs any grown log and sweeps announcements of any age. */
async function startCheckpointer(announce: (checkpoints: PublishedCheckpoint[]) => Promise<void>): Promise<Checkpointer> {
  const checkpointer = new Checkpointer({
    orm,
    region: "us",
    key: signingKey("hyrelog.test", generateKeyPairSync("ed25519").privateKey),
    intervalMs: 100,
    everyEvents: 1,
    logger: createLogger("silent", {}),
    announceRetryAfterMs: 0,
    announce,
  });
  await checkpointer.registerKey();
  return checkpointer;
}

const pending = async () => (await orm.em.fork().execute<Array<{ n: string }>>(`select count(*) as n from checkpoint_announcements`))[0]!.n;

describe("checkpoint announcements", () => {
  it("keeps an announcement that failed, and the sweep delivers it once announcing works again", async () => {
    const announced: PublishedCheckpoint[] = [];
    let natsDown = true;
    const checkpointer = await startCheckpointer(async (checkpoints) => {
      if (natsDown) throw new Error("NATS is unreachable");
      announced.push(...checkpoints);
    });

    expect(await checkpointer.tick()).toBe(1);
    expect(announced).toEqual([]);
    expect(await pending()).toBe("1");
    // Still failing: the sweep leaves it for the next round.
    await expect(checkpointer.sweepAnnouncements()).rejects.toThrow(/unreachable/);
    expect(await pending()).toBe("1");

    natsDown = false;
    expect(await checkpointer.sweepAnnouncements()).toBe(1);
    expect(announced).toHaveLength(1);
    const [stored] = await orm.em.fork().execute<Array<{ root_hash: string; signed_note: string }>>(`select root_hash, signed_note from checkpoints where log_id = ?`, [logId]);
    expect(announced[0]).toMatchObject({ logId, companyId, treeSize: 5, rootHash: stored!.root_hash, signedNote: stored!.signed_note, keyName: "hyrelog.test" });
    expect(await pending()).toBe("0");
    expect(await checkpointer.sweepAnnouncements()).toBe(0);
  });

  it("announces right after the commit and forgets the announcement once it succeeded", async () => {
    // The log grows by one event.
    const hash = createHash("sha256").update("event 5").digest("hex");
    await orm.em.fork().execute(
      `insert into audit_events (id, company_id, workspace_id, log_id, sequence, prev_hash, hash, occurred_at, received_at, category, action)
       values (gen_random_uuid(), ?, ?, ?, 6, repeat('0', 64), ?, now(), now(), 'c', 'a')`,
      [companyId, logId, logId, hash],
    );
    await orm.em.fork().execute(`update log_heads set sequence = 6, hash = ?, updated_at = now()`, [hash]);
    const announced: PublishedCheckpoint[] = [];
    const checkpointer = await startCheckpointer(async (checkpoints) => void announced.push(...checkpoints));
    expect(await checkpointer.tick()).toBe(1);
    expect(announced.map((c) => c.treeSize)).toEqual([6]);
    expect(await pending()).toBe("0");
    // Nothing grew since: nothing more to sign or announce.
    expect(await checkpointer.tick()).toBe(0);
    expect(announced).toHaveLength(1);
  });
});
