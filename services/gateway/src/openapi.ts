/**
 * The OpenAPI 3.1 document served at /openapi.json: every route the gateway serves (the route
 * tables in routes/ and server.ts), with request and response shapes exactly as the routes build
 * them, and exactly the query parameters each route declares. Schemas use JSON Schema draft 2020-12
 * (the OpenAPI 3.1 dialect). tests/api/openapi.test.ts checks the document against the router and
 * against real responses, tests/api/query-parameters.test.ts its query parameters against the
 * router's; change both when a route, a parameter or a body changes.
 */
import { REGION_TARGETS } from "@hyrelog/config";
import { EVENT_FILTER_FIELDS, type EventFilterField } from "@hyrelog/runtime";

type Json = Record<string, unknown>;

const REGIONS = ["us", "eu", "uk", "au"];

/** Every `error.code` the gateway answers with, by HTTP status (errors.ts, http.ts, server.ts). */
const ERROR_CODES: Record<string, string[]> = {
  "400": ["invalid_argument"],
  "401": ["unauthenticated"],
  "403": ["forbidden", "plan_limit"],
  "404": ["not_found"],
  "405": ["method_not_allowed"],
  "409": ["already_exists", "failed_precondition", "conflict"],
  "413": ["payload_too_large"],
  "415": ["unsupported_media_type"],
  "429": ["rate_limited", "plan_limit"],
  "499": ["cancelled"],
  "500": ["internal"],
  "501": ["not_implemented"],
  "503": ["unavailable"],
  "504": ["timeout"],
};

// ---------------------------------------------------------------------------------------------
// Small builders
// ---------------------------------------------------------------------------------------------

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const param = (name: string): Json => ({ $ref: `#/components/parameters/${name}` });
const response = (name: string): Json => ({ $ref: `#/components/responses/${name}` });
const header = (name: string): Json => ({ $ref: `#/components/headers/${name}` });

/** A closed object: every listed property, `required` as given (default: all). */
function object(properties: Record<string, Json>, required: string[] = Object.keys(properties), extra: Json = {}): Json {
  return { type: "object", properties, required, additionalProperties: false, ...extra };
}

const str = (extra: Json = {}): Json => ({ type: "string", ...extra });
const nullableStr = (extra: Json = {}): Json => ({ type: ["string", "null"], ...extra });
const dateTime = (description?: string): Json => ({ type: "string", format: "date-time", ...(description ? { description } : {}) });
const nullableDateTime = (description?: string): Json => ({ type: ["string", "null"], format: "date-time", ...(description ? { description } : {}) });
const uuid = (description?: string): Json => ({ type: "string", format: "uuid", ...(description ? { description } : {}) });
const nullableUuid = (description?: string): Json => ({ type: ["string", "null"], format: "uuid", ...(description ? { description } : {}) });
const hex64 = (description: string): Json => ({ type: "string", pattern: "^[0-9a-f]{64}$", description });

/** Headers on every JSON answer: the rate-limit window that applied, request id and trace. */
function standardHeaders(extra: Record<string, Json> = {}): Record<string, Json> {
  return {
    "X-RateLimit-Limit": header("X-RateLimit-Limit"),
    "X-RateLimit-Remaining": header("X-RateLimit-Remaining"),
    "X-RateLimit-Reset": header("X-RateLimit-Reset"),
    "X-Request-Id": header("X-Request-Id"),
    traceparent: header("traceparent"),
    ...extra,
  };
}

/** A JSON response with the standard headers. */
function jsonResponse(description: string, schema: Json, extraHeaders: Record<string, Json> = {}): Json {
  return { description, headers: standardHeaders(extraHeaders), content: { "application/json": { schema } } };
}

/** An error response whose `error.code` is one of the codes of `status`. */
function errorResponse(status: string, description: string, extraHeaders: Record<string, Json> = {}): Json {
  const codes = ERROR_CODES[status]!;
  const code = codes.length === 1 ? { const: codes[0] } : { enum: codes };
  return jsonResponse(description, { allOf: [ref("Error"), { type: "object", properties: { error: { type: "object", properties: { code } } } }] }, extraHeaders);
}

/** A JSON request body. */
function jsonBody(schema: Json, required: boolean, description?: string): Json {
  return { required, ...(description ? { description } : {}), content: { "application/json": { schema } } };
}

/** Errors every authenticated API route can answer with (400: at least a query parameter it does not take). */
const API_ERRORS: Json = {
  "400": response("BadRequest"),
  "401": response("Unauthenticated"),
  "429": response("RateLimited"),
  "503": response("Unavailable"),
  default: response("Error"),
};

/** Errors of a route that reads a JSON body. */
const BODY_ERRORS: Json = {
  "400": response("BadRequest"),
  "413": response("PayloadTooLarge"),
  "415": response("UnsupportedMediaType"),
};

/** Request headers every operation accepts. */
const TRACE_PARAMS = [param("X-Request-Id"), param("traceparent")];

// ---------------------------------------------------------------------------------------------
// Schemas
// ---------------------------------------------------------------------------------------------

/** The fields of an archive (routes/archives.ts archiveJson). */
const ARCHIVE_PROPERTIES: Record<string, Json> = {
      id: str(),
      workspaceId: nullableStr({ description: "Null for the company's own log." }),
      logId: str(),
      day: str({ description: "UTC day (YYYY-MM-DD) of the first event's receivedAt." }),
      fromSequence: { type: "integer", minimum: 1 },
      toSequence: { type: "integer", minimum: 1 },
      rows: { type: "integer", minimum: 1 },
      bytes: { type: "integer", minimum: 0 },
      sha256: str({ description: "SHA-256 (hex) of the object, gzip bytes." }),
      checkpointTreeSize: { type: "integer", description: "The signed checkpoint inside the archive covers the log up to this size." },
      storageClass: { type: "string", enum: ["STANDARD", "GLACIER"] },
      createdAt: dateTime(),
      verifiedAt: nullableDateTime("When the archival service last found the object exactly as written; null until then."),
      verificationError: nullableStr({ description: "What verification found wrong; the archive stays unverified and its events stay hot." }),
      coldAt: nullableDateTime("When the archive moved to cold storage."),
    };

