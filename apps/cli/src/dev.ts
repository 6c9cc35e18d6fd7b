import { spawn, type ChildProcess } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { loadDevConfig, REGION_TARGETS, type DevConfig } from "@hyrelog/config";
import { migrateDatabase, openOrm, seedCompany, type SeededCompany } from "@hyrelog/db";
import type { PlanTierName, RegionCode } from "@hyrelog/core";
import {
  createBuckets,
  hasExited,
  S3RVER_CREDENTIALS,
  S3RVER_ENV,
  startEmbeddedPostgres,
  startNatsServer,
  startS3rver,
  stopChild,
  waitForPort,
  type EmbeddedProcess,
} from "@hyrelog/local-infra";

const MAIN = path.join(import.meta.dirname, "main.ts");
/** How long the region processes get to drain (their RPC server alone may take SHUTDOWN_TIMEOUT_MS, 10 s). */
const SERVICE_STOP_MS = 20_000;
/** How long a shutdown waits for a server that is still starting, so that it can be stopped too. */
const START_WAIT_MS = 20_000;

interface DevState {
  apiKeySecret: string;
  internalToken: string;
  /** Base64 PKCS#8 Ed25519 key that signs checkpoints (dev only; production takes it from a secret). */
  checkpointSigningKey?: string;
  /** Base64 AES-256 key sealing webhook secrets at rest (dev only). */
  webhookSecretEncryptionKey?: string;
  /** Per region: base64 AES-256 master key wrapping data subjects' keys (dev only; production uses a KMS). */
  personalDataMasterKeys?: Record<string, string>;
  /** Opens /dashboard/* (x-dashboard-token), as the dashboard application would (dev only). */
  dashboardServiceToken?: string;
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
  // What runs, in start order: the embedded servers, then one process per region.
  const servers: EmbeddedProcess[] = [];
  const regionProcesses: Array<{ what: string; child: ChildProcess }> = [];
  let starting: Promise<unknown> = Promise.resolve();
  let stopping = false;

