import { canonicalJson, eventHash, uuidv7, type SealedValues } from "@hyrelog/core";
import { conflict } from "@hyrelog/runtime";
import { sql, type QueryExecutorProvider } from "kysely";
import { rowFromStored, storedEventFromRow, type EventRow, type Orm, type StoredEvent } from "@hyrelog/db";
import type { NormalisedEvent } from "./validate.ts";

/** An event ready to be chained: everything but its id, sequence and hashes. */
export interface PendingEvent extends NormalisedEvent {
  companyId: string;
  /** The chain it joins: the workspace, or the company for company-level events. */
  logId: string;
  workspaceId: string | null;
  receivedAt: Date;
  context: StoredEvent["context"];
  /** Version 2 (sealed by EventSealer): personal values are null in place, committed to here and sealed. */
  v?: number;
  personal?: Record<string, string>;
  sealed?: SealedValues[];
  actorEmailIndex?: string | null;
}

export interface WriteResult {
  event: StoredEvent;
  duplicate: boolean;
}

/** What one flush committed per log, for the outbox publisher. */
export interface CommittedRun {
  outboxId: string;
  logId: string;
  events: StoredEvent[];
}

interface Request {
  events: PendingEvent[];
  resolve(results: WriteResult[]): void;
  reject(err: unknown): void;
}

const MAX_EVENTS_PER_FLUSH = 5000;

/**
 * Group commit: requests queue per lane; each lane commits whatever has queued while its previous
 * transaction ran, in one transaction that locks each log's head, assigns gapless sequences,
 * chains the hashes, inserts the events and their outbox rows. A request resolves only after
 * COMMIT, so an acknowledged event survives any crash. A log always maps to the same lane, so
 * this process never waits on its own locks; other processes serialise on the head row lock.
 */
export class LogWriter {
  readonly #orm: Orm;
  readonly #lanes: Request[][];
  readonly #busy: boolean[];
  readonly #onCommit: (runs: CommittedRun[]) => void;
  #idle: Array<() => void> = [];
  /**
   * The head (last sequence and hash) this process last committed for each log. A head row,
   * once created, is never deleted; the values are only a guess that the write verifies.
   */
  readonly #heads = new Map<string, Head>();

  constructor(orm: Orm, onCommit: (runs: CommittedRun[]) => void, lanes = 4) {
    this.#orm = orm;
    this.#onCommit = onCommit;
    this.#lanes = Array.from({ length: lanes }, () => []);
    this.#busy = Array.from({ length: lanes }, () => false);
  }