function schemas(): Record<string, Json> {
  const ingestResultProps: Record<string, Json> = {
    id: uuid("The event's id (UUIDv7). For a duplicate, the id of the event stored first."),
    sequence: { type: "integer", minimum: 1, description: "Position in the workspace's hash chain." },
    hash: hex64("SHA-256 (lowercase hex) of the event's chain document."),
    prevHash: hex64("The previous event's hash; 64 zeros for the first event of a log."),
    receivedAt: dateTime("When HyreLog received the (first) event."),
    status: { type: "string", enum: ["created", "duplicate"], description: "`duplicate`: the idempotency key matched an event stored earlier; nothing new was stored." },
  };

  return {
    Event: object(
      {
        id: uuid("UUIDv7, time-ordered."),
        companyId: uuid(),
        workspaceId: nullableUuid("null for company-level events recorded by HyreLog itself (e.g. API key operations)."),
        projectId: nullableUuid(),
        sequence: { type: "integer", minimum: 1, description: "Position in its log (one log per workspace; one per company for company-level events)." },
        prevHash: hex64("Hash of the previous event of the same log; 64 zeros for the first."),
        hash: hex64("SHA-256 of the canonical JSON of the event's chain document (docs/verification.md)."),
        occurredAt: dateTime("When it happened (the sender's occurredAt, else receivedAt)."),
        receivedAt: dateTime(),
        category: str(),
        action: str(),
        actor: object({ id: nullableStr(), type: nullableStr(), email: nullableStr(), name: nullableStr() }),
        target: object({ id: nullableStr(), type: nullableStr(), name: nullableStr() }),
        changes: { type: "array", items: ref("Change") },
        metadata: { type: "object", description: "The sender's metadata object, as sent." },
        payload: { type: "object", description: "Only on events sent with a payload (absent otherwise): the sender's payload object, as sent; hashed (docs/verification.md, Payload)." },
        context: object(
          { ip: nullableStr(), userAgent: nullableStr(), traceId: nullableStr(), requestId: nullableStr() },
          undefined,
          { description: "Captured by the gateway from the HTTP request that carried the event." },
        ),
        idempotencyKey: nullableStr(),
        v: { type: "integer", enum: [1, 2], description: "The hash-document version (docs/verification.md): 2 for events whose personal values are sealed under their subjects' keys, 1 for events stored before (personal data in the clear, as hashed)." },
        personal: {
          type: "object",
          description:
            'Version 2 only: for each personal value\'s JSON pointer (e.g. "/actor/email"), its commitment and the salt that opens it, ' +
            'or `{"commitment", "erased": true}` once its data subject was erased (the value then reads "[erased]"). The hash covers SHA-256(salt, pointer, value).',
          propertyNames: { type: "string", pattern: "^/" },
          additionalProperties: {
            oneOf: [
              object({ commitment: hex64("SHA-256 (hex) of salt, pointer and the value's canonical JSON."), salt: str({ pattern: "^[0-9a-f]{32}$" }) }),
              object({ commitment: hex64("The commitment the hash still covers."), erased: { const: true } }),
            ],
          },
        },
      },
      ["id", "companyId", "workspaceId", "projectId", "sequence", "prevHash", "hash", "occurredAt", "receivedAt", "category", "action", "actor", "target", "changes", "metadata", "context", "idempotencyKey", "v"],
      {
        description: "A stored audit event, with its place in the tamper-evident hash chain.",
        if: { type: "object", properties: { v: { const: 2 } }, required: ["v"] },
        then: { type: "object", properties: { personal: { type: "object" } }, required: ["personal"] },
      },
    ),

    Change: object(
      {
        field: str({ minLength: 1, maxLength: 256 }),
        old: { description: "Any JSON value. Absent: the field did not exist before (creation). A JSON null is a value." },
        new: { description: "Any JSON value. Absent: the field was removed. A JSON null is a value." },
      },
      ["field"],
      { description: "One field's change." },
    ),

    EventInput: object(
      {
        category: str({ minLength: 1, maxLength: 100, description: "Required; no control characters." }),
        action: str({ minLength: 1, maxLength: 200, description: "Required; no control characters, e.g. `user.role_changed`." }),
        actor: object(
          {
            id: nullableStr({ maxLength: 256 }),
            type: nullableStr({ maxLength: 256 }),
            email: nullableStr({ maxLength: 320, pattern: "^[^\\s@]+@[^\\s@]+$" }),
            name: nullableStr({ maxLength: 256 }),
          },
          [],
          {
            description:
              "Who did it: `id`, or `email` alone (an actor identified by email; its personal values are sealed under a subject derived from the email's blind index, and a GDPR request by email reaches it).",
            anyOf: [
              { type: "object", properties: { id: { type: "string", minLength: 1 } }, required: ["id"] },
              { type: "object", properties: { email: { type: "string", minLength: 1 } }, required: ["email"] },
            ],
          },
        ),
        target: {
          ...object({ id: nullableStr({ maxLength: 256 }), type: nullableStr({ maxLength: 256 }), name: nullableStr({ maxLength: 256 }) }, []),
          type: ["object", "null"],
          description: "What it was done to; `type` is required when `id` is set.",
          if: { type: "object", properties: { id: { type: "string", minLength: 1 } }, required: ["id"] },
          then: { type: "object", properties: { type: { type: "string", minLength: 1 } }, required: ["type"] },
        },
        projectId: nullableUuid("A project of the key's workspace."),
        changes: {
          type: ["array", "null"],
          maxItems: 200,
          items: ref("Change"),
        },
        metadata: { type: ["object", "null"], description: "Any JSON object." },
        payload: {
          type: ["object", "null"],
          description:
            "Any JSON object (the original HyreLog API's payload), stored and hashed as sent and returned with the event; null or absent: none. " +
            "Counts toward the 64 KiB with metadata and changes. Hashed in the clear: personalFields cannot point into it.",
        },
        occurredAt: nullableDateTime("RFC 3339 with an offset; after 1970 and at most 5 minutes in the future. Defaults to the time received."),
        idempotencyKey: nullableStr({
          maxLength: 255,
          description: "A retry with the same key (per workspace) returns the first event, storing nothing. Must equal the Idempotency-Key header if both are sent.",
        }),
        personalFields: {
          type: ["array", "null"],
          maxItems: 50,
          uniqueItems: true,
          items: str({ pattern: "^/" }),
          description:
            'JSON pointers to more personal values, each naming a value of this event in `metadata` or a change\'s `old`/`new`, e.g. ["/metadata/customer/email", "/changes/0/new"]. ' +
            "actor.email, actor.name, target.name and the request's IP and user agent are personal without being listed.",
        },
      },
      ["category", "action", "actor"],
      {
        description:
          "One event to record. Empty strings and nulls count as absent. Limits: metadata, changes and payload together at most 65536 bytes of JSON (64 KiB), " +
          "JSON nested at most 16 levels, no NUL characters in JSON strings or keys, no control characters in the text fields.",
      },
    ),

    EventBatch: object(
      { events: { type: "array", minItems: 1, maxItems: 1000, items: ref("EventInput") } },
      undefined,
      { description: "Up to 1000 events, stored atomically: all of them or, on a 400, none." },
    ),

    IngestResult: object(ingestResultProps, undefined, { description: "The answer to a single-event ingest." }),

    IngestBatchResult: object(
      {
        results: {
          type: "array",
          items: object({ index: { type: "integer", minimum: 0, description: "Position in the request's `events`." }, ...ingestResultProps }),
        },
      },
      undefined,
      { description: "The answer to a batch ingest: one result per event, in request order." },
    ),

    EventPage: object(
      {
        data: { type: "array", items: ref("Event"), description: "Newest first." },
        nextCursor: nullableStr({ description: "Pass as `cursor` (with the same filters) for the next page; null on the last page." }),
        hasMore: { type: "boolean" },
        olderEventsInArchives: {
          type: "boolean",
          const: true,
          description: "Only on the last page, when older events of this scope have left hot storage for archives (GET /v1/archives; export them with source ARCHIVED).",
        },
      },
      ["data", "nextCursor", "hasMore"],
    ),
    Archive: object(ARCHIVE_PROPERTIES),
    ArchiveDownload: object({
      ...ARCHIVE_PROPERTIES,
      downloadUrl: nullableStr({ description: "Presigned S3 GET URL of the gzipped object; null while the archive is cold and not restored." }),
      expiresAt: nullableDateTime("When downloadUrl stops working; GET again for a fresh one."),
    }),
    ArchivePage: object({
      data: { type: "array", items: ref("Archive"), description: "Newest first." },
      nextCursor: nullableStr({ description: "Pass as `cursor` (with the same workspaceId) for the next page; null on the last page." }),
      hasMore: { type: "boolean" },
    }),

    TargetTimeline: object({
      target: object({ type: str(), id: str() }),
      versions: {
        type: "array",
        description: "Oldest first.",
        items: object({
          version: { type: "integer", minimum: 1, description: "1 for the first event that touched the resource; counts across pages." },
          state: { type: "object", description: "Every field's value after this event's changes (removed fields absent)." },
          event: ref("Event"),
        }),
      },
      nextCursor: nullableStr(),
      hasMore: { type: "boolean" },
    }),

    ApiKey: object(
      {
        id: uuid(),
        prefix: str({ description: 'The first characters of the key, for display ("hlk_ws_us_Ab3dEf").' }),
        scope: { type: "string", enum: ["company", "workspace"] },
        companyId: uuid(),
        workspaceId: nullableUuid("Set for workspace keys."),
        name: str(),
        ipAllowlist: { type: "array", items: str(), description: "IP addresses and CIDR ranges the key may be used from; empty means any address." },
        status: { type: "string", enum: ["active", "rotating", "revoked", "expired"], description: "`rotating`: replaced by rotation, valid until `expiresAt`." },
        createdAt: dateTime(),
        lastUsedAt: nullableDateTime(),
        expiresAt: nullableDateTime(),
        revokedAt: nullableDateTime(),
        rotatedFromId: nullableUuid("On a key created by rotation: the key it replaces."),
      },
      undefined,
      { description: "An API key's public description; the secret itself is never returned after creation." },
    ),

    KeyPage: object({
      data: { type: "array", items: ref("ApiKey"), description: "Newest first. Never a secret or a hash." },
      nextCursor: nullableStr({ description: "Pass as `cursor` for the next page; null on the last page." }),
      hasMore: { type: "boolean" },
    }),

    CreateKeyRequest: object(
      {
        name: str({ maxLength: 100, description: 'Defaults to "workspace key".' }),
        ipAllowlist: { type: "array", items: str(), description: 'IP addresses or CIDR ranges, e.g. ["203.0.113.0/24"]; empty or absent means any address.' },
      },
      [],
    ),

    RotateKeyRequest: object(
      {
        gracePeriodSeconds: {
          type: "integer",
          minimum: 0,
          maximum: 2592000,
          description: "How long the old key keeps working (at most 30 days). Default: the server's KEY_ROTATION_GRACE_SECONDS (86400).",
        },
      },
      [],
    ),

    RevokeKeyRequest: object({ reason: str({ description: "Kept with the key (first 500 characters)." }) }, []),

    KeyCreated: object({ key: ref("ApiKey"), secret: str({ pattern: "^hlk_ws_(us|eu|uk|au)_[A-Za-z0-9_-]{43}$", description: "The plaintext key. Returned once." }) }),

    KeyRotated: object({
      key: ref("ApiKey"),
      secret: str({ pattern: "^hlk_(co|ws)_(us|eu|uk|au)_[A-Za-z0-9_-]{43}$", description: "The replacement's plaintext key. Returned once." }),
      previous: { allOf: [ref("ApiKey")], description: "The rotated key: status `rotating` until its `expiresAt`." },
    }),

    KeyRevoked: object({ key: ref("ApiKey") }),

    KeyStatus: object({ key: ref("ApiKey"), region: { type: "string", enum: REGIONS, description: "The data region the key belongs to." } }),

    Checkpoint: object(
      {
        logId: uuid("The log: a workspace id, or the company id for the company's own log."),
        treeSize: { type: "integer", minimum: 1, description: "How many events (sequences 1..treeSize) the tree holds." },
        rootHash: hex64("RFC 9162 Merkle tree hash over the events' hashes, lowercase hex."),
        createdAt: dateTime(),
        keyName: str({ description: "Name of the key that signed it." }),
        signedNote: str({ description: "The C2SP signed note: checkpoint body (origin, size, base64 root, timestamp line), a blank line, signature lines. See docs/verification.md." }),
      },
      undefined,
      { description: "A signed commitment to a log's size and Merkle root." },
    ),

    CheckpointList: object({ data: { type: "array", items: ref("Checkpoint") } }),

    SigningKeys: object({
      keys: {
        type: "array",
        items: object({
          name: str(),
          keyId: str({ pattern: "^[0-9a-f]{8}$" }),
          verifierKey: str({ description: "`<name>+<key id>+<base64(0x01 || Ed25519 public key)>` (C2SP signed-note verifier key)." }),
          validFrom: dateTime(),
          validUntil: nullableDateTime("Set once another key took over; its checkpoints stay valid."),
        }),
      },
    }),

    InclusionProof: object({
      eventId: uuid(),
      logId: uuid(),
      leafIndex: { type: "integer", minimum: 0, description: "sequence - 1" },
      treeSize: { type: "integer", minimum: 1 },
      leaf: hex64("The event's hash: the leaf (hashed with the 0x00 prefix in the tree)."),
      proof: { type: "array", items: hex64("A sibling subtree hash."), description: "RFC 9162 §2.1.3 audit path, bottom up." },
      rootHash: hex64("The tree hash at treeSize."),
      checkpoint: { oneOf: [ref("Checkpoint"), { type: "null" }], description: "The signed checkpoint of this tree size, when there is one." },
    }),

    ConsistencyProof: object({
      logId: uuid(),
      from: { type: "integer", minimum: 1 },
      to: { type: "integer", minimum: 1 },
      proof: { type: "array", items: hex64("A subtree hash."), description: "RFC 9162 §2.1.4 consistency proof." },
      fromRootHash: hex64("The tree hash at `from`."),
      toRootHash: hex64("The tree hash at `to`."),
    }),

    VerifyRequest: object(
      {
        workspaceId: uuid("Company keys: the workspace (absent: the company's own log)."),
        fromSequence: { type: "integer", minimum: 1, description: "Default 1." },
        toSequence: { type: "integer", minimum: 1, description: "Default: the last event." },
      },
      [],
    ),

    VerifyResult: object({
      ok: { type: "boolean" },
      logId: uuid(),
      fromSequence: { type: "integer", minimum: 1 },
      toSequence: { type: "integer", minimum: 0 },
      eventsChecked: { type: "integer", minimum: 0 },
      checkpointsChecked: { type: "integer", minimum: 0 },
      fault: {
        oneOf: [
          object({
            sequence: { type: "integer", minimum: 1, description: "The first sequence number where the stored data disagrees." },
            kind: { type: "string", enum: ["altered", "missing", "reordered", "inserted", "bad_signature"] },
            detail: str(),
          }),
          { type: "null" },
        ],
      },
    }),

    ServiceInfo: object({
      name: { const: "HyreLog" },
      version: str(),
      regions: { type: "array", items: { type: "string", enum: REGIONS }, description: "Regions this gateway serves." },
      docs: { const: "/openapi.json" },
    }),

    Health: object({
      status: { type: "string", enum: ["ok", "degraded"] },
      gateway: { type: "object", additionalProperties: str(), description: "The gateway's own failing checks and why; empty when healthy." },
      regions: {
        type: "object",
        description: `Per region, per service (${REGION_TARGETS.map((t) => `\`${t}\``).join(", ")}): "serving", "not_serving", "unknown", "service_unknown" or "unreachable: <reason>".`,
        additionalProperties: { type: "object", additionalProperties: str() },
      },
    }),

    OpenApiDocument: {
      type: "object",
      required: ["openapi", "info", "paths"],
      properties: { openapi: str({ pattern: "^3\\.1\\.\\d+$" }), info: { type: "object" }, paths: { type: "object" } },
      description: "This document.",
    },

    Violation: object({
      field: str({ description: 'JSON path of the offending value, e.g. "events[3].actor.email"; "body" for the whole body.' }),
      description: str(),
    }),

    Error: object({
      error: object({
        code: { type: "string", enum: [...new Set(Object.values(ERROR_CODES).flat())] },
        message: str({ description: "For people; do not parse." }),
        details: {
          description: "null, or by code: `invalid_argument` → violations; `rate_limited` (from the gateway) → limit and reset; `plan_limit` → the plan's limit.",
          anyOf: [
            { type: "null" },
            object({ violations: { type: "array", items: ref("Violation") } }),
            object({ limit: { type: "integer" }, resetAt: { type: "integer", description: "Unix seconds when the window resets." } }),
            object({ plan: { type: "string", enum: ["UNSPECIFIED", "FREE", "STARTER", "GROWTH", "ENTERPRISE"] }, limit: str(), value: str() }),
          ],
        },
        traceId: str({ pattern: "^[0-9a-f]{32}$", description: "The W3C trace id of the request; quote it when reporting a problem." }),
      }),
    }),
    ...webhookSchemas(),
    ...exportSchemas(),
    ...gdprSchemas(),
    ...analyticsSchemas(),
  };
}

// ---------------------------------------------------------------------------------------------
// Reusable responses, headers and parameters
// ---------------------------------------------------------------------------------------------

function responses(): Record<string, Json> {
  return {
    BadRequest: errorResponse(
      "400",
      "The request is invalid (a body field, a query parameter, or a query parameter the route does not take); `details.violations` says what and where. Nothing was changed.",
    ),
    Unauthenticated: errorResponse("401", "Missing, malformed, unknown, revoked or expired credentials."),
    Forbidden: errorResponse("403", "The key may not do this (scope, IP allowlist or plan)."),
    NotFound: errorResponse("404", "No such resource within the key's scope."),
    Conflict: errorResponse("409", "The resource is not in a state that allows this."),
    PayloadTooLarge: errorResponse("413", "The body is larger than 1 MiB (1048576 bytes); split the batch."),
    UnsupportedMediaType: errorResponse("415", "The body must be sent with `Content-Type: application/json` (or another `application/*+json` type)."),
    RateLimited: errorResponse("429", "A rate limit was exceeded; retry after `Retry-After` seconds.", { "Retry-After": header("Retry-After") }),
    Unavailable: errorResponse("503", "The key's region is not served by this gateway or is unreachable; retry later."),
    Error: jsonResponse("Any other error (404/405 for unknown routes and methods, 5xx), in the same error shape.", ref("Error")),
  };
}

function headers(): Record<string, Json> {
  const rateNote =
    "On authenticated API routes the calling key's window (on key-management routes the stricter key-management window); " +
    "on public and internal routes, and on errors before authentication, the client address's window.";
  return {
    "X-RateLimit-Limit": { description: `Requests allowed in the current one-minute window. ${rateNote}`, required: true, schema: { type: "integer", minimum: 1 } },
    "X-RateLimit-Remaining": { description: "Requests left in the current window.", required: true, schema: { type: "integer", minimum: 0 } },
    "X-RateLimit-Reset": {
      description: "Unix time in seconds (not milliseconds, not an ISO timestamp) when the window resets: the start of the next clock minute. Seconds to wait: X-RateLimit-Reset minus the current Unix time.",
      required: true,
      schema: { type: "integer" },
    },
    "Retry-After": { description: "Seconds to wait before retrying.", required: true, schema: { type: "integer", minimum: 1 } },
    "X-Request-Id": {
      description: "The request's id: the caller's X-Request-Id when it matches `^[\\w.:-]{1,128}$`, else a new UUID. Recorded in events' context.",
      required: true,
      schema: { type: "string", pattern: "^[\\w.:-]{1,128}$" },
    },
    traceparent: {
      description: "W3C trace context of the request: continues the caller's trace when it sent a valid traceparent.",
      required: true,
      schema: { type: "string", pattern: "^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$" },
    },
  };
}

function parameters(): Record<string, Json> {
  const query = (name: string, schema: Json, description: string): Json => ({ name, in: "query", required: false, description, schema });
  return {
    "X-Request-Id": {
      name: "X-Request-Id",
      in: "header",
      required: false,
      description: "Your id for the request (`^[\\w.:-]{1,128}$`); echoed back and recorded in events' context. Otherwise one is generated.",
      schema: { type: "string" },
    },
    traceparent: {
      name: "traceparent",
      in: "header",
      required: false,
      description: "W3C trace context to continue.",
      schema: { type: "string" },
    },
    "Idempotency-Key": {
      name: "Idempotency-Key",
      in: "header",
      required: false,
      description:
        "Makes retries safe. A single event takes it as its idempotencyKey (a different idempotencyKey in the body is a 400). " +
        "In a batch, event i without its own idempotencyKey gets `<Idempotency-Key>#<i>`, which must also fit in 255 characters. Keys are unique per workspace; reusing one for a different event is a 409.",
      schema: { type: "string", minLength: 1, maxLength: 255 },
    },
    limit: query("limit", { type: "integer", minimum: 1, maximum: 1000, default: 50 }, "Page size."),
    pageLimit: query("limit", { type: "integer", minimum: 1, maximum: 100, default: 50 }, "Page size."),
    jobStatus: query("status", { type: "string", enum: JOB_STATUSES }, "Only jobs in this status."),
    cursor: query("cursor", { type: "string" }, "`nextCursor` of the previous page; valid only with the same filters."),
    workspaceId: query("workspaceId", { type: "string", format: "uuid" }, WORKSPACE_FILTER),
  };
}

// ---------------------------------------------------------------------------------------------
// Paths
// ---------------------------------------------------------------------------------------------

function ingestOperation(operationId: string, summary: string, extra: Json = {}): Json {
  return {
    tags: ["Events"],
    operationId,
    summary,
    description:
      "Records one event, or a batch `{\"events\": [...]}` of up to 1000 stored atomically. Needs a workspace key (company keys get 403). " +
      "201 when at least one event was created; 200 when every event was a duplicate of one stored earlier (same idempotency key). " +
      "The body is at most 1 MiB. Beyond the plan's monthly event quota the answer is 429 `plan_limit` (nothing stored), with Retry-After until the month (UTC) ends.",
    parameters: [param("Idempotency-Key"), ...TRACE_PARAMS],
    requestBody: jsonBody({ oneOf: [ref("EventInput"), ref("EventBatch")] }, true),
    responses: {
      "200": jsonResponse("Every event was a duplicate; nothing new was stored.", { oneOf: [ref("IngestResult"), ref("IngestBatchResult")] }),
      "201": jsonResponse("Stored (single event: IngestResult; batch: IngestBatchResult).", { oneOf: [ref("IngestResult"), ref("IngestBatchResult")] }),
      ...BODY_ERRORS,
      "403": response("Forbidden"),
      "409": errorResponse("409", "An idempotency key was already used for a different event (details.violations names it); nothing was stored."),
      ...API_ERRORS,
    },
    ...extra,
  };
}

/**
 * The event filter (runtime's EventFilter): query parameters of GET /v1/events and the keys of an
 * export's `filters`, documented once here for every field the filter has.
 */
const WORKSPACE_FILTER =
  "Company keys: only this workspace; one that is not the company's is a 404. Workspace keys: must be their own workspace (else 403).";
const EVENT_FILTER_DOCS: Record<EventFilterField, { description: string; schema: Json }> = {
  category: { description: "Exact category.", schema: { type: "string" } },
  action: { description: "Exact action.", schema: { type: "string" } },
  projectId: { description: "Project id (UUID): one of the key's (its workspace's, for a workspace key); any other is a 404.", schema: { type: "string", format: "uuid" } },
  workspaceId: { description: WORKSPACE_FILTER, schema: { type: "string", format: "uuid" } },
  actorId: { description: "Exact actor.id.", schema: { type: "string" } },
  actorEmail: { description: "Exact actor.email.", schema: { type: "string" } },
  targetId: { description: "Exact target.id.", schema: { type: "string" } },
  targetType: { description: "Exact target.type.", schema: { type: "string" } },
  from: { description: "Inclusive lower bound on occurredAt: an RFC 3339 timestamp, e.g. 2026-01-31T00:00:00Z.", schema: { type: "string", format: "date-time" } },
  to: { description: "Exclusive upper bound on occurredAt: an RFC 3339 timestamp, e.g. 2026-01-31T00:00:00Z.", schema: { type: "string", format: "date-time" } },
};

function paths(): Record<string, Json> {
  const pathParam = (name: string, description: string, schema: Json = { type: "string" }): Json => ({ name, in: "path", required: true, description, schema });
  const eventFilters = EVENT_FILTER_FIELDS.map((name): Json => (name === "workspaceId" ? param("workspaceId") : { name, in: "query", required: false, ...EVENT_FILTER_DOCS[name] }));
  const keyId = pathParam("keyId", "The key's id (UUID).");
  const keyManagement =
    "Needs a company key whose IP allowlist includes the caller's address. Key-management calls are limited per key " +
    "(default 10 a minute, RATE_LIMIT_KEY_MANAGEMENT_PER_MINUTE), on top of the per-key limit.";

  return {
    "/v1/events": {
      post: ingestOperation("ingestEvents", "Record events"),
      get: {
        tags: ["Events"],
        operationId: "listEvents",
        summary: "List events",
        description: "Events in the key's scope (a workspace key: its workspace; a company key: every workspace), newest first, filtered and paged.",
        parameters: [...eventFilters, param("limit"), param("cursor"), ...TRACE_PARAMS],
        responses: {
          "200": jsonResponse("A page of events.", ref("EventPage")),
          "400": response("BadRequest"),
          "403": response("Forbidden"),
          "404": response("NotFound"),
          ...API_ERRORS,
        },
      },
    },
    "/v1/events/stream": {
      get: {
        tags: ["Events"],
        operationId: "streamEvents",
        summary: "Live tail (Server-Sent Events)",
        description:
          "Events stored from now on in the key's scope, oldest first, as Server-Sent Events (README, \"Live tail\"; docs/events.md). " +
          "The first message is `event: ready` (its `id` is where the stream starts); then one `event: event` per event, whose `data` is the event " +
          "exactly as GET /v1/events/{id} returns it and whose `id` is a resume token. Send the last id you received as `Last-Event-ID` (browsers' " +
          "EventSource does on every reconnect) or `lastEventId` to continue right after it with no gap and no repeat. Comment lines (`: keep-alive`) " +
          "every 15 s (TAIL_HEARTBEAT_MS). A client that reads too slowly gets `event: dropped` with the id to resume from, and the stream ends; " +
          "`event: error` (with the id to resume from) ends it when the region cannot serve it. Takes the filters of GET /v1/events but `to` " +
          "(`to`, `limit` and `cursor` are 400). 409 when the resume point is older than the event stream keeps (7 days): read the gap with " +
          "GET /v1/events and open a new stream without it. 429 beyond TAIL_MAX_STREAMS_PER_KEY open streams of one key (default 10 per gateway).",
        parameters: [
          ...eventFilters.filter((p) => p.name !== "to"),
          { name: "lastEventId", in: "query", required: false, description: "Resume right after this event: the `id` of a message of an earlier stream (the Last-Event-ID header wins when both are sent).", schema: { type: "string" } },
          { name: "Last-Event-ID", in: "header", required: false, description: "Resume right after this event: the `id` of the last message received.", schema: { type: "string" } },
          ...TRACE_PARAMS,
        ],
        responses: {
          "200": {
            description: "The stream: `ready`, then `event` messages (data: Event), until the client closes it or a `dropped` or `error` message ends it.",
            headers: standardHeaders(),
            content: { "text/event-stream": { schema: { type: "string" } } },
          },
          "403": response("Forbidden"),
          "404": response("NotFound"),
          "409": errorResponse("409", "The resume point is older than the event stream keeps (or from a stream since recreated): read the gap with GET /v1/events, then open a new stream without it."),
          ...API_ERRORS,
        },
      },
    },
    "/v1/key/workspace/events": {
      post: ingestOperation("ingestEventsWorkspaceKey", "Record events (alias of POST /v1/events)"),
    },
    "/v1/events/{id}": {
      get: {
        tags: ["Events"],
        operationId: "getEvent",
        summary: "Get one event",
        parameters: [pathParam("id", "The event's id (UUID); anything else is a 404."), ...TRACE_PARAMS],
        responses: {
          "200": jsonResponse("The event.", ref("Event")),
          "404": response("NotFound"),
          ...API_ERRORS,
        },
      },
    },
    "/v1/targets/{type}/{id}/events": {
      get: {
        tags: ["Events"],
        operationId: "listTargetEvents",
        summary: "A resource's history",
        description: "Every event whose target is this resource, oldest first, each with the resource's state after its changes.",
        parameters: [
          pathParam("type", "target.type"),
          pathParam("id", "target.id"),
          param("workspaceId"),
          param("limit"),
          param("cursor"),
          ...TRACE_PARAMS,
        ],
        responses: {
          "200": jsonResponse("A page of the timeline.", ref("TargetTimeline")),
          "400": response("BadRequest"),
          "403": response("Forbidden"),
          "404": response("NotFound"),
          ...API_ERRORS,
        },
      },
    },
    "/v1/keys": {
      get: {
        tags: ["Keys"],
        operationId: "listKeys",
        summary: "List the company's keys",
        description:
          "Needs a company key whose IP allowlist includes the caller's address. Every key of the company (company and workspace keys, in every status), newest first, paged; " +
          "never a secret or a hash.",
        parameters: [param("pageLimit"), param("cursor"), ...TRACE_PARAMS],
        responses: { "200": jsonResponse("A page of keys.", ref("KeyPage")), "403": response("Forbidden"), ...API_ERRORS },
      },
    },
    "/v1/workspaces/{workspaceId}/keys": {
      get: {
        tags: ["Keys"],
        operationId: "listWorkspaceKeys",
        summary: "List a workspace's keys",
        description:
          "Needs a company key whose IP allowlist includes the caller's address. The keys of one workspace of the company, newest first, paged; never a secret or a hash. " +
          "Another company's workspace (or an id that is not one) is 404.",
        parameters: [pathParam("workspaceId", "A workspace of the company (UUID)."), param("pageLimit"), param("cursor"), ...TRACE_PARAMS],
        responses: { "200": jsonResponse("A page of keys.", ref("KeyPage")), "403": response("Forbidden"), "404": response("NotFound"), ...API_ERRORS },
      },
      post: {
        tags: ["Keys"],
        operationId: "createWorkspaceKey",
        summary: "Create a workspace key",
        description: `${keyManagement} The secret is returned once.`,
        parameters: [pathParam("workspaceId", "A workspace of the company (UUID)."), ...TRACE_PARAMS],
        requestBody: jsonBody(ref("CreateKeyRequest"), true),
        responses: {
          "201": jsonResponse("Created.", ref("KeyCreated")),
          ...BODY_ERRORS,
          "403": response("Forbidden"),
          "404": response("NotFound"),
          ...API_ERRORS,
        },
      },
    },
    "/v1/keys/{keyId}/rotate": {
      post: {
        tags: ["Keys"],
        operationId: "rotateKey",
        summary: "Rotate a key",
        description: `${keyManagement} Issues a replacement for an active key of the company; the old key keeps working for the grace period. The body is optional.`,
        parameters: [keyId, ...TRACE_PARAMS],
        requestBody: jsonBody(ref("RotateKeyRequest"), false),
        responses: {
          "201": jsonResponse("The replacement (with its secret) and the rotated key.", ref("KeyRotated")),
          ...BODY_ERRORS,
          "403": response("Forbidden"),
          "404": response("NotFound"),
          "409": response("Conflict"),
          ...API_ERRORS,
        },
      },
    },
    "/v1/keys/{keyId}/revoke": {
      post: {
        tags: ["Keys"],
        operationId: "revokeKey",
        summary: "Revoke a key",
        description:
          "Needs a company key whose IP allowlist includes the caller's address. Revokes a key of the company at once; revoking a revoked key returns it unchanged. " +
          "Limited like the other key-management calls. The body is optional.",
        parameters: [keyId, ...TRACE_PARAMS],
        requestBody: jsonBody(ref("RevokeKeyRequest"), false),
        responses: {
          "200": jsonResponse("The revoked key.", ref("KeyRevoked")),
          ...BODY_ERRORS,
          "403": response("Forbidden"),
          "404": response("NotFound"),
          ...API_ERRORS,
        },
      },
    },
    "/v1/keys/status": {
      get: {
        tags: ["Keys"],
        operationId: "getKeyStatus",
        summary: "The calling key",
        parameters: [...TRACE_PARAMS],
        responses: {
          "200": jsonResponse("The calling key and its region.", ref("KeyStatus")),
          ...API_ERRORS,
        },
      },
    },
    "/v1/checkpoints/latest": {
      get: {
        tags: ["Verification"],
        operationId: "getLatestCheckpoint",
        summary: "The newest signed checkpoint of a log",
        description: "Workspace keys: their workspace. Company keys: `workspaceId`, or the company's own log without it. 404 until the first checkpoint is signed (within CHECKPOINT_INTERVAL_MS of the first event).",
        parameters: [param("workspaceId"), ...TRACE_PARAMS],
        responses: { "200": jsonResponse("The checkpoint.", ref("Checkpoint")), "400": response("BadRequest"), "403": response("Forbidden"), "404": response("NotFound"), ...API_ERRORS },
      },
    },
    "/v1/checkpoints": {
      get: {
        tags: ["Verification"],
        operationId: "listCheckpoints",
        summary: "Checkpoints of a log, oldest first",
        parameters: [
          param("workspaceId"),
          { name: "from", in: "query", required: false, description: "Smallest tree size to list.", schema: { type: "integer", minimum: 1 } },
          param("limit"),
          ...TRACE_PARAMS,
        ],
        responses: { "200": jsonResponse("Checkpoints.", ref("CheckpointList")), "400": response("BadRequest"), "403": response("Forbidden"), "404": response("NotFound"), ...API_ERRORS },
      },
    },
    "/v1/checkpoints/consistency": {
      get: {
        tags: ["Verification"],
        operationId: "getConsistencyProof",
        summary: "Proof that one tree size is a prefix of a larger one",
        parameters: [
          param("workspaceId"),
          { name: "from", in: "query", required: true, description: "The smaller tree size.", schema: { type: "integer", minimum: 1 } },
          { name: "to", in: "query", required: true, description: "The larger tree size.", schema: { type: "integer", minimum: 1 } },
          ...TRACE_PARAMS,
        ],
        responses: { "200": jsonResponse("The proof and both roots.", ref("ConsistencyProof")), "400": response("BadRequest"), "403": response("Forbidden"), "404": response("NotFound"), ...API_ERRORS },
      },
    },
    "/v1/verification/keys": {
      get: {
        tags: ["Verification"],
        operationId: "listSigningKeys",
        summary: "Public keys that sign checkpoints",
        parameters: [...TRACE_PARAMS],
        responses: { "200": jsonResponse("Every key that has signed, with its validity.", ref("SigningKeys")), ...API_ERRORS },
      },
    },
    "/v1/events/{id}/proof": {
      get: {
        tags: ["Verification"],
        operationId: "getInclusionProof",
        summary: "Proof that an event is in a log's tree",
        parameters: [
          { name: "id", in: "path", required: true, schema: { type: "string" } },
          { name: "treeSize", in: "query", required: false, description: "Default: the latest checkpoint's tree size.", schema: { type: "integer", minimum: 1 } },
          ...TRACE_PARAMS,
        ],
        responses: {
          "200": jsonResponse("The audit path.", ref("InclusionProof")),
          "400": response("BadRequest"),
          "404": response("NotFound"),
          "409": errorResponse("409", "No checkpoint covers the event yet (failed_precondition); retry shortly or pass treeSize."),
          ...API_ERRORS,
        },
      },
    },
    "/v1/verify": {
      post: {
        tags: ["Verification"],
        operationId: "verifyRange",
        summary: "Re-verify stored events against their hashes, chain and signed checkpoints",
        description: "Recomputes every event's hash, checks sequences and links, every checkpoint's signature, and (from sequence 1) every checkpoint's root. Reports the first sequence where the stored data disagrees and the kind of fault.",
        parameters: [...TRACE_PARAMS],
        requestBody: jsonBody(ref("VerifyRequest"), false),
        responses: { "200": jsonResponse("The verdict.", ref("VerifyResult")), ...BODY_ERRORS, "403": response("Forbidden"), "404": response("NotFound"), ...API_ERRORS },
      },
    },
    "/": {
      get: {
        tags: ["Service"],
        operationId: "getServiceInfo",
        summary: "Service information",
        security: [],
        parameters: [...TRACE_PARAMS],
        responses: {
          "200": jsonResponse("Name, version, regions served.", ref("ServiceInfo")),
          "400": response("BadRequest"),
          "429": response("RateLimited"),
          default: response("Error"),
        },
      },
    },
    "/openapi.json": {
      get: {
        tags: ["Service"],
        operationId: "getOpenApiDocument",
        summary: "This OpenAPI document",
        security: [],
        parameters: [...TRACE_PARAMS],
        responses: {
          "200": jsonResponse("The OpenAPI 3.1 document.", ref("OpenApiDocument")),
          "400": response("BadRequest"),
          "429": response("RateLimited"),
          default: response("Error"),
        },
      },
    },
    "/internal/health": {
      get: {
        tags: ["Internal"],
        operationId: "getHealth",
        summary: "Readiness of the gateway and every region's services",
        security: [{ internalToken: [] }],
        parameters: [...TRACE_PARAMS],
        responses: {
          "200": jsonResponse("Everything is serving.", ref("Health")),
          "400": response("BadRequest"),
          "401": response("Unauthenticated"),
          "429": response("RateLimited"),
          "503": jsonResponse("Something is not serving (same body, status `degraded`).", ref("Health")),
          default: response("Error"),
        },
      },
    },
    "/internal/metrics": {
      get: {
        tags: ["Internal"],
        operationId: "getMetrics",
        summary: "Prometheus metrics",
        description: "Request counters and latency histograms in the Prometheus text format (version 0.0.4).",
        security: [{ internalToken: [] }],
        parameters: [...TRACE_PARAMS],
        responses: {
          "200": { description: "Prometheus text exposition.", headers: standardHeaders(), content: { "text/plain": { schema: { type: "string" } } } },
          "400": response("BadRequest"),
          "401": response("Unauthenticated"),
          "429": response("RateLimited"),
          default: response("Error"),
        },
      },
    },
    ...webhookPaths(),
    ...exportPaths(),
    ...gdprPaths(),
    ...analyticsPaths(),
  };
}

// ---------------------------------------------------------------------------------------------
// The document
// ---------------------------------------------------------------------------------------------

const DESCRIPTION = `HyreLog records immutable, tamper-evident audit events and serves them back.

## Authentication
Send an API key on every \`/v1\` request: \`Authorization: Bearer hlk_co_...\` or \`Authorization: Bearer hlk_ws_...\`.
Keys look like \`hlk_<co|ws>_<region>_<43 characters>\`.

- **Workspace keys** (\`hlk_ws_...\`) record events into, and read, one workspace.
- **Company keys** (\`hlk_co_...\`) read every workspace of the company (narrow with \`workspaceId\`) and manage keys;
  they cannot record events (403). Creating, rotating and revoking keys needs a company key with an IP allowlist that includes the caller. A key with an IP allowlist is refused (403) from any other address.

## Regions
Each company's data lives in one region: ${REGIONS.map((r) => `\`${r}\``).join(", ")}. The key names its region and the gateway
routes the request there; a region the gateway does not serve answers 503.

