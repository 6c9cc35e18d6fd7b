import type { Client } from "@connectrpc/connect";
import type { S3Client } from "@aws-sdk/client-s3";
import { notificationSubject, subjectsErasedSubject, type Bus } from "@hyrelog/bus";
import type { HyrelogConfig } from "@hyrelog/config";
import { derivedUuidv7, emailSubjectId, type ArchivedEvent } from "@hyrelog/core";
import { EVENT_COLUMNS, matchingArchived, recordExportFile, storedEventFromRow, storedFromArchived, type EventRow, type Orm, type StoredEvent, type SubjectKeyStore } from "@hyrelog/db";
import { defineJobType, type JobContext, type JobRecord } from "@hyrelog/jobs";
import type { IngestService } from "@hyrelog/proto";
import { recordAuditEvent, regionToProto, type Logger } from "@hyrelog/runtime";
import { PartUpload, archiveEventLines } from "@hyrelog/storage";

export interface GdprJobDeps {
  orm: Orm;
  subjects: SubjectKeyStore;
  s3: S3Client;
  bus: Bus;
  config: HyrelogConfig;
  ingest: Client<typeof IngestService>;
  logger: Logger;
}

/** The subject a request names: an actor/target id, or an email's blind index. */
export interface SubjectParams {
  requestId: string;
  subjectId: string | null;
  subjectEmailIndex: string | null;
}

type Em = ReturnType<Orm["em"]["fork"]>;

const PAGE = 1000;
// S3's smallest part is 5 MiB; GDPR files are small next to exports, one part in flight is enough.
const PART_BYTES = 5 * 1024 * 1024;

/**
 * The subject ids a request names: its subject id, or every actor id that used the email (sealed
 * events, through the blind index) and the email's own subject (`email:<blind index>`, the subject
 * of actors sent with an email and no id). Access and erasure cover the same people.
 */
async function subjectIds(em: Em, companyId: string, p: SubjectParams): Promise<string[]> {
  if (p.subjectId !== null) return [p.subjectId];
  const rows = await em.execute<Array<{ actor_id: string }>>(
    `select distinct actor_id from audit_events where company_id = ? and actor_email_index = ? and actor_id is not null`,
    [companyId, p.subjectEmailIndex],
  );
  return [...rows.map((r) => r.actor_id), emailSubjectId(p.subjectEmailIndex!)];
}

/**
 * Conditions matching the events that name any of these ids, as actor or as target, and (a
 * request by email) the events of actors identified by that email alone.
 */
function namingConditions(companyId: string, ids: string[], p: SubjectParams): { where: string; params: unknown[] } {
  if (!ids.length) return { where: "false", params: [] };
  if (p.subjectEmailIndex === null) return { where: "company_id = ? and (actor_id in (?) or target_id in (?))", params: [companyId, ids, ids] };
  return {
    where: "company_id = ? and (actor_id in (?) or target_id in (?) or (actor_id is null and actor_email_index = ?))",
    params: [companyId, ids, ids, p.subjectEmailIndex],
  };
}

/** The company's archives holding events that have left hot storage: readable ones, and cold ones (not read). */
async function companyArchives(em: Em, companyId: string): Promise<{ readable: Array<{ id: string; objectKey: string; toSequence: number }>; cold: string[] }> {
  const rows = await em.execute<Array<{ id: string; object_key: string; to_sequence: string; readable: boolean }>>(
    `select a.id, a.object_key, least(a.to_sequence, l.purged_to)::text as to_sequence,
            a.storage_class = 'STANDARD' or exists (select 1 from restore_requests r where r.archive_id = a.id and r.status = 'COMPLETED' and r.available_until > now()) as readable
     from archive_objects a join log_lifecycle l using (log_id)
     where a.company_id = ? and a.deleted_at is null and a.from_sequence <= l.purged_to
     order by a.log_id, a.from_sequence`,
    [companyId],
  );
  return {
    readable: rows.filter((r) => r.readable).map((r) => ({ id: r.id, objectKey: r.object_key, toSequence: Number(r.to_sequence) })),
    cold: rows.filter((r) => !r.readable).map((r) => r.id),
  };
}

/**
 * The archived events (of archives' purged parts: the rest is still hot) that name the request's
 * subject, a page at a time. Archives keep no blind index: a request by email is matched on each
 * archived event's opened email.
 */
