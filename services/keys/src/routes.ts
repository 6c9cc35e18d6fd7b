import { Code, ConnectError, type Client, type ConnectRouter } from "@connectrpc/connect";
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { JsonValue } from "@bufbuild/protobuf";
import {
  ApiKeySchema,
  IngestService,
  KeyScope,
  KeysService,
  KeyStatus,
  type ApiKey as ApiKeyMessage,
  type DashboardUser,
  type Principal,
  type RequestContext,
} from "@hyrelog/proto";
import { apiKeyPrefix, generateApiKey, hashApiKey, invalidAllowlistEntries, isUuid, parseApiKey, textProblem, uuidv7, type RegionCode, type Violation } from "@hyrelog/core";
import type { EntityManager, InferEntity } from "@mikro-orm/core";
import { ApiKey, Company, Workspace, type Orm } from "@hyrelog/db";
import {
  dashboardActor,
  decodeCursor,
  encodeCursor,
  invalidArgument,
  pageLimit,
  planTierToProto,
  recordAuditEvent,
  regionToProto,
  requireAllowlistedCompanyKey,
  requireCompanyUser,
  type Logger,
  type Tenancy,
} from "@hyrelog/runtime";

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
  tenancy: Tenancy;
  logger: Logger;
}

/** Who changes a key: an API key (the public API) or a dashboard user (the dashboard service). */
type KeyActor = { kind: "key"; caller: Principal } | { kind: "user"; user: DashboardUser };

/** What a new key is: the one way keys are made (create, create for the dashboard, rotate). */
interface NewKey {
  companyId: string;
  workspaceId: string | null;
  scope: "COMPANY" | "WORKSPACE";
  name: string;
  ipAllowlist: string[];
  rotatedFromId?: string;
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

  /** A dashboard user acting for a company of this region (NOT_FOUND for any other). */
  const requireUser = async (user: DashboardUser | undefined, change: boolean): Promise<DashboardUser> => {
    const u = requireCompanyUser(user, change);
    if (!(await deps.tenancy.hasCompany(u.companyId))) throw new ConnectError(`company ${u.companyId} not found`, Code.NotFound);
    return u;
  };

  const findCompanyKey = async (companyId: string, keyId: string): Promise<ApiKeyRow> => {
    if (!isUuid(keyId)) throw new ConnectError(`API key ${keyId} not found`, Code.NotFound);
    const key = await deps.orm.em.fork().findOne(ApiKey, { id: keyId, companyId });
    if (!key) throw new ConnectError(`API key ${keyId} not found`, Code.NotFound);
    return key;
  };

  /** The one place a key is made: its plaintext (returned once), HMAC and prefix. Flushed by the caller. */
  const issueKey = (em: EntityManager, k: NewKey): { key: ApiKeyRow; secret: string } => {
    const secret = generateApiKey(k.scope === "COMPANY" ? "co" : "ws", deps.region);
    const key = em.create(ApiKey, {
      id: uuidv7(),
      companyId: k.companyId,
      workspaceId: k.workspaceId,
      scope: k.scope,
      name: k.name,
      keyHash: hashApiKey(secret, deps.apiKeySecret),
      prefix: apiKeyPrefix(secret),
      ipAllowlist: k.ipAllowlist,
      rotatedFromId: k.rotatedFromId ?? null,
    });
    return { key, secret };
  };

  /** A key's name (default `fallback`) and IP allowlist, each problem reported by field. */
  const keySettings = (rawName: string, fallback: string, allowlist: string[], violations: Violation[]): string => {
    const name = rawName.trim() || fallback;
    const nameProblem = name.length > 100 ? "must be at most 100 characters" : textProblem(name);
    if (nameProblem) violations.push({ field: "name", description: nameProblem });
    const bad = invalidAllowlistEntries(allowlist);
    if (bad.length) violations.push({ field: "ipAllowlist", description: `entries must be IP addresses or CIDR ranges (bad: ${bad.join(", ")})` });
    return name;
  };

