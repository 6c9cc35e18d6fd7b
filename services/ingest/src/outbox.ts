import { randomBytes } from "node:crypto";
import { eventSubject, type Bus } from "@hyrelog/bus";
import { boundQuery, storedEventFromRow, EVENT_COLUMNS, type EventRow, type Orm, type StoredEvent } from "@hyrelog/db";
import type { Logger, Metrics } from "@hyrelog/runtime";
import type { CommittedRun } from "./writer.ts";

/** Largest NATS message we send; the server's default max_payload is 1 MiB. */
const MAX_MESSAGE_BYTES = 512 * 1024;
/** A sweep batch: at most this many outbox rows, and about this many events in memory. */
const SWEEP_ROWS = 500;
const SWEEP_EVENTS = 10_000;

interface OutboxRow {
  id: string;
  log_id: string;
  from_sequence: string;
  to_sequence: string;
}

/**
 * Publishes committed events to JetStream and deletes their outbox rows. Runs right after each
 * commit; a sweeper republishes rows a crash or a NATS outage left behind. Message ids make
 * repeats within JetStream's duplicate window harmless; consumers de-duplicate by event id.
 */
export class OutboxPublisher {
  readonly #orm: Orm;
  readonly #bus: Bus;
  readonly #prefix: string;
  readonly #region: string;
  readonly #logger: Logger;
  #inFlight = new Set<Promise<void>>();
  #sweeping: Promise<void> | undefined;
  #stopped = false;
  #connected = true;
  /** Set by a reconnect (or stop) so the sweeper does not wait out its interval. */
  #woken = false;
  #endWait = () => {};

  constructor(opts: { orm: Orm; bus: Bus; prefix: string; region: string; logger: Logger; metrics?: Metrics }) {
    this.#orm = opts.orm;
    this.#bus = opts.bus;
    this.#prefix = opts.prefix;
    this.#region = opts.region;
    this.#logger = opts.logger;
    if (opts.metrics) outboxMetrics(opts.metrics, opts.orm);
  }

  /** Publishes after a commit (not awaited by the client's request). */
  published(runs: CommittedRun[]): void {
    // NATS is down: the publish could only time out while holding the events; the rows wait for the sweeper.
    if (!this.#connected) return;
    const p = this.#publishRuns(runs)
      .then(() => this.#delete(runs.map((r) => r.outboxId)))
      .catch((err) => this.#logger.warn("outbox publish failed; the sweeper will retry", { err }))
      .finally(() => this.#inFlight.delete(p));
    this.#inFlight.add(p);
  }

  /**
   * Sweeps rows older than minAgeSeconds: batch after batch while a backlog remains (catch-up
   * after a NATS outage), every intervalMs once the outbox is drained, failing or NATS is down.
   */
  startSweeper(intervalMs = 5000, minAgeSeconds = 10): void {
    // Ends when the connection closes.
    void (async () => {
      for await (const s of this.#bus.nc.status()) {
        if (s.type === "disconnect") this.#connected = false;
        if (s.type === "reconnect") {
          this.#connected = true;
          this.#wake(); // the backlog an outage left need not wait for the next tick
        }
      }
    })();
    this.#sweeping = (async () => {
      while (!this.#stopped) {
        this.#woken = false;
        let more = false;
        // While disconnected a publish would only wait for its timeout.
        if (this.#connected) more = await this.sweep(minAgeSeconds).catch((err) => (this.#logger.warn("outbox sweep failed", { err }), false));
        if (!more && !this.#woken) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, intervalMs).unref();
            this.#endWait = () => (clearTimeout(timer), resolve());
          });
        }
      }
    })();
  }

  /**
   * Publishes one bounded batch of outbox rows older than minAgeSeconds, oldest first, and
   * deletes them. Returns true when more rows may be waiting (a full batch).
   */
  async sweep(minAgeSeconds: number): Promise<boolean> {
    const em = this.#orm.em.fork();
    let failure: unknown;
    const more = await em.transactional(async (tx) => {
      // One replica sweeps at a time: two taking turns on one log's rows could publish them out of order.
      const [lease] = await tx.execute<Array<{ locked: boolean }>>(`select pg_try_advisory_xact_lock(hashtext('hyrelog.outbox-sweep')) as locked`);
      if (!lease!.locked) return false;
      const locked = await tx.execute<OutboxRow[]>(
        `select id, log_id, from_sequence, to_sequence from event_outbox
         where created_at < now() - make_interval(secs => ?) order by id limit ? for update skip locked`,
        [minAgeSeconds, SWEEP_ROWS],
      );
      // Memory bound: a row holds up to 5,000 events; take rows until the batch's event budget.
      const rows: OutboxRow[] = [];
      let events = 0;
      for (const row of locked) {
        const n = Number(row.to_sequence) - Number(row.from_sequence) + 1;
        if (rows.length && events + n > SWEEP_EVENTS) break;
        rows.push(row);
        events += n;
      }
      if (!rows.length) return false;
      const stored = await boundQuery<EventRow & { row_index: string }>(
        tx,
        `select ${EVENT_COLUMNS}, r.row_index from unnest($1::uuid[], $2::bigint[], $3::bigint[]) with ordinality as r(row_log, row_from, row_to, row_index)
         join audit_events on log_id = r.row_log and sequence between r.row_from and r.row_to
         order by r.row_index, sequence`,
        [rows.map((r) => r.log_id), rows.map((r) => r.from_sequence), rows.map((r) => r.to_sequence)],
      );
      const eventsOf = Map.groupBy(stored, (e) => Number(e.row_index) - 1);
      // Per log, one run after the other (a run goes out only once the log's earlier runs are
      // acked, so a failure never lets a later run overtake an earlier one); logs side by side.
      const done: string[] = [];
      const logs = Map.groupBy(
        rows.map((row, i) => ({ row, events: eventsOf.get(i) ?? [] })),
        (r) => r.row.log_id,
      );
      const results = await Promise.allSettled(
        [...logs.values()].map(async (runs) => {
          for (const { row, events } of runs) {
            // Events erased since (retention, erasure) leave nothing to publish; the row must still go,
            // or it would fail every sweep and block every row behind it.
            if (events.length) await this.#publishRuns([{ outboxId: String(row.id), logId: row.log_id, events: events.map(storedEventFromRow) }]);
            done.push(String(row.id));
          }
        }),
      );
      // Keep what was published even when some log failed; its remaining rows stay for later.
      if (done.length) await tx.execute(`delete from event_outbox where id in (?)`, [done]);
      failure = results.find((r) => r.status === "rejected")?.reason;
      return locked.length === SWEEP_ROWS || rows.length < locked.length;
    });
    if (failure) throw failure;
    return more;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#wake();
    await this.#sweeping;
    await Promise.allSettled([...this.#inFlight]);
  }

  #wake(): void {
    this.#woken = true;
    this.#endWait();
  }

  async #publishRuns(runs: CommittedRun[]): Promise<void> {
    const acks: Promise<unknown>[] = [];
    for (const run of runs) {
      const first = run.events[0]!;
      const subject = eventSubject(this.#prefix, this.#region, first.companyId, first.workspaceId);
      for (const chunk of chunks(run.events)) {
        const from = chunk.events[0]!.sequence;
        const to = chunk.events.at(-1)!.sequence;
        acks.push(
          this.#bus.publish(subject, Buffer.from(`{"events":[${chunk.json.join(",")}]}`), {
            msgId: `${run.logId}:${from}-${to}`,
            headers: traceHeaders(chunk.events[0]!),
          }),
        );
      }
    }
    await Promise.all(acks);
  }

