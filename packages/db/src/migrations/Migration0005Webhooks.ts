import { Migration } from "@mikro-orm/migrations";

/**
 * Webhooks: customer endpoints, one delivery per endpoint × event (unique, so a redelivered
 * JetStream message never doubles one), and every attempt of every delivery.
 */
export class Migration0005Webhooks extends Migration {
  override name = "0005_webhooks";

  override up(): void {
    this.addSql(`
create table webhook_endpoints (
  id uuid primary key,
  company_id uuid not null references companies (id),
  workspace_id uuid not null references workspaces (id),
  project_id uuid,
  url text not null,
  description text not null default '',
  event_types text[] not null,
  categories text[] not null default '{}',
  actions text[] not null default '{}',
  -- AES-256-GCM sealed whsec_ secrets (AAD = endpoint id); never stored in the clear.
  secret_sealed text not null,
  previous_secret_sealed text,
  previous_secret_expires_at timestamptz,
  status text not null default 'ACTIVE' check (status in ('ACTIVE', 'DISABLED')),
  disabled_reason text,
  disabled_at timestamptz,
  -- Start of the current run of failed attempts (null after a success).
  failing_since timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index webhook_endpoints_company on webhook_endpoints (company_id, workspace_id) where status = 'ACTIVE';
create index webhook_endpoints_workspace on webhook_endpoints (workspace_id, id);

create table webhook_deliveries (
  -- Also the webhook-id header: the same for every attempt and replay.
  id uuid primary key,
  endpoint_id uuid not null references webhook_endpoints (id) on delete cascade,
  company_id uuid not null,
  event_type text not null,
  -- The audit event id or the notification id.
  source_id text not null,
  -- The exact request body (the envelope), sent unchanged on every attempt.
  payload text not null,
  status text not null default 'PENDING' check (status in ('PENDING', 'DELIVERED', 'FAILED')),
  -- Replays start a new round; attempts_in_round counts against the 5-attempt schedule.
  round integer not null default 1,
  attempts_in_round integer not null default 0,
  attempt_count integer not null default 0,
  next_attempt_at timestamptz,
  -- A dispatcher that claimed the delivery holds it until then; a crashed one's lease runs out.
  lease_until timestamptz,
  created_at timestamptz not null default now(),
  delivered_at timestamptz,
  unique (endpoint_id, source_id)
);
create index webhook_deliveries_due on webhook_deliveries (endpoint_id, next_attempt_at) where status = 'PENDING';
create index webhook_deliveries_list on webhook_deliveries (endpoint_id, id desc);

create table webhook_attempts (
  delivery_id uuid not null references webhook_deliveries (id) on delete cascade,
  number integer not null,
  round integer not null,
  started_at timestamptz not null,
  status_code integer,
  latency_ms integer not null,
  error text,
  primary key (delivery_id, number)
);
`);
  }
}