  write(events: PendingEvent[]): Promise<WriteResult[]> {
    return new Promise((resolve, reject) => {
      const lane = laneOf(events[0]!.logId, this.#lanes.length);
      this.#lanes[lane]!.push({ events, resolve, reject });
      if (!this.#busy[lane]) void this.#drain(lane);
    });
  }

  /** Resolves when every queued request has been committed or failed. */
  async flushed(): Promise<void> {
    if (this.#busy.every((b) => !b)) return;
    await new Promise<void>((r) => this.#idle.push(r));
  }

  async #drain(lane: number): Promise<void> {
    this.#busy[lane] = true;
    const queue = this.#lanes[lane]!;
    while (queue.length > 0) {
      const batch: Request[] = [];
      let count = 0;
      while (queue.length > 0 && (batch.length === 0 || count + queue[0]!.events.length <= MAX_EVENTS_PER_FLUSH)) {
        const r = queue.shift()!;
        batch.push(r);
        count += r.events.length;
      }
      try {
        const { results, runs } = await this.#commit(batch);
        batch.forEach((r, i) => settle(r, results[i]!));
        if (runs.length) this.#onCommit(runs);
      } catch (err) {
        if (batch.length === 1) batch[0]!.reject(err);
        // One request's failure must not fail the others that shared its transaction.
        else for (const r of batch) await this.#commitAlone(r);
      }
    }
    this.#busy[lane] = false;
    if (this.#busy.every((b) => !b)) for (const r of this.#idle.splice(0)) r();
  }

  async #commitAlone(r: Request): Promise<void> {
    try {
      const { results, runs } = await this.#commit([r]);
      settle(r, results[0]!);
      if (runs.length) this.#onCommit(runs);
    } catch (err) {
      r.reject(err);
    }
  }

  /**
   * Per request: its results, or why it was refused (nothing of it is stored then).
   * Fast path: when this process wrote the log's head last, one autocommit statement writes the
   * flush, guarded by the head row still being what we wrote. Any race (another writer moved the
   * head, or stored one of our idempotency keys) falls back to the locking path.
   */
  async #commit(batch: Request[]): Promise<CommitOutcome> {
    const all = batch.flatMap((r) => r.events);
    const logIds = [...new Set(all.map((e) => e.logId))].sort();
    const cached = logIds.length === 1 ? this.#heads.get(logIds[0]!) : undefined;
    if (cached) {
      const db = this.#orm.em.fork().getKysely();
      try {
        const plan = planWrite(batch, new Map([[logIds[0]!, cached]]), await lookupKeys(db, all));
        const runs = await writePlan(db, plan);
        if (runs) {
          this.#remember(plan);
          return { results: plan.results, runs };
        }
      } catch (err) {
        if ((err as { code?: string }).code !== UNIQUE_VIOLATION) throw err;
      }
      this.#heads.delete(logIds[0]!);
    }
    return this.#commitLocked(batch, all, logIds);
  }

  async #commitLocked(batch: Request[], all: PendingEvent[], logIds: string[]): Promise<CommitOutcome> {
    const ownerOf = new Map(all.map((e) => [e.logId, { company_id: e.companyId, workspace_id: e.workspaceId }]));
    const em = this.#orm.em.fork();
    const { plan, runs } = await em.transactional(async (tx) => {
      const db = tx.getKysely();
      const newLogs = logIds.filter((id) => !this.#heads.has(id));
      if (newLogs.length) {
        // The head names the log's owner; the database refuses a workspace that is not the company's.
        await sql`insert into log_heads (log_id, company_id, workspace_id, sequence, hash, updated_at)
           select log_id, company_id, workspace_id, 0, repeat('0', 64), now()
           from jsonb_to_recordset(${JSON.stringify(newLogs.map((id) => ({ log_id: id, ...ownerOf.get(id) })))}::jsonb)
             as h(log_id uuid, company_id uuid, workspace_id uuid)
           on conflict (log_id) do nothing`.execute(db);
      }
      // Sorted lock order: two writers never deadlock on each other's logs.
      const { rows: heads } = await sql<{ log_id: string; sequence: string; hash: string }>`
        select log_id, sequence, hash from log_heads where log_id = any(${logIds}::uuid[]) order by log_id for update`.execute(db);
      const head = new Map(heads.map((h) => [h.log_id, { sequence: Number(h.sequence), hash: h.hash }]));
      // Idempotency: looked up under the head lock, so a concurrent retry elsewhere is visible.
      const plan = planWrite(batch, head, await lookupKeys(db, all));
      const runs = await writePlan(db, plan);
      if (!runs) throw new Error("log head moved while locked"); // cannot happen under FOR UPDATE
      return { plan, runs };
    });
    this.#remember(plan);
    return { results: plan.results, runs };
  }

  /** After COMMIT only: a rolled-back transaction takes its head rows and heads with it. */
  #remember(plan: WritePlan): void {
    for (const [logId, h] of plan.heads) this.#heads.set(logId, h);
    if (this.#heads.size > 100_000) this.#heads.clear();
  }
}

const UNIQUE_VIOLATION = "23505";

type Head = { sequence: number; hash: string };
type CommitOutcome = { results: Array<WriteResult[] | Error>; runs: CommittedRun[] };

interface WritePlan {
  results: Array<WriteResult[] | Error>;
  fresh: StoredEvent[];
  /** Each log's head before (expected) and after this write. */
  before: Map<string, Head>;
  heads: Map<string, Head>;
}

/** Stored events for the batch's idempotency keys. */
async function lookupKeys(db: QueryExecutorProvider, all: PendingEvent[]): Promise<Map<string, StoredEvent>> {
  const existing = new Map<string, StoredEvent>();
  const keyed = all.filter((e) => e.idempotencyKey !== null);
  if (!keyed.length) return existing;
  const { rows } = await sql<EventRow>`
    select e.* from audit_events e
    join jsonb_to_recordset(${JSON.stringify(keyed.map((e) => ({ log_id: e.logId, key: e.idempotencyKey })))}::jsonb) as k(log_id uuid, key text)
      on e.log_id = k.log_id and e.idempotency_key = k.key`.execute(db);
  for (const row of rows) existing.set(`${row.log_id}\u0000${row.idempotency_key}`, storedEventFromRow(row));
  return existing;
}

/** Assigns ids, sequences and hashes in memory: the chain continues from each log's head. */
function planWrite(batch: Request[], heads: Map<string, Head>, existing: Map<string, StoredEvent>): WritePlan {
  const before = new Map(heads);
  const head = new Map(heads);
  const fresh: StoredEvent[] = [];
  const results = batch.map((r): WriteResult[] | Error => {
    const clash = reusedKey(r.events, existing);
    if (clash) return clash;
    return r.events.map((p): WriteResult => {
      const key = p.idempotencyKey === null ? null : `${p.logId}\u0000${p.idempotencyKey}`;
      const seen = key ? existing.get(key) : undefined;
      if (seen) return { event: seen, duplicate: true };
      const h = head.get(p.logId)!;
      const fields = {
        v: p.v ?? 1,
        id: uuidv7(),
        companyId: p.companyId,
        workspaceId: p.workspaceId,
        projectId: p.projectId,
        sequence: h.sequence + 1,
        prevHash: h.hash,
        occurredAt: (p.occurredAt ?? p.receivedAt).toISOString(),
        receivedAt: p.receivedAt.toISOString(),
        category: p.category,
        action: p.action,
        actor: p.actor,
        target: p.target,
        changes: p.changes,
        metadata: p.metadata,
        context: p.context,
        ...(p.payload !== undefined ? { payload: p.payload } : {}),
        ...(p.personal ? { personal: p.personal } : {}),
      };
      const event: StoredEvent = { ...fields, hash: eventHash(fields), idempotencyKey: p.idempotencyKey, sealed: p.sealed ?? [], actorEmailIndex: p.actorEmailIndex ?? null };
      head.set(p.logId, { sequence: event.sequence, hash: event.hash });
      if (key) existing.set(key, event);
      fresh.push(event);
      return { event, duplicate: false };
    });
  });
  return { results, fresh, before, heads: head };
}

/**
 * Writes the planned events, moves each log's head and adds the outbox rows, in one statement.
 * A log whose head is no longer where the plan started gets nothing written. Under the head
 * locks every head matches; the lock-free fast path writes one log only, so it is all or nothing.
 * Returns the committed runs, or null when the head had moved.
 */
async function writePlan(db: QueryExecutorProvider, plan: WritePlan): Promise<CommittedRun[] | null> {
  if (!plan.fresh.length) return [];
  const byLog = new Map<string, StoredEvent[]>();
  for (const e of plan.fresh) {
    const id = e.workspaceId ?? e.companyId;
    const list = byLog.get(id);
    if (list) list.push(e);
    else byLog.set(id, [e]);
  }
  const moves = [...byLog].map(([id, evs]) => ({
    log_id: id,
    expected_sequence: plan.before.get(id)!.sequence,
    expected_hash: plan.before.get(id)!.hash,
    from_sequence: evs[0]!.sequence,
    sequence: evs.at(-1)!.sequence,
    hash: evs.at(-1)!.hash,
  }));
  const { rows } = await sql<{ id: string; log_id: string }>`
    with moves as (
      select * from jsonb_to_recordset(${JSON.stringify(moves)}::jsonb)
        as v(log_id uuid, expected_sequence bigint, expected_hash text, from_sequence bigint, sequence bigint, hash text)
    ),
    moved as (
      update log_heads h set sequence = m.sequence, hash = m.hash, updated_at = now()
      from moves m
      where h.log_id = m.log_id and h.sequence = m.expected_sequence and h.hash = m.expected_hash
      returning h.log_id
    ),
    inserted as (
      insert into audit_events (id, company_id, workspace_id, log_id, project_id, sequence, prev_hash, hash,
        occurred_at, received_at, category, action, actor_id, actor_type, actor_email, actor_name,
        target_id, target_type, target_name, changes, metadata, ip, user_agent, trace_id, request_id, idempotency_key,
        v, personal, sealed, actor_email_index, payload)
      select r.* from jsonb_to_recordset(${JSON.stringify(plan.fresh.map(rowFromStored))}::jsonb) as r(id uuid, company_id uuid,
        workspace_id uuid, log_id uuid, project_id uuid, sequence bigint, prev_hash text, hash text, occurred_at timestamptz,
        received_at timestamptz, category text, action text, actor_id text, actor_type text, actor_email text,
        actor_name text, target_id text, target_type text, target_name text, changes jsonb, metadata jsonb, ip text,
        user_agent text, trace_id text, request_id text, idempotency_key text, v smallint, personal jsonb, sealed jsonb, actor_email_index text, payload jsonb)
      where r.log_id in (select log_id from moved)
    )
    insert into event_outbox (log_id, from_sequence, to_sequence)
    select log_id, from_sequence, sequence from moves where log_id in (select log_id from moved)
    returning id, log_id`.execute(db);
  if (rows.length !== byLog.size) {
    if (rows.length) throw new Error("log heads moved partially"); // only one log is written unlocked
    return null;
  }
  return rows.map((o) => ({ outboxId: String(o.id), logId: o.log_id, events: byLog.get(o.log_id)! }));
}

function settle(r: Request, outcome: WriteResult[] | Error): void {
  if (outcome instanceof Error) r.reject(outcome);
  else r.resolve(outcome);
}

/**
 * What a retry must repeat for its idempotency key to count as the same event. Version 2: the
 * personal values are compared by their commitments, which a retry repeats (EventSealer).
 */
function content(e: Pick<PendingEvent, "category" | "action" | "actor" | "target" | "projectId" | "changes" | "metadata" | "payload" | "personal">): string {
  return canonicalJson({
    category: e.category,
    action: e.action,
    actor: e.actor,
    target: e.target,
    projectId: e.projectId,
    changes: e.changes,
    metadata: e.metadata,
    payload: e.payload ?? null,
    personal: e.personal ?? null,
  });
}

/**
 * A key already used for a different event (stored, or earlier in this request) is refused, so
 * a client bug cannot silently drop an event behind someone else's id.
 */
function reusedKey(events: PendingEvent[], existing: Map<string, StoredEvent>): Error | null {
  const firstInRequest = new Map<string, PendingEvent>();
  for (const [i, p] of events.entries()) {
    if (p.idempotencyKey === null) continue;
    const key = `${p.logId}\u0000${p.idempotencyKey}`;
    const stored = existing.get(key);
    const earlier = firstInRequest.get(key);
    const sameAsStored = !stored || (content(stored) === content(p) && (p.occurredAt === null || p.occurredAt.toISOString() === stored.occurredAt));
    const sameAsEarlier = !earlier || (content(earlier) === content(p) && earlier.occurredAt?.getTime() === p.occurredAt?.getTime());
    if (!sameAsStored || !sameAsEarlier) {
      const description = `was already used for a different event${stored ? ` (${stored.id})` : " earlier in this batch"}; use a new key for a new event`;
      return conflict(`idempotency key "${p.idempotencyKey}" ${description}`, [{ field: `events[${i}].idempotencyKey`, description }]);
    }
    if (!earlier) firstInRequest.set(key, p);
  }
  return null;
}

function laneOf(logId: string, lanes: number): number {
  let h = 0;
  for (let i = 0; i < logId.length; i++) h = (h * 31 + logId.charCodeAt(i)) | 0;
  return Math.abs(h) % lanes;
}
