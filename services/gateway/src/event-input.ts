import { create, fromJson, type JsonValue } from "@bufbuild/protobuf";
import { timestampFromDate, ValueSchema } from "@bufbuild/protobuf/wkt";
import { ChangeSchema, EventInputSchema, type EventInput } from "@hyrelog/proto";
import { checkJsonValue, parseTimestamp, type Violation } from "@hyrelog/core";

/** One event as the API takes it, once valid against routes/events.ts EVENT_INPUT (nulls count as absent). */
export interface EventJson {
  category: string;
  action: string;
  actor: { id?: string | null; type?: string | null; email?: string | null; name?: string | null };
  target?: { id?: string | null; type?: string | null; name?: string | null } | null;
  projectId?: string | null;
  changes?: Array<{ field: string; old?: unknown; new?: unknown }> | null;
  metadata?: Record<string, unknown> | null;
  payload?: Record<string, unknown> | null;
  occurredAt?: string | null;
  idempotencyKey?: string | null;
  personalFields?: string[] | null;
}

/**
 * Converts one event, whose shape the dispatcher checked against its schema, to the contract's
 * EventInput, checking what the schema cannot: JSON values the contract's Struct cannot carry
 * (NUL, numbers out of range, nesting) and timestamps that do not exist. The ingest service checks
 * the rest (control characters, sizes, projects).
 */
export function parseEventInput(json: EventJson, path: string, out: Violation[]): EventInput {
  const at = (f: string) => (path ? `${path}.${f}` : f);
  const texts = <K extends string>(v: Partial<Record<K, string | null>> | null | undefined, keys: K[]) =>
    Object.fromEntries(keys.map((k) => [k, v?.[k] ?? ""])) as Record<K, string>;
  const input = create(EventInputSchema, {
    category: json.category,
    action: json.action,
    actor: texts(json.actor, ["id", "type", "email", "name"]),
    target: texts(json.target, ["id", "type", "name"]),
    projectId: json.projectId ?? "",
    idempotencyKey: json.idempotencyKey ?? "",
    personalFields: json.personalFields ?? [],
  });
  // Checked before the value is converted (recursively) to the contract's Struct.
  if (json.metadata && checkJsonValue(json.metadata, at("metadata"), out)) input.metadata = json.metadata as never;
  // The original HyreLog API's `payload`: any JSON object, kept and hashed as sent (null: none).
  if (json.payload && checkJsonValue(json.payload, at("payload"), out)) input.payload = json.payload as never;
  if (json.occurredAt) {
    const date = parseTimestamp(json.occurredAt);
    if (!date) out.push({ field: at("occurredAt"), description: 'must be an RFC 3339 timestamp such as "2026-01-31T12:00:00.000Z"' });
    else input.occurredAt = timestampFromDate(date);
  }
  (json.changes ?? []).forEach((c, i) => {
    const cp = at(`changes[${i}]`);
    if (!checkJsonValue(c.old, `${cp}.old`, out) || !checkJsonValue(c.new, `${cp}.new`, out)) return;
    input.changes.push(
      create(ChangeSchema, {
        field: c.field,
        oldValue: "old" in c ? fromJson(ValueSchema, c.old as JsonValue) : undefined,
        newValue: "new" in c ? fromJson(ValueSchema, c.new as JsonValue) : undefined,
      }),
    );
  });
  return input;
}
