#!/usr/bin/env node
/**
 * The one entrypoint: `hyrelog serve --target=all|gateway,ingest,...`, `hyrelog migrate`,
 * `hyrelog dev`, `hyrelog verify`, `hyrelog keygen`, `hyrelog admin`. Each command loads only what it needs.
 */
import { generateKeyPairSync } from "node:crypto";
import { ConfigError, loadMigrateConfig, parseTargets } from "@hyrelog/config";

const USAGE = `usage:
  hyrelog serve [--target=all|gateway,keys,ingest,...]     run services (configured by environment variables)
  hyrelog migrate                                          apply database migrations to DATABASE_URL
  hyrelog dev                                              run the local development stack
  hyrelog verify --events <file> [--checkpoint <file> --key <vkey>] [--region <region>] [--json]
                                                           verify an exported log offline (hyrelog verify --help)
  hyrelog verify --archive <file.jsonl.gz> [--key <vkey>]... [--json]
                                                           verify an archive offline
  hyrelog keygen [--name=<key name>]                       make an Ed25519 checkpoint signing key (CHECKPOINT_SIGNING_KEY)
  hyrelog personal-data index-key                          print the PERSONAL_DATA_INDEX_KEY derived from PERSONAL_DATA_MASTER_KEY (pin it before rotating)
  hyrelog admin company|workspace|key create …             first steps of an installation through a running stack (hyrelog admin --help)
  hyrelog job run <name> [--as-of <time>]                  run a periodic job of the region now (retention-marking, archival, archive-verification, hot-purge, cold-marking)`;

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const flag = (name: string) => rest.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
  switch (command) {
    case "serve": {
      const targets = parseTargets(flag("target") ?? "all");
      // In the registry's order: services before the gateway, so the gateway starts accepting last.
      const builders = await (await import("@hyrelog/server")).buildersFor(targets);
      const { runMain } = await import("@hyrelog/runtime");
      await runMain(targets, builders);
      return;
    }
    case "migrate": {
      const { migrateDatabase } = await import("@hyrelog/db");
      const applied = await migrateDatabase(loadMigrateConfig(process.env).databaseUrl);
      console.log(applied.length ? `applied: ${applied.join(", ")}` : "database is up to date");
      return;
    }
    case "dev":
      await (await import("./dev.ts")).runDev(process.env);
      return;
    case "verify":
      process.exitCode = await (await import("./verify.ts")).runVerify(rest);
      return;
    case "admin":
      process.exitCode = await (await import("./admin.ts")).runAdmin(rest);
      return;
    case "job":
      process.exitCode = await (await import("./admin.ts")).runAdmin(argv);
      return;
    case "keygen": {
      const { signingKey } = await import("@hyrelog/core");
      const { privateKey } = generateKeyPairSync("ed25519");
      console.log(`CHECKPOINT_SIGNING_KEY=${privateKey.export({ type: "pkcs8", format: "der" }).toString("base64")}`);
      // The key id depends on the name: show the public verifier key under each default name.
      const names = flag("name") ? [flag("name")!] : ["hyrelog.us", "hyrelog.eu", "hyrelog.uk", "hyrelog.au"];
      for (const name of names) console.log(`# CHECKPOINT_KEY_NAME=${name}: verifier key ${signingKey(name, privateKey).verifierKey}`);
      console.log("# Keep the private key in a secret store; every region may have its own.");
      return;
    }
    case "personal-data": {
      // Rotating PERSONAL_DATA_MASTER_KEY must not change the blind-index key: pin the one in use first.
      const master = process.env.PERSONAL_DATA_MASTER_KEY;
      if (rest[0] !== "index-key" || !master) {
        console.error(rest[0] !== "index-key" ? USAGE : "PERSONAL_DATA_MASTER_KEY is not set: run this with the region's current master key in the environment");
        process.exit(2);
      }
      const { derivedIndexKey } = await import("@hyrelog/core");
      console.log(`PERSONAL_DATA_INDEX_KEY=${process.env.PERSONAL_DATA_INDEX_KEY || derivedIndexKey(master)}`);
      console.log("# Keep it in the region's secrets beside PERSONAL_DATA_MASTER_KEY; it stays the same across master key rotations.");
      return;
    }
    default:
      console.error(USAGE);
      process.exit(command ? 2 : 0);
  }
}

main(process.argv.slice(2)).catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
