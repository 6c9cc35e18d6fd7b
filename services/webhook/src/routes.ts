import { Code, ConnectError, type Client, type ConnectRouter } from "@connectrpc/connect";
import { create } from "@bufbuild/protobuf";
import {
  DeliverySchema,
  DeliveryStatus,
  DeliveryStatusSchema,
  IngestService,
  WebhookSchema,
  WebhookService,
  WebhookStatus,
  WebhookStatusSchema,
  type Delivery,
  type Principal,
  type RequestContext,
  type Webhook,
} from "@hyrelog/proto";
import { isUuid, textProblem, uuidv7, type SecretBox, type Violation } from "@hyrelog/core";
import type { Orm } from "@hyrelog/db";
import { companyPlan, decodeCursor, encodeCursor, enumNames, invalidArgument, planLimitExceeded, recordAuditEvent, requireAllowlistedCompanyKey, rowTimestamp, type Logger, type Tenancy } from "@hyrelog/runtime";
import { checkWebhookUrl, generateWebhookSecret, validateWebhookUrl, WebhookUrlError } from "@hyrelog/webhooks";
import { EVENT_TYPES, isEventType } from "./envelope.ts";

export interface WebhookRoutesDeps {
  orm: Orm;
  tenancy: Tenancy;
  box: SecretBox;
  allowLoopback: boolean;
  ingest: Client<typeof IngestService>;
  logger: Logger;
  /** Tells the dispatcher there may be due work (an endpoint enabled, a delivery replayed). */
  wake(): void;
}

/** How long the previous secret keeps signing after a rotation. */
const ROTATION_OVERLAP_MS = 24 * 3600_000;
const MAX_FILTER_ENTRIES = 50;
const MAX_FILTER_LENGTH = 200;
const MAX_DESCRIPTION = 500;

