import { once } from "node:events";
import { createGzip } from "node:zlib";
import type { S3Client } from "@aws-sdk/client-s3";
import { ARCHIVE_FORMAT, archiveObjectKey, uuidv7, type ArchiveHeader, type RegionCode } from "@hyrelog/core";
import { copyRowsOut, SEALED_LINE_SQL, StoredTree, type Orm } from "@hyrelog/db";
import { PartUpload } from "@hyrelog/storage";

export interface ArchiveRun {
  orm: Orm;
  s3: S3Client;
  bucket: string;
  region: RegionCode;
  /** Archives written at once (ARCHIVAL_CONCURRENCY). */
  concurrency: number;
  signal: AbortSignal;
  onProgress(events: number): void;
}

export interface ArchivalResult extends Record<string, unknown> {
  logs: number;
  archives: number;
  events: number;
  bytes: number;
  /** Candidates not archived yet because no signed checkpoint covers them (the checkpointer signs within minutes). */
  waitingForCheckpoint: number;
}

interface LogToArchive {
  log_id: string;
  company_id: string;
  workspace_id: string | null;
  archived_to: string;
  candidate_to: string;
  checkpointed_to: string | null;
}

// 8 MiB parts (S3's minimum is 5 MiB), two uploading while a third fills.
const PART_BYTES = 8 * 1024 * 1024;
// What goes to gzip in one write, and its output buffer: each write and each output chunk is a
// trip between the main thread and zlib's, so a few large ones cost less than many socket-sized.
const GZIP_WRITE_BYTES = 1024 * 1024;
const GZIP_CHUNK_BYTES = 256 * 1024;
// Level 3: about 8 µs of gzip per event against 13.6 at the default 6, for archives 5% (typical
// lines) to 11% (the bench's random hashes) larger; at 6, gzip was a third of archival's CPU and
// archival missed issue 13's 50,000 events/s (docs/operations/archival.md, "Throughput").
const GZIP_LEVEL = 3;

/**
 * Archival: writes every log's marked events that are not archived yet to the region's bucket,
 * one gzipped JSON-lines object per UTC day of received_at (core/archive.ts has the format), and
 * records each object (archive_objects). Up to `concurrency` archives of a log are written at once
 * (a day is often one page: written one by one, the database, gzip and S3 would take turns); the
 * log's `archived_to` moves only over the leading run of recorded archives, so an archive that
 * fails leaves no gap behind the watermark, and the next run writes it (and skips the recorded).
 * Only events a signed checkpoint covers are archived: each archive carries that checkpoint and
 * the audit path of its last event, so it verifies offline. Re-running skips what is recorded
 * and rewrites the same object keys for anything that was not, so it never duplicates.
 */
export async function archiveLogs(run: ArchiveRun): Promise<ArchivalResult> {
  const em = run.orm.em.fork();
  const logs = await em.execute<LogToArchive[]>(
    `select l.log_id, l.company_id, l.workspace_id, l.archived_to::text as archived_to, l.candidate_to::text as candidate_to,
            (select max(tree_size) from checkpoints c where c.log_id = l.log_id)::text as checkpointed_to
     from log_lifecycle l where l.candidate_to > l.archived_to order by l.log_id`,
  );
  const result: ArchivalResult = { logs: 0, archives: 0, events: 0, bytes: 0, waitingForCheckpoint: 0 };
  for (const log of logs) {
    run.signal.throwIfAborted();
    const candidateTo = Number(log.candidate_to);
    const upTo = Math.min(candidateTo, Number(log.checkpointed_to ?? 0));
    result.waitingForCheckpoint += candidateTo - Math.max(upTo, Number(log.archived_to));
    if (upTo <= Number(log.archived_to)) continue;
    result.logs++;
    const ranges = await dayRanges(run.orm, log.log_id, Number(log.archived_to), upTo);
    const recorded = new Set<DayRange>();
    let leading = 0;
    const advance = async () => {
      const before = leading;
      while (leading < ranges.length && recorded.has(ranges[leading]!)) leading++;
      if (leading > before) {
        await em.execute(`update log_lifecycle set archived_to = greatest(archived_to, ?), updated_at = now() where log_id = ?`, [ranges[leading - 1]!.to, log.log_id]);
      }
    };
    await inParallel(ranges, run.concurrency, async (range) => {
      run.signal.throwIfAborted();
      const written = await writeArchive(run, log, range);
      recorded.add(range);
      result.archives++;
      result.events += range.to - range.from + 1;
      result.bytes += written;
      run.onProgress(result.events);
      await advance();
    });
  }
  return result;
}

