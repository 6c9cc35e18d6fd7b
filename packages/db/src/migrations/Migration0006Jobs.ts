import { Migration } from "@mikro-orm/migrations";

/**
 * Jobs (exports now; archival, GDPR and restores later) and the files exports leave in S3.
 * The row is the source of truth for a job's state; JetStream only hands out job ids.
 */
export class Migration0006Jobs extends Migration {
  override name = "0006_jobs";

  override up(): void {
    this.addSql(`
create table jobs (
  id uuid primary key,
  company_id uuid not null references companies (id),
  workspace_id uuid,
  type text not null,
  status text not null default 'PENDING' check (status in ('PENDING', 'PROCESSING', 'COMPLETED', 'FAILED', 'CANCELLED')),
  params jsonb not null default '{}',
  attempts integer not null default 0,
  max_attempts integer not null check (max_attempts >= 1),
  timeout_ms integer not null check (timeout_ms > 0),
  progress_done bigint not null default 0,
  progress_total bigint,
  result jsonb,
  error text,
  -- Who asked: {"keyId", "scope"}.
  requested_by jsonb not null,
  -- The worker holding the job and until when; an expired lease lets another worker take it.
  lease_owner text,
  lease_expires_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz
);
create index jobs_company_idx on jobs (company_id, id desc);
-- The requeue sweep: jobs whose hand-out message may have been lost.
create index jobs_open_idx on jobs (status, updated_at) where status in ('PENDING', 'PROCESSING');

create table export_files (
  job_id uuid primary key references jobs (id),
  company_id uuid not null references companies (id),
  object_key text not null,
  format text not null check (format in ('JSONL', 'CSV')),
  row_count bigint not null,
  bytes bigint not null,
  sha256 char(64) not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  deleted_at timestamptz
);
create index export_files_expiry_idx on export_files (expires_at) where deleted_at is null;
`);
  }
}
