import { Migration } from "@mikro-orm/migrations";

/**
 * Analytics rollups (issue 14, docs/analytics.md): hourly event counts (UTC hours of occurred_at),
 * kept by the query service after ingest has committed, never by ingest itself. Two tables of the
 * same counts: one without the actor (every question that does not involve an actor reads only
 * it), one with the actor id (grouping by or filtering on an actor). Absent values are stored as
 * the nil UUID (company-log events, events without a project) or '' (an actor without an id), so
 * the keys are primary keys. Actor emails and names are personal data and are never stored here.
 *
 * rollup_progress is each log's watermark: events 1..sequence are counted. The counts and the
 * watermark move in one transaction, so a pass is counted exactly once, whatever is redelivered.
 */
export class Migration0016AnalyticsRollups extends Migration {
  override name = "0016_analytics_rollups";

  override up(): void {
    this.addSql(`
create table analytics_hourly (
  company_id uuid not null,
  hour timestamptz not null,
  workspace_id uuid not null,
  project_id uuid not null,
  category text not null,
  action text not null,
  events bigint not null,
  primary key (company_id, hour, workspace_id, project_id, category, action)
);

create table analytics_actor_hourly (
  company_id uuid not null,
  hour timestamptz not null,
  workspace_id uuid not null,
  project_id uuid not null,
  actor_id text not null,
  category text not null,
  action text not null,
  events bigint not null,
  primary key (company_id, hour, workspace_id, project_id, actor_id, category, action)
);
-- One actor's counts (actorId filter).
create index analytics_actor_hourly_actor_idx on analytics_actor_hourly (company_id, actor_id, hour);

create table rollup_progress (
  log_id uuid primary key,
  company_id uuid not null,
  sequence bigint not null check (sequence >= 0),
  updated_at timestamptz not null default now()
);
`);
  }
}
