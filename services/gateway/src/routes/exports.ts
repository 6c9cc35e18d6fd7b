/** Exports: request one (checked here for shape, by the export service for plan and scope), its status, the streamed download. */
import { Readable } from "node:stream";
import { ExportFormat, ExportFormatSchema, ExportSourceSchema, JobStatus, type Job } from "@hyrelog/proto";
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import { EventFilter, enumNames } from "@hyrelog/runtime";
import { ApiError, toApiError } from "../errors.ts";
import { JOB_STATUSES, progressJson } from "./jobs.ts";
import { enumParam, iso, limitParam, objectBody, refuse, stringParam, type Handler, type RouteTable, type Violation } from "./shared.ts";

const SOURCES = enumNames(ExportSourceSchema, { prefix: "EXPORT_SOURCE_" });
const FORMATS = enumNames(ExportFormatSchema, { prefix: "EXPORT_FORMAT_" });
const FIELDS = ["source", "format", "filters", "limit", "from", "to"];

export const exportRoutes: RouteTable = (clients) => {
  const createExport: Handler = async (r) => {
    const b = await objectBody(r.req);
    const violations: Violation[] = [];
    for (const k of Object.keys(b)) {
      if (!FIELDS.includes(k)) violations.push({ field: k, description: `is not a field of an export request (${FIELDS.join(", ")})` });
    }
    const source = SOURCES.fromName(b.source);
    if (source === undefined) violations.push({ field: "source", description: b.source === undefined ? `is required: ${SOURCES.alternatives}` : `must be ${SOURCES.alternatives}` });
    const format = FORMATS.fromName(b.format);
    if (format === undefined) violations.push({ field: "format", description: b.format === undefined ? `is required: ${FORMATS.alternatives}` : `must be ${FORMATS.alternatives}` });
    let limit = 0n;
    if (b.limit !== undefined && b.limit !== null) {
      if (!Number.isSafeInteger(b.limit) || (b.limit as number) < 1) violations.push({ field: "limit", description: "must be a whole number >= 1" });
      else limit = BigInt(b.limit as number);
    }
    // The original HyreLog API took the time range at the top level: `from`/`to` there are
    // filters.from/filters.to (the same bound in both places is refused). A malformed `filters`
    // is left as it is for EventFilter.fromJson to report.
    const lifted = new Set<string>();
    let filters = b.filters;
    const inner = filters === undefined || filters === null ? {} : typeof filters === "object" && !Array.isArray(filters) ? (filters as Record<string, unknown>) : null;
    for (const k of ["from", "to"] as const) {
      if (b[k] === undefined || inner === null) continue;
      if (inner[k] !== undefined) violations.push({ field: k, description: `is also given as filters.${k}; send it in one place` });
      else {
        filters = { ...(filters as Record<string, unknown> | undefined), [k]: b[k] };
        lifted.add(`filters.${k}`);
      }
    }
    // Problems with a lifted bound are named where the caller put it.
    const fieldOf = (f: string) => (lifted.has(f) ? f.slice("filters.".length) : f);
    const filterViolations: Violation[] = [];
    const filter = EventFilter.fromJson(filters, "filters", filterViolations);
    violations.push(...filterViolations.map((v) => ({ ...v, field: fieldOf(v.field) })));
    refuse("invalid export request", violations);
    const res = await clients
      .export(r.region)
      .createExport({ principal: r.principal, source, format, filter: filter.toProto(), limit, context: r.context }, { headers: r.callHeaders })
      .catch((err) => {
        // The service names filter fields as GET /v1/events does; in this body they sit under "filters".
        throw toApiError(err, (f) => (["source", "format", "limit"].includes(f) ? f : fieldOf(`filters.${f}`)));
      });
    return { status: 202, body: { jobId: res.job!.id, status: JOB_STATUSES.toName(res.job!.status) ?? "UNKNOWN" } };
  };

  const getExport: Handler = async (r) => {
    const res = await clients.export(r.region).getExport({ principal: r.principal, jobId: r.params.jobId! }, { headers: r.callHeaders });
    return { status: 200, body: exportJson(res.job!, SOURCES.toName(res.source), FORMATS.toName(res.format), res.file) };
  };

  // The export jobs as GET /v1/jobs lists them (type "export"), each in the form of GET /v1/exports/:jobId without its download URL.
  const listExports: Handler = async (r) => {
    const q = r.url.searchParams;
    const violations: Violation[] = [];
    const limit = limitParam(q, 100, violations);
    const status = enumParam(q, "status", JOB_STATUSES, violations) ?? JobStatus.UNSPECIFIED;
    refuse("invalid request", violations);
    const res = await clients
      .jobs(r.region)
      .listJobs({ principal: r.principal, status, type: "export", limit, cursor: stringParam(q, "cursor") }, { headers: r.callHeaders });
    const data = res.jobs.map((job) => {
      const params = (job.params ?? {}) as Record<string, unknown>;
      const result = (job.result ?? {}) as Record<string, unknown>;
      const file = job.status === JobStatus.COMPLETED && typeof result.sha256 === "string" ? { rowCount: Number(result.rowCount), bytes: Number(result.bytes), sha256: result.sha256 } : undefined;
      return exportJson(job, typeof params.source === "string" ? params.source : undefined, typeof params.format === "string" ? params.format : undefined, file);
    });
    return { status: 200, body: { data, nextCursor: res.nextCursor || null, hasMore: res.nextCursor !== "" } };
  };

  // Streams the file from S3 through the gateway, for clients that cannot reach the bucket.
  const download: Handler = async (r) => {
    const res = await clients.export(r.region).getExport({ principal: r.principal, jobId: r.params.jobId! }, { headers: r.callHeaders });
    const job = res.job!;
    if (job.status !== JobStatus.COMPLETED) {
      throw new ApiError(409, "failed_precondition", `export ${job.id} is ${JOB_STATUSES.toName(job.status) ?? "not ready"}; download it once it is COMPLETED`);
    }
    if (!res.file?.available || !res.file.downloadUrl) throw new ApiError(404, "not_found", `the file of export ${job.id} was deleted after its retention period`);
    const upstream = await fetch(res.file.downloadUrl).catch(() => null);
    if (!upstream?.ok || !upstream.body) throw new ApiError(503, "unavailable", "the export file could not be read from storage; retry later");
    const csv = res.format === ExportFormat.CSV;
    return {
      status: 200,
      body: null,
      stream: {
        body: Readable.fromWeb(upstream.body as import("node:stream/web").ReadableStream<Uint8Array>),
        headers: {
          "content-type": csv ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8",
          "content-length": String(res.file.bytes),
          "content-disposition": `attachment; filename="hyrelog-export-${job.id}.${csv ? "csv" : "jsonl"}"`,
          // The file's digest, so a client can check what it received.
          "x-content-sha256": res.file.sha256,
        },
      },
    };
  };

  return [
    { method: "POST", pattern: "/v1/exports", handler: createExport },
    { method: "GET", pattern: "/v1/exports", query: ["status", "limit", "cursor"], handler: listExports },
    { method: "GET", pattern: "/v1/exports/:jobId", handler: getExport },
    { method: "GET", pattern: "/v1/exports/:jobId/download", handler: download },
  ];
};

