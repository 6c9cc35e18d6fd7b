/** GDPR: subject access and erasure requests, approvals, and the company export (checked here for shape, by the gdpr service for everything else). */
import { DeciderRole, RequestKindSchema, RequestStatus, RequestStatusSchema, type DownloadFile, type GdprRequest, type Principal } from "@hyrelog/proto";
import { enumNames } from "@hyrelog/runtime";
import {
  array,
  EMAIL_PATTERN,
  CURSOR,
  dateTime,
  integer,
  JOB,
  JOB_PROPERTIES,
  JOB_QUEUED,
  jsonResponse,
  limitQuery,
  named,
  nullable,
  nullableStr,
  nullableUuid,
  object,
  page,
  query,
  response,
  str,
  uuid,
  type Json,
} from "../api-schema.ts";
import { JOB_STATUSES, jobJson } from "./jobs.ts";
import { iso, optionalObjectBody, refuse, type Handler, type Operation, type Route, type RouteTable, type Violation } from "./shared.ts";

const KIND_NAMES = ["ACCESS", "ERASURE"];
const STATUS_NAMES = ["PENDING_APPROVAL", "APPROVED", "REJECTED", "CANCELLED", "COMPLETED", "FAILED"];

const DOWNLOAD = object({
  url: str({ description: "A presigned S3 GET URL, valid until expiresAt (EXPORT_DOWNLOAD_URL_TTL_SECONDS); GET again for a fresh one." }),
  expiresAt: dateTime(),
  bytes: integer({ minimum: 0 }),
  sha256: str({ pattern: "^[0-9a-f]{64}$", description: "SHA-256 of the file." }),
});

/** The fields of a request (requestJson). */
const REQUEST_PROPERTIES: Record<string, Json> = {
  id: uuid(),
  companyId: uuid(),
  kind: { type: "string", enum: KIND_NAMES, description: "ACCESS: a file of every event naming the subject. ERASURE: destroys the subject's keys once approved." },
  subject: {
    oneOf: [
      object({ id: str({ description: "The actor.id / target.id your events use." }) }),
      object({ email: str({ description: "Never stored: the request is matched by the email's keyed blind index, and this field says so." }) }),
    ],
  },
  reason: nullableStr(),
  status: { type: "string", enum: STATUS_NAMES, description: "ACCESS requests start APPROVED; ERASURE requests wait in PENDING_APPROVAL. FAILED: the request's job failed (see error)." },
  requestedBy: str({ description: "`key:<API key id>`, or `dashboard:<user id>` for a person in HyreLog's dashboard." }),
  approvalsNeeded: object({
    customer: { type: "boolean", description: "An erasure needs the approval of someone other than who asked." },
    hyrelogAdmin: { type: "boolean", description: "The plan (gdprHyrelogApproval) also needs a HyreLog admin's approval." },
  }),
  approvals: array(
    object({
      decidedBy: str(),
      role: { type: "string", enum: ["CUSTOMER", "HYRELOG_ADMIN"] },
      decision: { type: "string", enum: ["APPROVE", "REJECT"] },
      comment: nullableStr(),
      createdAt: dateTime(),
    }),
    { description: "Oldest first." },
  ),
  jobId: nullableUuid("The job that carries the request out, once approved."),
  result: { type: ["object", "null"], description: "Once COMPLETED: the job's result (an erasure: subjectsErased, eventsCovered, eventsNotErasable)." },
  error: nullableStr({ description: "Why the job failed." }),
  download: nullable(DOWNLOAD, "GET /v1/gdpr/requests/{id} of a COMPLETED access request: its file (JSONL: a manifest line, then the subject's events). null otherwise."),
  createdAt: dateTime(),
  updatedAt: dateTime(),
};

const REQUEST = named("GdprRequest", object(REQUEST_PROPERTIES, undefined, { description: "A data subject's access or erasure request. Holds no personal data of the subject." }));
const REQUEST_DETAIL = named("GdprRequestDetail", object({ ...REQUEST_PROPERTIES, job: nullable(JOB, "The request's job, once it has one.") }));
const REQUEST_PAGE = page("GdprRequestPage", REQUEST, "Pass as `cursor` (with the same status) for the next page; null on the last page.");

