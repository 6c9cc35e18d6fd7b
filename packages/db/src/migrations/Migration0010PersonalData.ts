import { Migration } from "@mikro-orm/migrations";

/**
 * Chain v2 (docs/adr/0012-personal-data-chain-v2.md): personal values leave the hashed document.
 * - `audit_events.v` is the hash-document version (1 for every event stored before);
 *   `personal` maps JSON pointers to commitments (hashed); `sealed` holds each subject's
 *   encrypted values; `actor_email_index` is the keyed blind index `actorEmail` filters use.
 * - `data_subjects`: one key per data subject per company, wrapped by the region's master key.
 *   Erasure destroys `wrapped_key`; the row stays as the record of what was erased.
 * - `gdpr_requests` and `gdpr_approvals`: subject access and erasure requests, who decided what.
 * The append-only trigger lets erasure clear an event's blind index, which no hash covers.
 */
export class Migration0010PersonalData extends Migration {
  override name = "0010_personal_data";

  override up(): void {
    this.addSql(`
alter table audit_events
  add column v smallint not null default 1,
  add column personal jsonb,
  add column sealed jsonb,
  add column actor_email_index text,
  add constraint audit_events_v2_shape check ((v = 1 and personal is null and sealed is null) or (v = 2 and personal is not null and sealed is not null));
create index audit_events_company_email_idx on audit_events (company_id, actor_email_index, id desc) where actor_email_index is not null;
create index audit_events_company_email_v1_idx on audit_events (company_id, actor_email, id desc) where actor_email is not null;

create or replace function audit_events_append_only() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' and current_setting('hyrelog.allow_delete', true) = 'on' then
    return old;
  end if;
  -- Erasure unlinks an erased subject's events from their email; the blind index is not hashed.
  if tg_op = 'UPDATE' and new.actor_email_index is null
     and (to_jsonb(new) - 'actor_email_index') = (to_jsonb(old) - 'actor_email_index') then
    return new;
  end if;
  raise exception 'audit_events is append-only (% refused)', tg_op using errcode = 'insufficient_privilege';
end $$;

create table data_subjects (
  id uuid primary key,
  company_id uuid not null references companies (id),
  -- The actor.id / target.id the sender uses for this person (pseudonymous, also in clear on events).
  external_id text not null,
  -- AES-256-GCM of the subject's key under the region master key named by key_id; null once erased.
  wrapped_key text,
  key_id text not null,
  created_at timestamptz not null default now(),
  erased_at timestamptz,
  erasure_request_id uuid,
  check ((wrapped_key is null) = (erased_at is not null))
);
-- One live subject per id; after an erasure, new events of the same id start a new subject.
create unique index data_subjects_live_idx on data_subjects (company_id, external_id) where erased_at is null;
create index data_subjects_external_idx on data_subjects (company_id, external_id);

create table gdpr_requests (
  id uuid primary key,
  company_id uuid not null references companies (id),
  kind text not null check (kind in ('ACCESS', 'ERASURE')),
  -- The subject as named: an actor/target id, or an email's blind index (never the email itself).
  subject_id text,
  subject_email_index text,
  check ((subject_id is null) <> (subject_email_index is null)),
  reason text,
  status text not null check (status in ('PENDING_APPROVAL', 'APPROVED', 'REJECTED', 'CANCELLED', 'COMPLETED')),
  requested_by text not null,
  -- The approvals an erasure needs, fixed from the plan when it is asked for.
  needs_customer_approval boolean not null default true,
  needs_hyrelog_approval boolean not null default false,
  job_id uuid,
  result jsonb,
  error text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index gdpr_requests_company_idx on gdpr_requests (company_id, id desc);

create table gdpr_approvals (
  id uuid primary key,
  request_id uuid not null references gdpr_requests (id),
  company_id uuid not null references companies (id),
  -- Who decided: an API key id, or a dashboard user id, and as what.
  decided_by text not null,
  role text not null check (role in ('CUSTOMER', 'HYRELOG_ADMIN')),
  decision text not null check (decision in ('APPROVE', 'REJECT')),
  comment text,
  created_at timestamptz not null default now(),
  unique (request_id, decided_by)
);

-- Whether an erasure also needs a HyreLog admin's approval (a company's overrides may change it).
update plans set features = features || jsonb_build_object('gdprHyrelogApproval', tier = 'STARTER');
`);
  }
}
