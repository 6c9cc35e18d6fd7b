/** API keys: create a workspace key, rotate, revoke (strictly limited key management), the calling key's status. */
import { KeyScope, KeyScopeSchema, KeyStatusSchema, type ApiKey } from "@hyrelog/proto";
import { enumNames } from "@hyrelog/runtime";
import { badRequest, iso, limitParam, optionalObjectBody, refuse, stringParam, type Handler, type RequestInfo, type RouteTable, type Violation } from "./shared.ts";

/** Longest grace period a rotated key may keep working (the keys service enforces it too). */
const MAX_GRACE_SECONDS = 30 * 86_400;
const SCOPES = enumNames(KeyScopeSchema, { prefix: "KEY_SCOPE_", lowerCase: true, only: [KeyScope.COMPANY, KeyScope.WORKSPACE] });
const STATUSES = enumNames(KeyStatusSchema, { prefix: "KEY_STATUS_", lowerCase: true });

export const keyRoutes: RouteTable = (clients) => {
  const createKey: Handler = async (r) => {
    const b = await optionalObjectBody(r.req);
    const violations: Violation[] = [];
    if (b.name !== undefined && typeof b.name !== "string") violations.push({ field: "name", description: "must be a string" });
    if (b.ipAllowlist !== undefined && (!Array.isArray(b.ipAllowlist) || b.ipAllowlist.some((x) => typeof x !== "string"))) {
      violations.push({ field: "ipAllowlist", description: 'must be an array of IP addresses or CIDR ranges, e.g. ["203.0.113.0/24"]' });
    }
    refuse("invalid key request", violations);
    const res = await clients.keys(r.region).createWorkspaceKey(
      {
        caller: r.principal,
        clientIp: r.clientIp,
        workspaceId: r.params.workspaceId!,
        name: (b.name as string | undefined) ?? "",
        ipAllowlist: (b.ipAllowlist as string[] | undefined) ?? [],
        context: r.context,
      },
      { headers: r.callHeaders },
    );
    return { status: 201, body: { key: keyJson(res.key!), secret: res.secret } };
  };

  const rotateKey: Handler = async (r) => {
    const body = await optionalObjectBody(r.req);
    const grace = body.gracePeriodSeconds;
    if (grace !== undefined && (!Number.isInteger(grace) || (grace as number) < 0 || (grace as number) > MAX_GRACE_SECONDS)) {
      throw badRequest("invalid rotation request", [{ field: "gracePeriodSeconds", description: `must be a whole number of seconds from 0 to ${MAX_GRACE_SECONDS} (30 days)` }]);
    }
    const res = await clients.keys(r.region).rotateKey(
      { caller: r.principal, clientIp: r.clientIp, keyId: r.params.keyId!, gracePeriodSeconds: grace as number | undefined, context: r.context },
      { headers: r.callHeaders },
    );
    return { status: 201, body: { key: keyJson(res.key!), secret: res.secret, previous: keyJson(res.previous!) } };
  };

  const revokeKey: Handler = async (r) => {
    const body = await optionalObjectBody(r.req);
    const reason = body.reason;
    if (reason !== undefined && typeof reason !== "string") throw badRequest("invalid revocation request", [{ field: "reason", description: "must be a string" }]);
    const res = await clients.keys(r.region).revokeKey(
      { caller: r.principal, clientIp: r.clientIp, keyId: r.params.keyId!, reason: (reason as string | undefined) ?? "", context: r.context },
      { headers: r.callHeaders },
    );
    return { status: 200, body: { key: keyJson(res.key!) } };
  };

  /** One page of the company's keys (or of one workspace's): never a hash or a secret. */
  const listKeys = async (r: RequestInfo, workspaceId: string) => {
    const q = r.url.searchParams;
    const violations: Violation[] = [];
    const limit = limitParam(q, 100, violations);
    refuse("invalid request", violations);
    const res = await clients
      .keys(r.region)
      .listCompanyKeys({ caller: r.principal, clientIp: r.clientIp, workspaceId, limit, cursor: stringParam(q, "cursor") }, { headers: r.callHeaders });
    return { status: 200, body: { data: res.keys.map(keyJson), nextCursor: res.nextCursor || null, hasMore: res.nextCursor !== "" } };
  };

  const companyKeys: Handler = (r) => listKeys(r, "");
  const workspaceKeys: Handler = (r) => listKeys(r, r.params.workspaceId!);

  const keyStatus: Handler = async (r) => {
    const res = await clients.keys(r.region).getKeyStatus({ caller: r.principal }, { headers: r.callHeaders });
    return { status: 200, body: { key: keyJson(res.key!), region: r.region } };
  };

  return [
    { method: "POST", pattern: "/v1/workspaces/:workspaceId/keys", strict: true, handler: createKey },
    { method: "POST", pattern: "/v1/keys/:keyId/rotate", strict: true, handler: rotateKey },
    { method: "POST", pattern: "/v1/keys/:keyId/revoke", strict: true, handler: revokeKey },
    { method: "GET", pattern: "/v1/keys/status", handler: keyStatus },
    { method: "GET", pattern: "/v1/keys", query: ["limit", "cursor"], handler: companyKeys },
    { method: "GET", pattern: "/v1/workspaces/:workspaceId/keys", query: ["limit", "cursor"], handler: workspaceKeys },
  ];
};

/** An API key as the API writes it: prefix, scope, status, allowlist, times; never its hash or secret. */
export function keyJson(k: ApiKey) {
  return {
    id: k.id,
    prefix: k.prefix,
    scope: SCOPES.toName(k.scope) ?? "unknown",
    companyId: k.companyId,
    workspaceId: k.workspaceId || null,
    name: k.name,
    ipAllowlist: k.ipAllowlist,
    status: STATUSES.toName(k.status) ?? "unknown",
    createdAt: iso(k.createdAt),
    lastUsedAt: iso(k.lastUsedAt),
    expiresAt: iso(k.expiresAt),
    revokedAt: iso(k.revokedAt),
    rotatedFromId: k.rotatedFromId || null,
  };
}
