export const PLAN_TIERS = ["FREE", "STARTER", "GROWTH", "ENTERPRISE"] as const;
export type PlanTierName = (typeof PLAN_TIERS)[number];

export function isPlanTier(value: string): value is PlanTierName {
  return (PLAN_TIERS as readonly string[]).includes(value);
}