const CREATE_REQUEST = named(
  "CreateGdprRequest",
  object(
    {
      kind: { type: "string", enum: KIND_NAMES },
      subject: {
        description: "The data subject, by exactly one of id (the actor.id / target.id your events use) or email.",
        oneOf: [object({ id: str({ minLength: 1, maxLength: 256 }) }), object({ email: str({ maxLength: 320, pattern: EMAIL_PATTERN }) })],
      },
      reason: nullableStr({ maxLength: 1000, description: "Required for an erasure (e.g. the data subject's request of 2026-12-01); multi-line text." }),
    },
    ["kind", "subject"],
    {
      if: { type: "object", properties: { kind: { const: "ERASURE" } }, required: ["kind"] },
      then: { type: "object", properties: { reason: { type: "string", minLength: 1 } }, required: ["reason"] },
    },
  ),
);

const DECISION = named("GdprDecision", object({ comment: nullableStr({ maxLength: 1000, description: "Kept with the decision; multi-line text." }) }, []));

const COMPANY_EXPORT = named(
  "CompanyExport",
  object(
    {
      ...JOB_PROPERTIES,
      download: nullable(DOWNLOAD, "Once COMPLETED and until the file's retention ends: the file (JSONL: every record HyreLog holds about the company, then its events)."),
    },
    undefined,
    { description: "The company export's job, with its file." },
  ),
);

const COMPANY_KEY = "Needs a company key (403 for a workspace key).";
const RECORDED = "Recorded in the company's audit log, without the subject's data.";
const REQUEST_ID = { id: "A GDPR request of the company (UUID); another company's is a 404." };
const ERRORS: Record<string, Json> = { "403": response("Forbidden"), "404": response("NotFound") };
const decisionDoc = (operationId: string, summary: string, description: string): Operation => ({
  tag: "GDPR",
  operationId,
  summary,
  description: `${COMPANY_KEY} ${description} ${RECORDED}`,
  path: REQUEST_ID,
  body: { schema: DECISION, required: false },
  responses: { "200": jsonResponse("The request.", REQUEST), ...ERRORS, "409": response("Conflict") },
});

export const GDPR_KINDS = enumNames(RequestKindSchema, { prefix: "REQUEST_KIND_" });
export const GDPR_STATUSES = enumNames(RequestStatusSchema, { prefix: "REQUEST_STATUS_" });

/** Who acts, as requests and approvals record it: an API key, or a dashboard user acting as one. */
export function deciderOf(p: Principal, role = DeciderRole.CUSTOMER) {
  return { id: p.keyId.startsWith("dashboard:") ? p.keyId : `key:${p.keyId}`, role };
}

export function requestJson(r: GdprRequest, file?: DownloadFile) {
  return {
    id: r.id,
    companyId: r.companyId,
    kind: GDPR_KINDS.toName(r.kind) ?? "UNKNOWN",
    subject: r.subjectNamedByEmail ? { email: "(not stored; matched by its blind index)" } : { id: r.subjectId },
    reason: r.reason || null,
    status: GDPR_STATUSES.toName(r.status) ?? "UNKNOWN",
    requestedBy: r.requestedBy,
    approvalsNeeded: { customer: r.needsCustomerApproval, hyrelogAdmin: r.needsHyrelogApproval },
    approvals: r.approvals.map((a) => ({
      decidedBy: a.decidedBy,
      role: a.role === DeciderRole.HYRELOG_ADMIN ? "HYRELOG_ADMIN" : "CUSTOMER",
      decision: a.approved ? "APPROVE" : "REJECT",
      comment: a.comment || null,
      createdAt: iso(a.createdAt),
    })),
    jobId: r.jobId || null,
    result: r.result ?? null,
    error: r.error || null,
    download: file ? { url: file.url, expiresAt: iso(file.urlExpiresAt), bytes: Number(file.bytes), sha256: file.sha256 } : null,
    createdAt: iso(r.createdAt),
    updatedAt: iso(r.updatedAt),
  };
}

