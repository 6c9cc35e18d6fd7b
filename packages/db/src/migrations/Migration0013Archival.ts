import { Migration } from "@mikro-orm/migrations";

/**
 * The data lifecycle (services/archival, docs/operations/archival.md): per-log watermarks of
 * retention marking, archival and hot purge; the archive objects in S3 with their checksums and
 * verification; what stays of purged events (their leaves); the region's schedules of periodic
 * jobs; and the archive plan limits.
 *
 * A log's events are archived in sequence order, so its lifecycle is three watermarks, not a flag
 * per event: events 1..candidate_to are past hot retention (marked), 1..archived_to are in
 * archives, 1..purged_to have left audit_events. Marking a million events is one row update.
 */
export class Migration0013Archival extends Migration {
  override name = "0013_archival";

  override up(): void {
    this.addSql(`
alter table plans add column archive_retention_days integer not null default 0 check (archive_retention_days >= 0),
  add column cold_archive_after_days integer check (cold_archive_after_days > 0);
update plans set archive_retention_days = case tier when 'FREE' then 30 when 'STARTER' then 180 when 'GROWTH' then 365 else 2555 end,
  cold_archive_after_days = case tier when 'ENTERPRISE' then 90 else null end;

-- Periodic jobs of a whole region (archival, verification...) belong to no company.
alter table jobs alter column company_id drop not null;

create table log_lifecycle (
  log_id uuid primary key,
  company_id uuid not null references companies (id),
  workspace_id uuid,
  candidate_to bigint not null default 0,
  archived_to bigint not null default 0,
  purged_to bigint not null default 0,
  -- The retention that marked candidate_to, and when (as the job saw the time: --as-of).
  marked_as_of timestamptz,
  updated_at timestamptz not null default now(),
  check (0 <= purged_to and purged_to <= archived_to)
);

create table archive_objects (
  id uuid primary key,
  company_id uuid not null references companies (id),
  workspace_id uuid,
  log_id uuid not null,
  -- UTC day of received_at of the archive's first event (the object key's date).
  day date not null,
  from_sequence bigint not null check (from_sequence >= 1),
  to_sequence bigint not null,
  row_count bigint not null,
  -- Ids and occurredAt range: archived exports pick archives without opening them.
  first_event_id uuid not null,
  last_event_id uuid not null,
  min_occurred_at timestamptz not null,
  max_occurred_at timestamptz not null,
  object_key text not null unique,
  bytes bigint not null,
  -- SHA-256 of the object's bytes (gzip), checked by verification.
  sha256 char(64) not null,
  -- The signed checkpoint inside the archive that covers its last event.
  checkpoint_tree_size bigint not null,
  storage_class text not null default 'STANDARD',
  cold_at timestamptz,
  verified_at timestamptz,
  verification_error text,
  deleted_at timestamptz,
  created_at timestamptz not null default now(),
  unique (log_id, from_sequence),
  check (to_sequence >= from_sequence and row_count = to_sequence - from_sequence + 1)
);
create index archive_objects_company_idx on archive_objects (company_id, last_event_id desc);
create index archive_objects_unverified_idx on archive_objects (created_at) where verified_at is null and deleted_at is null;

-- What stays of an event after hot purge: its place in the log, id and hashes (the Merkle leaves
-- and the chain links), so proofs, checkpoints and POST /v1/verify keep working; its content is
-- in the archive named here.
create table purged_events (
  log_id uuid not null,
  sequence bigint not null,
  id uuid not null,
  prev_hash char(64) not null,
  hash char(64) not null,
  archive_id uuid not null references archive_objects (id),
  primary key (log_id, sequence)
);
create index purged_events_id_idx on purged_events (id);

-- Hot purge may delete an event once its log's purged_to covers it (the archival service moves
-- purged_to only over verified archives, after a grace period). Nothing else may.
create or replace function audit_events_append_only() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' and current_setting('hyrelog.allow_delete', true) = 'on' then
    return old;
  end if;
  if tg_op = 'DELETE' and exists (select 1 from log_lifecycle l where l.log_id = old.log_id and old.sequence <= l.purged_to) then
    return old;
  end if;
  -- Erasure unlinks an erased subject's events from their email; the blind index is not hashed.
  if tg_op = 'UPDATE' and new.actor_email_index is null
     and (to_jsonb(new) - 'actor_email_index') = (to_jsonb(old) - 'actor_email_index') then
    return new;
  end if;
  raise exception 'audit_events is append-only (% refused)', tg_op using errcode = 'insufficient_privilege';
end $$;

-- One row per periodic job of the region: a replica runs a job only by moving next_run_at
-- forward first (one statement), so the job runs once however many replicas there are.
create table schedules (
  name text primary key,
  next_run_at timestamptz not null,
  last_job_id uuid,
  updated_at timestamptz not null default now()
);
`);
  }
}
