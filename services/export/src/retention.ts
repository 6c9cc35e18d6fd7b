import type { S3Client } from "@aws-sdk/client-s3";
import type { Orm } from "@hyrelog/db";
import type { Logger } from "@hyrelog/runtime";
import { deleteObject } from "@hyrelog/storage";

/**
 * Deletes export files past their retention from S3 and marks them deleted. Runs periodically in
 * every export process; each file is claimed by one conditional UPDATE, so replicas do not collide
 * (a DeleteObject twice would be harmless anyway).
 */
export async function sweepExpiredExports(orm: Orm, s3: S3Client, bucket: string, logger: Logger): Promise<number> {
  const em = orm.em.fork();
  let deleted = 0;
  for (;;) {
    const due = await em.execute<Array<{ job_id: string; object_key: string }>>(
      `select job_id, object_key from export_files where deleted_at is null and expires_at <= now() order by expires_at limit 100`,
    );
    if (due.length === 0) return deleted;
    for (const f of due) {
      await deleteObject(s3, bucket, f.object_key);
      await em.execute(`update export_files set deleted_at = now() where job_id = ? and deleted_at is null`, [f.job_id]);
      deleted++;
    }
    logger.info("deleted expired export files", { count: due.length });
  }
}