  /**
   * Region processes first, then the servers in reverse start order. Every wait is bounded: what does
   * not stop in time is SIGKILLed and the exit code becomes 1. `reason` is set when something crashed.
   */
  const shutdown = async (reason: string | null) => {
    if (stopping) return;
    stopping = true;
    console.log("\nstopping HyreLog…");
    let code = reason ? 1 : 0;
    const failed = (err: unknown) => {
      console.error((err as Error).message);
      code = 1;
    };
    await Promise.all(regionProcesses.map(({ what, child }) => stopChild(child, what, "SIGTERM", SERVICE_STOP_MS).catch(failed)));
    // A server still starting joins `servers` when its start resolves; wait for it, but not forever.
    if (!(await Promise.race([starting.then(() => true), sleep(START_WAIT_MS, false)]))) {
      failed(new Error(`a server was still starting after ${START_WAIT_MS / 1000} s; it may be left running`));
    }
    for (const server of [...servers].reverse()) await server.stop().catch(failed);
    console.error(reason ? `HyreLog stopped because ${reason}.` : code ? "HyreLog stopped, not cleanly." : "HyreLog stopped.");
    process.exit(code);
  };
  /** A second Ctrl-C / SIGTERM while stopping: SIGKILL whatever still runs and exit at once. */
  const force = () => {
    console.error("\nsecond signal: forcing the exit, killing what is still running (SIGKILL)");
    for (const child of [...regionProcesses.map((p) => p.child), ...servers.map((s) => s.process)]) {
      if (!hasExited(child)) child.kill("SIGKILL");
    }
    process.exit(1);
  };
  const onSignal = () => (stopping ? force() : void shutdown(null));
  // SIGHUP too (the terminal closed): the servers, in their own process groups, would be left running.
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, onSignal);

  /** Any of our processes dying while HyreLog runs takes the whole stack down, saying which and how. */
  const watch = (what: string, child: ChildProcess) =>
    child.once("exit", (code, signal) => {
      if (stopping) return;
      const reason = `${what} ${signal ? `was killed by ${signal}` : `exited with code ${code}`}`;
      console.error(`\n${reason}; stopping everything`);
      void shutdown(reason);
    });
  const embedded = async (what: string, start: () => Promise<EmbeddedProcess>): Promise<string> => {
    if (stopping) throw new Error("stopping");
    console.log(`starting embedded ${what}…`);
    const started = start().then((server) => {
      servers.push(server);
      watch(`the embedded ${what} (pid ${server.process.pid})`, server.process);
      return server;
    });
    starting = started.catch(() => {});
    return (await started).url;
  };

  try {
    // Each server in a process group of its own: a terminal's Ctrl-C reaches this process and the
    // region processes, not the servers, which shutdown() stops after the services have drained.
    const own = { ownProcessGroup: true };
    const pgBase = cfg.postgresUrl ?? (await embedded("PostgreSQL", () => startEmbeddedPostgres(path.join(dataDir, "postgres"), cfg.embeddedPostgresPort, own)));
    const natsUrl = cfg.natsUrl ?? (await embedded("nats-server", () => startNatsServer(path.join(dataDir, "nats"), cfg.embeddedNatsPort, own)));
    // Exports need S3: a local s3rver with one bucket per region (hyrelog-<region>) unless S3_ENDPOINT is set.
    const s3Env: Record<string, string> = {};
    if (!cfg.s3Endpoint) {
      const s3Url = await embedded("s3rver", () => startS3rver(path.join(dataDir, "s3"), cfg.embeddedS3Port, own));
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
    state.personalDataMasterKeys ??= {};
    for (const region of cfg.regions) state.personalDataMasterKeys[region] ??= randomBytes(32).toString("base64");
    state.dashboardServiceToken ??= randomBytes(32).toString("base64url");
    state.checkpointSigningKey ??= generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "der" }).toString("base64");
    writeFileSync(statePath, JSON.stringify(state, null, 2), { mode: 0o600 });

    if (stopping) return; // a Ctrl-C during start-up: start no processes that nobody would stop
    const endpoints = cfg.regions.map((r) => `${r}=${regions[r]!.serviceUrl}`).join(",");
    for (const [i, region] of cfg.regions.entries()) {
      const targets = i === 0 ? "all" : REGION_TARGETS.join(",");
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
          PERSONAL_DATA_MASTER_KEY: state.personalDataMasterKeys[region],
          DASHBOARD_SERVICE_TOKEN: state.dashboardServiceToken,
          ...s3Env,
          // Local receivers (node tools/webhook-receiver.js) listen on localhost.
          WEBHOOK_ALLOW_LOOPBACK: env.WEBHOOK_ALLOW_LOOPBACK ?? "true",
          SERVICE_PORT: String(cfg.servicePortBase + i),
          GATEWAY_PORT: String(cfg.gatewayPort),
          REGION_ENDPOINTS: endpoints,
          LOG_LEVEL: cfg.logLevel,
        },
      });
      const what = `the ${region} process (serve --target=${targets}, pid ${child.pid})`;
      watch(what, child);
      regionProcesses.push({ what, child });
    }
    await waitForPort("127.0.0.1", cfg.gatewayPort, 30_000, "the gateway");
    const gatewayUrl = `http://127.0.0.1:${cfg.gatewayPort}`;
    const { checkpointSigningKey: _privateKey, webhookSecretEncryptionKey: _encryptionKey, personalDataMasterKeys: _masterKeys, ...shared } = state;
    const devJson: DevJson = { gatewayUrl, natsUrl, regions, ...shared };
    writeFileSync(path.join(dataDir, "dev.json"), JSON.stringify(devJson, null, 2) + "\n", { mode: 0o600 });
    printBanner(cfg, gatewayUrl, fresh, dataDir, state.dashboardServiceToken);
  } catch (err) {
    if (stopping) return; // start-up failed because we are stopping; the shutdown exits
    console.error(`\nHyreLog could not start:\n${(err as Error).message}`);
    await shutdown("it could not start");
  }
}

function printBanner(cfg: DevConfig, gatewayUrl: string, fresh: Array<SeededCompany & { name: string }>, dataDir: string, dashboardToken: string): void {
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
  lines.push(
    "",
    `Dashboard API (README, "Dashboard API"): x-dashboard-token: ${dashboardToken}`,
    `  e.g. curl -s ${gatewayUrl}/dashboard/admin/companies -H 'x-dashboard-token: ${dashboardToken}' \\`,
    "       -H 'x-user-id: u_1' -H 'x-user-email: you@example.com' -H 'x-user-role: HYRELOG_ADMIN'",
  );
  lines.push(`Ids and keys for scripts: ${path.join(dataDir, "dev.json")}`, "Press Ctrl-C to stop.", "");
  console.log(lines.join("\n"));
}
