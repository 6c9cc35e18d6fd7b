import { Code, ConnectError } from "@connectrpc/connect";
import { DashboardRole, DashboardRoleSchema, KeyScope, PlanTier, PlanTierSchema, Region, RegionSchema, type DashboardUser, type Principal } from "@hyrelog/proto";
import { allowlistIncludes, isSystemCompanyId, isUuid, type PlanTierName, type RegionCode } from "@hyrelog/core";
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

/**
 * A company's own call (a company key, or the dashboard acting for its company): the principal,
 * else UNAUTHENTICATED when there is none and PERMISSION_DENIED with `denied` for any other scope.
 */
export function requireCompanyPrincipal(p: Principal | undefined, denied: string): Principal {
  if (!p || !p.companyId) throw new ConnectError("principal is required", Code.Unauthenticated);
  if (p.scope !== KeyScope.COMPANY) throw new ConnectError(denied, Code.PermissionDenied);
  return p;
}

/** HyreLog staff: the gateway's admin routes call as a system principal. */
export function isStaffPrincipal(p: Principal | undefined): p is Principal {
  return p?.scope === KeyScope.SYSTEM;
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

/** Dashboard roles as the x-user-role header spells them ("HYRELOG_ADMIN"). */
export const DASHBOARD_ROLES = enumNames<DashboardRole, "MEMBER" | "ADMIN" | "HYRELOG_ADMIN">(DashboardRoleSchema, { prefix: "DASHBOARD_ROLE_" });

/** The roles that may change a company's settings, keys and plan through the dashboard. */
export const DASHBOARD_MANAGERS: readonly DashboardRole[] = [DashboardRole.ADMIN, DashboardRole.HYRELOG_ADMIN];

/**
 * A dashboard user acting for their company (user.companyId): any role reads, ADMIN and
 * HYRELOG_ADMIN change (`change`). The gateway checks the same first; services check again because
 * the user travels in the request like a principal. The system company is no one's to manage.
 */
export function requireCompanyUser(user: DashboardUser | undefined, change: boolean): DashboardUser {
  if (!user || !user.userId || DASHBOARD_ROLES.toName(user.role) === undefined) throw new ConnectError("a dashboard user is required", Code.Unauthenticated);
  if (change && !DASHBOARD_MANAGERS.includes(user.role)) {
    throw new ConnectError(`this change needs role ADMIN or HYRELOG_ADMIN (the caller is ${DASHBOARD_ROLES.toName(user.role)})`, Code.PermissionDenied);
  }
  if (!isUuid(user.companyId) || isSystemCompanyId(user.companyId)) throw new ConnectError(`company ${user.companyId} not found`, Code.NotFound);
  return user;
}

/** A dashboard user with role HYRELOG_ADMIN (HyreLog staff): the admin calls. */
export function requireHyrelogAdmin(user: DashboardUser | undefined): DashboardUser {
  if (!user || !user.userId || DASHBOARD_ROLES.toName(user.role) === undefined) throw new ConnectError("a dashboard user is required", Code.Unauthenticated);
  if (user.role !== DashboardRole.HYRELOG_ADMIN) {
    throw new ConnectError(`this call needs role HYRELOG_ADMIN (the caller is ${DASHBOARD_ROLES.toName(user.role)})`, Code.PermissionDenied);
  }
  return user;
}

/**
 * How a dashboard user appears in an audit event: the person as the actor (their id and email, as
 * the dashboard application vouched for them) and their role in the event's metadata.
 */
export function dashboardActor(user: DashboardUser): { actor: { id: string; type: string; email: string }; metadata: { role: string; via: string } } {
  return { actor: { id: user.userId, type: "user", email: user.email }, metadata: { role: DASHBOARD_ROLES.toName(user.role) ?? "UNKNOWN", via: "dashboard" } };
}
