import type { Orm } from "@hyrelog/db";
import type { JobRecord, JobStatus } from "./job-type.ts";

/** The jobs table's row as PostgreSQL returns it. */
interface JobRow {
  id: string;
  type: string;
  company_id: string | null;
  workspace_id: string | null;
  status: JobStatus;
  params: Record<string, unknown>;
  attempts: number;
  max_attempts: number;
  timeout_ms: number;
  progress_done: string | number;
  progress_total: string | number | null;
  result: Record<string, unknown> | null;
  error: string | null;
  requested_by: { keyId: string; scope: string };
  lease_owner: string | null;
  lease_expires_at: Date | null;
  created_at: Date;
  updated_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

export const JOB_COLUMNS =
  "id, type, company_id, workspace_id, status, params, attempts, max_attempts, timeout_ms, progress_done, progress_total, " +
  "result, error, requested_by, lease_owner, lease_expires_at, created_at, updated_at, started_at, finished_at";

export function jobFromRow<P>(r: JobRow): JobRecord<P, string | null> {
  return {
    id: r.id,
    type: r.type,
    companyId: r.company_id,
    workspaceId: r.workspace_id,
    status: r.status,
    params: r.params as P,
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
    timeoutMs: r.timeout_ms,
    progressDone: Number(r.progress_done),
    progressTotal: r.progress_total === null ? null : Number(r.progress_total),
    result: r.result,
    error: r.error,
    requestedBy: r.requested_by,
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
    startedAt: r.started_at && new Date(r.started_at),
    finishedAt: r.finished_at && new Date(r.finished_at),
  };
}

/** Which jobs JobStore.list returns. */
export interface JobListFilter {
  companyId: string;
  /** Only this workspace's jobs (a workspace key's view); undefined: every job of the company. */
  workspaceId?: string;
  status?: JobStatus | null;
  type?: string;
  beforeId?: string | null;
  limit: number;
}

/** Every SQL statement of the job lifecycle; each is one conditional statement, so two workers never both own a job. */
export class JobStore {
  readonly #orm: Orm;
  constructor(orm: Orm) {
    this.#orm = orm;
  }

  #exec<T>(sql: string, params: unknown[]): Promise<T[]> {
    return this.#orm.em.fork().execute<T[]>(sql, params);
  }

