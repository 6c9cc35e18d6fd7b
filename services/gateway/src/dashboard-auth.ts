import type { IncomingMessage } from "node:http";
import { create } from "@bufbuild/protobuf";
import { DashboardUserSchema, type DashboardUser } from "@hyrelog/proto";
import { constantTimeEqual, isUuid, textProblem, type RegionCode } from "@hyrelog/core";
import { DASHBOARD_ROLES } from "@hyrelog/runtime";
import type { CompanyDirectory } from "./directory.ts";
import { ApiError } from "./errors.ts";

export type DashboardRoleName = (typeof DASHBOARD_ROLES.names)[number];

/** Who may call a dashboard route. */
export interface DashboardAccess {
  /** The roles allowed (403 naming them otherwise). */
  roles: readonly DashboardRoleName[];
  /** A company route: x-company-id names the company acted for, whose region the directory finds. */
  company: boolean;
}

export interface DashboardCaller {
  user: DashboardUser;
  /** Company routes: the company's region. Admin routes: null (the handler picks). */
  region: RegionCode | null;
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;

/**
 * Authentication of /dashboard/*, at the gateway's one dispatch point: the dashboard application's
 * service token (x-dashboard-token, compared in constant time with every configured token, so one
 * can be rotated in before the other goes) and the signed-in person it vouches for (x-user-id,
 * x-user-email, x-user-role, and x-company-id on company routes). API keys never open these
 * routes, and the token opens nothing else. Errors name the header, never its value: ids and
 * emails are personal data.
 */
export class DashboardAuth {
  readonly #tokens: readonly string[];
  readonly #directory: CompanyDirectory;

  constructor(tokens: readonly string[], directory: CompanyDirectory) {
    this.#tokens = tokens;
    this.#directory = directory;
  }

  async authenticate(req: IncomingMessage, access: DashboardAccess): Promise<DashboardCaller> {
    if (this.#tokens.length === 0) throw new ApiError(503, "unavailable", "dashboard is not configured (DASHBOARD_SERVICE_TOKEN is not set)");
    const token = header(req, "x-dashboard-token");
    if (!token) {
      throw new ApiError(401, "unauthenticated", "missing x-dashboard-token: /dashboard/* is opened by the dashboard service token, never by an API key");
    }
    // Every token is compared, whichever matches: the time taken says nothing about which one.
    let valid = false;
    for (const t of this.#tokens) valid = constantTimeEqual(token, t) || valid;
    if (!valid) throw new ApiError(401, "unauthenticated", "wrong x-dashboard-token");

    const userId = header(req, "x-user-id");
    if (!userId) throw missing("x-user-id");
    if (userId.length > 256 || textProblem(userId)) throw new ApiError(401, "unauthenticated", "x-user-id must be 1 to 256 characters without control characters");
    const email = header(req, "x-user-email");
    if (!email) throw missing("x-user-email");
    if (email.length > 320 || !EMAIL.test(email) || textProblem(email)) throw new ApiError(401, "unauthenticated", "x-user-email must be an email address");
    const roleHeader = header(req, "x-user-role");
    if (!roleHeader) throw missing("x-user-role");
    const role = DASHBOARD_ROLES.fromName(roleHeader);
    if (role === undefined) throw new ApiError(401, "unauthenticated", `x-user-role must be ${DASHBOARD_ROLES.alternatives}`);
    const roleName = DASHBOARD_ROLES.toName(role)!;
    if (!access.roles.includes(roleName)) {
      throw new ApiError(403, "forbidden", `this route needs role ${access.roles.join(" or ")} (x-user-role is ${roleName})`);
    }

    let companyId = "";
    let region: RegionCode | null = null;
    if (access.company) {
      companyId = header(req, "x-company-id");
      if (!companyId) throw missing("x-company-id");
      if (!isUuid(companyId)) throw new ApiError(401, "unauthenticated", "x-company-id must be a company id (UUID)");
      companyId = companyId.toLowerCase();
      region = await this.#directory.regionOf(companyId);
    }
    return { user: create(DashboardUserSchema, { userId, email, role, companyId }), region };
  }
}

function missing(name: string): ApiError {
  return new ApiError(401, "unauthenticated", `missing ${name}`);
}

function header(req: IncomingMessage, name: string): string {
  const v = req.headers[name];
  return (Array.isArray(v) ? v[0] : v)?.trim() ?? "";
}
