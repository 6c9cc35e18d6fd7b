/**
 * Webhook management (docs/webhooks.md). Mutations are strictly rate-limited like key management
 * (`strict`); the webhook service enforces company key, IP allowlist, plan and tenant.
 */
import { DeliveryStatus, DeliveryStatusSchema, WebhookStatusSchema, type Delivery, type Webhook } from "@hyrelog/proto";
import { enumNames } from "@hyrelog/runtime";
import { array, CURSOR, dateTime, integer, jsonResponse, limitQuery, named, nullableDateTime, nullableStr, nullableUuid, object, page, query, response, str, uuid, type Json } from "../api-schema.ts";
import { toApiError } from "../errors.ts";
import { iso, type Handler, type Operation, type RequestInfo, type Route, type RouteTable } from "./shared.ts";

const DELIVERY_STATUSES = enumNames(DeliveryStatusSchema, { prefix: "DELIVERY_STATUS_", lowerCase: true });
const WEBHOOK_STATUSES = enumNames(WebhookStatusSchema, { prefix: "WEBHOOK_STATUS_", lowerCase: true });

const EVENT_TYPES = ["AUDIT_EVENT_CREATED", "EXPORT_COMPLETED", "CHECKPOINT_PUBLISHED"];

const FILTERS = object(
  {
    categories: array(str(), { description: "Audit events only: deliver these categories; empty means all." }),
    actions: array(str(), { description: 'Audit events only: exact actions, or prefixes ending in ".*" ("user.*"); empty means all.' }),
  },
  [],
);

const WEBHOOK = named(
  "Webhook",
  object({
    id: uuid(),
    companyId: uuid(),
    workspaceId: uuid(),
    projectId: nullableUuid("Only events of this project; null: every project of the workspace."),
    url: str({ format: "uri" }),
    description: str(),
    events: array({ type: "string", enum: EVENT_TYPES }),
    filters: { ...FILTERS, required: ["categories", "actions"] },
    status: { type: "string", enum: ["active", "disabled"] },
    disabledReason: nullableStr({ description: "Why it is disabled: through the API, `410 Gone`, or days of continuous failure." }),
    disabledAt: nullableDateTime(),
    failingSince: nullableDateTime("Start of the current run of failed attempts; null after a success."),
    previousSecretExpiresAt: nullableDateTime("During a rotation overlap: until then the previous secret signs too."),
    createdAt: dateTime(),
    updatedAt: dateTime(),
  }),
);

const CREATE_WEBHOOK = named(
  "CreateWebhookRequest",
  object(
    {
      url: str({ description: "http(s) URL on the public internet (no private, loopback, link-local or metadata addresses); redirects are not followed." }),
      events: array({ type: "string", enum: EVENT_TYPES }, { minItems: 1 }),
      projectId: uuid("Only events of this project of the workspace."),
      description: str({ maxLength: 500 }),
      filters: FILTERS,
    },
    ["url", "events"],
  ),
);

const WEBHOOK_CREATED = named(
  "WebhookCreated",
  object({ webhook: WEBHOOK, secret: str({ pattern: "^whsec_[A-Za-z0-9+/]+=*$", description: "The signing secret. Returned once (and by rotate-secret)." }) }),
);
const WEBHOOK_ONE = named("WebhookOne", object({ webhook: WEBHOOK }));
const WEBHOOK_LIST = named("WebhookList", object({ data: array(WEBHOOK) }));
const WEBHOOK_DELETED = named("WebhookDeleted", object({ id: uuid(), deleted: { const: true } }));
const DISABLE_WEBHOOK = named("DisableWebhookRequest", object({ reason: str({ description: "Kept in disabledReason." }) }, []));

const DELIVERY_ATTEMPT = named(
  "DeliveryAttempt",
  object({
    number: integer({ minimum: 1, description: "Over the delivery's whole life; replays continue the numbering." }),
    round: integer({ minimum: 1, description: "1 for the original sequence of attempts, 2 for the first replay, ..." }),
    startedAt: dateTime(),
    statusCode: { type: ["integer", "null"], description: "null when no response arrived." },
    latencyMs: integer({ minimum: 0 }),
    error: nullableStr({ description: "Why no response arrived (refused, timeout, network error)." }),
  }),
);

