import type { S3Client } from "@aws-sdk/client-s3";
import type { HyrelogConfig } from "@hyrelog/config";
import type { RegionCode } from "@hyrelog/core";
import type { Orm } from "@hyrelog/db";
import { defineJobType, type JobContext, type JobRecord, type JobType } from "@hyrelog/jobs";
import { archiveLogs } from "./archiver.ts";
import { markCold } from "./cold.ts";
import { markRetention } from "./marking.ts";
import { purgeHot } from "./purge.ts";
import type { Restores } from "./restores.ts";
import { deleteExpiredArchives } from "./archive-retention.ts";
import type { Client } from "@connectrpc/connect";
import type { IngestService } from "@hyrelog/proto";
import type { Logger } from "@hyrelog/runtime";
import { verifyArchives } from "./verification.ts";

/** What a periodic job's row holds: the time it acts as of (null: when it runs). */
export interface PeriodicParams extends Record<string, unknown> {
  asOf: string | null;
  /** "schedule", or "hand" for `hyrelog job run`. */
  trigger: "schedule" | "hand";
}

export interface ArchivalJobDeps {
  orm: Orm;
  s3: S3Client;
  config: HyrelogConfig;
  restores: Restores;
  ingest: Client<typeof IngestService>;
  logger: Logger;
}

/** The region's periodic jobs, by name (the names `hyrelog job run` takes). */
export function periodicJobs(deps: ArchivalJobDeps): Map<string, JobType<PeriodicParams, Record<string, unknown>>> {
  const { orm, s3, config, restores, ingest, logger } = deps;
  const bucket = config.s3.bucket;
  const work: Record<string, (asOf: Date, ctx: JobContext) => Promise<Record<string, unknown>>> = {
    "retention-marking": (asOf) => markRetention(orm, asOf),
    archival: (_asOf, ctx) =>
      archiveLogs({ orm, s3, bucket, region: config.region as RegionCode, concurrency: config.archival.concurrency, signal: ctx.signal, onProgress: (n) => ctx.progress(n) }),
    "archive-verification": (asOf, ctx) => verifyArchives(orm, s3, bucket, asOf, ctx.signal),
    "hot-purge": (asOf) => purgeHot(orm, asOf, config.archival.purgeGraceDays),
    "cold-marking": (asOf) => markCold({ orm, s3, bucket, storageClass: config.archival.coldStorageClass }, asOf),
    "archive-retention": (asOf) => deleteExpiredArchives({ orm, s3, bucket, ingest, logger, region: config.region }, asOf),
    "restore-initiation": (asOf) => restores.initiate(asOf),
    "restore-status": (asOf) => restores.followUp(asOf),
    "restore-expiry": (asOf) => restores.expire(asOf),
  };
  return new Map(
    Object.entries(work).map(([name, fn]) => [
      name,
      defineJobType<PeriodicParams, Record<string, unknown>>(name, {
        maxAttempts: 3,
        timeoutMs: config.archival.timeoutMs,
        run: (job: JobRecord<PeriodicParams>, ctx) => exclusively(orm, name, () => fn(job.params.asOf ? new Date(job.params.asOf) : new Date(), ctx)),
      }),
    ]),
  );
}

/**
 * The periodic jobs that run every few minutes and mostly find nothing to do, with the check the
 * scheduler makes before creating a run: when it finds nothing, the run is skipped and leaves no
 * job row (by hand, `hyrelog job run`, they always run).
 */
export function periodicWorkChecks(restores: Restores): Record<string, (asOf: Date) => Promise<boolean>> {
  return {
    "restore-initiation": (asOf) => restores.hasWork("restore-initiation", asOf),
    "restore-status": (asOf) => restores.hasWork("restore-status", asOf),
    "restore-expiry": (asOf) => restores.hasWork("restore-expiry", asOf),
  };
}

/**
 * Runs `fn` while holding the region-wide lock of this job name (a transaction-scoped advisory
 * lock on a connection of its own), so a run by hand and a scheduled run never work at once. The
 * lock goes with the connection if the process dies.
 */
async function exclusively(orm: Orm, name: string, fn: () => Promise<Record<string, unknown>>): Promise<Record<string, unknown>> {
  return orm.em.fork().transactional(async (tx) => {
    const [lock] = await tx.execute<Array<{ locked: boolean }>>(`select pg_try_advisory_xact_lock(hashtext(?)) as locked`, [`hyrelog.periodic.${name}`]);
    if (!lock?.locked) return { skipped: `another run of ${name} was in progress` };
    return fn();
  });
}