async function* archivedNaming(
  deps: GdprJobDeps,
  job: { companyId: string; params: SubjectParams },
  archives: Array<{ objectKey: string; toSequence: number }>,
  ids: string[],
  shown: Set<string>,
  signal: AbortSignal,
): AsyncGenerator<StoredEvent[]> {
  const em = deps.orm.em.fork();
  const emailIndex = job.params.subjectEmailIndex;
  // By email: any archived event whose opened actor email is the subject's, whatever its actor id
  // (that id may appear in no hot event); that actor's values are then the subject's own.
  const naming =
    emailIndex === null
      ? namingConditions(job.companyId, ids, job.params)
      : { where: "company_id = ? and (actor_id in (?) or target_id in (?) or actor_email_index = ?)", params: [job.companyId, ids, ids, emailIndex] };
  for await (const page of archivedPages(deps, archives, signal)) {
    if (emailIndex !== null) await deps.subjects.indexEmails(page);
    const found = (await matchingArchived<EventRow>(em, page, EVENT_COLUMNS, [naming.where], naming.params)).map(storedEventFromRow);
    const actors = [...new Set(found.filter((e) => emailIndex !== null && e.actorEmailIndex === emailIndex && e.actor.id !== null).map((e) => e.actor.id!))];
    if (actors.length) {
      for (const r of await em.execute<Array<{ id: string }>>(`select id from data_subjects where company_id = ? and external_id in (?)`, [job.companyId, actors])) shown.add(r.id);
    }
    yield found;
  }
}

/** Every event of these archives' purged parts (the rest is still hot), a page at a time. */
async function* archivedPages(deps: GdprJobDeps, archives: Array<{ objectKey: string; toSequence: number }>, signal: AbortSignal): AsyncGenerator<StoredEvent[]> {
  for (const archive of archives) {
    let page: StoredEvent[] = [];
    for await (const line of archiveEventLines(deps.s3, deps.config.s3.bucket, archive.objectKey, signal)) {
      const e = storedFromArchived(JSON.parse(line) as ArchivedEvent);
      if (e.sequence > archive.toSequence) break;
      page.push(e);
      if (page.length >= PAGE) {
        yield page;
        page = [];
      }
    }
    if (page.length) yield page;
  }
}

/** Streams matching events (oldest first, opened) as JSONL lines to one S3 object; returns what it wrote. */
async function writeEvents(
  deps: GdprJobDeps,
  ctx: JobContext,
  key: string,
  header: string[],
  where: string,
  params: unknown[],
  shownSubjects?: ReadonlySet<string>,
  archived?: AsyncIterable<StoredEvent[]>,
): Promise<{ events: number; bytes: number; sha256: string }> {
  const upload = new PartUpload({
    s3: deps.s3,
    bucket: deps.config.s3.bucket,
    key,
    contentType: "application/x-ndjson; charset=utf-8",
    partBytes: PART_BYTES,
    partsInFlight: 1,
    signal: ctx.signal,
  });
  let events = 0;
  try {
    for (const line of header) await upload.write(line + "\n");
    const em = deps.orm.em.fork();
    for (let after = "00000000-0000-0000-0000-000000000000"; ; ) {
      const rows = await em.execute<EventRow[]>(`select ${EVENT_COLUMNS} from audit_events where ${where} and id > ? order by id limit ?`, [...params, after, PAGE]);
      if (!rows.length) break;
      for (const e of await deps.subjects.open(rows.map(storedEventFromRow), em, shownSubjects)) {
        const full = upload.write(JSON.stringify(e) + "\n");
        if (full) await full;
      }
      events += rows.length;
      ctx.progress(events);
      after = rows.at(-1)!.id;
      ctx.signal.throwIfAborted();
    }
    // Then the events that have left hot storage, from the archives.
    for await (const page of archived ?? []) {
      for (const e of await deps.subjects.open(page, em, shownSubjects)) {
        const full = upload.write(JSON.stringify(e) + "\n");
        if (full) await full;
      }
      events += page.length;
      ctx.progress(events);
      ctx.signal.throwIfAborted();
    }
    const { bytes, sha256 } = await upload.end();
    return { events, bytes, sha256 };
  } catch (err) {
    await upload.abort();
    throw err;
  }
}

