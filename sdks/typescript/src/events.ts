/** What `record()` takes and gives, and how it maps to the generated messages. */
import { create, fromJson, type JsonObject, type JsonValue } from "@bufbuild/protobuf";
import { timestampDate, timestampFromDate, ValueSchema, type Timestamp } from "@bufbuild/protobuf/wkt";
import { EventFilterSchema, EventInputSchema, type EventFilter, type EventInput, type EventResult } from "./gen/hyrelog/api/v1/events_pb.js";

/** One audit event to record. Only `category` and `action` are required. */
export interface AuditEventInput {
  category: string;
  action: string;
  actor?: { id?: string; type?: string; email?: string; name?: string };
  target?: { id?: string; type?: string; name?: string };
  projectId?: string;
  /** Leave `old` out for a field that did not exist before, `new` for one that was removed; `null` is a JSON null. */
  changes?: { field: string; old?: JsonValue; new?: JsonValue }[];
  metadata?: JsonObject;
  /** Any JSON object kept and hashed with the event. */
  payload?: JsonObject;
  /** When it happened (default: when the server received it). */
  occurredAt?: Date | string;
  /** Given: used as is. Otherwise the client draws a random UUID when the event is recorded. */
  idempotencyKey?: string;
  /** JSON pointers into metadata or changes that hold personal data (docs/privacy.md). */
  personalFields?: string[];
}

/** What the server stored for one recorded event. */
export interface RecordResult {
  id: string;
  /** The key the event was sent with (given, or drawn by the client). */
  idempotencyKey: string;
  /** Position in the workspace's log, from 1. */
  sequence: number;
  /** The event's chain hash (the leaf of its inclusion proofs), and its predecessor's. */
  hash: string;
  prevHash: string;
  receivedAt: Date | undefined;
  /**
   * True when the key matched an event stored earlier: a retry by the caller, or by this client
   * after an attempt whose answer was lost (the event was stored once, by that attempt).
   */
  duplicate: boolean;
}

/** Filters of `events.list()`; all optional, combined with AND. */
export interface EventListFilter {
  category?: string;
  action?: string;
  projectId?: string;
  /** Company keys only: one workspace. */
  workspaceId?: string;
  actorId?: string;
  actorEmail?: string;
  targetId?: string;
  targetType?: string;
  /** occurredAt >= from. */
  from?: Date | string;
  /** occurredAt < to. */
  to?: Date | string;
}

function timestamp(value: Date | string | undefined, name: string): Timestamp | undefined {
  if (value === undefined) return undefined;
  const date = typeof value === "string" ? new Date(value) : value;
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw new TypeError(`${name} must be a Date or an ISO 8601 string, got ${JSON.stringify(value)}`);
  return timestampFromDate(date);
}

/** The wire message of an event, with its idempotency key. */
export function toEventInput(event: AuditEventInput, idempotencyKey: string): EventInput {
  if (event === null || typeof event !== "object") throw new TypeError("an event must be an object");
  return create(EventInputSchema, {
    category: event.category,
    action: event.action,
    actor: event.actor,
    target: event.target,
    projectId: event.projectId ?? "",
    changes: (event.changes ?? []).map((c) => ({
      field: c.field,
      oldValue: "old" in c && c.old !== undefined ? fromJson(ValueSchema, c.old) : undefined,
      newValue: "new" in c && c.new !== undefined ? fromJson(ValueSchema, c.new) : undefined,
    })),
    metadata: event.metadata,
    payload: event.payload,
    occurredAt: timestamp(event.occurredAt, "occurredAt"),
    idempotencyKey,
    personalFields: event.personalFields ?? [],
  });
}

export function toRecordResult(result: EventResult, idempotencyKey: string): RecordResult {
  return {
    id: result.id,
    idempotencyKey,
    sequence: Number(result.chain?.sequence ?? 0n),
    hash: result.chain?.hash ?? "",
    prevHash: result.chain?.prevHash ?? "",
    receivedAt: result.receivedAt ? timestampDate(result.receivedAt) : undefined,
    duplicate: result.duplicate,
  };
}

export function toEventFilter(filter: EventListFilter = {}): EventFilter {
  const { from, to, ...strings } = filter;
  return create(EventFilterSchema, { ...strings, from: timestamp(from, "from"), to: timestamp(to, "to") });
}
