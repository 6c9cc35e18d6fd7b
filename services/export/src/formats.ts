import type { KeyObject } from "node:crypto";
import { openPersonal, type PersonalFields, type SealedValues } from "@hyrelog/core";
import { textRowJson, type EventTextRow } from "@hyrelog/db";

export type ExportFormatName = "JSONL" | "CSV";

/**
 * JSONL: one event per line, the object GET /v1/events returns for it (db textRowJson), so
 * `hyrelog verify --events <file>` checks an unfiltered workspace export.
 */
export const jsonlLine = (r: EventTextRow): string => textRowJson(r);

/** `changes` as compact JSON in the API's {field, old, new} key order (jsonb stores its own order). */
function changesJson(text: string): string {
  const changes = JSON.parse(text) as Array<{ field: string; old?: unknown; new?: unknown }>;
  return JSON.stringify(changes.map((c) => ({ field: c.field, ...("old" in c ? { old: c.old } : {}), ...("new" in c ? { new: c.new } : {}) })));
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
  "v",
  "personal",
  "payload",
] as const;

export const CSV_HEADER = CSV_COLUMNS.join(",") + "\r\n";

/**
 * One RFC 4180 record (CRLF line end). `changes` and `metadata` are compact JSON text, as
 * JSON.stringify gives for the API's event.
 */
export function csvLine(r: EventTextRow): string {
  // Ids, hashes, the sequence and timestamps are hex, digits and punctuation that needs no quoting
  // and cannot start a formula; the other cells go through csvCell.
  return (
    `${r.id},${r.company_id},${r.workspace_id ?? ""},${r.project_id ?? ""},${r.sequence},${r.prev_hash},${r.hash},${r.occurred_at},${r.received_at},` +
    `${csvCell(r.category)},${csvCell(r.action)},${csvCell(r.actor_id)},${csvCell(r.actor_type)},${csvCell(r.actor_email)},${csvCell(r.actor_name)},` +
    `${csvCell(r.target_id)},${csvCell(r.target_type)},${csvCell(r.target_name)},${csvCell(changesJson(r.changes))},${csvCell(JSON.stringify(JSON.parse(r.metadata)))},` +
    `${csvCell(r.ip)},${csvCell(r.user_agent)},${csvCell(r.trace_id)},${csvCell(r.request_id)},${csvCell(r.idempotency_key)},` +
    `${r.v},${csvCell(r.personal)},${csvCell(r.payload === null ? null : JSON.stringify(JSON.parse(r.payload)))}\r\n`
  );
}

/** The subjects whose keys open a page's version 2 rows (a line already written out has none to open). */
export function sealedSubjects(rows: readonly (EventTextRow | string)[]): string[] {
  const ids = new Set<string>();
  for (const r of rows) if (typeof r !== "string" && r.sealed) for (const s of JSON.parse(r.sealed) as SealedValues[]) ids.add(s.subjectId);
  return [...ids];
}

/** Whether a pointer of `personal` is inside `changes` or `metadata` (else it is one of the fixed fields). */
export const inChangesOrMetadata = (pointer: string) => pointer.startsWith("/changes/") || pointer.startsWith("/metadata/");

/**
 * A version 2 row with its personal values opened (or ERASED) and `personal` as the API shows
 * it, so both formats write it like any other row (its JSON in the API's form). `changes` and
 * `metadata` are parsed and written again only when a personal value is inside them; else they
 * stay jsonb's text, as for any other row.
 */
export function openTextRow(r: EventTextRow, keys: ReadonlyMap<string, KeyObject | null>): EventTextRow {
  const commitments = JSON.parse(r.personal!) as Record<string, string>;
  const deep = Object.keys(commitments).some(inChangesOrMetadata);
  const closed: PersonalFields & { personal: Record<string, string> } = {
    actor: { id: r.actor_id, type: r.actor_type, email: r.actor_email, name: r.actor_name },
    target: { id: r.target_id, type: r.target_type, name: r.target_name },
    changes: deep ? (JSON.parse(r.changes) as PersonalFields["changes"]) : [],
    metadata: deep ? (JSON.parse(r.metadata) as PersonalFields["metadata"]) : {},
    context: { ip: r.ip, userAgent: r.user_agent, traceId: r.trace_id, requestId: r.request_id },
    personal: commitments,
  };
  const { opened, personal } = openPersonal(closed, JSON.parse(r.sealed!) as SealedValues[], keys, r.company_id);
  return {
    ...r,
    actor_email: opened.actor.email,
    actor_name: opened.actor.name,
    target_name: opened.target.name,
    ip: opened.context.ip,
    user_agent: opened.context.userAgent,
    changes: deep ? JSON.stringify(opened.changes) : r.changes,
    metadata: deep ? JSON.stringify(opened.metadata) : r.metadata,
    personal: JSON.stringify(personal),
    sealed: null,
  };
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
