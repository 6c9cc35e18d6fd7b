import { create } from "@bufbuild/protobuf";
import { IsolationLevel } from "@mikro-orm/core";
import type { Client } from "@connectrpc/connect";
import type { S3Client } from "@aws-sdk/client-s3";
import { notificationSubject, type Bus } from "@hyrelog/bus";
import type { HyrelogConfig } from "@hyrelog/config";
import { derivedUuidv7, type Violation } from "@hyrelog/core";
import { recordExportFile, type Orm, type SubjectKeyStore } from "@hyrelog/db";
import { defineJobType, type JobRecord } from "@hyrelog/jobs";
import { IngestService, KeyScope, PrincipalSchema } from "@hyrelog/proto";
import { EventFilter, eventScope, recordAuditEvent, regionToProto, type EventFilterJson, type Logger, type Tenancy } from "@hyrelog/runtime";
import { archivesToRead, type ArchiveToRead } from "./archived.ts";
import { exportObjectKey } from "./s3.ts";
import { writeExport, type ExportWritten } from "./writer.ts";

export type ExportSourceName = "HOT" | "ARCHIVED" | "HOT_AND_ARCHIVED";

/** What an export job row holds in `params`: enough to rebuild the requester's exact query. */
export interface ExportParams extends Record<string, unknown> {
  source: ExportSourceName;
  format: "JSONL" | "CSV";
  /** The filters of GET /v1/events in their JSON form (EventFilter.toJson). */
  filter: EventFilterJson;
  limit: number | null;
  /** Snapshot: only events older than this id (a UUIDv7 taken at request time), so a re-run writes the same file. */
  beforeId: string;
  requester: { companyId: string; workspaceId: string; scope: "COMPANY" | "WORKSPACE"; keyId: string; region: string };
}

export interface ExportResult extends Record<string, unknown> {
  objectKey: string;
  format: "JSONL" | "CSV";
  source: ExportSourceName;
  rowCount: number;
  bytes: number;
  sha256: string;
  /** Set when the archived part had nothing to give (no archives in the scope yet). */
  message: string | null;
}

export const NO_ARCHIVES_MESSAGE = "no archives yet: no events of this scope have been archived (or, for HOT_AND_ARCHIVED, left hot storage), so the archived part of this export is empty";

export function requesterPrincipal(r: ExportParams["requester"]) {
  return create(PrincipalSchema, {
    companyId: r.companyId,
    workspaceId: r.workspaceId,
    keyId: r.keyId,
    scope: r.scope === "WORKSPACE" ? KeyScope.WORKSPACE : KeyScope.COMPANY,
    region: regionToProto(r.region),
  });
}

/** The filter a job stored; one it cannot read fails the attempt rather than export other rows. */
export function storedFilter(json: EventFilterJson): EventFilter {
  const violations: Violation[] = [];
  const filter = EventFilter.fromJson(json, "filter", violations);
  if (violations.length) throw new Error(`the job's stored filter is invalid: ${violations.map((v) => `${v.field} ${v.description}`).join("; ")}`);
  return filter;
}

/**
 * A fixed id per job for its EXPORT_COMPLETED notification, shaped as a UUIDv7 with the job's
 * timestamp: a re-run publishes the same id, which JetStream de-duplicates (Nats-Msg-Id) and
 * consumers can too.
 */
export function notificationId(jobId: string, type: string): string {
  return derivedUuidv7(parseInt(jobId.replaceAll("-", "").slice(0, 12), 16), `${jobId}:${type}`);
}

export interface ExportJobDeps {
  orm: Orm;
  tenancy: Tenancy;
  subjects: SubjectKeyStore;
  s3: S3Client;
  bus: Bus;
  config: HyrelogConfig;
  ingest: Client<typeof IngestService>;
  logger: Logger;
}

