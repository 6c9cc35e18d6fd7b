/** Events: record (single or batch), list with filters, get one, a target's history. */
import { KeyScope, type EventInput } from "@hyrelog/proto";
import { EventFilter, eventFromProto } from "@hyrelog/runtime";
import {
  array,
  EMAIL_PATTERN,
  POINTER_PATTERN,
  CHANGE,
  CURSOR,
  dateTime,
  errorResponse,
  EVENT,
  eventFilterQuery,
  headerParam,
  hex64,
  integer,
  jsonResponse,
  limitQuery,
  named,
  nullableDateTime,
  nullableStr,
  nullableUuid,
  object,
  response,
  str,
  uuid,
  WORKSPACE_ID,
  type Json,
} from "../api-schema.ts";
import { ApiError, toApiError } from "../errors.ts";
import { parseEventInput, type EventJson } from "../event-input.ts";
import { header, iso, refuse, stringParam, type Handler, type Operation, type Route, type RouteTable, type Violation } from "./shared.ts";

export const EVENT_INPUT = named(
  "EventInput",
  object(
    {
      category: str({ minLength: 1, maxLength: 100, description: "Required; no control characters." }),
      action: str({ minLength: 1, maxLength: 200, description: "Required; no control characters, e.g. `user.role_changed`." }),
      actor: object(
        {
          id: nullableStr({ maxLength: 256 }),
          type: nullableStr({ maxLength: 256 }),
          email: nullableStr({ maxLength: 320, pattern: EMAIL_PATTERN }),
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
      changes: { type: ["array", "null"], maxItems: 200, items: CHANGE },
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
        items: str({ pattern: POINTER_PATTERN }),
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
);

const EVENT_BATCH = named(
  "EventBatch",
  object({ events: array(EVENT_INPUT, { minItems: 1, maxItems: 1000 }) }, undefined, { description: "Up to 1000 events, stored atomically: all of them or, on a 400, none." }),
);

const INGEST_RESULT_PROPERTIES: Record<string, Json> = {
  id: uuid("The event's id (UUIDv7). For a duplicate, the id of the event stored first."),
  sequence: integer({ minimum: 1, description: "Position in the workspace's hash chain." }),
  hash: hex64("SHA-256 (lowercase hex) of the event's chain document."),
  prevHash: hex64("The previous event's hash; 64 zeros for the first event of a log."),
  receivedAt: dateTime("When HyreLog received the (first) event."),
  status: { type: "string", enum: ["created", "duplicate"], description: "`duplicate`: the idempotency key matched an event stored earlier; nothing new was stored." },
};
const INGEST_RESULT = named("IngestResult", object(INGEST_RESULT_PROPERTIES, undefined, { description: "The answer to a single-event ingest." }));
const INGEST_BATCH_RESULT = named(
  "IngestBatchResult",
  object(
    { results: array(object({ index: integer({ minimum: 0, description: "Position in the request's `events`." }), ...INGEST_RESULT_PROPERTIES })) },
    undefined,
    { description: "The answer to a batch ingest: one result per event, in request order." },
  ),
);

const EVENT_PAGE = named(
  "EventPage",
  object(
    {
      data: array(EVENT, { description: "Newest first." }),
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
);

const TARGET_TIMELINE = named(
  "TargetTimeline",
  object({
    target: object({ type: str(), id: str() }),
    versions: array(
      object({
        version: integer({ minimum: 1, description: "1 for the first event that touched the resource; counts across pages." }),
        state: { type: "object", description: "Every field's value after this event's changes (removed fields absent)." },
        event: EVENT,
      }),
      { description: "Oldest first." },
    ),
    nextCursor: nullableStr(),
    hasMore: { type: "boolean" },
  }),
);

const INGEST_RESULTS = { oneOf: [INGEST_RESULT, INGEST_BATCH_RESULT] };

function ingestDoc(operationId: string, summary: string): Operation {
  return {
    tag: "Events",
    operationId,
    summary,
    description:
      'Records one event, or a batch `{"events": [...]}` of up to 1000 stored atomically. Needs a workspace key (company keys get 403). ' +
      "201 when at least one event was created; 200 when every event was a duplicate of one stored earlier (same idempotency key). " +
      "The body is at most 1 MiB. Beyond the plan's monthly event quota the answer is 429 `plan_limit` (nothing stored), with Retry-After until the month (UTC) ends.",
    parameters: [
      headerParam(
        "Idempotency-Key",
        "Makes retries safe. A single event takes it as its idempotencyKey (a different idempotencyKey in the body is a 400). " +
          "In a batch, event i without its own idempotencyKey gets `<Idempotency-Key>#<i>`, which must also fit in 255 characters. Keys are unique per workspace; reusing one for a different event is a 409.",
        { type: "string", minLength: 1, maxLength: 255 },
      ),
    ],
    body: { schema: { oneOf: [EVENT_INPUT, EVENT_BATCH] }, required: true },
    responses: {
      "200": jsonResponse("Every event was a duplicate; nothing new was stored.", INGEST_RESULTS),
      "201": jsonResponse("Stored (single event: IngestResult; batch: IngestBatchResult).", INGEST_RESULTS),
      "403": response("Forbidden"),
      "409": errorResponse("409", "An idempotency key was already used for a different event (details.violations names it); nothing was stored."),
    },
  };
}

export const eventRoutes: RouteTable = (clients): Route[] => {
  const ingest: Handler = async (r) => {
    if (r.principal.scope !== KeyScope.WORKSPACE) {
      throw new ApiError(403, "forbidden", "company keys cannot ingest events; use a workspace key (hlk_ws_...)");
    }
    // Valid against EVENT_INPUT or EVENT_BATCH: what is left to check here is what JSON Schema cannot say.
    const body = r.body as EventJson | { events: EventJson[] };
    const headerKey = header(r.req, "idempotency-key");
    const violations: Violation[] = [];
    let events: EventInput[];
    const batch = "events" in body;
    if (batch) {
      events = body.events.map((e, i) => parseEventInput(e, `events[${i}]`, violations));
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
    refuse(`${violations.length} problem(s) in the request; nothing was stored`, violations);
    const res = await clients
      .ingest(r.region)
      .ingestEvents({ principal: r.principal, events, context: r.context }, { headers: r.callHeaders })
      .catch((err) => {
        // A single event's problems are reported at the top level, not under events[0].
        const e = toApiError(err, batch ? undefined : (f) => f.replace(/^events\[0\]\.?/, "") || "body");
        // The plan's monthly event quota: retry when it resets, at the start of the next month (UTC).
        if (e.status === 429) e.headers["retry-after"] = String(Math.ceil((nextMonthUtc() - Date.now()) / 1000));
        throw e;
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
    const violations: Violation[] = [];
    const filter = EventFilter.fromQuery(q, violations);
    refuse(`invalid ${violations.map((v) => v.field).join(", ")}`, violations);
    const res = await clients
      .query(r.region)
      .listEvents(
        { principal: r.principal, filter: filter.toProto(), limit: (r.query.limit as number | undefined) ?? 0, cursor: stringParam(q, "cursor"), asJson: true },
        { headers: r.callHeaders },
      );
    // The page arrives as the API's JSON text: only the members after `data` are written here.
    const rest = JSON.stringify({ nextCursor: res.nextCursor || null, hasMore: res.nextCursor !== "", ...(res.olderInArchives ? { olderEventsInArchives: true } : {}) });
    return { status: 200, body: null, json: `{"data":${res.eventsJson},${rest.slice(1)}` };
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
        workspaceId: stringParam(q, "workspaceId"),
        limit: (r.query.limit as number | undefined) ?? 0,
        cursor: stringParam(q, "cursor"),
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

  return [
    { method: "POST", pattern: "/v1/events", doc: ingestDoc("ingestEvents", "Record events"), handler: ingest },
    { method: "POST", pattern: "/v1/key/workspace/events", doc: ingestDoc("ingestEventsWorkspaceKey", "Record events (alias of POST /v1/events)"), handler: ingest },
    {
      method: "GET",
      pattern: "/v1/events",
      doc: {
        tag: "Events",
        operationId: "listEvents",
        summary: "List events",
        description: "Events in the key's scope (a workspace key: its workspace; a company key: every workspace), newest first, filtered and paged.",
        parameters: [...eventFilterQuery(), limitQuery(1000), CURSOR],
        responses: { "200": jsonResponse("A page of events.", EVENT_PAGE), "403": response("Forbidden"), "404": response("NotFound") },
      },
      handler: listEvents,
    },
    {
      method: "GET",
      pattern: "/v1/events/:id",
      doc: {
        tag: "Events",
        operationId: "getEvent",
        summary: "Get one event",
        path: { id: "The event's id (UUID); anything else is a 404." },
        responses: { "200": jsonResponse("The event.", EVENT), "404": response("NotFound") },
      },
      handler: getEvent,
    },
    {
      method: "GET",
      pattern: "/v1/targets/:type/:id/events",
      doc: {
        tag: "Events",
        operationId: "listTargetEvents",
        summary: "A resource's history",
        description: "Every event whose target is this resource, oldest first, each with the resource's state after its changes.",
        path: { type: "target.type", id: "target.id" },
        parameters: [WORKSPACE_ID, limitQuery(1000), CURSOR],
        responses: { "200": jsonResponse("A page of the timeline.", TARGET_TIMELINE), "403": response("Forbidden"), "404": response("NotFound") },
      },
      handler: targetEvents,
    },
  ];
};

/** The start of the next calendar month (UTC), in epoch milliseconds. */
function nextMonthUtc(now = new Date()): number {
  return Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
}
