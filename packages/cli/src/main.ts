#!/usr/bin/env node
/**
 * The one entrypoint: `hyrelog serve --target=all|gateway,ingest,...`, `hyrelog migrate`,
 * `hyrelog dev`.
 */
import { ConfigError, loadMigrateConfig, parseTargets, type Target } from "@hyrelog/config";
import { migrateDatabase } from "@hyrelog/db";
import { runMain, type ServiceBuilder } from "@hyrelog/runtime";
import { build as gateway } from "@hyrelog/gateway";
import { build as ingest } from "@hyrelog/ingest";
import { build as keys } from "@hyrelog/keys";
import { build as query } from "@hyrelog/query";
import { runDev } from "./dev.ts";

const BUILDERS: Record<Target, ServiceBuilder> = { keys, ingest, query, gateway };
const USAGE = `usage:
  hyrelog serve [--target=all|gateway,keys,ingest,query]   run services (configured by environment variables)
  hyrelog migrate                                          apply database migrations to DATABASE_URL
  hyrelog dev                                              run the local development stack`;

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const flag = (name: string) => rest.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
  switch (command) {
    case "serve": {
      const targets = parseTargets(flag("target") ?? "all");
      // Services before the gateway, so the gateway starts accepting last.
      const order: Target[] = ["keys", "ingest", "query", "gateway"];
      await runMain(targets, order.filter((t) => targets.includes(t)).map((t) => BUILDERS[t]));
      return;
    }
    case "migrate": {
      const applied = await migrateDatabase(loadMigrateConfig(process.env).databaseUrl);
      console.log(applied.length ? `applied: ${applied.join(", ")}` : "database is up to date");
      return;
    }
    case "dev":
      await runDev(process.env);
      return;
    default:
      console.error(USAGE);
      process.exit(command ? 2 : 0);
  }
}

main(process.argv.slice(2)).catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