/** Files under exports/ share the export retention (EXPORT_RETENTION_DAYS, the bucket's lifecycle rule, the sweep). */
function recordFile(deps: GdprJobDeps, job: Pick<JobRecord, "id" | "companyId">, key: string, written: { events: number; bytes: number; sha256: string }): Promise<void> {
  return recordExportFile(deps.orm, {
    jobId: job.id,
    companyId: job.companyId,
    objectKey: key,
    format: "JSONL",
    rowCount: written.events,
    bytes: written.bytes,
    sha256: written.sha256,
    retentionDays: deps.config.exports.retentionDays,
  });
}

async function finishRequest(em: Em, requestId: string, status: "COMPLETED", result: Record<string, unknown>): Promise<void> {
  await em.execute(`update gdpr_requests set status = ?, result = ?::jsonb, updated_at = now() where id = ?`, [status, JSON.stringify(result), requestId]);
}

/** A job's outcome in the company's own log: ids and counts only, never the subject or their data. */
function audit(deps: GdprJobDeps, companyId: string, action: string, target: { id: string; type: string }, changes: Array<{ field: string; old?: string; new?: string | number }>): Promise<void> {
  return recordAuditEvent(deps.ingest, deps.logger, {
    companyId,
    region: regionToProto(deps.config.region),
    category: "gdpr",
    action,
    actor: { id: "hyrelog", type: "system" },
    target,
    changes,
    idempotencyKey: `${action}:${target.id}`,
  });
}

/**
 * Subject access: every event of the company that names the subject, opened, as JSONL after one
 * manifest line (events per log, their time range, and the signed checkpoint that covers them).
 */
export function accessJobType(deps: GdprJobDeps) {
  return defineJobType<SubjectParams, Record<string, unknown>>("gdpr-access", {
    maxAttempts: 3,
    timeoutMs: 3_600_000,
    async run(job, ctx) {
      const em = deps.orm.em.fork();
      const ids = await subjectIds(em, job.companyId, job.params);
      const { where, params } = namingConditions(job.companyId, ids, job.params);
      const logs = await em.execute<Array<{ log_id: string; workspace_id: string | null; events: string; first: Date; last: Date; last_sequence: string }>>(
        `select log_id, workspace_id, count(*) as events, min(occurred_at) as first, max(occurred_at) as last, max(sequence) as last_sequence
         from audit_events where ${where} group by log_id, workspace_id order by log_id`,
        params,
      );
      const covered = await Promise.all(
        logs.map(async (l) => {
          const [checkpoint] = await em.execute<Array<{ tree_size: string; root_hash: string; signed_note: string }>>(
            `select tree_size, root_hash, signed_note from checkpoints where log_id = ? and tree_size >= ? order by tree_size limit 1`,
            [l.log_id, l.last_sequence],
          );
          return {
            workspaceId: l.workspace_id,
            events: Number(l.events),
            from: new Date(l.first).toISOString(),
            to: new Date(l.last).toISOString(),
            lastSequence: Number(l.last_sequence),
            // Not yet checkpointed: the next checkpoint of the log covers them (GET /v1/checkpoints/latest).
            checkpoint: checkpoint ? { treeSize: Number(checkpoint.tree_size), rootHash: checkpoint.root_hash, signedNote: checkpoint.signed_note } : null,
          };
        }),
      );
      // Events that have left hot storage are read from the archives; cold ones cannot be read until restored.
      const archives = await companyArchives(em, job.companyId);
      const manifest = {
        manifest: {
          requestId: job.params.requestId,
          companyId: job.companyId,
          subject: job.params.subjectId !== null ? { id: job.params.subjectId } : { namedByEmail: true },
          generatedAt: new Date().toISOString(),
          // Hot events (those in the region's database); archived ones follow them in the file.
          events: covered.reduce((n, l) => n + l.events, 0),
          logs: covered,
          archivesRead: archives.readable.map((a) => a.id),
          // Archives in cold storage hold events this file may lack: restore them (dashboard restore requests) and ask again.
          archivesNotRead: archives.cold,
        },
      };
      // The subject's own data: the keys of every subject record of theirs (an erased one included,
      // though it opens nothing); everyone else's values are withheld.
      const own = ids.length ? await em.execute<Array<{ id: string }>>(`select id from data_subjects where company_id = ? and external_id in (?)`, [job.companyId, ids]) : [];
      const key = `exports/${deps.config.region}/${job.companyId}/gdpr-access-${job.id}.jsonl`;
      const shown = new Set(own.map((r) => r.id));
      const archived = archivedNaming(deps, job, archives.readable, ids, shown, ctx.signal);
      const written = await writeEvents(deps, ctx, key, [JSON.stringify(manifest)], where, params, shown, archived);
      await recordFile(deps, job, key, written);
      const result = { events: written.events, logs: covered.length, bytes: written.bytes, sha256: written.sha256 };
      await finishRequest(em, job.params.requestId, "COMPLETED", result);
      await audit(deps, job.companyId, "gdpr.access_completed", { id: job.params.requestId, type: "gdpr_request" }, [
        { field: "status", old: "APPROVED", new: "COMPLETED" },
        { field: "events", new: written.events },
      ]);
      return result;
    },
  });
}

