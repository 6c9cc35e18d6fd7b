import type { Orm } from "@hyrelog/db";

const DAY_MS = 86_400_000;
/** Events moved per transaction: a long range is purged in steps, each one complete. */
const STEP = 10_000;

export interface PurgeResult extends Record<string, unknown> {
  logs: number;
  /** Events that left audit_events (their leaves stay in purged_events). */
  purged: number;
}

interface Archive {
  id: string;
  from_sequence: string;
  to_sequence: string;
  verified_at: Date | null;
}

/**
 * Hot purge: the events of verified archives leave PostgreSQL once the archive has been verified
 * for `graceDays`. Only a log's leading run of such archives counts (purged_to is a watermark), so
 * an unverified or failed archive stops the purge of everything after it. Each event leaves its
 * sequence, id and hashes in purged_events (Merkle leaves and chain links for proofs and
 * verification) with the archive that holds it. The delete trigger checks purged_to too.
 */
export async function purgeHot(orm: Orm, asOf: Date, graceDays: number): Promise<PurgeResult> {
  const cutoff = new Date(asOf.getTime() - graceDays * DAY_MS);
  const em = orm.em.fork();
  const logs = await em.execute<Array<{ log_id: string; purged_to: string }>>(
    `select log_id, purged_to::text as purged_to from log_lifecycle where archived_to > purged_to order by log_id`,
  );
  const result: PurgeResult = { logs: 0, purged: 0 };
  for (const log of logs) {
    const archives = await em.execute<Archive[]>(
      `select id, from_sequence::text as from_sequence, to_sequence::text as to_sequence, verified_at
       from archive_objects where log_id = ? and to_sequence > ? and deleted_at is null order by archive_objects.from_sequence`,
      [log.log_id, log.purged_to],
    );
    let purgedTo = Number(log.purged_to);
    for (const a of archives) {
      if (Number(a.from_sequence) !== purgedTo + 1 || !a.verified_at || new Date(a.verified_at) > cutoff) break;
      for (let from = purgedTo + 1; from <= Number(a.to_sequence); from += STEP) {
        const to = Math.min(Number(a.to_sequence), from + STEP - 1);
        await em.transactional(async (tx) => {
          await tx.execute(
            `insert into purged_events (log_id, sequence, id, prev_hash, hash, archive_id)
             select log_id, sequence, id, prev_hash, hash, ? from audit_events where log_id = ? and sequence between ? and ?`,
            [a.id, log.log_id, from, to],
          );
          await tx.execute(`update log_lifecycle set purged_to = ?, updated_at = now() where log_id = ?`, [to, log.log_id]);
          const deleted = await tx.execute<Array<{ n: string }>>(
            `with gone as (delete from audit_events where log_id = ? and sequence between ? and ? returning 1) select count(*)::text as n from gone`,
            [log.log_id, from, to],
          );
          result.purged += Number(deleted[0]!.n);
        });
        purgedTo = to;
      }
    }
    if (purgedTo > Number(log.purged_to)) result.logs++;
  }
  return result;
}