interface EndpointRow {
  id: string;
  company_id: string;
  workspace_id: string;
  project_id: string | null;
  url: string;
  description: string;
  event_types: string[];
  categories: string[];
  actions: string[];
  status: "ACTIVE" | "DISABLED";
  disabled_reason: string | null;
  disabled_at: Date | null;
  failing_since: Date | null;
  previous_secret_expires_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const ENDPOINT_COLUMNS = `id, company_id, workspace_id, project_id, url, description, event_types, categories, actions, status,
  disabled_reason, disabled_at, failing_since, previous_secret_expires_at, created_at, updated_at`;

/** `webhook_deliveries.status` and `webhook_endpoints.status` spell the contracts' enums without the prefix. */
const DELIVERY_STATUS = enumNames(DeliveryStatusSchema, { prefix: "DELIVERY_STATUS_" });
const WEBHOOK_STATUS = enumNames(WebhookStatusSchema, { prefix: "WEBHOOK_STATUS_" });

export function webhookRoutes(deps: WebhookRoutesDeps) {
  const sql = <T>(query: string, params: unknown[] = []) => deps.orm.em.fork().execute<T[]>(query, params);

  const requireManager = (caller: Principal | undefined, clientIp: string) => requireAllowlistedCompanyKey(caller, clientIp, "webhook management");

  /** The company's plan with its overrides: whether it has webhooks, and how many endpoints. */
  const planOf = async (companyId: string) => {
    const plan = await companyPlan(deps.orm, companyId);
    if (!plan) throw new ConnectError("company not found", Code.NotFound);
    return { ...plan, webhooks: plan.features.webhooks === true && plan.maxWebhooks > 0 };
  };

  const requireWebhookPlan = async (companyId: string) => {
    const plan = await planOf(companyId);
    if (!plan.webhooks) {
      throw planLimitExceeded(`webhooks are not available on the ${plan.tier} plan; they need the GROWTH or ENTERPRISE plan`, plan.plan, "webhooks", "false");
    }
    return plan;
  };

  const findEndpoint = async (companyId: string, id: string): Promise<EndpointRow> => {
    const notFound = new ConnectError(`webhook ${id} not found`, Code.NotFound);
    if (!isUuid(id)) throw notFound;
    const [row] = await sql<EndpointRow>(`select ${ENDPOINT_COLUMNS} from webhook_endpoints where id = ? and company_id = ?`, [id, companyId]);
    if (!row) throw notFound;
    return row;
  };

  const record = (caller: Principal, endpoint: EndpointRow, action: string, changes: Array<{ field: string; old?: string; new?: string }>, context: RequestContext | undefined) =>
    recordAuditEvent(deps.ingest, deps.logger, {
      companyId: caller.companyId,
      region: caller.region,
      workspaceId: endpoint.workspace_id,
      category: "webhook",
      action,
      actor: { id: caller.keyId, type: "api_key" },
      target: { id: endpoint.id, type: "webhook", name: endpoint.url.slice(0, 200) },
      changes,
      context,
    });

  const update = async (id: string, set: string, params: unknown[] = []): Promise<EndpointRow> => {
    const [row] = await sql<EndpointRow>(`update webhook_endpoints set ${set}, updated_at = now() where id = ? returning ${ENDPOINT_COLUMNS}`, [...params, id]);
    if (!row) throw new ConnectError(`webhook ${id} not found`, Code.NotFound);
    return row;
  };

  return (router: ConnectRouter) =>
    router.service(WebhookService, {
      async createWebhook(req) {
        const caller = requireManager(req.caller, req.clientIp);
        const violations: Violation[] = [];
        if (!isUuid(req.workspaceId)) violations.push({ field: "workspaceId", description: "must be a workspace id (UUID)" });
        const events = [...new Set(req.events)];
        if (!events.length) violations.push({ field: "events", description: `must name at least one of ${EVENT_TYPES.join(", ")}` });
        for (const [i, e] of events.entries()) {
          if (!isEventType(e)) violations.push({ field: `events[${i}]`, description: `must be one of ${EVENT_TYPES.join(", ")}` });
        }
        if (req.projectId && !isUuid(req.projectId)) violations.push({ field: "projectId", description: "must be a project id (UUID)" });
        checkFilter("categories", req.categories, violations);
        checkFilter("actions", req.actions, violations);
        const descriptionProblem = req.description.length > MAX_DESCRIPTION ? `must be at most ${MAX_DESCRIPTION} characters` : textProblem(req.description, "multiline");
        if (descriptionProblem) violations.push({ field: "description", description: descriptionProblem });
        let url = req.url.trim();
        if (!url) violations.push({ field: "url", description: "is required: the http(s) URL that receives deliveries" });
        else {
          // Syntax and literal addresses now, so one answer lists every problem; DNS comes after.
          try {
            validateWebhookUrl(url, { allowLoopback: deps.allowLoopback });
          } catch (err) {
            if (!(err instanceof WebhookUrlError)) throw err;
            violations.push({ field: "url", description: err.message });
          }
        }
        if (violations.length) {
          const onlyUrl = violations.length === 1 && violations[0]!.field === "url";
          throw invalidArgument(onlyUrl ? `webhook URL refused: ${violations[0]!.description}` : "invalid webhook", violations);
        }
        const plan = await requireWebhookPlan(caller.companyId);
        try {
          url = (await checkWebhookUrl(url, { allowLoopback: deps.allowLoopback })).url.toString();
        } catch (err) {
          if (err instanceof WebhookUrlError) throw invalidArgument(`webhook URL refused: ${err.message}`, [{ field: "url", description: err.message }]);
          throw err;
        }

        const id = uuidv7();
        const secret = generateWebhookSecret();
        await deps.tenancy.requireWorkspace(caller.companyId, req.workspaceId);
        if (req.projectId) await deps.tenancy.requireProject(caller.companyId, req.projectId, req.workspaceId);
        const row = await deps.orm.em.fork().transactional(async (tx) => {
          // One creation per company at a time, so two concurrent calls cannot both take the last slot.
          await tx.execute(`select pg_advisory_xact_lock(hashtext('hyrelog.webhooks.' || ?))`, [caller.companyId]);
          const [{ n }] = (await tx.execute<Array<{ n: number }>>(`select count(*)::int as n from webhook_endpoints where company_id = ?`, [caller.companyId])) as [{ n: number }];
          if (n >= plan.maxWebhooks) {
            throw planLimitExceeded(
              `the ${plan.tier} plan allows at most ${plan.maxWebhooks} webhook endpoints and this company has ${n}; delete one or upgrade`,
              plan.plan,
              "maxWebhooks",
              String(plan.maxWebhooks),
            );
          }
          const [created] = await tx.execute<EndpointRow[]>(
            `insert into webhook_endpoints (id, company_id, workspace_id, project_id, url, description, event_types, categories, actions, secret_sealed)
             values (?, ?, ?, ?, ?, ?, ?::text[], ?::text[], ?::text[], ?) returning ${ENDPOINT_COLUMNS}`,
            [id, caller.companyId, req.workspaceId, req.projectId || null, url, req.description, pgArray(events), pgArray(req.categories), pgArray(req.actions), deps.box.seal(secret, id)],
          );
          return created!;
        });
        await record(caller, row, "webhook.created", [
          { field: "url", new: row.url },
          { field: "events", new: events.join(",") },
          { field: "status", new: "ACTIVE" },
        ], req.context);
        return { webhook: toMessage(row), secret };
      },

      async listWebhooks(req) {
        const caller = requireManager(req.caller, req.clientIp);
        await deps.tenancy.requireWorkspace(caller.companyId, req.workspaceId);
        const rows = await sql<EndpointRow>(`select ${ENDPOINT_COLUMNS} from webhook_endpoints where workspace_id = ? and company_id = ? order by id`, [req.workspaceId, caller.companyId]);
        return { webhooks: rows.map(toMessage) };
      },

      async getWebhook(req) {
        const caller = requireManager(req.caller, req.clientIp);
        return { webhook: toMessage(await findEndpoint(caller.companyId, req.webhookId)) };
      },

      async disableWebhook(req) {
        const caller = requireManager(req.caller, req.clientIp);
        const reason = req.reason.trim();
        const reasonProblem = reason.length > MAX_DESCRIPTION ? `must be at most ${MAX_DESCRIPTION} characters` : textProblem(reason, "multiline");
        if (reasonProblem) throw invalidArgument("invalid request", [{ field: "reason", description: reasonProblem }]);
        const before = await findEndpoint(caller.companyId, req.webhookId);
        const row = await update(before.id, `status = 'DISABLED', disabled_at = now(), disabled_reason = ?`, [
          `disabled through the API by key ${caller.keyId}${reason ? `: ${reason}` : ""}`,
        ]);
        await record(caller, row, "webhook.disabled", [{ field: "status", old: before.status, new: "DISABLED" }], req.context);
        return { webhook: toMessage(row) };
      },

      async enableWebhook(req) {
        const caller = requireManager(req.caller, req.clientIp);
        const before = await findEndpoint(caller.companyId, req.webhookId);
        await requireWebhookPlan(caller.companyId);
        const row = await update(before.id, `status = 'ACTIVE', disabled_at = null, disabled_reason = null, failing_since = null`);
        await record(caller, row, "webhook.enabled", [{ field: "status", old: before.status, new: "ACTIVE" }], req.context);
        deps.wake();
        return { webhook: toMessage(row) };
      },

      async rotateWebhookSecret(req) {
        const caller = requireManager(req.caller, req.clientIp);
        const before = await findEndpoint(caller.companyId, req.webhookId);
        const secret = generateWebhookSecret();
        // The current secret becomes the previous one (a rotation during an overlap ends the older overlap).
        const row = await update(before.id, `previous_secret_sealed = secret_sealed, previous_secret_expires_at = ?, secret_sealed = ?`, [
          new Date(Date.now() + ROTATION_OVERLAP_MS),
          deps.box.seal(secret, before.id),
        ]);
        await record(caller, row, "webhook.secret_rotated", [{ field: "previousSecretExpiresAt", new: row.previous_secret_expires_at ? new Date(row.previous_secret_expires_at).toISOString() : undefined }], req.context);
        return { webhook: toMessage(row), secret };
      },

      async deleteWebhook(req) {
        const caller = requireManager(req.caller, req.clientIp);
        const before = await findEndpoint(caller.companyId, req.webhookId);
        await sql(`delete from webhook_endpoints where id = ?`, [before.id]);
        await record(caller, before, "webhook.deleted", [{ field: "status", old: before.status }], req.context);
        return {};
      },

      async listDeliveries(req) {
        const caller = requireManager(req.caller, req.clientIp);
        const endpoint = await findEndpoint(caller.companyId, req.webhookId);
        const limit = req.limit === 0 ? 50 : req.limit;
        if (limit > 100) throw invalidArgument("invalid limit", [{ field: "limit", description: "must be a whole number from 1 to 100" }]);
        const status = DELIVERY_STATUS.toName(req.status) ?? null;
        // The one cursor of every list: bound to this endpoint and status filter.
        const filterKey = JSON.stringify(["deliveries", endpoint.id, status]);
        const after = decodeCursor(req.cursor, filterKey);
        const rows = await sql<DeliveryRow>(
          `select id, endpoint_id, event_type, source_id, status, round, next_attempt_at, delivered_at, created_at from webhook_deliveries
           where endpoint_id = ? ${after ? "and id < ?" : ""} ${status ? "and status = ?" : ""} order by id desc limit ?`,
          [endpoint.id, ...(after ? [after] : []), ...(status ? [status] : []), limit + 1],
        );
        const page = rows.slice(0, limit);
        const attempts = page.length
          ? await sql<AttemptRow>(
              `select delivery_id, number, round, started_at, status_code, latency_ms, error from webhook_attempts where delivery_id in (?) order by delivery_id, number`,
              [page.map((d) => d.id)],
            )
          : [];
        const byDelivery = Map.groupBy(attempts, (a) => a.delivery_id);
        return {
          deliveries: page.map((d) => deliveryMessage(d, byDelivery.get(d.id) ?? [])),
          nextCursor: rows.length > limit ? encodeCursor(page.at(-1)!.id, filterKey) : "",
        };
      },

      async replayDelivery(req) {
        const caller = requireManager(req.caller, req.clientIp);
        const endpoint = await findEndpoint(caller.companyId, req.webhookId);
        await requireWebhookPlan(caller.companyId);
        const notFound = new ConnectError(`delivery ${req.deliveryId} not found`, Code.NotFound);
        if (!isUuid(req.deliveryId)) throw notFound;
        const [current] = await sql<DeliveryRow>(`select status from webhook_deliveries where id = ? and endpoint_id = ?`, [req.deliveryId, endpoint.id]);
        if (!current) throw notFound;
        if (endpoint.status !== "ACTIVE") throw new ConnectError("the webhook is disabled; enable it before replaying deliveries", Code.FailedPrecondition);
        // A pending delivery is already on its way; replaying it would race its own attempts.
        const [row] = await sql<DeliveryRow>(
          `update webhook_deliveries set status = 'PENDING', round = round + 1, attempts_in_round = 0, next_attempt_at = now(), lease_until = null
           where id = ? and status <> 'PENDING'
           returning id, endpoint_id, event_type, source_id, status, round, next_attempt_at, delivered_at, created_at`,
          [req.deliveryId],
        );
        if (!row) throw new ConnectError("the delivery is still pending; wait for its next attempt or for it to fail", Code.FailedPrecondition);
        const attempts = await sql<AttemptRow>(
          `select delivery_id, number, round, started_at, status_code, latency_ms, error from webhook_attempts where delivery_id = ? order by number`,
          [row.id],
        );
        await record(caller, endpoint, "webhook.delivery_replayed", [{ field: "deliveryId", new: row.id }, { field: "round", new: String(row.round) }], req.context);
        deps.wake();
        return { delivery: deliveryMessage(row, attempts) };
      },
    });
}

interface DeliveryRow {
  id: string;
  endpoint_id: string;
  event_type: string;
  source_id: string;
  status: string;
  round: number;
  next_attempt_at: Date | null;
  delivered_at: Date | null;
  created_at: Date;
}

interface AttemptRow {
  delivery_id: string;
  number: number;
  round: number;
  started_at: Date;
  status_code: number | null;
  latency_ms: number;
  error: string | null;
}

function checkFilter(field: string, values: string[], violations: Violation[]): void {
  if (values.length > MAX_FILTER_ENTRIES) violations.push({ field, description: `must have at most ${MAX_FILTER_ENTRIES} entries` });
  for (const [i, v] of values.entries()) {
    const problem = !v.trim() || v.length > MAX_FILTER_LENGTH ? `must be 1-${MAX_FILTER_LENGTH} characters` : textProblem(v);
    if (problem) violations.push({ field: `${field}[${i}]`, description: problem });
  }
}

/** A PostgreSQL array literal; em.execute would otherwise expand a JS array into a list of parameters. */
function pgArray(values: string[]): string {
  return `{${values.map((v) => `"${v.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`).join(",")}}`;
}


function toMessage(row: EndpointRow): Webhook {
  return create(WebhookSchema, {
    id: row.id,
    companyId: row.company_id,
    workspaceId: row.workspace_id,
    projectId: row.project_id ?? "",
    url: row.url,
    description: row.description,
    events: row.event_types,
    categories: row.categories,
    actions: row.actions,
    status: WEBHOOK_STATUS.fromName(row.status) ?? WebhookStatus.UNSPECIFIED,
    disabledReason: row.disabled_reason ?? "",
    disabledAt: rowTimestamp(row.disabled_at),
    createdAt: rowTimestamp(row.created_at),
    updatedAt: rowTimestamp(row.updated_at),
    previousSecretExpiresAt: row.previous_secret_expires_at && new Date(row.previous_secret_expires_at).getTime() > Date.now() ? rowTimestamp(row.previous_secret_expires_at) : undefined,
    failingSince: rowTimestamp(row.failing_since),
  });
}

function deliveryMessage(d: DeliveryRow, attempts: AttemptRow[]): Delivery {
  return create(DeliverySchema, {
    id: d.id,
    webhookId: d.endpoint_id,
    eventType: d.event_type,
    sourceId: d.source_id,
    status: DELIVERY_STATUS.fromName(d.status) ?? DeliveryStatus.UNSPECIFIED,
    createdAt: rowTimestamp(d.created_at),
    nextAttemptAt: d.status === "PENDING" ? rowTimestamp(d.next_attempt_at) : undefined,
    deliveredAt: rowTimestamp(d.delivered_at),
    round: d.round,
    attempts: attempts.map((a) => ({
      number: a.number,
      round: a.round,
      startedAt: rowTimestamp(a.started_at),
      statusCode: a.status_code ?? undefined,
      latencyMs: a.latency_ms,
      error: a.error ?? "",
    })),
  });
}
