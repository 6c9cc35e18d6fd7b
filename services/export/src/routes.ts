import { Code, ConnectError, type ConnectRouter } from "@connectrpc/connect";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { S3Client } from "@aws-sdk/client-s3";
import type { HyrelogConfig } from "@hyrelog/config";
import { isUuid, uuidv7, type Violation } from "@hyrelog/core";
import { readExportFile, type Orm, type SubjectKeyStore } from "@hyrelog/db";
import { jobToProto, type JobQueue, type JobRecord, type JobType } from "@hyrelog/jobs";
import {
  ExportFormat,
  ExportFormatSchema,
  ExportService,
  ExportSource,
  ExportSourceSchema,
  JobStatus,
  JobStatusSchema,
  JobsService,
  KeyScope,
  type Principal,
} from "@hyrelog/proto";
import { EventFilter, companyPlan, eventScope, decodeCursor, encodeCursor, enumNames, invalidArgument, pageLimit, planLimitExceeded, requireReader, type Tenancy } from "@hyrelog/runtime";
import type { ExportParams, ExportResult } from "./export-job.ts";
import { archivesToRead } from "./archived.ts";
import { presignDownload } from "@hyrelog/storage";

export interface ExportRoutesDeps {
  orm: Orm;
  tenancy: Tenancy;
  subjects: SubjectKeyStore;
  s3: S3Client;
  config: HyrelogConfig;
  queue: JobQueue;
  exportJob: JobType<ExportParams, ExportResult>;
}

/** The job params spell these enums as the contracts do, without the prefix. */
const SOURCES = enumNames<ExportSource, ExportParams["source"]>(ExportSourceSchema, { prefix: "EXPORT_SOURCE_" });
const FORMATS = enumNames<ExportFormat, ExportParams["format"]>(ExportFormatSchema, { prefix: "EXPORT_FORMAT_" });
/** Job statuses as the jobs table spells them ("PENDING"). */
const JOB_STATUSES = enumNames<JobStatus, JobRecord["status"]>(JobStatusSchema, { prefix: "JOB_STATUS_" });
/** A job type as ListJobs takes it: lower-case words and underscores ("export", "gdpr_erasure"). */
const JOB_TYPE = /^[a-z][a-z0-9_.-]{0,63}$/;

/** Who may see a job: its company, and a workspace key only its own workspace's jobs. */
function visibleTo(job: JobRecord | null, p: Principal): job is JobRecord {
  if (!job || job.companyId !== p.companyId) return false;
  if (p.scope === KeyScope.WORKSPACE) return job.workspaceId === p.workspaceId;
  return p.scope === KeyScope.COMPANY;
}