const DELIVERY = named(
  "Delivery",
  object({
    id: uuid("Also the `webhook-id` header and the envelope's `id`: the same on every attempt and replay."),
    webhookId: uuid(),
    eventType: { type: "string", enum: EVENT_TYPES },
    sourceId: str({ description: "The audit event id, or the notification id." }),
    status: { type: "string", enum: ["pending", "delivered", "failed"] },
    round: integer({ minimum: 1 }),
    createdAt: dateTime(),
    nextAttemptAt: nullableDateTime("When pending: the next attempt."),
    deliveredAt: nullableDateTime(),
    attempts: array(DELIVERY_ATTEMPT),
  }),
);

const DELIVERY_PAGE = page("DeliveryPage", DELIVERY, "Pass as `cursor` (with the same status) for the next page; null on the last page.");
const DELIVERY_REPLAYED = named("DeliveryReplayed", object({ delivery: DELIVERY }));

const MANAGEMENT =
  "Needs a company key whose IP allowlist includes the caller's address, on the GROWTH or ENTERPRISE plan (403 `plan_limit` otherwise). " +
  "Changes are limited per key like key management (default 10 a minute) and recorded in the company's audit log.";
const READING = "Needs a company key whose IP allowlist includes the caller's address.";
const WEBHOOK_ID = { id: "A webhook of the company (UUID)." };
const WORKSPACE = { workspaceId: "A workspace of the company (UUID)." };
const ERRORS: Record<string, Json> = { "403": response("Forbidden"), "404": response("NotFound") };

/** A change of one webhook: POST /v1/webhooks/:id/<action>. */
const change = (operationId: string, summary: string, description: string, ok: Json, body?: Operation["body"]): Operation => ({
  tag: "Webhooks",
  operationId,
  summary,
  description,
  path: WEBHOOK_ID,
  ...(body ? { body } : {}),
  responses: { "200": ok, ...ERRORS },
});