  /**
   * Records a key operation in the company's log: a workspace key's in its workspace's log, a
   * company key's in the company log. The actor is the API key, or the dashboard user (with role).
   */
  const record = (
    who: KeyActor,
    key: ApiKeyRow,
    action: string,
    changes: Array<{ field: string; old?: JsonValue; new?: JsonValue }>,
    context: RequestContext | undefined,
  ) =>
    recordAuditEvent(deps.ingest, deps.logger, {
      companyId: key.companyId,
      region: who.kind === "key" ? who.caller.region : regionToProto(deps.region),
      workspaceId: key.workspaceId,
      category: "api_key",
      action,
      ...(who.kind === "key" ? { actor: { id: who.caller.keyId, type: "api_key" } } : dashboardActor(who.user)),
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
        const violations: Violation[] = [];
        if (!isUuid(req.workspaceId)) violations.push({ field: "workspaceId", description: "must be a workspace id (UUID)" });
        const name = keySettings(req.name, "workspace key", req.ipAllowlist, violations);
        if (violations.length) throw invalidArgument("invalid key request", violations);
        const em = deps.orm.em.fork();
        const workspace = await em.findOne(Workspace, { id: req.workspaceId, companyId: caller.companyId });
        if (!workspace) throw new ConnectError(`workspace ${req.workspaceId} not found`, Code.NotFound);
        if (workspace.archivedAt) throw new ConnectError(`workspace ${workspace.id} is archived: it gets no new keys`, Code.FailedPrecondition);
        const { key, secret } = issueKey(em, { companyId: caller.companyId, workspaceId: workspace.id, scope: "WORKSPACE", name, ipAllowlist: req.ipAllowlist });
        await em.flush();
        await record({ kind: "key", caller }, key, "api_key.created", [{ field: "status", new: "ACTIVE" }], req.context);
        return { key: toMessage(key), secret };
      },

      async createKey(req) {
        const user = await requireUser(req.user, true);
        const violations: Violation[] = [];
        const scope = req.scope === KeyScope.COMPANY ? "COMPANY" : req.scope === KeyScope.WORKSPACE ? "WORKSPACE" : null;
        if (!scope) violations.push({ field: "scope", description: "must be company or workspace" });
        if (scope === "WORKSPACE" && !isUuid(req.workspaceId)) violations.push({ field: "workspaceId", description: "is required for a workspace key: a workspace id (UUID)" });
        if (scope === "COMPANY" && req.workspaceId) violations.push({ field: "workspaceId", description: "must be omitted for a company key" });
        const name = keySettings(req.name, scope === "COMPANY" ? "company key" : "workspace key", req.ipAllowlist, violations);
        if (violations.length) throw invalidArgument("invalid key request", violations);
        const em = deps.orm.em.fork();
        let workspaceId: string | null = null;
        if (scope === "WORKSPACE") {
          const workspace = await em.findOne(Workspace, { id: req.workspaceId, companyId: user.companyId });
          if (!workspace) throw new ConnectError(`workspace ${req.workspaceId} not found`, Code.NotFound);
          if (workspace.archivedAt) throw new ConnectError(`workspace ${workspace.id} is archived: it gets no new keys`, Code.FailedPrecondition);
          workspaceId = workspace.id;
        }
        const { key, secret } = issueKey(em, { companyId: user.companyId, workspaceId, scope: scope!, name, ipAllowlist: req.ipAllowlist });
        await em.flush();
        await record({ kind: "user", user }, key, "api_key.created", [{ field: "status", new: "ACTIVE" }, { field: "ipAllowlist", new: key.ipAllowlist }], req.context);
        return { key: toMessage(key), secret };
      },

      async listKeys(req) {
        const user = await requireUser(req.user, false);
        const keys = await deps.orm.em.fork().find(ApiKey, { companyId: user.companyId }, { orderBy: { createdAt: "desc", id: "desc" } });
        return { keys: keys.map(toMessage) };
      },

      async listCompanyKeys(req) {
        const caller = requireManager(req.caller, req.clientIp);
        const limit = pageLimit(req.limit);
        // Another company's workspace, or no id at all, is not found like one that does not exist.
        if (req.workspaceId && (await deps.tenancy.workspaceOwner(req.workspaceId)) !== caller.companyId) {
          throw new ConnectError(`workspace ${req.workspaceId} not found`, Code.NotFound);
        }
        const filterKey = JSON.stringify(["keys", caller.companyId, req.workspaceId]);
        const after = decodeCursor(req.cursor, filterKey);
        // Newest first by UUIDv7 id: a key that existed when paging began is listed exactly once.
        const keys = await deps.orm.em.fork().find(
          ApiKey,
          { companyId: caller.companyId, ...(req.workspaceId ? { workspaceId: req.workspaceId } : {}), ...(after ? { id: { $lt: after } } : {}) },
          { orderBy: { id: "desc" }, limit: limit + 1 },
        );
        const page = keys.slice(0, limit);
        return { keys: page.map(toMessage), nextCursor: keys.length > limit ? encodeCursor(page.at(-1)!.id, filterKey) : "" };
      },

      async setIpAllowlist(req) {
        const user = await requireUser(req.user, true);
        const bad = invalidAllowlistEntries(req.ipAllowlist);
        if (bad.length) {
          throw invalidArgument("invalid IP allowlist", [{ field: "ipAllowlist", description: `entries must be IP addresses or CIDR ranges (bad: ${bad.join(", ")})` }]);
        }
        const key = await findCompanyKey(user.companyId, req.keyId);
        const status = statusOf(key);
        if (status === KeyStatus.REVOKED || status === KeyStatus.EXPIRED) {
          throw new ConnectError(`this key is ${KeyStatus[status]!.toLowerCase()}; its allowlist can no longer change`, Code.FailedPrecondition);
        }
        const before = [...key.ipAllowlist];
        if (before.length === req.ipAllowlist.length && before.every((entry, i) => entry === req.ipAllowlist[i])) return { key: toMessage(key), previousIpAllowlist: before };
        const em = deps.orm.em.fork();
        const managed = em.merge(key);
        managed.ipAllowlist = [...req.ipAllowlist];
        await em.flush();
        // Gateways cache the key's principal, allowlist included: they drop it at once.
        deps.invalidate(key.id);
        await record({ kind: "user", user }, managed, "api_key.ip_allowlist_changed", [{ field: "ipAllowlist", old: before, new: managed.ipAllowlist }], req.context);
        return { key: toMessage(managed), previousIpAllowlist: before };
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
        const { key: replacement, secret } = issueKey(em, {
          companyId: old.companyId,
          workspaceId: old.workspaceId ?? null,
          scope: old.scope,
          name: old.name,
          ipAllowlist: old.ipAllowlist,
          rotatedFromId: old.id,
        });
        const managed = em.merge(old);
        managed.expiresAt = new Date(Date.now() + grace * 1000);
        await em.flush();
        deps.invalidate(old.id);
        await record({ kind: "key", caller }, managed, "api_key.rotated", [{ field: "status", old: "ACTIVE", new: "ROTATING" }], req.context);
        return { key: toMessage(replacement), secret, previous: toMessage(managed) };
      },

      async revokeKey(req) {
        // An API key (the public API) or a dashboard user (the dashboard service): one revocation.
        const who: KeyActor = req.user ? { kind: "user", user: await requireUser(req.user, true) } : { kind: "key", caller: requireManager(req.caller, req.clientIp) };
        const companyId = who.kind === "user" ? who.user.companyId : who.caller.companyId;
        const reasonProblem = req.reason.length > 500 ? "must be at most 500 characters" : textProblem(req.reason, "multiline");
        if (reasonProblem) throw invalidArgument("invalid revocation request", [{ field: "reason", description: reasonProblem }]);
        const key = await findCompanyKey(companyId, req.keyId);
        if (key.revokedAt) return { key: toMessage(key), previousStatus: KeyStatus.REVOKED };
        const em = deps.orm.em.fork();
        const managed = em.merge(key);
        const previousStatus = statusOf(key);
        managed.revokedAt = new Date();
        managed.revokedReason = req.reason || null;
        await em.flush();
        deps.invalidate(key.id);
        await record(who, managed, "api_key.revoked", [{ field: "status", old: KeyStatus[previousStatus]!, new: "REVOKED" }], req.context);
        return { key: toMessage(managed), previousStatus };
      },

      async getKeyStatus(req) {
        if (!req.caller) throw new ConnectError("caller is required", Code.Unauthenticated);
        const key = await findCompanyKey(req.caller.companyId, req.caller.keyId);
        return { key: toMessage(key) };
      },
    });
}



