import { SERVICES } from "@hyrelog/config";
import { JobQueue, JobWorker } from "@hyrelog/jobs";
import { Tenancy, type ServiceDeps, type ServiceModule } from "@hyrelog/runtime";
import { checkBucket, createS3Client } from "@hyrelog/storage";
import { IngestService } from "@hyrelog/proto";
import { ensureColdRule } from "./cold.ts";
import { periodicJobs, periodicWorkChecks } from "./jobs.ts";
import { Restores } from "./restores.ts";
import { RetentionClasses } from "./retention-classes.ts";
import { archivalRoutes } from "./routes.ts";
import { Scheduler } from "./scheduler.ts";

/**
 * The archival service: the region's data lifecycle (retention marking, archives in S3 and their
 * verification, cold marking) as periodic jobs of the job system, the schedule that starts them
 * once per region, and ArchivalService (run a job by hand, list archives).
 */
export async function build(deps: ServiceDeps): Promise<ServiceModule> {
  const { config, bus } = deps;
  const orm = deps.orm!;
  const logger = deps.logger.child({ service: "archival" });
  const s3 = createS3Client(config.s3);
  const ingest = deps.clients.client(IngestService, "ingest", config.regionEndpoints[config.region]!);
  const restores = new Restores({ orm, s3, config, ingest, logger });
  const jobs = periodicJobs({ orm, s3, config, restores, ingest, logger });
  const jobOptions = { orm, bus, natsPrefix: config.natsPrefix, region: config.region, metrics: deps.metrics };
  // Archives live in the region's bucket: without it the archival service is not ready.
  deps.health.addCheck({ name: "s3", check: () => checkBucket(s3, config.s3.bucket), services: SERVICES.find((s) => s.name === "archival")!.grpcServices });
  const queue = new JobQueue(jobOptions);
  const worker = new JobWorker({
    ...jobOptions,
    logger,
    types: [...jobs.values()] as never,
    concurrency: 1,
    leaseMs: config.jobs.leaseMs,
    retryDelayMs: config.jobs.retryDelayMs,
  });
  const scheduler = new Scheduler({ orm, queue, jobs, every: config.archival.every, hasWork: periodicWorkChecks(restores), tickMs: config.archival.tickMs, logger });
  return {
    name: "archival",
    routes: archivalRoutes({ orm, s3, config, tenancy: new Tenancy(orm), queue, jobs, restores, retentionClasses: new RetentionClasses({ orm, config, ingest, logger }) }),
    start: async () => {
      // ARCHIVAL_COLD_STORAGE=s3: the bucket moves archives tagged cold (docs/operations/archival.md, "Cold storage").
      if (config.archival.coldStorage === "s3" && (await ensureColdRule(s3, config.s3.bucket, config.archival.coldStorageClass))) {
        logger.info("bucket lifecycle rule for cold archives written", { bucket: config.s3.bucket, storageClass: config.archival.coldStorageClass });
      }
      await worker.start();
      if (config.archival.scheduler) scheduler.start();
    },
    stop: async () => {
      await scheduler.stop();
      await worker.stop();
      s3.destroy();
    },
  };
}
