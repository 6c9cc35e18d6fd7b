/**
 * Keeps the analytics rollups (migrations 0016-0018; docs/analytics.md) after ingest, off its write path.
 *
 * The events stream is only a wake-up: a message on `<prefix>.<region>.events.<company>.<log>`
 * names a log that has grown. The counts come from PostgreSQL: per log, the events after its
 * watermark (rollup_progress) up to the log's head as one statement sees it, summed per UTC hour
 * (and day) and upserted into the rollup tables, and the watermark moved, all in ONE transaction.
 * So a redelivered, repeated, reordered or lost message changes nothing (a lost one is found by the
 * sweep), a crash counts a pass fully or not at all, and the head read in the same snapshot as the
 * events makes each pass gapless (a log's events commit in sequence order with their head). The
 * watermark row is locked (skip locked) for the pass, so replicas never count a log twice.
 * Logs are the unit of work and the rollup keys include the workspace (the company log's events
 * have none), so two logs never update the same rollup row.
 */
import type { Bus } from "@hyrelog/bus";
import { isUuid } from "@hyrelog/core";
import { boundQuery, type Orm } from "@hyrelog/db";
import type { Logger, Metrics } from "@hyrelog/runtime";

/** Events counted per transaction: bounds a pass's time and memory when a log is far behind. */
const PASS_EVENTS = 20_000;
/** How often logs whose watermark is behind their head are looked for (lost wake-ups, restarts, NATS outages). */
const SWEEP_MS = 5_000;
/** Wake-ups that arrive within this delay are served by one pass per log (fewer, larger upserts). */
const COALESCE_MS = 100;
/** A log another replica is counting is tried again after this delay. */
const BUSY_RETRY_MS = 250;

/** The stored form of "none" in rollup keys: company-log events have no workspace, many none project. */
export const NO_ID = "00000000-0000-0000-0000-000000000000";

/**
 * One pass over a log: the events after the watermark up to its head (at most PASS_EVENTS),
 * counted into every rollup table; the watermark moves in the same statement. Parameters: log id,
 * watermark, pass size.
 */
const PASS_SQL = `
with head as (
  select least(sequence, $2::bigint + $3::bigint) as upto from log_heads where log_id = $1
), counted as materialized (
  select company_id, date_trunc('hour', occurred_at, 'UTC') as hour, coalesce(workspace_id, '${NO_ID}') as workspace_id,
         coalesce(project_id, '${NO_ID}') as project_id, coalesce(actor_id, '') as actor_id, category, action, count(*) as events
  from audit_events
  where log_id = $1 and sequence > $2 and sequence <= (select upto from head)
  group by 1, 2, 3, 4, 5, 6, 7
), plain as (
  insert into analytics_hourly as t (company_id, hour, workspace_id, project_id, category, action, events)
  select company_id, hour, workspace_id, project_id, category, action, sum(events) from counted group by 1, 2, 3, 4, 5, 6
  on conflict (company_id, hour, workspace_id, project_id, category, action) do update set events = t.events + excluded.events
), daily as (
  insert into analytics_daily as t (company_id, day, workspace_id, project_id, category, action, events)
  select company_id, date_trunc('day', hour, 'UTC'), workspace_id, project_id, category, action, sum(events) from counted group by 1, 2, 3, 4, 5, 6
  on conflict (company_id, day, workspace_id, project_id, category, action) do update set events = t.events + excluded.events
), actors as (
  insert into analytics_actor_hourly as t (company_id, hour, workspace_id, project_id, actor_id, category, action, events)
  select company_id, hour, workspace_id, project_id, actor_id, category, action, events from counted
  on conflict (company_id, hour, workspace_id, project_id, actor_id, category, action) do update set events = t.events + excluded.events
), actor_totals as (
  insert into analytics_actor_totals as t (company_id, hour, workspace_id, actor_id, events)
  select company_id, hour, workspace_id, actor_id, sum(events) from counted group by 1, 2, 3, 4
  on conflict (company_id, hour, workspace_id, actor_id) do update set events = t.events + excluded.events
)
update rollup_progress set sequence = (select upto from head), updated_at = now()
where log_id = $1 and (select upto from head) > sequence
returning sequence::text as sequence`;

export interface RollupOptions {
  orm: Orm;
  bus: Bus;
  prefix: string;
  region: string;
  logger: Logger;
  metrics?: Metrics;
}

export class RollupWorker {
  readonly #o: RollupOptions;
  /** Logs that may have uncounted events. */
  readonly #dirty = new Set<string>();
  #subscription: ReturnType<Bus["nc"]["subscribe"]> | undefined;
  #sweepTimer: NodeJS.Timeout | undefined;
  #kickTimer: NodeJS.Timeout | undefined;
  #draining: Promise<void> | null = null;
  #stopped = false;
  readonly #counted: ((n: number) => void) | undefined;

