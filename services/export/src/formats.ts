import { eventFromRow, type EventRow } from "@hyrelog/db";

export type ExportFormatName = "JSONL" | "CSV";

/**
 * JSONL: one event per line in exactly the form GET /v1/events returns, chain fields included,
 * so `hyrelog verify --events <file>` checks an unfiltered workspace export.
 */
export function jsonlLine(row: EventRow): string {
  return JSON.stringify(apiEvent(row)) + "\n";
}

/**
 * The event as the API shows it. jsonb stores object keys in its own order; changes are put
 * back in the API's {field, old, new} order so the text equals what GET /v1/events returns.
 */
function apiEvent(row: EventRow) {
  const e = eventFromRow(row);
  e.changes = e.changes.map((c) => ({ field: c.field, ...("old" in c ? { old: c.old } : {}), ...("new" in c ? { new: c.new } : {}) }));
  return e;
}

/** CSV columns: the event's fields flattened; nested values (changes, metadata) as JSON text. */
export const CSV_COLUMNS = [
  "id",
  "companyId",
  "workspaceId",
  "projectId",
  "sequence",
  "prevHash",
  "hash",
  "occurredAt",
  "receivedAt",
  "category",
  "action",
  "actorId",
  "actorType",
  "actorEmail",
  "actorName",
  "targetId",
  "targetType",
  "targetName",
  "changes",
  "metadata",
  "ip",
  "userAgent",
  "traceId",
  "requestId",
  "idempotencyKey",
] as const;

export const CSV_HEADER = CSV_COLUMNS.join(",") + "\r\n";

/** One RFC 4180 record (CRLF line end). */
export function csvLine(row: EventRow): string {
  const e = apiEvent(row);
  const values: Array<string | number | null> = [
    e.id,
    e.companyId,
    e.workspaceId,
    e.projectId,
    e.sequence,
    e.prevHash,
    e.hash,
    e.occurredAt,
    e.receivedAt,
    e.category,
    e.action,
    e.actor.id,
    e.actor.type,
    e.actor.email,
    e.actor.name,
    e.target.id,
    e.target.type,
    e.target.name,
    JSON.stringify(e.changes),
    JSON.stringify(e.metadata),
    e.context.ip,
    e.context.userAgent,
    e.context.traceId,
    e.context.requestId,
    e.idempotencyKey,
  ];
  return values.map(csvCell).join(",") + "\r\n";
}

// Spreadsheets run a cell that starts with one of these as a formula (tab and CR too, which
// some of them strip before looking).
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * A cell, formula-injection safe (OWASP: a leading `'` makes it text) and quoted per RFC 4180
 * when it holds a quote, comma or line break. Null is an empty cell.
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return "";
  let s = String(value);
  if (typeof value === "string" && FORMULA_START.test(s)) s = `'${s}`;
  return NEEDS_QUOTES.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}
