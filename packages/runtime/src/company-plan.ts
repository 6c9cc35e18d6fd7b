import type { Orm } from "@hyrelog/db";
import type { PlanTier } from "@hyrelog/proto";
import { planTierToProto } from "./access.ts";

/** A `plans` row as PostgreSQL returns it (bigints as text). */
export interface PlanRow {
  tier: string;
  retention_days: number;
  export_row_limit: string | null;
  max_webhooks: number;
  features: Record<string, boolean>;
  monthly_event_quota: string | null;
}

/** A company's plan with its overrides applied: what every plan check and the dashboard read. */
export interface CompanyPlan {
  tier: string;
  plan: PlanTier;
  retentionDays: number;
  /** Null: no limit. Bigint columns stay BigInt, never a float. */
  exportRowLimit: bigint | null;
  maxWebhooks: number;
  monthlyEventQuota: bigint | null;
  features: Record<string, boolean>;
}

const bigOrNull = (v: unknown): bigint | null => (v === null || v === undefined ? null : BigInt(v as string | number));

/** The plan's limits with a company's `plan_overrides` (validated when set, by the dashboard service) on top. */
export function applyPlanOverrides(row: PlanRow, overrides: Record<string, unknown> | null): CompanyPlan {
  const o = overrides ?? {};
  const features = typeof o.features === "object" && o.features !== null && !Array.isArray(o.features) ? (o.features as Record<string, boolean>) : {};
  return {
    tier: row.tier,
    plan: planTierToProto(row.tier),
    retentionDays: typeof o.retentionDays === "number" ? o.retentionDays : row.retention_days,
    exportRowLimit: bigOrNull("exportRowLimit" in o ? o.exportRowLimit : row.export_row_limit),
    maxWebhooks: typeof o.maxWebhooks === "number" ? o.maxWebhooks : row.max_webhooks,
    monthlyEventQuota: bigOrNull("monthlyEventQuota" in o ? o.monthlyEventQuota : row.monthly_event_quota),
    features: { ...row.features, ...features },
  };
}

/** A company's effective plan, or null when the company is not in this region's database. */
export async function companyPlan(orm: Orm, companyId: string): Promise<CompanyPlan | null> {
  const [row] = await orm.em.fork().execute<Array<PlanRow & { plan_overrides: Record<string, unknown> | null }>>(
    `select p.tier, p.retention_days, p.export_row_limit::text as export_row_limit, p.max_webhooks, p.features,
            p.monthly_event_quota::text as monthly_event_quota, c.plan_overrides
     from companies c join plans p on p.tier = c.plan_tier where c.id = ?`,
    [companyId],
  );
  return row ? applyPlanOverrides(row, row.plan_overrides) : null;
}
