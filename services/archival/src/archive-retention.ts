import type { Client } from "@connectrpc/connect";
import type { S3Client } from "@aws-sdk/client-s3";
import type { Orm } from "@hyrelog/db";
import type { IngestService } from "@hyrelog/proto";
import { recordAuditEvent, regionToProto, type Logger } from "@hyrelog/runtime";
import { deleteObject } from "@hyrelog/storage";

export interface ArchiveRetentionResult extends Record<string, unknown> {
  /** Archives deleted, each recorded by a tombstone event in its company's log. */
  deleted: number;
  /** Past retention but still holding events that never left hot storage (an archive that failed verification): kept. */
  kept: number;
}

interface Due {
  id: string;
  company_id: string;
  workspace_id: string | null;
  log_id: string;
  object_key: string;
  day: string;
  from_sequence: string;
  to_sequence: string;
  sha256: string;
  purged_to: string;
  days: number;
  tier: string;
}

/**
 * Archive retention: an archive whose day is older than its company's `archive_retention_days`
 * (the plan's, or the company's override) is deleted from the bucket, and a tombstone event in the
 * company's log records what went and why: the log, the range, the object's SHA-256. The events'
 * leaves stay (purged_events), so checkpoints and proofs of later events keep verifying. An archive
 * whose events are still hot (its verification failed, so they were never purged) is kept.
 */
export async function deleteExpiredArchives(deps: { orm: Orm; s3: S3Client; bucket: string; ingest: Client<typeof IngestService>; logger: Logger; region: string }, asOf: Date): Promise<ArchiveRetentionResult> {
  const em = deps.orm.em.fork();
  const due = await em.execute<Due[]>(
    `select a.id, a.company_id, a.workspace_id, a.log_id, a.object_key, a.day::text as day, a.from_sequence::text as from_sequence, a.to_sequence::text as to_sequence,
            a.sha256, l.purged_to::text as purged_to, r.days, c.plan_tier as tier
     from archive_objects a
     join log_lifecycle l using (log_id)
     join companies c on c.id = a.company_id
     join plans p on p.tier = c.plan_tier
     cross join lateral (select coalesce((c.plan_overrides ->> 'archiveRetentionDays')::int, p.archive_retention_days) as days) r
     where a.deleted_at is null and a.day + r.days < (?::timestamptz at time zone 'UTC')::date
     order by a.created_at`,
    [asOf],
  );
  const result: ArchiveRetentionResult = { deleted: 0, kept: 0 };
  for (const a of due) {
    if (Number(a.to_sequence) > Number(a.purged_to)) {
      result.kept++;
      continue;
    }
    // The record first (idempotent by the archive's id), then the object, then the row.
    await recordAuditEvent(deps.ingest, deps.logger, {
      companyId: a.company_id,
      region: regionToProto(deps.region),
      category: "archive",
      action: "archive.deleted",
      actor: { id: "hyrelog", type: "system" },
      target: { id: a.id, type: "archive", name: `events ${a.from_sequence}..${a.to_sequence} of log ${a.log_id} (${a.day})` },
      changes: [
        { field: "logId", old: a.log_id },
        { field: "fromSequence", old: Number(a.from_sequence) },
        { field: "toSequence", old: Number(a.to_sequence) },
        { field: "sha256", old: a.sha256 },
        { field: "reason", new: `archive retention of ${a.days} days (${a.tier} plan)` },
      ],
      idempotencyKey: `archive.deleted:${a.id}`,
    }, { required: true });
    await deleteObject(deps.s3, deps.bucket, a.object_key);
    await em.execute(`update archive_objects set deleted_at = ? where id = ? and deleted_at is null`, [asOf, a.id]);
    result.deleted++;
  }
  return result;
}
