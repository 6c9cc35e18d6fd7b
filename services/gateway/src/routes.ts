import type { IncomingMessage } from "node:http";
import type { Client } from "@connectrpc/connect";
import { timestampDate, timestampFromDate, type Timestamp } from "@bufbuild/protobuf/wkt";
import { FaultKind, IngestService, KeyScope, KeysService, QueryService, VerificationService, WebhookService, type Checkpoint, type EventInput, type Principal } from "@hyrelog/proto";
import type { ExportService, JobsService } from "@hyrelog/proto";
import { type RegionCode } from "@hyrelog/core";
import { eventFromProto } from "@hyrelog/runtime";
import { ApiError, toApiError } from "./errors.ts";
import { parseEventInput, parseTimestamp, type Violation } from "./event-input.ts";
import { readJson, type RouteParams } from "./http.ts";

export interface RequestInfo {
  req: IncomingMessage;
  url: URL;
  params: RouteParams;
  principal: Principal;
  region: RegionCode;
  context: { ip: string; userAgent: string; traceId: string; requestId: string };
  clientIp: string;
  /** Headers for the internal call: trace and request id. */
  callHeaders: Record<string, string>;
}

export interface Reply {
  status: number;
  body: unknown;
  /** Instead of a JSON body: a byte stream sent as is (export downloads). */
  stream?: { body: NodeJS.ReadableStream; headers: Record<string, string> };
}

export interface GatewayClients {
  keys(region: RegionCode): Client<typeof KeysService>;
  ingest(region: RegionCode): Client<typeof IngestService>;
  query(region: RegionCode): Client<typeof QueryService>;
  verification(region: RegionCode): Client<typeof VerificationService>;
  export(region: RegionCode): Client<typeof ExportService>;
  jobs(region: RegionCode): Client<typeof JobsService>;
  webhook(region: RegionCode): Client<typeof WebhookService>;
}

export type Handler = (r: RequestInfo) => Promise<Reply>;

