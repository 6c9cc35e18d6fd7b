import { MikroORM, PostgreSqlDriver } from "@mikro-orm/postgresql";
import { Migrator } from "@mikro-orm/migrations";
import { ENTITIES } from "./entities.ts";
import { MIGRATIONS } from "./migrations/index.ts";

export type Orm = MikroORM;

export interface OrmOptions {
  databaseUrl: string;
  poolMax?: number;
}

/** Connects to one region's database. Nothing connects at import time. */
export async function openOrm(opts: OrmOptions): Promise<Orm> {
  return MikroORM.init({
    driver: PostgreSqlDriver,
    clientUrl: opts.databaseUrl,
    entities: ENTITIES,
    extensions: [Migrator],
    migrations: { migrationsList: MIGRATIONS, transactional: true, allOrNothing: true, silent: true, snapshot: false },
    pool: { min: 0, max: opts.poolMax ?? 10 },
    allowGlobalContext: false,
    debug: false,
  });
}

/** Creates the database when it does not exist, then applies pending migrations. */
export async function migrateDatabase(databaseUrl: string): Promise<string[]> {
  await ensureDatabase(databaseUrl);
  const orm = await openOrm({ databaseUrl, poolMax: 1 });
  try {
    const applied = await orm.migrator.up();
    return applied.map((m) => m.name);
  } finally {
    await orm.close(true);
  }
}

/** Creates the database named in the URL when it is missing (connecting to `postgres`). */
export async function ensureDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  if (!/^[A-Za-z0-9_-]+$/.test(name)) throw new Error(`database name "${name}" must be letters, digits, _ or -`);
  url.pathname = "/postgres";
  const admin = await MikroORM.init({
    driver: PostgreSqlDriver,
    clientUrl: url.toString(),
    entities: ENTITIES,
    pool: { min: 0, max: 1 },
    debug: false,
  });
  try {
    const rows = await admin.em.getConnection().execute("select 1 from pg_database where datname = ?", [name]);
    if (rows.length === 0) {
      try {
        await admin.em.getConnection().execute(`create database "${name}"`);
      } catch (err) {
        // Another process created it between our check and create.
        if ((err as { code?: string }).code !== "42P04") throw err;
      }
    }
  } finally {
    await admin.close(true);
  }
}
