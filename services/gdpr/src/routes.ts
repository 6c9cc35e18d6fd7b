import { Code, ConnectError, type Client, type ConnectRouter } from "@connectrpc/connect";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { S3Client } from "@aws-sdk/client-s3";
import type { HyrelogConfig } from "@hyrelog/config";
import { isUuid, textProblem, uuidv7, type Violation } from "@hyrelog/core";
import { readExportFile, type Orm, type SubjectKeyStore } from "@hyrelog/db";
import { jobToProto, type JobQueue, type JobType } from "@hyrelog/jobs";
import { GdprService, RequestStatus, type Decider, type IngestService, type Principal, type RequestContext } from "@hyrelog/proto";
import { companyPlan, decodeCursor, encodeCursor, invalidArgument, isStaffPrincipal, pageLimit, planLimitExceeded, recordAuditEvent, regionToProto, requireCompanyPrincipal, type Logger } from "@hyrelog/runtime";
import { presignDownload } from "@hyrelog/storage";
import type { SubjectParams } from "./jobs.ts";
import { KINDS, ROLES, SHOWN_STATUS, STATUSES, approvalsComplete, loadRequests, requestToProto, type RequestRow } from "./requests.ts";

export interface GdprRoutesDeps {
  orm: Orm;
  subjects: SubjectKeyStore;
  s3: S3Client;
  config: HyrelogConfig;
  queue: JobQueue;
  jobs: { access: JobType<SubjectParams>; erasure: JobType<SubjectParams>; companyExport: JobType<{ requestedBy: string }> };
  ingest: Client<typeof IngestService>;
  logger: Logger;
}

const MAX_REASON = 1000;
const MAX_SUBJECT_ID = 256;
const MAX_LIST = 100;

/** Requests and company exports need a company key (or the dashboard acting as one). */
function requireCompany(p: Principal | undefined, what: string): Principal {
  return requireCompanyPrincipal(p, `${what} needs a company key (hlk_co_...)`);
}

/** HyreLog staff act through the gateway's admin routes, as a system principal. */
function requireStaff(p: Principal | undefined): Principal {
  if (!isStaffPrincipal(p)) throw new ConnectError("only HyreLog staff may act on every company's requests", Code.PermissionDenied);
  return p;
}

function requireDecider(d: Decider | undefined): { id: string; role: "CUSTOMER" | "HYRELOG_ADMIN" } {
  const role = d ? ROLES.toName(d.role) : undefined;
  if (!d || !d.id || !role) throw new ConnectError("who decides (decider id and role) is required", Code.InvalidArgument);
  return { id: d.id, role };
}