export function exportJobType(deps: ExportJobDeps) {
  const { config } = deps;
  return defineJobType<ExportParams, ExportResult>("export", {
    maxAttempts: 3,
    timeoutMs: config.exports.timeoutMs,
    async run(job: JobRecord<ExportParams>, ctx) {
      const p = job.params;
      const objectKey = exportObjectKey(config.region, job.companyId, job.id, p.format);
      const filter = storedFilter(p.filter);
      const requester = requesterPrincipal(p.requester);
      const conditions = await filter.conditions(deps.tenancy, requester, deps.subjects);
      // The hot rows and the purge watermark are read in one snapshot (REPEATABLE READ), taken by
      // the archive list's query: a hot purge that runs during the export deletes rows this
      // export still reads from the snapshot, and the archives it reads stop at the watermark of
      // that same moment, so each event is written once (docs/exports.md).
      const hot = p.source === "ARCHIVED" ? null : await readSnapshot(deps.orm);
      let archives: ArchiveToRead[];
      let written: ExportWritten;
      try {
        // Before any work: which archives the archived part reads (cold ones: RESTORE_REQUIRED).
        archives =
          p.source === "HOT"
            ? []
            : await archivesToRead(hot?.em ?? deps.orm.em.fork(), await eventScope(deps.tenancy, requester, filter.workspaceId), p.source === "HOT_AND_ARCHIVED");
        written = await writeExport({
          orm: deps.orm,
          subjects: deps.subjects,
          s3: deps.s3,
          bucket: config.s3.bucket,
          key: objectKey,
          format: p.format,
          conditions,
          beforeId: p.beforeId,
          limit: p.limit,
          pageRows: config.exports.pageRows,
          signal: ctx.signal,
          onProgress: (rows) => ctx.progress(rows),
          pageDelayMs: config.exports.testPageDelayMs,
          hot,
          archived: archives.length
            ? // The archives are chosen by the scope (company, workspace filter): with no other filter, nothing to ask PostgreSQL.
              { archives, s3: deps.s3, bucket: config.s3.bucket, filtersByEmail: Boolean(p.filter.actorEmail), unfiltered: Object.keys(p.filter).every((k) => k === "workspaceId") }
            : null,
        });
      } finally {
        await hot?.release();
      }
      ctx.progress(written.rowCount, written.rowCount);
      const result: ExportResult = {
        objectKey,
        format: p.format,
        source: p.source,
        ...written,
        message: p.source === "HOT" || archives.length ? null : NO_ARCHIVES_MESSAGE,
      };
      await recordExportFile(deps.orm, {
        jobId: job.id,
        companyId: job.companyId,
        objectKey,
        format: p.format,
        rowCount: written.rowCount,
        bytes: written.bytes,
        sha256: written.sha256,
        retentionDays: config.exports.retentionDays,
      });
      await notifyCompleted(deps, job, result);
      return result;
    },
  });
}

/**
 * A read-only REPEATABLE READ transaction on a connection of its own: every read in it sees the
 * database as of its first statement (like pg_dump's). `release` ends it, once; it wrote nothing,
 * so ending it cannot lose anything, and a failure to end it (a broken connection) is not the
 * export's error.
 */
async function readSnapshot(orm: Orm): Promise<{ em: Orm["em"]; release(): Promise<void> }> {
  const em = orm.em.fork();
  await em.begin({ isolationLevel: IsolationLevel.REPEATABLE_READ, readOnly: true });
  let open = true;
  return {
    em,
    release: async () => {
      if (!open) return;
      open = false;
      await em.rollback().catch(() => undefined);
    },
  };
}

/**
 * Tells the requester: an EXPORT_COMPLETED notification (the webhook service delivers it) and a
 * record in the company's audit log. Both carry ids fixed by the job, so a re-run after a crash
 * here notifies and records once.
 */
async function notifyCompleted(deps: ExportJobDeps, job: JobRecord<ExportParams>, result: ExportResult): Promise<void> {
  const { config } = deps;
  const id = notificationId(job.id, "EXPORT_COMPLETED");
  const notification = {
    id,
    type: "EXPORT_COMPLETED",
    companyId: job.companyId,
    workspaceId: job.workspaceId,
    occurredAt: new Date().toISOString(),
    data: {
      jobId: job.id,
      format: result.format,
      source: result.source,
      status: "COMPLETED",
      rowCount: result.rowCount,
      bytes: result.bytes,
      sha256: result.sha256,
    },
  };
  await deps.bus.publish(notificationSubject(config.natsPrefix, config.region, job.companyId, "EXPORT_COMPLETED"), new TextEncoder().encode(JSON.stringify(notification)), {
    msgId: id,
  });
  await recordAuditEvent(deps.ingest, deps.logger, {
    companyId: job.companyId,
    region: regionToProto(config.region),
    workspaceId: job.workspaceId,
    category: "export",
    action: "export.completed",
    actor: { id: job.params.requester.keyId, type: "api_key" },
    target: { id: job.id, type: "export", name: `${result.format} export of ${result.rowCount} events` },
    changes: [
      { field: "status", old: "PROCESSING", new: "COMPLETED" },
      { field: "sha256", new: result.sha256 },
    ],
    idempotencyKey: `export.completed:${job.id}`,
  });
}
