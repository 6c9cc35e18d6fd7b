import { Code, ConnectError, type Client, type ConnectRouter } from "@connectrpc/connect";
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  ApiKeySchema,
  IngestService,
  KeyScope,
  KeysService,
  KeyStatus,
  type ApiKey as ApiKeyMessage,
  type Principal,
  type RequestContext,
} from "@hyrelog/proto";
import { apiKeyPrefix, generateApiKey, hashApiKey, invalidAllowlistEntries, isUuid, parseApiKey, textProblem, uuidv7, type RegionCode } from "@hyrelog/core";
import type { InferEntity } from "@mikro-orm/core";
import { ApiKey, Company, Workspace, type Orm } from "@hyrelog/db";
import { invalidArgument, planTierToProto, recordAuditEvent, regionToProto, requireAllowlistedCompanyKey, type Logger } from "@hyrelog/runtime";

type ApiKeyRow = InferEntity<typeof ApiKey>;

export interface KeysDeps {
  orm: Orm;
  region: RegionCode;
  apiKeySecret: string;
  defaultGraceSeconds: number;
  /** Tells every gateway to drop cached authentications of this key. */
  invalidate(keyId: string): void;
  /** Records an event in the company's own audit log (through the ingest service). */
  ingest: Client<typeof IngestService>;
  logger: Logger;
}

/** last_used_at is written at most this often per key, to keep authentication read-only. */
const LAST_USED_RESOLUTION_MS = 60_000;

