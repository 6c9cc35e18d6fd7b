/**
 * Restore requests of cold archives (docs/operations/archival.md, "Restores"): a company key asks,
 * lists, reads and cancels its company's requests; HyreLog staff approve or reject them in the
 * dashboard (routes/dashboard.ts, which also serves these handlers to the company's people). The
 * archival service checks everything else: the archive, the plan's tiers, one open request per
 * archive, the cost estimate, and records each step in the company's log.
 */
import { RestoreStatus, RestoreStatusSchema, RestoreTierSchema, type RestoreRequest, type RestoreTier } from "@hyrelog/proto";
import { enumNames } from "@hyrelog/runtime";
import { CURSOR, dateTime, integer, jsonResponse, limitQuery, named, nullable, nullableDateTime, nullableStr, object, page, query, response, str, uuid, type Json } from "../api-schema.ts";
import { ARCHIVE, archiveJson } from "./archives.ts";
import { deciderOf } from "./gdpr.ts";
import { iso, type Handler, type Route, type RouteTable } from "./shared.ts";

export const RESTORE_TIERS = enumNames<RestoreTier>(RestoreTierSchema, { prefix: "RESTORE_TIER_" });
export const RESTORE_STATUSES = enumNames<RestoreStatus>(RestoreStatusSchema, { prefix: "RESTORE_STATUS_" });
const TIER_NAMES = RESTORE_TIERS.names;
const STATUS_NAMES = RESTORE_STATUSES.names;

/** The fields of a request (restoreJson). */
const RESTORE_PROPERTIES: Record<string, Json> = {
  id: uuid(),
  companyId: uuid(),
  archiveId: uuid(),
  tier: { type: "string", enum: TIER_NAMES, description: "EXPEDITED: minutes (ENTERPRISE). STANDARD: hours. BULK: up to two days, cheapest." },
  status: {
    type: "string",
    enum: STATUS_NAMES,
    description:
      "PENDING until HyreLog staff approve (APPROVED) or reject (REJECTED) it; then INITIATING, IN_PROGRESS and COMPLETED (the archive reads until availableUntil), EXPIRED after that. CANCELLED: withdrawn. FAILED: see error.",
  },
  days: integer({ minimum: 1, maximum: 30, description: "Days the restored copy stays readable." }),
  estimatedCostUsd: { type: "number", minimum: 0, description: "US dollars, from the tier's price per GB and per request and the copy's storage for its days (docs/operations/archival.md)." },
  reason: nullableStr(),
  requestedBy: str({ description: "`key:<API key id>`, or `dashboard:<user id>` for a person in HyreLog's dashboard." }),
  decidedBy: nullableStr({ description: "The HyreLog staff member who approved or rejected it (`dashboard:<user id>`)." }),
  decidedAt: nullableDateTime(),
  decisionComment: nullableStr(),
  initiatedAt: nullableDateTime(),
  completedAt: nullableDateTime(),
  availableUntil: nullableDateTime("Once COMPLETED: until when the archive reads."),
  error: nullableStr({ description: "Why it FAILED." }),
  createdAt: dateTime(),
  updatedAt: dateTime(),
};

const RESTORE = named("RestoreRequest", object(RESTORE_PROPERTIES, undefined, { description: "A request to make an archive in cold storage readable again for some days." }));
const RESTORE_DETAIL = named("RestoreRequestDetail", object({ ...RESTORE_PROPERTIES, archive: nullable(ARCHIVE, "The archive the request is for.") }));
const RESTORE_PAGE = page("RestoreRequestPage", RESTORE, "Pass as `cursor` (with the same status) for the next page; null on the last page.");
const CREATE_RESTORE = named(
  "CreateRestoreRequest",
  object(
    {
      archiveId: uuid("An archive of the company in cold storage (GET /v1/archives, or the archiveIds of a 409 `restore_required`)."),
      tier: { type: "string", enum: TIER_NAMES, description: "The plan decides which: GROWTH STANDARD or BULK, ENTERPRISE also EXPEDITED." },
      days: integer({ minimum: 1, maximum: 30, default: 7, description: "Days the restored copy stays readable." }),
      reason: nullableStr({ maxLength: 1000, description: "Why, for whoever decides it; multi-line text." }),
    },
    ["archiveId", "tier"],
  ),
);

const COMPANY_KEY = "Needs a company key (403 for a workspace key).";
const REQUEST_ID = { id: "A restore request of the company (UUID); another company's is a 404." };
const ERRORS: Record<string, Json> = { "403": response("Forbidden"), "404": response("NotFound") };

