import type { Orm } from "@hyrelog/db";

export interface ColdResult extends Record<string, unknown> {
  /** Archives marked cold by this run. */
  marked: number;
}

/**
 * Cold marking: a verified archive older than its company's `coldArchiveAfterDays` (plans with
 * the coldStorage feature; overrides apply) moves to the GLACIER storage class. In production the
 * bucket's lifecycle rule moves the objects (docs/operations/archival.md); this records the
 * state that archived exports and restores go by. Unverified archives stay where they are.
 */
export async function markCold(orm: Orm, asOf: Date): Promise<ColdResult> {
  const rows = await orm.em.fork().execute<Array<{ id: string }>>(
    `with plan as (
       select c.id as company_id,
              coalesce((c.plan_overrides -> 'features' ->> 'coldStorage')::boolean, (p.features ->> 'coldStorage')::boolean, false) as cold_storage,
              coalesce((c.plan_overrides ->> 'coldArchiveAfterDays')::int, p.cold_archive_after_days) as after_days
       from companies c join plans p on p.tier = c.plan_tier
     )
     update archive_objects a set storage_class = 'GLACIER', cold_at = ?
     from plan
     where a.company_id = plan.company_id and plan.cold_storage and plan.after_days is not null
       and a.cold_at is null and a.deleted_at is null and a.verified_at is not null
       and a.created_at <= ?::timestamptz - make_interval(days => plan.after_days)
     returning a.id`,
    [asOf, asOf],
  );
  return { marked: rows.length };
}
