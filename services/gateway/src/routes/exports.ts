/** Exports: request one (checked here for shape, by the export service for plan and scope), its status, the streamed download. */
import { Readable } from "node:stream";
import { ExportFormat, ExportFormatSchema, ExportSourceSchema, JobStatus, type Job } from "@hyrelog/proto";
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import { EVENT_FILTER_FIELDS, EventFilter, enumNames } from "@hyrelog/runtime";
import {
  CURSOR,
  dateTime,
  EVENT_FILTER_DOCS,
  integer,
  JOB_QUEUED,
  JOB_STATUS_NAMES,
  jsonResponse,
  limitQuery,
  mediaResponse,
  named,
  nullableDateTime,
  nullableStr,
  object,
  page,
  query,
  response,
  uuid,
} from "../api-schema.ts";
import { ApiError, toApiError } from "../errors.ts";
import { JOB_STATUSES, progressJson } from "./jobs.ts";
import { iso, refuse, type Handler, type Route, type RouteTable, type Violation } from "./shared.ts";

const SOURCES = enumNames(ExportSourceSchema, { prefix: "EXPORT_SOURCE_" });
const FORMATS = enumNames(ExportFormatSchema, { prefix: "EXPORT_FORMAT_" });
const SOURCE_NAMES = ["HOT", "ARCHIVED", "HOT_AND_ARCHIVED"];
const FORMAT_NAMES = ["JSONL", "CSV"];

const EXPORT_FILTERS = named(
  "ExportFilters",
  object(Object.fromEntries(EVENT_FILTER_FIELDS.map((f) => [f, { ...EVENT_FILTER_DOCS[f].schema, description: EVENT_FILTER_DOCS[f].description }])), [], {
    description: "The query parameters of GET /v1/events, as an object.",
  }),
);

const CREATE_EXPORT = named(
  "CreateExportRequest",
  object(
    {
      source: {
        type: "string",
        enum: SOURCE_NAMES,
        description: "HOT: events in the database. ARCHIVED needs GROWTH or above; until archival runs it completes with 0 rows and a message.",
      },
      format: { type: "string", enum: FORMAT_NAMES },
      filters: EXPORT_FILTERS,
      limit: integer({ minimum: 1, description: "At most this many events, the newest." }),
      from: dateTime("Same as filters.from (the original HyreLog API's place for it); not both."),
      to: dateTime("Same as filters.to (the original HyreLog API's place for it); not both."),
    },
    ["source", "format"],
  ),
);

const EXPORT = named(
  "Export",
  object({
    jobId: uuid(),
    status: { type: "string", enum: JOB_STATUS_NAMES },
    source: { type: "string", enum: SOURCE_NAMES },
    format: { type: "string", enum: FORMAT_NAMES },
    filters: EXPORT_FILTERS,
    progress: object({ done: integer({ minimum: 0 }), total: { type: ["integer", "null"], minimum: 0 } }),
    attempts: integer({ minimum: 0 }),
    maxAttempts: integer({ minimum: 1 }),
    rowCount: { type: ["integer", "null"], minimum: 0 },
    bytes: { type: ["integer", "null"], minimum: 0 },
    sha256: { type: ["string", "null"], pattern: "^[0-9a-f]{64}$", description: "SHA-256 of the file." },
    message: nullableStr({ description: 'E.g. "no archives yet: ..." for archived sources before archival exists.' }),
    error: nullableStr({ description: "Why the last attempt failed; the final reason once FAILED." }),
    downloadUrl: nullableStr({ description: "Once COMPLETED: a presigned S3 GET URL, valid until expiresAt (EXPORT_DOWNLOAD_URL_TTL_SECONDS)." }),
    expiresAt: nullableDateTime("When downloadUrl stops working; GET again for a fresh one."),
    fileExpiresAt: nullableDateTime("When the file is deleted (EXPORT_RETENTION_DAYS)."),
    createdAt: dateTime(),
    finishedAt: nullableDateTime(),
  }),
);

const EXPORT_PAGE = page(
  "ExportPage",
  EXPORT,
  "Pass as `cursor` (with the same status) for the next page; null on the last page.",
  "Newest first; downloadUrl and its expiry are null here (GET /v1/exports/{jobId} for them).",
);

const WHO = "A company key, or a workspace key for its own workspace's jobs; another company's job is 404.";
const JOB_ID = { jobId: "A job of the caller's company (UUID)." };

