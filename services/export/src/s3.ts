import type { S3Client } from "@aws-sdk/client-s3";
import { ensureLifecycleRule } from "@hyrelog/storage";

/**
 * Every export file lives under `exports/<region>/<companyId>/`, one deterministic key per job (a
 * re-run overwrites it). The common `exports/` prefix is what the bucket's lifecycle rule expires.
 */
export const EXPORTS_PREFIX = "exports/";
export function exportObjectKey(region: string, companyId: string, jobId: string, format: "JSONL" | "CSV"): string {
  return `${EXPORTS_PREFIX}${region}/${companyId}/${jobId}.${format === "CSV" ? "csv" : "jsonl"}`;
}

/**
 * Asks S3 to expire export files after the retention period (one rule of the bucket's lifecycle,
 * the others kept). Servers without lifecycle support (s3rver) refuse it; the retention sweep
 * deletes expired files either way.
 */
export async function putExportLifecycle(client: S3Client, bucket: string, retentionDays: number): Promise<boolean> {
  return ensureLifecycleRule(client, bucket, {
    ID: "hyrelog-export-retention",
    Status: "Enabled",
    Filter: { Prefix: EXPORTS_PREFIX },
    // A day more than the sweep's deadline: S3 rounds expiry to the next midnight UTC.
    Expiration: { Days: retentionDays + 1 },
  }).then(
    () => true,
    () => false,
  );
}
