import { Readable } from "node:stream";
import { timestampDate, timestampFromDate, type Timestamp } from "@bufbuild/protobuf/wkt";
import { ExportFormat, ExportSource, JobStatus, KeyScope, type Job } from "@hyrelog/proto";
import { ApiError, toApiError } from "./errors.ts";
import { parseTimestamp, type Violation } from "./event-input.ts";
import { readJson } from "./http.ts";
import type { GatewayClients, Handler } from "./routes.ts";

const SOURCES: Record<string, ExportSource> = {
  HOT: ExportSource.HOT,
  ARCHIVED: ExportSource.ARCHIVED,
  HOT_AND_ARCHIVED: ExportSource.HOT_AND_ARCHIVED,
};
const FORMATS: Record<string, ExportFormat> = { JSONL: ExportFormat.JSONL, CSV: ExportFormat.CSV };
const FILTER_STRINGS = ["category", "action", "projectId", "workspaceId", "actorId", "actorEmail", "targetId", "targetType"] as const;
const STATUS_NAMES: Record<number, string> = {
  [JobStatus.PENDING]: "PENDING",
  [JobStatus.PROCESSING]: "PROCESSING",
  [JobStatus.COMPLETED]: "COMPLETED",
  [JobStatus.FAILED]: "FAILED",
  [JobStatus.CANCELLED]: "CANCELLED",
};

/** Exports and jobs: POST/GET /v1/exports, the streamed download, GET and cancel of any job. */
export function exportRoutes(clients: GatewayClients): Array<{ method: string; pattern: string; handler: Handler }> {
  const createExport: Handler = async (r) => {
    const body = await readJson(r.req);
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      throw new ApiError(400, "invalid_argument", "the request body must be a JSON object", { violations: [{ field: "body", description: "must be a JSON object" }] });
    }
    const b = body as Record<string, unknown>;
    const violations: Violation[] = [];
    for (const k of Object.keys(b)) {
      if (!["source", "format", "filters", "limit"].includes(k)) violations.push({ field: k, description: "is not a field of an export request (source, format, filters, limit)" });
    }
    const source = typeof b.source === "string" && Object.hasOwn(SOURCES, b.source) ? SOURCES[b.source] : undefined;
    if (source === undefined) violations.push({ field: "source", description: b.source === undefined ? "is required: HOT, ARCHIVED or HOT_AND_ARCHIVED" : "must be HOT, ARCHIVED or HOT_AND_ARCHIVED" });
    const format = typeof b.format === "string" && Object.hasOwn(FORMATS, b.format) ? FORMATS[b.format] : undefined;
    if (format === undefined) violations.push({ field: "format", description: b.format === undefined ? "is required: JSONL or CSV" : "must be JSONL or CSV" });
    let limit = 0n;
    if (b.limit !== undefined && b.limit !== null) {
      if (!Number.isSafeInteger(b.limit) || (b.limit as number) < 1) violations.push({ field: "limit", description: "must be a whole number >= 1" });
      else limit = BigInt(b.limit as number);
    }
    const filter: Record<string, unknown> = {};
    const filters = b.filters ?? {};
    if (typeof filters !== "object" || filters === null || Array.isArray(filters)) {
      violations.push({ field: "filters", description: "must be an object with the query parameters of GET /v1/events" });
    } else {
      for (const [k, v] of Object.entries(filters)) {
        if ((FILTER_STRINGS as readonly string[]).includes(k)) {
          if (typeof v !== "string") violations.push({ field: `filters.${k}`, description: "must be a string" });
          else filter[k] = v;
        } else if (k === "from" || k === "to") {
          const d = parseTimestamp(v);
          if (!d) violations.push({ field: `filters.${k}`, description: 'must be an RFC 3339 timestamp such as "2026-01-31T00:00:00Z"' });
          else filter[k] = timestampFromDate(d);
        } else {
          violations.push({ field: `filters.${k}`, description: `is not a filter of GET /v1/events (${[...FILTER_STRINGS, "from", "to"].join(", ")})` });
        }
      }
    }
    if (violations.length) throw new ApiError(400, "invalid_argument", "invalid export request", { violations });
    const res = await clients
      .export(r.region)
      .createExport({ principal: r.principal, source, format, filter, limit, context: r.context }, { headers: r.callHeaders })
      .catch((err) => {
        // The service names filter fields as GET /v1/events does; in this body they sit under "filters".
        throw toApiError(err, (f) => (["source", "format", "limit"].includes(f) ? f : `filters.${f}`));
      });
    return { status: 202, body: { jobId: res.job!.id, status: STATUS_NAMES[res.job!.status] ?? "UNKNOWN" } };
  };

  const getExport: Handler = async (r) => {
    const res = await clients.export(r.region).getExport({ principal: r.principal, jobId: r.params.jobId! }, { headers: r.callHeaders });
    const job = res.job!;
    const result = (job.result ?? {}) as Record<string, unknown>;
    const f = res.file;
    return {
      status: 200,
      body: {
        jobId: job.id,
        status: STATUS_NAMES[job.status] ?? "UNKNOWN",
        source: ExportSource[res.source],
        format: ExportFormat[res.format],
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
      },
    };
  };

  // Streams the file from S3 through the gateway, for clients that cannot reach the bucket.
  const download: Handler = async (r) => {
    const res = await clients.export(r.region).getExport({ principal: r.principal, jobId: r.params.jobId! }, { headers: r.callHeaders });
    const job = res.job!;
    if (job.status !== JobStatus.COMPLETED) {
      throw new ApiError(409, "failed_precondition", `export ${job.id} is ${STATUS_NAMES[job.status] ?? "not ready"}; download it once it is COMPLETED`);
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

  const getJob: Handler = async (r) => {
    const res = await clients.jobs(r.region).getJob({ principal: r.principal, jobId: r.params.jobId! }, { headers: r.callHeaders });
    return { status: 200, body: jobJson(res.job!) };
  };

  const getCompanyJob: Handler = async (r) => {
    if (r.principal.scope !== KeyScope.COMPANY) throw new ApiError(403, "forbidden", "this route is for company keys (hlk_co_...); use GET /v1/jobs/:jobId");
    return getJob(r);
  };

  const cancelJob: Handler = async (r) => {
    const res = await clients.jobs(r.region).cancelJob({ principal: r.principal, jobId: r.params.jobId!, context: r.context }, { headers: r.callHeaders });
    return { status: 200, body: jobJson(res.job!) };
  };

  return [
    { method: "POST", pattern: "/v1/exports", handler: createExport },
    { method: "GET", pattern: "/v1/exports/:jobId", handler: getExport },
    { method: "GET", pattern: "/v1/exports/:jobId/download", handler: download },
    { method: "GET", pattern: "/v1/jobs/:jobId", handler: getJob },
    { method: "POST", pattern: "/v1/jobs/:jobId/cancel", handler: cancelJob },
    { method: "GET", pattern: "/v1/key/company/jobs/:jobId", handler: getCompanyJob },
  ];
}

function progressJson(job: Job) {
  return { done: Number(job.progressDone), total: job.progressTotal === undefined ? null : Number(job.progressTotal) };
}

export function jobJson(job: Job) {
  return {
    id: job.id,
    type: job.type,
    status: STATUS_NAMES[job.status] ?? "UNKNOWN",
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

function iso(t: Timestamp | undefined): string | null {
  return t ? timestampDate(t).toISOString() : null;
}
