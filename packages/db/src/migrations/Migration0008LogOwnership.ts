import { Migration } from "@mikro-orm/migrations";

/**
 * A log belongs to exactly one company, and the database says so: no code path (today's or a
 * future service's) can append to another company's hash chain or open a log for a workspace that
 * is not the company's.
 *
 * - A log head names its owner: `log_id` is its workspace (workspace log) or its company
 *   (company-level log), and (workspace, company) must be a real pair of this region's database.
 * - Every event and checkpoint carries (log_id, company_id) matching its log's head (a foreign key
 *   for checkpoints, a statement-level check for events).
 * - Every other row that names a workspace next to a company (projects, keys, webhook endpoints,
 *   jobs) names a real pair.
 */
export class Migration0008LogOwnership extends Migration {
  override name = "0008_log_ownership";

  override up(): void {
    this.addSql(`
alter table workspaces add constraint workspaces_id_company_key unique (id, company_id);

alter table log_heads add column workspace_id uuid;
update log_heads h set workspace_id = h.log_id where exists (select 1 from workspaces w where w.id = h.log_id);

-- Logs written before this migration by a path that did not check ownership stop it here, named,
-- rather than being silently kept or dropped: they need an operator's decision.
do $$
declare bad text;
begin
  select string_agg(log_id::text, ', ') into bad from (
    select h.log_id from log_heads h
    where h.log_id <> coalesce(h.workspace_id, h.company_id)
       or not exists (select 1 from companies c where c.id = h.company_id)
       or (h.workspace_id is not null and not exists (select 1 from workspaces w where w.id = h.workspace_id and w.company_id = h.company_id))
    union
    select distinct e.log_id from audit_events e join log_heads h using (log_id)
    where e.company_id <> h.company_id or e.log_id <> coalesce(e.workspace_id, e.company_id)
  ) x;
  if bad is not null then
    raise exception 'logs with inconsistent owners: %; see docs/operations/deploy.md, "Log ownership"', bad;
  end if;
end $$;

alter table log_heads
  add constraint log_heads_owner_check check (log_id = coalesce(workspace_id, company_id)),
  add constraint log_heads_company_fkey foreign key (company_id) references companies (id),
  add constraint log_heads_workspace_fkey foreign key (workspace_id, company_id) references workspaces (id, company_id),
  add constraint log_heads_log_company_key unique (log_id, company_id);

alter table audit_events
  add constraint audit_events_owner_check check (log_id = coalesce(workspace_id, company_id));

-- Every inserted event's (log, company) is its log head's. A foreign key would say the same, but
-- checks row by row (about +35% on a bare 500-row INSERT here); this checks each statement's rows
-- in one anti-join (about +5%). Events are never updated (audit_events_append_only).
create function audit_events_log_owner() returns trigger language plpgsql as $$
begin
  if exists (select 1 from new_events e where not exists (select 1 from log_heads h where h.log_id = e.log_id and h.company_id = e.company_id)) then
    raise exception 'audit_events: an event names another company than its log''s owner, or a log without a head'
      using errcode = 'foreign_key_violation';
  end if;
  return null;
end $$;
create trigger audit_events_log_owner after insert on audit_events
  referencing new table as new_events for each statement execute function audit_events_log_owner();

alter table checkpoints
  add constraint checkpoints_log_fkey foreign key (log_id, company_id) references log_heads (log_id, company_id);

alter table projects
  add constraint projects_workspace_company_fkey foreign key (workspace_id, company_id) references workspaces (id, company_id);
alter table api_keys
  add constraint api_keys_workspace_company_fkey foreign key (workspace_id, company_id) references workspaces (id, company_id);
alter table webhook_endpoints
  add constraint webhook_endpoints_workspace_company_fkey foreign key (workspace_id, company_id) references workspaces (id, company_id);
alter table jobs
  add constraint jobs_workspace_company_fkey foreign key (workspace_id, company_id) references workspaces (id, company_id);
`);
  }
}
