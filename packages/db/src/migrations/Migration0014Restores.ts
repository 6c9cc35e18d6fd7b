import { Migration } from "@mikro-orm/migrations";

/**
 * Restore requests (docs/operations/archival.md, "Restores"): a company asks for a cold archive to
 * be readable again for some days; HyreLog staff approve or reject; the archival service initiates
 * the restore (S3 RestoreObject, simulated locally), follows it, and lets it expire.
 * PENDING → APPROVED → INITIATING → IN_PROGRESS → COMPLETED → EXPIRED, or REJECTED, CANCELLED,
 * FAILED. At most one open request per archive.
 */
export class Migration0014Restores extends Migration {
  override name = "0014_restores";

  override up(): void {
    this.addSql(`
create table restore_requests (
  id uuid primary key,
  company_id uuid not null references companies (id),
  archive_id uuid not null references archive_objects (id),
  tier text not null check (tier in ('EXPEDITED', 'STANDARD', 'BULK')),
  status text not null default 'PENDING'
    check (status in ('PENDING', 'APPROVED', 'INITIATING', 'IN_PROGRESS', 'COMPLETED', 'EXPIRED', 'REJECTED', 'CANCELLED', 'FAILED')),
  -- How long the restored copy stays readable.
  days integer not null check (days between 1 and 30),
  estimated_cost_usd numeric(12, 4) not null check (estimated_cost_usd >= 0),
  reason text,
  -- Who asked (dashboard:<user id>) and who decided (a HyreLog admin), with the decision's comment.
  requested_by text not null,
  decided_by text,
  decided_at timestamptz,
  decision_comment text,
  initiated_at timestamptz,
  completed_at timestamptz,
  available_until timestamptz,
  finished_at timestamptz,
  error text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index restore_requests_company_idx on restore_requests (company_id, id desc);
create index restore_requests_work_idx on restore_requests (status) where status in ('APPROVED', 'INITIATING', 'IN_PROGRESS', 'COMPLETED');
create unique index restore_requests_one_open_idx on restore_requests (archive_id)
  where status in ('PENDING', 'APPROVED', 'INITIATING', 'IN_PROGRESS', 'COMPLETED');
`);
  }
}
