/**
 * The `export` bench phase: a 100k-event and a 1M-event export of one workspace to S3 (s3rver), in
 * JSONL and CSV. Per export: rows/s (rows / the job's startedAt -> finishedAt) and the export
 * worker's peak RSS while it ran (VmRSS sampled every 50 ms from /proc; the worker is a process of
 * its own, `serve --target=export`). Memory bounded means the 1M peak is about the 100k peak.
 */
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { round } from "./load.ts";

export interface ExportBenchOptions {
  gatewayUrl: string;
  workspaceKey: string;
  serverPid: number;
  /** Row counts to export (the newest of the workspace, via `limit`), e.g. [100_000, 1_000_000]. */
  sizes: number[];
  log(msg: string): void;
}

export interface ExportRun {
  format: "JSONL" | "CSV";
  rows: number;
  bytes: number;
  seconds: number;
  rowsPerSec: number;
  peakRssMb: number;
  rssBeforeMb: number;
}

export interface ExportBenchResult {
  idleRssMb: number;
  runs: ExportRun[];
  /** Peak RSS of the largest export over that of the smallest, per format. */
  rssGrowth: Record<string, number>;
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? round(Number(m[1]) / 1024, 1) : 0;
}

export async function exportsPhase(o: ExportBenchOptions): Promise<ExportBenchResult> {
  const headers = { authorization: `Bearer ${o.workspaceKey}`, "content-type": "application/json" };
  const idleRssMb = rssMb(o.serverPid);
  const runs: ExportRun[] = [];
  for (const format of ["JSONL", "CSV"] as const) {
    for (const rows of o.sizes) {
      const rssBeforeMb = rssMb(o.serverPid);
      let peak = rssBeforeMb;
      const sampler = setInterval(() => (peak = Math.max(peak, rssMb(o.serverPid))), 50);
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
      if (job.status !== "COMPLETED") throw new Error(`export ${jobId} ended ${job.status}: ${job.error}`);
      const seconds = (Date.parse(job.finishedAt) - Date.parse(job.startedAt)) / 1000;
      const run: ExportRun = {
        format,
        rows: job.result!.rowCount,
        bytes: job.result!.bytes,
        seconds: round(seconds, 2),
        rowsPerSec: round(job.result!.rowCount / seconds, 0),
        peakRssMb: peak,
        rssBeforeMb,
      };
      if (run.rows !== rows) throw new Error(`export ${jobId} holds ${run.rows} rows, expected ${rows}`);
      o.log(`export: ${format} ${run.rows} rows, ${round(run.bytes / 1e6, 1)} MB in ${run.seconds} s = ${run.rowsPerSec} rows/s, worker RSS ${rssBeforeMb} -> peak ${peak} MB`);
      runs.push(run);
    }
  }
  const rssGrowth: Record<string, number> = {};
  for (const format of ["JSONL", "CSV"]) {
    const r = runs.filter((x) => x.format === format);
    rssGrowth[format] = round(r.at(-1)!.peakRssMb / r[0]!.peakRssMb, 2);
  }
  return { idleRssMb, runs, rssGrowth };
}
