import { isUuid } from "./ids.ts";
import { isRegionCode, type RegionCode } from "./regions.ts";

/** The origin line of a HyreLog log's checkpoints: `hyrelog.<region>/<log id>` (workspace id, or company id). */
export function checkpointOrigin(region: RegionCode, logId: string): string {
  if (!isRegionCode(region)) throw new TypeError(`unknown region ${JSON.stringify(region)}`);
  if (!isUuid(logId) || logId !== logId.toLowerCase()) throw new TypeError(`a log id is a lowercase UUID, got ${JSON.stringify(logId)}`);
  return `hyrelog.${region}/${logId}`;
}
