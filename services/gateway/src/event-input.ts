import { create, fromJson, type JsonValue } from "@bufbuild/protobuf";
import { timestampFromDate, ValueSchema } from "@bufbuild/protobuf/wkt";
import { ChangeSchema, EventInputSchema, type EventInput } from "@hyrelog/proto";
import { checkJsonValue, parseTimestamp, type Violation } from "@hyrelog/core";

const EVENT_FIELDS = new Set(["category", "action", "actor", "target", "projectId", "changes", "metadata", "payload", "occurredAt", "idempotencyKey", "personalFields"]);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Checks the JSON shape of one event (types, unknown fields) and converts it to the contract's
 * EventInput. Semantics (required fields, lengths, projects) are the ingest service's to check.
 */
export function parseEventInput(json: unknown, path: string, out: Violation[]): EventInput {
  const at = (f: string) => (path ? `${path}.${f}` : f);
  if (!isObject(json)) {
    out.push({ field: path || "body", description: "must be a JSON object describing an event" });
    return create(EventInputSchema);
  }
  for (const k of Object.keys(json)) {
    if (!EVENT_FIELDS.has(k)) out.push({ field: at(k), description: `is not an event field (allowed: ${[...EVENT_FIELDS].join(", ")})` });
  }
  const str = (v: unknown, field: string): string => {
    if (v === undefined || v === null) return "";
    if (typeof v !== "string") {
      out.push({ field: at(field), description: `must be a string (got ${typeName(v)})` });
      return "";
    }
    return v;
  };
  const obj = (v: unknown, field: string, keys: string[]): Record<string, string> => {
    if (v === undefined || v === null) return {};
    if (!isObject(v)) {
      out.push({ field: at(field), description: `must be an object with ${keys.join(", ")}` });
      return {};
    }
    const result: Record<string, string> = {};
    for (const k of Object.keys(v)) {
      if (!keys.includes(k)) out.push({ field: at(`${field}.${k}`), description: `is not allowed (allowed: ${keys.join(", ")})` });
    }
    for (const k of keys) result[k] = str(v[k], `${field}.${k}`);
    return result;
  };

  const input = create(EventInputSchema, {
    category: str(json.category, "category"),
    action: str(json.action, "action"),
    actor: obj(json.actor, "actor", ["id", "type", "email", "name"]),
    target: obj(json.target, "target", ["id", "type", "name"]),
    projectId: str(json.projectId, "projectId"),
    idempotencyKey: str(json.idempotencyKey, "idempotencyKey"),
  });

  if (json.metadata !== undefined && json.metadata !== null) {
    if (!isObject(json.metadata)) out.push({ field: at("metadata"), description: "must be a JSON object" });
    // Checked before the value is converted (recursively) to the contract's Struct.
    else if (checkJsonValue(json.metadata, at("metadata"), out)) input.metadata = json.metadata as never;
  }
  // The original HyreLog API's `payload`: any JSON object, kept and hashed as sent (null: none).
  if (json.payload !== undefined && json.payload !== null) {
    if (!isObject(json.payload)) out.push({ field: at("payload"), description: "must be a JSON object" });
    else if (checkJsonValue(json.payload, at("payload"), out)) input.payload = json.payload as never;
  }
  if (json.personalFields !== undefined && json.personalFields !== null) {
    if (!Array.isArray(json.personalFields) || json.personalFields.some((p) => typeof p !== "string")) {
      out.push({ field: at("personalFields"), description: 'must be an array of JSON pointers, e.g. ["/metadata/customer/email"]' });
    } else {
      input.personalFields = json.personalFields as string[];
    }
  }
  if (json.occurredAt !== undefined && json.occurredAt !== null) {
    const date = parseTimestamp(json.occurredAt);
    if (!date) {
      out.push({ field: at("occurredAt"), description: 'must be an RFC 3339 timestamp such as "2026-01-31T12:00:00.000Z"' });
    } else {
      input.occurredAt = timestampFromDate(date);
    }
  }
  if (json.changes !== undefined && json.changes !== null) {
    if (!Array.isArray(json.changes)) {
      out.push({ field: at("changes"), description: 'must be an array of {"field", "old", "new"}' });
    } else {
      json.changes.forEach((c: unknown, i: number) => {
        const cp = at(`changes[${i}]`);
        if (!isObject(c)) {
          out.push({ field: cp, description: 'must be an object {"field", "old", "new"}' });
          return;
        }
        for (const k of Object.keys(c)) {
          if (!["field", "old", "new"].includes(k)) out.push({ field: `${cp}.${k}`, description: "is not allowed (allowed: field, old, new)" });
        }
        if (typeof c.field !== "string") out.push({ field: `${cp}.field`, description: `must be a string (got ${typeName(c.field)})` });
        if (!checkJsonValue(c.old, `${cp}.old`, out) || !checkJsonValue(c.new, `${cp}.new`, out)) return;
        input.changes.push(
          create(ChangeSchema, {
            field: typeof c.field === "string" ? c.field : "",
            oldValue: "old" in c ? fromJson(ValueSchema, c.old as JsonValue) : undefined,
            newValue: "new" in c ? fromJson(ValueSchema, c.new as JsonValue) : undefined,
          }),
        );
      });
    }
  }
  return input;
}

function typeName(v: unknown): string {
  return v === null ? "null" : Array.isArray(v) ? "array" : typeof v;
}