/** Every API route: method, path pattern, whether it is a strictly limited key-management call. */
export function apiRoutes(clients: GatewayClients): Array<{ method: string; pattern: string; strict?: boolean; handler: Handler }> {
  const ingest: Handler = async (r) => {
    if (r.principal.scope !== KeyScope.WORKSPACE) {
      throw new ApiError(403, "forbidden", "company keys cannot ingest events; use a workspace key (hlk_ws_...)");
    }
    const body = await readJson(r.req);
    const headerKey = header(r.req, "idempotency-key");
    const violations: Violation[] = [];
    let events: EventInput[];
    const batch = typeof body === "object" && body !== null && !Array.isArray(body) && "events" in body;
    if (batch) {
      const list = (body as { events: unknown }).events;
      const extra = Object.keys(body as object).filter((k) => k !== "events");
      if (extra.length) violations.push({ field: extra[0]!, description: 'a batch body holds only "events"' });
      if (!Array.isArray(list)) throw new ApiError(400, "invalid_argument", '"events" must be an array of events', { violations: [{ field: "events", description: "must be an array" }] });
      events = list.map((e, i) => parseEventInput(e, `events[${i}]`, violations));
      // A batch-level Idempotency-Key covers each event by position, unless the event has its own.
      if (headerKey) events.forEach((e, i) => (e.idempotencyKey ||= `${headerKey}#${i}`));
    } else {
      const e = parseEventInput(body, "", violations);
      if (headerKey) {
        if (e.idempotencyKey && e.idempotencyKey !== headerKey) {
          violations.push({ field: "idempotencyKey", description: "differs from the Idempotency-Key header; send one or make them equal" });
        }
        e.idempotencyKey = headerKey;
      }
      events = [e];
    }
    if (violations.length) {
      throw new ApiError(400, "invalid_argument", `${violations.length} problem(s) in the request; nothing was stored`, { violations });
    }
    const res = await clients
      .ingest(r.region)
      .ingestEvents({ principal: r.principal, events, context: r.context }, { headers: r.callHeaders })
      .catch((err) => {
        // A single event's problems are reported at the top level, not under events[0].
        throw toApiError(err, batch ? undefined : (f) => f.replace(/^events\[0\]\.?/, "") || "body");
      });
    const results = res.results.map((x) => ({
      index: x.index,
      id: x.id,
      sequence: Number(x.chain?.sequence ?? 0n),
      hash: x.chain?.hash ?? "",
      prevHash: x.chain?.prevHash ?? "",
      receivedAt: iso(x.receivedAt),
      status: x.duplicate ? "duplicate" : "created",
    }));
    const anyCreated = results.some((x) => x.status === "created");
    if (!batch) {
      const { index: _i, ...one } = results[0]!;
      return { status: anyCreated ? 201 : 200, body: one };
    }
    return { status: anyCreated ? 201 : 200, body: { results } };
  };

  const listEvents: Handler = async (r) => {
    const q = r.url.searchParams;
    const res = await clients.query(r.region).listEvents(
      {
        principal: r.principal,
        filter: {
          category: q.get("category") ?? "",
          action: q.get("action") ?? "",
          projectId: q.get("projectId") ?? "",
          workspaceId: q.get("workspaceId") ?? "",
          actorId: q.get("actorId") ?? "",
          actorEmail: q.get("actorEmail") ?? "",
          targetId: q.get("targetId") ?? "",
          targetType: q.get("targetType") ?? "",
          from: timeParam(q, "from"),
          to: timeParam(q, "to"),
        },
        limit: limitParam(q),
        cursor: q.get("cursor") ?? "",
      },
      { headers: r.callHeaders },
    );
    return { status: 200, body: { data: res.events.map(eventFromProto), nextCursor: res.nextCursor || null, hasMore: res.nextCursor !== "" } };
  };

  const getEvent: Handler = async (r) => {
    const res = await clients.query(r.region).getEvent({ principal: r.principal, id: r.params.id! }, { headers: r.callHeaders });
    return { status: 200, body: eventFromProto(res.event!) };
  };

  const targetEvents: Handler = async (r) => {
    const q = r.url.searchParams;
    const res = await clients.query(r.region).listTargetEvents(
      {
        principal: r.principal,
        targetType: r.params.type!,
        targetId: r.params.id!,
        workspaceId: q.get("workspaceId") ?? "",
        limit: limitParam(q),
        cursor: q.get("cursor") ?? "",
      },
      { headers: r.callHeaders },
    );
    return {
      status: 200,
      body: {
        target: { type: r.params.type, id: r.params.id },
        versions: res.versions.map((v) => ({ version: v.version, state: v.state ?? {}, event: eventFromProto(v.event!) })),
        nextCursor: res.nextCursor || null,
        hasMore: res.nextCursor !== "",
      },
    };
  };

  const createKey: Handler = async (r) => {
    const b = await optionalObjectBody(r.req);
    const violations: Violation[] = [];
    if (b.name !== undefined && typeof b.name !== "string") violations.push({ field: "name", description: "must be a string" });
    if (b.ipAllowlist !== undefined && (!Array.isArray(b.ipAllowlist) || b.ipAllowlist.some((x) => typeof x !== "string"))) {
      violations.push({ field: "ipAllowlist", description: 'must be an array of IP addresses or CIDR ranges, e.g. ["203.0.113.0/24"]' });
    }
    if (violations.length) throw new ApiError(400, "invalid_argument", "invalid key request", { violations });
    const res = await clients.keys(r.region).createWorkspaceKey(
      {
        caller: r.principal,
        clientIp: r.clientIp,
        workspaceId: r.params.workspaceId!,
        name: (b.name as string | undefined) ?? "",
        ipAllowlist: (b.ipAllowlist as string[] | undefined) ?? [],
        context: r.context,
      },
      { headers: r.callHeaders },
    );
    return { status: 201, body: { key: keyJson(res.key!), secret: res.secret } };
  };

  const rotateKey: Handler = async (r) => {
    const body = await optionalObjectBody(r.req);
    const grace = body.gracePeriodSeconds;
    if (grace !== undefined && (!Number.isInteger(grace) || (grace as number) < 0 || (grace as number) > MAX_GRACE_SECONDS)) {
      throw new ApiError(400, "invalid_argument", "invalid rotation request", {
        violations: [{ field: "gracePeriodSeconds", description: `must be a whole number of seconds from 0 to ${MAX_GRACE_SECONDS} (30 days)` }],
      });
    }
    const res = await clients.keys(r.region).rotateKey(
      { caller: r.principal, clientIp: r.clientIp, keyId: r.params.keyId!, gracePeriodSeconds: grace as number | undefined, context: r.context },
      { headers: r.callHeaders },
    );
    return { status: 201, body: { key: keyJson(res.key!), secret: res.secret, previous: keyJson(res.previous!) } };
  };

  const revokeKey: Handler = async (r) => {
    const body = await optionalObjectBody(r.req);
    const reason = body.reason;
    if (reason !== undefined && typeof reason !== "string") {
      throw new ApiError(400, "invalid_argument", "invalid revocation request", { violations: [{ field: "reason", description: "must be a string" }] });
    }
    const res = await clients.keys(r.region).revokeKey(
      { caller: r.principal, clientIp: r.clientIp, keyId: r.params.keyId!, reason: (reason as string | undefined) ?? "", context: r.context },
      { headers: r.callHeaders },
    );
    return { status: 200, body: { key: keyJson(res.key!) } };
  };

  const keyStatus: Handler = async (r) => {
    const res = await clients.keys(r.region).getKeyStatus({ caller: r.principal }, { headers: r.callHeaders });
    return { status: 200, body: { key: keyJson(res.key!), region: r.region } };
  };

  const latestCheckpoint: Handler = async (r) => {
    const res = await clients
      .verification(r.region)
      .getLatestCheckpoint({ principal: r.principal, workspaceId: r.url.searchParams.get("workspaceId") ?? "" }, { headers: r.callHeaders });
    return { status: 200, body: checkpointJson(res.checkpoint!) };
  };

  const listCheckpoints: Handler = async (r) => {
    const q = r.url.searchParams;
    const res = await clients.verification(r.region).listCheckpoints(
      { principal: r.principal, workspaceId: q.get("workspaceId") ?? "", fromTreeSize: BigInt(sizeParam(q, "from") ?? 0), limit: limitParam(q) },
      { headers: r.callHeaders },
    );
    return { status: 200, body: { data: res.checkpoints.map(checkpointJson) } };
  };

  const consistency: Handler = async (r) => {
    const q = r.url.searchParams;
    const from = sizeParam(q, "from");
    const to = sizeParam(q, "to");
    if (from === undefined || to === undefined) {
      throw new ApiError(400, "invalid_argument", "from and to are required", {
        violations: [{ field: from === undefined ? "from" : "to", description: "is required: a tree size (a checkpoint's treeSize)" }],
      });
    }
    const res = await clients.verification(r.region).getConsistencyProof(
      { principal: r.principal, workspaceId: q.get("workspaceId") ?? "", fromTreeSize: BigInt(from), toTreeSize: BigInt(to) },
      { headers: r.callHeaders },
    );
    return {
      status: 200,
      body: { logId: res.logId, from, to, proof: res.proof, fromRootHash: res.fromRootHash, toRootHash: res.toRootHash },
    };
  };

  const signingKeys: Handler = async (r) => {
    const res = await clients.verification(r.region).listSigningKeys({}, { headers: r.callHeaders });
    return {
      status: 200,
      body: { keys: res.keys.map((k) => ({ name: k.name, keyId: k.keyId, verifierKey: k.verifierKey, validFrom: iso(k.validFrom), validUntil: iso(k.validUntil) })) },
    };
  };

  const inclusionProof: Handler = async (r) => {
    const treeSize = sizeParam(r.url.searchParams, "treeSize");
    const res = await clients.verification(r.region).getInclusionProof(
      { principal: r.principal, eventId: r.params.id!, treeSize: treeSize === undefined ? undefined : BigInt(treeSize) },
      { headers: r.callHeaders },
    );
    return {
      status: 200,
      body: {
        eventId: res.eventId,
        logId: res.logId,
        leafIndex: Number(res.leafIndex),
        treeSize: Number(res.treeSize),
        leaf: res.leaf,
        proof: res.proof,
        rootHash: res.rootHash,
        checkpoint: res.checkpoint ? checkpointJson(res.checkpoint) : null,
      },
    };
  };

  const verify: Handler = async (r) => {
    const body = await optionalObjectBody(r.req);
    const violations: Violation[] = [];
    const seq = (field: "fromSequence" | "toSequence") => {
      const v = body[field];
      if (v === undefined || v === null) return undefined;
      if (!Number.isSafeInteger(v) || (v as number) < 1) violations.push({ field, description: "must be a sequence number >= 1" });
      return BigInt(v as number);
    };
    const workspaceId = body.workspaceId;
    if (workspaceId !== undefined && typeof workspaceId !== "string") violations.push({ field: "workspaceId", description: "must be a string" });
    const fromSequence = seq("fromSequence");
    const toSequence = seq("toSequence");
    if (violations.length) throw new ApiError(400, "invalid_argument", "invalid verification request", { violations });
    const res = await clients.verification(r.region).verifyRange(
      { principal: r.principal, workspaceId: (workspaceId as string | undefined) ?? "", fromSequence, toSequence },
      { headers: r.callHeaders },
    );
    return {
      status: 200,
      body: {
        ok: res.ok,
        logId: res.logId,
        fromSequence: Number(res.fromSequence),
        toSequence: Number(res.toSequence),
        eventsChecked: Number(res.eventsChecked),
        checkpointsChecked: Number(res.checkpointsChecked),
        fault: res.ok ? null : { sequence: Number(res.faultSequence), kind: FAULT_KINDS[res.faultKind] ?? "unknown", detail: res.faultDetail },
      },
    };
  };

  return [
    { method: "GET", pattern: "/v1/checkpoints/latest", handler: latestCheckpoint },
    { method: "GET", pattern: "/v1/checkpoints/consistency", handler: consistency },
    { method: "GET", pattern: "/v1/checkpoints", handler: listCheckpoints },
    { method: "GET", pattern: "/v1/verification/keys", handler: signingKeys },
    { method: "GET", pattern: "/v1/events/:id/proof", handler: inclusionProof },
    { method: "POST", pattern: "/v1/verify", handler: verify },
    { method: "POST", pattern: "/v1/events", handler: ingest },
    { method: "POST", pattern: "/v1/key/workspace/events", handler: ingest },
    { method: "GET", pattern: "/v1/events", handler: listEvents },
    { method: "GET", pattern: "/v1/events/:id", handler: getEvent },
    { method: "GET", pattern: "/v1/targets/:type/:id/events", handler: targetEvents },
    { method: "POST", pattern: "/v1/workspaces/:workspaceId/keys", strict: true, handler: createKey },
    { method: "POST", pattern: "/v1/keys/:keyId/rotate", strict: true, handler: rotateKey },
    { method: "POST", pattern: "/v1/keys/:keyId/revoke", strict: true, handler: revokeKey },
    { method: "GET", pattern: "/v1/keys/status", handler: keyStatus },
  ];
}

