import type { ArchivedEvent, ChainedEventFields, EventJson, PersonalValue, SealedValues } from "@hyrelog/core";

/**
 * An event as stored, published on NATS and delivered to services that never show it: its
 * chained fields in the closed form (version 2: personal values null in place, committed to in
 * `personal`), the sealed personal values, and the email blind index. Shown to people only
 * through SubjectKeyStore.open, which turns it into the API's EventJson.
 */
export interface StoredEvent extends ChainedEventFields {
  v: number;
  hash: string;
  idempotencyKey: string | null;
  sealed: SealedValues[];
  actorEmailIndex: string | null;
}

/**
 * An event as the outbox publishes it on the events stream: stored, without the email's blind
 * index and the sealed boxes (both stay in audit_events; SubjectKeyStore.open reads the boxes).
 */
export type PublishedEvent = Omit<StoredEvent, "actorEmailIndex" | "sealed"> & { sealed?: undefined };

/** An audit_events row as PostgreSQL returns it (snake_case, bigint as string). */
export interface EventRow {
  id: string;
  company_id: string;
  workspace_id: string | null;
  log_id: string;
  project_id: string | null;
  sequence: string | number;
  prev_hash: string;
  hash: string;
  occurred_at: Date | string;
  received_at: Date | string;
  category: string;
  action: string;
  actor_id: string | null;
  actor_type: string | null;
  actor_email: string | null;
  actor_name: string | null;
  target_id: string | null;
  target_type: string | null;
  target_name: string | null;
  changes: EventJson["changes"];
  metadata: Record<string, unknown>;
  /** Null when the event was sent without one. */
  payload: Record<string, unknown> | null;
  ip: string | null;
  user_agent: string | null;
  trace_id: string | null;
  request_id: string | null;
  idempotency_key: string | null;
  v: number;
  personal: Record<string, string> | null;
  sealed: SealedValues[] | null;
  actor_email_index: string | null;
}

export const EVENT_COLUMNS =
  "id, company_id, workspace_id, log_id, project_id, sequence, prev_hash, hash, occurred_at, received_at, " +
  "category, action, actor_id, actor_type, actor_email, actor_name, target_id, target_type, target_name, " +
  "changes, metadata, ip, user_agent, trace_id, request_id, idempotency_key, v, personal, sealed, actor_email_index, payload";

const iso = (v: Date | string) => (v instanceof Date ? v : new Date(v)).toISOString();

export function storedEventFromRow(r: EventRow): StoredEvent {
  const v = Number(r.v ?? 1);
  return {
    v,
    id: r.id,
    companyId: r.company_id,
    workspaceId: r.workspace_id,
    projectId: r.project_id,
    sequence: Number(r.sequence),
    prevHash: r.prev_hash,
    hash: r.hash,
    occurredAt: iso(r.occurred_at),
    receivedAt: iso(r.received_at),
    category: r.category,
    action: r.action,
    actor: { id: r.actor_id, type: r.actor_type, email: r.actor_email, name: r.actor_name },
    target: { id: r.target_id, type: r.target_type, name: r.target_name },
    changes: r.changes,
    metadata: r.metadata,
    context: { ip: r.ip, userAgent: r.user_agent, traceId: r.trace_id, requestId: r.request_id },
    ...(r.payload !== null && r.payload !== undefined ? { payload: r.payload } : {}),
    ...(v >= 2 ? { personal: r.personal ?? {} } : {}),
    idempotencyKey: r.idempotency_key,
    sealed: r.sealed ?? [],
    actorEmailIndex: r.actor_email_index,
  };
}

/**
 * The API form of an event, keys in the order the API shows them. `opened` holds the personal
 * values back in place (SubjectKeyStore.open); a version 1 event is shown as stored.
 */
export function eventJson(e: Omit<StoredEvent, "actorEmailIndex" | "sealed">, opened: Pick<EventJson, "actor" | "target" | "changes" | "metadata" | "context"> = e, personal?: Record<string, PersonalValue>): EventJson {
  return {
    id: e.id,
    companyId: e.companyId,
    workspaceId: e.workspaceId,
    projectId: e.projectId,
    sequence: e.sequence,
    prevHash: e.prevHash,
    hash: e.hash,
    v: e.v,
    occurredAt: e.occurredAt,
    receivedAt: e.receivedAt,
    category: e.category,
    action: e.action,
    actor: opened.actor,
    target: opened.target,
    changes: opened.changes,
    metadata: opened.metadata,
    ...(e.payload !== undefined ? { payload: e.payload } : {}),
    context: opened.context,
    ...(personal ? { personal } : {}),
    idempotencyKey: e.idempotencyKey,
  };
}

