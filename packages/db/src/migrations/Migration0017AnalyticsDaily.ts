import { Migration } from "@mikro-orm/migrations";

/**
 * Daily analytics counts (docs/analytics.md): the sums of analytics_hourly per UTC day, kept in
 * the same transaction as the hourly ones, so questions by day over weeks read one row per day
 * and key instead of 24 (measured in `pnpm bench`, phase analytics).
 */
export class Migration0017AnalyticsDaily extends Migration {
  override name = "0017_analytics_daily";

  override up(): void {
    this.addSql(`
create table analytics_daily (
  company_id uuid not null,
  day timestamptz not null,
  workspace_id uuid not null,
  project_id uuid not null,
  category text not null,
  action text not null,
  events bigint not null,
  primary key (company_id, day, workspace_id, project_id, category, action)
);
insert into analytics_daily (company_id, day, workspace_id, project_id, category, action, events)
select company_id, date_trunc('day', hour, 'UTC'), workspace_id, project_id, category, action, sum(events)
from analytics_hourly group by 1, 2, 3, 4, 5, 6;
`);
  }
}
