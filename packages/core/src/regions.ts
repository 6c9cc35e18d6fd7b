import { derivedUuidv7 } from "./ids.ts";

export const REGIONS = ["us", "eu", "uk", "au"] as const;
export type RegionCode = (typeof REGIONS)[number];

export function isRegionCode(value: string): value is RegionCode {
  return (REGIONS as readonly string[]).includes(value);
}

/**
 * HyreLog's own company in a region: its company-level log is the region's system log, where the
 * dashboard service records every action taken through the dashboard. Derived from the region, so
 * every process knows it without a lookup; its timestamp part is 0, so no uuidv7() id is ever it.
 * The dashboard service creates its row when it starts (README, "Dashboard API").
 */
export function systemCompanyId(region: RegionCode): string {
  return derivedUuidv7(0, `hyrelog-system:${region}`);
}

const SYSTEM_COMPANY_IDS: ReadonlySet<string> = new Set(REGIONS.map(systemCompanyId));

/** Whether an id is a region's system company (any region). */
export function isSystemCompanyId(id: string): boolean {
  return SYSTEM_COMPANY_IDS.has(id);
}
