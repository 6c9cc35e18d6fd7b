/**
 * The `archival` bench phase (issue 13): per run, one new workspace log of the seeded company
 * (created with the dashboard API) gets `rows` events bulk-loaded with COPY: a valid v1 chain
 * (each hash is eventHash of its stored fields, so archive verification checks real work and
 * passes), received over the past 30 days (so ~30 archives, one per UTC day). The stack's
 * checkpointer indexes and signs the log; then, as HyreLog staff through the gateway,
 * retention-marking and archival run with `asOf` = now + 400 days (ENTERPRISE keeps events hot
 * 180 days), while the server's VmRSS is sampled every 50 ms; then archive-verification.
 * events/s = the job's events / its startedAt -> finishedAt. Earlier runs' logs are archived
 * already, so each run archives only its own log.
 *
 * On the largest run, once archived and verified, the log is exported (JSONL, filters.workspaceId)
 * with source HOT (archived events stay in audit_events until hot-purge, which the bench does not
 * run) and with source ARCHIVED: the same rows, from PostgreSQL vs from the archives. The HOT export
 * runs after archival so that its memory does not show in the archival's peak RSS.
 *
 * The chained logs are v1 (no sealed values): their archive lines are written to a JSONL export as
 * they are. So that the comparison also covers events as production stores them, a last log of
 * `sealedRows` events is ingested through the gateway (sealed, v2), archived, and exported HOT and
 * ARCHIVED: both sides open every event's personal values.
 */
import { request } from "node:http";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { setTimeout as sleep } from "node:timers/promises";
import type pg from "pg";
import copyStreams from "pg-copy-streams";
import { eventHash, GENESIS_HASH, uuidv7, type ChainedEventFields } from "./core.ts";
import { apiEvent, COPY_COLUMNS, USER_AGENT } from "./events.ts";
import { rssMb, type Rss } from "./exports.ts";
import { createLogHead, processCpuSeconds } from "./infra.ts";
import { round } from "./load.ts";

const DAY_MS = 86_400_000;

export interface ArchivalBenchOptions {
  gatewayUrl: string;
  pool: pg.Pool;
  /** The process that runs the archival service (serve --target=all). */
  serverPid: number;
  companyId: string;
  companyKey: string;
  dashboardToken: string;
  /** Events of each run's log, e.g. [100_000, 1_000_000]; the exports run on the last. */
  sizes: number[];
  /** Events of a log ingested through the gateway (personal values sealed, v2), archived and exported HOT and ARCHIVED; 0: none. */
  sealedRows: number;
  /** How long to wait for the checkpointer to sign each log. */
  checkpointTimeoutMs: number;
  log(msg: string): void;
}

export interface JobTiming {
  events: number;
  seconds: number;
  wallSeconds: number;
  eventsPerSec: number;
  serverCpuSeconds: number;
  result: Record<string, unknown>;
}

export interface ArchivalRun {
  rows: number;
  logId: string;
  load: { seconds: number; rowsPerSec: number };
  /** From the log head's update to a signed checkpoint of the whole log. */
  checkpointSeconds: number;
  marking: { marked: number; wallSeconds: number };
  archival: JobTiming & { archives: number; bytes: number; rssBeforeMb: number; peakRssMb: number; peakAnonMb: number; peakFileMb: number };
  verification: JobTiming & { archives: number; verified: number; failed: number };
}

export interface ExportTiming {
  source: "HOT" | "ARCHIVED";
  rows: number;
  bytes: number;
  seconds: number;
  wallSeconds: number;
  rowsPerSec: number;
  serverCpuSeconds: number;
  /** Events of the exported log; rows beyond it are `strays` (at most 5, when the counts differ). */
  expectedRows: number;
  strays: Array<{ logId: string | null; workspaceId: string | null; sequence: number; action: string }>;
}