export function keysRoutes(deps: KeysDeps) {
  const statusOf = (k: ApiKeyRow, now = Date.now()): KeyStatus => {
    if (k.revokedAt) return KeyStatus.REVOKED;
    if (k.expiresAt && k.expiresAt.getTime() <= now) return KeyStatus.EXPIRED;
    if (k.expiresAt) return KeyStatus.ROTATING;
    return KeyStatus.ACTIVE;
  };
  const toMessage = (k: ApiKeyRow): ApiKeyMessage =>
    create(ApiKeySchema, {
      id: k.id,
      prefix: k.prefix,
      scope: k.scope === "COMPANY" ? KeyScope.COMPANY : KeyScope.WORKSPACE,
      companyId: k.companyId,
      workspaceId: k.workspaceId ?? "",
      name: k.name,
      ipAllowlist: k.ipAllowlist,
      status: statusOf(k),
      createdAt: timestampFromDate(k.createdAt),
      lastUsedAt: k.lastUsedAt ? timestampFromDate(k.lastUsedAt) : undefined,
      expiresAt: k.expiresAt ? timestampFromDate(k.expiresAt) : undefined,
      revokedAt: k.revokedAt ? timestampFromDate(k.revokedAt) : undefined,
      rotatedFromId: k.rotatedFromId ?? "",
    });

  const requireManager = (caller: Principal | undefined, clientIp: string) => requireAllowlistedCompanyKey(caller, clientIp, "key management");

  const findCompanyKey = async (companyId: string, keyId: string): Promise<ApiKeyRow> => {
    if (!isUuid(keyId)) throw new ConnectError(`API key ${keyId} not found`, Code.NotFound);
    const key = await deps.orm.em.fork().findOne(ApiKey, { id: keyId, companyId });
    if (!key) throw new ConnectError(`API key ${keyId} not found`, Code.NotFound);
    return key;
  };

  const record = (
    caller: Principal,
    key: ApiKeyRow,
    action: string,
    changes: Array<{ field: string; old?: string; new?: string }>,
    context: RequestContext | undefined,
  ) =>
    recordAuditEvent(deps.ingest, deps.logger, {
      companyId: caller.companyId,
      region: caller.region,
      workspaceId: key.workspaceId,
      category: "api_key",
      action,
      actor: { id: caller.keyId, type: "api_key" },
      target: { id: key.id, type: "api_key", name: key.name },
      changes,
      context,
    });

  return (router: ConnectRouter) =>
    router.service(KeysService, {
      async authenticate(req) {
        const parsed = parseApiKey(req.apiKey);
        if (!parsed) throw new ConnectError("malformed API key: expected hlk_co_... or hlk_ws_...", Code.Unauthenticated);
        const em = deps.orm.em.fork();
        const key = await em.findOne(ApiKey, { keyHash: hashApiKey(req.apiKey, deps.apiKeySecret) });
        if (!key) throw new ConnectError("unknown API key", Code.Unauthenticated);
        const now = Date.now();
        const status = statusOf(key, now);
        if (status === KeyStatus.REVOKED) throw new ConnectError("this API key has been revoked", Code.Unauthenticated);
        if (status === KeyStatus.EXPIRED) throw new ConnectError("this API key has expired (rotated)", Code.Unauthenticated);
        const company = await em.findOneOrFail(Company, { id: key.companyId });
        if (!key.lastUsedAt || now - key.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
          void em
            .fork()
            .execute("update api_keys set last_used_at = now() where id = ?", [key.id])
            .catch((err) => deps.logger.warn("could not update last_used_at", { err }));
        }
        return {
          principal: {
            keyId: key.id,
            companyId: key.companyId,
            workspaceId: key.workspaceId ?? "",
            scope: key.scope === "COMPANY" ? KeyScope.COMPANY : KeyScope.WORKSPACE,
            region: regionToProto(company.dataRegion),
            plan: planTierToProto(company.planTier),
            ipAllowlist: key.ipAllowlist,
          },
          expiresAt: key.expiresAt ? timestampFromDate(key.expiresAt) : undefined,
        };
      },

      async createWorkspaceKey(req) {
        const caller = requireManager(req.caller, req.clientIp);
        const violations = [];
        if (!isUuid(req.workspaceId)) violations.push({ field: "workspaceId", description: "must be a workspace id (UUID)" });
        const name = req.name.trim() || "workspace key";
        const nameProblem = name.length > 100 ? "must be at most 100 characters" : textProblem(name);
        if (nameProblem) violations.push({ field: "name", description: nameProblem });
        const bad = invalidAllowlistEntries(req.ipAllowlist);
        if (bad.length) violations.push({ field: "ipAllowlist", description: `entries must be IP addresses or CIDR ranges (bad: ${bad.join(", ")})` });
        if (violations.length) throw invalidArgument("invalid key request", violations);
        const em = deps.orm.em.fork();
        const workspace = await em.findOne(Workspace, { id: req.workspaceId, companyId: caller.companyId });
        if (!workspace) throw new ConnectError(`workspace ${req.workspaceId} not found`, Code.NotFound);
        const secret = generateApiKey("ws", deps.region);
        const key = em.create(ApiKey, {
          id: uuidv7(),
          companyId: caller.companyId,
          workspaceId: workspace.id,
          scope: "WORKSPACE",
          name,
          keyHash: hashApiKey(secret, deps.apiKeySecret),
          prefix: apiKeyPrefix(secret),
          ipAllowlist: req.ipAllowlist,
        });
        await em.flush();
        await record(caller, key, "api_key.created", [{ field: "status", new: "ACTIVE" }], req.context);
        return { key: toMessage(key), secret };
      },

      async rotateKey(req) {
        const caller = requireManager(req.caller, req.clientIp);
        const grace = req.gracePeriodSeconds ?? deps.defaultGraceSeconds;
        if (grace > 30 * 86_400) throw invalidArgument("grace period too long", [{ field: "gracePeriodSeconds", description: "must be at most 30 days (2592000 seconds)" }]);
        const old = await findCompanyKey(caller.companyId, req.keyId);
        const status = statusOf(old);
        if (status !== KeyStatus.ACTIVE) {
          throw new ConnectError(`only an active key can be rotated; this one is ${KeyStatus[status]!.toLowerCase()}`, Code.FailedPrecondition);
        }
        const em = deps.orm.em.fork();
        const secret = generateApiKey(old.scope === "COMPANY" ? "co" : "ws", deps.region);
        const replacement = em.create(ApiKey, {
          id: uuidv7(),
          companyId: old.companyId,
          workspaceId: old.workspaceId,
          scope: old.scope,
          name: old.name,
          keyHash: hashApiKey(secret, deps.apiKeySecret),
          prefix: apiKeyPrefix(secret),
          ipAllowlist: old.ipAllowlist,
          rotatedFromId: old.id,
        });
        const managed = em.merge(old);
        managed.expiresAt = new Date(Date.now() + grace * 1000);
        await em.flush();
        deps.invalidate(old.id);
        await record(caller, managed, "api_key.rotated", [{ field: "status", old: "ACTIVE", new: "ROTATING" }], req.context);
        return { key: toMessage(replacement), secret, previous: toMessage(managed) };
      },

      async revokeKey(req) {
        const caller = requireManager(req.caller, req.clientIp);
        const reasonProblem = req.reason.length > 500 ? "must be at most 500 characters" : textProblem(req.reason, "multiline");
        if (reasonProblem) throw invalidArgument("invalid revocation request", [{ field: "reason", description: reasonProblem }]);
        const key = await findCompanyKey(caller.companyId, req.keyId);
        if (key.revokedAt) return { key: toMessage(key) };
        const em = deps.orm.em.fork();
        const managed = em.merge(key);
        const before = KeyStatus[statusOf(key)]!;
        managed.revokedAt = new Date();
        managed.revokedReason = req.reason || null;
        await em.flush();
        deps.invalidate(key.id);
        await record(caller, managed, "api_key.revoked", [{ field: "status", old: before, new: "REVOKED" }], req.context);
        return { key: toMessage(managed) };
      },

      async getKeyStatus(req) {
        if (!req.caller) throw new ConnectError("caller is required", Code.Unauthenticated);
        const key = await findCompanyKey(req.caller.companyId, req.caller.keyId);
        return { key: toMessage(key) };
      },
    });
}



