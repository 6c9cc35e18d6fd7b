import { GetBucketLifecycleConfigurationCommand, PutBucketLifecycleConfigurationCommand, type S3Client } from "@aws-sdk/client-s3";

/**
 * Every export file lives under `exports/<region>/<companyId>/`, one deterministic key per job (a
 * re-run overwrites it). The common `exports/` prefix is what the bucket's lifecycle rule expires.
 */
export const EXPORTS_PREFIX = "exports/";
export function exportObjectKey(region: string, companyId: string, jobId: string, format: "JSONL" | "CSV"): string {
  return `${EXPORTS_PREFIX}${region}/${companyId}/${jobId}.${format === "CSV" ? "csv" : "jsonl"}`;
}

/**
 * Asks S3 to expire export files after the retention period. Servers without lifecycle support
 * (s3rver) refuse it; the retention sweep deletes expired files either way.
 */
export async function putExportLifecycle(client: S3Client, bucket: string, retentionDays: number): Promise<boolean> {
  const ruleId = "hyrelog-export-retention";
  try {
    // PUT replaces the bucket's whole configuration: keep every other rule (archival's, the operator's).
    const others = await client
      .send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }))
      .then((current) => (current.Rules ?? []).filter((rule) => rule.ID !== ruleId))
      .catch((err: { name?: string }) => {
        if (err.name === "NoSuchLifecycleConfiguration") return [];
        throw err;
      });
    await client.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: bucket,
        LifecycleConfiguration: {
          Rules: [
            ...others,
            {
              ID: ruleId,
              Status: "Enabled",
              Filter: { Prefix: EXPORTS_PREFIX },
              // A day more than the sweep's deadline: S3 rounds expiry to the next midnight UTC.
              Expiration: { Days: retentionDays + 1 },
            },
          ],
        },
      }),
    );
    return true;
  } catch {
    return false;
  }
}
