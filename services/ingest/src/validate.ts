import { timestampDate } from "@bufbuild/protobuf/wkt";
import { toJson } from "@bufbuild/protobuf";
import { ValueSchema } from "@bufbuild/protobuf/wkt";
import { checkJsonValue, isUuid, markedPointerProblems, textProblem, type TextKind, type Violation } from "@hyrelog/core";
import type { EventInput } from "@hyrelog/proto";

export const LIMITS = {
  eventsPerRequest: 1000,
  categoryLength: 100,
  actionLength: 200,
  identifierLength: 256,
  emailLength: 320,
  idempotencyKeyLength: 255,
  changesPerEvent: 200,
  /** Serialized size of one event's metadata plus changes. */
  eventJsonBytes: 64 * 1024,
  /** How far in the future occurredAt may be (clock skew). */
  futureSkewMs: 5 * 60_000,
};

export type { Violation };

/** A validated event with empty strings normalised to null and JSON values unwrapped. */
export interface NormalisedEvent {
  category: string;
  action: string;
  actor: { id: string | null; type: string | null; email: string | null; name: string | null };
  target: { id: string | null; type: string | null; name: string | null };
  projectId: string | null;
  changes: Array<{ field: string; old?: unknown; new?: unknown }>;
  metadata: Record<string, unknown>;
  occurredAt: Date | null;
  idempotencyKey: string | null;
  workspaceId: string | null;
  /** JSON pointers the sender marks as personal data, beyond the defaults (ADR 0012). */
  personalFields: string[];
  /** The sender's payload object (the original HyreLog API's field), absent when not sent. */
  payload?: Record<string, unknown>;
}

/** Checks one event's semantics; pushes violations under `path` (e.g. "events[3]"). */
export function validateEvent(input: EventInput, path: string, now: number, out: Violation[]): NormalisedEvent {
  const text = (value: string, field: string, max: number, required: boolean, rule: TextKind = "line"): string | null => {
    if (value === "") {
      if (required) out.push({ field: `${path}.${field}`, description: "is required" });
      return null;
    }
    if (value.length > max) out.push({ field: `${path}.${field}`, description: `must be at most ${max} characters (got ${value.length})` });
    else {
      const problem = textProblem(value, rule);
      if (problem) out.push({ field: `${path}.${field}`, description: problem });
    }
    return value;
  };

  const category = text(input.category, "category", LIMITS.categoryLength, true) ?? "";
  const action = text(input.action, "action", LIMITS.actionLength, true) ?? "";
  const actor = {
    // An actor is identified by its id, or by its email alone (the original HyreLog API's form).
    id: text(input.actor?.id ?? "", "actor.id", LIMITS.identifierLength, !input.actor?.email, "multiline"),
    type: text(input.actor?.type ?? "", "actor.type", LIMITS.identifierLength, false),
    email: text(input.actor?.email ?? "", "actor.email", LIMITS.emailLength, false),
    name: text(input.actor?.name ?? "", "actor.name", LIMITS.identifierLength, false, "multiline"),
  };
  if (actor.email && !/^[^\s@]+@[^\s@]+$/.test(actor.email)) {
    out.push({ field: `${path}.actor.email`, description: "must be an email address like jane@example.com" });
  }
  const target = {
    id: text(input.target?.id ?? "", "target.id", LIMITS.identifierLength, false, "multiline"),
    type: text(input.target?.type ?? "", "target.type", LIMITS.identifierLength, false),
    name: text(input.target?.name ?? "", "target.name", LIMITS.identifierLength, false, "multiline"),
  };
  if (target.id && !target.type) out.push({ field: `${path}.target.type`, description: "is required when target.id is set" });

  const projectId = input.projectId === "" ? null : input.projectId;
  if (projectId !== null && !isUuid(projectId)) out.push({ field: `${path}.projectId`, description: "must be a project id (UUID)" });
  const workspaceId = input.workspaceId === "" ? null : input.workspaceId;
  if (workspaceId !== null && !isUuid(workspaceId)) out.push({ field: `${path}.workspaceId`, description: "must be a workspace id (UUID)" });

  const idempotencyKey = text(input.idempotencyKey, "idempotencyKey", LIMITS.idempotencyKeyLength, false);

  let occurredAt: Date | null = null;
  if (input.occurredAt) {
    occurredAt = timestampDate(input.occurredAt);
    if (Number.isNaN(occurredAt.getTime()) || occurredAt.getTime() < Date.UTC(1970, 0, 1)) {
      out.push({ field: `${path}.occurredAt`, description: "must be an RFC 3339 timestamp after 1970" });
    } else if (occurredAt.getTime() > now + LIMITS.futureSkewMs) {
      out.push({ field: `${path}.occurredAt`, description: "must not be more than 5 minutes in the future" });
    }
  }

  if (input.changes.length > LIMITS.changesPerEvent) {
    out.push({ field: `${path}.changes`, description: `must have at most ${LIMITS.changesPerEvent} entries (got ${input.changes.length})` });
  }
  const changes = input.changes.map((c, i) => {
    text(c.field, `changes[${i}].field`, LIMITS.identifierLength, true);
    const change: { field: string; old?: unknown; new?: unknown } = { field: c.field };
    if (c.oldValue) change.old = toJson(ValueSchema, c.oldValue);
    if (c.newValue) change.new = toJson(ValueSchema, c.newValue);
    checkJsonValue(change.old, `${path}.changes[${i}].old`, out);
    checkJsonValue(change.new, `${path}.changes[${i}].new`, out);
    return change;
  });
  const metadata = (input.metadata ?? {}) as Record<string, unknown>;
  checkJsonValue(metadata, `${path}.metadata`, out);
  const payload = input.payload === undefined ? undefined : (input.payload as Record<string, unknown>);
  if (payload !== undefined) checkJsonValue(payload, `${path}.payload`, out);
  const size = Buffer.byteLength(JSON.stringify({ changes, metadata, payload }));
  if (size > LIMITS.eventJsonBytes) {
    const what = payload === undefined ? "metadata and changes together" : "metadata, changes and payload together";
    out.push({ field: `${path}`, description: `${what} must be at most ${LIMITS.eventJsonBytes} bytes of JSON (got ${size})` });
  }
  const personalFields = [...input.personalFields];
  for (const p of markedPointerProblems({ actor, target, changes, metadata, context: { ip: null, userAgent: null, traceId: null, requestId: null } }, personalFields)) {
    out.push({ field: p.index < 0 ? `${path}.personalFields` : `${path}.personalFields[${p.index}]`, description: p.description });
  }
  return { category, action, actor, target, projectId, changes, metadata, occurredAt, idempotencyKey, workspaceId, personalFields, ...(payload !== undefined ? { payload } : {}) };
}