/** Runs `work` on every item, at most `limit` at once; the first failure is thrown once all have settled. */
async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { err: unknown } | null = null;
  const worker = async () => {
    while (next < items.length && !failure) {
      const item = items[next++]!;
      await work(item).catch((err: unknown) => {
        failure ??= { err };
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw (failure as { err: unknown }).err;
}

interface DayRange {
  day: string;
  from: number;
  to: number;
}

/**
 * The log's events after `after` up to `upTo`, split by UTC day of received_at. A day whose
 * sequences interleave with the next (concurrent requests around midnight) is merged with it, so
 * every archive is one contiguous range.
 */
async function dayRanges(orm: Orm, logId: string, after: number, upTo: number): Promise<DayRange[]> {
  const rows = await orm.em.fork().execute<Array<{ day: string; lo: string; hi: string }>>(
    `select to_char(received_at at time zone 'UTC', 'YYYY-MM-DD') as day, min(sequence)::text as lo, max(sequence)::text as hi
     from audit_events where log_id = ? and sequence > ? and sequence <= ? group by 1 order by min(sequence)`,
    [logId, after, upTo],
  );
  const ranges: DayRange[] = [];
  for (const r of rows) {
    const last = ranges.at(-1);
    if (last && Number(r.lo) <= last.to) last.to = Math.max(last.to, Number(r.hi));
    else ranges.push({ day: r.day, from: Number(r.lo), to: Number(r.hi) });
  }
  return ranges;
}

/** Writes one archive (unless it is already recorded) and records it. Returns the object's bytes (0: it was recorded already). */
async function writeArchive(run: ArchiveRun, log: LogToArchive, range: DayRange): Promise<number> {
  const em = run.orm.em.fork();
  const [existing] = await em.execute<Array<{ bytes: string }>>(`select bytes::text as bytes from archive_objects where log_id = ? and from_sequence = ?`, [log.log_id, range.from]);
  if (existing) return 0;
  // The smallest signed tree that holds the range's last event, and that event's audit path in it.
  const [checkpoint] = await em.execute<Array<{ tree_size: string; root_hash: string; signed_note: string }>>(
    `select tree_size::text as tree_size, root_hash, signed_note from checkpoints where log_id = ? and tree_size >= ? order by checkpoints.tree_size limit 1`,
    [log.log_id, range.to],
  );
  if (!checkpoint) throw new Error(`no checkpoint of log ${log.log_id} covers sequence ${range.to}`);
  const treeSize = Number(checkpoint.tree_size);
  const { proof, root } = await new StoredTree(em, log.log_id).inclusionProof(range.to - 1, treeSize);
  if (root !== checkpoint.root_hash) throw new Error(`log ${log.log_id}: the stored tree of ${treeSize} events does not match its signed checkpoint`);
  // What the archive row records of its events, and a count that proves none is missing (sequences are unique per log).
  const [span] = await em.execute<Array<{ count: string; prev_hash: string | null; first_id: string | null; last_id: string | null; min_occurred: string | null; max_occurred: string | null }>>(
    `select count(*)::text as count,
            (select prev_hash from audit_events where log_id = ? and sequence = ?) as prev_hash,
            (select id::text from audit_events where log_id = ? and sequence = ?) as first_id,
            (select id::text from audit_events where log_id = ? and sequence = ?) as last_id,
            to_char(min(occurred_at) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as min_occurred,
            to_char(max(occurred_at) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as max_occurred
     from audit_events where log_id = ? and sequence between ? and ?`,
    [log.log_id, range.from, log.log_id, range.from, log.log_id, range.to, log.log_id, range.from, range.to],
  );
  const rows = range.to - range.from + 1;
  if (Number(span!.count) !== rows || !span!.prev_hash) throw new Error(`log ${log.log_id} lacks events in ${range.from}..${range.to} (${span!.count} of ${rows})`);

  const header: ArchiveHeader = {
    hyrelogArchive: ARCHIVE_FORMAT,
    region: run.region,
    companyId: log.company_id,
    workspaceId: log.workspace_id,
    logId: log.log_id,
    day: range.day,
    fromSequence: range.from,
    toSequence: range.to,
    rows,
    prevHash: span!.prev_hash,
    checkpoint: { treeSize, rootHash: checkpoint.root_hash, signedNote: checkpoint.signed_note },
    inclusionProof: proof,
    createdAt: new Date().toISOString(),
  };
  const key = archiveObjectKey(header);
  const upload = new PartUpload({ s3: run.s3, bucket: run.bucket, key, contentType: "application/gzip", partBytes: PART_BYTES, partsInFlight: 2, signal: run.signal });
  const gzip = createGzip({ chunkSize: GZIP_CHUNK_BYTES, level: GZIP_LEVEL });
  // gzip output goes to the upload as it comes; the upload's back-pressure pauses the reader.
  const uploading = (async () => {
    for await (const chunk of gzip) {
      const full = upload.write(chunk as Buffer);
      if (full) await full;
    }
  })();
  const write = async (data: string | Buffer) => {
    if (!gzip.write(data)) await Promise.race([once(gzip, "drain"), uploading]);
  };
  try {
    await write(JSON.stringify(header) + "\n");
    // The lines come out of PostgreSQL already formatted (SEALED_LINE_SQL, the stored closed form),
    // in sequence order, as raw bytes that go straight to gzip, gathered into large writes.
    let gathered: Buffer[] = [];
    let gatheredBytes = 0;
    const flush = () => {
      const data = Buffer.concat(gathered, gatheredBytes);
      gathered = [];
      gatheredBytes = 0;
      return write(data);
    };
    const copied = await copyRowsOut(
      run.orm,
      `select ${SEALED_LINE_SQL} from audit_events where log_id = $1 and sequence between $2 and $3 order by audit_events.sequence`,
      [log.log_id, range.from, range.to],
      (chunk) => {
        run.signal.throwIfAborted();
        gathered.push(chunk);
        gatheredBytes += chunk.length;
        return gatheredBytes >= GZIP_WRITE_BYTES ? flush() : undefined;
      },
    );
    if (gatheredBytes > 0) await flush();
    if (copied !== rows) throw new Error(`log ${log.log_id}: ${copied} of the ${rows} events of ${range.from}..${range.to} were read`);
    gzip.end();
    await uploading;
    const { bytes, sha256 } = await upload.end();
    await em.execute(
      `insert into archive_objects (id, company_id, workspace_id, log_id, day, from_sequence, to_sequence, row_count, first_event_id, last_event_id,
         min_occurred_at, max_occurred_at, object_key, bytes, sha256, checkpoint_tree_size)
       values (?, ?, ?, ?, ?::date, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (log_id, from_sequence) do nothing`,
      [uuidv7(), log.company_id, log.workspace_id, log.log_id, range.day, range.from, range.to, rows, span!.first_id, span!.last_id, span!.min_occurred, span!.max_occurred, key, bytes, sha256, treeSize],
    );
    return bytes;
  } catch (err) {
    gzip.destroy();
    await uploading.catch(() => undefined);
    await upload.abort();
    throw err;
  }
}
