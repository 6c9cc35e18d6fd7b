import type { S3Client } from "@aws-sdk/client-s3";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { RestoreRequiredSchema } from "@hyrelog/proto";
import type { ArchivedEvent } from "@hyrelog/core";
import { EVENT_TEXT_COLUMNS, matchingArchived, storedFromArchived, textRowFromStored, type EventTextRow, type Orm, type SubjectKeyStore } from "@hyrelog/db";
import { archiveLineBatches } from "@hyrelog/storage";
import { archiveLineSequence, openedExportLine, sealedLine, unsealedExportLine, type SealedLine } from "./archive-lines.ts";
import { jsonlLine, openTextRow } from "./formats.ts";
import type { EventConditions } from "@hyrelog/runtime";

/** An archive an export reads, and up to which sequence (HOT_AND_ARCHIVED: only what left hot storage). */
export interface ArchiveToRead {
  id: string;
  objectKey: string;
  companyId: string;
  fromSequence: number;
  toSequence: number;
  storageClass: string;
}

/** Before any work, when an export needs archives that are in cold storage (HTTP 409 `restore_required`). */
export function restoreRequired(archiveIds: string[]): ConnectError {
  return new ConnectError(
    `RESTORE_REQUIRED: ${archiveIds.length} archive(s) this export needs are in cold storage (${archiveIds.join(", ")}); restore them first (dashboard restore requests)`,
    Code.FailedPrecondition,
    undefined,
    [{ desc: RestoreRequiredSchema, value: create(RestoreRequiredSchema, { archiveIds }) }],
  );
}

/**
 * The archives an export of this scope reads, newest first: every archive of the scope (ARCHIVED),
 * or only the events that have left hot storage (HOT_AND_ARCHIVED, so the hot part and the
 * archived part never hold the same event). Cold archives stop the export before any work.
 * `em`: for HOT_AND_ARCHIVED, the export's snapshot (a REPEATABLE READ transaction) that its hot
 * part is then read in, so `purged_to` here and the hot rows there are one moment's.
 */
export async function archivesToRead(em: Orm["em"], scope: EventConditions, onlyPurged: boolean): Promise<ArchiveToRead[]> {
  const rows = await em.execute<Array<{ id: string; object_key: string; company_id: string; from_sequence: string; to_sequence: string; purged_to: string; storage_class: string }>>(
    `select a.id, a.object_key, a.company_id, a.from_sequence::text as from_sequence, a.to_sequence::text as to_sequence, l.purged_to::text as purged_to,
            -- A cold archive with a completed, unexpired restore reads like a standard one.
            case when exists (select 1 from restore_requests r where r.archive_id = a.id and r.status = 'COMPLETED' and r.available_until > now())
                 then 'STANDARD' else a.storage_class end as storage_class
     from archive_objects a join log_lifecycle l using (log_id)
     where ${scope.where.map((w) => `a.${w}`).join(" and ")} and a.deleted_at is null
     order by a.last_event_id desc`,
    scope.params,
  );
  const wanted = rows
    .map((r) => ({
      id: r.id,
      objectKey: r.object_key,
      companyId: r.company_id,
      storageClass: r.storage_class,
      fromSequence: Number(r.from_sequence),
      toSequence: onlyPurged ? Math.min(Number(r.to_sequence), Number(r.purged_to)) : Number(r.to_sequence),
    }))
    .filter((a) => a.toSequence >= a.fromSequence);
  // Cold and not restored (dashboard restore requests): nothing can be read from it.
  const cold = wanted.filter((a) => a.storageClass !== "STANDARD");
  if (cold.length) throw restoreRequired(cold.map((a) => a.id));
  return wanted;
}

/** A row to format, or (archived JSONL exports) a line ready to write. */
export type ExportItem = EventTextRow | string;

