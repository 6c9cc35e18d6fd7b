import { Code, ConnectError } from "@connectrpc/connect";
import { isUuid } from "@hyrelog/core";
import type { Orm } from "@hyrelog/db";
import { KeyScope, type Principal } from "@hyrelog/proto";
import { invalidArgument } from "./errors.ts";

export interface ProjectOwner {
  companyId: string;
  workspaceId: string;
}

/** Cached answers per kind; bounded so a flood of ids cannot grow memory without end. */
const MAX_CACHED = 50_000;
/**
 * How long "not archived" is trusted before it is read again. Archiving is final, so "archived" is
 * cached for good; the dashboard's notice (forget) drops an open answer at once on every replica,
 * and this bounds how long one survives if the notice is lost.
 */
export const OPEN_STATE_TTL_MS = 1_000;

/**
 * Who owns the companies, workspaces and projects of this region's database. Every path that
 * reads or writes by an id a caller supplied asks here first, so a foreign id is refused the same
 * way everywhere (NOT_FOUND, as if it did not exist). Ownership never changes once created, so
 * positive answers are cached; negative ones are not (the resource may be created a moment later).
 * The database enforces the same ownership with constraints (migration 0008); this is the check
 * that turns a violation into a clear answer before anything is written.
 */
export class Tenancy {
  readonly #orm: Orm;
  readonly #companies = new Set<string>();
  readonly #workspaces = new Map<string, string>();
  readonly #projects = new Map<string, ProjectOwner>();
  readonly #archived = new Set<string>();
  readonly #openUntil = new Map<string, number>();
  /** Bumped by forget(): an "open" answer read while a notice arrived is not cached. */
  #generation = 0;

  constructor(orm: Orm) {
    this.#orm = orm;
  }

  async hasCompany(companyId: string): Promise<boolean> {
    if (this.#companies.has(companyId)) return true;
    if (!isUuid(companyId)) return false;
    const rows = await this.#sql<{ id: string }>(`select id from companies where id = ?`, [companyId]);
    if (rows.length) remember(this.#companies, companyId);
    return rows.length > 0;
  }

  /** The company that owns a workspace of this region, or null. */
  async workspaceOwner(workspaceId: string): Promise<string | null> {
    const cached = this.#workspaces.get(workspaceId);
    if (cached !== undefined || !isUuid(workspaceId)) return cached ?? null;
    const [row] = await this.#sql<{ company_id: string }>(`select company_id from workspaces where id = ?`, [workspaceId]);
    if (row) remember(this.#workspaces, workspaceId, row.company_id);
    return row?.company_id ?? null;
  }

  /** The owners of the given projects that exist in this region (ids that are not UUIDs are skipped). */
  async projectOwners(projectIds: Iterable<string>): Promise<Map<string, ProjectOwner>> {
    const ids = [...new Set(projectIds)].filter(isUuid);
    const missing = ids.filter((id) => !this.#projects.has(id));
    if (missing.length) {
      const rows = await this.#sql<{ id: string; company_id: string; workspace_id: string }>(
        `select id, company_id, workspace_id from projects where id in (?)`,
        [missing],
      );
      for (const r of rows) remember(this.#projects, r.id, { companyId: r.company_id, workspaceId: r.workspace_id });
    }
    const out = new Map<string, ProjectOwner>();
    for (const id of ids) {
      const owner = this.#projects.get(id);
      if (owner) out.set(id, owner);
    }
    return out;
  }

  /** Throws NOT_FOUND unless the workspace is one of the company's (INVALID_ARGUMENT if it is no id at all). */
  async requireWorkspace(companyId: string, workspaceId: string, field = "workspaceId"): Promise<void> {
    if (!isUuid(workspaceId)) throw invalidArgument(`invalid ${field}`, [{ field, description: "must be a workspace id (UUID)" }]);
    if ((await this.workspaceOwner(workspaceId)) !== companyId) throw new ConnectError(`workspace ${workspaceId} not found`, Code.NotFound);
  }

  /**
   * Throws NOT_FOUND unless the project is one of the company's, and of `workspaceId` when one is
   * given (a workspace key sees only its own workspace's projects).
   */
  async requireProject(companyId: string, projectId: string, workspaceId?: string, field = "projectId"): Promise<void> {
    if (!isUuid(projectId)) throw invalidArgument(`invalid ${field}`, [{ field, description: "must be a project id (UUID)" }]);
    const owner = (await this.projectOwners([projectId])).get(projectId);
    if (!owner || owner.companyId !== companyId || (workspaceId && owner.workspaceId !== workspaceId)) {
      throw new ConnectError(`project ${projectId} not found`, Code.NotFound);
    }
  }

  /**
   * What a reader's call may see, checked the same way for events, exports and verification: a
   * workspace key reads its own workspace only (naming another is PERMISSION_DENIED), a company key
   * the workspace it names (another company's is NOT_FOUND) or, naming none, its whole company
   * (`workspaceId` null).
   */
  async readScope(p: Principal | undefined, workspaceId: string): Promise<{ reader: Principal; workspaceId: string | null }> {
    const reader = requireReader(p);
    if (reader.scope === KeyScope.WORKSPACE) {
      if (workspaceId && workspaceId !== reader.workspaceId) throw new ConnectError("a workspace key can only read its own workspace", Code.PermissionDenied);
      return { reader, workspaceId: reader.workspaceId };
    }
    if (!workspaceId) return { reader, workspaceId: null };
    await this.requireWorkspace(reader.companyId, workspaceId);
    return { reader, workspaceId };
  }

  /**
   * Which of these workspaces (`kind` "workspaces") or projects ("projects") are archived. Ids that
   * are not UUIDs or do not exist are not in the answer (ownership is checked separately).
   */
  async archived(kind: "workspaces" | "projects", ids: Iterable<string>): Promise<Set<string>> {
    const now = Date.now();
    const out = new Set<string>();
    const ask: string[] = [];
    for (const id of new Set(ids)) {
      if (!isUuid(id)) continue;
      if (this.#archived.has(id)) out.add(id);
      else if ((this.#openUntil.get(id) ?? 0) <= now) ask.push(id);
    }
    if (!ask.length) return out;
    const generation = this.#generation;
    const rows = await this.#sql<{ id: string; archived: boolean }>(`select id, archived_at is not null as archived from ${kind} where id in (?)`, [ask]);
    for (const r of rows) {
      if (r.archived) {
        remember(this.#archived, r.id);
        out.add(r.id);
      } else if (generation === this.#generation) {
        remember(this.#openUntil, r.id, now + OPEN_STATE_TTL_MS);
      }
    }
    return out;
  }

  /** Drops a cached "not archived" answer (the dashboard's notice that a workspace or project was archived). */
  forget(id: string): void {
    this.#generation++;
    this.#openUntil.delete(id);
  }

  #sql<T>(query: string, params: unknown[]): Promise<T[]> {
    return this.#orm.em.fork().execute<T[]>(query, params);
  }
}

/** A principal that may read a company's data: a company key or a workspace key. */
export function requireReader(p: Principal | undefined): Principal {
  if (!p || !p.companyId) throw new ConnectError("principal is required", Code.Unauthenticated);
  if (p.scope !== KeyScope.COMPANY && p.scope !== KeyScope.WORKSPACE) throw new ConnectError("principal has no read scope", Code.PermissionDenied);
  return p;
}

function remember<K, V>(cache: Set<K> | Map<K, V>, key: K, value?: V): void {
  if (cache.size >= MAX_CACHED) cache.clear();
  if (cache instanceof Set) cache.add(key);
  else cache.set(key, value as V);
}
