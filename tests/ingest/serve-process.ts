/**
 * Runs `hyrelog serve --target=all` as a real child process (what a container runs), for tests
 * that need to kill a process mid-flight. Every child started here is remembered so that a
 * test file's afterAll can kill whatever is left even when a test failed.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { freePort, testMasterKey } from "@hyrelog/testing";

const ROOT = path.resolve(import.meta.dirname, "../..");

export interface ServeProcess {
  child: ChildProcess;
  gatewayUrl: string;
  /** stdout and stderr so far, for failure messages. */
  output(): string;
  /** Resolves when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface ServeOptions {
  databaseUrl: string;
  natsUrl: string;
  natsPrefix: string;
  apiKeySecret: string;
  env?: Record<string, string>;
}

const running = new Set<ChildProcess>();

export async function startServe(o: ServeOptions): Promise<ServeProcess> {
  const [servicePort, gatewayPort] = [await freePort(), await freePort()];
  const child = spawn(process.execPath, ["apps/cli/src/main.ts", "serve", "--target=all"], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      REGION: "us",
      DATABASE_URL: o.databaseUrl,
      NATS_URL: o.natsUrl,
      NATS_PREFIX: o.natsPrefix,
      API_KEY_SECRET: o.apiKeySecret,
      INTERNAL_TOKEN: randomBytes(16).toString("hex"),
      SERVICE_PORT: String(servicePort),
      GATEWAY_PORT: String(gatewayPort),
      REGION_ENDPOINTS: `us=http://127.0.0.1:${servicePort}`,
      LOG_LEVEL: "silent",
      // --target=all includes the webhook service, which needs its key.
      WEBHOOK_SECRET_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      PERSONAL_DATA_MASTER_KEY: testMasterKey(o.databaseUrl),
      ...o.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  let out = "";
  child.stdout!.on("data", (c) => (out += c));
  child.stderr!.on("data", (c) => (out += c));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("exit", (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    });
  });
  const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
  const deadline = Date.now() + 20_000;
  let exitedEarly = false;
  void exited.then(() => (exitedEarly = true));
  for (;;) {
    if (exitedEarly) throw new Error(`hyrelog serve exited during start-up:\n${out}`);
    try {
      const res = await fetch(`${gatewayUrl}/`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`hyrelog serve did not listen on ${gatewayUrl} within 20 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, gatewayUrl, output: () => out, exited };
}

/** SIGKILLs every child still running; for afterAll. */
export async function killAllServe(): Promise<void> {
  const waits = [...running].map(
    (child) =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGKILL");
      }),
  );
  await Promise.all(waits);
}