type Summary = { subjectsErased: number; eventsCovered: number; eventsNotErasable: number };

/**
 * Erasure: destroys the keys of every live subject the request names (their values in every event,
 * stream message, delivery row and future export read as erased), and unlinks their events from
 * their email. Hashes, proofs and checkpoints are untouched. Idempotent: a re-run finds the subjects
 * this request already erased and reports the same.
 */
export function erasureJobType(deps: GdprJobDeps) {
  return defineJobType<SubjectParams, Record<string, unknown>>("gdpr-erasure", {
    maxAttempts: 3,
    timeoutMs: 600_000,
    async run(job) {
      const { requestId } = job.params;
      const result = await deps.orm.em.fork().transactional(async (em) => {
        // A re-run after this transaction committed (a crash before the job was marked done) reports what it did.
        const [request] = await em.execute<Array<{ status: string; result: Summary | null }>>(`select status, result from gdpr_requests where id = ? for update`, [requestId]);
        if (request?.status === "COMPLETED" && request.result) return { summary: request.result, externalIds: [] as string[] };
        const externalIds = await subjectIds(em, job.companyId, job.params);
        const subjects = externalIds.length
          ? await em.execute<Array<{ id: string }>>(
              `select id from data_subjects where company_id = ? and external_id in (?) and (erased_at is null or erasure_request_id = ?) for update`,
              [job.companyId, externalIds, requestId],
            )
          : [];
        const ids = subjects.map((s) => s.id);
        let covered = { sealed: 0, clear: 0 };
        if (externalIds.length) {
          const naming = namingConditions(job.companyId, externalIds, job.params);
          const [counts] = await em.execute<Array<{ sealed: string; clear: string }>>(
            `select count(*) filter (where v >= 2) as sealed, count(*) filter (where v < 2) as clear from audit_events where ${naming.where}`,
            naming.params,
          );
          covered = { sealed: Number(counts!.sealed), clear: Number(counts!.clear) };
          // Unlinked from the email: an actor's events by id, and those of actors identified by this email alone.
          const emailOnly = job.params.subjectEmailIndex === null ? "" : " or (actor_id is null and actor_email_index = ?)";
          await em.execute(
            `update audit_events set actor_email_index = null where company_id = ? and (actor_id in (?)${emailOnly}) and actor_email_index is not null`,
            [job.companyId, externalIds, ...(job.params.subjectEmailIndex === null ? [] : [job.params.subjectEmailIndex])],
          );
        }
        if (ids.length) {
          await em.execute(`update data_subjects set wrapped_key = null, erased_at = coalesce(erased_at, now()), erasure_request_id = ? where id in (?)`, [requestId, ids]);
        }
        const summary: Summary = {
          subjectsErased: ids.length,
          eventsCovered: covered.sealed,
          // Stored before chain v2 (personal data in the clear): erasing them would break the chain.
          eventsNotErasable: covered.clear,
        };
        await em.execute(`update gdpr_requests set status = 'COMPLETED', result = ?::jsonb, updated_at = now() where id = ?`, [JSON.stringify(summary), requestId]);
        return { summary, externalIds };
      });
      // Ingest processes hold resolved subjects for a minute: tell them now.
      deps.bus.nc.publish(subjectsErasedSubject(deps.config.natsPrefix, deps.config.region), JSON.stringify({ companyId: job.companyId, externalIds: result.externalIds }));
      const summary = result.summary;
      await audit(deps, job.companyId, "gdpr.erasure_completed", { id: requestId, type: "gdpr_request" }, [
        { field: "status", old: "APPROVED", new: "COMPLETED" },
        { field: "subjectsErased", new: summary.subjectsErased },
        { field: "eventsCovered", new: summary.eventsCovered },
      ]);
      return summary;
    },
  });
}

