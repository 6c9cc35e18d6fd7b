import { defineEntity, p } from "@mikro-orm/core";
import type { PlanTierName } from "@hyrelog/core";

export const Plan = defineEntity({
  name: "Plan",
  tableName: "plans",
  properties: {
    tier: p.string().$type<PlanTierName>().primary(),
    retentionDays: p.integer(),
    exportRowLimit: p.bigint("bigint").nullable(),
    maxWebhooks: p.integer(),
    features: p.json<Record<string, boolean>>(),
  },
});

export const Company = defineEntity({
  name: "Company",
  tableName: "companies",
  properties: {
    id: p.uuid().primary(),
    name: p.text(),
    dataRegion: p.string(),
    planTier: p.string().$type<PlanTierName>(),
    /** Per-company exceptions to the plan's limits, same keys as Plan. */
    planOverrides: p.json<Record<string, unknown>>(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export const Workspace = defineEntity({
  name: "Workspace",
  tableName: "workspaces",
  properties: {
    id: p.uuid().primary(),
    companyId: p.uuid(),
    name: p.text(),
    createdAt: p.datetime().onCreate(() => new Date()),
    /** Set once by the dashboard; an archived workspace accepts no new events from its keys (migration 0009). */
    archivedAt: p.datetime().nullable(),
  },
});

export const Project = defineEntity({
  name: "Project",
  tableName: "projects",
  properties: {
    id: p.uuid().primary(),
    companyId: p.uuid(),
    workspaceId: p.uuid(),
    name: p.text(),
    createdAt: p.datetime().onCreate(() => new Date()),
    /** Set once by the dashboard; events naming an archived project are refused (migration 0009). */
    archivedAt: p.datetime().nullable(),
  },
});

export const ApiKey = defineEntity({
  name: "ApiKey",
  tableName: "api_keys",
  properties: {
    id: p.uuid().primary(),
    companyId: p.uuid(),
    workspaceId: p.uuid().nullable(),
    scope: p.string().$type<"COMPANY" | "WORKSPACE">(),
    name: p.text(),
    /** HMAC-SHA256 of the key under API_KEY_SECRET; the key itself is never stored. */
    keyHash: p.string(),
    prefix: p.string(),
    ipAllowlist: p.array().default([]),
    createdAt: p.datetime().onCreate(() => new Date()),
    lastUsedAt: p.datetime().nullable(),
    expiresAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
    revokedReason: p.text().nullable(),
    rotatedFromId: p.uuid().nullable(),
  },
});

/** The last chained event of each log (a workspace, or a company's own log). */
export const LogHead = defineEntity({
  name: "LogHead",
  tableName: "log_heads",
  properties: {
    logId: p.uuid().primary(),
    companyId: p.uuid(),
    /** Null for a company-level log, whose id is the company's. */
    workspaceId: p.uuid().nullable(),
    sequence: p.bigint("number"),
    hash: p.string(),
    updatedAt: p.datetime(),
  },
});

export const AuditEvent = defineEntity({
  name: "AuditEvent",
  tableName: "audit_events",
  properties: {
    id: p.uuid().primary(),
    companyId: p.uuid(),
    workspaceId: p.uuid().nullable(),
    logId: p.uuid(),
    projectId: p.uuid().nullable(),
    sequence: p.bigint("number"),
    prevHash: p.string(),
    hash: p.string(),
    occurredAt: p.datetime(),
    receivedAt: p.datetime(),
    category: p.text(),
    action: p.text(),
    actorId: p.text().nullable(),
    actorType: p.text().nullable(),
    actorEmail: p.text().nullable(),
    actorName: p.text().nullable(),
    targetId: p.text().nullable(),
    targetType: p.text().nullable(),
    targetName: p.text().nullable(),
    changes: p.json<Array<{ field: string; old?: unknown; new?: unknown }>>(),
    metadata: p.json<Record<string, unknown>>(),
    ip: p.text().nullable(),
    userAgent: p.text().nullable(),
    traceId: p.text().nullable(),
    requestId: p.text().nullable(),
    idempotencyKey: p.text().nullable(),
  },
});

export const ENTITIES = [Plan, Company, Workspace, Project, ApiKey, LogHead, AuditEvent];

/** A unit of background work (export, archival, GDPR, restore); see packages/jobs. */
export const Job = defineEntity({
  name: "Job",
  tableName: "jobs",
  properties: {
    id: p.uuid().primary(),
    companyId: p.uuid(),
    workspaceId: p.uuid().nullable(),
    type: p.text(),
    status: p.string().$type<"PENDING" | "PROCESSING" | "COMPLETED" | "FAILED" | "CANCELLED">(),
    params: p.json<Record<string, unknown>>(),
    attempts: p.integer(),
    maxAttempts: p.integer(),
    timeoutMs: p.integer(),
    progressDone: p.bigint("number"),
    progressTotal: p.bigint("number").nullable(),
    result: p.json<Record<string, unknown>>().nullable(),
    error: p.text().nullable(),
    requestedBy: p.json<{ keyId: string; scope: string }>(),
    leaseOwner: p.text().nullable(),
    leaseExpiresAt: p.datetime().nullable(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
    startedAt: p.datetime().nullable(),
    finishedAt: p.datetime().nullable(),
  },
});

/** A file an export job wrote to the region's bucket; deleted from S3 after its expiry. */
export const ExportFile = defineEntity({
  name: "ExportFile",
  tableName: "export_files",
  properties: {
    jobId: p.uuid().primary(),
    companyId: p.uuid(),
    objectKey: p.text(),
    format: p.string().$type<"JSONL" | "CSV">(),
    rowCount: p.bigint("number"),
    bytes: p.bigint("number"),
    sha256: p.string(),
    createdAt: p.datetime(),
    expiresAt: p.datetime(),
    deletedAt: p.datetime().nullable(),
  },
});

// Registered after their definitions (a const cannot be used before it is declared).
(ENTITIES as unknown[]).push(Job, ExportFile);

/** A customer's webhook endpoint (migration 0005); secrets are stored sealed, never in the clear. */
export const WebhookEndpoint = defineEntity({
  name: "WebhookEndpoint",
  tableName: "webhook_endpoints",
  properties: {
    id: p.uuid().primary(),
    companyId: p.uuid(),
    workspaceId: p.uuid(),
    projectId: p.uuid().nullable(),
    url: p.text(),
    description: p.text(),
    eventTypes: p.array(),
    categories: p.array(),
    actions: p.array(),
    secretSealed: p.text(),
    previousSecretSealed: p.text().nullable(),
    previousSecretExpiresAt: p.datetime().nullable(),
    status: p.string().$type<"ACTIVE" | "DISABLED">(),
    disabledReason: p.text().nullable(),
    disabledAt: p.datetime().nullable(),
    failingSince: p.datetime().nullable(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
});

/** One event (or notification) for one endpoint; its id is the webhook-id of every attempt. */
export const WebhookDelivery = defineEntity({
  name: "WebhookDelivery",
  tableName: "webhook_deliveries",
  properties: {
    id: p.uuid().primary(),
    endpointId: p.uuid(),
    companyId: p.uuid(),
    eventType: p.text(),
    sourceId: p.text(),
    payload: p.text(),
    status: p.string().$type<"PENDING" | "DELIVERED" | "FAILED">(),
    round: p.integer(),
    attemptsInRound: p.integer(),
    attemptCount: p.integer(),
    nextAttemptAt: p.datetime().nullable(),
    leaseUntil: p.datetime().nullable(),
    createdAt: p.datetime(),
    deliveredAt: p.datetime().nullable(),
  },
});

/** One HTTP attempt of a delivery. */
export const WebhookAttempt = defineEntity({
  name: "WebhookAttempt",
  tableName: "webhook_attempts",
  properties: {
    deliveryId: p.uuid().primary(),
    number: p.integer().primary(),
    round: p.integer(),
    startedAt: p.datetime(),
    statusCode: p.integer().nullable(),
    latencyMs: p.integer(),
    error: p.text().nullable(),
  },
});

(ENTITIES as unknown[]).push(WebhookEndpoint, WebhookDelivery, WebhookAttempt);
