export const REGIONS = ["us", "eu", "uk", "au"] as const;
export type RegionCode = (typeof REGIONS)[number];

export function isRegionCode(value: string): value is RegionCode {
  return (REGIONS as readonly string[]).includes(value);
}