  async insert(job: {
    id: string;
    type: string;
    companyId: string | null;
    workspaceId: string | null;
    params: Record<string, unknown>;
    maxAttempts: number;
    timeoutMs: number;
    progressTotal: number | null;
    requestedBy: { keyId: string; scope: string };
  }): Promise<JobRecord<Record<string, unknown>, string | null>> {
    const rows = await this.#exec<JobRow>(
      `insert into jobs (id, type, company_id, workspace_id, params, max_attempts, timeout_ms, progress_total, requested_by)
       values (?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?::jsonb) returning ${JOB_COLUMNS}`,
      [job.id, job.type, job.companyId, job.workspaceId, JSON.stringify(job.params), job.maxAttempts, job.timeoutMs, job.progressTotal, JSON.stringify(job.requestedBy)],
    );
    return jobFromRow(rows[0]!);
  }

  /** How many open jobs there are per type and state. */
  async openCounts(): Promise<Array<{ type: string; status: JobStatus; count: number }>> {
    const rows = await this.#exec<{ type: string; status: JobStatus; count: string }>(
      `select type, status, count(*) as count from jobs where status in ('PENDING', 'PROCESSING') group by type, status`,
      [],
    );
    return rows.map((r) => ({ type: r.type, status: r.status, count: Number(r.count) }));
  }

  async get(id: string): Promise<(JobRecord<Record<string, unknown>, string | null> & { leaseExpiresAt: Date | null }) | null> {
    const rows = await this.#exec<JobRow>(`select ${JOB_COLUMNS} from jobs where id = ?`, [id]);
    return rows[0] ? { ...jobFromRow(rows[0]), leaseExpiresAt: rows[0].lease_expires_at && new Date(rows[0].lease_expires_at) } : null;
  }

  /**
   * Takes the job for one attempt: a PENDING job, or a PROCESSING one whose lease has expired
   * (its worker crashed or hung), as long as attempts remain.
   */
  async claim(id: string, owner: string, leaseMs: number): Promise<JobRecord<Record<string, unknown>, string | null> | null> {
    const rows = await this.#exec<JobRow>(
      `update jobs set status = 'PROCESSING', attempts = attempts + 1, lease_owner = ?, lease_expires_at = now() + ? * interval '1 millisecond',
         started_at = coalesce(started_at, now()), updated_at = now()
       where id = ? and attempts < max_attempts and (status = 'PENDING' or (status = 'PROCESSING' and lease_expires_at < now()))
       returning ${JOB_COLUMNS}`,
      [owner, leaseMs, id],
    );
    return rows[0] ? (jobFromRow(rows[0]) as JobRecord) : null;
  }

  /** Extends the lease and saves progress; false when the job is no longer this worker's (cancelled, or taken over). */
  async heartbeat(id: string, owner: string, leaseMs: number, done: number, total: number | null): Promise<boolean> {
    const rows = await this.#exec(
      `update jobs set lease_expires_at = now() + ? * interval '1 millisecond', progress_done = ?, progress_total = coalesce(?, progress_total), updated_at = now()
       where id = ? and status = 'PROCESSING' and lease_owner = ? returning id`,
      [leaseMs, done, total, id, owner],
    );
    return rows.length > 0;
  }

  async complete(id: string, owner: string, result: Record<string, unknown>, done: number): Promise<boolean> {
    const rows = await this.#exec(
      `update jobs set status = 'COMPLETED', result = ?::jsonb, progress_done = ?, error = null, lease_owner = null, lease_expires_at = null,
         finished_at = now(), updated_at = now()
       where id = ? and status = 'PROCESSING' and lease_owner = ? returning id`,
      [JSON.stringify(result), done, id, owner],
    );
    return rows.length > 0;
  }

  /** Records a failed attempt: back to PENDING for another one, or FAILED when none is left. */
  async fail(id: string, owner: string, error: string): Promise<JobStatus | null> {
    return this.#failWhere("lease_owner = ?", [owner], id, error);
  }

  /** Same for an attempt whose worker vanished (its lease ran out). */
  async failExpired(id: string, error: string): Promise<JobStatus | null> {
    return this.#failWhere("lease_expires_at < now()", [], id, error);
  }

  async #failWhere(condition: string, conditionParams: unknown[], id: string, error: string): Promise<JobStatus | null> {
    const rows = await this.#exec<{ status: JobStatus }>(
      `update jobs set status = case when attempts >= max_attempts then 'FAILED' else 'PENDING' end, error = ?,
         lease_owner = null, lease_expires_at = null, updated_at = now(),
         finished_at = case when attempts >= max_attempts then now() else null end
       where id = ? and status = 'PROCESSING' and ${condition} returning status`,
      [error, id, ...conditionParams],
    );
    return rows[0]?.status ?? null;
  }

  /** Hands a job back after a graceful stop: PENDING again, and the interrupted attempt does not count. */
  async release(id: string, owner: string, note: string): Promise<void> {
    await this.#exec(
      `update jobs set status = 'PENDING', attempts = greatest(attempts - 1, 0), error = ?, lease_owner = null, lease_expires_at = null, updated_at = now()
       where id = ? and status = 'PROCESSING' and lease_owner = ?`,
      [note, id, owner],
    );
  }

  /** A company's jobs, newest first (by UUIDv7 id), older than `beforeId` when given. */
  async list(f: JobListFilter): Promise<JobRecord[]> {
    const where = ["company_id = ?"];
    const params: unknown[] = [f.companyId];
    const add = (condition: string, value: unknown) => {
      where.push(condition);
      params.push(value);
    };
    if (f.workspaceId !== undefined) add("workspace_id = ?", f.workspaceId);
    if (f.status) add("status = ?", f.status);
    if (f.type) add("type = ?", f.type);
    if (f.beforeId) add("id < ?", f.beforeId);
    const rows = await this.#exec<JobRow>(`select ${JOB_COLUMNS} from jobs where ${where.join(" and ")} order by id desc limit ?`, [...params, f.limit]);
    // company_id = ? above: every row has the company.
    return rows.map((r) => jobFromRow(r) as JobRecord);
  }

  async cancel(id: string, companyId: string): Promise<JobRecord | null> {
    const rows = await this.#exec<JobRow>(
      `update jobs set status = 'CANCELLED', error = 'cancelled by request', lease_owner = null, lease_expires_at = null, finished_at = now(), updated_at = now()
       where id = ? and company_id = ? and status in ('PENDING', 'PROCESSING') returning ${JOB_COLUMNS}`,
      [id, companyId],
    );
    return rows[0] ? (jobFromRow(rows[0]) as JobRecord) : null;
  }

  /** Open jobs of these types whose hand-out message may be gone: PENDING and untouched, or PROCESSING with a long-expired lease. */
  async stale(types: string[], olderThanMs: number): Promise<Array<{ id: string; type: string; attempts: number }>> {
    if (!types.length) return [];
    return this.#exec(
      `select id, type, attempts from jobs
       where type in (?) and ((status = 'PENDING' and updated_at < now() - ? * interval '1 millisecond')
          or (status = 'PROCESSING' and lease_expires_at < now() - ? * interval '1 millisecond'))
       order by updated_at limit 100`,
      [types, olderThanMs, olderThanMs],
    );
  }
}
