/** GDPR: subject access and erasure requests, approvals, and the company export (checked here for shape, by the gdpr service for everything else). */
import { DeciderRole, RequestKindSchema, RequestStatus, RequestStatusSchema, type DownloadFile, type GdprRequest, type Principal } from "@hyrelog/proto";
import { enumNames } from "@hyrelog/runtime";
import { JOB_STATUSES, jobJson } from "./jobs.ts";
import { iso, objectBody, optionalObjectBody, refuse, type Handler, type RouteTable, type Violation } from "./shared.ts";

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

/** `{"comment"}`, optional. */
export async function commentBody(req: Parameters<Handler>[0]["req"]): Promise<string> {
  const b = await optionalObjectBody(req);
  const violations: Violation[] = [];
  for (const k of Object.keys(b)) if (k !== "comment") violations.push({ field: k, description: 'is not a field of a decision (comment)' });
  if (b.comment !== undefined && b.comment !== null && typeof b.comment !== "string") violations.push({ field: "comment", description: "must be a string" });
  refuse("invalid decision", violations);
  return typeof b.comment === "string" ? b.comment : "";
}

export const gdprRoutes: RouteTable = (clients) => {
  const create: Handler = async (r) => {
    const b = await objectBody(r.req);
    const violations: Violation[] = [];
    for (const k of Object.keys(b)) if (!["kind", "subject", "reason"].includes(k)) violations.push({ field: k, description: "is not a field of a GDPR request (kind, subject, reason)" });
    const kind = GDPR_KINDS.fromName(b.kind);
    if (kind === undefined) violations.push({ field: "kind", description: `must be ${GDPR_KINDS.alternatives}` });
    const subject = b.subject;
    let subjectId = "";
    let subjectEmail = "";
    if (typeof subject !== "object" || subject === null || Array.isArray(subject)) {
      violations.push({ field: "subject", description: 'must be {"id": "<actor.id or target.id>"} or {"email": "<email>"}' });
    } else {
      const s = subject as Record<string, unknown>;
      for (const k of Object.keys(s)) if (k !== "id" && k !== "email") violations.push({ field: `subject.${k}`, description: "is not allowed (id or email)" });
      if (s.id !== undefined && typeof s.id !== "string") violations.push({ field: "subject.id", description: "must be a string" });
      if (s.email !== undefined && typeof s.email !== "string") violations.push({ field: "subject.email", description: "must be a string" });
      subjectId = typeof s.id === "string" ? s.id : "";
      subjectEmail = typeof s.email === "string" ? s.email : "";
    }
    if (b.reason !== undefined && b.reason !== null && typeof b.reason !== "string") violations.push({ field: "reason", description: "must be a string" });
    refuse("invalid GDPR request", violations);
    const res = await clients.gdpr(r.region).createRequest(
      { principal: r.principal, requester: deciderOf(r.principal), kind, subjectId, subjectEmail, reason: typeof b.reason === "string" ? b.reason : "", context: r.context },
      { headers: r.callHeaders },
    );
    return { status: 201, body: requestJson(res.request!) };
  };

  const list: Handler = async (r) => {
    const violations: Violation[] = [];
    const statusName = r.url.searchParams.get("status");
    const status = statusName ? GDPR_STATUSES.fromName(statusName) : RequestStatus.UNSPECIFIED;
    if (status === undefined) violations.push({ field: "status", description: `must be ${GDPR_STATUSES.alternatives}` });
    const limitText = r.url.searchParams.get("limit");
    const limit = limitText === null ? 0 : Number(limitText);
    if (limitText !== null && (!/^\d+$/.test(limitText) || limit < 1 || limit > 100)) violations.push({ field: "limit", description: "must be a whole number between 1 and 100" });
    refuse("invalid query", violations);
    const res = await clients.gdpr(r.region).listRequests({ principal: r.principal, status, limit, cursor: r.url.searchParams.get("cursor") ?? "" }, { headers: r.callHeaders });
    return { status: 200, body: { data: res.requests.map((q) => requestJson(q)), nextCursor: res.nextCursor || null, hasMore: !!res.nextCursor } };
  };

  const get: Handler = async (r) => {
    const res = await clients.gdpr(r.region).getRequest({ principal: r.principal, requestId: r.params.id! }, { headers: r.callHeaders });
    return { status: 200, body: { ...requestJson(res.request!, res.file), job: res.job ? jobJson(res.job) : null } };
  };

  const decide =
    (approve: boolean): Handler =>
    async (r) => {
      const comment = await commentBody(r.req);
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
    { method: "POST", pattern: "/v1/gdpr/requests", handler: create },
    { method: "GET", pattern: "/v1/gdpr/requests", query: ["status", "limit", "cursor"], handler: list },
    { method: "GET", pattern: "/v1/gdpr/requests/:id", handler: get },
    { method: "POST", pattern: "/v1/gdpr/requests/:id/approve", handler: decide(true) },
    { method: "POST", pattern: "/v1/gdpr/requests/:id/reject", handler: decide(false) },
    { method: "POST", pattern: "/v1/gdpr/requests/:id/cancel", handler: cancel },
    { method: "POST", pattern: "/v1/key/company/gdpr/export", handler: companyExport },
    { method: "GET", pattern: "/v1/gdpr/exports/:jobId", handler: getCompanyExport },
  ];
};
