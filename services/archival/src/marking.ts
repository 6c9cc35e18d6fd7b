import { isSystemCompanyId } from "@hyrelog/core";
import type { Orm } from "@hyrelog/db";
import { applyPlanOverrides, type PlanRow } from "@hyrelog/runtime";

export interface MarkingResult extends Record<string, unknown> {
  companies: number;
  logs: number;
  /** Events newly marked as archival candidates (past hot retention). */
  marked: number;
}

/**
 * Retention marking: for each log, moves `candidate_to` up to the last event such that it and
 * every event before it are past their hot retention as of `asOf`: their category's retention
 * class, else the plan's. Archives are contiguous, so a class kept longer (security: a year) holds
 * back the events after it, and one kept shorter leaves with its neighbours.
 * Nothing is deleted and no event row is written: the mark is the log's watermark. HyreLog's own
 * logs (the system company's) stay hot.
 */
export async function markRetention(orm: Orm, asOf: Date): Promise<MarkingResult> {
  const em = orm.em.fork();
  const companies = await em.execute<Array<PlanRow & { id: string; plan_overrides: Record<string, unknown> | null }>>(
    `select c.id, p.tier, p.retention_days, p.export_row_limit::text as export_row_limit, p.max_webhooks, p.features,
            p.monthly_event_quota::text as monthly_event_quota, c.plan_overrides
     from companies c join plans p on p.tier = c.plan_tier order by c.id`,
  );
  let logs = 0;
  let marked = 0;
  let counted = 0;
  for (const c of companies) {
    if (isSystemCompanyId(c.id)) continue;
    counted++;
    // Each event's own class (retention_classes by category), else the plan's hot retention.
    const days = applyPlanOverrides(c, c.plan_overrides).retentionDays;
    await em.execute(
      `insert into log_lifecycle (log_id, company_id, workspace_id)
       select log_id, company_id, workspace_id from log_heads where company_id = ? on conflict (log_id) do nothing`,
      [c.id],
    );
    // The first event still within retention bounds the candidates (received_at is not strictly
    // monotonic in sequence: concurrent requests commit in either order). Marks never move back.
    const rows = await em.execute<Array<{ before: string; after: string }>>(
      `with next as (
         select l.log_id, l.candidate_to as before,
                greatest(l.candidate_to, coalesce(
                  (select min(e.sequence) - 1 from audit_events e
                   left join retention_classes r on r.company_id = e.company_id and r.category = e.category
                   where e.log_id = l.log_id and e.sequence > l.candidate_to
                     and e.received_at >= ?::timestamptz - make_interval(days => coalesce(r.hot_retention_days, ?))),
                  h.sequence)) as after
         from log_lifecycle l join log_heads h using (log_id)
         where l.company_id = ?
       )
       update log_lifecycle l set candidate_to = n.after, marked_as_of = ?, updated_at = now()
       from next n where l.log_id = n.log_id
       returning n.before::text as before, n.after::text as after`,
      [asOf, days, c.id, asOf],
    );
    logs += rows.length;
    for (const r of rows) marked += Number(r.after) - Number(r.before);
  }
  return { companies: counted, logs, marked };
}