/** The row for one stored event; `logId` is the workspace, or the company for company-level events. */
export function rowFromStored(e: StoredEvent): EventRow {
  return {
    id: e.id,
    company_id: e.companyId,
    workspace_id: e.workspaceId,
    log_id: e.workspaceId ?? e.companyId,
    project_id: e.projectId,
    sequence: e.sequence,
    prev_hash: e.prevHash,
    hash: e.hash,
    occurred_at: e.occurredAt,
    received_at: e.receivedAt,
    category: e.category,
    action: e.action,
    actor_id: e.actor.id,
    actor_type: e.actor.type,
    actor_email: e.actor.email,
    actor_name: e.actor.name,
    target_id: e.target.id,
    target_type: e.target.type,
    target_name: e.target.name,
    changes: e.changes,
    metadata: e.metadata,
    payload: e.payload ?? null,
    ip: e.context.ip,
    user_agent: e.context.userAgent,
    trace_id: e.context.traceId,
    request_id: e.context.requestId,
    idempotency_key: e.idempotencyKey,
    v: e.v,
    personal: e.v >= 2 ? (e.personal ?? {}) : null,
    sealed: e.v >= 2 ? e.sealed : null,
    actor_email_index: e.actorEmailIndex,
  };
}

/**
 * An audit_events row with every column as PostgreSQL's text (EVENT_TEXT_COLUMNS): timestamps
 * already in the API's ISO form, `changes` and `metadata` as jsonb text. Bulk readers (exports)
 * format events from it without parsing JSON or dates in JavaScript.
 */
export type EventTextRow = Omit<EventRow, "log_id" | "sequence" | "occurred_at" | "received_at" | "changes" | "metadata" | "payload" | "personal" | "sealed" | "actor_email_index"> & {
  /** Decimal digits. */
  sequence: string;
  /** `YYYY-MM-DDTHH:MM:SS.mmmZ`, exactly what eventFromRow's toISOString gives (both truncate to ms). */
  occurred_at: string;
  received_at: string;
  /** jsonb text: `[{"new": …, "old": …, "field": …}]` (jsonb's key order and spacing). */
  changes: string;
  metadata: string;
  /** jsonb text of the payload, or null when the event has none. */
  payload: string | null;
  /** Version 2 only (else null): jsonb text of the commitments and of the sealed values. */
  personal: string | null;
  sealed: string | null;
};