export interface ArchivalBenchResult {
  runs: ArchivalRun[];
  /**
   * What archival adds to the process's RSS (its peak during the job less its RSS just before), in
   * the largest run over the smallest. The process serves everything (serve --target=all): its RSS
   * before a run already holds what the checkpointer's indexing of that run's log left (about
   * 165 MB more before the 1M-event run than before the 100k one), which is not archival's.
   */
  rssGrowth: number;
  exports: { hot: ExportTiming; archived: ExportTiming; ratio: number };
  /** The same exports of a log whose events carry sealed personal values (they are opened on both sides). */
  sealedExports: { hot: ExportTiming; archived: ExportTiming; ratio: number } | null;
}

// ---------------------------------------------------------------------------------------------
// HTTP (node:http: a job run by hand answers when the job ends, which can outlast fetch's
// 300 s headers timeout)

async function call(url: string, method: string, headers: Record<string, string>, body?: unknown): Promise<{ status: number; body: any }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: { ...headers, ...(payload ? { "content-type": "application/json", "content-length": String(Buffer.byteLength(payload)) } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let parsed: unknown = text;
        try {
          parsed = text ? JSON.parse(text) : null;
        } catch {
          // not JSON: keep the text
        }
        resolve({ status: res.statusCode ?? 0, body: parsed });
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(payload);
  });
}

