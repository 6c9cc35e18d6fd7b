/**
 * `pnpm dev` (`node apps/cli/src/main.ts dev`) as a real process, in a temporary data directory
 * on free ports: when one of its processes dies, or on a second Ctrl-C, it stops everything and
 * exits instead of hanging with PostgreSQL, NATS and s3rver left running; a Ctrl-C stops it quietly.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { freePort } from "@hyrelog/testing";

const ROOT = path.resolve(import.meta.dirname, "../..");

interface Dev {
  child: ChildProcess;
  pid: number;
  /** Every port the stack listens on: PostgreSQL, NATS, s3rver, the gateway, the two service ports. */
  ports: number[];
  /** What ran below dev once it was up; the servers run in process groups of their own. */
  tree: Proc[];
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const started: Array<{ dev: Dev; dir: string }> = [];

afterEach(() => {
  // Whatever a failed test left: dev's process group (dev and its region processes) and the
  // servers' own groups (PostgreSQL with its workers, nats-server, s3rver).
  for (const { dev, dir } of started.splice(0)) {
    for (const group of [dev.pid, ...dev.tree.filter((p) => p.ppid === dev.pid).map((p) => p.pid)]) {
      try {
        process.kill(-group, "SIGKILL");
      } catch {
        // already gone, or not a group leader
      }
    }
    rmSync(dir, { recursive: true, force: true });
  }
});

async function startDev(): Promise<Dev> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "hyrelog-dev-test-"));
  // Under root the embedded PostgreSQL runs as the `postgres` user, which must reach its data directory.
  chmodSync(dir, 0o755);
  const [pg, nats, s3, gateway] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const service = await freePortPair();
  const child = spawn(process.execPath, ["apps/cli/src/main.ts", "dev"], {
    cwd: ROOT,
    // Its own process group: the test can send it a terminal's Ctrl-C, and clean up the whole tree.
    detached: true,
    // Nothing from this shell's environment that could point dev at other servers (NATS_URL, S3_ENDPOINT, …).
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      HYRELOG_DATA_DIR: path.join(dir, "state"),
      HYRELOG_EMBEDDED_PG_PORT: String(pg),
      HYRELOG_EMBEDDED_NATS_PORT: String(nats),
      HYRELOG_EMBEDDED_S3_PORT: String(s3),
      GATEWAY_PORT: String(gateway),
      SERVICE_PORT: String(service),
      HYRELOG_DEV_REGIONS: "us,eu",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (c) => (out += c));
  child.stderr!.on("data", (c) => (out += c));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  const dev: Dev = { child, pid: child.pid!, ports: [pg, nats, s3, gateway, service, service + 1], tree: [], output: () => out, exited };
  started.push({ dev, dir });
  await waitForOutput(dev, "HyreLog is running", 60_000);
  dev.tree = descendants(dev.pid);
  return dev;
}

