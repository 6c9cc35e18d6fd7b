import { setTimeout as sleep } from "node:timers/promises";
import { create } from "@bufbuild/protobuf";
import { timestampDate, timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, type ConnectRouter, type HandlerContext } from "@connectrpc/connect";
import type { Orm } from "@hyrelog/db";
import { TERMINAL_STATUSES, jobToProto, type JobQueue, type JobType } from "@hyrelog/jobs";
import { ArchivalService, ArchiveSchema, KeyScope, type Principal } from "@hyrelog/proto";
import type { S3Client } from "@aws-sdk/client-s3";
import type { HyrelogConfig } from "@hyrelog/config";
import { isUuid } from "@hyrelog/core";
import { presignDownload } from "@hyrelog/storage";
import { decodeCursor, encodeCursor, eventScope, invalidArgument, isStaffPrincipal, pageLimit, type Tenancy } from "@hyrelog/runtime";
import type { PeriodicParams } from "./jobs.ts";
import { restoreToProto, type Restores } from "./restores.ts";
import type { RetentionClasses } from "./retention-classes.ts";

export interface ArchivalRoutesDeps {
  orm: Orm;
  s3: S3Client;
  config: HyrelogConfig;
  tenancy: Tenancy;
  queue: JobQueue;
  jobs: Map<string, JobType<PeriodicParams, Record<string, unknown>>>;
  restores: Restores;
  retentionClasses: RetentionClasses;
}

/** How long RunJob waits for the job to end before answering with it still running. */
const RUN_WAIT_MS = 10 * 60_000;

interface ArchiveRow {
  id: string;
  workspace_id: string | null;
  log_id: string;
  day: string;
  from_sequence: string;
  to_sequence: string;
  row_count: string;
  bytes: string;
  sha256: string;
  checkpoint_tree_size: string;
  storage_class: string;
  created_at: Date;
  verified_at: Date | null;
  verification_error: string | null;
  cold_at: Date | null;
  object_key: string;
}

const ARCHIVE_COLUMNS =
  "id, workspace_id, log_id, day::text as day, from_sequence::text as from_sequence, to_sequence::text as to_sequence, row_count::text as row_count, " +
  "bytes::text as bytes, sha256, checkpoint_tree_size::text as checkpoint_tree_size, storage_class, created_at, verified_at, verification_error, cold_at, object_key";