function dashboardHeaders(token: string, role: "ADMIN" | "HYRELOG_ADMIN", companyId?: string): Record<string, string> {
  return {
    "x-dashboard-token": token,
    "x-user-id": `bench-${role.toLowerCase()}`,
    "x-user-email": `${role.toLowerCase().replace("_", "-")}@bench.hyrelog.test`,
    "x-user-role": role,
    ...(companyId ? { "x-company-id": companyId } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// The log

/** COPY text format: \N for null; backslash, tab, newline and carriage return escaped. */
function copyField(v: string | number | null): string {
  if (v === null) return "\\N";
  const s = String(v);
  return /[\\\t\n\r]/.test(s) ? s.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r") : s;
}

/**
 * COPY lines of sequences `from`..`to` of a workspace log of `rows` events received over
 * [baseMs, baseMs + spanMs), chained from `prevHash`; `state.prevHash` ends at the last hash.
 */
function* chainedLines(companyId: string, logId: string, from: number, to: number, rows: number, baseMs: number, spanMs: number, state: { prevHash: string }) {
  let batch: string[] = [];
  for (let sequence = from; sequence <= to; sequence++) {
    const api = apiEvent(sequence, undefined);
    const ms = baseMs + Math.floor(((sequence - 1) * spanMs) / rows);
    const e: ChainedEventFields = {
      v: 1,
      id: uuidv7(ms),
      companyId,
      workspaceId: logId,
      projectId: null,
      sequence,
      prevHash: state.prevHash,
      occurredAt: new Date(ms - 150).toISOString(),
      receivedAt: new Date(ms).toISOString(),
      category: api.category,
      action: api.action,
      actor: api.actor,
      target: api.target,
      changes: api.changes,
      metadata: api.metadata,
      context: { ip: `10.${sequence % 256}.${(sequence >> 8) % 256}.7`, userAgent: USER_AGENT, traceId: sequence.toString(16).padStart(32, "0"), requestId: uuidv7(ms) },
    };
    const hash = eventHash(e);
    // COPY_COLUMNS order; v is the column default (1).
    batch.push(
      [
        e.id, companyId, logId, logId, null, sequence, e.prevHash, hash, e.occurredAt, e.receivedAt, e.category, e.action,
        e.actor.id, e.actor.type, e.actor.email, e.actor.name, e.target.id, e.target.type, e.target.name,
        JSON.stringify(e.changes), JSON.stringify(e.metadata), e.context.ip, e.context.userAgent, e.context.traceId, e.context.requestId, null,
      ]
        .map(copyField)
        .join("\t"),
    );
    state.prevHash = hash;
    if (batch.length === 1000 || sequence === to) {
      yield batch.join("\n") + "\n";
      batch = [];
    }
  }
}

/** A new workspace of the company (dashboard API) whose log holds `rows` chained events, and its head. */
async function loadLog(o: ArchivalBenchOptions, rows: number, name: string) {
  const created = await call(`${o.gatewayUrl}/dashboard/workspaces`, "POST", dashboardHeaders(o.dashboardToken, "ADMIN", o.companyId), { name });
  if (created.status !== 201) throw new Error(`POST /dashboard/workspaces answered ${created.status}: ${JSON.stringify(created.body)}`);
  const logId = (created.body as { workspace: { id: string } }).workspace.id;
  // Events need their log's head first (trigger audit_events_log_owner); sequence 0 is not due for a checkpoint.
  await createLogHead(o.pool, logId, o.companyId);
  const chunk = 100_000;
  const spanMs = 30 * DAY_MS;
  const baseMs = Date.now() - spanMs - 3_600_000;
  const state = { prevHash: GENESIS_HASH };
  const t0 = performance.now();
  const client = await o.pool.connect();
  try {
    for (let from = 1; from <= rows; from += chunk) {
      const to = Math.min(rows, from + chunk - 1);
      await pipeline(Readable.from(chainedLines(o.companyId, logId, from, to, rows, baseMs, spanMs, state)), client.query(copyStreams.from(`copy audit_events (${COPY_COLUMNS}) from stdin`)));
    }
  } finally {
    client.release();
  }
  const seconds = (performance.now() - t0) / 1000;
  await o.pool.query(`update log_heads set sequence = $2, hash = $3, updated_at = now() where log_id = $1`, [logId, rows, state.prevHash]);
  const headAt = performance.now();
  await o.pool.query("analyze audit_events");
  o.log(`archival: ${rows} chained events of log ${logId} loaded in ${round(seconds, 1)} s (${Math.round(rows / seconds)} rows/s, COPY of 100k-event chunks, hashes computed by eventHash)`);
  return { logId, headAt, load: { seconds: round(seconds, 1), rowsPerSec: round(rows / seconds, 0) } };
}

/**
 * A new workspace whose `rows` events (apiEvent: actor email and name, target name) are ingested
 * through the gateway with a workspace key, 100 per request, 4 requests at a time: the ingest
 * service seals their personal values (v2), as in production.
 */
async function ingestSealedLog(o: ArchivalBenchOptions, rows: number) {
  const admin = dashboardHeaders(o.dashboardToken, "ADMIN", o.companyId);
  const created = await call(`${o.gatewayUrl}/dashboard/workspaces`, "POST", admin, { name: `Archival bench sealed (${rows} events)` });
  if (created.status !== 201) throw new Error(`POST /dashboard/workspaces answered ${created.status}: ${JSON.stringify(created.body)}`);
  const logId = (created.body as { workspace: { id: string } }).workspace.id;
  const key = await call(`${o.gatewayUrl}/dashboard/keys`, "POST", admin, { scope: "workspace", workspaceId: logId, name: "archival bench sealed" });
  if (key.status !== 201) throw new Error(`POST /dashboard/keys answered ${key.status}: ${JSON.stringify(key.body)}`);
  const headers = { authorization: `Bearer ${(key.body as { secret: string }).secret}`, "user-agent": USER_AGENT };
  const t0 = performance.now();
  let next = 0;
  const sender = async () => {
    for (let from = (next += 100) - 100; from < rows; from = (next += 100) - 100) {
      const events = Array.from({ length: Math.min(100, rows - from) }, (_, i) => apiEvent(from + i, undefined));
      const res = await call(`${o.gatewayUrl}/v1/events`, "POST", headers, { events });
      if (res.status !== 201) throw new Error(`POST /v1/events answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
    }
  };
  await Promise.all(Array.from({ length: 4 }, sender));
  const seconds = (performance.now() - t0) / 1000;
  // The log also holds the event that records the key's creation.
  const head = await o.pool.query<{ sequence: string }>(`select sequence::text as sequence from log_heads where log_id = $1`, [logId]);
  o.log(`archival: ${rows} events with sealed personal values ingested into log ${logId} in ${round(seconds, 1)} s (${Math.round(rows / seconds)} events/s)`);
  return { logId, events: Number(head.rows[0]!.sequence), headAt: performance.now() };
}

/** Seconds from `headAt` (the log head's update) to a signed checkpoint of all `rows` events. */
async function waitForCheckpoint(o: ArchivalBenchOptions, logId: string, rows: number, headAt: number): Promise<number> {
  const deadline = Date.now() + o.checkpointTimeoutMs;
  for (;;) {
    const r = await o.pool.query<{ n: number }>(`select count(*)::int as n from checkpoints where log_id = $1 and tree_size = $2`, [logId, rows]);
    if (r.rows[0]!.n > 0) break;
    if (Date.now() > deadline) throw new Error(`no checkpoint of log ${logId} at ${rows} events after ${o.checkpointTimeoutMs / 1000} s`);
    await sleep(250);
  }
  const seconds = (performance.now() - headAt) / 1000;
  o.log(`archival: the checkpointer indexed and signed the ${rows}-event log in ${round(seconds, 1)} s`);
  return round(seconds, 1);
}

/**
 * Waits until the query service's analytics worker has counted the loaded log (rollup_progress at
 * its head): its catch-up runs in the same process (serve --target=all) and would otherwise be
 * timed as part of the archival job.
 */
async function waitForRollups(o: ArchivalBenchOptions, logId: string, rows: number): Promise<void> {
  const deadline = Date.now() + o.checkpointTimeoutMs;
  for (;;) {
    const r = await o.pool.query<{ n: number }>(`select count(*)::int as n from rollup_progress where log_id = $1 and sequence >= $2`, [logId, rows]);
    if (r.rows[0]!.n > 0) return;
    if (Date.now() > deadline) throw new Error(`the analytics rollups of log ${logId} did not reach ${rows} events after ${o.checkpointTimeoutMs / 1000} s`);
    await sleep(250);
  }
}

// ---------------------------------------------------------------------------------------------
// Jobs and exports

interface JobJson {
  id: string;
  status: string;
  startedAt: string | null;
  finishedAt: string | null;
  result: Record<string, any> | null;
  error: string | null;
}

async function runJob(o: ArchivalBenchOptions, name: string, asOf: Date): Promise<{ job: JobJson; wallSeconds: number; serverCpuSeconds: number }> {
  const cpu0 = processCpuSeconds(o.serverPid) ?? 0;
  const t0 = performance.now();
  const res = await call(`${o.gatewayUrl}/dashboard/admin/jobs/${name}/run?region=us`, "POST", dashboardHeaders(o.dashboardToken, "HYRELOG_ADMIN"), { asOf: asOf.toISOString() });
  const wallSeconds = (performance.now() - t0) / 1000;
  const job = res.body as JobJson;
  if (res.status !== 200 || job.status !== "COMPLETED") throw new Error(`${name} run answered ${res.status}: ${JSON.stringify(res.body).slice(0, 500)}`);
  return { job, wallSeconds: round(wallSeconds, 2), serverCpuSeconds: round((processCpuSeconds(o.serverPid) ?? 0) - cpu0, 2) };
}

const jobSeconds = (job: JobJson) => (Date.parse(job.finishedAt!) - Date.parse(job.startedAt!)) / 1000;

async function timedExport(o: ArchivalBenchOptions, source: "HOT" | "ARCHIVED", workspaceId: string, rows: number): Promise<ExportTiming> {
  const headers = { authorization: `Bearer ${o.companyKey}`, "user-agent": USER_AGENT };
  const cpu0 = processCpuSeconds(o.serverPid) ?? 0;
  const t0 = performance.now();
  const created = await call(`${o.gatewayUrl}/v1/exports`, "POST", headers, { source, format: "JSONL", filters: { workspaceId } });
  if (created.status !== 202) throw new Error(`POST /v1/exports (${source}) answered ${created.status}: ${JSON.stringify(created.body)}`);
  const { jobId } = created.body as { jobId: string };
  let job: JobJson;
  for (;;) {
    await sleep(200);
    job = (await call(`${o.gatewayUrl}/v1/jobs/${jobId}`, "GET", headers)).body as JobJson;
    if (["COMPLETED", "FAILED", "CANCELLED"].includes(job.status)) break;
  }
  const wallSeconds = (performance.now() - t0) / 1000;
  if (job.status !== "COMPLETED") throw new Error(`${source} export ${jobId} ended ${job.status}: ${job.error}`);
  const r = job.result as { rowCount: number; bytes: number };
  const strays = r.rowCount === rows ? [] : await rowsOutside(o, jobId, workspaceId);
  if (r.rowCount !== rows) o.log(`archival: WARNING: the ${source} export ${jobId} holds ${r.rowCount} rows, expected ${rows}; rows not of workspace ${workspaceId}: ${JSON.stringify(strays)}`);
  const seconds = jobSeconds(job);
  const t: ExportTiming = {
    source,
    rows: r.rowCount,
    bytes: r.bytes,
    seconds: round(seconds, 2),
    wallSeconds: round(wallSeconds, 2),
    rowsPerSec: round(r.rowCount / seconds, 0),
    serverCpuSeconds: round((processCpuSeconds(o.serverPid) ?? 0) - cpu0, 2),
    expectedRows: rows,
    strays,
  };
  o.log(`archival: ${source} export (JSONL) of ${t.rows} rows, ${round(t.bytes / 1e6, 1)} MB in ${t.seconds} s = ${t.rowsPerSec} rows/s (wall ${t.wallSeconds} s, server ${t.serverCpuSeconds} CPU s)`);
  return t;
}

/** Lines of an export's file whose workspaceId is not `workspaceId` (the first 5). */
async function rowsOutside(o: ArchivalBenchOptions, jobId: string, workspaceId: string): Promise<ExportTiming["strays"]> {
  const meta = await call(`${o.gatewayUrl}/v1/exports/${jobId}`, "GET", { authorization: `Bearer ${o.companyKey}`, "user-agent": USER_AGENT });
  const url = (meta.body as { downloadUrl: string | null }).downloadUrl;
  if (!url) return [];
  const res = await fetch(url);
  const strays: ExportTiming["strays"] = [];
  let rest = "";
  const decoder = new TextDecoder();
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    const lines = (rest + decoder.decode(chunk, { stream: true })).split("\n");
    rest = lines.pop()!;
    for (const line of lines) {
      if (!line || line.includes(`"workspaceId":"${workspaceId}"`)) continue;
      const e = JSON.parse(line) as { companyId: string; workspaceId: string | null; sequence: number; action: string };
      if (strays.length < 5) strays.push({ logId: e.workspaceId ?? e.companyId, workspaceId: e.workspaceId, sequence: e.sequence, action: e.action });
    }
  }
  return strays;
}

const addedRssMb = (r: ArchivalRun) => r.archival.peakRssMb - r.archival.rssBeforeMb;

export async function archivalPhase(o: ArchivalBenchOptions): Promise<ArchivalBenchResult> {
  const asOf = new Date(Date.now() + 400 * DAY_MS);
  const runs: ArchivalRun[] = [];
  let hot: ExportTiming | undefined;
  let archived: ExportTiming | undefined;
  for (const [i, rows] of o.sizes.entries()) {
    const last = i === o.sizes.length - 1;
    const { logId, headAt, load } = await loadLog(o, rows, `Archival bench ${i + 1} (${rows} events)`);
    const checkpointSeconds = await waitForCheckpoint(o, logId, rows, headAt);
    await waitForRollups(o, logId, rows);
    const marking = await runJob(o, "retention-marking", asOf);
    const marked = Number(marking.job.result?.marked ?? 0);
    o.log(`archival: retention-marking marked ${marked} events in ${marking.wallSeconds} s`);
    if (marked < rows) throw new Error(`retention-marking marked ${marked} events, expected ${rows}: ${JSON.stringify(marking.job.result)}`);

    const rssBeforeMb = rssMb(o.serverPid).rss;
    let peak: Rss = { rss: rssBeforeMb, anon: 0, file: 0 };
    const sampler = setInterval(() => {
      const now = rssMb(o.serverPid);
      if (now.rss > peak.rss) peak = now;
    }, 50);
    let a: Awaited<ReturnType<typeof runJob>>;
    try {
      a = await runJob(o, "archival", asOf);
    } finally {
      clearInterval(sampler);
    }
    const ar = a.job.result as { archives: number; events: number; bytes: number; waitingForCheckpoint: number };
    if (ar.events < rows) throw new Error(`archival archived ${ar.events} events, expected at least ${rows}: ${JSON.stringify(ar)}`);
    const aSeconds = jobSeconds(a.job);
    const archival = {
      events: ar.events,
      archives: ar.archives,
      bytes: ar.bytes,
      seconds: round(aSeconds, 2),
      wallSeconds: a.wallSeconds,
      eventsPerSec: round(ar.events / aSeconds, 0),
      serverCpuSeconds: a.serverCpuSeconds,
      result: a.job.result!,
      rssBeforeMb,
      peakRssMb: peak.rss,
      peakAnonMb: peak.anon,
      peakFileMb: peak.file,
    };
    o.log(
      `archival: ${ar.events} events in ${ar.archives} archives (${round(ar.bytes / 1e6, 1)} MB gzipped) in ${archival.seconds} s = ${archival.eventsPerSec} events/s ` +
        `(wall ${archival.wallSeconds} s, server ${archival.serverCpuSeconds} CPU s); server RSS ${rssBeforeMb} -> peak ${peak.rss} MB (anon ${peak.anon}, file ${peak.file})`,
    );

    const v = await runJob(o, "archive-verification", asOf);
    const vr = v.job.result as { checked: number; verified: number; failed: number; failures: Array<{ error: string }> };
    const vSeconds = jobSeconds(v.job);
    const verification = {
      events: ar.events,
      archives: vr.checked,
      verified: vr.verified,
      failed: vr.failed,
      seconds: round(vSeconds, 2),
      wallSeconds: v.wallSeconds,
      eventsPerSec: round(ar.events / vSeconds, 0),
      serverCpuSeconds: v.serverCpuSeconds,
      result: v.job.result!,
    };
    o.log(`archive-verification: ${vr.verified} of ${vr.checked} archives verified (${ar.events} events) in ${verification.seconds} s = ${verification.eventsPerSec} events/s (server ${verification.serverCpuSeconds} CPU s)`);
    if (vr.failed || vr.verified !== ar.archives) throw new Error(`archive-verification: ${vr.failed} failed, ${vr.verified} of ${ar.archives} verified: ${JSON.stringify(vr.failures?.slice(0, 3))}`);

    if (last) {
      // Archived events stay in PostgreSQL until hot-purge: HOT reads the same rows from audit_events.
      hot = await timedExport(o, "HOT", logId, rows);
      archived = await timedExport(o, "ARCHIVED", logId, rows);
    }
    runs.push({ rows, logId, load, checkpointSeconds, marking: { marked, wallSeconds: marking.wallSeconds }, archival, verification });
  }
  let sealedExports: ArchivalBenchResult["sealedExports"] = null;
  if (o.sealedRows > 0) {
    const { logId, events, headAt } = await ingestSealedLog(o, o.sealedRows);
    await waitForCheckpoint(o, logId, events, headAt);
    await waitForRollups(o, logId, events);
    await runJob(o, "retention-marking", asOf);
    const a = await runJob(o, "archival", asOf);
    if (Number(a.job.result?.events ?? 0) < events) throw new Error(`archival of the sealed log: ${JSON.stringify(a.job.result)}`);
    const sealedHot = await timedExport(o, "HOT", logId, events);
    const sealedArchived = await timedExport(o, "ARCHIVED", logId, events);
    sealedExports = { hot: sealedHot, archived: sealedArchived, ratio: round(sealedArchived.rowsPerSec / sealedHot.rowsPerSec, 2) };
  }
  return {
    runs,
    rssGrowth: round(addedRssMb(runs.at(-1)!) / Math.max(1, addedRssMb(runs[0]!)), 2),
    exports: { hot: hot!, archived: archived!, ratio: round(archived!.rowsPerSec / hot!.rowsPerSec, 2) },
    sealedExports,
  };
}
