import { Migration } from "@mikro-orm/migrations";

/**
 * Verifiable logs: each log is also an RFC 9162 Merkle tree over its event hashes. Signed
 * checkpoints commit to its size and root; stored subtree hashes keep proofs O(log n) reads.
 */
export class Migration0004Checkpoints extends Migration {
  override name = "0004_checkpoints";

  override up(): void {
    this.addSql(`
create table signing_keys (
  key_id text primary key,
  name text not null,
  verifier_key text not null unique,
  valid_from timestamptz not null default now(),
  valid_until timestamptz
);

create table checkpoints (
  log_id uuid not null,
  company_id uuid not null,
  tree_size bigint not null check (tree_size > 0),
  root_hash char(64) not null,
  created_at timestamptz not null default now(),
  signed_note text not null,
  key_id text not null references signing_keys (key_id),
  primary key (log_id, tree_size)
);

-- Hash of the complete subtree of 2^level leaves starting at leaf idx * 2^level, for level >= 8.
-- Smaller subtrees are recomputed from at most 255 event hashes.
create table merkle_nodes (
  log_id uuid not null,
  level smallint not null check (level >= 8),
  idx bigint not null,
  hash char(64) not null,
  primary key (log_id, level, idx)
);

create function checkpoints_append_only() returns trigger language plpgsql as $$
begin
  raise exception '% is append-only (% refused)', tg_table_name, tg_op using errcode = 'insufficient_privilege';
end $$;
create trigger checkpoints_append_only before update or delete or truncate on checkpoints
  for each statement execute function checkpoints_append_only();
create trigger merkle_nodes_append_only before update or delete or truncate on merkle_nodes
  for each statement execute function checkpoints_append_only();
`);
  }
}
