import type { Orm } from "./orm.ts";

/** A file a job wrote to the region's bucket under exports/ (an export, a subject access file, a company export). */
export interface ExportFileRecord {
  jobId: string;
  companyId: string;
  objectKey: string;
  format: "JSONL" | "CSV";
  rowCount: number;
  bytes: number;
  sha256: string;
  /** After this many days the retention sweep deletes it (EXPORT_RETENTION_DAYS). */
  retentionDays: number;
}

/** Records (or, for a re-run of the job, replaces) the file of a job in export_files. */
export async function recordExportFile(orm: Orm, f: ExportFileRecord): Promise<void> {
  await orm.em.fork().execute(
    `insert into export_files (job_id, company_id, object_key, format, row_count, bytes, sha256, expires_at)
     values (?, ?, ?, ?, ?, ?, ?, now() + make_interval(days => ?))
     on conflict (job_id) do update set object_key = excluded.object_key, row_count = excluded.row_count, bytes = excluded.bytes,
       sha256 = excluded.sha256, created_at = now(), expires_at = excluded.expires_at, deleted_at = null`,
    [f.jobId, f.companyId, f.objectKey, f.format, f.rowCount, f.bytes, f.sha256, f.retentionDays],
  );
}

/** A job's file as recorded, and whether it can still be downloaded (not deleted, not past its retention). */
export interface StoredExportFile {
  objectKey: string;
  rowCount: bigint;
  bytes: bigint;
  sha256: string;
  expiresAt: Date;
  available: boolean;
}

export async function readExportFile(orm: Orm, jobId: string): Promise<StoredExportFile | null> {
  const [f] = await orm.em
    .fork()
    .execute<Array<{ object_key: string; row_count: string; bytes: string; sha256: string; expires_at: Date; deleted_at: Date | null }>>(
      `select object_key, row_count, bytes, sha256, expires_at, deleted_at from export_files where job_id = ?`,
      [jobId],
    );
  if (!f) return null;
  const expiresAt = new Date(f.expires_at);
  return {
    objectKey: f.object_key,
    rowCount: BigInt(f.row_count),
    bytes: BigInt(f.bytes),
    sha256: f.sha256,
    expiresAt,
    available: f.deleted_at === null && expiresAt.getTime() > Date.now(),
  };
}
