import { Migration } from "@mikro-orm/migrations";

/**
 * Retention classes (seed 002's audit levels): a company keeps events of some categories hot for
 * longer or shorter than its plan's hot retention (docs/operations/archival.md, "Retention classes").
 */
export class Migration0015RetentionClasses extends Migration {
  override name = "0015_retention_classes";

  override up(): void {
    this.addSql(`
create table retention_classes (
  company_id uuid not null references companies (id),
  category text not null,
  hot_retention_days integer not null check (hot_retention_days >= 1),
  updated_at timestamptz not null default now(),
  primary key (company_id, category)
);
`);
  }
}
