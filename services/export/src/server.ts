import { IngestService } from "@hyrelog/proto";
import { JobQueue, JobWorker } from "@hyrelog/jobs";
import { SERVICES } from "@hyrelog/config";
import { Tenancy, type ServiceDeps, type ServiceModule } from "@hyrelog/runtime";
import { exportJobType } from "./export-job.ts";
import { exportRoutes } from "./routes.ts";
import { sweepExpiredExports } from "./retention.ts";
import { checkBucket, createS3Client } from "@hyrelog/storage";
import { putExportLifecycle } from "./s3.ts";

/**
 * The export service: ExportService and JobsService over gRPC, the export job worker, and the
 * retention sweep of export files.
 */
export async function build(deps: ServiceDeps): Promise<ServiceModule> {
  const { config, bus } = deps;
  const orm = deps.orm!;
  const logger = deps.logger.child({ service: "export" });
  const s3 = createS3Client(config.s3);
  const ingest = deps.clients.client(IngestService, "ingest", config.regionEndpoints[config.region]!);
  const tenancy = new Tenancy(orm);
  if (!deps.subjects) throw new Error("the export service needs PERSONAL_DATA_MASTER_KEY");
  const subjects = deps.subjects;
  const exportJob = exportJobType({ orm, tenancy, subjects, s3, bus, config, ingest, logger });
  const jobOptions = { orm, bus, natsPrefix: config.natsPrefix, region: config.region, metrics: deps.metrics };
  // Export files go to the region's bucket: without it the export service is not ready (gRPC health).
  deps.health.addCheck({ name: "s3", check: () => checkBucket(s3, config.s3.bucket), services: SERVICES.find((s) => s.name === "export")!.grpcServices });
  const queue = new JobQueue(jobOptions);
  const worker = new JobWorker({
    ...jobOptions,
    logger,
    types: [exportJob as never],
    concurrency: config.exports.concurrency,
    leaseMs: config.jobs.leaseMs,
    retryDelayMs: config.jobs.retryDelayMs,
  });
  let sweepTimer: NodeJS.Timeout | undefined;
  let sweeping: Promise<unknown> = Promise.resolve();
  const sweep = () => {
    sweeping = sweepExpiredExports(orm, s3, config.s3.bucket, logger).catch((err) => logger.warn("export retention sweep failed", { err }));
  };
  return {
    name: "export",
    routes: exportRoutes({ orm, tenancy, subjects, s3, config, queue, exportJob }),
    start: async () => {
      if (config.exports.concurrency > 0) await worker.start();
      void putExportLifecycle(s3, config.s3.bucket, config.exports.retentionDays);
      sweep();
      sweepTimer = setInterval(sweep, config.exports.sweepIntervalMs);
      sweepTimer.unref();
    },
    stop: async () => {
      clearInterval(sweepTimer);
      await worker.stop();
      await sweeping;
      s3.destroy();
    },
  };
}
