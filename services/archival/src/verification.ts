import { createHash } from "node:crypto";
import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { GetObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { ArchiveVerifier, type ArchiveReport } from "@hyrelog/core";
import type { Orm } from "@hyrelog/db";

export interface VerificationResult extends Record<string, unknown> {
  checked: number;
  verified: number;
  failed: number;
  /** Ids of the archives that failed, with the first problem of each. */
  failures: Array<{ archiveId: string; error: string }>;
}

interface ArchiveRow {
  id: string;
  log_id: string;
  company_id: string;
  object_key: string;
  sha256: string;
  bytes: string;
  from_sequence: string;
  to_sequence: string;
}

/**
 * Archive verification: downloads every archive not verified yet, recomputes its SHA-256 and
 * checks it as `hyrelog verify --archive` does (chain, range, checkpoint signature by the region's
 * keys, audit path), and records `verified_at` or `verification_error`. A bad archive is reported,
 * never skipped: it stays unverified (and its events stay in PostgreSQL) until someone acts.
 */
export async function verifyArchives(orm: Orm, s3: S3Client, bucket: string, asOf: Date, signal: AbortSignal): Promise<VerificationResult> {
  const em = orm.em.fork();
  const archives = await em.execute<ArchiveRow[]>(
    `select id, log_id, company_id, object_key, sha256, bytes::text as bytes, from_sequence::text as from_sequence, to_sequence::text as to_sequence
     from archive_objects where verified_at is null and deleted_at is null order by created_at`,
  );
  const keys = (await em.execute<Array<{ verifier_key: string }>>(`select verifier_key from signing_keys`)).map((k) => k.verifier_key);
  const result: VerificationResult = { checked: 0, verified: 0, failed: 0, failures: [] };
  for (const a of archives) {
    signal.throwIfAborted();
    result.checked++;
    let error: string | null;
    try {
      error = await checkArchive(s3, bucket, a, keys, signal);
    } catch (err) {
      if (signal.aborted) throw err;
      error = `could not read the archive: ${err instanceof Error ? err.name : "error"}`;
    }
    if (error === null) {
      result.verified++;
      await em.execute(`update archive_objects set verified_at = ?, verification_error = null where id = ?`, [asOf, a.id]);
    } else {
      result.failed++;
      result.failures.push({ archiveId: a.id, error });
      await em.execute(`update archive_objects set verification_error = ? where id = ?`, [error, a.id]);
    }
  }
  return result;
}

/** Null when the object is exactly the archive recorded; else what is wrong. */
async function checkArchive(s3: S3Client, bucket: string, a: ArchiveRow, trustedKeys: string[], signal: AbortSignal): Promise<string | null> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: a.object_key }), { abortSignal: signal });
  const body = object.Body as Readable;
  const hash = createHash("sha256");
  let bytes = 0;
  body.on("data", (chunk: Buffer) => {
    hash.update(chunk);
    bytes += chunk.length;
  });
  const verifier = new ArchiveVerifier({ trustedKeys });
  let unreadable = false;
  const gunzip = body.pipe(createGunzip());
  gunzip.on("error", () => (unreadable = true));
  try {
    for await (const line of createInterface({ input: gunzip, crlfDelay: Infinity })) verifier.line(line);
  } catch {
    unreadable = true;
  }
  const sha256 = hash.digest("hex");
  if (sha256 !== a.sha256 || bytes !== Number(a.bytes)) return `checksum mismatch: the object's SHA-256 is ${sha256} (${bytes} bytes), ${a.sha256} (${a.bytes} bytes) was recorded`;
  if (unreadable) return "the object is not a readable gzip file";
  return reportProblem(verifier.finish(), a);
}

function reportProblem(report: ArchiveReport, a: ArchiveRow): string | null {
  const h = report.header;
  if (h && (h.logId !== a.log_id || h.companyId !== a.company_id || h.fromSequence !== Number(a.from_sequence) || h.toSequence !== Number(a.to_sequence))) {
    return "the archive's header names another log or range than the one recorded";
  }
  if (report.ok && report.signedBy === null) return "the archive's checkpoint is not signed by any of the region's keys";
  if (report.ok) return null;
  const first = report.problems[0]!;
  return `${first.kind}: ${first.message}${report.problems.length > 1 ? ` (and ${report.problems.length - 1} more problems)` : ""}`;
}
