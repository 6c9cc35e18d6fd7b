import {
  S3Client,
  DeleteObjectCommand,
  GetBucketLifecycleConfigurationCommand,
  GetObjectCommand,
  HeadBucketCommand,
  PutBucketLifecycleConfigurationCommand,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import type { HyrelogConfig } from "@hyrelog/config";

/** The region's S3 client. S3-compatible servers (MinIO, s3rver) get path-style addressing and no optional checksums. */
export function createS3Client(s3: HyrelogConfig["s3"]): S3Client {
  return new S3Client({
    region: s3.region,
    ...(s3.endpoint ? { endpoint: s3.endpoint } : {}),
    forcePathStyle: s3.forcePathStyle,
    ...(s3.accessKeyId ? { credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey } } : {}),
    // s3rver stores streamed bodies with aws-chunked framing unless checksums are only sent when required.
    ...(s3.endpoint ? { requestChecksumCalculation: "WHEN_REQUIRED" as const, responseChecksumValidation: "WHEN_REQUIRED" as const } : {}),
  });
}

/**
 * Every export file lives under `exports/<region>/<companyId>/`, one deterministic key per job (a
 * re-run overwrites it). The common `exports/` prefix is what the bucket's lifecycle rule expires.
 */
export const EXPORTS_PREFIX = "exports/";
export function exportObjectKey(region: string, companyId: string, jobId: string, format: "JSONL" | "CSV"): string {
  return `${EXPORTS_PREFIX}${region}/${companyId}/${jobId}.${format === "CSV" ? "csv" : "jsonl"}`;
}

export function presignDownload(client: S3Client, bucket: string, key: string, ttlSeconds: number, filename: string): Promise<string> {
  return getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: key, ResponseContentDisposition: `attachment; filename="${filename}"` }), {
    expiresIn: ttlSeconds,
  });
}

/** Health: the bucket exists and these credentials reach it (HeadBucket), within 1.5 s. */
export async function checkBucket(client: S3Client, bucket: string): Promise<void> {
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucket }), { abortSignal: AbortSignal.timeout(1500) });
  } catch (err) {
    const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    const status = e.$metadata?.httpStatusCode;
    // The SDK's message for a HEAD answer is often just the status; say which bucket and why.
    throw new Error(`S3 bucket ${bucket}: ${status ? `HTTP ${status}` : (e.name ?? "error")}${e.message && e.message !== "UnknownError" ? ` (${e.message})` : ""}`);
  }
}

export async function deleteObject(client: S3Client, bucket: string, key: string): Promise<void> {
  await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
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