  constructor(options: RollupOptions) {
    this.#o = options;
    const counter = options.metrics?.counter("hyrelog_analytics_events_counted_total", "Events counted into the analytics rollups by this process.");
    this.#counted = counter ? (n) => counter.inc(n) : undefined;
  }

  /** Listens for wake-ups (one replica of the queue group gets each) and sweeps now and every SWEEP_MS. */
  start(): void {
    const { prefix, region } = this.#o;
    this.#subscription = this.#o.bus.nc.subscribe(`${prefix}.${region}.events.>`, {
      queue: "hyrelog-analytics-rollup",
      callback: (err, msg) => {
        if (err) return;
        // <...>.events.<companyId>.<workspaceId | "company">: the log is the workspace, or the company's own.
        const [company, log] = msg.subject.split(".").slice(-2);
        const logId = log === "company" ? company : log;
        if (logId && isUuid(logId)) this.#mark(logId, COALESCE_MS);
      },
    });
    const sweep = () => void this.#sweep().catch((err) => this.#o.logger.warn("analytics rollup sweep failed", { err }));
    sweep();
    this.#sweepTimer = setInterval(sweep, SWEEP_MS);
    this.#sweepTimer.unref();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#subscription?.unsubscribe();
    clearInterval(this.#sweepTimer);
    clearTimeout(this.#kickTimer);
    while (this.#draining) await this.#draining;
  }

  /** Marks every log whose watermark is behind its head (all of them after a restart or an outage). */
  async #sweep(): Promise<void> {
    const behind = await this.#o.orm.em
      .fork()
      .execute<Array<{ log_id: string }>>(
        `select h.log_id from log_heads h left join rollup_progress p using (log_id) where h.sequence > coalesce(p.sequence, 0) limit 10000`,
      );
    for (const r of behind) this.#dirty.add(r.log_id);
    if (behind.length) this.#kick(0);
  }

  #mark(logId: string, delayMs: number): void {
    this.#dirty.add(logId);
    this.#kick(delayMs);
  }

  #kick(delayMs: number): void {
    if (this.#stopped || this.#draining || this.#kickTimer) return;
    this.#kickTimer = setTimeout(() => {
      this.#kickTimer = undefined;
      this.#draining ??= this.#drain().finally(() => {
        this.#draining = null;
        if (this.#dirty.size) this.#kick(COALESCE_MS);
      });
    }, delayMs);
    this.#kickTimer.unref();
  }

  /** Counts dirty logs one pass at a time until none is left. */
  async #drain(): Promise<void> {
    while (this.#dirty.size && !this.#stopped) {
      const logId = this.#dirty.values().next().value!;
      this.#dirty.delete(logId);
      try {
        const pass = await this.pass(logId);
        if (pass === "busy") setTimeout(() => this.#mark(logId, 0), BUSY_RETRY_MS).unref();
        else if (pass === PASS_EVENTS) this.#dirty.add(logId); // a full pass: more may be waiting
      } catch (err) {
        // The sweep tries again; nothing was counted (the transaction rolled back).
        this.#o.logger.warn("analytics rollup pass failed", { logId, err });
      }
    }
  }

  /**
   * Counts one log's next events (at most PASS_EVENTS) in one transaction; returns how many
   * (0 when it is up to date), or "busy" when another replica is counting it.
   */
  async pass(logId: string): Promise<number | "busy"> {
    const counted = await this.#o.orm.em.fork().transactional(async (tx) => {
      const locked = await tx.execute<Array<{ sequence: string }>>(`select sequence::text as sequence from rollup_progress where log_id = ? for update skip locked`, [logId]);
      let watermark = locked[0]?.sequence;
      if (watermark === undefined) {
        const exists = await tx.execute<Array<{ found: boolean }>>(`select exists (select 1 from rollup_progress where log_id = ?) as found`, [logId]);
        if (exists[0]!.found) return "busy" as const;
        // A log counted for the first time (its row is created here, locked by this transaction).
        const created = await tx.execute<Array<{ sequence: string }>>(
          `insert into rollup_progress (log_id, company_id, sequence) select log_id, company_id, 0 from log_heads where log_id = ? on conflict do nothing returning sequence::text as sequence`,
          [logId],
        );
        if (!created[0]) return 0;
        watermark = created[0].sequence;
      }
      const rows = await boundQuery<{ sequence: string }>(tx, PASS_SQL, [logId, watermark, PASS_EVENTS]);
      return rows[0] ? Number(rows[0].sequence) - Number(watermark) : 0;
    });
    if (typeof counted === "number" && counted > 0) this.#counted?.(counted);
    return counted;
  }
}
