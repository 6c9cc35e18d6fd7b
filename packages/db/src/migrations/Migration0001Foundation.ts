import { Migration } from "@mikro-orm/migrations";

/** Tenancy, plans (seeded), API keys, and the append-only, hash-chained event log. */
export class Migration0001Foundation extends Migration {
  override name = "0001_foundation";

  override up(): void {
    this.addSql(`
create table plans (
  tier text primary key check (tier in ('FREE', 'STARTER', 'GROWTH', 'ENTERPRISE')),
  retention_days integer not null,
  export_row_limit bigint,
  max_webhooks integer not null,
  features jsonb not null
);
insert into plans (tier, retention_days, export_row_limit, max_webhooks, features) values
  ('FREE', 7, 10000, 0, '{"webhooks": false, "exports": false, "archivedExports": false, "coldStorage": false, "gdprWorkflows": false}'),
  ('STARTER', 30, 250000, 0, '{"webhooks": false, "exports": true, "archivedExports": false, "coldStorage": false, "gdprWorkflows": true}'),
  ('GROWTH', 90, 1000000, 3, '{"webhooks": true, "exports": true, "archivedExports": true, "coldStorage": false, "gdprWorkflows": true}'),
  ('ENTERPRISE', 180, null, 20, '{"webhooks": true, "exports": true, "archivedExports": true, "coldStorage": true, "gdprWorkflows": true}');

create table companies (
  id uuid primary key,
  name text not null,
  data_region text not null check (data_region in ('us', 'eu', 'uk', 'au')),
  plan_tier text not null references plans (tier),
  plan_overrides jsonb not null default '{}',
  created_at timestamptz not null default now()
);

create table workspaces (
  id uuid primary key,
  company_id uuid not null references companies (id),
  name text not null,
  created_at timestamptz not null default now()
);
create index workspaces_company_idx on workspaces (company_id);

create table projects (
  id uuid primary key,
  company_id uuid not null references companies (id),
  workspace_id uuid not null references workspaces (id),
  name text not null,
  created_at timestamptz not null default now()
);
create index projects_workspace_idx on projects (workspace_id);

create table api_keys (
  id uuid primary key,
  company_id uuid not null references companies (id),
  workspace_id uuid references workspaces (id),
  scope text not null check (scope in ('COMPANY', 'WORKSPACE')),
  name text not null,
  key_hash char(64) not null unique,
  prefix text not null,
  ip_allowlist text[] not null default '{}',
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  expires_at timestamptz,
  revoked_at timestamptz,
  revoked_reason text,
  rotated_from_id uuid references api_keys (id),
  check ((scope = 'WORKSPACE') = (workspace_id is not null))
);
create index api_keys_company_idx on api_keys (company_id);

create table log_heads (
  log_id uuid primary key,
  company_id uuid not null,
  sequence bigint not null,
  hash char(64) not null,
  updated_at timestamptz not null
);

create table audit_events (
  id uuid primary key,
  company_id uuid not null,
  workspace_id uuid,
  log_id uuid not null,
  project_id uuid,
  sequence bigint not null,
  prev_hash char(64) not null,
  hash char(64) not null,
  occurred_at timestamptz not null,
  received_at timestamptz not null,
  category text not null,
  action text not null,
  actor_id text,
  actor_type text,
  actor_email text,
  actor_name text,
  target_id text,
  target_type text,
  target_name text,
  changes jsonb not null default '[]',
  metadata jsonb not null default '{}',
  ip text,
  user_agent text,
  trace_id text,
  request_id text,
  idempotency_key text,
  constraint audit_events_log_sequence_key unique (log_id, sequence),
  constraint audit_events_log_idempotency_key unique (log_id, idempotency_key)
);
-- Keyset pagination is newest-first by id (UUIDv7): every read path has an index ending in id.
create index audit_events_workspace_idx on audit_events (workspace_id, id desc);
create index audit_events_company_idx on audit_events (company_id, id desc);
create index audit_events_workspace_action_idx on audit_events (workspace_id, action, id desc);
create index audit_events_company_actor_idx on audit_events (company_id, actor_id, id desc) where actor_id is not null;
create index audit_events_company_target_idx on audit_events (company_id, target_type, target_id, id) where target_id is not null;

-- Transactional outbox: one row per committed run of a log's events, deleted once published to
-- JetStream. A crash between commit and publish leaves the row for the sweeper to publish.
create table event_outbox (
  id bigserial primary key,
  log_id uuid not null,
  from_sequence bigint not null,
  to_sequence bigint not null,
  created_at timestamptz not null default now()
);

-- Append-only: events are never updated; deletes only by retention/erasure jobs that opt in.
create function audit_events_append_only() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' and current_setting('hyrelog.allow_delete', true) = 'on' then
    return old;
  end if;
  raise exception 'audit_events is append-only (% refused)', tg_op using errcode = 'insufficient_privilege';
end $$;
create trigger audit_events_append_only before update or delete on audit_events
  for each row execute function audit_events_append_only();
`);
  }
}