/**
 * The events of one archive that match the export's conditions, a page at a time, as the text
 * rows the formats write (the shape hot reads give); the conditions are applied by PostgreSQL
 * (matchingArchived), so filters mean the same on both sides. An `actorEmail` filter is matched on
 * the opened email (archives keep no blind index; an erased subject matches nothing).
 * `jsonlLines` (a JSONL export with no filter beyond the archives' scope): the page is JSONL lines.
 * A line without sealed values is written as it is, without parsing it (most of an archived
 * export's cost otherwise); one with sealed values is opened in place (archive-lines.ts).
 */
export async function* archivedPages(o: {
  orm: Orm;
  s3: S3Client;
  bucket: string;
  subjects: SubjectKeyStore;
  archive: ArchiveToRead;
  conditions: EventConditions;
  beforeId: string;
  pageRows: number;
  filtersByEmail: boolean;
  /** No filter beyond the scope the archives were chosen by: every event is written, without asking PostgreSQL. */
  unfiltered: boolean;
  jsonlLines: boolean;
  signal: AbortSignal;
}): AsyncGenerator<ExportItem[]> {
  // Archives hold only events older than any export's snapshot (beforeId), of the scope they were chosen by.
  if (o.unfiltered && o.jsonlLines) {
    yield* pagesOf(o, (line) => unsealedExportLine(line) ?? sealedLine(line), (page) => openLines(page, o.subjects));
    return;
  }
  const em = o.orm.em.fork();
  const where = [...o.conditions.where, "audit_events.id < ?"];
  const params = [...o.conditions.params, o.beforeId];
  yield* pagesOf(o, (line) => storedFromArchived(JSON.parse(line) as ArchivedEvent), async (events) => {
    if (o.unfiltered) return events.map(textRowFromStored);
    if (o.filtersByEmail) await o.subjects.indexEmails(events);
    return matchingArchived<EventTextRow>(em, events, EVENT_TEXT_COLUMNS, where, params);
  });
}

/**
 * The archive's lines up to its `toSequence`, read as `read` gives them, a page at a time through
 * `ready`. The next page is made ready (its subject keys read from PostgreSQL) while the writer
 * writes this one, as hot exports read their next page.
 */
async function* pagesOf<T>(
  o: { s3: S3Client; bucket: string; archive: ArchiveToRead; pageRows: number; signal: AbortSignal },
  read: (line: string) => T,
  ready: (page: T[]) => Promise<ExportItem[]>,
): AsyncGenerator<ExportItem[]> {
  let page: T[] = [];
  let previous: Promise<ExportItem[]> | null = null;
  const start = (full: T[]) => {
    const next = ready(full);
    // A page still being made ready when the export is aborted must not become an unhandled rejection.
    next.catch(() => undefined);
    return next;
  };
  batches: for await (const lines of archiveLineBatches(o.s3, o.bucket, o.archive.objectKey, o.signal)) {
    for (const line of lines) {
      if (archiveLineSequence(line) > o.archive.toSequence) break batches;
      page.push(read(line));
      if (page.length >= o.pageRows) {
        const next = start(page);
        page = [];
        if (previous) yield await previous;
        previous = next;
      }
    }
  }
  const last = page.length ? start(page) : null;
  if (previous) yield await previous;
  if (last) yield await last;
}

/** JSONL lines of a page of archive lines: those with sealed values opened with the page's subject keys. */
async function openLines(page: Array<SealedLine | string>, subjects: SubjectKeyStore): Promise<string[]> {
  const subjectIds = new Set<string>();
  for (const e of page) if (typeof e !== "string") for (const s of e.sealed) subjectIds.add(s.subjectId);
  const keys = await subjects.keys([...subjectIds]);
  return page.map((e) => {
    if (typeof e === "string") return e;
    // A personal value inside changes or metadata: the line is parsed and opened whole.
    return openedExportLine(e, keys) ?? jsonlLine(openTextRow(textRowFromStored(storedFromArchived(JSON.parse(e.line) as ArchivedEvent)), keys));
  });
}
