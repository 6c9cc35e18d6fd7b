/**
 * The REST API's JSON Schema (2020-12, the dialect of OpenAPI 3.1): small builders, and the
 * schemas and parameters more than one route table uses (the event, a job, the error shape, the
 * event filter, paging). Route tables declare each route's operation with them (routes/shared.ts
 * `Route.doc`); the dispatcher validates query values and request bodies against those very
 * objects (request-validation.ts) and openapi.ts builds /openapi.json from them. A schema given a name with
 * `named()` becomes a component of the document, referred to by `$ref` wherever it is used.
 */
import { EVENT_FILTER_FIELDS, type EventFilterField } from "@hyrelog/runtime";

export type Json = Record<string, unknown>;

export const REGIONS = ["us", "eu", "uk", "au"];

/** What the API takes as an email address, and as a JSON pointer (`pattern`s). */
export const EMAIL_PATTERN = "^[^\\s@]+@[^\\s@]+$";
export const POINTER_PATTERN = "^/";

/** Patterns in words, for the violations request-validation.ts reports ("must be an email address..."). */
export const PATTERN_WORDS: Record<string, string> = {
  [EMAIL_PATTERN]: "an email address (name@domain)",
  [POINTER_PATTERN]: "a JSON pointer such as /metadata/customer/email",
};

const NAME = Symbol("component name");

/** The schema as the component `name` of /openapi.json (a copy: changing a spread of it makes an anonymous schema). */
export function named<T extends Json>(name: string, schema: T): T {
  const copy = { ...schema };
  Object.defineProperty(copy, NAME, { value: name, enumerable: false });
  return copy;
}

/** The component name `named()` gave a schema, if any. */
export function nameOf(schema: object): string | undefined {
  return (schema as { [NAME]?: string })[NAME];
}

// ---------------------------------------------------------------------------------------------
// Schema builders
// ---------------------------------------------------------------------------------------------

/** A closed object: every listed property, `required` as given (default: all). Unknown fields are refused. */
export function object(properties: Record<string, Json>, required: string[] = Object.keys(properties), extra: Json = {}): Json {
  return { type: "object", properties, required, additionalProperties: false, ...extra };
}

const withDescription = (schema: Json, description?: string): Json => (description ? { ...schema, description } : schema);
export const str = (extra: Json = {}): Json => ({ type: "string", ...extra });
export const nullableStr = (extra: Json = {}): Json => ({ type: ["string", "null"], ...extra });
export const dateTime = (description?: string): Json => withDescription({ type: "string", format: "date-time" }, description);
export const nullableDateTime = (description?: string): Json => withDescription({ type: ["string", "null"], format: "date-time" }, description);
export const uuid = (description?: string): Json => withDescription({ type: "string", format: "uuid" }, description);
export const nullableUuid = (description?: string): Json => withDescription({ type: ["string", "null"], format: "uuid" }, description);
export const hex64 = (description: string): Json => ({ type: "string", pattern: "^[0-9a-f]{64}$", description });
export const integer = (extra: Json = {}): Json => ({ type: "integer", ...extra });
export const array = (items: Json, extra: Json = {}): Json => ({ type: "array", items, ...extra });
export const oneOf = (schemas: Json[], extra: Json = {}): Json => ({ oneOf: schemas, ...extra });
export const nullable = (schema: Json, description?: string): Json => withDescription({ oneOf: [schema, { type: "null" }] }, description);

/** A page of `items`, newest first unless said otherwise. */
export function page(name: string, items: Json, cursor = "Pass as `cursor` for the next page; null on the last page.", dataDescription = "Newest first."): Json {
  return named(name, object({ data: array(items, { description: dataDescription }), nextCursor: nullableStr({ description: cursor }), hasMore: { type: "boolean" } }));
}

// ---------------------------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------------------------

/** A query parameter. A route takes exactly the query parameters its operation declares. */
export const query = (name: string, schema: Json, description: string, required = false): Json => ({ name, in: "query", required, description, schema });
/** A request header the route reads. */
export const headerParam = (name: string, description: string, schema: Json = { type: "string" }): Json => ({ name, in: "header", required: false, description, schema });

export const limitQuery = (max: number, fallback = 50, description = "Page size."): Json =>
  query("limit", { type: "integer", minimum: 1, maximum: max, default: fallback }, description);
