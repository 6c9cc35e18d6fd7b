import { create, type JsonObject } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { JobSchema, JobStatus, JobStatusSchema, type Job } from "@hyrelog/proto";
import { enumNames } from "@hyrelog/runtime";
import type { JobRecord } from "./job-type.ts";

/** `jobs.status` spells the contract's enum without its prefix. */
const STATUSES = enumNames(JobStatusSchema, { prefix: "JOB_STATUS_" });

/** A job row as the contracts carry it (hyrelog.jobs.v1.Job); a region's periodic job has no company (""). */
export function jobToProto(job: JobRecord<Record<string, unknown>, string | null>): Job {
  return create(JobSchema, {
    id: job.id,
    type: job.type,
    status: STATUSES.fromName(job.status) ?? JobStatus.UNSPECIFIED,
    companyId: job.companyId ?? "",
    workspaceId: job.workspaceId ?? "",
    attempts: job.attempts,
    maxAttempts: job.maxAttempts,
    timeoutMs: job.timeoutMs,
    progressDone: BigInt(job.progressDone),
    progressTotal: job.progressTotal === null ? undefined : BigInt(job.progressTotal),
    params: job.params as JsonObject,
    result: (job.result ?? undefined) as JsonObject | undefined,
    error: job.error ?? "",
    requestedByKeyId: job.requestedBy.keyId,
    createdAt: timestampFromDate(job.createdAt),
    startedAt: job.startedAt ? timestampFromDate(job.startedAt) : undefined,
    finishedAt: job.finishedAt ? timestampFromDate(job.finishedAt) : undefined,
  });
}

