import { Migration } from "@mikro-orm/migrations";

/**
 * An outbox for CHECKPOINT_PUBLISHED: a row is written with its checkpoint, in the same
 * transaction, and deleted once the notification is on JetStream. Rows a crash or a NATS outage
 * left behind are published again by the checkpointer's sweep. (checkpoints itself is append-only.)
 */
export class Migration0007CheckpointAnnouncements extends Migration {
  override name = "0007_checkpoint_announcements";

  override up(): void {
    this.addSql(`
create table checkpoint_announcements (
  log_id uuid not null,
  tree_size bigint not null,
  created_at timestamptz not null default now(),
  primary key (log_id, tree_size),
  foreign key (log_id, tree_size) references checkpoints (log_id, tree_size)
);`);
  }
}
