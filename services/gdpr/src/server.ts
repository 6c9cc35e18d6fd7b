import { SERVICES } from "@hyrelog/config";
import { JobQueue, JobWorker } from "@hyrelog/jobs";
import { IngestService } from "@hyrelog/proto";
import type { ServiceDeps, ServiceModule } from "@hyrelog/runtime";
import { checkBucket, createS3Client } from "@hyrelog/storage";
import { accessJobType, companyExportJobType, erasureJobType } from "./jobs.ts";
import { gdprRoutes } from "./routes.ts";

/**
 * The GDPR service: subject access and erasure requests with their approvals, and the company
 * export, each done by a job of the job system (docs/privacy.md, ADR 0012).
 */
export async function build(deps: ServiceDeps): Promise<ServiceModule> {
  const { config, bus } = deps;
  const orm = deps.orm!;
  if (!deps.subjects) throw new Error("the gdpr service needs PERSONAL_DATA_MASTER_KEY");
  const subjects = deps.subjects;
  const logger = deps.logger.child({ service: "gdpr" });
  const s3 = createS3Client(config.s3);
  const ingest = deps.clients.client(IngestService, "ingest", config.regionEndpoints[config.region]!);
  const jobDeps = { orm, subjects, s3, bus, config, ingest, logger };
  const jobs = { access: accessJobType(jobDeps), erasure: erasureJobType(jobDeps), companyExport: companyExportJobType(jobDeps) };
  const jobOptions = { orm, bus, natsPrefix: config.natsPrefix, region: config.region, metrics: deps.metrics };
  deps.health.addCheck({ name: "s3", check: () => checkBucket(s3, config.s3.bucket), services: SERVICES.find((s) => s.name === "gdpr")!.grpcServices });
  const queue = new JobQueue(jobOptions);
  const worker = new JobWorker({
    ...jobOptions,
    logger,
    types: [jobs.access, jobs.erasure, jobs.companyExport] as never,
    concurrency: 2,
    leaseMs: config.jobs.leaseMs,
    retryDelayMs: config.jobs.retryDelayMs,
  });
  return {
    name: "gdpr",
    routes: gdprRoutes({ orm, subjects, s3, config, queue, jobs: jobs as never, ingest, logger }),
    start: async () => {
      await worker.start();
    },
    stop: async () => {
      await worker.stop();
      s3.destroy();
    },
  };
}
