import { jobSubject, type Bus } from "@hyrelog/bus";
import { uuidv7 } from "@hyrelog/core";
import type { Orm } from "@hyrelog/db";
import type { Metrics } from "@hyrelog/runtime";
import type { JobRecord, JobType } from "./job-type.ts";
import { jobMetrics, type JobStates } from "./metrics.ts";
import { JobStore, type JobListFilter } from "./store.ts";

export interface JobSystemOptions {
  orm: Orm;
  bus: Bus;
  natsPrefix: string;
  region: string;
  /** The process's metrics: jobs by state (see metrics.ts). */
  metrics?: Metrics;
}

export interface NewJob<P> {
  companyId: string;
  workspaceId: string | null;
  params: P;
  requestedBy: { keyId: string; scope: string };
  /** Known size of the work (e.g. rows to export), shown as progress total. */
  progressTotal?: number | null;
}

/** Creates jobs (row first, then the hand-out message), reads and cancels them. */
export class JobQueue {
  readonly #store: JobStore;
  readonly #opts: JobSystemOptions;
  readonly #entered: JobStates;

  constructor(opts: JobSystemOptions) {
    this.#opts = opts;
    this.#store = new JobStore(opts.orm);
    this.#entered = jobMetrics(opts.metrics, this.#store);
  }

  async create<P extends Record<string, unknown>>(type: JobType<P, never> | JobType<P, Record<string, unknown>>, job: NewJob<P>): Promise<JobRecord<P>> {
    return (await this.#insert(type, job)) as JobRecord<P>;
  }

  /** A periodic job of the whole region (archival, verification...): it belongs to no company, so no company's job list shows it. */
  async createRegionJob<P extends Record<string, unknown>>(type: JobType<P, never> | JobType<P, Record<string, unknown>>, job: Omit<NewJob<P>, "companyId" | "workspaceId">): Promise<JobRecord<P, null>> {
    return (await this.#insert(type, { ...job, companyId: null, workspaceId: null })) as JobRecord<P, null>;
  }

  /** A job of the region, whoever it belongs to (the archival service's own runs). */
  getAny(id: string): Promise<JobRecord<Record<string, unknown>, string | null> | null> {
    return this.#store.get(id);
  }

  async #insert<P extends Record<string, unknown>>(type: JobType<P, never> | JobType<P, Record<string, unknown>>, job: Omit<NewJob<P>, "companyId"> & { companyId: string | null }) {
    const row = await this.#store.insert({
      id: uuidv7(),
      type: type.name,
      companyId: job.companyId,
      workspaceId: job.workspaceId,
      params: job.params,
      maxAttempts: type.maxAttempts,
      timeoutMs: type.timeoutMs,
      progressTotal: job.progressTotal ?? null,
      requestedBy: job.requestedBy,
    });
    this.#entered(type.name, "PENDING");
    // If this publish is lost, the workers' requeue sweep publishes the PENDING row again.
    await publishJob(this.#opts, type.name, row.id, row.id).catch(() => undefined);
    return row;
  }

  /** A job of this company, or null (also for another company's job: no existence leak). */
  async get(id: string, companyId: string): Promise<JobRecord | null> {
    const job = await this.#store.get(id);
    return job && job.companyId === companyId ? (job as JobRecord) : null;
  }

  /** A company's jobs, newest first: one page of a list (JobStore.list). */
  list(filter: JobListFilter): Promise<JobRecord[]> {
    return this.#store.list(filter);
  }

  /** Cancels a PENDING or PROCESSING job; a running attempt notices at its next heartbeat. Null when it was not open. */
  async cancel(id: string, companyId: string): Promise<JobRecord | null> {
    const job = await this.#store.cancel(id, companyId);
    if (job) this.#entered(job.type, "CANCELLED");
    return job;
  }
}

export function publishJob(opts: { bus: Bus; natsPrefix: string; region: string }, type: string, jobId: string, msgId: string) {
  return opts.bus.publish(jobSubject(opts.natsPrefix, opts.region, type), new TextEncoder().encode(JSON.stringify({ jobId })), { msgId });
}
