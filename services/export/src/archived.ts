import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { GetObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { RestoreRequiredSchema } from "@hyrelog/proto";
import { ERASED, type ArchivedEvent } from "@hyrelog/core";
import { EVENT_TEXT_COLUMNS, rowFromStored, storedFromArchived, type EventTextRow, type Orm, type StoredEvent, type SubjectKeyStore } from "@hyrelog/db";
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
 */
export async function archivesToRead(orm: Orm, scope: EventConditions, onlyPurged: boolean): Promise<ArchiveToRead[]> {
  const rows = await orm.em.fork().execute<Array<{ id: string; object_key: string; company_id: string; from_sequence: string; to_sequence: string; purged_to: string; storage_class: string }>>(
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

/**
 * The events of one archive that match the export's conditions, a page at a time, as the text
 * rows the formats write (the same shape hot reads give). PostgreSQL applies the very conditions
 * of GET /v1/events to the archived rows (jsonb_populate_recordset into the audit_events row type),
 * so filters mean the same thing on both sides. The blind index is not archived: when the filter
 * names an email, it is recomputed from the opened email (an erased subject matches nothing).
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
  signal: AbortSignal;
}): AsyncGenerator<EventTextRow[]> {
  const object = await o.s3.send(new GetObjectCommand({ Bucket: o.bucket, Key: o.archive.objectKey }), { abortSignal: o.signal });
  const lines = createInterface({ input: (object.Body as Readable).pipe(createGunzip()), crlfDelay: Infinity });
  const em = o.orm.em.fork();
  const sql = `select ${EVENT_TEXT_COLUMNS} from jsonb_populate_recordset(null::audit_events, ?::jsonb) as audit_events
    where ${[...o.conditions.where, "audit_events.id < ?"].join(" and ")} order by audit_events.sequence`;
  let page: StoredEvent[] = [];
  const filtered = async (events: StoredEvent[]) => {
    if (o.filtersByEmail) await withEmailIndex(o.subjects, events);
    return em.execute<EventTextRow[]>(sql, [JSON.stringify(events.map(rowFromStored)), ...o.conditions.params, o.beforeId]);
  };
  let header = true;
  for await (const line of lines) {
    if (header) {
      header = false;
      continue;
    }
    if (!line) continue;
    const e = storedFromArchived(JSON.parse(line) as ArchivedEvent);
    if (e.sequence > o.archive.toSequence) break;
    page.push(e);
    if (page.length >= o.pageRows) {
      yield await filtered(page);
      page = [];
    }
  }
  if (page.length) yield await filtered(page);
}

/** Sets each sealed event's blind index from its opened email (what ingest stored, until erasure cleared it). */
async function withEmailIndex(subjects: SubjectKeyStore, events: StoredEvent[]): Promise<void> {
  const opened = await subjects.open(events);
  events.forEach((e, i) => {
    const email = opened[i]!.actor.email;
    if (e.v >= 2 && typeof email === "string" && email !== ERASED) e.actorEmailIndex = subjects.emailIndex(e.companyId, email);
  });
}