/**
 * Everything HyreLog holds about a company, as JSONL: one line per record, `{"type", "data"}`
 * (company, workspaces, projects, API keys without their hashes, webhook endpoints without their
 * secrets, usage, GDPR requests), then every event of the company in the API's form.
 */
export function companyExportJobType(deps: GdprJobDeps) {
  return defineJobType<{ requestedBy: string }, Record<string, unknown>>("gdpr-company-export", {
    maxAttempts: 3,
    timeoutMs: 3_600_000,
    async run(job, ctx) {
      const em = deps.orm.em.fork();
      const c = job.companyId;
      const records: Array<[string, string, unknown[]]> = [
        ["company", `select to_jsonb(t) as data from companies t where id = ?`, [c]],
        ["workspace", `select to_jsonb(t) as data from workspaces t where company_id = ? order by id`, [c]],
        ["project", `select to_jsonb(t) as data from projects t where company_id = ? order by id`, [c]],
        ["apiKey", `select to_jsonb(t) - 'key_hash' as data from api_keys t where company_id = ? order by id`, [c]],
        ["webhookEndpoint", `select to_jsonb(t) - 'secret_sealed' - 'previous_secret_sealed' as data from webhook_endpoints t where company_id = ? order by id`, [c]],
        ["usage", `select to_jsonb(t) as data from usage_daily t where company_id = ? order by day`, [c]],
        ["gdprRequest", `select to_jsonb(t) - 'subject_email_index' as data from gdpr_requests t where company_id = ? order by id`, [c]],
        ["archive", `select to_jsonb(t) as data from archive_objects t where company_id = ? order by id`, [c]],
        ["restoreRequest", `select to_jsonb(t) as data from restore_requests t where company_id = ? order by id`, [c]],
      ];
      const header: string[] = [];
      for (const [type, sql, params] of records) {
        for (const row of await em.execute<Array<{ data: unknown }>>(sql, params)) header.push(JSON.stringify({ type, data: row.data }));
      }
      // Events that have left hot storage come from the archives, after the hot ones; cold archives
      // cannot be read until restored, and the file says which.
      const archives = await companyArchives(em, c);
      if (archives.cold.length) header.push(JSON.stringify({ type: "archivesNotRead", data: { archiveIds: archives.cold, reason: "in cold storage: restore them (dashboard restore requests) and export again" } }));
      const key = `exports/${deps.config.region}/${c}/gdpr-company-export-${job.id}.jsonl`;
      const written = await writeEvents(deps, ctx, key, header, "company_id = ?", [c], undefined, archivedPages(deps, archives.readable, ctx.signal));
      await recordFile(deps, job, key, written);
      const result = { records: header.length, events: written.events, bytes: written.bytes, sha256: written.sha256 };
      const id = derivedUuidv7(Date.now(), `EXPORT_COMPLETED:${job.id}`);
      const notification = {
        id,
        type: "EXPORT_COMPLETED",
        companyId: c,
        workspaceId: null,
        occurredAt: new Date().toISOString(),
        data: { jobId: job.id, kind: "GDPR_COMPANY_EXPORT", status: "COMPLETED", rowCount: written.events, bytes: written.bytes, sha256: written.sha256 },
      };
      await deps.bus.publish(notificationSubject(deps.config.natsPrefix, deps.config.region, c, "EXPORT_COMPLETED"), new TextEncoder().encode(JSON.stringify(notification)), { msgId: `gdpr-company-export:${job.id}` });
      await audit(deps, c, "gdpr.company_export_completed", { id: job.id, type: "job" }, [
        { field: "status", old: "PROCESSING", new: "COMPLETED" },
        { field: "sha256", new: written.sha256 },
      ]);
      return result;
    },
  });
}
