/**
 * `hyrelog admin`: the first steps of a new installation without SQL (create a company, a
 * workspace, keys), through a running stack's dashboard API (/dashboard/*) as HyreLog staff
 * (x-user-role HYRELOG_ADMIN), with the dashboard service token. README, "Dashboard API".
 */
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

const DEFAULT_GATEWAY = "http://127.0.0.1:8080";

export const ADMIN_USAGE = `usage:
  hyrelog admin company create --name <name> --region <us|eu|uk|au> [--plan FREE|STARTER|GROWTH|ENTERPRISE]
  hyrelog admin workspace create --company <company id> --name <name>
  hyrelog admin key create --company <company id> [--workspace <workspace id>] [--name <name>] [--ip-allowlist <ip or CIDR,...>]
      (a workspace key with --workspace, else a company key; the secret is printed once)
  hyrelog job run <retention-marking|archival|archive-verification|hot-purge|cold-marking> [--as-of <time>] [--region <region>]
      (runs one of the region's periodic jobs now and waits for it; --as-of acts as if it were that
      time, e.g. 2027-06-01T00:00:00Z, to age data; without --region, in every region the gateway serves)

options:
  --gateway <url>   the gateway (default: gatewayUrl of $HYRELOG_DATA_DIR/dev.json, else ${DEFAULT_GATEWAY})
  --json            print the API's answer as JSON

The dashboard service token comes from DASHBOARD_SERVICE_TOKEN (the first, if it lists several), else
from the dev.json that \`pnpm dev\` writes (HYRELOG_DATA_DIR, default .hyrelog). The calls are recorded
as user "cli:<login name>" with email HYRELOG_ADMIN_EMAIL (default <login name>@localhost).`;

/** A problem the CLI reports in one line (exit code 1), or a usage error (2). */
class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.exitCode = exitCode;
  }
}

export async function runAdmin(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  try {
    const out = await admin(argv, env);
    console.log(out);
    return 0;
  } catch (err) {
    if (!(err instanceof CliError)) throw err;
    console.error(err.message);
    return err.exitCode;
  }
}