export const restoreRoutes: RouteTable = (clients): Route[] => {
  const create: Handler = async (r) => {
    const b = r.body as { archiveId: string; tier: string; days?: number; reason?: string | null };
    const res = await clients.archival(r.region).createRestoreRequest(
      // days 0: the service's default (7).
      { principal: r.principal, archiveId: b.archiveId, tier: RESTORE_TIERS.fromName(b.tier)!, days: b.days ?? 0, reason: b.reason ?? "", requestedBy: deciderOf(r.principal).id },
      { headers: r.callHeaders },
    );
    return { status: 201, body: restoreJson(res.request!) };
  };

  const list: Handler = async (r) => {
    const { limit = 0, cursor = "", status } = r.query as { limit?: number; cursor?: string; status?: string };
    const res = await clients
      .archival(r.region)
      .listRestoreRequests({ principal: r.principal, status: RESTORE_STATUSES.fromName(status) ?? RestoreStatus.UNSPECIFIED, limit, cursor }, { headers: r.callHeaders });
    return { status: 200, body: { data: res.requests.map(restoreJson), nextCursor: res.nextCursor || null, hasMore: res.nextCursor !== "" } };
  };

  const get: Handler = async (r) => {
    const res = await clients.archival(r.region).getRestoreRequest({ principal: r.principal, requestId: r.params.id! }, { headers: r.callHeaders });
    return { status: 200, body: { ...restoreJson(res.request!), archive: res.archive ? archiveJson(res.archive) : null } };
  };

  const cancel: Handler = async (r) => {
    const res = await clients
      .archival(r.region)
      .cancelRestoreRequest({ principal: r.principal, requestId: r.params.id!, actor: deciderOf(r.principal).id }, { headers: r.callHeaders });
    return { status: 200, body: restoreJson(res.request!) };
  };

  return [
    {
      method: "POST",
      pattern: "/v1/restore-requests",
      doc: {
        tag: "Archives",
        operationId: "createRestoreRequest",
        summary: "Ask for an archive in cold storage to be restored",
        description:
          `${COMPANY_KEY} On GROWTH (STANDARD, BULK) or ENTERPRISE (also EXPEDITED): 403 \`plan_limit\` (\`restoreTiers\`) on FREE and STARTER, or for a tier the plan lacks. ` +
          "The request waits PENDING, with its cost estimate, until HyreLog staff approve or reject it (the dashboard); once approved the archive is restored and reads for `days` (GET /v1/archives/{id} gives a download URL, ARCHIVED exports include it). " +
          "409 `failed_precondition` for an archive that is not in cold storage, `already_exists` while the archive has an open request. Recorded in the company's audit log (category `archive`).",
        body: { schema: CREATE_RESTORE, required: true },
        responses: { "201": jsonResponse("Created: PENDING.", RESTORE), ...ERRORS, "409": response("Conflict") },
      },
      handler: create,
    },
    {
      method: "GET",
      pattern: "/v1/restore-requests",
      doc: {
        tag: "Archives",
        operationId: "listRestoreRequests",
        summary: "List the company's restore requests",
        description: `${COMPANY_KEY} Newest first.`,
        parameters: [query("status", { type: "string", enum: STATUS_NAMES }, "Only requests in this status."), limitQuery(100), CURSOR],
        responses: { "200": jsonResponse("A page of restore requests.", RESTORE_PAGE), "403": response("Forbidden") },
      },
      handler: list,
    },
    {
      method: "GET",
      pattern: "/v1/restore-requests/:id",
      doc: {
        tag: "Archives",
        operationId: "getRestoreRequest",
        summary: "A restore request and its archive",
        description: `${COMPANY_KEY} Poll it for the status; once COMPLETED the archive reads until availableUntil.`,
        path: REQUEST_ID,
        responses: { "200": jsonResponse("The request, with its archive.", RESTORE_DETAIL), ...ERRORS },
      },
      handler: get,
    },
    {
      method: "DELETE",
      pattern: "/v1/restore-requests/:id",
      doc: {
        tag: "Archives",
        operationId: "cancelRestoreRequest",
        summary: "Cancel a pending restore request",
        description: `${COMPANY_KEY} 409 unless the request is PENDING (once approved, only HyreLog staff can cancel it). Recorded in the company's audit log.`,
        path: REQUEST_ID,
        responses: { "200": jsonResponse("The cancelled request.", RESTORE), ...ERRORS, "409": response("Conflict") },
      },
      handler: cancel,
    },
  ];
};

export function restoreJson(q: RestoreRequest) {
  return {
    id: q.id,
    companyId: q.companyId,
    archiveId: q.archiveId,
    tier: RESTORE_TIERS.toName(q.tier) ?? "UNKNOWN",
    status: RESTORE_STATUSES.toName(q.status) ?? "UNKNOWN",
    days: q.days,
    estimatedCostUsd: q.estimatedCostUsd,
    reason: q.reason || null,
    requestedBy: q.requestedBy,
    decidedBy: q.decidedBy || null,
    decidedAt: iso(q.decidedAt),
    decisionComment: q.decisionComment || null,
    initiatedAt: iso(q.initiatedAt),
    completedAt: iso(q.completedAt),
    availableUntil: iso(q.availableUntil),
    error: q.error || null,
    createdAt: iso(q.createdAt),
    updatedAt: iso(q.updatedAt),
  };
}
