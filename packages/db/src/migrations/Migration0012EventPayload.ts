import { Migration } from "@mikro-orm/migrations";

/**
 * Events may carry a `payload` object (the original HyreLog API's field, issue 14), stored as
 * sent and covered by the hash when present (docs/verification.md). Null for every event sent
 * without one, including every event stored before this migration: their hashed documents have no
 * payload field, so they verify exactly as before.
 */
export class Migration0012EventPayload extends Migration {
  override name = "0012_event_payload";

  override up(): void {
    this.addSql(`alter table audit_events add column payload jsonb`);
  }
}