/** An export as GET /v1/exports/:jobId shows it; `file` from the service (with its URL) or, in a list, from the job's result (without). */
function exportJson(
  job: Job,
  source: string | undefined,
  format: string | undefined,
  f: { rowCount: bigint | number; bytes: bigint | number; sha256: string; downloadUrl?: string; urlExpiresAt?: Timestamp; fileExpiresAt?: Timestamp } | undefined,
) {
  const result = (job.result ?? {}) as Record<string, unknown>;
  return {
    jobId: job.id,
    status: JOB_STATUSES.toName(job.status) ?? "UNKNOWN",
    source: source ?? "UNKNOWN",
    format: format ?? "UNKNOWN",
    filters: ((job.params ?? {}) as Record<string, unknown>).filter ?? {},
    progress: progressJson(job),
    attempts: job.attempts,
    maxAttempts: job.maxAttempts,
    rowCount: f ? Number(f.rowCount) : null,
    bytes: f ? Number(f.bytes) : null,
    sha256: f?.sha256 ?? null,
    message: typeof result.message === "string" ? result.message : null,
    error: job.error || null,
    downloadUrl: f?.downloadUrl || null,
    expiresAt: iso(f?.urlExpiresAt),
    fileExpiresAt: iso(f?.fileExpiresAt),
    createdAt: iso(job.createdAt),
    finishedAt: iso(job.finishedAt),
  };
}
