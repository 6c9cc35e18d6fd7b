/**
 * REST routes of webhook management (docs/webhooks.md). Mutations are strictly rate-limited like key
 * management (`strict`); the webhook service enforces company key, IP allowlist, plan and tenant.
 */
import type { IncomingMessage } from "node:http";
import { timestampDate, type Timestamp } from "@bufbuild/protobuf/wkt";
import { DeliveryStatus, WebhookStatus, type Delivery, type Webhook } from "@hyrelog/proto";
import { ApiError, toApiError } from "./errors.ts";
import { readJson } from "./http.ts";
import type { GatewayClients, Handler } from "./routes.ts";

type Violation = { field: string; description: string };

export function webhookRoutes(clients: GatewayClients): Array<{ method: string; pattern: string; strict?: boolean; handler: Handler }> {
  const caller = (r: Parameters<Handler>[0]) => ({ caller: r.principal, clientIp: r.clientIp });

  const create: Handler = async (r) => {
    const b = await objectBody(r.req, true);
    const violations: Violation[] = [];
    const url = str(b, "url", violations, true);
    const events = strings(b, "events", violations, true);
    const projectId = str(b, "projectId", violations);
    const description = str(b, "description", violations);
    const filters = b.filters === undefined || b.filters === null ? {} : b.filters;
    if (typeof filters !== "object" || Array.isArray(filters)) violations.push({ field: "filters", description: 'must be an object: {"categories": [...], "actions": [...]}' });
    const f = (typeof filters === "object" && filters !== null && !Array.isArray(filters) ? filters : {}) as Record<string, unknown>;
    for (const k of Object.keys(f)) if (k !== "categories" && k !== "actions") violations.push({ field: `filters.${k}`, description: "unknown filter; use categories or actions" });
    const categories = strings(f, "categories", violations, false, "filters.");
    const actions = strings(f, "actions", violations, false, "filters.");
    for (const k of Object.keys(b)) {
      if (!["url", "events", "projectId", "description", "filters"].includes(k)) violations.push({ field: k, description: "unknown field" });
    }
    if (violations.length) throw new ApiError(400, "invalid_argument", "invalid webhook", { violations });
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

  const disable: Handler = async (r) => {
    const b = await objectBody(r.req, false);
    const violations: Violation[] = [];
    const reason = str(b, "reason", violations);
    if (violations.length) throw new ApiError(400, "invalid_argument", "invalid request", { violations });
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
    const rawLimit = q.get("limit");
    const limit = rawLimit === null ? 0 : Number(rawLimit);
    if (rawLimit !== null && (!/^\d+$/.test(rawLimit) || limit < 1 || limit > 100)) violations.push({ field: "limit", description: "must be a whole number from 1 to 100" });
    const rawStatus = q.get("status");
    const status = rawStatus === null ? DeliveryStatus.UNSPECIFIED : Object.hasOwn(DELIVERY_STATUS_IN, rawStatus) ? DELIVERY_STATUS_IN[rawStatus] : undefined;
    if (status === undefined) violations.push({ field: "status", description: "must be pending, delivered or failed" });
    if (violations.length) throw new ApiError(400, "invalid_argument", "invalid request", { violations });
    const res = await clients.webhook(r.region).listDeliveries(
      { ...caller(r), webhookId: r.params.id!, limit, cursor: q.get("cursor") ?? "", status: status! },
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
    { method: "DELETE", pattern: "/v1/webhooks/:id", strict: true, handler: remove },
    { method: "GET", pattern: "/v1/webhooks/:id/deliveries", handler: deliveries },
    { method: "POST", pattern: "/v1/webhooks/:id/deliveries/:deliveryId/replay", strict: true, handler: replay },
  ];
}

const DELIVERY_STATUS_IN: Record<string, DeliveryStatus> = {
  pending: DeliveryStatus.PENDING,
  delivered: DeliveryStatus.DELIVERED,
  failed: DeliveryStatus.FAILED,
};
const DELIVERY_STATUS_OUT: Record<number, string> = {
  [DeliveryStatus.PENDING]: "pending",
  [DeliveryStatus.DELIVERED]: "delivered",
  [DeliveryStatus.FAILED]: "failed",
};

/** A JSON-object body; an absent body is {} unless `required`. */
async function objectBody(req: IncomingMessage, required: boolean): Promise<Record<string, unknown>> {
  const length = req.headers["content-length"];
  if (!required && req.headers["transfer-encoding"] === undefined && (length === undefined || length === "0")) return {};
  const body = await readJson(req);
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new ApiError(400, "invalid_argument", "the request body must be a JSON object", { violations: [{ field: "body", description: "must be a JSON object" }] });
  }
  return body as Record<string, unknown>;
}

function str(b: Record<string, unknown>, field: string, violations: Violation[], required = false): string {
  const v = b[field];
  if (v === undefined || v === null) {
    if (required) violations.push({ field, description: "is required" });
    return "";
  }
  if (typeof v !== "string") violations.push({ field, description: "must be a string" });
  return typeof v === "string" ? v : "";
}

function strings(b: Record<string, unknown>, field: string, violations: Violation[], required = false, prefix = ""): string[] {
  const v = b[field];
  if (v === undefined || v === null) {
    if (required) violations.push({ field: prefix + field, description: "is required: an array of strings" });
    return [];
  }
  if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) {
    violations.push({ field: prefix + field, description: "must be an array of strings" });
    return [];
  }
  return v as string[];
}

function iso(t: Timestamp | undefined): string | null {
  return t ? timestampDate(t).toISOString() : null;
}

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
    status: w.status === WebhookStatus.ACTIVE ? "active" : "disabled",
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
    status: DELIVERY_STATUS_OUT[d.status] ?? "unknown",
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