/** Resolves when `text` appears in the output; fails when dev exits first or time runs out. */
async function waitForOutput(dev: Dev, text: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!dev.output().includes(text)) {
    if (dev.child.exitCode !== null || dev.child.signalCode !== null) throw new Error(`dev exited before "${text}":\n${dev.output()}`);
    if (Date.now() > deadline) throw new Error(`no "${text}" within ${timeoutMs} ms:\n${dev.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** How dev exited; fails when it has not within timeoutMs (the old code hung here forever). */
async function exitWithin(dev: Dev, timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`dev did not exit within ${timeoutMs} ms:\n${dev.output()}`)), timeoutMs);
  });
  try {
    return await Promise.race([dev.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A free port whose next port is free too (dev's second region listens on SERVICE_PORT + 1). */
async function freePortPair(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (port < 65535 && (await canListen(port + 1))) return port;
  }
}

/** True when a server could listen on 127.0.0.1:port now, i.e. nothing holds it. */
function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once("error", () => resolve(false));
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
  });
}

interface Proc {
  pid: number;
  ppid: number;
  pgid: number;
  zombie: boolean;
  args: string;
}

function processes(): Proc[] {
  return execFileSync("ps", ["-A", "-o", "pid=,ppid=,pgid=,stat=,args="], { encoding: "utf8" })
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => {
      const [pid, ppid, pgid, stat, ...args] = line.trim().split(/\s+/);
      return { pid: Number(pid), ppid: Number(ppid), pgid: Number(pgid), zombie: stat!.startsWith("Z"), args: args.join(" ") };
    });
}

/** Every process below `pid`: the region processes, PostgreSQL (and its workers), nats-server, s3rver. */
function descendants(pid: number): Proc[] {
  const all = processes();
  const found: Proc[] = [];
  const walk = (parent: number) => {
    for (const p of all.filter((q) => q.ppid === parent)) {
      found.push(p);
      walk(p.pid);
    }
  };
  walk(pid);
  return found;
}

/** Waits until none of `procs` runs any more (a zombie waiting for its parent to reap it counts as gone). */
async function expectAllGone(procs: Proc[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const running = new Set(processes().filter((p) => !p.zombie).map((p) => p.pid));
    const left = procs.filter((p) => running.has(p.pid));
    if (!left.length) return;
    if (Date.now() > deadline) expect(left.map((p) => `${p.pid} ${p.args}`)).toEqual([]);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function expectPortsFree(dev: Dev): Promise<void> {
  const taken = [];
  for (const port of dev.ports) if (!(await canListen(port))) taken.push(port);
  expect(taken, dev.output()).toEqual([]);
}

describe("pnpm dev shutdown", () => {
  it("stops everything and exits non-zero when the serve --target=all process is killed with SIGKILL", { timeout: 120_000 }, async () => {
    const dev = await startDev();
    const tree = dev.tree;
    const serve = tree.find((p) => p.ppid === dev.pid && p.args.includes("serve --target=all"));
    expect(serve, tree.map((p) => p.args).join("\n")).toBeDefined();
    // PostgreSQL, nats-server, s3rver and the second region's process run too.
    expect(tree.filter((p) => p.ppid === dev.pid).length).toBeGreaterThanOrEqual(5);

    process.kill(serve!.pid, "SIGKILL");
    const { code } = await exitWithin(dev, 30_000);

    expect(code, dev.output()).toBe(1);
    expect(dev.output()).toContain(`the us process (serve --target=all, pid ${serve!.pid}) was killed by SIGKILL`);
    expect(dev.output()).toContain("HyreLog stopped because");
    await expectAllGone(tree, 10_000);
    await expectPortsFree(dev);
  });

  it("a second SIGTERM while stopping forces the exit at once and kills what is left", { timeout: 120_000 }, async () => {
    const dev = await startDev();
    const tree = dev.tree;

    process.kill(dev.pid, "SIGTERM");
    await waitForOutput(dev, "stopping HyreLog", 10_000);
    process.kill(dev.pid, "SIGTERM");
    const { code } = await exitWithin(dev, 5_000);

    expect(code, dev.output()).toBe(1);
    expect(dev.output()).toContain("forcing the exit");
    // SIGKILLed PostgreSQL workers notice their postmaster is gone and exit by themselves.
    await expectAllGone(tree, 10_000);
    await expectPortsFree(dev);
  });

  it("Ctrl-C in a terminal (SIGINT to the whole process group) stops everything and exits 0", { timeout: 120_000 }, async () => {
    const dev = await startDev();
    const tree = dev.tree;
    // PostgreSQL, nats-server and s3rver each lead a process group of their own; the region processes stay in dev's.
    const children = tree.filter((p) => p.ppid === dev.pid);
    const servers = children.filter((p) => !p.args.includes(" serve --target="));
    expect(servers.map((p) => p.pgid), servers.map((p) => p.args).join("\n")).toEqual(servers.map((p) => p.pid));
    expect(servers).toHaveLength(3);
    for (const p of children.filter((c) => !servers.includes(c))) expect(p.pgid, p.args).toBe(dev.pid);

    // What a terminal does: every process in the foreground group gets the SIGINT.
    process.kill(-dev.pid, "SIGINT");
    const { code } = await exitWithin(dev, 30_000);

    expect(code, dev.output()).toBe(0);
    expect(dev.output()).toContain("HyreLog stopped.");
    // A clean shutdown to look at: the servers, in their own process groups, did not get the Ctrl-C
    // and outlived the services, so nothing logged a lost connection, and no stack trace was printed.
    expect(dev.output()).not.toMatch(/ECONNREFUSED|NATS drain failed|database system is shutting down|server shutdown/);
    expect(dev.output()).not.toContain("    at ");
    await expectAllGone(tree, 10_000);
    await expectPortsFree(dev);
  });

  it("a single SIGTERM stops the region processes before PostgreSQL, NATS and s3rver and exits 0", { timeout: 120_000 }, async () => {
    const dev = await startDev();
    const tree = dev.tree;

    process.kill(dev.pid, "SIGTERM");
    const { code } = await exitWithin(dev, 30_000);

    expect(code, dev.output()).toBe(0);
    expect(dev.output()).toContain("HyreLog stopped.");
    // In order, the services never lose their database or NATS while they drain.
    expect(dev.output()).not.toMatch(/ECONNREFUSED|NATS drain failed/);
    await expectAllGone(tree, 10_000);
    await expectPortsFree(dev);
  });
});

describe("pnpm dev and the dashboard API", () => {
  it("prints a dashboard token (kept in dev.json) that opens /dashboard/* on the gateway", { timeout: 120_000 }, async () => {
    const dev = await startDev();
    const { dir } = started.at(-1)!;
    const token = /x-dashboard-token: ([A-Za-z0-9_-]{43})\b/.exec(dev.output())?.[1];
    expect(token, dev.output()).toBeDefined();
    const devJson = JSON.parse(readFileSync(path.join(dir, "state", "dev.json"), "utf8")) as { dashboardServiceToken?: string };
    expect(devJson.dashboardServiceToken).toBe(token);
    const headers = { "x-dashboard-token": token!, "x-user-id": "u_1", "x-user-email": "you@example.com", "x-user-role": "HYRELOG_ADMIN" };
    const res = await fetch(`http://127.0.0.1:${dev.ports[3]}/dashboard/admin/companies`, { headers });
    expect(res.status).toBe(200);
    const names = ((await res.json()) as { data: Array<{ name: string }> }).data.map((c) => c.name).sort();
    expect(names).toEqual(["Acme Corp", "Globex GmbH"]);

    process.kill(dev.pid, "SIGTERM");
    expect((await exitWithin(dev, 30_000)).code, dev.output()).toBe(0);
  });
});
