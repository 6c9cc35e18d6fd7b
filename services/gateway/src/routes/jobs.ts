/** Jobs: any job's status, progress and result (exports now; archival, GDPR and restores later), and cancel. */
import { JobStatus, JobStatusSchema, KeyScope, type Job } from "@hyrelog/proto";
import { enumNames } from "@hyrelog/runtime";
import { ApiError } from "../errors.ts";
import { enumParam, iso, limitParam, refuse, stringParam, type Handler, type RouteTable, type Violation } from "./shared.ts";

/** Job statuses as the API spells them ("PENDING"). */
export const JOB_STATUSES = enumNames(JobStatusSchema, { prefix: "JOB_STATUS_" });

export const jobRoutes: RouteTable = (clients) => {
  const getJob: Handler = async (r) => {
    const res = await clients.jobs(r.region).getJob({ principal: r.principal, jobId: r.params.jobId! }, { headers: r.callHeaders });
    return { status: 200, body: jobJson(res.job!) };
  };

  const getCompanyJob: Handler = async (r) => {
    if (r.principal.scope !== KeyScope.COMPANY) throw new ApiError(403, "forbidden", "this route is for company keys (hlk_co_...); use GET /v1/jobs/:jobId");
    return getJob(r);
  };

  const listJobs: Handler = async (r) => {
    const q = r.url.searchParams;
    const violations: Violation[] = [];
    const limit = limitParam(q, 100, violations);
    const status = enumParam(q, "status", JOB_STATUSES, violations) ?? JobStatus.UNSPECIFIED;
    refuse("invalid request", violations);
    const res = await clients
      .jobs(r.region)
      .listJobs({ principal: r.principal, status, type: stringParam(q, "type"), limit, cursor: stringParam(q, "cursor") }, { headers: r.callHeaders });
    return { status: 200, body: { data: res.jobs.map(jobJson), nextCursor: res.nextCursor || null, hasMore: res.nextCursor !== "" } };
  };

  const cancelJob: Handler = async (r) => {
    const res = await clients.jobs(r.region).cancelJob({ principal: r.principal, jobId: r.params.jobId!, context: r.context }, { headers: r.callHeaders });
    return { status: 200, body: jobJson(res.job!) };
  };

  return [
    { method: "GET", pattern: "/v1/jobs", query: ["status", "type", "limit", "cursor"], handler: listJobs },
    { method: "GET", pattern: "/v1/jobs/:jobId", handler: getJob },
    { method: "POST", pattern: "/v1/jobs/:jobId/cancel", handler: cancelJob },
    { method: "GET", pattern: "/v1/key/company/jobs/:jobId", handler: getCompanyJob },
  ];
};

export function progressJson(job: Job) {
  return { done: Number(job.progressDone), total: job.progressTotal === undefined ? null : Number(job.progressTotal) };
}

export function jobJson(job: Job) {
  return {
    id: job.id,
    type: job.type,
    status: JOB_STATUSES.toName(job.status) ?? "UNKNOWN",
    companyId: job.companyId,
    workspaceId: job.workspaceId || null,
    attempts: job.attempts,
    maxAttempts: job.maxAttempts,
    timeoutMs: job.timeoutMs,
    progress: progressJson(job),
    params: job.params ?? {},
    result: job.result ?? null,
    error: job.error || null,
    requestedByKeyId: job.requestedByKeyId || null,
    createdAt: iso(job.createdAt),
    startedAt: iso(job.startedAt),
    finishedAt: iso(job.finishedAt),
  };
}
