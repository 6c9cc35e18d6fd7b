/**
 * `hyrelog admin` as a real process against a running stack: a new installation's first steps
 * (company, workspace, keys) with no SQL and no seed, then events ingested with the key it made;
 * clear errors when the stack is not running, without a token, and for bad input.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { freePort, TestStack } from "@hyrelog/testing";

const ROOT = path.resolve(import.meta.dirname, "../..");
let stack: TestStack;
let dir: string;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `hyrelog admin …` with only the environment given (no dev.json unless the test writes one). */
async function hyrelog(args: string[], env: Record<string, string> = {}): Promise<Run> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ["apps/cli/src/main.ts", "admin", ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", HYRELOG_DATA_DIR: dir, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  stack = await TestStack.start({ infra: inject("infra"), regions: ["us", "eu"] });
  dir = mkdtempSync(path.join(os.tmpdir(), "hyrelog-admin-test-"));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await stack?.stop();
});

describe("hyrelog admin", () => {
  it("creates a company in EU, a workspace and keys; the key ingests and the rows are only in EU", async () => {
    const auth = { DASHBOARD_SERVICE_TOKEN: stack.dashboardToken };
    const gw = ["--gateway", stack.gatewayUrl];
    const company = await hyrelog(["company", "create", "--name", "CLI Co", "--region", "EU", "--plan", "STARTER", ...gw], auth);
    expect(company.code, company.stderr).toBe(0);
    const [, companyId] = /^created company (\S+) "CLI Co" \(region eu, plan STARTER\)$/m.exec(company.stdout)!;

    // The token from dev.json, as `pnpm dev` writes it, and --json.
    writeFileSync(path.join(dir, "dev.json"), JSON.stringify({ gatewayUrl: stack.gatewayUrl, dashboardServiceToken: stack.dashboardToken }));
    const workspace = await hyrelog(["workspace", "create", "--company", companyId!, "--name", "Production", "--json"]);
    expect(workspace.code, workspace.stderr).toBe(0);
    const ws = JSON.parse(workspace.stdout).workspace;
    expect(ws).toMatchObject({ companyId, name: "Production", status: "active" });
    rmSync(path.join(dir, "dev.json"));

    const wsKey = await hyrelog(["key", "create", "--company", companyId!, "--workspace", ws.id, "--name", "ingest", ...gw], auth);
    expect(wsKey.code, wsKey.stderr).toBe(0);
    expect(wsKey.stdout).toMatch(/^created workspace key \S+ \(hlk_ws_eu_\S+…\); the secret is shown only now:\nhlk_ws_eu_\S+\n$/);
    const secret = wsKey.stdout.trim().split("\n").at(-1)!;
    const coKey = await hyrelog(["key", "create", "--company", companyId!, "--ip-allowlist", "127.0.0.1, ::1", ...gw], auth);
    expect(coKey.code, coKey.stderr).toBe(0);
    expect(coKey.stdout).toMatch(/^created company key \S+ \(hlk_co_eu_\S+…, from 127\.0\.0\.1, ::1\)/);
    const companyKey = coKey.stdout.trim().split("\n").at(-1)!;

    expect((await stack.api(secret, "POST", "/v1/events", { category: "user", action: "user.login", actor: { id: "u_1" } })).status).toBe(201);
    const listed = await stack.api(companyKey, "GET", "/v1/events?action=user.login");
    expect(listed.body.data.map((e: { workspaceId: string }) => e.workspaceId)).toEqual([ws.id]);
    for (const [region, n] of [["eu", 1], ["us", 0]] as const) {
      const [row] = await stack.regions[region]!.orm.em.fork().execute<Array<{ n: number }>>(`select count(*)::int as n from companies where id = ?`, [companyId]);
      expect(row!.n, region).toBe(n);
    }
    // Recorded as the CLI user in the company's own log.
    const log = await stack.api(companyKey, "GET", "/v1/events?category=company");
    expect(log.body.data[0].actor.id).toMatch(/^cli:/);
  });

  it("says so when the stack is not running, when there is no token, and names what to fix", async () => {
    const port = await freePort();
    const down = await hyrelog(["company", "create", "--name", "X", "--region", "us", "--gateway", `http://127.0.0.1:${port}`], { DASHBOARD_SERVICE_TOKEN: stack.dashboardToken });
    expect(down.code).toBe(1);
    expect(down.stderr.trim()).toBe(
      `cannot reach the HyreLog gateway at http://127.0.0.1:${port} (ECONNREFUSED): is the stack running? Start it (\`pnpm dev\`, \`hyrelog serve\`) or pass --gateway <url>`,
    );

    const noToken = await hyrelog(["company", "create", "--name", "X", "--region", "us", "--gateway", stack.gatewayUrl]);
    expect(noToken.code).toBe(1);
    expect(noToken.stderr.trim()).toBe(
      `no dashboard service token: set DASHBOARD_SERVICE_TOKEN (as the stack has it), or run \`pnpm dev\`, which writes it to ${path.join(dir, "dev.json")}`,
    );

    const wrongToken = await hyrelog(["company", "create", "--name", "X", "--region", "us", "--gateway", stack.gatewayUrl], { DASHBOARD_SERVICE_TOKEN: "nope" });
    expect(wrongToken.code).toBe(1);
    expect(wrongToken.stderr.trim()).toBe("error 401 unauthenticated: wrong x-dashboard-token");

    const bad = await hyrelog(["company", "create", "--name", "X", "--region", "mars", "--plan", "gold", "--gateway", stack.gatewayUrl], { DASHBOARD_SERVICE_TOKEN: stack.dashboardToken });
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim()).toBe("error 400 invalid_argument: invalid company\n  dataRegion: must be us, eu, uk, au\n  plan: must be FREE, STARTER, GROWTH or ENTERPRISE");

    const missing = await hyrelog(["workspace", "create", "--name", "X"], { DASHBOARD_SERVICE_TOKEN: stack.dashboardToken });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^hyrelog admin workspace create: --company is required\nusage:/);
    const unknown = await hyrelog(["project", "delete"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^hyrelog admin: unknown command "project delete"\nusage:/);

    const help = await hyrelog(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("hyrelog admin company create --name <name> --region <us|eu|uk|au>");
  });
});
