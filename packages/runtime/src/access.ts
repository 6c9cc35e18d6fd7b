import { Code, ConnectError } from "@connectrpc/connect";
import { KeyScope, PlanTier, PlanTierSchema, Region, RegionSchema, type Principal } from "@hyrelog/proto";
import { allowlistIncludes, type PlanTierName, type RegionCode } from "@hyrelog/core";
import { enumNames } from "./enum-names.ts";

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

/** Region codes as the API and config spell them ("us"). */
const REGION_NAMES = enumNames<Region, RegionCode>(RegionSchema, { prefix: "REGION_", lowerCase: true });
/** Plan tiers as `companies.plan_tier` spells them ("GROWTH"). */
const PLAN_TIER_NAMES = enumNames<PlanTier, PlanTierName>(PlanTierSchema, { prefix: "PLAN_TIER_" });

/** A region code as the contracts' enum. */
export function regionToProto(code: string): Region {
  return REGION_NAMES.fromName(code) ?? Region.UNSPECIFIED;
}

/** A plan tier name (`companies.plan_tier`) as the contracts' enum. */
export function planTierToProto(tier: string): PlanTier {
  return PLAN_TIER_NAMES.fromName(tier) ?? PlanTier.UNSPECIFIED;
}