/** Longest grace period a rotated key may keep working (the keys service enforces it too). */
const MAX_GRACE_SECONDS = 30 * 86_400;

/**
 * The optional JSON-object body of key management calls: none at all means {}. A body is present
 * when it has a non-zero Content-Length or is chunked (streaming clients send no length).
 */
async function optionalObjectBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const length = req.headers["content-length"];
  if (req.headers["transfer-encoding"] === undefined && (length === undefined || length === "0")) return {};
  const body = await readJson(req);
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new ApiError(400, "invalid_argument", "the request body must be a JSON object", {
      violations: [{ field: "body", description: "must be a JSON object" }],
    });
  }
  return body as Record<string, unknown>;
}

function header(req: IncomingMessage, name: string): string {
  const v = req.headers[name];
  return (Array.isArray(v) ? v[0] : v)?.trim() ?? "";
}

function timeParam(q: URLSearchParams, name: string) {
  const raw = q.get(name);
  if (!raw) return undefined;
  const d = parseTimestamp(raw);
  if (!d) {
    throw new ApiError(400, "invalid_argument", `invalid ${name}`, {
      violations: [{ field: name, description: 'must be an RFC 3339 timestamp such as "2026-01-31T00:00:00Z"' }],
    });
  }
  return timestampFromDate(d);
}

