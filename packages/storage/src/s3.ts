import { S3Client, DeleteObjectCommand, GetObjectCommand, HeadBucketCommand } from "@aws-sdk/client-s3";
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

