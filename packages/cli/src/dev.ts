import { spawn, type ChildProcess } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { loadDevConfig, type DevConfig } from "@hyrelog/config";
import { migrateDatabase, openOrm, seedCompany, type SeededCompany } from "@hyrelog/db";
import type { PlanTierName, RegionCode } from "@hyrelog/core";
import { createBuckets, S3RVER_CREDENTIALS, S3RVER_ENV, startEmbeddedPostgres, startNatsServer, startS3rver, waitForPort, type Embedded } from "./infra.ts";

const MAIN = path.join(import.meta.dirname, "main.ts");

interface DevState {
  apiKeySecret: string;
  internalToken: string;
  /** Base64 PKCS#8 Ed25519 key that signs checkpoints (dev only; production takes it from a secret). */
  checkpointSigningKey?: string;
  /** Base64 AES-256 key sealing webhook secrets at rest (dev only). */
  webhookSecretEncryptionKey?: string;
  companies: Array<SeededCompany & { name: string }>;
}

/** Written for scripts: the gateway URL and every seeded company's ids and keys. */
export interface DevJson extends DevState {
  gatewayUrl: string;
  regions: Record<string, { databaseUrl: string; serviceUrl: string }>;
  natsUrl: string;
}

const DEMO_COMPANIES: Array<{ name: string; region: RegionCode }> = [
  { name: "Acme Corp", region: "us" },
  { name: "Globex GmbH", region: "eu" },
  { name: "Initech Ltd", region: "uk" },
  { name: "Wayne Pty", region: "au" },
];

