import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, type Client } from "@connectrpc/connect";
import { HeadObjectCommand, RestoreObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { HyrelogConfig } from "@hyrelog/config";
import { isUuid, textProblem, uuidv7 } from "@hyrelog/core";
import type { Orm } from "@hyrelog/db";
import {
  IngestService,
  RestoreRequestSchema,
  RestoreStatus,
  RestoreStatusSchema,
  RestoreTier,
  RestoreTierSchema,
  type Principal,
  type RestoreRequest,
} from "@hyrelog/proto";
import { companyPlan, decodeCursor, encodeCursor, enumNames, invalidArgument, isStaffPrincipal, pageLimit, planLimitExceeded, recordAuditEvent, regionToProto, requireCompanyPrincipal, type Logger } from "@hyrelog/runtime";

export type RestoreTierName = "EXPEDITED" | "STANDARD" | "BULK";
export type RestoreStatusName = "PENDING" | "APPROVED" | "INITIATING" | "IN_PROGRESS" | "COMPLETED" | "EXPIRED" | "REJECTED" | "CANCELLED" | "FAILED";
export const TIERS = enumNames<RestoreTier, RestoreTierName>(RestoreTierSchema, { prefix: "RESTORE_TIER_" });
export const STATUSES = enumNames<RestoreStatus, RestoreStatusName>(RestoreStatusSchema, { prefix: "RESTORE_STATUS_" });

/** The restore tiers each plan may use (seed phase 4). */
export const TIERS_BY_PLAN: Readonly<Record<string, readonly RestoreTierName[]>> = {
  FREE: [],
  STARTER: [],
  GROWTH: ["STANDARD", "BULK"],
  ENTERPRISE: ["EXPEDITED", "STANDARD", "BULK"],
};

/**
 * S3 Glacier Flexible Retrieval list prices (us-east-1): retrieval per GB and per request, and
 * the restored copy's storage at S3 Standard for the days it is kept. An estimate, shown before
 * anyone approves; the bill is the cloud provider's.
 */
const PRICES: Record<RestoreTierName, { perGb: number; perRequest: number }> = {
  EXPEDITED: { perGb: 0.03, perRequest: 0.01 },
  STANDARD: { perGb: 0.01, perRequest: 0.00005 },
  BULK: { perGb: 0.0025, perRequest: 0.000025 },
};
const STANDARD_STORAGE_PER_GB_MONTH = 0.023;

export function estimateCost(tier: RestoreTierName, bytes: number, days: number): number {
  const gb = bytes / 1024 ** 3;
  const cost = gb * PRICES[tier].perGb + PRICES[tier].perRequest + gb * STANDARD_STORAGE_PER_GB_MONTH * (days / 30);
  return Math.round(cost * 10_000) / 10_000;
}

interface RestoreRow {
  id: string;
  company_id: string;
  archive_id: string;
  tier: RestoreTierName;
  status: RestoreStatusName;
  days: number;
  estimated_cost_usd: string;
  reason: string | null;
  requested_by: string;
  decided_by: string | null;
  decided_at: Date | null;
  decision_comment: string | null;
  initiated_at: Date | null;
  completed_at: Date | null;
  available_until: Date | null;
  error: string | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS =
  "id, company_id, archive_id, tier, status, days, estimated_cost_usd::text as estimated_cost_usd, reason, requested_by, decided_by, decided_at, " +
  "decision_comment, initiated_at, completed_at, available_until, error, created_at, updated_at";

const ts = (d: Date | null) => (d ? timestampFromDate(new Date(d)) : undefined);

export function restoreToProto(r: RestoreRow): RestoreRequest {
  return create(RestoreRequestSchema, {
    id: r.id,
    companyId: r.company_id,
    archiveId: r.archive_id,
    tier: TIERS.fromName(r.tier) ?? RestoreTier.UNSPECIFIED,
    status: STATUSES.fromName(r.status) ?? RestoreStatus.UNSPECIFIED,
    days: r.days,
    estimatedCostUsd: Number(r.estimated_cost_usd),
    reason: r.reason ?? "",
    requestedBy: r.requested_by,
    decidedBy: r.decided_by ?? "",
    decidedAt: ts(r.decided_at),
    decisionComment: r.decision_comment ?? "",
    initiatedAt: ts(r.initiated_at),
    completedAt: ts(r.completed_at),
    availableUntil: ts(r.available_until),
    error: r.error ?? "",
    createdAt: ts(r.created_at)!,
    updatedAt: ts(r.updated_at)!,
  });
}

export interface RestoreDeps {
  orm: Orm;
  s3: S3Client;
  config: HyrelogConfig;
  ingest: Client<typeof IngestService>;
  logger: Logger;
}

/** Restore requests: the API (company and HyreLog staff) and the three periodic jobs that carry them out. */
export class Restores {
  readonly #d: RestoreDeps;

  constructor(deps: RestoreDeps) {
    this.#d = deps;
  }

  #em() {
    return this.#d.orm.em.fork();
  }

  /** The company's request, or any company's for HyreLog staff; another company's is NOT_FOUND. */
  async find(p: Principal | undefined, id: string): Promise<RestoreRow> {
    const staff = isStaffPrincipal(p);
    if (!staff) companyOf(p);
    const [row] = isUuid(id)
      ? await this.#em().execute<RestoreRow[]>(`select ${COLUMNS} from restore_requests where id = ?${staff ? "" : " and company_id = ?"}`, staff ? [id] : [id, p!.companyId])
      : [];
    if (!row) throw new ConnectError(`restore request ${id} not found`, Code.NotFound);
    return row;
  }

  async create(p: Principal | undefined, req: { archiveId: string; tier: RestoreTier; days: number; reason: string; requestedBy: string }): Promise<RestoreRow> {
    const companyId = companyOf(p);
    const violations = [];
    const tier = TIERS.toName(req.tier);
    if (!tier) violations.push({ field: "tier", description: `must be ${TIERS.alternatives}` });
    const days = req.days === 0 ? 7 : req.days;
    if (!Number.isInteger(days) || days < 1 || days > 30) violations.push({ field: "days", description: "must be a whole number of days from 1 to 30 (default 7)" });
    const reasonProblem = req.reason.length > 1000 ? "must be at most 1000 characters" : textProblem(req.reason, "multiline");
    if (reasonProblem) violations.push({ field: "reason", description: reasonProblem });
    if (!isUuid(req.archiveId)) violations.push({ field: "archiveId", description: "must be an archive id (GET /v1/archives)" });
    if (violations.length) throw invalidArgument("invalid restore request", violations);
    // The plan first: a plan without restores says so whatever archive is named.
    const plan = (await companyPlan(this.#d.orm, companyId))!;
    const allowed = TIERS_BY_PLAN[plan.tier] ?? [];
    if (!allowed.includes(tier!)) {
      throw planLimitExceeded(
        allowed.length
          ? `the ${plan.tier} plan restores with ${allowed.join(" or ")}, not ${tier}`
          : `restores from cold storage are not available on the ${plan.tier} plan; they need GROWTH or above`,
        plan.plan,
        "restoreTiers",
        allowed.join(",") || "none",
      );
    }
    const [archive] = await this.#em().execute<Array<{ id: string; bytes: string; storage_class: string }>>(
      `select id, bytes::text as bytes, storage_class from archive_objects where id = ? and company_id = ? and deleted_at is null`,
      [req.archiveId, companyId],
    );
    if (!archive) throw new ConnectError(`archive ${req.archiveId} not found`, Code.NotFound);
    if (archive.storage_class === "STANDARD") throw new ConnectError(`archive ${archive.id} is not in cold storage: it is readable as it is`, Code.FailedPrecondition);
    const id = uuidv7();
    try {
      await this.#em().execute(
        `insert into restore_requests (id, company_id, archive_id, tier, days, estimated_cost_usd, reason, requested_by) values (?, ?, ?, ?, ?, ?, ?, ?)`,
        [id, companyId, archive.id, tier, days, estimateCost(tier!, Number(archive.bytes), days), req.reason || null, actorName(req.requestedBy, p)],
      );
    } catch (err) {
      if ((err as { code?: string }).code === "23505") throw new ConnectError(`archive ${archive.id} already has an open restore request`, Code.AlreadyExists);
      throw err;
    }
    const row = await this.find(p, id);
    await this.#audit(row, "restore.requested", actorName(req.requestedBy, p), [{ field: "status", new: "PENDING" }, { field: "tier", new: row.tier }]);
    return row;
  }

  async list(p: Principal | undefined, req: { allCompanies: boolean; status: RestoreStatus; cursor: string; limit: number }): Promise<{ rows: RestoreRow[]; nextCursor: string }> {
    const all = req.allCompanies;
    if (all && !isStaffPrincipal(p)) throw new ConnectError("only HyreLog staff may list every company's restore requests", Code.PermissionDenied);
    const limit = pageLimit(req.limit);
    const status = req.status === RestoreStatus.UNSPECIFIED ? null : STATUSES.toName(req.status);
    if (status === undefined) throw invalidArgument("invalid status", [{ field: "status", description: `must be ${STATUSES.alternatives}` }]);
    const where: string[] = [];
    const params: unknown[] = [];
    if (!all) {
      where.push("company_id = ?");
      params.push(companyOf(p));
    }
    if (status) {
      where.push("status = ?");
      params.push(status);
    }
    const filterKey = JSON.stringify(["restores", where, params]);
    const before = decodeCursor(req.cursor, filterKey);
    if (before) {
      where.push("id < ?");
      params.push(before);
    }
    const rows = await this.#em().execute<RestoreRow[]>(`select ${COLUMNS} from restore_requests ${where.length ? `where ${where.join(" and ")}` : ""} order by id desc limit ?`, [...params, limit + 1]);
    const page = rows.slice(0, limit);
    return { rows: page, nextCursor: rows.length > limit ? encodeCursor(page.at(-1)!.id, filterKey) : "" };
  }

  /** The company cancels its PENDING request; HyreLog staff a PENDING or APPROVED one (not yet started). */
  async cancel(p: Principal | undefined, id: string, actor: string): Promise<RestoreRow> {
    const row = await this.find(p, id);
    const cancellable: RestoreStatusName[] = isStaffPrincipal(p) ? ["PENDING", "APPROVED"] : ["PENDING"];
    const moved = await this.#move(row.id, cancellable, "CANCELLED", { finished_at: "now()" });
    if (!moved) throw new ConnectError(`restore request ${id} is ${row.status}: only ${cancellable.join(" or ")} requests can be cancelled`, Code.FailedPrecondition);
    await this.#audit(moved, "restore.cancelled", actorName(actor, p), [{ field: "status", old: row.status, new: "CANCELLED" }]);
    return moved;
  }

  async decide(p: Principal | undefined, id: string, approve: boolean, comment: string, decidedBy: string): Promise<RestoreRow> {
    if (!isStaffPrincipal(p)) throw new ConnectError("only HyreLog staff approve or reject restore requests", Code.PermissionDenied);
    const problem = comment.length > 1000 ? "must be at most 1000 characters" : textProblem(comment, "multiline");
    if (problem) throw invalidArgument("invalid comment", [{ field: "comment", description: problem }]);
    const row = await this.find(p, id);
    const to: RestoreStatusName = approve ? "APPROVED" : "REJECTED";
    const by = actorName(decidedBy, p);
    const moved = await this.#move(row.id, ["PENDING"], to, { decided_by: by, decided_at: "now()", decision_comment: comment || null, ...(approve ? {} : { finished_at: "now()" }) });
    if (!moved) throw new ConnectError(`restore request ${id} is ${row.status}: only a PENDING request can be ${approve ? "approved" : "rejected"}`, Code.FailedPrecondition);
    await this.#audit(moved, approve ? "restore.approved" : "restore.rejected", by, [{ field: "status", old: "PENDING", new: to }]);
    return moved;
  }

  /** restore-initiation: starts every APPROVED restore (S3 RestoreObject; simulated locally). */
  async initiate(asOf: Date): Promise<Record<string, unknown>> {
    let initiated = 0;
    let failed = 0;
    for (const row of await this.#inStatus("APPROVED")) {
      const claimed = await this.#move(row.id, ["APPROVED"], "INITIATING", {});
      if (!claimed) continue;
      try {
        if (this.#d.config.archival.coldStorage === "s3") {
          const key = await this.#objectKey(row.archive_id);
          await this.#d.s3
            .send(new RestoreObjectCommand({ Bucket: this.#d.config.s3.bucket, Key: key, RestoreRequest: { Days: row.days, GlacierJobParameters: { Tier: tierName(row.tier) } } }))
            .catch((err: { name?: string }) => {
              // Already in progress; or not moved to cold storage yet (S3 runs lifecycle rules once a
              // day): readable as it is, which restore-status sees.
              if (err.name !== "RestoreAlreadyInProgress" && err.name !== "ObjectAlreadyInActiveTierError") throw err;
            });
        }
        const moved = await this.#move(row.id, ["INITIATING"], "IN_PROGRESS", { initiated_at: asOf });
        if (moved) await this.#audit(moved, "restore.initiated", "hyrelog", [{ field: "status", old: "APPROVED", new: "IN_PROGRESS" }]);
        initiated++;
      } catch (err) {
        failed++;
        const moved = await this.#move(row.id, ["INITIATING"], "FAILED", { error: `the restore could not be started: ${(err as Error).name ?? "error"}`, finished_at: "now()" });
        if (moved) await this.#audit(moved, "restore.failed", "hyrelog", [{ field: "status", old: "APPROVED", new: "FAILED" }]);
      }
    }
    return { initiated, failed };
  }

  /**
   * restore-status: a restore in progress is COMPLETED once its copy is readable (S3: HeadObject's
   * Restore header says the request is done; locally: ARCHIVAL_RESTORE_SIMULATED_DELAY_MS after it
   * started), readable until available_until.
   */
  async followUp(asOf: Date): Promise<Record<string, unknown>> {
    let completed = 0;
    let inProgress = 0;
    for (const row of await this.#inStatus("IN_PROGRESS")) {
      let until: Date | null = null;
      if (this.#d.config.archival.coldStorage === "s3") {
        const head = await this.#d.s3.send(new HeadObjectCommand({ Bucket: this.#d.config.s3.bucket, Key: await this.#objectKey(row.archive_id) }));
        const restore = head.Restore ?? "";
        const expiry = /expiry-date="([^"]+)"/.exec(restore)?.[1];
        if (restore.includes('ongoing-request="false"')) until = expiry ? new Date(expiry) : new Date(asOf.getTime() + row.days * 86_400_000);
        // Not (yet) in cold storage at all: readable for the days asked.
        else if (!restore && (!head.StorageClass || head.StorageClass === "STANDARD")) until = new Date(asOf.getTime() + row.days * 86_400_000);
      } else if (new Date(row.initiated_at!).getTime() + this.#d.config.archival.restoreSimulatedDelayMs <= asOf.getTime()) {
        until = new Date(asOf.getTime() + row.days * 86_400_000);
      }
      if (!until) {
        inProgress++;
        continue;
      }
      const moved = await this.#move(row.id, ["IN_PROGRESS"], "COMPLETED", { completed_at: asOf, available_until: until });
      if (moved) {
        completed++;
        await this.#audit(moved, "restore.completed", "hyrelog", [
          { field: "status", old: "IN_PROGRESS", new: "COMPLETED" },
          { field: "availableUntil", new: until.toISOString() },
        ]);
      }
    }
    return { completed, inProgress };
  }

  /** restore-expiry: a completed restore past available_until is EXPIRED; the archive is cold again. */
  async expire(asOf: Date): Promise<Record<string, unknown>> {
    let expired = 0;
    for (const row of await this.#inStatus("COMPLETED")) {
      if (new Date(row.available_until!) > asOf) continue;
      const moved = await this.#move(row.id, ["COMPLETED"], "EXPIRED", { finished_at: asOf });
      if (moved) {
        expired++;
        await this.#audit(moved, "restore.expired", "hyrelog", [{ field: "status", old: "COMPLETED", new: "EXPIRED" }]);
      }
    }
    return { expired };
  }

  /**
   * Whether a run of restore-initiation, restore-status or restore-expiry as of `asOf` would find
   * anything to do: the scheduler creates no job when it would not (they run every few minutes).
   */
  async hasWork(job: "restore-initiation" | "restore-status" | "restore-expiry", asOf: Date): Promise<boolean> {
    const where = {
      "restore-initiation": "status = 'APPROVED'",
      "restore-status": "status = 'IN_PROGRESS'",
      "restore-expiry": "status = 'COMPLETED' and available_until <= ?",
    }[job];
    const [row] = await this.#em().execute<Array<{ any: boolean }>>(`select exists (select 1 from restore_requests where ${where}) as any`, job === "restore-expiry" ? [asOf] : []);
    return row!.any;
  }

  async #inStatus(status: RestoreStatusName): Promise<RestoreRow[]> {
    return this.#em().execute<RestoreRow[]>(`select ${COLUMNS} from restore_requests where status = ? order by id`, [status]);
  }

  async #objectKey(archiveId: string): Promise<string> {
    const [a] = await this.#em().execute<Array<{ object_key: string }>>(`select object_key from archive_objects where id = ?`, [archiveId]);
    return a!.object_key;
  }

  /** One conditional update: moves the request only if it is still in one of `from`. Null when it was not. */
  async #move(id: string, from: readonly RestoreStatusName[], to: RestoreStatusName, set: Record<string, unknown>): Promise<RestoreRow | null> {
    const assignments = Object.entries(set).map(([column, value]) => (value === "now()" ? `${column} = now()` : `${column} = ?`));
    const values = Object.values(set).filter((v) => v !== "now()");
    const [row] = await this.#em().execute<RestoreRow[]>(
      `update restore_requests set status = ?, updated_at = now()${assignments.map((a) => `, ${a}`).join("")}
       where id = ? and status in (?) returning ${COLUMNS}`,
      [to, ...values, id, from],
    );
    return row ?? null;
  }

  /** Every step in the company's own log: ids, tier and status only. */
  #audit(row: RestoreRow, action: string, actor: string, changes: Array<{ field: string; old?: string; new?: string }>): Promise<void> {
    return recordAuditEvent(this.#d.ingest, this.#d.logger, {
      companyId: row.company_id,
      region: regionToProto(this.#d.config.region),
      category: "archive",
      action,
      actor: { id: actor, type: actor === "hyrelog" ? "system" : "user" },
      target: { id: row.id, type: "restore_request", name: `restore of archive ${row.archive_id}` },
      changes,
      idempotencyKey: `${action}:${row.id}`,
    });
  }
}

function companyOf(p: Principal | undefined): string {
  return requireCompanyPrincipal(p, "restore requests need a company key (hlk_co_...) or the dashboard").companyId;
}

/** Who acts: the dashboard user when the gateway says so, else the principal's key. */
function actorName(actor: string, p: Principal | undefined): string {
  return (actor || p?.keyId || "unknown").slice(0, 256);
}

function tierName(tier: RestoreTierName): "Expedited" | "Standard" | "Bulk" {
  return tier === "EXPEDITED" ? "Expedited" : tier === "STANDARD" ? "Standard" : "Bulk";
}
