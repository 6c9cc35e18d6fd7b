/** Child processes, ports and database lifecycle for the bench. */
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import http2 from "node:http2";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { freePort } from "@hyrelog/testing";
export { freePort };

export const ROOT = path.resolve(import.meta.dirname, "..");


/** `base` (a server URL, any database path ignored) pointed at `database`. */
export function databaseUrl(base: string, database: string): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function dropDatabase(base: string, name: string): Promise<void> {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`refusing to drop database "${name}"`);
  await withClient(databaseUrl(base, "postgres"), (c) => c.query(`drop database if exists "${name}" with (force)`));
}

/** Polls `url` with GET until it answers 2xx, the child exits, or the deadline passes. */
export async function waitForHttp(url: string, timeoutMs: number, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`the server exited (code ${child.exitCode}) before answering ${url}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.ok) return;
      last = `status ${res.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await sleep(200);
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms (${last})`);
}

/** Waits until `url` (a service port: HTTP/2 without TLS only) accepts an HTTP/2 connection. */
export async function waitForH2c(url: string, timeoutMs: number, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`the server exited (code ${child.exitCode}) before listening at ${url}`);
    try {
      await new Promise<void>((resolve, reject) => {
        const session = http2.connect(url);
        session.once("connect", () => (session.close(), resolve()));
        session.once("error", reject);
      });
      return;
    } catch (err) {
      last = (err as Error).message;
    }
    await sleep(200);
  }
  throw new Error(`${url} did not accept HTTP/2 within ${timeoutMs} ms (${last})`);
}

/** Sends SIGTERM, waits up to `graceMs` for exit, then SIGKILL. */
export async function stopChild(child: ChildProcess | undefined, graceMs: number): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const done = await Promise.race([exited.then(() => true), sleep(graceMs).then(() => false)]);
  if (!done) {
    child.kill("SIGKILL");
    await exited;
  }
}

export interface ServerChild {
  child: ChildProcess;
  logFile: string;
}

/**
 * `node apps/cli/src/main.ts serve --target=all` (or other targets), output to a log file.
 * `cgroup`: start the process inside this memory cgroup (see memoryCgroup); its pid stays the server's.
 */
export function spawnServer(env: Record<string, string>, nodeArgs: string[], logFile: string, target = "all", cgroup?: MemoryCgroup): ServerChild {
  const log = createWriteStream(logFile);
  const args = [...nodeArgs, path.join(ROOT, "apps/cli/src/main.ts"), "serve", `--target=${target}`];
  const [command, argv] = cgroup
    ? ["sh", ["-c", 'echo $$ > "$0" && exec "$@"', cgroup.procsFile, process.execPath, ...args]]
    : [process.execPath, args];
  const child = spawn(command, argv, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.pipe(log, { end: false });
  child.stderr!.pipe(log, { end: false });
  child.once("exit", () => setTimeout(() => log.end(), 100));
  return { child, logFile };
}

/** A memory cgroup: processes written to procsFile are held to its limit, as a Kubernetes pod's are. */
export interface MemoryCgroup {
  procsFile: string;
  remove(): void;
}

/**
 * A memory cgroup limited to `bytes` (cgroup v2, or v1's memory controller), or why one cannot be
 * made here (it needs root and a writable cgroup file system). Node sizes its default heap from
 * this limit, as it does in a container.
 */
export function memoryCgroup(name: string, bytes: number): MemoryCgroup | { unavailable: string } {
  const v2 = "/sys/fs/cgroup/cgroup.controllers";
  const [dir, limitFile] = existsSync(v2) ? [`/sys/fs/cgroup/${name}`, "memory.max"] : [`/sys/fs/cgroup/memory/${name}`, "memory.limit_in_bytes"];
  try {
    mkdirSync(dir);
    writeFileSync(path.join(dir, limitFile), String(bytes));
  } catch (err) {
    return { unavailable: `cannot make a memory cgroup at ${dir} (${(err as Error).message.split("\n")[0]}); it needs root and a writable cgroup file system` };
  }
  return {
    procsFile: path.join(dir, "cgroup.procs"),
    remove: () => {
      try {
        rmdirSync(dir);
      } catch {
        // still holds a process that is exiting; the name is unique per run
      }
    },
  };
}

export function tailFile(file: string, lines: number): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  }
}

/** The bare HTTP baseline server (bench/bare-http.ts) in its own process; resolves with its port. */
export function spawnBareHttp(): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, "bench/bare-http.ts")], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error("the bare HTTP server did not start within 10 s"));
    }, 10_000);
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /port=(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]) });
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the bare HTTP server exited (code ${code})`));
    });
  });
}

/** CPU seconds (user + system) a process has used, from /proc; null when unavailable. */
export function processCpuSeconds(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // Fields after the command: state is [0]; utime is field 14 overall -> [11], stime [12].
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** Busy and total jiffies of the whole machine, from /proc/stat. */
export function machineCpu(): { busy: number; total: number } | null {
  try {
    const line = readFileSync("/proc/stat", "utf8").split("\n")[0]!;
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = (v[3] ?? 0) + (v[4] ?? 0);
    const total = v.reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

export interface ScriptResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  /** Parsed `RESULT <json>` lines of its stdout, in order. */
  results: unknown[];
  stderrTail: string;
}

/**
 * Runs a bench script (`node <nodeArgs> <script> <args>`) to completion, killing it after
 * `timeoutMs`; `onChild` gets the child at once (for cleanup on signals).
 */
export function runNodeScript(
  script: string,
  o: { nodeArgs?: string[]; args?: string[]; env?: Record<string, string>; timeoutMs: number; onChild?: (c: ChildProcess) => void },
): Promise<ScriptResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(o.nodeArgs ?? []), path.join(ROOT, script), ...(o.args ?? [])], {
      cwd: ROOT,
      env: { ...process.env, ...o.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    o.onChild?.(child);
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, o.timeoutMs);
    child.once("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      const results = stdout
        .split("\n")
        .filter((l) => l.startsWith("RESULT "))
        .map((l) => JSON.parse(l.slice(7)) as unknown);
      resolve({ code, signal, timedOut, results, stderrTail: stderr.trimEnd().split("\n").slice(-15).join("\n") });
    });
  });
}

/**
 * An empty head (sequence 0, the genesis hash) for a workspace log a phase bulk-loads: events may
 * only name a log that has one (migration 0008, trigger audit_events_log_owner).
 */
export async function createLogHead(pool: pg.Pool, workspaceId: string, companyId: string): Promise<void> {
  await pool.query(
    `insert into log_heads (log_id, company_id, workspace_id, sequence, hash, updated_at) values ($1, $2, $1, 0, repeat('0', 64), now()) on conflict (log_id) do nothing`,
    [workspaceId, companyId],
  );
}
