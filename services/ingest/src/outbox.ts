import { randomBytes } from "node:crypto";
import { eventSubject, type Bus } from "@hyrelog/bus";
import { eventFromRow, EVENT_COLUMNS, type EventRow, type Orm } from "@hyrelog/db";
import type { EventJson } from "@hyrelog/core";
import type { Logger } from "@hyrelog/runtime";
import type { CommittedRun } from "./writer.ts";

/** Largest NATS message we send; the server's default max_payload is 1 MiB. */
const MAX_MESSAGE_BYTES = 512 * 1024;

/**
 * Publishes committed events to JetStream and deletes their outbox rows. Runs right after each
 * commit; a sweeper republishes rows a crash left behind. Message ids make repeats harmless.
 */
export class OutboxPublisher {
  readonly #orm: Orm;
  readonly #bus: Bus;
  readonly #prefix: string;
  readonly #region: string;
  readonly #logger: Logger;
  #sweeper: NodeJS.Timeout | undefined;
  #inFlight = new Set<Promise<void>>();

  constructor(opts: { orm: Orm; bus: Bus; prefix: string; region: string; logger: Logger }) {
    this.#orm = opts.orm;
    this.#bus = opts.bus;
    this.#prefix = opts.prefix;
    this.#region = opts.region;
    this.#logger = opts.logger;
  }

  /** Publishes after a commit (not awaited by the client's request). */
  published(runs: CommittedRun[]): void {
    const p = this.#publishRuns(runs)
      .then(() => this.#delete(runs.map((r) => r.outboxId)))
      .catch((err) => this.#logger.warn("outbox publish failed; the sweeper will retry", { err }))
      .finally(() => this.#inFlight.delete(p));
    this.#inFlight.add(p);
  }

  startSweeper(intervalMs = 5000, minAgeSeconds = 10): void {
    this.#sweeper = setInterval(() => {
      this.sweep(minAgeSeconds).catch((err) => this.#logger.warn("outbox sweep failed", { err }));
    }, intervalMs);
    this.#sweeper.unref();
  }

  /** Publishes and deletes outbox rows older than minAgeSeconds. Returns how many rows. */
  async sweep(minAgeSeconds: number): Promise<number> {
    const em = this.#orm.em.fork();
    return em.transactional(async (tx) => {
      const rows = await tx.execute<Array<{ id: string; log_id: string; from_sequence: string; to_sequence: string }>>(
        `select id, log_id, from_sequence, to_sequence from event_outbox
         where created_at < now() - make_interval(secs => ?) order by id limit 100 for update skip locked`,
        [minAgeSeconds],
      );
      for (const row of rows) {
        const events = await tx.execute<EventRow[]>(
          `select ${EVENT_COLUMNS} from audit_events where log_id = ? and sequence between ? and ? order by sequence`,
          [row.log_id, row.from_sequence, row.to_sequence],
        );
        // Events erased since (retention, erasure) leave nothing to publish; the row must still go,
        // or it would fail every sweep and block every row behind it.
        if (events.length) await this.#publishRuns([{ outboxId: String(row.id), logId: row.log_id, events: events.map(eventFromRow) }]);
        await tx.execute(`delete from event_outbox where id = ?`, [row.id]);
      }
      return rows.length;
    });
  }

  async stop(): Promise<void> {
    clearInterval(this.#sweeper);
    await Promise.allSettled([...this.#inFlight]);
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
function chunks(events: EventJson[]): Array<{ events: EventJson[]; json: string[] }> {
  const out: Array<{ events: EventJson[]; json: string[] }> = [];
  let current = { events: [] as EventJson[], json: [] as string[] };
  let bytes = 0;
  for (const e of events) {
    const json = JSON.stringify(e);
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
function traceHeaders(e: EventJson): Record<string, string> {
  const h: Record<string, string> = {};
  if (e.context.traceId) h.traceparent = `00-${e.context.traceId}-${randomBytes(8).toString("hex")}-01`;
  if (e.context.requestId) h["x-request-id"] = e.context.requestId;
  return h;
}
