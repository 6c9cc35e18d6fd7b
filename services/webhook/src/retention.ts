import type { Orm } from "@hyrelog/db";

/** Rows deleted per statement: short transactions, however large the backlog. */
const BATCH = 5000;

/**
 * Deletes finished deliveries (DELIVERED or FAILED) older than `days`, with their attempts. Their
 * payloads hold events as they were delivered (version 1 events in the clear), so they must not
 * stay for ever (docs/privacy.md). `days` is kept above the events stream's 7-day max_age: a
 * stream message redelivered after its delivery row is gone would be delivered again.
 * Returns how many were deleted.
 */
export async function sweepOldDeliveries(orm: Orm, days: number): Promise<number> {
  let deleted = 0;
  for (;;) {
    const rows = await orm.em.fork().execute<Array<{ id: string }>>(
      `delete from webhook_deliveries where id in (
         select id from webhook_deliveries where status <> 'PENDING' and created_at < now() - make_interval(days => ?) limit ?
       ) returning id`,
      [days, BATCH],
    );
    deleted += rows.length;
    if (rows.length < BATCH) return deleted;
  }
}
