/**
 * The `export` bench phase: a 100k-event and a 1M-event export of one workspace to S3 (s3rver), in
 * JSONL and CSV. Per export: rows/s (rows / the job's startedAt -> finishedAt) and the export
 * worker's peak RSS while it ran (VmRSS sampled every 50 ms from /proc; the worker is a process of
 * its own, `serve --target=export`). Memory bounded means the 1M peak is about the 100k peak.
 * At the peak, RSS is split into anonymous memory (the V8 heap, Buffers, native allocations) and
 * file-backed pages (mostly the node binary's code, shared with every other Node process); the
 * worker's CPU seconds per run give rows per CPU-second, which other load on the machine does not skew.
 */
import { readFileSync } from "node:fs";
import os from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { processCpuSeconds } from "./infra.ts";
import { round } from "./load.ts";

export interface ExportBenchOptions {
  gatewayUrl: string;
  workspaceKey: string;
  serverPid: number;
  /** Row counts to export (the newest of the workspace, via `limit`), e.g. [100_000, 1_000_000]. */
  sizes: number[];
  /** Node flags the worker runs with (reported with the results). */
  nodeOptions: string[];
  log(msg: string): void;
}

export interface ExportRun {
  format: "JSONL" | "CSV";
  rows: number;
  bytes: number;
  seconds: number;
  rowsPerSec: number;
  peakRssMb: number;
  /** RssAnon and RssFile at the peak. */
  peakAnonMb: number;
  peakFileMb: number;
  rssBeforeMb: number;
  workerCpuSeconds: number;
  rowsPerCpuSecond: number;
  loadAvg1mAtStart: number;
}

export interface ExportBenchResult {
  nodeOptions: string[];
  idleRssMb: number;
  idleAnonMb: number;
  idleFileMb: number;
  runs: ExportRun[];
  /** Peak RSS of the largest export over that of the smallest, per format. */
  rssGrowth: Record<string, number>;
}

export interface Rss {
  rss: number;
  anon: number;
  file: number;
}

/** VmRSS, RssAnon and RssFile of a process, in MB. */
export function rssMb(pid: number): Rss {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const mb = (field: string) => {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(status);
    return m ? round(Number(m[1]) / 1024, 1) : 0;
  };
  return { rss: mb("VmRSS"), anon: mb("RssAnon"), file: mb("RssFile") };
}

export async function exportsPhase(o: ExportBenchOptions): Promise<ExportBenchResult> {
  const headers = { authorization: `Bearer ${o.workspaceKey}`, "content-type": "application/json" };
  const idle = rssMb(o.serverPid);
  const runs: ExportRun[] = [];
  for (const format of ["JSONL", "CSV"] as const) {
    for (const rows of o.sizes) {
      const rssBeforeMb = rssMb(o.serverPid).rss;
      const loadAvg1mAtStart = round(os.loadavg()[0]!, 2);
      const cpuBefore = processCpuSeconds(o.serverPid) ?? 0;
      let peak: Rss = { rss: rssBeforeMb, anon: 0, file: 0 };
      const sampler = setInterval(() => {
        const now = rssMb(o.serverPid);
        if (now.rss > peak.rss) peak = now;
      }, 50);
      const created = await fetch(`${o.gatewayUrl}/v1/exports`, { method: "POST", headers, body: JSON.stringify({ source: "HOT", format, limit: rows }) });
      const { jobId } = (await created.json()) as { jobId: string };
      if (created.status !== 202) throw new Error(`POST /v1/exports answered ${created.status}`);
      let job: { status: string; startedAt: string; finishedAt: string; result: { rowCount: number; bytes: number } | null; error: string | null };
      for (;;) {
        await sleep(200);
        job = (await (await fetch(`${o.gatewayUrl}/v1/jobs/${jobId}`, { headers })).json()) as typeof job;
        if (["COMPLETED", "FAILED", "CANCELLED"].includes(job.status)) break;
      }
      clearInterval(sampler);
      const workerCpuSeconds = round((processCpuSeconds(o.serverPid) ?? 0) - cpuBefore, 2);
      if (job.status !== "COMPLETED") throw new Error(`export ${jobId} ended ${job.status}: ${job.error}`);
      const seconds = (Date.parse(job.finishedAt) - Date.parse(job.startedAt)) / 1000;
      const run: ExportRun = {
        format,
        rows: job.result!.rowCount,
        bytes: job.result!.bytes,
        seconds: round(seconds, 2),
        rowsPerSec: round(job.result!.rowCount / seconds, 0),
        peakRssMb: peak.rss,
        peakAnonMb: peak.anon,
        peakFileMb: peak.file,
        rssBeforeMb,
        workerCpuSeconds,
        rowsPerCpuSecond: round(job.result!.rowCount / Math.max(workerCpuSeconds, 0.01), 0),
        loadAvg1mAtStart,
      };
      if (run.rows !== rows) throw new Error(`export ${jobId} holds ${run.rows} rows, expected ${rows}`);
      o.log(
        `export: ${format} ${run.rows} rows, ${round(run.bytes / 1e6, 1)} MB in ${run.seconds} s = ${run.rowsPerSec} rows/s ` +
          `(worker ${workerCpuSeconds} CPU s = ${run.rowsPerCpuSecond} rows/CPU-s; load ${loadAvg1mAtStart}), ` +
          `worker RSS ${rssBeforeMb} -> peak ${peak.rss} MB (anon ${peak.anon}, file ${peak.file})`,
      );
      runs.push(run);
    }
  }
  const rssGrowth: Record<string, number> = {};
  for (const format of ["JSONL", "CSV"]) {
    const r = runs.filter((x) => x.format === format);
    rssGrowth[format] = round(r.at(-1)!.peakRssMb / r[0]!.peakRssMb, 2);
  }
  return { nodeOptions: o.nodeOptions, idleRssMb: idle.rss, idleAnonMb: idle.anon, idleFileMb: idle.file, runs, rssGrowth };
}