export const webhookRoutes: RouteTable = (clients): Route[] => {
  const caller = (r: RequestInfo) => ({ caller: r.principal, clientIp: r.clientIp });

  const create: Handler = async (r) => {
    const b = r.body as { url: string; events: string[]; projectId?: string; description?: string; filters?: { categories?: string[]; actions?: string[] } };
    const res = await clients
      .webhook(r.region)
      .createWebhook(
        {
          ...caller(r),
          workspaceId: r.params.workspaceId!,
          url: b.url,
          events: b.events,
          projectId: b.projectId ?? "",
          description: b.description ?? "",
          categories: b.filters?.categories ?? [],
          actions: b.filters?.actions ?? [],
          context: r.context,
        },
        { headers: r.callHeaders },
      )
      .catch((err) => {
        // The service names the filter lists as its contract does; in this body they sit under "filters".
        throw toApiError(err, (f) => (/^(categories|actions)\b/.test(f) ? `filters.${f}` : f));
      });
    return { status: 201, body: { webhook: webhookJson(res.webhook!), secret: res.secret } };
  };

  const list: Handler = async (r) => {
    const res = await clients.webhook(r.region).listWebhooks({ ...caller(r), workspaceId: r.params.workspaceId! }, { headers: r.callHeaders });
    return { status: 200, body: { data: res.webhooks.map(webhookJson) } };
  };

  const get: Handler = async (r) => {
    const res = await clients.webhook(r.region).getWebhook({ ...caller(r), webhookId: r.params.id! }, { headers: r.callHeaders });
    return { status: 200, body: { webhook: webhookJson(res.webhook!) } };
  };

  const disable: Handler = async (r) => {
    const { reason } = r.body as { reason?: string };
    const res = await clients.webhook(r.region).disableWebhook({ ...caller(r), webhookId: r.params.id!, reason: reason ?? "", context: r.context }, { headers: r.callHeaders });
    return { status: 200, body: { webhook: webhookJson(res.webhook!) } };
  };

  const enable: Handler = async (r) => {
    const res = await clients.webhook(r.region).enableWebhook({ ...caller(r), webhookId: r.params.id!, context: r.context }, { headers: r.callHeaders });
    return { status: 200, body: { webhook: webhookJson(res.webhook!) } };
  };

  const rotate: Handler = async (r) => {
    const res = await clients.webhook(r.region).rotateWebhookSecret({ ...caller(r), webhookId: r.params.id!, context: r.context }, { headers: r.callHeaders });
    return { status: 200, body: { webhook: webhookJson(res.webhook!), secret: res.secret } };
  };

  const remove: Handler = async (r) => {
    await clients.webhook(r.region).deleteWebhook({ ...caller(r), webhookId: r.params.id!, context: r.context }, { headers: r.callHeaders });
    return { status: 200, body: { id: r.params.id, deleted: true } };
  };

  const deliveries: Handler = async (r) => {
    const { limit = 0, cursor = "", status } = r.query as { limit?: number; cursor?: string; status?: string };
    const res = await clients.webhook(r.region).listDeliveries(
      { ...caller(r), webhookId: r.params.id!, limit, cursor, status: DELIVERY_STATUSES.fromName(status) ?? DeliveryStatus.UNSPECIFIED },
      { headers: r.callHeaders },
    );
    return { status: 200, body: { data: res.deliveries.map(deliveryJson), nextCursor: res.nextCursor || null, hasMore: res.nextCursor !== "" } };
  };

  const replay: Handler = async (r) => {
    const res = await clients
      .webhook(r.region)
      .replayDelivery({ ...caller(r), webhookId: r.params.id!, deliveryId: r.params.deliveryId!, context: r.context }, { headers: r.callHeaders });
    return { status: 202, body: { delivery: deliveryJson(res.delivery!) } };
  };

  return [
    {
      method: "POST",
      pattern: "/v1/workspaces/:workspaceId/webhooks",
      strict: true,
      doc: {
        tag: "Webhooks",
        operationId: "createWebhook",
        summary: "Register a webhook endpoint",
        description: `${MANAGEMENT} GROWTH allows 3 endpoints per company, ENTERPRISE 20. The URL is checked against the SSRF policy now and again at every connection. The signing secret is returned once.`,
        path: WORKSPACE,
        body: { schema: CREATE_WEBHOOK, required: true },
        responses: { "201": jsonResponse("Created, with its secret.", WEBHOOK_CREATED), ...ERRORS },
      },
      handler: create,
    },
    {
      method: "GET",
      pattern: "/v1/workspaces/:workspaceId/webhooks",
      doc: {
        tag: "Webhooks",
        operationId: "listWebhooks",
        summary: "List a workspace's webhook endpoints",
        description: `${READING} Secrets are never listed.`,
        path: WORKSPACE,
        responses: { "200": jsonResponse("The endpoints, oldest first.", WEBHOOK_LIST), ...ERRORS },
      },
      handler: list,
    },
    {
      method: "POST",
      pattern: "/v1/webhooks/:id/disable",
      strict: true,
      doc: change("disableWebhook", "Disable a webhook endpoint", `${MANAGEMENT} Pending deliveries wait until it is enabled. The body is optional.`, jsonResponse("The endpoint.", WEBHOOK_ONE), {
        schema: DISABLE_WEBHOOK,
        required: false,
      }),
      handler: disable,
    },
    {
      method: "POST",
      pattern: "/v1/webhooks/:id/enable",
      strict: true,
      doc: change("enableWebhook", "Enable a webhook endpoint", `${MANAGEMENT} Clears the disabled reason and failure streak; pending deliveries resume.`, jsonResponse("The endpoint.", WEBHOOK_ONE)),
      handler: enable,
    },
    {
      method: "POST",
      pattern: "/v1/webhooks/:id/rotate-secret",
      strict: true,
      doc: change(
        "rotateWebhookSecret",
        "Rotate a webhook's signing secret",
        `${MANAGEMENT} Returns the new secret once; the previous one keeps signing alongside it (two \`v1,\` signatures in webhook-signature) for 24 hours.`,
        jsonResponse("The endpoint and its new secret.", WEBHOOK_CREATED),
      ),
      handler: rotate,
    },
    {
      method: "GET",
      pattern: "/v1/webhooks/:id",
      doc: { tag: "Webhooks", operationId: "getWebhook", summary: "Get a webhook endpoint", description: `${READING} Never its secret.`, path: WEBHOOK_ID, responses: { "200": jsonResponse("The endpoint.", WEBHOOK_ONE), ...ERRORS } },
      handler: get,
    },
    {
      method: "DELETE",
      pattern: "/v1/webhooks/:id",
      strict: true,
      doc: {
        tag: "Webhooks",
        operationId: "deleteWebhook",
        summary: "Delete a webhook endpoint",
        description: `${MANAGEMENT.replace(", on the GROWTH or ENTERPRISE plan (403 `plan_limit` otherwise)", "")} Its deliveries are deleted with it.`,
        path: WEBHOOK_ID,
        responses: { "200": jsonResponse("Deleted.", WEBHOOK_DELETED), ...ERRORS },
      },
      handler: remove,
    },
    {
      method: "GET",
      pattern: "/v1/webhooks/:id/deliveries",
      doc: {
        tag: "Webhooks",
        operationId: "listWebhookDeliveries",
        summary: "List an endpoint's deliveries",
        description: `${READING} Newest first, each with every attempt (time, status code, latency, error) and the next attempt time.`,
        path: WEBHOOK_ID,
        parameters: [limitQuery(100), CURSOR, query("status", { type: "string", enum: ["pending", "delivered", "failed"] }, "Only deliveries in this status.")],
        responses: { "200": jsonResponse("A page of deliveries.", DELIVERY_PAGE), ...ERRORS },
      },
      handler: deliveries,
    },
    {
      method: "POST",
      pattern: "/v1/webhooks/:id/deliveries/:deliveryId/replay",
      strict: true,
      doc: {
        tag: "Webhooks",
        operationId: "replayWebhookDelivery",
        summary: "Replay a delivery",
        description: `${MANAGEMENT} Starts a new sequence of up to 5 attempts with the same webhook-id. 409 while the delivery is still pending or the endpoint is disabled.`,
        path: { ...WEBHOOK_ID, deliveryId: "A delivery of this webhook (UUID)." },
        responses: { "202": jsonResponse("Queued: the delivery, pending again.", DELIVERY_REPLAYED), ...ERRORS, "409": response("Conflict") },
      },
      handler: replay,
    },
  ];
};

