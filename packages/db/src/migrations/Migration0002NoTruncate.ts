import { Migration } from "@mikro-orm/migrations";

/** The row-level append-only trigger does not see TRUNCATE; refuse it at statement level too. */
export class Migration0002NoTruncate extends Migration {
  override name = "0002_no_truncate";

  override up(): void {
    this.addSql(`
create function audit_events_no_truncate() returns trigger language plpgsql as $$
begin
  raise exception 'audit_events is append-only (TRUNCATE refused)' using errcode = 'insufficient_privilege';
end $$;
create trigger audit_events_no_truncate before truncate on audit_events
  for each statement execute function audit_events_no_truncate();
`);
  }
}
