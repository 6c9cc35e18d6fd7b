/** Restore requests of cold archives (docs/operations/archival.md, "Restores"): their JSON and statuses. */
import { RestoreStatusSchema, RestoreTierSchema, type RestoreRequest, type RestoreStatus, type RestoreTier } from "@hyrelog/proto";
import { enumNames } from "@hyrelog/runtime";
import { iso } from "./shared.ts";

export const RESTORE_TIERS = enumNames<RestoreTier>(RestoreTierSchema, { prefix: "RESTORE_TIER_" });
export const RESTORE_STATUSES = enumNames<RestoreStatus>(RestoreStatusSchema, { prefix: "RESTORE_STATUS_" });

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