  async #delete(ids: string[]): Promise<void> {
    if (ids.length) await this.#orm.em.fork().execute(`delete from event_outbox where id in (?)`, [ids]);
  }
}

/** Deterministic split of a run into messages under the size limit; each event serialised once. */
function chunks(events: StoredEvent[]): Array<{ events: StoredEvent[]; json: string[] }> {
  const out: Array<{ events: StoredEvent[]; json: string[] }> = [];
  let current = { events: [] as StoredEvent[], json: [] as string[] };
  let bytes = 0;
  for (const e of events) {
    // The email's blind index stays in the database (erasure clears it there), and so do the sealed
    // boxes: the few consumers that open events read them there (SubjectKeyStore.open, the webhook
    // intake), and every other byte on the stream is sent, received and parsed by every consumer.
    const { actorEmailIndex: _index, sealed: _sealed, ...published } = e;
    const json = JSON.stringify(published);
    const size = Buffer.byteLength(json) + 1;
    if (current.events.length && bytes + size > MAX_MESSAGE_BYTES) {
      out.push(current);
      current = { events: [], json: [] };
      bytes = 0;
    }
    current.events.push(e);
    current.json.push(json);
    bytes += size;
  }
  if (current.events.length) out.push(current);
  return out;
}

/** Carries the ingesting request's trace on to consumers (W3C traceparent, x-request-id). */
function traceHeaders(e: StoredEvent): Record<string, string> {
  const h: Record<string, string> = {};
  if (e.context.traceId) h.traceparent = `00-${e.context.traceId}-${randomBytes(8).toString("hex")}-01`;
  if (e.context.requestId) h["x-request-id"] = e.context.requestId;
  return h;
}

/**
 * Outbox backlog and lag, read from the table when Prometheus scrapes (the same for every replica:
 * take max). Rows normally live for one publish round trip; a growing backlog or an old oldest row
 * means publishing is failing or behind (NATS down, sweeper catching up).
 */
function outboxMetrics(metrics: Metrics, orm: Orm): void {
  let last: Promise<{ rows: number; lagSeconds: number } | null> | null = null;
  // One query per scrape serves both gauges; a scrape never waits long on, or fails because of, the database.
  const read = () =>
    (last ??= Promise.race([
      orm.em
        .fork()
        .execute<Array<{ rows: string; lag: string | null }>>(`select count(*) as rows, extract(epoch from now() - min(created_at)) as lag from event_outbox`)
        .then(([r]) => ({ rows: Number(r!.rows), lagSeconds: Math.max(0, Number(r!.lag ?? 0)) })),
      new Promise<null>((resolve) => setTimeout(() => resolve(null), 2000).unref()),
    ])
      .catch(() => null)
      .finally(() => setTimeout(() => (last = null), 100).unref()));
  metrics.gauge("hyrelog_outbox_backlog_rows", "Outbox rows (committed event runs) not yet published to JetStream.", [], async function () {
    const r = await read();
    if (r) this.set(r.rows);
  });
  metrics.gauge("hyrelog_outbox_lag_seconds", "Age of the oldest unpublished outbox row (0 when the outbox is empty).", [], async function () {
    const r = await read();
    if (r) this.set(r.lagSeconds);
  });
}
