import { Migration } from "@mikro-orm/migrations";

/**
 * Usage: events stored per company per UTC day (`usage_daily`), kept by a statement-level trigger
 * on audit_events, so the count is updated in the same transaction as the events and cannot drift
 * from them, at the cost of one small grouped upsert per INSERT statement (the writer inserts a
 * whole flush in one statement). The rows are locked in (company, day) order, after everything
 * else a writer locks, so concurrent writers wait on each other only for their commit and never
 * deadlock. Existing events are counted once here. Retention and erasure deletes do not subtract:
 * the counter is of events ingested, what a quota limits.
 *
 * Plans get a monthly event quota (`plans.monthly_event_quota`, null for unlimited), which a
 * company's `monthlyEventQuota` override replaces; ingest refuses a customer's events beyond it.
 */
export class Migration0011Usage extends Migration {
  override name = "0011_usage";

  override up(): void {
    this.addSql(`
create table usage_daily (
  company_id uuid not null,
  day date not null,
  events bigint not null,
  primary key (company_id, day)
);

create function audit_events_count_usage() returns trigger language plpgsql as $$
begin
  insert into usage_daily (company_id, day, events)
  select company_id, (received_at at time zone 'UTC')::date, count(*) from new_events group by 1, 2 order by 1, 2
  on conflict (company_id, day) do update set events = usage_daily.events + excluded.events;
  return null;
end $$;
create trigger audit_events_count_usage after insert on audit_events
  referencing new table as new_events for each statement execute function audit_events_count_usage();

insert into usage_daily (company_id, day, events)
select company_id, (received_at at time zone 'UTC')::date, count(*) from audit_events group by 1, 2;

alter table plans add column monthly_event_quota bigint check (monthly_event_quota >= 0);
update plans set monthly_event_quota = case tier when 'FREE' then 100000 when 'STARTER' then 1000000 when 'GROWTH' then 10000000 end;
`);
  }
}