export const exportRoutes: RouteTable = (clients): Route[] => {
  const createExport: Handler = async (r) => {
    const b = r.body as { source: string; format: string; filters?: Record<string, string>; limit?: number; from?: string; to?: string };
    const violations: Violation[] = [];
    const source = SOURCES.fromName(b.source)!;
    const format = FORMATS.fromName(b.format)!;
    const limit = BigInt(b.limit ?? 0);
    // The original HyreLog API took the time range at the top level: `from`/`to` there are
    // filters.from/filters.to (the same bound in both places is refused).
    const lifted = new Set<string>();
    let filters = b.filters ?? {};
    for (const k of ["from", "to"] as const) {
      if (b[k] === undefined) continue;
      if (filters[k] !== undefined) violations.push({ field: k, description: `is also given as filters.${k}; send it in one place` });
      else {
        filters = { ...filters, [k]: b[k] };
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
    const { limit = 0, cursor = "", status } = r.query as { limit?: number; cursor?: string; status?: string };
    const res = await clients
      .jobs(r.region)
      .listJobs({ principal: r.principal, status: JOB_STATUSES.fromName(status) ?? JobStatus.UNSPECIFIED, type: "export", limit, cursor }, { headers: r.callHeaders });
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
    {
      method: "POST",
      pattern: "/v1/exports",
      doc: {
        tag: "Exports",
        operationId: "createExport",
        summary: "Export events to a JSONL or CSV file",
        description:
          "Exports the events GET /v1/events would list for these filters, newest first, as of now. A company key, or a workspace key for its workspace. " +
          "Plan rules are checked before any work: exports need STARTER or above, archived sources GROWTH or above, and the row count (after `limit`) must be within the plan's per-export limit " +
          "(FREE 10,000, STARTER 250,000, GROWTH 1,000,000, ENTERPRISE unlimited); otherwise 403 `plan_limit` naming the limit. " +
          "An ARCHIVED source that needs archives in cold storage is 409 `restore_required` naming them in `details.archiveIds`: restore them first (POST /v1/restore-requests). Poll GET /v1/exports/{jobId}.",
        body: { schema: CREATE_EXPORT, required: true },
        responses: { "202": jsonResponse("Queued.", JOB_QUEUED), "403": response("Forbidden"), "404": response("NotFound"), "409": response("Conflict") },
      },
      handler: createExport,
    },
    {
      method: "GET",
      pattern: "/v1/exports",
      doc: {
        tag: "Exports",
        operationId: "listExports",
        summary: "List exports",
        description: `${WHO.replace("another company's job is 404", "each sees its own")} Newest first, paged, optionally by status.`,
        parameters: [query("status", { type: "string", enum: JOB_STATUS_NAMES }, "Only jobs in this status."), limitQuery(100), CURSOR],
        responses: { "200": jsonResponse("A page of exports.", EXPORT_PAGE), "403": response("Forbidden") },
      },
      handler: listExports,
    },
    {
      method: "GET",
      pattern: "/v1/exports/:jobId",
      doc: {
        tag: "Exports",
        operationId: "getExport",
        summary: "An export's status, progress and download link",
        description: `${WHO} Once COMPLETED: row count, bytes, SHA-256 and a fresh presigned download URL.`,
        path: JOB_ID,
        responses: { "200": jsonResponse("The export.", EXPORT), "403": response("Forbidden"), "404": response("NotFound") },
      },
      handler: getExport,
    },
    {
      method: "GET",
      pattern: "/v1/exports/:jobId/download",
      doc: {
        tag: "Exports",
        operationId: "downloadExport",
        summary: "Download an export's file through the gateway",
        description: `${WHO} Streams the file from S3, for clients that cannot reach the bucket. 409 until the export is COMPLETED; 404 once the file is past its retention.`,
        path: JOB_ID,
        responses: {
          "200": mediaResponse("The file.", ["text/csv", "application/x-ndjson"], {
            "X-Content-SHA256": { description: "SHA-256 of the file.", schema: { type: "string", pattern: "^[0-9a-f]{64}$" } },
            "Content-Disposition": { description: "attachment; filename=...", schema: { type: "string" } },
          }),
          "403": response("Forbidden"),
          "404": response("NotFound"),
          "409": response("Conflict"),
        },
      },
      handler: download,
    },
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
