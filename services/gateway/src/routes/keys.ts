/** API keys: create a workspace key, rotate, revoke (strictly limited key management), the calling key's status. */
import { KeyScope, KeyScopeSchema, KeyStatusSchema, type ApiKey } from "@hyrelog/proto";
import { enumNames } from "@hyrelog/runtime";
import { array, CURSOR, dateTime, jsonResponse, limitQuery, named, nullableDateTime, nullableUuid, object, page, REGIONS, response, str, uuid, type Json } from "../api-schema.ts";
import { iso, type Handler, type RequestInfo, type Route, type RouteTable } from "./shared.ts";

/** Longest grace period a rotated key may keep working (the keys service enforces it too). */
const MAX_GRACE_SECONDS = 30 * 86_400;

const API_KEY = named(
  "ApiKey",
  object(
    {
      id: uuid(),
      prefix: str({ description: 'The first characters of the key, for display ("hlk_ws_us_Ab3dEf").' }),
      scope: { type: "string", enum: ["company", "workspace"] },
      companyId: uuid(),
      workspaceId: nullableUuid("Set for workspace keys."),
      name: str(),
      ipAllowlist: array(str(), { description: "IP addresses and CIDR ranges the key may be used from; empty means any address." }),
      status: { type: "string", enum: ["active", "rotating", "revoked", "expired"], description: "`rotating`: replaced by rotation, valid until `expiresAt`." },
      createdAt: dateTime(),
      lastUsedAt: nullableDateTime(),
      expiresAt: nullableDateTime(),
      revokedAt: nullableDateTime(),
      rotatedFromId: nullableUuid("On a key created by rotation: the key it replaces."),
    },
    undefined,
    { description: "An API key's public description; the secret itself is never returned after creation." },
  ),
);

const KEY_PAGE = page("KeyPage", API_KEY, undefined, "Newest first. Never a secret or a hash.");

const CREATE_KEY = named(
  "CreateKeyRequest",
  object(
    {
      name: str({ maxLength: 100, description: 'Defaults to "workspace key".' }),
      ipAllowlist: array(str(), { description: 'IP addresses or CIDR ranges, e.g. ["203.0.113.0/24"]; empty or absent means any address.' }),
    },
    [],
  ),
);

const ROTATE_KEY = named(
  "RotateKeyRequest",
  object(
    {
      gracePeriodSeconds: {
        type: "integer",
        minimum: 0,
        maximum: MAX_GRACE_SECONDS,
        description: "How long the old key keeps working, in seconds (at most 30 days). Default: the server's KEY_ROTATION_GRACE_SECONDS (86400).",
      },
    },
    [],
  ),
);

const REVOKE_KEY = named("RevokeKeyRequest", object({ reason: str({ description: "Kept with the key (first 500 characters)." }) }, []));

const KEY_CREATED = named("KeyCreated", object({ key: API_KEY, secret: str({ pattern: "^hlk_ws_(us|eu|uk|au)_[A-Za-z0-9_-]{43}$", description: "The plaintext key. Returned once." }) }));

const KEY_ROTATED = named(
  "KeyRotated",
  object({
    key: API_KEY,
    secret: str({ pattern: "^hlk_(co|ws)_(us|eu|uk|au)_[A-Za-z0-9_-]{43}$", description: "The replacement's plaintext key. Returned once." }),
    previous: { allOf: [API_KEY], description: "The rotated key: status `rotating` until its `expiresAt`." },
  }),
);

const KEY_REVOKED = named("KeyRevoked", object({ key: API_KEY }));
const KEY_STATUS = named("KeyStatus", object({ key: API_KEY, region: { type: "string", enum: REGIONS, description: "The data region the key belongs to." } }));

const MANAGEMENT =
  "Needs a company key whose IP allowlist includes the caller's address. Key-management calls are limited per key " +
  "(default 10 a minute, RATE_LIMIT_KEY_MANAGEMENT_PER_MINUTE), on top of the per-key limit.";
const KEY_ID = { keyId: "The key's id (UUID)." };
const WORKSPACE = { workspaceId: "A workspace of the company (UUID)." };
const KEY_ERRORS: Record<string, Json> = { "403": response("Forbidden"), "404": response("NotFound") };
const SCOPES = enumNames(KeyScopeSchema, { prefix: "KEY_SCOPE_", lowerCase: true, only: [KeyScope.COMPANY, KeyScope.WORKSPACE] });
const STATUSES = enumNames(KeyStatusSchema, { prefix: "KEY_STATUS_", lowerCase: true });