/** `{"comment"}`, optional: the body of the dashboard's own decisions (the /v1 ones declare DECISION). */
export async function commentBody(req: Parameters<Handler>[0]["req"]): Promise<string> {
  const b = await optionalObjectBody(req);
  const violations: Violation[] = [];
  for (const k of Object.keys(b)) if (k !== "comment") violations.push({ field: k, description: 'is not a field of a decision (comment)' });
  if (b.comment !== undefined && b.comment !== null && typeof b.comment !== "string") violations.push({ field: "comment", description: "must be a string" });
  refuse("invalid decision", violations);
  return typeof b.comment === "string" ? b.comment : "";
}

export const gdprRoutes: RouteTable = (clients): Route[] => {
  const create: Handler = async (r) => {
    const b = r.body as { kind: string; subject: { id?: string; email?: string }; reason?: string | null };
    const res = await clients.gdpr(r.region).createRequest(
      {
        principal: r.principal,
        requester: deciderOf(r.principal),
        kind: GDPR_KINDS.fromName(b.kind)!,
        subjectId: b.subject.id ?? "",
        subjectEmail: b.subject.email ?? "",
        reason: b.reason ?? "",
        context: r.context,
      },
      { headers: r.callHeaders },
    );
    return { status: 201, body: requestJson(res.request!) };
  };

  const list: Handler = async (r) => {
    const { limit = 0, cursor = "", status } = r.query as { limit?: number; cursor?: string; status?: string };
    const res = await clients
      .gdpr(r.region)
      .listRequests({ principal: r.principal, status: GDPR_STATUSES.fromName(status) ?? RequestStatus.UNSPECIFIED, limit, cursor }, { headers: r.callHeaders });
    return { status: 200, body: { data: res.requests.map((q) => requestJson(q)), nextCursor: res.nextCursor || null, hasMore: !!res.nextCursor } };
  };

  const get: Handler = async (r) => {
    const res = await clients.gdpr(r.region).getRequest({ principal: r.principal, requestId: r.params.id! }, { headers: r.callHeaders });
    return { status: 200, body: { ...requestJson(res.request!, res.file), job: res.job ? jobJson(res.job) : null } };
  };

  const decide =
    (approve: boolean): Handler =>
    async (r) => {
      const comment = (r.body as { comment?: string | null }).comment ?? "";
      const res = await clients
        .gdpr(r.region)
        .decideRequest({ principal: r.principal, decider: deciderOf(r.principal), requestId: r.params.id!, approve, comment, context: r.context }, { headers: r.callHeaders });
      return { status: 200, body: requestJson(res.request!) };
    };

  const cancel: Handler = async (r) => {
    refuse("this route takes no body", Object.keys(await optionalObjectBody(r.req)).map((field) => ({ field, description: "this route takes no body" })));
    const res = await clients.gdpr(r.region).cancelRequest({ principal: r.principal, decider: deciderOf(r.principal), requestId: r.params.id!, context: r.context }, { headers: r.callHeaders });
    return { status: 200, body: requestJson(res.request!) };
  };

  const companyExport: Handler = async (r) => {
    refuse("this route takes no body", Object.keys(await optionalObjectBody(r.req)).map((field) => ({ field, description: "this route takes no body" })));
    const res = await clients.gdpr(r.region).createCompanyExport({ principal: r.principal, context: r.context }, { headers: r.callHeaders });
    return { status: 202, body: { jobId: res.job!.id, status: JOB_STATUSES.toName(res.job!.status) ?? "UNKNOWN" } };
  };

  const getCompanyExport: Handler = async (r) => {
    const res = await clients.gdpr(r.region).getCompanyExport({ principal: r.principal, jobId: r.params.jobId! }, { headers: r.callHeaders });
    const f = res.file;
    return {
      status: 200,
      body: { ...jobJson(res.job!), download: f ? { url: f.url, expiresAt: iso(f.urlExpiresAt), bytes: Number(f.bytes), sha256: f.sha256 } : null },
    };
  };

  return [
    {
      method: "POST",
      pattern: "/v1/gdpr/requests",
      doc: {
        tag: "GDPR",
        operationId: "createGdprRequest",
        summary: "Ask for a data subject's access or erasure",
        description:
          `${COMPANY_KEY} On STARTER or above (403 \`plan_limit\` on FREE: \`gdprWorkflows\`). ${RECORDED} An access request runs at once: poll GET /v1/gdpr/requests/{id} for its file. ` +
          "An erasure waits for the approval of someone other than who asked (another key, or a person in the dashboard), and of a HyreLog admin where the plan says so; then it destroys the subject's keys, so their values read \"[erased]\" everywhere while every hash and proof still verifies.",
        body: { schema: CREATE_REQUEST, required: true },
        responses: { "201": jsonResponse("Created.", REQUEST), ...ERRORS },
      },
      handler: create,
    },
    {
      method: "GET",
      pattern: "/v1/gdpr/requests",
      doc: {
        tag: "GDPR",
        operationId: "listGdprRequests",
        summary: "List the company's GDPR requests",
        description: `${COMPANY_KEY} Newest first.`,
        parameters: [query("status", { type: "string", enum: STATUS_NAMES }, "Only requests in this status."), limitQuery(100), CURSOR],
        responses: { "200": jsonResponse("A page of requests.", REQUEST_PAGE), "403": response("Forbidden") },
      },
      handler: list,
    },
    {
      method: "GET",
      pattern: "/v1/gdpr/requests/:id",
      doc: {
        tag: "GDPR",
        operationId: "getGdprRequest",
        summary: "A GDPR request, its job and its file",
        description: `${COMPANY_KEY} A COMPLETED access request comes with a fresh download URL of its file.`,
        path: REQUEST_ID,
        responses: { "200": jsonResponse("The request.", REQUEST_DETAIL), ...ERRORS },
      },
      handler: get,
    },
    {
      method: "POST",
      pattern: "/v1/gdpr/requests/:id/approve",
      doc: decisionDoc(
        "approveGdprRequest",
        "Approve a pending erasure",
        "Whoever asked for it cannot approve it (403). The erasure starts once every approval it needs is in. 409 unless the request is a PENDING_APPROVAL erasure, or if this caller already decided.",
      ),
      handler: decide(true),
    },
    {
      method: "POST",
      pattern: "/v1/gdpr/requests/:id/reject",
      doc: decisionDoc(
        "rejectGdprRequest",
        "Reject a pending erasure",
        "Whoever asked for it cannot reject it (403; they cancel it). One rejection makes it REJECTED. 409 unless the request is a PENDING_APPROVAL erasure.",
      ),
      handler: decide(false),
    },
    {
      method: "POST",
      pattern: "/v1/gdpr/requests/:id/cancel",
      doc: {
        tag: "GDPR",
        operationId: "cancelGdprRequest",
        summary: "Cancel a pending erasure",
        description: `${COMPANY_KEY} Takes no body. 409 unless the request is PENDING_APPROVAL. ${RECORDED}`,
        path: REQUEST_ID,
        responses: { "200": jsonResponse("The cancelled request.", REQUEST), ...ERRORS, "409": response("Conflict") },
      },
      handler: cancel,
    },
    {
      method: "POST",
      pattern: "/v1/key/company/gdpr/export",
      doc: {
        tag: "GDPR",
        operationId: "createCompanyExport",
        summary: "Export everything HyreLog holds about the company",
        description:
          `${COMPANY_KEY} On STARTER or above (403 \`plan_limit\` on FREE). Queues a job writing the company, its workspaces, projects, API keys (no key hashes), ` +
          "webhook endpoints (no secrets), usage, GDPR requests and every event to one JSONL file; EXPORT_COMPLETED is sent when it is done. Takes no body. Poll GET /v1/gdpr/exports/{jobId}.",
        responses: { "202": jsonResponse("Queued.", JOB_QUEUED), "403": response("Forbidden") },
      },
      handler: companyExport,
    },
    {
      method: "GET",
      pattern: "/v1/gdpr/exports/:jobId",
      doc: {
        tag: "GDPR",
        operationId: "getCompanyExport",
        summary: "A company export's status and file",
        description: `${COMPANY_KEY} Any job that is not a company export of the company is a 404.`,
        path: { jobId: "The company export's job id (UUID)." },
        responses: { "200": jsonResponse("The job, with its file once COMPLETED.", COMPANY_EXPORT), ...ERRORS },
      },
      handler: getCompanyExport,
    },
  ];
};
