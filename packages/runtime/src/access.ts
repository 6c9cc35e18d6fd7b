import { Code, ConnectError } from "@connectrpc/connect";
import { KeyScope, PlanTier, Region, type Principal } from "@hyrelog/proto";
import { allowlistIncludes, type RegionCode } from "@hyrelog/core";

/**
 * Management calls (keys, webhooks) need a company key whose IP allowlist includes the caller:
 * a leaked key used from elsewhere cannot create keys or redirect the audit stream.
 * `what` names the activity in the error, e.g. "key management".
 */
export function requireAllowlistedCompanyKey(caller: Principal | undefined, clientIp: string, what: string): Principal {
  if (!caller || caller.scope !== KeyScope.COMPANY) {
    throw new ConnectError(`${what} needs a company key (hlk_co_...)`, Code.PermissionDenied);
  }
  if (caller.ipAllowlist.length === 0) {
    throw new ConnectError(`${what} needs a company key with an IP allowlist; this key has none`, Code.PermissionDenied);
  }
  if (!allowlistIncludes(caller.ipAllowlist, clientIp)) {
    throw new ConnectError(`your address ${clientIp} is not in this key's IP allowlist`, Code.PermissionDenied);
  }
  return caller;
}

const REGIONS: Record<RegionCode, Region> = { us: Region.US, eu: Region.EU, uk: Region.UK, au: Region.AU };
const PLAN_TIERS: Record<string, PlanTier> = { FREE: PlanTier.FREE, STARTER: PlanTier.STARTER, GROWTH: PlanTier.GROWTH, ENTERPRISE: PlanTier.ENTERPRISE };

/** A region code as the contracts' enum. */
export function regionToProto(code: string): Region {
  return Object.hasOwn(REGIONS, code) ? REGIONS[code as RegionCode] : Region.UNSPECIFIED;
}

/** A plan tier name (`companies.plan_tier`) as the contracts' enum. */
export function planTierToProto(tier: string): PlanTier {
  return Object.hasOwn(PLAN_TIERS, tier) ? PLAN_TIERS[tier]! : PlanTier.UNSPECIFIED;
}
