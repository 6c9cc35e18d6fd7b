/** Jobs: any job's status, progress and result (exports now; archival, GDPR and restores later), and cancel. */
import { JobStatus, JobStatusSchema, KeyScope, type Job } from "@hyrelog/proto";
import { enumNames } from "@hyrelog/runtime";
import { CURSOR, JOB, JOB_STATUS_NAMES, jsonResponse, limitQuery, page, query, response, type Json } from "../api-schema.ts";
import { ApiError } from "../errors.ts";
import { iso, type Handler, type Operation, type Route, type RouteTable } from "./shared.ts";

/** Job statuses as the API spells them ("PENDING"). */
export const JOB_STATUSES = enumNames(JobStatusSchema, { prefix: "JOB_STATUS_" });

const JOB_PAGE = page("JobPage", JOB, "Pass as `cursor` (with the same status and type) for the next page; null on the last page.");
const WHO = "A company key, or a workspace key for its own workspace's jobs; another company's job is 404.";
const JOB_ID = { jobId: "A job of the caller's company (UUID)." };
const ERRORS: Record<string, Json> = { "403": response("Forbidden"), "404": response("NotFound") };
const getJobDoc = (operationId: string, summary: string, extra: string): Operation => ({
  tag: "Jobs",
  operationId,
  summary,
  description: `${WHO} ${extra}`,
  path: JOB_ID,
  responses: { "200": jsonResponse("The job.", JOB), ...ERRORS },
});

export const jobRoutes: RouteTable = (clients): Route[] => {
  const getJob: Handler = async (r) => {
    const res = await clients.jobs(r.region).getJob({ principal: r.principal, jobId: r.params.jobId! }, { headers: r.callHeaders });
    return { status: 200, body: jobJson(res.job!) };
  };

  const getCompanyJob: Handler = async (r) => {
    if (r.principal.scope !== KeyScope.COMPANY) throw new ApiError(403, "forbidden", "this route is for company keys (hlk_co_...); use GET /v1/jobs/:jobId");
    return getJob(r);
  };

  const listJobs: Handler = async (r) => {
    const { limit = 0, cursor = "", status, type = "" } = r.query as { limit?: number; cursor?: string; status?: string; type?: string };
    const res = await clients
      .jobs(r.region)
      .listJobs({ principal: r.principal, status: JOB_STATUSES.fromName(status) ?? JobStatus.UNSPECIFIED, type, limit, cursor }, { headers: r.callHeaders });
    return { status: 200, body: { data: res.jobs.map(jobJson), nextCursor: res.nextCursor || null, hasMore: res.nextCursor !== "" } };
  };

  const cancelJob: Handler = async (r) => {
    const res = await clients.jobs(r.region).cancelJob({ principal: r.principal, jobId: r.params.jobId!, context: r.context }, { headers: r.callHeaders });
    return { status: 200, body: jobJson(res.job!) };
  };

  return [
    {
      method: "GET",
      pattern: "/v1/jobs",
      doc: {
        tag: "Jobs",
        operationId: "listJobs",
        summary: "List jobs",
        description: "A company key sees every job of its company, a workspace key its own workspace's. Newest first, paged, optionally by status and type.",
        parameters: [
          query("status", { type: "string", enum: JOB_STATUS_NAMES }, "Only jobs in this status."),
          query("type", { type: "string" }, 'Only jobs of this type, e.g. "export".'),
          limitQuery(100),
          CURSOR,
        ],
        responses: { "200": jsonResponse("A page of jobs.", JOB_PAGE), "403": response("Forbidden") },
      },
      handler: listJobs,
    },
    { method: "GET", pattern: "/v1/jobs/:jobId", doc: getJobDoc("getJob", "A job's status, progress and result", "Any job type (exports now; archival, GDPR and restores later)."), handler: getJob },
    {
      method: "POST",
      pattern: "/v1/jobs/:jobId/cancel",
      doc: {
        tag: "Jobs",
        operationId: "cancelJob",
        summary: "Cancel a pending or running job",
        description: `${WHO} A running attempt stops within seconds; a finished job answers 409.`,
        path: JOB_ID,
        responses: { "200": jsonResponse("The cancelled job.", JOB), ...ERRORS, "409": response("Conflict") },
      },
      handler: cancelJob,
    },
    {
      method: "GET",
      pattern: "/v1/key/company/jobs/:jobId",
      doc: getJobDoc("getCompanyJob", "A job of the company key's company", "Company keys only (403 for a workspace key)."),
      handler: getCompanyJob,
    },
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
