import { create, fromJson, toJson, type JsonValue } from "@bufbuild/protobuf";
import { timestampDate, timestampFromDate, ValueSchema, type Timestamp } from "@bufbuild/protobuf/wkt";
import { AuditEventSchema, type AuditEvent } from "@hyrelog/proto";
import type { EventJson } from "@hyrelog/core";

const orNull = (s: string) => (s === "" ? null : s);

/** A timestamp column as the contracts carry it; raw queries may hand it over as text. Null stays absent. */
export function rowTimestamp(value: Date | string | null | undefined): Timestamp | undefined {
  return value ? timestampFromDate(new Date(value)) : undefined;
}

/** The public JSON form of an event → its protobuf message. */
export function eventToProto(e: EventJson): AuditEvent {
  return create(AuditEventSchema, {
    id: e.id,
    companyId: e.companyId,
    workspaceId: e.workspaceId ?? "",
    projectId: e.projectId ?? "",
    occurredAt: timestampFromDate(new Date(e.occurredAt)),
    receivedAt: timestampFromDate(new Date(e.receivedAt)),
    category: e.category,
    action: e.action,
    actor: { id: e.actor.id ?? "", type: e.actor.type ?? "", email: e.actor.email ?? "", name: e.actor.name ?? "" },
    target: { id: e.target.id ?? "", type: e.target.type ?? "", name: e.target.name ?? "" },
    changes: e.changes.map((c) => ({
      field: c.field,
      oldValue: "old" in c ? fromJson(ValueSchema, c.old as JsonValue) : undefined,
      newValue: "new" in c ? fromJson(ValueSchema, c.new as JsonValue) : undefined,
    })),
    metadata: e.metadata as never,
    payload: e.payload as never,
    context: {
      ip: e.context.ip ?? "",
      userAgent: e.context.userAgent ?? "",
      traceId: e.context.traceId ?? "",
      requestId: e.context.requestId ?? "",
    },
    idempotencyKey: e.idempotencyKey ?? "",
    chain: { sequence: BigInt(e.sequence), prevHash: e.prevHash, hash: e.hash },
    v: e.v,
    personal: Object.fromEntries(Object.entries(e.personal ?? {}).map(([pointer, p]) => [pointer, { commitment: p.commitment, salt: p.salt ?? "", erased: p.erased === true }])),
  });
}

/** A protobuf event → its public JSON form (what the gateway returns). */
export function eventFromProto(p: AuditEvent): EventJson {
  return {
    id: p.id,
    companyId: p.companyId,
    workspaceId: orNull(p.workspaceId),
    projectId: orNull(p.projectId),
    sequence: Number(p.chain?.sequence ?? 0n),
    prevHash: p.chain?.prevHash ?? "",
    hash: p.chain?.hash ?? "",
    v: p.v || 1,
    occurredAt: p.occurredAt ? timestampDate(p.occurredAt).toISOString() : "",
    receivedAt: p.receivedAt ? timestampDate(p.receivedAt).toISOString() : "",
    category: p.category,
    action: p.action,
    actor: { id: orNull(p.actor?.id ?? ""), type: orNull(p.actor?.type ?? ""), email: orNull(p.actor?.email ?? ""), name: orNull(p.actor?.name ?? "") },
    target: { id: orNull(p.target?.id ?? ""), type: orNull(p.target?.type ?? ""), name: orNull(p.target?.name ?? "") },
    changes: p.changes.map((c) => ({
      field: c.field,
      ...(c.oldValue ? { old: toJson(ValueSchema, c.oldValue) } : {}),
      ...(c.newValue ? { new: toJson(ValueSchema, c.newValue) } : {}),
    })),
    metadata: (p.metadata ?? {}) as Record<string, unknown>,
    ...(p.payload ? { payload: p.payload as Record<string, unknown> } : {}),
    context: {
      ip: orNull(p.context?.ip ?? ""),
      userAgent: orNull(p.context?.userAgent ?? ""),
      traceId: orNull(p.context?.traceId ?? ""),
      requestId: orNull(p.context?.requestId ?? ""),
    },
    ...(p.v >= 2 ? { personal: Object.fromEntries(Object.entries(p.personal).map(([pointer, o]) => [pointer, o.erased ? { commitment: o.commitment, erased: true as const } : { commitment: o.commitment, salt: o.salt }])) } : {}),
    idempotencyKey: orNull(p.idempotencyKey),
  };
}

/**
 * The JSON text the gateway returns for an event (JSON.stringify of eventFromProto(eventToProto(e))),
 * made without the protobuf round trip: the live tail sends it as is (hyrelog.query.v1.TailService,
 * `as_json`). Same keys in the same order, empty strings as null, timestamps in ISO form.
 */
export function eventApiJson(e: EventJson): string {
  const nullable = (s: string | null | undefined) => (s ? s : null);
  const shown: EventJson = {
    id: e.id,
    companyId: e.companyId,
    workspaceId: nullable(e.workspaceId),
    projectId: nullable(e.projectId),
    sequence: e.sequence,
    prevHash: e.prevHash,
    hash: e.hash,
    v: e.v || 1,
    occurredAt: new Date(e.occurredAt).toISOString(),
    receivedAt: new Date(e.receivedAt).toISOString(),
    category: e.category,
    action: e.action,
    actor: { id: nullable(e.actor.id), type: nullable(e.actor.type), email: nullable(e.actor.email), name: nullable(e.actor.name) },
    target: { id: nullable(e.target.id), type: nullable(e.target.type), name: nullable(e.target.name) },
    changes: e.changes.map((c) => ({ field: c.field, ...("old" in c ? { old: c.old } : {}), ...("new" in c ? { new: c.new } : {}) })),
    metadata: e.metadata ?? {},
    ...(e.payload ? { payload: e.payload } : {}),
    context: { ip: nullable(e.context.ip), userAgent: nullable(e.context.userAgent), traceId: nullable(e.context.traceId), requestId: nullable(e.context.requestId) },
    ...(e.v >= 2
      ? { personal: Object.fromEntries(Object.entries(e.personal ?? {}).map(([pointer, p]) => [pointer, p.erased === true ? { commitment: p.commitment, erased: true as const } : { commitment: p.commitment, salt: p.salt ?? "" }])) }
      : {}),
    idempotencyKey: nullable(e.idempotencyKey),
  };
  return JSON.stringify(shown);
}
