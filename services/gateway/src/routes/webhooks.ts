/**
 * Webhook management (docs/webhooks.md). Mutations are strictly rate-limited like key management
 * (`strict`); the webhook service enforces company key, IP allowlist, plan and tenant.
 */
import { DeliveryStatus, DeliveryStatusSchema, WebhookStatusSchema, type Delivery, type Webhook } from "@hyrelog/proto";
import { enumNames } from "@hyrelog/runtime";
import { toApiError } from "../errors.ts";
import {
  enumParam,
  iso,
  limitParam,
  objectBody,
  optionalObjectBody,
  refuse,
  stringField,
  stringParam,
  stringsField,
  type Handler,
  type RequestInfo,
  type RouteTable,
  type Violation,
} from "./shared.ts";

const DELIVERY_STATUSES = enumNames(DeliveryStatusSchema, { prefix: "DELIVERY_STATUS_", lowerCase: true });
const WEBHOOK_STATUSES = enumNames(WebhookStatusSchema, { prefix: "WEBHOOK_STATUS_", lowerCase: true });

export const webhookRoutes: RouteTable = (clients) => {
  const caller = (r: RequestInfo) => ({ caller: r.principal, clientIp: r.clientIp });

  const create: Handler = async (r) => {
    const b = await objectBody(r.req);
    const violations: Violation[] = [];
    const url = stringField(b, "url", violations, true);
    const events = stringsField(b, "events", violations, true);
    const projectId = stringField(b, "projectId", violations);
    const description = stringField(b, "description", violations);
    const filters = b.filters === undefined || b.filters === null ? {} : b.filters;
    if (typeof filters !== "object" || Array.isArray(filters)) violations.push({ field: "filters", description: 'must be an object: {"categories": [...], "actions": [...]}' });
    const f = (typeof filters === "object" && filters !== null && !Array.isArray(filters) ? filters : {}) as Record<string, unknown>;
    for (const k of Object.keys(f)) if (k !== "categories" && k !== "actions") violations.push({ field: `filters.${k}`, description: "unknown filter; use categories or actions" });
    const categories = stringsField(f, "categories", violations, false, "filters.");
    const actions = stringsField(f, "actions", violations, false, "filters.");
    for (const k of Object.keys(b)) {
      if (!["url", "events", "projectId", "description", "filters"].includes(k)) violations.push({ field: k, description: "unknown field" });
    }
    refuse("invalid webhook", violations);
    const res = await clients
      .webhook(r.region)
      .createWebhook({ ...caller(r), workspaceId: r.params.workspaceId!, url, events, projectId, description, categories, actions, context: r.context }, { headers: r.callHeaders })
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
    const b = await optionalObjectBody(r.req);
    const violations: Violation[] = [];
    const reason = stringField(b, "reason", violations);
    refuse("invalid request", violations);
    const res = await clients.webhook(r.region).disableWebhook({ ...caller(r), webhookId: r.params.id!, reason, context: r.context }, { headers: r.callHeaders });
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
    const q = r.url.searchParams;
    const violations: Violation[] = [];
    const limit = limitParam(q, 100, violations);
    const status = enumParam(q, "status", DELIVERY_STATUSES, violations) ?? DeliveryStatus.UNSPECIFIED;
    refuse("invalid request", violations);
    const res = await clients.webhook(r.region).listDeliveries(
      { ...caller(r), webhookId: r.params.id!, limit, cursor: stringParam(q, "cursor"), status },
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
    { method: "POST", pattern: "/v1/workspaces/:workspaceId/webhooks", strict: true, handler: create },
    { method: "GET", pattern: "/v1/workspaces/:workspaceId/webhooks", handler: list },
    { method: "POST", pattern: "/v1/webhooks/:id/disable", strict: true, handler: disable },
    { method: "POST", pattern: "/v1/webhooks/:id/enable", strict: true, handler: enable },
    { method: "POST", pattern: "/v1/webhooks/:id/rotate-secret", strict: true, handler: rotate },
    { method: "GET", pattern: "/v1/webhooks/:id", handler: get },
    { method: "DELETE", pattern: "/v1/webhooks/:id", strict: true, handler: remove },
    { method: "GET", pattern: "/v1/webhooks/:id/deliveries", query: ["limit", "cursor", "status"], handler: deliveries },
    { method: "POST", pattern: "/v1/webhooks/:id/deliveries/:deliveryId/replay", strict: true, handler: replay },
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