/** A tree size or sequence query parameter: a whole number >= 1, or undefined when absent. */
function sizeParam(q: URLSearchParams, name: string): number | undefined {
  const raw = q.get(name);
  if (raw === null || raw === "") return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || !Number.isSafeInteger(n)) {
    throw new ApiError(400, "invalid_argument", `invalid ${name}`, { violations: [{ field: name, description: "must be a whole number >= 1" }] });
  }
  return n;
}

const FAULT_KINDS: Record<number, string> = {
  [FaultKind.ALTERED]: "altered",
  [FaultKind.MISSING]: "missing",
  [FaultKind.REORDERED]: "reordered",
  [FaultKind.INSERTED]: "inserted",
  [FaultKind.BAD_SIGNATURE]: "bad_signature",
};

function checkpointJson(c: Checkpoint) {
  return { logId: c.logId, treeSize: Number(c.treeSize), rootHash: c.rootHash, createdAt: iso(c.createdAt), keyName: c.keyName, signedNote: c.signedNote };
}

function limitParam(q: URLSearchParams): number {
  const raw = q.get("limit");
  if (raw === null) return 0;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > 1000) {
    throw new ApiError(400, "invalid_argument", "invalid limit", { violations: [{ field: "limit", description: "must be a whole number from 1 to 1000" }] });
  }
  return n;
}

const SCOPES: Record<number, string> = { [KeyScope.COMPANY]: "company", [KeyScope.WORKSPACE]: "workspace" };
const STATUSES = ["unspecified", "active", "rotating", "revoked", "expired"];

function keyJson(k: import("@hyrelog/proto").ApiKey) {
  return {
    id: k.id,
    prefix: k.prefix,
    scope: SCOPES[k.scope] ?? "unknown",
    companyId: k.companyId,
    workspaceId: k.workspaceId || null,
    name: k.name,
    ipAllowlist: k.ipAllowlist,
    status: STATUSES[k.status] ?? "unknown",
    createdAt: iso(k.createdAt),
    lastUsedAt: iso(k.lastUsedAt),
    expiresAt: iso(k.expiresAt),
    revokedAt: iso(k.revokedAt),
    rotatedFromId: k.rotatedFromId || null,
  };
}

function iso(t: Timestamp | undefined): string | null {
  return t ? timestampDate(t).toISOString() : null;
}