export function exportRoutes(deps: ExportRoutesDeps) {
  const { orm, config, queue } = deps;
  const sql = <T>(query: string, params: unknown[] = []) => orm.em.fork().execute<T[]>(query, params);

  /** The company's plan with its overrides (one reading for every plan check: runtime's companyPlan). */
  const planOf = async (companyId: string) => {
    const plan = await companyPlan(orm, companyId);
    if (!plan) throw new ConnectError("company not found", Code.NotFound);
    return plan;
  };

  const findJob = async (p: Principal, jobId: string): Promise<JobRecord> => {
    const job = isUuid(jobId) ? await queue.get(jobId, p.companyId) : null;
    if (!visibleTo(job, p)) throw new ConnectError(`job ${jobId} not found`, Code.NotFound);
    return job;
  };

  return (router: ConnectRouter) => {
    router.service(ExportService, {
      async createExport(req) {
        const p = requireReader(req.principal);
        const source = SOURCES.toName(req.source);
        const format = FORMATS.toName(req.format);
        const violations: Violation[] = [];
        if (!source) violations.push({ field: "source", description: `must be ${SOURCES.alternatives}` });
        if (!format) violations.push({ field: "format", description: `must be ${FORMATS.alternatives}` });
        const filter = EventFilter.fromProto(req.filter, violations);
        if (violations.length) throw invalidArgument("invalid export request", violations);
        // Validates the filters and scope exactly as GET /v1/events does: another company's
        // workspace or project is NOT_FOUND, before anything is written.
        const conditions = await filter.conditions(deps.tenancy, p, deps.subjects);

        const plan = await planOf(p.companyId);
        if (!plan.features.exports) {
          throw planLimitExceeded(`exports are not available on the ${plan.tier} plan; they need STARTER or above`, plan.plan, "exports", "false");
        }
        if (source !== "HOT" && !plan.features.archivedExports) {
          throw planLimitExceeded(`exports of archived events are not available on the ${plan.tier} plan; they need GROWTH or above`, plan.plan, "archivedExports", "false");
        }
        // Archives in cold storage the export would need: 409 restore_required before anything is queued.
        if (source !== "HOT") await archivesToRead(deps.orm.em.fork(), await eventScope(deps.tenancy, p, filter.workspaceId), source === "HOT_AND_ARCHIVED");
        // Counted before any work, over the same snapshot the job will read.
        const beforeId = uuidv7();
        const limit = req.limit > 0n ? req.limit : null;
        let rows = 0n;
        if (source !== "ARCHIVED") {
          const [{ n }] = (await sql<{ n: string }>(`select count(*)::text as n from audit_events where ${[...conditions.where, "id < ?"].join(" and ")}`, [
            ...conditions.params,
            beforeId,
          ])) as [{ n: string }];
          rows = BigInt(n);
          if (limit !== null && limit < rows) rows = limit;
        }
        if (plan.exportRowLimit !== null && rows > plan.exportRowLimit) {
          throw planLimitExceeded(
            `this export would hold ${rows} events; the ${plan.tier} plan allows at most ${plan.exportRowLimit} per export (narrow the filters, set a limit, or upgrade)`,
            plan.plan,
            "exportRowLimit",
            String(plan.exportRowLimit),
          );
        }
        const job = await queue.create(deps.exportJob, {
          companyId: p.companyId,
          workspaceId: p.scope === KeyScope.WORKSPACE ? p.workspaceId : filter.workspaceId || null,
          requestedBy: { keyId: p.keyId, scope: p.scope === KeyScope.WORKSPACE ? "WORKSPACE" : "COMPANY" },
          progressTotal: Number(rows),
          params: {
            source: source!,
            format: format!,
            filter: filter.toJson(),
            limit: limit === null ? null : Number(limit),
            beforeId,
            requester: {
              companyId: p.companyId,
              workspaceId: p.workspaceId,
              scope: p.scope === KeyScope.WORKSPACE ? "WORKSPACE" : "COMPANY",
              keyId: p.keyId,
              region: config.region,
            },
          },
        });
        return { job: jobToProto(job) };
      },

      async getExport(req) {
        const p = requireReader(req.principal);
        const job = await findJob(p, req.jobId);
        if (job.type !== "export") throw new ConnectError(`export ${req.jobId} not found`, Code.NotFound);
        const params = job.params as ExportParams;
        const file = job.status === "COMPLETED" ? await readExportFile(orm, job.id) : null;
        let exportFile;
        if (file) {
          const ttl = config.exports.downloadUrlTtlSeconds;
          const name = file.objectKey.split("/").pop()!;
          exportFile = {
            objectKey: file.objectKey,
            rowCount: file.rowCount,
            bytes: file.bytes,
            sha256: file.sha256,
            available: file.available,
            fileExpiresAt: timestampFromDate(file.expiresAt),
            downloadUrl: file.available ? await presignDownload(deps.s3, config.s3.bucket, file.objectKey, ttl, `hyrelog-export-${name}`) : "",
            urlExpiresAt: file.available ? timestampFromDate(new Date(Date.now() + ttl * 1000)) : undefined,
          };
        }
        return {
          job: jobToProto(job),
          source: SOURCES.fromName(params.source) ?? ExportSource.UNSPECIFIED,
          format: FORMATS.fromName(params.format) ?? ExportFormat.JSONL,
          file: exportFile,
        };
      },
    });

    router.service(JobsService, {
      async getJob(req) {
        const p = requireReader(req.principal);
        return { job: jobToProto(await findJob(p, req.jobId)) };
      },

      async listJobs(req) {
        const p = requireReader(req.principal);
        const limit = pageLimit(req.limit);
        const violations: Violation[] = [];
        const status = req.status === JobStatus.UNSPECIFIED ? null : JOB_STATUSES.toName(req.status);
        if (status === undefined) violations.push({ field: "status", description: `must be ${JOB_STATUSES.alternatives}` });
        if (req.type && !JOB_TYPE.test(req.type)) violations.push({ field: "type", description: 'must be a job type such as "export"' });
        if (violations.length) throw invalidArgument("invalid job list request", violations);
        // A workspace key sees its own workspace's jobs, as GetJob shows them.
        const workspaceId = p.scope === KeyScope.WORKSPACE ? p.workspaceId : undefined;
        const filterKey = JSON.stringify(["jobs", p.companyId, workspaceId ?? "", status, req.type]);
        const beforeId = decodeCursor(req.cursor, filterKey);
        const jobs = await queue.list({ companyId: p.companyId, workspaceId, status, type: req.type, beforeId, limit: limit + 1 });
        const page = jobs.slice(0, limit);
        return { jobs: page.map(jobToProto), nextCursor: jobs.length > limit ? encodeCursor(page.at(-1)!.id, filterKey) : "" };
      },

      async cancelJob(req) {
        const p = requireReader(req.principal);
        const job = await findJob(p, req.jobId);
        const cancelled = await queue.cancel(job.id, p.companyId);
        if (!cancelled) {
          const now = (await queue.get(job.id, p.companyId))!;
          throw new ConnectError(`job ${job.id} is already ${now.status} and cannot be cancelled`, Code.FailedPrecondition);
        }
        return { job: jobToProto(cancelled) };
      },
    });
  };
}
