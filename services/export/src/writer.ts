import { setImmediate as nextTurn, setTimeout as sleep } from "node:timers/promises";
import type { S3Client } from "@aws-sdk/client-s3";
import { EVENT_TEXT_COLUMNS, type EventTextRow, type Orm, type SubjectKeyStore } from "@hyrelog/db";
import type { EventConditions } from "@hyrelog/runtime";
import { CSV_HEADER, csvLine, jsonlLine, openTextRow, sealedSubjects, type ExportFormatName } from "./formats.ts";
import { PartUpload } from "@hyrelog/storage";
import { archivedPages, type ArchiveToRead, type ExportItem } from "./archived.ts";

export interface ExportWrite {
  orm: Orm;
  /** Opens the personal values of version 2 rows (erased ones are written as erased). */
  subjects: SubjectKeyStore;
  s3: S3Client;
  bucket: string;
  key: string;
  format: ExportFormatName;
  /** GET /v1/events conditions of the requester. */
  conditions: EventConditions;
  /** Only events with ids below this one: the snapshot taken when the export was requested. */
  beforeId: string;
  /** At most this many events (newest first); null for all. */
  limit: number | null;
  pageRows: number;
  signal: AbortSignal;
  onProgress(rows: number): void;
  /** Test hook: pause after each page. */
  pageDelayMs?: number;
  /**
   * Where the hot rows are read (null: skip the database, source ARCHIVED): an entity manager in a
   * REPEATABLE READ transaction, so every page reads the one snapshot the archive list was read in
   * (a hot purge meanwhile deletes nothing this export still reads), and `release`, called once the
   * hot part is read, ends it.
   */
  hot: { em: Orm["em"]; release(): Promise<void> } | null;
  /** The archives to read after the hot part (archivesToRead), with what they need. */
  archived: { archives: ArchiveToRead[]; s3: S3Client; bucket: string; filtersByEmail: boolean; unfiltered: boolean } | null;
}

export interface ExportWritten {
  rowCount: number;
  bytes: number;
  sha256: string;
}

// S3's minimum part is 5 MiB. 8 MiB parts, two uploading while a third fills: 24 MiB of part
// buffers per export, allocated once.
const PART_BYTES = 8 * 1024 * 1024;
const PARTS_IN_FLIGHT = 2;
// Formatting is synchronous. Without a turn of the event loop now and then, the next page's rows
// sit in the socket until this page is done: PostgreSQL blocks on a full socket buffer and the
// read-ahead overlaps almost nothing (most of an export was spent waiting for the next page).
const ROWS_BETWEEN_TURNS = 1000;

/**
 * Streams the matching events, newest first (the order GET /v1/events lists), from keyset pages
 * of PostgreSQL through the formatter into an S3 multipart upload. Memory stays bounded: the next
 * page is read only when this one is buffered, and writing waits while every part is uploading.
 */
export async function writeExport(w: ExportWrite): Promise<ExportWritten> {
  let rows = 0;
  const format = w.format === "CSV" ? csvLine : jsonlLine;
  // Every column as text (timestamps already ISO, jsonb as its text): nothing to parse per row. The
  // order by names the table's id, not the text alias, so the (…, id desc) indexes serve it.
  const sql = `select ${EVENT_TEXT_COLUMNS} from audit_events where ${[...w.conditions.where, "audit_events.id < ?"].join(" and ")} order by audit_events.id desc limit ?`;
  const em = w.hot?.em;

  const pageSize = (done: number) => (w.limit === null ? w.pageRows : Math.min(w.pageRows, w.limit - done));
  const readPage = (before: string, want: number) => {
    const page = em!.execute<EventTextRow[]>(sql, [...w.conditions.params, before, want]);
    // A read still in flight when the export is aborted must not become an unhandled rejection.
    page.catch(() => undefined);
    return page;
  };

  const upload = new PartUpload({
    s3: w.s3,
    bucket: w.bucket,
    key: w.key,
    contentType: w.format === "CSV" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8",
    partBytes: PART_BYTES,
    partsInFlight: PARTS_IN_FLIGHT,
    signal: w.signal,
  });
  /**
   * Formats and uploads rows (a line already in its format as it is); version 2 rows opened with
   * their subjects' keys, read once per page (a key destroyed since is not found).
   */
  const writeRows = async (page: readonly ExportItem[]) => {
    const subjectIds = sealedSubjects(page);
    const keys = subjectIds.length ? await w.subjects.keys(subjectIds) : null;
    for (let i = 0; i < page.length; i++) {
      if (i > 0 && i % ROWS_BETWEEN_TURNS === 0) await nextTurn();
      const row = page[i]!;
      const full = upload.write(typeof row === "string" ? row : format(keys && row.sealed ? openTextRow(row, keys) : row));
      if (full) await full;
    }
  };
  try {
    if (w.format === "CSV") await upload.write(CSV_HEADER);
    let want = pageSize(0);
    let next: Promise<EventTextRow[]> | null = w.hot && want > 0 ? readPage(w.beforeId, want) : null;
    while (next) {
      const page: EventTextRow[] = await next;
      w.signal.throwIfAborted();
      if (page.length === 0) break;
      // Keyset: the next page starts below this page's last id. It is read while this one is
      // formatted and uploaded, so PostgreSQL and this process work at the same time.
      const nextWant = pageSize(rows + page.length);
      next = page.length === want && nextWant > 0 ? readPage(page[page.length - 1]!.id, nextWant) : null;
      want = nextWant;
      await writeRows(page);
      rows += page.length;
      w.onProgress(rows);
      if (w.pageDelayMs && next) await sleep(w.pageDelayMs, undefined, { signal: w.signal });
    }
    // The hot part is read: the snapshot is no longer needed (archives do not change).
    await w.hot?.release();
    // Then the archived part: archive by archive (newest first), each in sequence order.
    for (const archive of w.archived?.archives ?? []) {
      if (w.limit !== null && rows >= w.limit) break;
      for await (const page of archivedPages({ orm: w.orm, s3: w.archived!.s3, bucket: w.archived!.bucket, subjects: w.subjects, archive, conditions: w.conditions, beforeId: w.beforeId, pageRows: w.pageRows, filtersByEmail: w.archived!.filtersByEmail, unfiltered: w.archived!.unfiltered, jsonlLines: w.format === "JSONL", signal: w.signal })) {
        w.signal.throwIfAborted();
        const take = w.limit === null ? page : page.slice(0, w.limit - rows);
        await writeRows(take);
        rows += take.length;
        w.onProgress(rows);
        if (w.limit !== null && rows >= w.limit) break;
      }
    }
    const { bytes, sha256 } = await upload.end();
    w.signal.throwIfAborted();
    return { rowCount: rows, bytes, sha256 };
  } catch (err) {
    await upload.abort();
    throw err;
  }
}