/** `pnpm dev`: infrastructure (found or embedded), migrations, seed, and one process per region. */
export async function runDev(env: NodeJS.ProcessEnv): Promise<void> {
  const cfg = loadDevConfig(env);
  const dataDir = path.resolve(cfg.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const stoppers: Array<() => Promise<void>> = [];
  const children: ChildProcess[] = [];
  let shuttingDown = false;
  const shutdown = async (code: number) => {
    if (shuttingDown) return;
    shuttingDown = true;
    console.log("\nstopping HyreLog…");
    await Promise.all(children.map((c) => new Promise<void>((r) => (c.exitCode !== null ? r() : (c.once("exit", () => r()), c.kill("SIGTERM"))))));
    for (const stop of stoppers.reverse()) await stop().catch(() => {});
    process.exit(code);
  };
  process.on("SIGINT", () => void shutdown(0));
  process.on("SIGTERM", () => void shutdown(0));

  try {
    const pgBase = cfg.postgresUrl ?? (await embedded(stoppers, () => startEmbeddedPostgres(path.join(dataDir, "postgres"), cfg.embeddedPostgresPort), "PostgreSQL"));
    const natsUrl = cfg.natsUrl ?? (await embedded(stoppers, () => startNatsServer(path.join(dataDir, "nats"), cfg.embeddedNatsPort), "nats-server"));
    // Exports need S3: a local s3rver with one bucket per region (hyrelog-<region>) unless S3_ENDPOINT is set.
    const s3Env: Record<string, string> = {};
    if (!cfg.s3Endpoint) {
      const s3Url = await embedded(stoppers, () => startS3rver(path.join(dataDir, "s3"), cfg.embeddedS3Port), "s3rver");
      await createBuckets(s3Url, S3RVER_CREDENTIALS, cfg.regions.map((r) => `hyrelog-${r}`));
      Object.assign(s3Env, { S3_ENDPOINT: s3Url, ...S3RVER_ENV });
    }
    const statePath = path.join(dataDir, "state.json");
    const state: DevState = existsSync(statePath)
      ? JSON.parse(readFileSync(statePath, "utf8"))
      : { apiKeySecret: randomBytes(32).toString("base64url"), internalToken: randomBytes(24).toString("base64url"), companies: [] };

    const regions: DevJson["regions"] = {};
    const fresh: Array<SeededCompany & { name: string }> = [];
    for (const [i, region] of cfg.regions.entries()) {
      const databaseUrl = `${pgBase.replace(/\/$/, "")}/hyrelog_${region}`;
      regions[region] = { databaseUrl, serviceUrl: `http://127.0.0.1:${cfg.servicePortBase + i}` };
      const applied = await migrateDatabase(databaseUrl);
      if (applied.length) console.log(`migrated ${region}: ${applied.join(", ")}`);
      const demo = DEMO_COMPANIES.find((c) => c.region === region)!;
      if (!state.companies.some((c) => c.region === region)) {
        const orm = await openOrm({ databaseUrl, poolMax: 1 });
        try {
          const seeded = await seedCompany(orm, {
            name: demo.name,
            region,
            plan: cfg.seedPlan as PlanTierName,
            apiKeySecret: state.apiKeySecret,
            companyKeyAllowlist: ["127.0.0.1", "::1"],
          });
          state.companies.push({ ...seeded, name: demo.name });
          fresh.push({ ...seeded, name: demo.name });
        } finally {
          await orm.close(true);
        }
      }
    }
    state.webhookSecretEncryptionKey ??= randomBytes(32).toString("base64");
    state.checkpointSigningKey ??= generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "der" }).toString("base64");
    writeFileSync(statePath, JSON.stringify(state, null, 2), { mode: 0o600 });

    const endpoints = cfg.regions.map((r) => `${r}=${regions[r]!.serviceUrl}`).join(",");
    for (const [i, region] of cfg.regions.entries()) {
      const targets = i === 0 ? "all" : "keys,ingest,query,webhook,export";
      const child = spawn(process.execPath, [MAIN, "serve", `--target=${targets}`], {
        stdio: ["ignore", "inherit", "inherit"],
        env: {
          ...env,
          REGION: region,
          DATABASE_URL: regions[region]!.databaseUrl,
          NATS_URL: natsUrl,
          API_KEY_SECRET: state.apiKeySecret,
          INTERNAL_TOKEN: state.internalToken,
          CHECKPOINT_SIGNING_KEY: state.checkpointSigningKey,
          WEBHOOK_SECRET_ENCRYPTION_KEY: state.webhookSecretEncryptionKey,
          ...s3Env,
          // Local receivers (node tools/webhook-receiver.js) listen on localhost.
          WEBHOOK_ALLOW_LOOPBACK: env.WEBHOOK_ALLOW_LOOPBACK ?? "true",
          SERVICE_PORT: String(cfg.servicePortBase + i),
          GATEWAY_PORT: String(cfg.gatewayPort),
          REGION_ENDPOINTS: endpoints,
          LOG_LEVEL: cfg.logLevel,
        },
      });
      child.once("exit", (code) => {
        if (!shuttingDown) {
          console.error(`the ${region} process exited (code ${code}); stopping`);
          void shutdown(1);
        }
      });
      children.push(child);
    }
    await waitForPort("127.0.0.1", cfg.gatewayPort, 30_000, "the gateway");
    const gatewayUrl = `http://127.0.0.1:${cfg.gatewayPort}`;
    const { checkpointSigningKey: _privateKey, webhookSecretEncryptionKey: _encryptionKey, ...shared } = state;
    const devJson: DevJson = { gatewayUrl, natsUrl, regions, ...shared };
    writeFileSync(path.join(dataDir, "dev.json"), JSON.stringify(devJson, null, 2) + "\n", { mode: 0o600 });
    printBanner(cfg, gatewayUrl, fresh, dataDir);
  } catch (err) {
    console.error(`\nHyreLog could not start:\n${(err as Error).message}`);
    await shutdown(1);
  }
}

async function embedded(stoppers: Array<() => Promise<void>>, start: () => Promise<Embedded>, what: string): Promise<string> {
  console.log(`starting embedded ${what}…`);
  const e = await start();
  stoppers.push(e.stop);
  return e.url;
}

function printBanner(cfg: DevConfig, gatewayUrl: string, fresh: Array<SeededCompany & { name: string }>, dataDir: string): void {
  const lines = ["", `HyreLog is running: ${gatewayUrl}  (regions: ${cfg.regions.join(", ")})`];
  for (const c of fresh) {
    lines.push(
      "",
      `Seeded ${c.name} (${c.region.toUpperCase()}, ${c.plan}): company ${c.companyId}, workspace ${c.workspaceId}, project ${c.projectId}`,
      `  company key   (read/export, key management from 127.0.0.1): ${c.companyKey}`,
      `  workspace key (ingest + read):                              ${c.workspaceKey}`,
    );
  }
  if (fresh.length) lines.push("", "These keys are shown once here; they are also in the file below.");
  lines.push(`Ids and keys for scripts: ${path.join(dataDir, "dev.json")}`, "Press Ctrl-C to stop.", "");
  console.log(lines.join("\n"));
}
