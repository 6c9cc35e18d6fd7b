import { Migration } from "@mikro-orm/migrations";

/**
 * Workspaces and projects can be archived (the dashboard service), never deleted: an archived
 * workspace accepts no new events from its keys, and events naming an archived project are refused
 * (ingest, through Tenancy). Its log, events, checkpoints and keys stay as they are, so it still
 * reads, exports and verifies. `archived_at` is set once and never cleared.
 */
export class Migration0009Archive extends Migration {
  override name = "0009_archive";

  override up(): void {
    this.addSql(`
alter table workspaces add column archived_at timestamptz;
alter table projects add column archived_at timestamptz;
`);
  }
}