function webhookJson(w: Webhook) {
  return {
    id: w.id,
    companyId: w.companyId,
    workspaceId: w.workspaceId,
    projectId: w.projectId || null,
    url: w.url,
    description: w.description,
    events: w.events,
    filters: { categories: w.categories, actions: w.actions },
    status: WEBHOOK_STATUSES.toName(w.status) ?? "unknown",
    disabledReason: w.disabledReason || null,
    disabledAt: iso(w.disabledAt),
    failingSince: iso(w.failingSince),
    previousSecretExpiresAt: iso(w.previousSecretExpiresAt),
    createdAt: iso(w.createdAt),
    updatedAt: iso(w.updatedAt),
  };
}

function deliveryJson(d: Delivery) {
  return {
    id: d.id,
    webhookId: d.webhookId,
    eventType: d.eventType,
    sourceId: d.sourceId,
    status: DELIVERY_STATUSES.toName(d.status) ?? "unknown",
    round: d.round,
    createdAt: iso(d.createdAt),
    nextAttemptAt: iso(d.nextAttemptAt),
    deliveredAt: iso(d.deliveredAt),
    attempts: d.attempts.map((a) => ({
      number: a.number,
      round: a.round,
      startedAt: iso(a.startedAt),
      statusCode: a.statusCode ?? null,
      latencyMs: a.latencyMs,
      error: a.error || null,
    })),
  };
}
