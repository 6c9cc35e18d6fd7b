import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { GetObjectCommand, type S3Client } from "@aws-sdk/client-s3";

/**
 * The event lines of an archive in the bucket (gzipped JSON lines, docs/verification.md
 * "Archives"), after its header line, streamed: memory stays a line at a time.
 */
export async function* archiveEventLines(s3: S3Client, bucket: string, key: string, signal: AbortSignal): AsyncGenerator<string> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signal });
  let header = true;
  for await (const line of createInterface({ input: (object.Body as Readable).pipe(createGunzip()), crlfDelay: Infinity })) {
    if (header) {
      header = false;
      continue;
    }
    if (line) yield line;
  }
}
