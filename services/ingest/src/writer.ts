import { canonicalJson, eventHash, uuidv7, type EventJson } from "@hyrelog/core";
import { conflict } from "@hyrelog/runtime";
import { sql, type RawBuilder } from "kysely";
import { eventFromRow, rowFromEvent, type EventRow, type Orm } from "@hyrelog/db";
import type { NormalisedEvent } from "./validate.ts";

/** An event ready to be chained: everything but its id, sequence and hashes. */
export interface PendingEvent extends NormalisedEvent {
  companyId: string;
  /** The chain it joins: the workspace, or the company for company-level events. */
  logId: string;
  workspaceId: string | null;
  receivedAt: Date;
  context: EventJson["context"];
}

export interface WriteResult {
  event: EventJson;
  duplicate: boolean;
}

/** What one flush committed per log, for the outbox publisher. */
export interface CommittedRun {
  outboxId: string;
  logId: string;
  events: EventJson[];
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
  /** Logs whose head row exists: a head, once created, is never deleted. */
  readonly #knownHeads = new Set<string>();

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

  /** Per request: its results, or why it was refused (nothing of it is stored then). */
  async #commit(batch: Request[]): Promise<{ results: Array<WriteResult[] | Error>; runs: CommittedRun[] }> {
    const all = batch.flatMap((r) => r.events);
    const logIds = [...new Set(all.map((e) => e.logId))].sort();
    const companyOf = new Map(all.map((e) => [e.logId, e.companyId]));
    const em = this.#orm.em.fork();
    const committed = await em.transactional(async (tx) => {
      // Kysely binds parameters natively ($1); MikroORM's execute() would escape the JSON into the SQL text.
      const run = async <T>(query: RawBuilder<T>): Promise<T[]> => (await query.execute(tx.getKysely())).rows;
      const json = (value: unknown) => JSON.stringify(value);
      const newLogs = logIds.filter((id) => !this.#knownHeads.has(id));
      if (newLogs.length) {
        await run(sql`insert into log_heads (log_id, company_id, sequence, hash, updated_at)
           select log_id, company_id, 0, repeat('0', 64), now()
           from jsonb_to_recordset(${json(newLogs.map((id) => ({ log_id: id, company_id: companyOf.get(id) })))}::jsonb) as h(log_id uuid, company_id uuid)
           on conflict (log_id) do nothing`);
      }
      // Sorted lock order: two writers never deadlock on each other's logs.
      const heads = await run<{ log_id: string; sequence: string; hash: string }>(
        sql`select log_id, sequence, hash from log_heads where log_id = any(${logIds}::uuid[]) order by log_id for update`,
      );
      const head = new Map(heads.map((h) => [h.log_id, { sequence: Number(h.sequence), hash: h.hash }]));

      // Idempotency: looked up under the head lock, so a concurrent retry elsewhere is visible.
      const keyed = all.filter((e) => e.idempotencyKey !== null);
      const existing = new Map<string, EventJson>();
      if (keyed.length) {
        const rows = await run<EventRow>(
          sql`select e.* from audit_events e
              join jsonb_to_recordset(${json(keyed.map((e) => ({ log_id: e.logId, key: e.idempotencyKey })))}::jsonb) as k(log_id uuid, key text)
              on e.log_id = k.log_id and e.idempotency_key = k.key`,
        );
        for (const row of rows) existing.set(`${row.log_id}\u0000${row.idempotency_key}`, eventFromRow(row));
      }

      const fresh: EventJson[] = [];
      const results = batch.map((r) => {
        const clash = reusedKey(r.events, existing);
        if (clash) return clash;
        return r.events.map((p): WriteResult => {
          const key = p.idempotencyKey === null ? null : `${p.logId}\u0000${p.idempotencyKey}`;
          const seen = key ? existing.get(key) : undefined;
          if (seen) return { event: seen, duplicate: true };
          const h = head.get(p.logId)!;
          const receivedAt = p.receivedAt.toISOString();
          const fields = {
            id: uuidv7(),
            companyId: p.companyId,
            workspaceId: p.workspaceId,
            projectId: p.projectId,
            sequence: h.sequence + 1,
            prevHash: h.hash,
            occurredAt: (p.occurredAt ?? p.receivedAt).toISOString(),
            receivedAt,
            category: p.category,
            action: p.action,
            actor: p.actor,
            target: p.target,
            changes: p.changes,
            metadata: p.metadata,
            context: p.context,
          };
          const event: EventJson = { ...fields, hash: eventHash(fields), idempotencyKey: p.idempotencyKey };
          head.set(p.logId, { sequence: event.sequence, hash: event.hash });
          if (key) existing.set(key, event);
          fresh.push(event);
          return { event, duplicate: false };
        });
      });

      const runs: CommittedRun[] = [];
      if (fresh.length) {
        const byLog = new Map<string, EventJson[]>();
        for (const e of fresh) {
          const id = e.workspaceId ?? e.companyId;
          const list = byLog.get(id);
          if (list) list.push(e);
          else byLog.set(id, [e]);
        }
        const heads = [...byLog].map(([id, evs]) => ({ log_id: id, sequence: evs.at(-1)!.sequence, hash: evs.at(-1)!.hash, from_sequence: evs[0]!.sequence }));
        // One round trip: the events, the new heads and the outbox rows.
        const outbox = await run<{ id: string; log_id: string }>(
          sql`with inserted as (
                insert into audit_events (id, company_id, workspace_id, log_id, project_id, sequence, prev_hash, hash,
                  occurred_at, received_at, category, action, actor_id, actor_type, actor_email, actor_name,
                  target_id, target_type, target_name, changes, metadata, ip, user_agent, trace_id, request_id, idempotency_key)
                select * from jsonb_to_recordset(${json(fresh.map(rowFromEvent))}::jsonb) as r(id uuid, company_id uuid, workspace_id uuid,
                  log_id uuid, project_id uuid, sequence bigint, prev_hash text, hash text, occurred_at timestamptz,
                  received_at timestamptz, category text, action text, actor_id text, actor_type text, actor_email text,
                  actor_name text, target_id text, target_type text, target_name text, changes jsonb, metadata jsonb, ip text,
                  user_agent text, trace_id text, request_id text, idempotency_key text)
              ),
              runs as (select * from jsonb_to_recordset(${json(heads)}::jsonb) as v(log_id uuid, sequence bigint, hash text, from_sequence bigint)),
              moved as (
                update log_heads h set sequence = runs.sequence, hash = runs.hash, updated_at = now() from runs where h.log_id = runs.log_id
              )
              insert into event_outbox (log_id, from_sequence, to_sequence)
              select log_id, from_sequence, sequence from runs
              returning id, log_id`,
        );
        for (const o of outbox) runs.push({ outboxId: String(o.id), logId: o.log_id, events: byLog.get(o.log_id)! });
      }
      return { results, runs };
    });
    // Only after COMMIT: a rolled-back transaction takes its new head rows with it.
    for (const id of logIds) this.#knownHeads.add(id);
    return committed;
  }
}

function settle(r: Request, outcome: WriteResult[] | Error): void {
  if (outcome instanceof Error) r.reject(outcome);
  else r.resolve(outcome);
}

/** What a retry must repeat for its idempotency key to count as the same event. */
function content(e: Pick<PendingEvent, "category" | "action" | "actor" | "target" | "projectId" | "changes" | "metadata">): string {
  return canonicalJson({ category: e.category, action: e.action, actor: e.actor, target: e.target, projectId: e.projectId, changes: e.changes, metadata: e.metadata });
}

/**
 * A key already used for a different event (stored, or earlier in this request) is refused, so
 * a client bug cannot silently drop an event behind someone else's id.
 */
function reusedKey(events: PendingEvent[], existing: Map<string, EventJson>): Error | null {
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