export const keyRoutes: RouteTable = (clients): Route[] => {
  const createKey: Handler = async (r) => {
    const b = r.body as { name?: string; ipAllowlist?: string[] };
    const res = await clients.keys(r.region).createWorkspaceKey(
      {
        caller: r.principal,
        clientIp: r.clientIp,
        workspaceId: r.params.workspaceId!,
        name: b.name ?? "",
        ipAllowlist: b.ipAllowlist ?? [],
        context: r.context,
      },
      { headers: r.callHeaders },
    );
    return { status: 201, body: { key: keyJson(res.key!), secret: res.secret } };
  };

  const rotateKey: Handler = async (r) => {
    const { gracePeriodSeconds } = r.body as { gracePeriodSeconds?: number };
    const res = await clients.keys(r.region).rotateKey(
      { caller: r.principal, clientIp: r.clientIp, keyId: r.params.keyId!, gracePeriodSeconds, context: r.context },
      { headers: r.callHeaders },
    );
    return { status: 201, body: { key: keyJson(res.key!), secret: res.secret, previous: keyJson(res.previous!) } };
  };

  const revokeKey: Handler = async (r) => {
    const { reason } = r.body as { reason?: string };
    const res = await clients.keys(r.region).revokeKey(
      { caller: r.principal, clientIp: r.clientIp, keyId: r.params.keyId!, reason: reason ?? "", context: r.context },
      { headers: r.callHeaders },
    );
    return { status: 200, body: { key: keyJson(res.key!) } };
  };

  /** One page of the company's keys (or of one workspace's): never a hash or a secret. */
  const listKeys = async (r: RequestInfo, workspaceId: string) => {
    const { limit = 0, cursor = "" } = r.query as { limit?: number; cursor?: string };
    const res = await clients.keys(r.region).listCompanyKeys({ caller: r.principal, clientIp: r.clientIp, workspaceId, limit, cursor }, { headers: r.callHeaders });
    return { status: 200, body: { data: res.keys.map(keyJson), nextCursor: res.nextCursor || null, hasMore: res.nextCursor !== "" } };
  };

  const companyKeys: Handler = (r) => listKeys(r, "");
  const workspaceKeys: Handler = (r) => listKeys(r, r.params.workspaceId!);

  const keyStatus: Handler = async (r) => {
    const res = await clients.keys(r.region).getKeyStatus({ caller: r.principal }, { headers: r.callHeaders });
    return { status: 200, body: { key: keyJson(res.key!), region: r.region } };
  };

  return [
    {
      method: "POST",
      pattern: "/v1/workspaces/:workspaceId/keys",
      strict: true,
      doc: {
        tag: "Keys",
        operationId: "createWorkspaceKey",
        summary: "Create a workspace key",
        description: `${MANAGEMENT} The secret is returned once. The body is optional.`,
        path: WORKSPACE,
        body: { schema: CREATE_KEY, required: false },
        responses: { "201": jsonResponse("Created.", KEY_CREATED), ...KEY_ERRORS },
      },
      handler: createKey,
    },
    {
      method: "POST",
      pattern: "/v1/keys/:keyId/rotate",
      strict: true,
      doc: {
        tag: "Keys",
        operationId: "rotateKey",
        summary: "Rotate a key",
        description: `${MANAGEMENT} Issues a replacement for an active key of the company; the old key keeps working for the grace period. The body is optional.`,
        path: KEY_ID,
        body: { schema: ROTATE_KEY, required: false },
        responses: { "201": jsonResponse("The replacement (with its secret) and the rotated key.", KEY_ROTATED), ...KEY_ERRORS, "409": response("Conflict") },
      },
      handler: rotateKey,
    },
    {
      method: "POST",
      pattern: "/v1/keys/:keyId/revoke",
      strict: true,
      doc: {
        tag: "Keys",
        operationId: "revokeKey",
        summary: "Revoke a key",
        description:
          "Needs a company key whose IP allowlist includes the caller's address. Revokes a key of the company at once; revoking a revoked key returns it unchanged. " +
          "Limited like the other key-management calls. The body is optional.",
        path: KEY_ID,
        body: { schema: REVOKE_KEY, required: false },
        responses: { "200": jsonResponse("The revoked key.", KEY_REVOKED), ...KEY_ERRORS },
      },
      handler: revokeKey,
    },
    {
      method: "GET",
      pattern: "/v1/keys/status",
      doc: { tag: "Keys", operationId: "getKeyStatus", summary: "The calling key", responses: { "200": jsonResponse("The calling key and its region.", KEY_STATUS) } },
      handler: keyStatus,
    },
    {
      method: "GET",
      pattern: "/v1/keys",
      doc: {
        tag: "Keys",
        operationId: "listKeys",
        summary: "List the company's keys",
        description:
          "Needs a company key whose IP allowlist includes the caller's address. Every key of the company (company and workspace keys, in every status), newest first, paged; " +
          "never a secret or a hash.",
        parameters: [limitQuery(100), CURSOR],
        responses: { "200": jsonResponse("A page of keys.", KEY_PAGE), "403": response("Forbidden") },
      },
      handler: companyKeys,
    },
    {
      method: "GET",
      pattern: "/v1/workspaces/:workspaceId/keys",
      doc: {
        tag: "Keys",
        operationId: "listWorkspaceKeys",
        summary: "List a workspace's keys",
        description:
          "Needs a company key whose IP allowlist includes the caller's address. The keys of one workspace of the company, newest first, paged; never a secret or a hash. " +
          "Another company's workspace (or an id that is not one) is 404.",
        path: WORKSPACE,
        parameters: [limitQuery(100), CURSOR],
        responses: { "200": jsonResponse("A page of keys.", KEY_PAGE), ...KEY_ERRORS },
      },
      handler: workspaceKeys,
    },
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