export function archivalRoutes(deps: ArchivalRoutesDeps) {
  return (router: ConnectRouter) =>
    router.service(ArchivalService, {
      async runJob(req, ctx: HandlerContext) {
        if (!isStaffPrincipal(req.principal)) throw new ConnectError("only HyreLog staff may run the region's periodic jobs", Code.PermissionDenied);
        const type = deps.jobs.get(req.name);
        if (!type) throw invalidArgument("unknown job", [{ field: "name", description: `must be one of ${[...deps.jobs.keys()].join(", ")}` }]);
        const asOf = req.asOf ? timestampDate(req.asOf) : null;
        if (asOf && Number.isNaN(asOf.getTime())) throw invalidArgument("invalid asOf", [{ field: "asOf", description: "must be a time" }]);
        const created = await deps.queue.createRegionJob(type, {
          params: { asOf: asOf?.toISOString() ?? null, trigger: "hand" },
          requestedBy: { keyId: req.principal.keyId || "staff", scope: "SYSTEM" },
        });
        const deadline = Date.now() + RUN_WAIT_MS;
        let job = await deps.queue.getAny(created.id);
        while (job && !TERMINAL_STATUSES.includes(job.status) && Date.now() < deadline && !ctx.signal.aborted) {
          await sleep(200);
          job = await deps.queue.getAny(created.id);
        }
        return { job: jobToProto(job ?? created) };
      },

      async listArchives(req) {
        const p = requireKey(req.principal);
        const limit = pageLimit(req.limit);
        // The scope of GET /v1/events: a workspace key its workspace, another company's workspace NOT_FOUND.
        const { where, params } = await eventScope(deps.tenancy, p, req.workspaceId);
        const filterKey = JSON.stringify(["archives", where, params]);
        const before = decodeCursor(req.cursor, filterKey);
        where.push("deleted_at is null");
        if (before) {
          where.push("id < ?");
          params.push(before);
        }
        const rows = await deps.orm.em.fork().execute<ArchiveRow[]>(
          `select ${ARCHIVE_COLUMNS} from archive_objects where ${where.join(" and ")} order by id desc limit ?`,
          [...params, limit + 1],
        );
        const page = rows.slice(0, limit);
        return {
          archives: page.map(archiveToProto),
          nextCursor: rows.length > limit ? encodeCursor(page.at(-1)!.id, filterKey) : "",
        };
      },

      async getArchive(req) {
        const p = requireKey(req.principal);
        const { where, params } = await eventScope(deps.tenancy, p, "");
        const [row] = isUuid(req.archiveId)
          ? await deps.orm.em.fork().execute<Array<ArchiveRow & { readable: boolean }>>(
              `select ${ARCHIVE_COLUMNS},
                      storage_class = 'STANDARD' or exists (select 1 from restore_requests r where r.archive_id = archive_objects.id and r.status = 'COMPLETED' and r.available_until > now()) as readable
               from archive_objects where ${where.join(" and ")} and deleted_at is null and id = ?`,
              [...params, req.archiveId],
            )
          : [];
        if (!row) throw new ConnectError(`archive ${req.archiveId} not found`, Code.NotFound);
        if (!row.readable) return { archive: archiveToProto(row), downloadUrl: "" };
        const ttl = deps.config.exports.downloadUrlTtlSeconds;
        const downloadUrl = await presignDownload(deps.s3, deps.config.s3.bucket, row.object_key, ttl, row.object_key.split("/").at(-1)!);
        return { archive: archiveToProto(row), downloadUrl, downloadUrlExpiresAt: timestampFromDate(new Date(Date.now() + ttl * 1000)) };
      },

      async createRestoreRequest(req) {
        return { request: restoreToProto(await deps.restores.create(req.principal, req)) };
      },

      async listRestoreRequests(req) {
        const { rows, nextCursor } = await deps.restores.list(req.principal, req);
        return { requests: rows.map(restoreToProto), nextCursor };
      },

      async getRestoreRequest(req) {
        const row = await deps.restores.find(req.principal, req.requestId);
        const [archive] = await deps.orm.em.fork().execute<ArchiveRow[]>(`select ${ARCHIVE_COLUMNS} from archive_objects where id = ?`, [row.archive_id]);
        return { request: restoreToProto(row), archive: archive ? archiveToProto(archive) : undefined };
      },

      async cancelRestoreRequest(req) {
        return { request: restoreToProto(await deps.restores.cancel(req.principal, req.requestId, req.actor)) };
      },

      async getRetentionClasses(req) {
        return { policy: await deps.retentionClasses.get(req.principal) };
      },

      async setRetentionClasses(req) {
        return { policy: await deps.retentionClasses.set(req.principal, req.classes, req.actor) };
      },

      async decideRestoreRequest(req) {
        return { request: restoreToProto(await deps.restores.decide(req.principal, req.requestId, req.approve, req.comment, req.decidedBy)) };
      },
    });
}

function requireKey(p: Principal | undefined): Principal {
  if (!p || !p.companyId) throw new ConnectError("principal is required", Code.Unauthenticated);
  if (p.scope !== KeyScope.COMPANY && p.scope !== KeyScope.WORKSPACE) throw new ConnectError("archives are read with a company or workspace key", Code.PermissionDenied);
  return p;
}

function archiveToProto(r: ArchiveRow) {
  return create(ArchiveSchema, {
    id: r.id,
    workspaceId: r.workspace_id ?? "",
    logId: r.log_id,
    day: r.day,
    fromSequence: BigInt(r.from_sequence),
    toSequence: BigInt(r.to_sequence),
    rowCount: BigInt(r.row_count),
    bytes: BigInt(r.bytes),
    sha256: r.sha256,
    checkpointTreeSize: BigInt(r.checkpoint_tree_size),
    storageClass: r.storage_class,
    createdAt: timestampFromDate(new Date(r.created_at)),
    verifiedAt: r.verified_at ? timestampFromDate(new Date(r.verified_at)) : undefined,
    verificationError: r.verification_error ?? "",
    coldAt: r.cold_at ? timestampFromDate(new Date(r.cold_at)) : undefined,
    objectKey: r.object_key,
  });
}