const isoText = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as ${column}`;

/** The columns of EventTextRow; keep in step with EVENT_COLUMNS and eventFromRow. */
export const EVENT_TEXT_COLUMNS =
  "id::text as id, company_id::text as company_id, workspace_id::text as workspace_id, project_id::text as project_id, sequence::text as sequence, " +
  `prev_hash, hash, ${isoText("occurred_at")}, ${isoText("received_at")}, ` +
  "category, action, actor_id, actor_type, actor_email, actor_name, target_id, target_type, target_name, " +
  "changes::text as changes, metadata::text as metadata, ip, user_agent, trace_id, request_id, idempotency_key, v, personal::text as personal, sealed::text as sealed, payload::text as payload";

/** A stored event read back from an archive; the blind index is not archived (erasure could not clear it there). */
export function storedFromArchived(a: ArchivedEvent): StoredEvent {
  return { ...a, sealed: a.sealed ?? [], actorEmailIndex: null };
}

/**
 * The archived events (read back with storedFromArchived) that match conditions written for
 * audit_events, as `columns` of its rows: PostgreSQL applies the very same conditions (filters,
 * scope, a GDPR request's subject) to events read from archives as to hot rows, by typing them as
 * audit_events rows (jsonb_populate_recordset). In sequence order.
 */
export function matchingArchived<R>(em: { execute<T>(sql: string, params: unknown[]): Promise<T> }, events: readonly StoredEvent[], columns: string, where: readonly string[], params: readonly unknown[]): Promise<R[]> {
  return em.execute<R[]>(
    `select ${columns} from jsonb_populate_recordset(null::audit_events, ?::jsonb) as audit_events where ${where.join(" and ")} order by audit_events.sequence`,
    [JSON.stringify(events.map(rowFromStored)), ...params],
  );
}

/**
 * The text row of a stored event (EventTextRow), built in JavaScript: what an archived export
 * writes when PostgreSQL has nothing to filter (the archive's scope is the export's). JSON members
 * are JSON.stringify text where the database would give jsonb text; equal as JSON.
 */
export function textRowFromStored(e: StoredEvent): EventTextRow {
  const r = rowFromStored(e);
  const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));
  return {
    id: r.id,
    company_id: r.company_id,
    workspace_id: r.workspace_id,
    project_id: r.project_id,
    sequence: String(r.sequence),
    prev_hash: r.prev_hash,
    hash: r.hash,
    occurred_at: e.occurredAt,
    received_at: e.receivedAt,
    category: r.category,
    action: r.action,
    actor_id: r.actor_id,
    actor_type: r.actor_type,
    actor_email: r.actor_email,
    actor_name: r.actor_name,
    target_id: r.target_id,
    target_type: r.target_type,
    target_name: r.target_name,
    changes: JSON.stringify(r.changes),
    metadata: JSON.stringify(r.metadata),
    ip: r.ip,
    user_agent: r.user_agent,
    trace_id: r.trace_id,
    request_id: r.request_id,
    idempotency_key: r.idempotency_key,
    v: r.v,
    payload: json(r.payload),
    personal: json(r.personal),
    sealed: json(r.sealed),
  };
}

/** SQL: a text column as a JSON string (PostgreSQL escapes exactly as JSON.stringify does), or null. */
const jsonTextSql = (column: string) => `coalesce(to_json(${column})::text, 'null')`;
/** SQL: a uuid column as a JSON string, or null. */
const uuidTextSql = (column: string) => `coalesce('"' || ${column}::text || '"', 'null')`;
const isoSql = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * SQL: an audit_events row's archive line, `textRowJson(row, { sealed: true })` without its
 * newline, built by PostgreSQL (byte for byte the same; event-rows.test.ts checks it). Archival
 * streams these lines out of COPY into gzip, so no event becomes a JavaScript object or string.
 */
export const SEALED_LINE_SQL = [
  `'{"id":"' || id::text || '","companyId":"' || company_id::text || '","workspaceId":' || ${uuidTextSql("workspace_id")} || ',"projectId":' || ${uuidTextSql("project_id")}`,
  `',"sequence":' || sequence::text || ',"prevHash":"' || prev_hash || '","hash":"' || hash || '","v":' || v::text`,
  `',"occurredAt":"' || ${isoSql("occurred_at")} || '","receivedAt":"' || ${isoSql("received_at")} || '"'`,
  `',"category":' || ${jsonTextSql("category")} || ',"action":' || ${jsonTextSql("action")}`,
  `',"actor":{"id":' || ${jsonTextSql("actor_id")} || ',"type":' || ${jsonTextSql("actor_type")} || ',"email":' || ${jsonTextSql("actor_email")} || ',"name":' || ${jsonTextSql("actor_name")} || '}'`,
  `',"target":{"id":' || ${jsonTextSql("target_id")} || ',"type":' || ${jsonTextSql("target_type")} || ',"name":' || ${jsonTextSql("target_name")} || '}'`,
  `',"changes":' || changes::text || ',"metadata":' || metadata::text || ','`,
  `coalesce('"payload":' || payload::text || ',', '')`,
  `'"context":{"ip":' || ${jsonTextSql("ip")} || ',"userAgent":' || ${jsonTextSql("user_agent")} || ',"traceId":' || ${jsonTextSql("trace_id")} || ',"requestId":' || ${jsonTextSql("request_id")} || '},'`,
  `coalesce('"personal":' || personal::text || ',', '')`,
  `'"sealed":' || coalesce(sealed::text, '[]') || ',"idempotencyKey":' || ${jsonTextSql("idempotency_key")} || '}'`,
].join(" || ");

/** A JSON string, or null. */
const jsonText = (v: string | null) => (v === null ? "null" : JSON.stringify(v));
/** A UUID (hex and dashes, nothing to escape), or null. */
const uuidText = (v: string | null) => (v === null ? "null" : `"${v}"`);

/**
 * One event as a JSON line, written straight from PostgreSQL's text (EventTextRow): the object
 * GET /v1/events returns (same keys, same order, chain fields included) for an opened row, which
 * exports write; with `sealed`, the stored closed form an archive line holds (docs/verification.md,
 * "Archives"). `changes` and `metadata` are jsonb's own text (its key order and spacing), equal as
 * JSON to the API's: parsing and re-serialising them and the timestamps was most of an export's
 * CPU time.
 */
export function textRowJson(r: EventTextRow, options: { sealed?: boolean } = {}): string {
  return (
    `{"id":"${r.id}","companyId":"${r.company_id}","workspaceId":${uuidText(r.workspace_id)},"projectId":${uuidText(r.project_id)},` +
    `"sequence":${r.sequence},"prevHash":"${r.prev_hash}","hash":"${r.hash}","v":${r.v},"occurredAt":"${r.occurred_at}","receivedAt":"${r.received_at}",` +
    `"category":${jsonText(r.category)},"action":${jsonText(r.action)},` +
    `"actor":{"id":${jsonText(r.actor_id)},"type":${jsonText(r.actor_type)},"email":${jsonText(r.actor_email)},"name":${jsonText(r.actor_name)}},` +
    `"target":{"id":${jsonText(r.target_id)},"type":${jsonText(r.target_type)},"name":${jsonText(r.target_name)}},` +
    `"changes":${r.changes},"metadata":${r.metadata},` +
    (r.payload === null ? "" : `"payload":${r.payload},`) +
    `"context":{"ip":${jsonText(r.ip)},"userAgent":${jsonText(r.user_agent)},"traceId":${jsonText(r.trace_id)},"requestId":${jsonText(r.request_id)}},` +
    (r.personal === null ? "" : `"personal":${r.personal},`) +
    (options.sealed ? `"sealed":${r.sealed ?? "[]"},` : "") +
    `"idempotencyKey":${jsonText(r.idempotency_key)}}\n`
  );
}