## Rate limits
Fixed one-minute windows: per client address (default 600), per key (default 1200) and, for key management, per key (default 10).
Every response carries \`X-RateLimit-Limit\`, \`X-RateLimit-Remaining\` and \`X-RateLimit-Reset\`; a 429 adds \`Retry-After\`.
Limits are counted per gateway replica.

## Errors
Every error has the body \`{"error": {"code", "message", "details", "traceId"}}\`; \`code\` is stable, \`message\` is for people.
Validation errors (400) list every problem in \`details.violations\` and change nothing. Unknown body fields and query
parameters a route does not take (a typo such as \`?acton=\`) are refused like any other invalid input.`;

export function openApiDocument(version: string): Record<string, unknown> {
  return {
    openapi: "3.1.0",
    info: { title: "HyreLog API", version, description: DESCRIPTION, license: { name: "Proprietary", identifier: "LicenseRef-HyreLog-Proprietary" } },
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    servers: [{ url: "/", description: "This gateway" }],
    security: [{ bearerAuth: [] }],
    tags: [
      { name: "Events", description: "Record and read audit events." },
      { name: "Keys", description: "Manage API keys." },
      { name: "Verification", description: "Signed checkpoints, Merkle proofs and re-verification (docs/verification.md)." },
      { name: "Webhooks", description: "Signed deliveries of audit events and notifications to your endpoints (docs/webhooks.md)." },
      { name: "Exports", description: "JSONL and CSV exports of events to the region's S3 bucket, run as jobs (docs/exports.md)." },
      { name: "Jobs", description: "Background work of a company: status, progress, result, cancel (docs/jobs.md)." },
      { name: "GDPR", description: "Subject access and erasure requests with their approvals, and the company export (docs/privacy.md)." },
      { name: "Archives", description: "Events past hot retention, in verified archives in the region's bucket (docs/operations/archival.md)." },
      { name: "Analytics", description: "Event counts per hour or day from rollups kept after ingest (docs/analytics.md)." },
      { name: "Service", description: "Public service information." },
      { name: "Internal", description: "Operations endpoints; need the x-internal-token header." },
    ],
    paths: paths(),
    components: {
      securitySchemes: {
        bearerAuth: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "API key: hlk_co_<region>_... (company) or hlk_ws_<region>_... (workspace)",
          description: "`Authorization: Bearer hlk_co_...` or `Authorization: Bearer hlk_ws_...`.",
        },
        internalToken: { type: "apiKey", in: "header", name: "x-internal-token", description: "The deployment's INTERNAL_TOKEN." },
      },
      schemas: schemas(),
      responses: responses(),
      headers: headers(),
      parameters: parameters(),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Webhooks (routes/webhooks.ts; docs/webhooks.md)
// ---------------------------------------------------------------------------------------------

const WEBHOOK_EVENT_TYPES = ["AUDIT_EVENT_CREATED", "EXPORT_COMPLETED", "CHECKPOINT_PUBLISHED"];

function webhookSchemas(): Record<string, Json> {
  const filters = object(
    {
      categories: { type: "array", items: str(), description: "Audit events only: deliver these categories; empty means all." },
      actions: { type: "array", items: str(), description: 'Audit events only: exact actions, or prefixes ending in ".*" ("user.*"); empty means all.' },
    },
    [],
  );
  return {
    Webhook: object({
      id: uuid(),
      companyId: uuid(),
      workspaceId: uuid(),
      projectId: nullableUuid("Only events of this project; null: every project of the workspace."),
      url: str({ format: "uri" }),
      description: str(),
      events: { type: "array", items: { type: "string", enum: WEBHOOK_EVENT_TYPES } },
      filters: { ...filters, required: ["categories", "actions"] },
      status: { type: "string", enum: ["active", "disabled"] },
      disabledReason: nullableStr({ description: "Why it is disabled: through the API, `410 Gone`, or days of continuous failure." }),
      disabledAt: nullableDateTime(),
      failingSince: nullableDateTime("Start of the current run of failed attempts; null after a success."),
      previousSecretExpiresAt: nullableDateTime("During a rotation overlap: until then the previous secret signs too."),
      createdAt: dateTime(),
      updatedAt: dateTime(),
    }),
    CreateWebhookRequest: object(
      {
        url: str({ description: "http(s) URL on the public internet (no private, loopback, link-local or metadata addresses); redirects are not followed." }),
        events: { type: "array", minItems: 1, items: { type: "string", enum: WEBHOOK_EVENT_TYPES } },
        projectId: uuid("Only events of this project of the workspace."),
        description: str({ maxLength: 500 }),
        filters,
      },
      ["url", "events"],
    ),
    WebhookCreated: object({ webhook: ref("Webhook"), secret: str({ pattern: "^whsec_[A-Za-z0-9+/]+=*$", description: "The signing secret. Returned once (and by rotate-secret)." }) }),
    WebhookOne: object({ webhook: ref("Webhook") }),
    WebhookList: object({ data: { type: "array", items: ref("Webhook") } }),
    WebhookDeleted: object({ id: uuid(), deleted: { const: true } }),
    DisableWebhookRequest: object({ reason: str({ description: "Kept in disabledReason." }) }, []),
    DeliveryAttempt: object({
      number: { type: "integer", minimum: 1, description: "Over the delivery's whole life; replays continue the numbering." },
      round: { type: "integer", minimum: 1, description: "1 for the original sequence of attempts, 2 for the first replay, ..." },
      startedAt: dateTime(),
      statusCode: { type: ["integer", "null"], description: "null when no response arrived." },
      latencyMs: { type: "integer", minimum: 0 },
      error: nullableStr({ description: "Why no response arrived (refused, timeout, network error)." }),
    }),
    Delivery: object({
      id: uuid("Also the `webhook-id` header and the envelope's `id`: the same on every attempt and replay."),
      webhookId: uuid(),
      eventType: { type: "string", enum: WEBHOOK_EVENT_TYPES },
      sourceId: str({ description: "The audit event id, or the notification id." }),
      status: { type: "string", enum: ["pending", "delivered", "failed"] },
      round: { type: "integer", minimum: 1 },
      createdAt: dateTime(),
      nextAttemptAt: nullableDateTime("When pending: the next attempt."),
      deliveredAt: nullableDateTime(),
      attempts: { type: "array", items: ref("DeliveryAttempt") },
    }),
    DeliveryPage: object({ data: { type: "array", items: ref("Delivery") }, nextCursor: nullableStr(), hasMore: { type: "boolean" } }),
    DeliveryReplayed: object({ delivery: ref("Delivery") }),
  };
}

function webhookPaths(): Record<string, Json> {
  const pathParam = (name: string, description: string): Json => ({ name, in: "path", required: true, description, schema: { type: "string" } });
  const management =
    "Needs a company key whose IP allowlist includes the caller's address, on the GROWTH or ENTERPRISE plan (403 `plan_limit` otherwise). " +
    "Changes are limited per key like key management (default 10 a minute) and recorded in the company's audit log.";
  const reading = "Needs a company key whose IP allowlist includes the caller's address.";
  const webhookId = pathParam("id", "A webhook of the company (UUID).");
  const errors = (extra: Record<string, Json> = {}): Json => ({ "403": response("Forbidden"), "404": response("NotFound"), ...extra, ...API_ERRORS });
  const simple = (operationId: string, summary: string, description: string, ok: Json, extra: Record<string, Json> = {}, body?: Json): Json => ({
    post: {
      tags: ["Webhooks"],
      operationId,
      summary,
      description,
      parameters: [webhookId, ...TRACE_PARAMS],
      ...(body ? { requestBody: body } : {}),
      responses: { "200": ok, ...(body ? BODY_ERRORS : {}), ...errors(extra) },
    },
  });
  return {
    "/v1/workspaces/{workspaceId}/webhooks": {
      post: {
        tags: ["Webhooks"],
        operationId: "createWebhook",
        summary: "Register a webhook endpoint",
        description: `${management} GROWTH allows 3 endpoints per company, ENTERPRISE 20. The URL is checked against the SSRF policy now and again at every connection. The signing secret is returned once.`,
        parameters: [pathParam("workspaceId", "A workspace of the company (UUID)."), ...TRACE_PARAMS],
        requestBody: jsonBody(ref("CreateWebhookRequest"), true),
        responses: { "201": jsonResponse("Created, with its secret.", ref("WebhookCreated")), ...BODY_ERRORS, ...errors() },
      },
      get: {
        tags: ["Webhooks"],
        operationId: "listWebhooks",
        summary: "List a workspace's webhook endpoints",
        description: `${reading} Secrets are never listed.`,
        parameters: [pathParam("workspaceId", "A workspace of the company (UUID)."), ...TRACE_PARAMS],
        responses: { "200": jsonResponse("The endpoints, oldest first.", ref("WebhookList")), "400": response("BadRequest"), ...errors() },
      },
    },
    "/v1/webhooks/{id}/disable": simple(
      "disableWebhook",
      "Disable a webhook endpoint",
      `${management} Pending deliveries wait until it is enabled. The body is optional.`,
      jsonResponse("The endpoint.", ref("WebhookOne")),
      {},
      jsonBody(ref("DisableWebhookRequest"), false),
    ),
    "/v1/webhooks/{id}/enable": simple("enableWebhook", "Enable a webhook endpoint", `${management} Clears the disabled reason and failure streak; pending deliveries resume.`, jsonResponse("The endpoint.", ref("WebhookOne"))),
    "/v1/webhooks/{id}/rotate-secret": simple(
      "rotateWebhookSecret",
      "Rotate a webhook's signing secret",
      `${management} Returns the new secret once; the previous one keeps signing alongside it (two \`v1,\` signatures in webhook-signature) for 24 hours.`,
      jsonResponse("The endpoint and its new secret.", ref("WebhookCreated")),
    ),
    "/v1/webhooks/{id}": {
      get: {
        tags: ["Webhooks"],
        operationId: "getWebhook",
        summary: "Get a webhook endpoint",
        description: `${reading} Never its secret.`,
        parameters: [webhookId, ...TRACE_PARAMS],
        responses: { "200": jsonResponse("The endpoint.", ref("WebhookOne")), ...errors() },
      },
      delete: {
        tags: ["Webhooks"],
        operationId: "deleteWebhook",
        summary: "Delete a webhook endpoint",
        description: `${management.replace(", on the GROWTH or ENTERPRISE plan (403 `plan_limit` otherwise)", "")} Its deliveries are deleted with it.`,
        parameters: [webhookId, ...TRACE_PARAMS],
        responses: { "200": jsonResponse("Deleted.", ref("WebhookDeleted")), ...errors() },
      },
    },
    "/v1/webhooks/{id}/deliveries": {
      get: {
        tags: ["Webhooks"],
        operationId: "listWebhookDeliveries",
        summary: "List an endpoint's deliveries",
        description: `${reading} Newest first, each with every attempt (time, status code, latency, error) and the next attempt time.`,
        parameters: [
          webhookId,
          { name: "limit", in: "query", required: false, schema: { type: "integer", minimum: 1, maximum: 100, default: 50 }, description: "Page size." },
          { name: "cursor", in: "query", required: false, schema: { type: "string" }, description: "`nextCursor` of the previous page." },
          { name: "status", in: "query", required: false, schema: { type: "string", enum: ["pending", "delivered", "failed"] }, description: "Only deliveries in this status." },
          ...TRACE_PARAMS,
        ],
        responses: { "200": jsonResponse("A page of deliveries.", ref("DeliveryPage")), "400": response("BadRequest"), ...errors() },
      },
    },
    "/v1/webhooks/{id}/deliveries/{deliveryId}/replay": {
      post: {
        tags: ["Webhooks"],
        operationId: "replayWebhookDelivery",
        summary: "Replay a delivery",
        description: `${management} Starts a new sequence of up to 5 attempts with the same webhook-id. 409 while the delivery is still pending or the endpoint is disabled.`,
        parameters: [webhookId, pathParam("deliveryId", "A delivery of this webhook (UUID)."), ...TRACE_PARAMS],
        responses: { "202": jsonResponse("Queued: the delivery, pending again.", ref("DeliveryReplayed")), ...errors({ "409": response("Conflict") }) },
      },
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Exports and jobs (routes/exports.ts, routes/jobs.ts; docs/exports.md, docs/jobs.md)
// ---------------------------------------------------------------------------------------------

const JOB_STATUSES = ["PENDING", "PROCESSING", "COMPLETED", "FAILED", "CANCELLED"];

function exportSchemas(): Record<string, Json> {
  const filterProps = Object.fromEntries(EVENT_FILTER_FIELDS.map((f) => [f, { ...EVENT_FILTER_DOCS[f].schema, description: EVENT_FILTER_DOCS[f].description }]));
  const progress = object({ done: { type: "integer", minimum: 0 }, total: { type: ["integer", "null"], minimum: 0 } });
  return {
    ExportFilters: object(filterProps, [], { description: "The query parameters of GET /v1/events, as an object." }),
    CreateExportRequest: object(
      {
        source: { type: "string", enum: ["HOT", "ARCHIVED", "HOT_AND_ARCHIVED"], description: "HOT: events in the database. ARCHIVED needs GROWTH or above; until archival runs it completes with 0 rows and a message." },
        format: { type: "string", enum: ["JSONL", "CSV"] },
        filters: ref("ExportFilters"),
        limit: { type: "integer", minimum: 1, description: "At most this many events, the newest." },
        from: { type: "string", format: "date-time", description: "Same as filters.from (the original HyreLog API's place for it); not both." },
        to: { type: "string", format: "date-time", description: "Same as filters.to (the original HyreLog API's place for it); not both." },
      },
      ["source", "format"],
    ),
    ExportCreated: object({ jobId: uuid(), status: { type: "string", enum: JOB_STATUSES } }),
    Export: object({
      jobId: uuid(),
      status: { type: "string", enum: JOB_STATUSES },
      source: { type: "string", enum: ["HOT", "ARCHIVED", "HOT_AND_ARCHIVED"] },
      format: { type: "string", enum: ["JSONL", "CSV"] },
      filters: ref("ExportFilters"),
      progress,
      attempts: { type: "integer", minimum: 0 },
      maxAttempts: { type: "integer", minimum: 1 },
      rowCount: { type: ["integer", "null"], minimum: 0 },
      bytes: { type: ["integer", "null"], minimum: 0 },
      sha256: { type: ["string", "null"], pattern: "^[0-9a-f]{64}$", description: "SHA-256 of the file." },
      message: nullableStr({ description: 'E.g. "no archives yet: ..." for archived sources before archival exists.' }),
      error: nullableStr({ description: "Why the last attempt failed; the final reason once FAILED." }),
      downloadUrl: nullableStr({ description: "Once COMPLETED: a presigned S3 GET URL, valid until expiresAt (EXPORT_DOWNLOAD_URL_TTL_SECONDS)." }),
      expiresAt: nullableDateTime("When downloadUrl stops working; GET again for a fresh one."),
      fileExpiresAt: nullableDateTime("When the file is deleted (EXPORT_RETENTION_DAYS)."),
      createdAt: dateTime(),
      finishedAt: nullableDateTime(),
    }),
    Job: object(jobProperties()),
    ExportPage: object({
      data: { type: "array", items: ref("Export"), description: "Newest first; downloadUrl and its expiry are null here (GET /v1/exports/{jobId} for them)." },
      nextCursor: nullableStr({ description: "Pass as `cursor` (with the same status) for the next page; null on the last page." }),
      hasMore: { type: "boolean" },
    }),
    JobPage: object({
      data: { type: "array", items: ref("Job"), description: "Newest first." },
      nextCursor: nullableStr({ description: "Pass as `cursor` (with the same status and type) for the next page; null on the last page." }),
      hasMore: { type: "boolean" },
    }),
  };
}

/** The fields of a job (routes/jobs.ts jobJson), shared by Job and the company export. */
function jobProperties(): Record<string, Json> {
  return {
    id: uuid(),
    type: str({ description: 'e.g. "export", "gdpr-company-export"' }),
    status: { type: "string", enum: JOB_STATUSES },
    companyId: uuid(),
    workspaceId: nullableUuid(),
    attempts: { type: "integer", minimum: 0 },
    maxAttempts: { type: "integer", minimum: 1 },
    timeoutMs: { type: "integer", minimum: 1, description: "One attempt's time limit." },
    progress: object({ done: { type: "integer", minimum: 0 }, total: { type: ["integer", "null"], minimum: 0 } }),
    params: { type: "object", description: "The job type's parameters." },
    result: { type: ["object", "null"], description: "Once COMPLETED: the job type's result." },
    error: nullableStr(),
    requestedByKeyId: nullableStr({ description: "The API key (UUID) that asked for the job, or `dashboard:<user id>` for a person in HyreLog's dashboard." }),
    createdAt: dateTime(),
    startedAt: nullableDateTime(),
    finishedAt: nullableDateTime(),
  };
}

function exportPaths(): Record<string, Json> {
  const jobId = { name: "jobId", in: "path", required: true, description: "A job of the caller's company (UUID).", schema: { type: "string" } };
  const who = "A company key, or a workspace key for its own workspace's jobs; another company's job is 404.";
  const getJob = (operationId: string, summary: string, extra: string): Json => ({
    get: {
      tags: ["Jobs"],
      operationId,
      summary,
      description: `${who} ${extra}`,
      parameters: [jobId, ...TRACE_PARAMS],
      responses: { "200": jsonResponse("The job.", ref("Job")), "403": response("Forbidden"), "404": response("NotFound"), ...API_ERRORS },
    },
  });
  return {
    "/v1/exports": {
      get: {
        tags: ["Exports"],
        operationId: "listExports",
        summary: "List exports",
        description: `${who.replace("another company's job is 404", "each sees its own")} Newest first, paged, optionally by status.`,
        parameters: [param("jobStatus"), param("pageLimit"), param("cursor"), ...TRACE_PARAMS],
        responses: { "200": jsonResponse("A page of exports.", ref("ExportPage")), "403": response("Forbidden"), ...API_ERRORS },
      },
      post: {
        tags: ["Exports"],
        operationId: "createExport",
        summary: "Export events to a JSONL or CSV file",
        description:
          "Exports the events GET /v1/events would list for these filters, newest first, as of now. A company key, or a workspace key for its workspace. " +
          "Plan rules are checked before any work: exports need STARTER or above, archived sources GROWTH or above, and the row count (after `limit`) must be within the plan's per-export limit " +
          "(FREE 10,000, STARTER 250,000, GROWTH 1,000,000, ENTERPRISE unlimited); otherwise 403 `plan_limit` naming the limit. Poll GET /v1/exports/{jobId}.",
        parameters: [...TRACE_PARAMS],
        requestBody: jsonBody(ref("CreateExportRequest"), true),
        responses: { "202": jsonResponse("Queued.", ref("ExportCreated")), ...BODY_ERRORS, "403": response("Forbidden"), "404": response("NotFound"), ...API_ERRORS },
      },
    },
    "/v1/exports/{jobId}": {
      get: {
        tags: ["Exports"],
        operationId: "getExport",
        summary: "An export's status, progress and download link",
        description: `${who} Once COMPLETED: row count, bytes, SHA-256 and a fresh presigned download URL.`,
        parameters: [jobId, ...TRACE_PARAMS],
        responses: { "200": jsonResponse("The export.", ref("Export")), "403": response("Forbidden"), "404": response("NotFound"), ...API_ERRORS },
      },
    },
    "/v1/exports/{jobId}/download": {
      get: {
        tags: ["Exports"],
        operationId: "downloadExport",
        summary: "Download an export's file through the gateway",
        description: `${who} Streams the file from S3, for clients that cannot reach the bucket. 409 until the export is COMPLETED; 404 once the file is past its retention.`,
        parameters: [jobId, ...TRACE_PARAMS],
        responses: {
          "200": {
            description: "The file.",
            headers: standardHeaders({
              "X-Content-SHA256": { description: "SHA-256 of the file.", schema: { type: "string", pattern: "^[0-9a-f]{64}$" } },
              "Content-Disposition": { description: "attachment; filename=...", schema: { type: "string" } },
            }),
            content: { "text/csv": { schema: { type: "string" } }, "application/x-ndjson": { schema: { type: "string" } } },
          },
          "403": response("Forbidden"),
          "404": response("NotFound"),
          "409": response("Conflict"),
          "503": response("Unavailable"),
          ...API_ERRORS,
        },
      },
    },
    "/v1/jobs": {
      get: {
        tags: ["Jobs"],
        operationId: "listJobs",
        summary: "List jobs",
        description: "A company key sees every job of its company, a workspace key its own workspace's. Newest first, paged, optionally by status and type.",
        parameters: [
          param("jobStatus"),
          { name: "type", in: "query", required: false, description: 'Only jobs of this type, e.g. "export".', schema: { type: "string" } },
          param("pageLimit"),
          param("cursor"),
          ...TRACE_PARAMS,
        ],
        responses: { "200": jsonResponse("A page of jobs.", ref("JobPage")), "403": response("Forbidden"), ...API_ERRORS },
      },
    },
    "/v1/archives": {
      get: {
        tags: ["Archives"],
        operationId: "listArchives",
        summary: "List the archives of events past hot retention",
        description:
          "A company key sees every archive of its company (or one workspace's with workspaceId), a workspace key its own workspace's. Each archive is a gzipped JSON-lines object that `hyrelog verify --archive` checks offline (docs/verification.md, Archives).",
        parameters: [
          { name: "workspaceId", in: "query", required: false, description: "Only this workspace's archives (company keys).", schema: { type: "string" } },
          param("pageLimit"),
          param("cursor"),
          ...TRACE_PARAMS,
        ],
        responses: { "200": jsonResponse("A page of archives.", ref("ArchivePage")), "403": response("Forbidden"), ...API_ERRORS },
      },
    },
    "/v1/archives/{id}": {
      get: {
        tags: ["Archives"],
        operationId: "getArchive",
        summary: "One archive, with a download URL",
        description:
          "The archive and a presigned S3 URL of its object (valid EXPORT_DOWNLOAD_URL_TTL_SECONDS) while it is readable: null while it is in cold storage and not restored (dashboard restore requests).",
        parameters: [{ name: "id", in: "path", required: true, description: "An archive of the company (UUID).", schema: { type: "string" } }, ...TRACE_PARAMS],
        responses: { "200": jsonResponse("The archive.", ref("ArchiveDownload")), "403": response("Forbidden"), "404": response("NotFound"), ...API_ERRORS },
      },
    },
    "/v1/jobs/{jobId}": getJob("getJob", "A job's status, progress and result", "Any job type (exports now; archival, GDPR and restores later)."),
    "/v1/key/company/jobs/{jobId}": getJob("getCompanyJob", "A job of the company key's company", "Company keys only (403 for a workspace key)."),
    "/v1/jobs/{jobId}/cancel": {
      post: {
        tags: ["Jobs"],
        operationId: "cancelJob",
        summary: "Cancel a pending or running job",
        description: `${who} A running attempt stops within seconds; a finished job answers 409.`,
        parameters: [jobId, ...TRACE_PARAMS],
        responses: { "200": jsonResponse("The cancelled job.", ref("Job")), "403": response("Forbidden"), "404": response("NotFound"), "409": response("Conflict"), ...API_ERRORS },
      },
    },
  };
}

// ---------------------------------------------------------------------------------------------
// GDPR (routes/gdpr.ts; services/gdpr; docs/privacy.md)
// ---------------------------------------------------------------------------------------------

const GDPR_REQUEST_STATUSES = ["PENDING_APPROVAL", "APPROVED", "REJECTED", "CANCELLED", "COMPLETED", "FAILED"];

function gdprSchemas(): Record<string, Json> {
  const download = {
    oneOf: [
      object({
        url: str({ description: "A presigned S3 GET URL, valid until expiresAt (EXPORT_DOWNLOAD_URL_TTL_SECONDS); GET again for a fresh one." }),
        expiresAt: dateTime(),
        bytes: { type: "integer", minimum: 0 },
        sha256: str({ pattern: "^[0-9a-f]{64}$", description: "SHA-256 of the file." }),
      }),
      { type: "null" },
    ],
  };
  const request: Record<string, Json> = {
    id: uuid(),
    companyId: uuid(),
    kind: { type: "string", enum: ["ACCESS", "ERASURE"], description: "ACCESS: a file of every event naming the subject. ERASURE: destroys the subject's keys once approved." },
    subject: {
      oneOf: [
        object({ id: str({ description: "The actor.id / target.id your events use." }) }),
        object({ email: str({ description: "Never stored: the request is matched by the email's keyed blind index, and this field says so." }) }),
      ],
    },
    reason: nullableStr(),
    status: { type: "string", enum: GDPR_REQUEST_STATUSES, description: "ACCESS requests start APPROVED; ERASURE requests wait in PENDING_APPROVAL. FAILED: the request's job failed (see error)." },
    requestedBy: str({ description: "`key:<API key id>`, or `dashboard:<user id>` for a person in HyreLog's dashboard." }),
    approvalsNeeded: object({
      customer: { type: "boolean", description: "An erasure needs the approval of someone other than who asked." },
      hyrelogAdmin: { type: "boolean", description: "The plan (gdprHyrelogApproval) also needs a HyreLog admin's approval." },
    }),
    approvals: {
      type: "array",
      description: "Oldest first.",
      items: object({
        decidedBy: str(),
        role: { type: "string", enum: ["CUSTOMER", "HYRELOG_ADMIN"] },
        decision: { type: "string", enum: ["APPROVE", "REJECT"] },
        comment: nullableStr(),
        createdAt: dateTime(),
      }),
    },
    jobId: nullableUuid("The job that carries the request out, once approved."),
    result: {
      type: ["object", "null"],
      description: "Once COMPLETED: the job's result (an erasure: subjectsErased, eventsCovered, eventsNotErasable).",
    },
    error: nullableStr({ description: "Why the job failed." }),
    download: { ...download, description: "GET /v1/gdpr/requests/{id} of a COMPLETED access request: its file (JSONL: a manifest line, then the subject's events). null otherwise." },
    createdAt: dateTime(),
    updatedAt: dateTime(),
  };
  return {
    GdprRequest: object(request, undefined, { description: "A data subject's access or erasure request. Holds no personal data of the subject." }),
    GdprRequestDetail: object({ ...request, job: { oneOf: [ref("Job"), { type: "null" }], description: "The request's job, once it has one." } }),
    GdprRequestPage: object({
      data: { type: "array", items: ref("GdprRequest"), description: "Newest first." },
      nextCursor: nullableStr({ description: "Pass as `cursor` (with the same status) for the next page; null on the last page." }),
      hasMore: { type: "boolean" },
    }),
    CreateGdprRequest: object(
      {
        kind: { type: "string", enum: ["ACCESS", "ERASURE"] },
        subject: {
          description: "The data subject, by exactly one of id (the actor.id / target.id your events use) or email.",
          oneOf: [object({ id: str({ minLength: 1, maxLength: 256 }) }), object({ email: str({ maxLength: 320, pattern: "^[^\\s@]+@[^\\s@]+$" }) })],
        },
        reason: nullableStr({ maxLength: 1000, description: "Required for an erasure (e.g. the data subject's request of 2026-12-01); multi-line text." }),
      },
      ["kind", "subject"],
      {
        if: { type: "object", properties: { kind: { const: "ERASURE" } }, required: ["kind"] },
        then: { type: "object", properties: { reason: { type: "string", minLength: 1 } }, required: ["reason"] },
      },
    ),
    GdprDecision: object({ comment: nullableStr({ maxLength: 1000, description: "Kept with the decision; multi-line text." }) }, []),
    CompanyExport: object(
      { ...jobProperties(), download: { ...download, description: "Once COMPLETED and until the file's retention ends: the file (JSONL: every record HyreLog holds about the company, then its events)." } },
      undefined,
      { description: "The company export's job, with its file." },
    ),
  };
}

function gdprPaths(): Record<string, Json> {
  const requestId = { name: "id", in: "path", required: true, description: "A GDPR request of the company (UUID); another company's is a 404.", schema: { type: "string" } };
  const companyKey = "Needs a company key (403 for a workspace key).";
  const recorded = "Recorded in the company's audit log, without the subject's data.";
  const who = `${companyKey} On STARTER or above (403 \`plan_limit\` on FREE: \`gdprWorkflows\`). ${recorded}`;
  const errors = (extra: Record<string, Json> = {}): Json => ({ "403": response("Forbidden"), "404": response("NotFound"), ...extra, ...API_ERRORS });
  const decision = (operationId: string, summary: string, description: string): Json => ({
    post: {
      tags: ["GDPR"],
      operationId,
      summary,
      description: `${companyKey} ${description} ${recorded}`,
      parameters: [requestId, ...TRACE_PARAMS],
      requestBody: jsonBody(ref("GdprDecision"), false),
      responses: { "200": jsonResponse("The request.", ref("GdprRequest")), ...BODY_ERRORS, ...errors({ "409": response("Conflict") }) },
    },
  });
  return {
    "/v1/gdpr/requests": {
      post: {
        tags: ["GDPR"],
        operationId: "createGdprRequest",
        summary: "Ask for a data subject's access or erasure",
        description:
          `${who} An access request runs at once: poll GET /v1/gdpr/requests/{id} for its file. ` +
          "An erasure waits for the approval of someone other than who asked (another key, or a person in the dashboard), and of a HyreLog admin where the plan says so; then it destroys the subject's keys, so their values read \"[erased]\" everywhere while every hash and proof still verifies.",
        parameters: [...TRACE_PARAMS],
        requestBody: jsonBody(ref("CreateGdprRequest"), true),
        responses: { "201": jsonResponse("Created.", ref("GdprRequest")), ...BODY_ERRORS, ...errors() },
      },
      get: {
        tags: ["GDPR"],
        operationId: "listGdprRequests",
        summary: "List the company's GDPR requests",
        description: `${companyKey} Newest first.`,
        parameters: [
          { name: "status", in: "query", required: false, schema: { type: "string", enum: GDPR_REQUEST_STATUSES }, description: "Only requests in this status." },
          { name: "limit", in: "query", required: false, schema: { type: "integer", minimum: 1, maximum: 100, default: 50 }, description: "Page size." },
          { name: "cursor", in: "query", required: false, schema: { type: "string" }, description: "`nextCursor` of the previous page." },
          ...TRACE_PARAMS,
        ],
        responses: { "200": jsonResponse("A page of requests.", ref("GdprRequestPage")), "403": response("Forbidden"), ...API_ERRORS },
      },
    },
    "/v1/gdpr/requests/{id}": {
      get: {
        tags: ["GDPR"],
        operationId: "getGdprRequest",
        summary: "A GDPR request, its job and its file",
        description: `${companyKey} A COMPLETED access request comes with a fresh download URL of its file.`,
        parameters: [requestId, ...TRACE_PARAMS],
        responses: { "200": jsonResponse("The request.", ref("GdprRequestDetail")), ...errors() },
      },
    },
    "/v1/gdpr/requests/{id}/approve": decision(
      "approveGdprRequest",
      "Approve a pending erasure",
      "Whoever asked for it cannot approve it (403). The erasure starts once every approval it needs is in. 409 unless the request is a PENDING_APPROVAL erasure, or if this caller already decided.",
    ),
    "/v1/gdpr/requests/{id}/reject": decision(
      "rejectGdprRequest",
      "Reject a pending erasure",
      "Whoever asked for it cannot reject it (403; they cancel it). One rejection makes it REJECTED. 409 unless the request is a PENDING_APPROVAL erasure.",
    ),
    "/v1/gdpr/requests/{id}/cancel": {
      post: {
        tags: ["GDPR"],
        operationId: "cancelGdprRequest",
        summary: "Cancel a pending erasure",
        description: `${companyKey} Takes no body. 409 unless the request is PENDING_APPROVAL. ${recorded}`,
        parameters: [requestId, ...TRACE_PARAMS],
        responses: { "200": jsonResponse("The cancelled request.", ref("GdprRequest")), "400": response("BadRequest"), ...errors({ "409": response("Conflict") }) },
      },
    },
    "/v1/key/company/gdpr/export": {
      post: {
        tags: ["GDPR"],
        operationId: "createCompanyExport",
        summary: "Export everything HyreLog holds about the company",
        description:
          `${companyKey} On STARTER or above (403 \`plan_limit\` on FREE). Queues a job writing the company, its workspaces, projects, API keys (no key hashes), " +
          "webhook endpoints (no secrets), usage, GDPR requests and every event to one JSONL file; EXPORT_COMPLETED is sent when it is done. Takes no body. Poll GET /v1/gdpr/exports/{jobId}.`,
        parameters: [...TRACE_PARAMS],
        responses: { "202": jsonResponse("Queued.", ref("ExportCreated")), "400": response("BadRequest"), "403": response("Forbidden"), ...API_ERRORS },
      },
    },
    "/v1/gdpr/exports/{jobId}": {
      get: {
        tags: ["GDPR"],
        operationId: "getCompanyExport",
        summary: "A company export's status and file",
        description: `${companyKey} Any job that is not a company export of the company is a 404.`,
        parameters: [{ name: "jobId", in: "path", required: true, description: "The company export's job id (UUID).", schema: { type: "string" } }, ...TRACE_PARAMS],
        responses: { "200": jsonResponse("The job, with its file once COMPLETED.", ref("CompanyExport")), ...errors() },
      },
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Analytics (routes/analytics.ts; services/query/src/analytics.ts; docs/analytics.md)
// ---------------------------------------------------------------------------------------------

const ANALYTICS_DIMENSIONS = ["category", "action", "actor", "project", "workspace"];

function analyticsSchemas(): Record<string, Json> {
  const count = { type: "integer", minimum: 0 };
  const groups = { type: "array", items: ref("AnalyticsGroup") };
  return {
    AnalyticsGroup: object({
      key: nullableStr({ description: "The category, action, actor id, project id or workspace id. Null: events without one (no project, the company's own log, an actor identified by email alone)." }),
      count,
    }),
    AnalyticsBucket: object({
      start: dateTime("The bucket's first instant (UTC); it lasts one hour or one day."),
      count,
      groups: { ...groups, description: "The shown groups with events in this bucket, largest first." },
      other: { ...count, description: "Events of groups beyond `limit`." },
    }),
    EventCounts: object({
      from: dateTime("The range counted, from (inclusive): `from` widened to a whole bucket."),
      to: dateTime("The range counted, to (exclusive): `to` widened to a whole bucket."),
      interval: { type: "string", enum: ["hour", "day"] },
      groupBy: { type: ["string", "null"], enum: [...ANALYTICS_DIMENSIONS, null] },
      timeZone: { const: "UTC", description: "Buckets are UTC hours and UTC days." },
      total: count,
      groups: { ...groups, description: "The `limit` largest groups over the range, largest first (ties by key); empty without groupBy." },
      other: { ...count, description: "Events of every other group." },
      buckets: { type: "array", items: ref("AnalyticsBucket"), description: "Every bucket of the range, oldest first, empty ones included." },
      asOf: dateTime("The counts hold every event of the scope stored before this time."),
      pendingEvents: { ...count, description: "Events of the scope stored but not counted yet (0: up to date; the rollups follow ingest within about a second)." },
    }),
  };
}

function analyticsPaths(): Record<string, Json> {
  const query = (name: string, description: string, schema: Json): Json => ({ name, in: "query", required: false, description, schema });
  const refused = "Refused (400): the rollups keep no actor emails and no targets.";
  const filters = EVENT_FILTER_FIELDS.map((name): Json => {
    if (name === "workspaceId") return param("workspaceId");
    if (name === "actorEmail" || name === "targetId" || name === "targetType") return query(name, refused, { type: "string" });
    if (name === "from") return query(name, "Start of the range (RFC 3339), widened down to a whole bucket. Default: 7 days before `to`.", { type: "string", format: "date-time" });
    if (name === "to") return query(name, "End of the range (RFC 3339, exclusive), widened up to a whole bucket. Default: the end of the current hour or day.", { type: "string", format: "date-time" });
    return { name, in: "query", required: false, ...EVENT_FILTER_DOCS[name] };
  });
  return {
    "/v1/analytics/events": {
      get: {
        tags: ["Analytics"],
        operationId: "countEvents",
        summary: "Count events per hour or day, by one dimension",
        description:
          "Counts of the key's events (a workspace key: its workspace; a company key: every workspace, or one with workspaceId) per UTC hour or day of occurredAt, " +
          "optionally split by category, action, actor (id), project or workspace, with the filters of GET /v1/events that rollups can answer. " +
          "Answered from hourly rollups kept after ingest, never by scanning events: `asOf` and `pendingEvents` say how fresh they are. " +
          "Hourly buckets cover at most 31 days, daily ones 366.",
        parameters: [
          ...filters,
          query("interval", "Bucket size.", { type: "string", enum: ["hour", "day"], default: "day" }),
          query("groupBy", "Split each bucket by this dimension (actor: the actor's id). None: totals only.", { type: "string", enum: ANALYTICS_DIMENSIONS }),
          query("limit", "With groupBy: at most this many groups (the largest over the range); the rest are counted as `other`.", { type: "integer", minimum: 1, maximum: 100, default: 10 }),
          ...TRACE_PARAMS,
        ],
        responses: {
          "200": jsonResponse("The counts.", ref("EventCounts")),
          "400": response("BadRequest"),
          "403": response("Forbidden"),
          "404": response("NotFound"),
          ...API_ERRORS,
        },
      },
    },
  };
}
