/**
 * What a delivery carries, and which endpoints an event goes to.
 *
 * The body of every delivery is one envelope (docs/webhooks.md):
 *
 *     {"id": "<delivery id = webhook-id>", "type": "AUDIT_EVENT_CREATED", "createdAt": "<ISO>", "data": {...}}
 *
 * For AUDIT_EVENT_CREATED `data` is `{"event": <the event exactly as GET /v1/events/:id returns it>}`
 * (with sequence, prevHash and hash, so a receiver can verify it); for notifications it is the
 * notification's own data plus its workspace. A delivery row stores the event as stored (personal
 * values sealed); the dispatcher opens it into the API's form when it sends.
 */
import type { StoredEvent } from "@hyrelog/db";

export const EVENT_TYPES = ["AUDIT_EVENT_CREATED", "EXPORT_COMPLETED", "CHECKPOINT_PUBLISHED"] as const;
export type WebhookEventType = (typeof EVENT_TYPES)[number];

export function isEventType(value: string): value is WebhookEventType {
  return (EVENT_TYPES as readonly string[]).includes(value);
}

/** A product notification as published on the notifications stream. */
export interface Notification {
  id: string;
  type: string;
  companyId: string;
  workspaceId: string | null;
  occurredAt: string;
  data: Record<string, unknown>;
}

/** The parts of an endpoint that decide what it receives. */
export interface EndpointFilter {
  id: string;
  workspaceId: string;
  projectId: string | null;
  eventTypes: string[];
  categories: string[];
  actions: string[];
  /** As the driver returns it (raw queries give timestamptz as text). */
  createdAt: Date | string;
}

/** True when the endpoint wants this audit event (type, project, category, action, created after it). */
export function endpointWantsEvent(endpoint: EndpointFilter, event: Pick<StoredEvent, "workspaceId" | "projectId" | "category" | "action" | "receivedAt">): boolean {
  if (!endpoint.eventTypes.includes("AUDIT_EVENT_CREATED")) return false;
  if (event.workspaceId !== endpoint.workspaceId) return false;
  if (endpoint.projectId && event.projectId !== endpoint.projectId) return false;
  if (endpoint.categories.length && !endpoint.categories.includes(event.category)) return false;
  if (endpoint.actions.length && !endpoint.actions.some((pattern) => actionMatches(pattern, event.action))) return false;
  // An endpoint receives what was stored after it was registered, even if the stream is behind.
  return Date.parse(event.receivedAt) >= new Date(endpoint.createdAt).getTime();
}

/**
 * True when the endpoint wants this notification. A notification of a workspace goes to that
 * workspace's endpoints; one without a workspace (e.g. a company-wide export) to all of the company's.
 */
export function endpointWantsNotification(endpoint: EndpointFilter, notification: Notification): boolean {
  if (!endpoint.eventTypes.includes(notification.type)) return false;
  if (notification.workspaceId && notification.workspaceId !== endpoint.workspaceId) return false;
  return Date.parse(notification.occurredAt) >= new Date(endpoint.createdAt).getTime();
}

/** `user.created` matches itself; `user.*` matches every action that starts with `user.`. */
export function actionMatches(pattern: string, action: string): boolean {
  return pattern.endsWith(".*") ? action.startsWith(pattern.slice(0, -1)) : pattern === action;
}

/** The exact body of a delivery. Built once when the delivery is created; every attempt sends it unchanged. */
export function envelope(deliveryId: string, type: string, createdAt: Date, data: unknown): string {
  return JSON.stringify({ id: deliveryId, type, createdAt: createdAt.toISOString(), data });
}