async function admin(argv: string[], env: NodeJS.ProcessEnv): Promise<string> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        name: { type: "string" },
        region: { type: "string" },
        plan: { type: "string" },
        company: { type: "string" },
        workspace: { type: "string" },
        "ip-allowlist": { type: "string" },
        "as-of": { type: "string" },
        gateway: { type: "string" },
        json: { type: "boolean" },
        help: { type: "boolean" },
      },
    });
  } catch (err) {
    throw new CliError(`${(err as Error).message}\n${ADMIN_USAGE}`, 2);
  }
  const { values: o, positionals } = parsed;
  const command = positionals.join(" ");
  if (o.help || !command) return ADMIN_USAGE;
  const required = (name: "name" | "region" | "company") => {
    const v = o[name]?.trim();
    if (!v) throw new CliError(`hyrelog admin ${command}: --${name} is required\n${ADMIN_USAGE}`, 2);
    return v;
  };

  let call: { path: string; body: Record<string, unknown>; company?: string; timeoutMs?: number; everyRegion?: boolean; show: (r: any) => string };
  switch (positionals[0] === "job" && positionals[1] === "run" && positionals.length === 3 ? "job run" : command) {
    case "job run":
      call = {
        path: `/dashboard/admin/jobs/${encodeURIComponent(positionals[2]!)}/run${o.region ? `?region=${encodeURIComponent(o.region.toLowerCase())}` : ""}`,
        body: o["as-of"] ? { asOf: o["as-of"] } : {},
        everyRegion: true,
        // The gateway answers when the job ends (or after 10 minutes, with the job still running).
        timeoutMs: 11 * 60_000,
        show: (j) =>
          `${j.type} (job ${j.id}, region ${j.region}${j.params?.asOf ? `, as of ${j.params.asOf}` : ""}): ${j.status}` +
          (j.result ? `\n${JSON.stringify(j.result, null, 2)}` : "") +
          (j.error ? `\nerror: ${j.error}` : ""),
      };
      break;
    case "company create":
      call = {
        path: "/dashboard/admin/companies",
        body: { name: required("name"), dataRegion: required("region").toLowerCase(), plan: (o.plan ?? "STARTER").toUpperCase() },
        show: ({ company: c }) => `created company ${c.id} "${c.name}" (region ${c.dataRegion}, plan ${c.plan})`,
      };
      break;
    case "workspace create":
      call = {
        path: "/dashboard/workspaces",
        company: required("company"),
        body: { name: required("name") },
        show: ({ workspace: w }) => `created workspace ${w.id} "${w.name}" in company ${w.companyId}`,
      };
      break;
    case "key create": {
      const ipAllowlist = o["ip-allowlist"] ? o["ip-allowlist"].split(",").map((s) => s.trim()).filter(Boolean) : [];
      call = {
        path: "/dashboard/keys",
        company: required("company"),
        body: { scope: o.workspace ? "workspace" : "company", ...(o.workspace ? { workspaceId: o.workspace } : {}), ...(o.name ? { name: o.name } : {}), ipAllowlist },
        show: ({ key: k, secret }) =>
          `created ${k.scope} key ${k.id} (${k.prefix}…${k.ipAllowlist.length ? `, from ${k.ipAllowlist.join(", ")}` : ""}); the secret is shown only now:\n${secret}`,
      };
      break;
    }
    default:
      throw new CliError(`hyrelog admin: unknown command "${command}"\n${ADMIN_USAGE}`, 2);
  }

  const dev = readDevJson(env);
  const gateway = (o.gateway ?? dev?.gatewayUrl ?? DEFAULT_GATEWAY).replace(/\/+$/, "");
  const token = env.DASHBOARD_SERVICE_TOKEN?.split(",")[0]?.trim() || dev?.dashboardServiceToken;
  if (!token) {
    throw new CliError(`no dashboard service token: set DASHBOARD_SERVICE_TOKEN (as the stack has it), or run \`pnpm dev\`, which writes it to ${devJsonPath(env)}`);
  }
  const login = safeLogin();
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-dashboard-token": token,
    "x-user-id": `cli:${login}`,
    "x-user-email": env.HYRELOG_ADMIN_EMAIL?.trim() || `${login}@localhost`,
    "x-user-role": "HYRELOG_ADMIN",
    ...(call.company ? { "x-company-id": call.company } : {}),
  };
  const send = async (method: "GET" | "POST", path: string): Promise<any> => {
    let res: Response;
    try {
      res = await fetch(gateway + path, { method, headers, body: method === "POST" ? JSON.stringify(call.body) : undefined, signal: AbortSignal.timeout(call.timeoutMs ?? 30_000) });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
      throw new CliError(`cannot reach the HyreLog gateway at ${gateway} (${cause}): is the stack running? Start it (\`pnpm dev\`, \`hyrelog serve\`) or pass --gateway <url>`);
    }
    const text = await res.text();
    let body: any;
    try {
      body = JSON.parse(text);
    } catch {
      throw new CliError(`${gateway} answered ${res.status} without JSON: is it a HyreLog gateway?`);
    }
    if (!res.ok) {
      const e = body?.error ?? {};
      const violations: Array<{ field: string; description: string }> = e.details?.violations ?? [];
      throw new CliError([`error ${res.status} ${e.code ?? ""}: ${e.message ?? text}`, ...violations.map((v) => `  ${v.field}: ${v.description}`)].join("\n"));
    }
    return body;
  };
  // A periodic job without --region runs in every region the gateway serves, one after another.
  const regions: Array<string | undefined> = call.everyRegion && !o.region ? ((await send("GET", "/")).regions as string[]) : [undefined];
  const out: string[] = [];
  for (const region of regions) {
    const body = await send("POST", region ? `${call.path}?region=${encodeURIComponent(region)}` : call.path);
    out.push(o.json ? JSON.stringify(body, null, 2) : call.show(body));
  }
  return out.join("\n");
}

function devJsonPath(env: NodeJS.ProcessEnv): string {
  return path.join(env.HYRELOG_DATA_DIR?.trim() || ".hyrelog", "dev.json");
}

/** The dev.json `pnpm dev` writes, if there is one. */
function readDevJson(env: NodeJS.ProcessEnv): { gatewayUrl?: string; dashboardServiceToken?: string } | null {
  try {
    return JSON.parse(readFileSync(devJsonPath(env), "utf8"));
  } catch {
    return null;
  }
}

/** The login name, reduced to what an x-user-id and an email's local part take. */
function safeLogin(): string {
  let name = "admin";
  try {
    name = os.userInfo().username;
  } catch {
    // no passwd entry (containers)
  }
  return name.replace(/[^\w.-]/g, "_").slice(0, 64) || "admin";
}