export const CURSOR = query("cursor", { type: "string" }, "`nextCursor` of the previous page; valid only with the same filters.");

const WORKSPACE_FILTER = "Company keys: only this workspace; one that is not the company's is a 404. Workspace keys: must be their own workspace (else 403).";
export const WORKSPACE_ID = query("workspaceId", { type: "string", format: "uuid" }, WORKSPACE_FILTER);

/**
 * The event filter (runtime's EventFilter): query parameters of GET /v1/events (and the live tail
 * and analytics) and the keys of an export's `filters`, documented once here for every field.
 */
export const EVENT_FILTER_DOCS: Record<EventFilterField, { description: string; schema: Json }> = {
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

/** The event filter's query parameters, in the contract's order; `docs` replaces some fields' descriptions. */
export function eventFilterQuery(docs: Partial<Record<EventFilterField, string>> = {}, without: EventFilterField[] = []): Json[] {
  return EVENT_FILTER_FIELDS.filter((f) => !without.includes(f)).map((f) => query(f, EVENT_FILTER_DOCS[f].schema, docs[f] ?? EVENT_FILTER_DOCS[f].description));
}

// ---------------------------------------------------------------------------------------------
// Responses (the shared ones are components of the document: openapi.ts)
// ---------------------------------------------------------------------------------------------

/** Every `error.code` the gateway answers with, by HTTP status (errors.ts, http.ts, server.ts). */
export const ERROR_CODES: Record<string, string[]> = {
  "400": ["invalid_argument"],
  "401": ["unauthenticated"],
  "403": ["forbidden", "plan_limit"],
  "404": ["not_found"],
  "405": ["method_not_allowed"],
  "409": ["already_exists", "failed_precondition", "conflict", "restore_required"],
  "413": ["payload_too_large"],
  "415": ["unsupported_media_type"],
  "429": ["rate_limited", "plan_limit"],
  "499": ["cancelled"],
  "500": ["internal"],
  "501": ["not_implemented"],
  "503": ["unavailable"],
  "504": ["timeout"],
};

/** A reusable response of the document (openapi.ts RESPONSES): BadRequest, Forbidden, NotFound, Conflict... */
export const response = (name: string): Json => ({ $ref: `#/components/responses/${name}` });
const header = (name: string): Json => ({ $ref: `#/components/headers/${name}` });

/** Headers on every answer: the rate-limit window that applied, request id and trace. */
export function standardHeaders(extra: Record<string, Json> = {}): Record<string, Json> {
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
export function jsonResponse(description: string, schema: Json, extraHeaders: Record<string, Json> = {}): Json {
  return { description, headers: standardHeaders(extraHeaders), content: { "application/json": { schema } } };
}

/** A response of another media type (a file, a stream, text) with the standard headers. */
export function mediaResponse(description: string, mediaTypes: string[], extraHeaders: Record<string, Json> = {}): Json {
  return { description, headers: standardHeaders(extraHeaders), content: Object.fromEntries(mediaTypes.map((t) => [t, { schema: { type: "string" } }])) };
}

/** An error response whose `error.code` is one of the codes of `status`. */
export function errorResponse(status: string, description: string, extraHeaders: Record<string, Json> = {}): Json {
  const codes = ERROR_CODES[status]!;
  const code = codes.length === 1 ? { const: codes[0] } : { enum: codes };
  return jsonResponse(description, { allOf: [ERROR, { type: "object", properties: { error: { type: "object", properties: { code } } } }] }, extraHeaders);
}

// ---------------------------------------------------------------------------------------------
// Shared schemas
// ---------------------------------------------------------------------------------------------

export const VIOLATION = named(
  "Violation",
  object({
    field: str({ description: 'JSON path of the offending value, e.g. "events[3].actor.email"; "body" for the whole body.' }),
    description: str({ description: "What is wrong and how to fix it." }),
  }),
);

export const ERROR = named(
  "Error",
  object({
    error: object({
      code: { type: "string", enum: [...new Set(Object.values(ERROR_CODES).flat())] },
      message: str({ description: "For people; do not parse." }),
      details: {
        description:
          "null, or by code: `invalid_argument` → violations; `rate_limited` (from the gateway) → limit and reset; `plan_limit` → the plan's limit; `restore_required` → the archives in cold storage to restore first (POST /v1/restore-requests).",
        anyOf: [
          { type: "null" },
          object({ violations: array(VIOLATION) }),
          object({ limit: integer(), resetAt: integer({ description: "Unix seconds when the window resets." }) }),
          object({ plan: { type: "string", enum: ["UNSPECIFIED", "FREE", "STARTER", "GROWTH", "ENTERPRISE"] }, limit: str(), value: str() }),
          object({ archiveIds: array(uuid()) }),
        ],
      },
      traceId: str({ pattern: "^[0-9a-f]{32}$", description: "The W3C trace id of the request; quote it when reporting a problem." }),
    }),
  }),
);

export const CHANGE = named(
  "Change",
  object(
    {
      field: str({ minLength: 1, maxLength: 256 }),
      old: { description: "Any JSON value. Absent: the field did not exist before (creation). A JSON null is a value." },
      new: { description: "Any JSON value. Absent: the field was removed. A JSON null is a value." },
    },
    ["field"],
    { description: "One field's change." },
  ),
);

export const EVENT = named(
  "Event",
  object(
    {
      id: uuid("UUIDv7, time-ordered."),
      companyId: uuid(),
      workspaceId: nullableUuid("null for company-level events recorded by HyreLog itself (e.g. API key operations)."),
      projectId: nullableUuid(),
      sequence: integer({ minimum: 1, description: "Position in its log (one log per workspace; one per company for company-level events)." }),
      prevHash: hex64("Hash of the previous event of the same log; 64 zeros for the first."),
      hash: hex64("SHA-256 of the canonical JSON of the event's chain document (docs/verification.md)."),
      occurredAt: dateTime("When it happened (the sender's occurredAt, else receivedAt)."),
      receivedAt: dateTime(),
      category: str(),
      action: str(),
      actor: object({ id: nullableStr(), type: nullableStr(), email: nullableStr(), name: nullableStr() }),
      target: object({ id: nullableStr(), type: nullableStr(), name: nullableStr() }),
      changes: array(CHANGE),
      metadata: { type: "object", description: "The sender's metadata object, as sent." },
      payload: { type: "object", description: "Only on events sent with a payload (absent otherwise): the sender's payload object, as sent; hashed (docs/verification.md, Payload)." },
      context: object(
        { ip: nullableStr(), userAgent: nullableStr(), traceId: nullableStr(), requestId: nullableStr() },
        undefined,
        { description: "Captured by the gateway from the HTTP request that carried the event." },
      ),
      idempotencyKey: nullableStr(),
      v: {
        type: "integer",
        enum: [1, 2],
        description:
          "The hash-document version (docs/verification.md): 2 for events whose personal values are sealed under their subjects' keys, 1 for events stored before (personal data in the clear, as hashed).",
      },
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
);

export const JOB_STATUS_NAMES = ["PENDING", "PROCESSING", "COMPLETED", "FAILED", "CANCELLED"];

/** The fields of a job (routes/jobs.ts jobJson), shared by Job and the company export. */
export const JOB_PROPERTIES: Record<string, Json> = {
  id: uuid(),
  type: str({ description: 'e.g. "export", "gdpr-company-export"' }),
  status: { type: "string", enum: JOB_STATUS_NAMES },
  companyId: uuid(),
  workspaceId: nullableUuid(),
  attempts: integer({ minimum: 0 }),
  maxAttempts: integer({ minimum: 1 }),
  timeoutMs: integer({ minimum: 1, description: "One attempt's time limit." }),
  progress: object({ done: integer({ minimum: 0 }), total: { type: ["integer", "null"], minimum: 0 } }),
  params: { type: "object", description: "The job type's parameters." },
  result: { type: ["object", "null"], description: "Once COMPLETED: the job type's result." },
  error: nullableStr(),
  requestedByKeyId: nullableStr({ description: "The API key (UUID) that asked for the job, or `dashboard:<user id>` for a person in HyreLog's dashboard." }),
  createdAt: dateTime(),
  startedAt: nullableDateTime(),
  finishedAt: nullableDateTime(),
};

export const JOB = named("Job", object(JOB_PROPERTIES));

/** The answer to a request that queued a job (an export, the company export). */
export const JOB_QUEUED = named("ExportCreated", object({ jobId: uuid(), status: { type: "string", enum: JOB_STATUS_NAMES } }));
