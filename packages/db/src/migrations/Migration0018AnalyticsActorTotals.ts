import { Migration } from "@mikro-orm/migrations";

/**
 * Top actors without reading one rollup row per event (issue 14, docs/analytics.md, ADR 0014):
 *
 * - analytics_actor_totals: each actor's events per UTC hour and workspace (project, category and
 *   action summed away), kept by the query service's rollup pass with the other rollups. Its rank
 *   index hands out each (hour, workspace)'s actors largest first, so "the N busiest actors of an
 *   hour" and "no other actor of that hour has more than the (N+1)th" are an index read of N + 1
 *   entries: the heavy-hitter lists the API ranks actors from over large ranges, exact when
 *   their bounds prove it, flagged when not.
 * - analytics_actor_hourly_action_idx: grouping by actor filtered to one action reads that
 *   action's rows of the range (index only), not every actor row of the range.
 */
export class Migration0018AnalyticsActorTotals extends Migration {
  override name = "0018_analytics_actor_totals";

  override up(): void {
    this.addSql(`
create table analytics_actor_totals (
  company_id uuid not null,
  hour timestamptz not null,
  workspace_id uuid not null,
  actor_id text not null,
  events bigint not null,
  primary key (company_id, hour, workspace_id, actor_id)
);
create index analytics_actor_totals_rank_idx on analytics_actor_totals (company_id, hour, workspace_id, events desc, actor_id);
insert into analytics_actor_totals (company_id, hour, workspace_id, actor_id, events)
select company_id, hour, workspace_id, actor_id, sum(events) from analytics_actor_hourly group by 1, 2, 3, 4;

create index analytics_actor_hourly_action_idx on analytics_actor_hourly (company_id, action, hour) include (actor_id, events);
`);
  }
}
