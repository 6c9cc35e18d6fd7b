import { create, type JsonObject } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { Orm } from "@hyrelog/db";
import {
  DeciderRole,
  DeciderRoleSchema,
  GdprRequestSchema,
  RequestKind,
  RequestKindSchema,
  RequestStatus,
  RequestStatusSchema,
  type GdprRequest,
} from "@hyrelog/proto";
import { enumNames } from "@hyrelog/runtime";

/** The table spells the contract's enums without their prefixes. */
export const KINDS = enumNames<RequestKind, "ACCESS" | "ERASURE">(RequestKindSchema, { prefix: "REQUEST_KIND_" });
export const STATUSES = enumNames<RequestStatus, StatusName>(RequestStatusSchema, { prefix: "REQUEST_STATUS_" });
export const ROLES = enumNames<DeciderRole, "CUSTOMER" | "HYRELOG_ADMIN">(DeciderRoleSchema, { prefix: "DECIDER_ROLE_" });

export type StatusName = "PENDING_APPROVAL" | "APPROVED" | "REJECTED" | "CANCELLED" | "COMPLETED" | "FAILED";

export interface RequestRow {
  id: string;
  company_id: string;
  kind: "ACCESS" | "ERASURE";
  subject_id: string | null;
  subject_email_index: string | null;
  reason: string | null;
  status: StatusName;
  requested_by: string;
  needs_customer_approval: boolean;
  needs_hyrelog_approval: boolean;
  job_id: string | null;
  result: Record<string, unknown> | null;
  error: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface ApprovalRow {
  request_id: string;
  decided_by: string;
  role: "CUSTOMER" | "HYRELOG_ADMIN";
  decision: "APPROVE" | "REJECT";
  comment: string | null;
  created_at: Date;
}

type Em = ReturnType<Orm["em"]["fork"]>;

/**
 * A request's status as shown (gdpr_requests r, its job j): an approved request whose job failed
 * for good is FAILED. The job system owns the job's state; the request never copies it.
 */
export const SHOWN_STATUS = "case when r.status = 'APPROVED' and j.status = 'FAILED' then 'FAILED' else r.status end";

/** Requests by id with their approvals; `companyId` null: any company of the region (HyreLog admins). */
export async function loadRequests(em: Em, ids: string[], companyId: string | null): Promise<Array<{ row: RequestRow; approvals: ApprovalRow[] }>> {
  if (!ids.length) return [];
  const rows = await em.execute<RequestRow[]>(
    `select r.*, ${SHOWN_STATUS} as status, coalesce(r.error, j.error) as error
     from gdpr_requests r left join jobs j on j.id = r.job_id
     where r.id in (?) ${companyId ? "and r.company_id = ?" : ""} order by r.id desc`,
    companyId ? [ids, companyId] : [ids],
  );
  const approvals = rows.length ? await em.execute<ApprovalRow[]>(`select * from gdpr_approvals where request_id in (?) order by created_at, id`, [rows.map((r) => r.id)]) : [];
  return rows.map((row) => ({ row, approvals: approvals.filter((a) => a.request_id === row.id) }));
}

/** Whether an erasure has every approval its plan asks for (none from the person who asked). */
export function approvalsComplete(row: RequestRow, approvals: ApprovalRow[]): boolean {
  const approved = approvals.filter((a) => a.decision === "APPROVE" && a.decided_by !== row.requested_by);
  const customer = approved.some((a) => a.role === "CUSTOMER");
  const hyrelog = approved.some((a) => a.role === "HYRELOG_ADMIN");
  return (!row.needs_customer_approval || customer) && (!row.needs_hyrelog_approval || hyrelog);
}

export function requestToProto(row: RequestRow, approvals: ApprovalRow[]): GdprRequest {
  return create(GdprRequestSchema, {
    id: row.id,
    companyId: row.company_id,
    kind: KINDS.fromName(row.kind) ?? RequestKind.UNSPECIFIED,
    subjectId: row.subject_id ?? "",
    subjectNamedByEmail: row.subject_email_index !== null,
    reason: row.reason ?? "",
    status: STATUSES.fromName(row.status) ?? RequestStatus.UNSPECIFIED,
    requestedBy: row.requested_by,
    approvals: approvals.map((a) => ({
      decidedBy: a.decided_by,
      role: ROLES.fromName(a.role) ?? DeciderRole.UNSPECIFIED,
      approved: a.decision === "APPROVE",
      comment: a.comment ?? "",
      createdAt: timestampFromDate(new Date(a.created_at)),
    })),
    needsCustomerApproval: row.kind === "ERASURE" && row.needs_customer_approval,
    needsHyrelogApproval: row.kind === "ERASURE" && row.needs_hyrelog_approval,
    jobId: row.job_id ?? "",
    result: (row.result ?? undefined) as JsonObject | undefined,
    error: row.error ?? "",
    createdAt: timestampFromDate(new Date(row.created_at)),
    updatedAt: timestampFromDate(new Date(row.updated_at)),
  });
}