export function gdprRoutes(deps: GdprRoutesDeps) {
  const { orm, config } = deps;
  const em = () => orm.em.fork();

  const planOf = async (companyId: string) => {
    const plan = await companyPlan(orm, companyId);
    if (!plan) throw new ConnectError(`company ${companyId} not found`, Code.NotFound);
    return plan;
  };
  const requireWorkflows = async (companyId: string) => {
    const plan = await planOf(companyId);
    if (!plan.features.gdprWorkflows) {
      throw planLimitExceeded(`GDPR requests and exports are not available on the ${plan.tier} plan; they need STARTER or above`, plan.plan, "gdprWorkflows", "false");
    }
    return plan;
  };

  /** One request of the company; another company's id answers like one that does not exist. */
  const find = async (id: string, companyId: string | null) => {
    const [found] = isUuid(id) ? await loadRequests(em(), [id], companyId) : [];
    if (!found) throw new ConnectError(`GDPR request ${id} not found`, Code.NotFound);
    return found;
  };

  const audit = (row: RequestRow, action: string, by: string, changes: Array<{ field: string; old?: string; new?: string }>, context?: RequestContext) =>
    recordAuditEvent(deps.ingest, deps.logger, {
      companyId: row.company_id,
      region: regionToProto(config.region),
      category: "gdpr",
      action,
      actor: { id: by, type: by.startsWith("dashboard:") ? "dashboard_user" : "api_key" },
      target: { id: row.id, type: "gdpr_request" },
      changes,
      metadata: { kind: row.kind },
      idempotencyKey: `${action}:${row.id}:${by}`,
      context,
    });

  /** Queues the request's job and records its id; the job's run marks the request COMPLETED. */
  const start = async (row: RequestRow) => {
    const type = row.kind === "ACCESS" ? deps.jobs.access : deps.jobs.erasure;
    const job = await deps.queue.create(type, {
      companyId: row.company_id,
      workspaceId: null,
      // The job names the key as every job does (its id), not as the request's decider id ("key:<id>").
      requestedBy: { keyId: row.requested_by.replace(/^key:/, ""), scope: "COMPANY" },
      params: { requestId: row.id, subjectId: row.subject_id, subjectEmailIndex: row.subject_email_index },
    });
    await em().execute(`update gdpr_requests set status = 'APPROVED', job_id = ?, updated_at = now() where id = ?`, [job.id, row.id]);
  };

  /** A request as shown: its job's failure shows as FAILED. */
  const shown = async (id: string, companyId: string | null) => {
    const { row, approvals } = await find(id, companyId);
    const job = row.job_id ? await deps.queue.get(row.job_id, row.company_id) : null;
    const request = requestToProto(row, approvals);
    return { request, job: job ? jobToProto(job) : undefined, file: row.kind === "ACCESS" && row.status === "COMPLETED" && row.job_id ? await fileOf(row.job_id) : undefined };
  };

  const fileOf = async (jobId: string) => {
    const file = await readExportFile(orm, jobId);
    if (!file?.available) return undefined;
    const ttl = config.exports.downloadUrlTtlSeconds;
    return {
      url: await presignDownload(deps.s3, config.s3.bucket, file.objectKey, ttl, file.objectKey.split("/").pop()!),
      urlExpiresAt: timestampFromDate(new Date(Date.now() + ttl * 1000)),
      bytes: file.bytes,
      sha256: file.sha256,
    };
  };

  return (router: ConnectRouter) =>
    router.service(GdprService, {
      async createRequest(req) {
        const p = requireCompany(req.principal, "GDPR requests");
        const requester = requireDecider(req.requester);
        const kind = KINDS.toName(req.kind);
        const violations: Violation[] = [];
        if (!kind) violations.push({ field: "kind", description: `must be ${KINDS.alternatives}` });
        if ((req.subjectId === "") === (req.subjectEmail === "")) {
          violations.push({ field: "subject", description: 'must name the data subject by exactly one of "id" (the actor.id / target.id your events use) or "email"' });
        }
        if (req.subjectId.length > MAX_SUBJECT_ID) violations.push({ field: "subject.id", description: `must be at most ${MAX_SUBJECT_ID} characters` });
        else if (req.subjectId && textProblem(req.subjectId, "multiline")) violations.push({ field: "subject.id", description: textProblem(req.subjectId, "multiline")! });
        if (req.subjectEmail && (!/^[^\s@]+@[^\s@]+$/.test(req.subjectEmail) || req.subjectEmail.length > 320 || textProblem(req.subjectEmail, "line"))) {
          violations.push({ field: "subject.email", description: "must be an email address like jane@example.com" });
        }
        if (kind === "ERASURE" && !req.reason.trim()) violations.push({ field: "reason", description: "is required for an erasure (e.g. the data subject's request of 2026-12-01)" });
        if (req.reason.length > MAX_REASON) violations.push({ field: "reason", description: `must be at most ${MAX_REASON} characters` });
        else if (req.reason && textProblem(req.reason, "multiline")) violations.push({ field: "reason", description: textProblem(req.reason, "multiline")! });
        if (violations.length) throw invalidArgument("invalid GDPR request; nothing was created", violations);
        const plan = await requireWorkflows(p.companyId);

        const id = uuidv7();
        const emailIndex = req.subjectEmail ? deps.subjects.emailIndex(p.companyId, req.subjectEmail) : null;
        await em().execute(
          `insert into gdpr_requests (id, company_id, kind, subject_id, subject_email_index, reason, status, requested_by, needs_customer_approval, needs_hyrelog_approval)
           values (?, ?, ?, ?, ?, ?, ?, ?, true, ?)`,
          [id, p.companyId, kind, req.subjectId || null, emailIndex, req.reason || null, kind === "ACCESS" ? "APPROVED" : "PENDING_APPROVAL", requester.id, plan.features.gdprHyrelogApproval === true],
        );
        const { row } = await find(id, p.companyId);
        await audit(row, "gdpr.request_created", requester.id, [{ field: "status", new: row.status }], req.context);
        // Subject access reads what the company already may read: it runs at once.
        if (kind === "ACCESS") await start(row);
        return { request: (await shown(id, p.companyId)).request };
      },

      async listRequests(req) {
        const p = req.principal;
        if (!p) throw new ConnectError("principal is required", Code.Unauthenticated);
        if (req.allCompanies) requireStaff(p);
        else requireCompany(p, "GDPR requests");
        const limit = pageLimit(req.limit, MAX_LIST);
        const status = req.status === RequestStatus.UNSPECIFIED ? null : STATUSES.toName(req.status);
        // The one cursor contract: opaque, and only for the list (company, status) that issued it.
        const filterKey = JSON.stringify(["gdpr-requests", req.allCompanies ? "*" : p.companyId, status ?? ""]);
        let beforeId: string | null;
        if (req.beforeId) {
          if (!req.allCompanies) throw invalidArgument("invalid beforeId", [{ field: "beforeId", description: "is for HyreLog admins' lists of every company; use cursor" }]);
          if (!isUuid(req.beforeId)) throw invalidArgument("invalid beforeId", [{ field: "beforeId", description: "must be a request id" }]);
          beforeId = req.beforeId;
        } else {
          beforeId = decodeCursor(req.cursor, filterKey);
        }
        const where = ["true"];
        const params: unknown[] = [];
        const add = (condition: string, value: unknown) => {
          where.push(condition);
          params.push(value);
        };
        if (!req.allCompanies) add("r.company_id = ?", p.companyId);
        if (status) add(`${SHOWN_STATUS} = ?`, status);
        if (beforeId) add("r.id < ?", beforeId);
        const ids = await em().execute<Array<{ id: string }>>(
          `select r.id from gdpr_requests r left join jobs j on j.id = r.job_id where ${where.join(" and ")} order by r.id desc limit ?`,
          [...params, limit + 1],
        );
        const page = ids.slice(0, limit);
        const found = await loadRequests(em(), page.map((r) => r.id), req.allCompanies ? null : p.companyId);
        return { requests: found.map((f) => requestToProto(f.row, f.approvals)), nextCursor: ids.length > limit ? encodeCursor(page.at(-1)!.id, filterKey) : "" };
      },

      async getRequest(req) {
        const admin = isStaffPrincipal(req.principal);
        if (!admin) requireCompany(req.principal, "GDPR requests");
        return shown(req.requestId, admin ? null : req.principal!.companyId);
      },

      async decideRequest(req) {
        const decider = requireDecider(req.decider);
        const admin = decider.role === "HYRELOG_ADMIN";
        if (admin) requireStaff(req.principal);
        else requireCompany(req.principal, "Deciding a GDPR request");
        if (req.comment.length > MAX_REASON || (req.comment && textProblem(req.comment, "multiline"))) {
          throw invalidArgument("invalid comment", [{ field: "comment", description: textProblem(req.comment, "multiline") ?? `must be at most ${MAX_REASON} characters` }]);
        }
        const { row } = await find(req.requestId, admin ? null : req.principal!.companyId);
        if (row.kind !== "ERASURE") throw new ConnectError("only erasure requests are approved; subject access runs at once", Code.FailedPrecondition);
        if (row.status !== "PENDING_APPROVAL") throw new ConnectError(`GDPR request ${row.id} is ${row.status}: only a pending request can be approved or rejected`, Code.FailedPrecondition);
        if (decider.id === row.requested_by) throw new ConnectError("an erasure needs another person's approval: whoever asked for it cannot approve or reject it", Code.PermissionDenied);
        const inserted = await em().execute<Array<{ id: string }>>(
          `insert into gdpr_approvals (id, request_id, company_id, decided_by, role, decision, comment) values (?, ?, ?, ?, ?, ?, ?)
           on conflict (request_id, decided_by) do nothing returning id`,
          [uuidv7(), row.id, row.company_id, decider.id, decider.role, req.approve ? "APPROVE" : "REJECT", req.comment || null],
        );
        if (!inserted.length) throw new ConnectError(`${decider.id} has already decided on GDPR request ${row.id}`, Code.AlreadyExists);
        await audit(row, req.approve ? "gdpr.request_approved" : "gdpr.request_rejected", decider.id, [], req.context);
        const { row: now, approvals } = await find(row.id, row.company_id);
        if (!req.approve) {
          // Only a still-pending request turns REJECTED: one rejection stops it.
          await em().execute(`update gdpr_requests set status = 'REJECTED', updated_at = now() where id = ? and status = 'PENDING_APPROVAL'`, [row.id]);
          await audit(now, "gdpr.request_status_changed", decider.id, [{ field: "status", old: "PENDING_APPROVAL", new: "REJECTED" }], req.context);
        } else if (approvalsComplete(now, approvals)) {
          const [claimed] = await em().execute<Array<{ id: string }>>(
            `update gdpr_requests set status = 'APPROVED', updated_at = now() where id = ? and status = 'PENDING_APPROVAL' returning id`,
            [row.id],
          );
          if (claimed) {
            await start(now);
            await audit(now, "gdpr.request_status_changed", decider.id, [{ field: "status", old: "PENDING_APPROVAL", new: "APPROVED" }], req.context);
          }
        }
        return { request: (await shown(row.id, row.company_id)).request };
      },

      async cancelRequest(req) {
        const decider = requireDecider(req.decider);
        const admin = decider.role === "HYRELOG_ADMIN";
        if (admin) requireStaff(req.principal);
        else requireCompany(req.principal, "Cancelling a GDPR request");
        const { row } = await find(req.requestId, admin ? null : req.principal!.companyId);
        const [cancelled] = await em().execute<Array<{ id: string }>>(
          `update gdpr_requests set status = 'CANCELLED', updated_at = now() where id = ? and status = 'PENDING_APPROVAL' returning id`,
          [row.id],
        );
        if (!cancelled) throw new ConnectError(`GDPR request ${row.id} is ${row.status}: only a pending request can be cancelled`, Code.FailedPrecondition);
        await audit(row, "gdpr.request_status_changed", decider.id, [{ field: "status", old: "PENDING_APPROVAL", new: "CANCELLED" }], req.context);
        return { request: (await shown(row.id, row.company_id)).request };
      },

      async createCompanyExport(req) {
        const p = requireCompany(req.principal, "A company export");
        await requireWorkflows(p.companyId);
        const job = await deps.queue.create(deps.jobs.companyExport, {
          companyId: p.companyId,
          workspaceId: null,
          requestedBy: { keyId: p.keyId, scope: "COMPANY" },
          params: { requestedBy: p.keyId },
        });
        return { job: jobToProto(job) };
      },

      async getCompanyExport(req) {
        const p = requireCompany(req.principal, "A company export");
        const job = isUuid(req.jobId) ? await deps.queue.get(req.jobId, p.companyId) : null;
        if (!job || job.type !== deps.jobs.companyExport.name) throw new ConnectError(`company export ${req.jobId} not found`, Code.NotFound);
        return { job: jobToProto(job), file: job.status === "COMPLETED" ? await fileOf(job.id) : undefined };
      },
    });
}

