/**
 * Sends due deliveries. Claims rows with a lease (`FOR UPDATE SKIP LOCKED` + `lease_until`), so
 * several replicas share the work and a crashed replica's claims run out and are taken again;
 * sends them with at most `perEndpoint` attempts in flight per endpoint (a slow or dead endpoint
 * uses its own slots only, never everyone's); records every attempt and the next one in batches.
 */
import { inStoredTrace, tracingEnabled, type Counter, type Logger, type Metrics } from "@hyrelog/runtime";
import { deliverOnce, nextAttemptAt, signPayload, type DeliveryResult } from "@hyrelog/webhooks";
import type { SecretBox } from "@hyrelog/core";
import { boundQuery as query, type Orm, type StoredEvent, type SubjectKeyStore } from "@hyrelog/db";

export interface DispatcherOptions {
  orm: Orm;
  /** Opens the personal values of the stored event a delivery carries, at the moment it is sent. */
  subjects: SubjectKeyStore;
  box: SecretBox;
  logger: Logger;
  metrics: Metrics;
  allowLoopback: boolean;
  /** Multiplies the retry schedule and the continuous-failure window (tests). */
  timeScale: number;
  timeoutMs: number;
  disableAfterDays: number;
  /** Attempts in flight per endpoint, per replica. */
  perEndpoint?: number;
  /** Attempts in flight per replica. */
  maxInFlight?: number;
  /** Told when the dispatcher disables an endpoint (410 Gone, continuous failure), to record it. */
  onDisabled(endpoint: { id: string; companyId: string; workspaceId: string; url: string; reason: string }): void;
}

interface Claimed {
  id: string;
  endpoint_id: string;
  payload: string;
  round: number;
  attempts_in_round: number;
  attempt_count: number;
  url: string;
  secret_sealed: string;
  previous_secret_sealed: string | null;
  previous_secret_expires_at: Date | null;
}

interface Outcome {
  claimed: Claimed;
  startedAt: Date;
  result: DeliveryResult;
}

/** How often the dispatcher looks for due work it was not told about (other replicas, expired leases). */
const POLL_MS = 1000;
const DAY_MS = 86_400_000;
const REFILL_DELAY_MS = 5;

export class Dispatcher {
  readonly #o: DispatcherOptions;
  readonly #perEndpoint: number;
  readonly #maxInFlight: number;
  readonly #inFlight = new Map<string, number>();
  #total = 0;
  readonly #attempts = new Set<Promise<void>>();
  readonly #abort = new AbortController();
  #outcomes: Outcome[] = [];
  #recording: Promise<void> | null = null;
  #claiming: Promise<void> | null = null;
  #again = false;
  #timer: NodeJS.Timeout | undefined;
  #timerAt = Infinity;
  #poll: NodeJS.Timeout | undefined;
  #soon: NodeJS.Timeout | undefined;
  readonly #opened = new Map<string, string>();
  #stopped = false;
  readonly #deliveries: Counter<"result">;

  constructor(options: DispatcherOptions) {
    this.#o = options;
    this.#deliveries = options.metrics.counter(
      "hyrelog_webhook_deliveries_total",
      "Webhook delivery attempts recorded, by what they led to: delivered, retrying (another attempt scheduled) or failed (no attempts left, or 410 Gone).",
      ["result"],
    );
    this.#perEndpoint = options.perEndpoint ?? 32;
    this.#maxInFlight = options.maxInFlight ?? 256;
  }

  start(): void {
    this.#poll = setInterval(() => this.wake(), POLL_MS);
    this.#poll.unref();
    this.wake();
  }

  /** Looks for due deliveries now (new deliveries stored, an endpoint enabled, a slot freed). */
  wake(): void {
    if (this.#stopped) return;
    if (this.#claiming) {
      this.#again = true;
      return;
    }
    this.#claiming = this.#claimLoop()
      .catch((err) => this.#o.logger.warn("claiming deliveries failed; will retry", { err }))
      .finally(() => (this.#claiming = null));
  }

  /**
   * Stops claiming, aborts attempts in flight and hands their deliveries back (lease cleared) so
   * they are sent again at once by whichever replica runs next, with the same webhook-id.
   */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#poll);
    clearTimeout(this.#timer);
    clearTimeout(this.#soon);
    await this.#claiming;
    this.#abort.abort();
    await Promise.allSettled([...this.#attempts]);
    await this.#record();
  }

  async #claimLoop(): Promise<void> {
    do {
      this.#again = false;
      const free = this.#maxInFlight - this.#total;
      if (free <= 0 || this.#stopped) return;
      const rows = await this.#withOpenedEvents(await this.#claim(free));
      for (const row of rows) this.#send(row);
      if (rows.length === free) this.#again = true;
    } while (this.#again && !this.#stopped);
  }

  async #claim(limit: number): Promise<Claimed[]> {
    const busy = JSON.stringify(Object.fromEntries(this.#inFlight));
    const leaseSeconds = (this.#o.timeoutMs + 5000) / 1000;
    return query<Claimed>(
      this.#o.orm.em.fork(),
      `with claimed as (
         select d.id from webhook_endpoints e
         cross join lateral (
           select id from webhook_deliveries d
           where d.endpoint_id = e.id and d.status = 'PENDING' and d.next_attempt_at <= now()
             and (d.lease_until is null or d.lease_until < now())
           order by d.next_attempt_at
           limit greatest(0, $1::int - coalesce(($2::jsonb ->> e.id::text)::int, 0))
           for update of d skip locked
         ) d
         where e.status = 'ACTIVE'
         limit $3
       )
       update webhook_deliveries d set lease_until = now() + make_interval(secs => $4::float8)
       from claimed c, webhook_endpoints e
       where d.id = c.id and e.id = d.endpoint_id
       returning d.id, d.endpoint_id, d.payload, d.round, d.attempts_in_round, d.attempt_count,
                 e.url, e.secret_sealed, e.previous_secret_sealed, e.previous_secret_expires_at`,
      [this.#perEndpoint, busy, limit, leaseSeconds],
    );
  }

  /**
   * A delivery row holds its event as stored (personal values sealed); the body sent is the API's
   * form, opened now, so a subject erased after the event was stored is sent, and re-sent, as erased.
   */
  async #withOpenedEvents(rows: Claimed[]): Promise<Claimed[]> {
    const bodies = rows.map((r) => JSON.parse(r.payload) as { data?: { event?: StoredEvent } });
    const sealed = bodies.flatMap((b) => (Array.isArray(b.data?.event?.sealed) ? [b.data.event] : []));
    if (!sealed.length) return rows;
    const opened = new Map((await this.#o.subjects.open(sealed)).map((e) => [e.id, e]));
    return rows.map((r, i) => {
      const body = bodies[i]!;
      const event = body.data?.event;
      if (!event || !Array.isArray(event.sealed)) return r;
      return { ...r, payload: JSON.stringify({ ...body, data: { ...body.data, event: opened.get(event.id) } }) };
    });
  }

  #send(row: Claimed): void {
    this.#total++;
    this.#inFlight.set(row.endpoint_id, (this.#inFlight.get(row.endpoint_id) ?? 0) + 1);
    const attempt = this.#attempt(row)
      .catch((err) => this.#o.logger.error("delivery attempt failed unexpectedly", { deliveryId: row.id, err }))
      .finally(() => {
        this.#attempts.delete(attempt);
        this.#total--;
        const left = (this.#inFlight.get(row.endpoint_id) ?? 1) - 1;
        if (left > 0) this.#inFlight.set(row.endpoint_id, left);
        else this.#inFlight.delete(row.endpoint_id);
        this.#wakeSoon();
      });
    this.#attempts.add(attempt);
  }

  async #attempt(row: Claimed): Promise<void> {
    // Newest first; the previous secret signs too while its overlap lasts.
    let secrets: string[];
    try {
      secrets = [this.#open(row.secret_sealed, row.endpoint_id)];
      if (row.previous_secret_sealed && row.previous_secret_expires_at && new Date(row.previous_secret_expires_at).getTime() > Date.now()) {
        secrets.push(this.#open(row.previous_secret_sealed, row.endpoint_id));
      }
    } catch {
      // Nothing is sent unsigned. Recorded as a failed attempt (so it shows in the delivery's history
      // and follows the retry schedule) instead of holding the lease silently, round after round.
      this.#o.logger.error("a webhook endpoint's secret cannot be opened; was WEBHOOK_SECRET_ENCRYPTION_KEY changed?", { endpointId: row.endpoint_id });
      const result: DeliveryResult = { ok: false, status: null, latencyMs: 0, blocked: false, gone: false, error: "the endpoint's signing secret cannot be opened; rotate the secret" };
      this.#outcomes.push({ claimed: row, startedAt: new Date(), result });
      this.#record().catch((err) => this.#o.logger.error("could not record delivery attempts; their leases will run out and they will be retried", { err }));
      return;
    }
    const startedAt = new Date();
    const headers = signPayload({ id: row.id, timestamp: Math.floor(startedAt.getTime() / 1000), body: row.payload, secrets });
    const send = () =>
      deliverOnce({
        url: row.url,
        headers,
        body: row.payload,
        allowLoopback: this.#o.allowLoopback,
        timeoutMs: this.#o.timeoutMs,
        signal: this.#abort.signal,
      });
    // Traced under the ingest request that stored the event (its id travels in the event's context).
    const result = tracingEnabled() ? await inStoredTrace("webhook deliver", storedTraceId(row.payload), { "hyrelog.delivery.attempt": row.attempt_count + 1 }, send) : await send();
    if (this.#abort.signal.aborted && !result.ok && result.status === null) {
      // Shutting down: not the receiver's fault, so not an attempt. Hand the delivery back.
      await query(this.#o.orm.em.fork(), `update webhook_deliveries set lease_until = null where id = $1`, [row.id]);
      return;
    }
    this.#outcomes.push({ claimed: row, startedAt, result });
    this.#record().catch((err) => this.#o.logger.error("could not record delivery attempts; their leases will run out and they will be retried", { err }));
  }

  /** Opens a sealed secret, remembering the last few (keyed by the sealed text, so a rotation is seen at once). */
  #open(sealed: string, endpointId: string): string {
    let secret = this.#opened.get(sealed);
    if (secret === undefined) {
      secret = this.#o.box.open(sealed, endpointId);
      if (this.#opened.size >= 1000) this.#opened.clear();
      this.#opened.set(sealed, secret);
    }
    return secret;
  }

  /** Writes every finished attempt so far in one transaction (group commit); one writer at a time. */
  async #record(): Promise<void> {
    while (this.#recording) await this.#recording;
    if (!this.#outcomes.length) return;
    const batch = this.#outcomes;
    this.#outcomes = [];
    this.#recording = this.#write(batch).finally(() => (this.#recording = null));
    await this.#recording;
    if (this.#outcomes.length) await this.#record();
  }

  async #write(batch: Outcome[]): Promise<void> {
    const { timeScale } = this.#o;
    const now = new Date();
    const attempts: Array<Record<string, unknown>> = [];
    const deliveries: Array<Record<string, unknown>> = [];
    // The last outcome per endpoint decides its failure streak.
    const lastByEndpoint = new Map<string, Outcome>();
    const gone = new Set<string>();
    let earliestNext = Infinity;
    for (const o of batch) {
      const { claimed: c, result } = o;
      const number = c.attempt_count + 1;
      const inRound = c.attempts_in_round + 1;
      attempts.push({
        delivery_id: c.id,
        number,
        round: c.round,
        started_at: o.startedAt.toISOString(),
        status_code: result.status,
        latency_ms: result.latencyMs,
        error: result.error ?? null,
      });
      const next = result.ok || result.gone ? null : nextAttemptAt(inRound, o.startedAt, { retryAfterSeconds: result.retryAfterSeconds, timeScale });
      if (next) earliestNext = Math.min(earliestNext, next.getTime());
      deliveries.push({
        id: c.id,
        attempt_count: number,
        attempts_in_round: inRound,
        status: result.ok ? "DELIVERED" : next ? "PENDING" : "FAILED",
        next_attempt_at: next?.toISOString() ?? null,
        delivered_at: result.ok ? now.toISOString() : null,
      });
      if (result.gone) gone.add(c.endpoint_id);
      lastByEndpoint.set(c.endpoint_id, o);
    }
    const succeeded = [...lastByEndpoint.values()].filter((o) => o.result.ok).map((o) => o.claimed.endpoint_id);
    const failing = [...lastByEndpoint.values()]
      .filter((o) => !o.result.ok)
      .map((o) => ({ id: o.claimed.endpoint_id, since: o.startedAt.toISOString() }));
    const windowSeconds = (this.#o.disableAfterDays * DAY_MS * timeScale) / 1000;

    // The attempts, the deliveries' next state and the endpoints that succeeded: one statement
    // (atomic on its own, one round trip). Failures need more (streaks, disabling): a transaction.
    const record = (em: Orm["em"]) =>
      query(
        em,
        `with attempts as (
           insert into webhook_attempts (delivery_id, number, round, started_at, status_code, latency_ms, error)
           select delivery_id, number, round, started_at, status_code, latency_ms, error
           from jsonb_to_recordset($1::jsonb) as r(delivery_id uuid, number int, round int, started_at timestamptz, status_code int, latency_ms int, error text)
           -- A delivery deleted with its endpoint meanwhile has nothing to record (and must not fail the batch).
           where exists (select 1 from webhook_deliveries d where d.id = r.delivery_id)
           on conflict (delivery_id, number) do nothing
           returning 1
         ), deliveries as (
           -- Guarded by attempt_count: an outcome older than the row (an expired lease re-claimed) changes nothing.
           update webhook_deliveries d
           set status = r.status, attempt_count = r.attempt_count, attempts_in_round = r.attempts_in_round,
               next_attempt_at = r.next_attempt_at, delivered_at = coalesce(r.delivered_at, d.delivered_at), lease_until = null
           from jsonb_to_recordset($2::jsonb) as r(id uuid, status text, attempt_count int, attempts_in_round int, next_attempt_at timestamptz, delivered_at timestamptz)
           where d.id = r.id and d.attempt_count = r.attempt_count - 1
           returning 1
         ), recovered as (
           update webhook_endpoints set failing_since = null
           where id = any($3::uuid[]) and failing_since is not null
           returning 1
         )
         select (select count(*) from attempts) as attempts`,
        [JSON.stringify(attempts), JSON.stringify(deliveries), succeeded],
      );
    type Disabled = { id: string; company_id: string; workspace_id: string; url: string; disabled_reason: string };
    let disabled: Disabled[] = [];
    if (!failing.length && !gone.size) await record(this.#o.orm.em.fork());
    else {
      disabled = await this.#o.orm.em.fork().transactional(async (tx) => {
        await record(tx);
        if (failing.length) {
          await query(
            tx,
            `update webhook_endpoints e set failing_since = coalesce(e.failing_since, r.since)
             from jsonb_to_recordset($1::jsonb) as r(id uuid, since timestamptz) where e.id = r.id`,
            [JSON.stringify(failing)],
          );
        }
        const out: Disabled[] = [];
        if (gone.size) {
          out.push(
            ...(await query<Disabled>(
              tx,
              `update webhook_endpoints set status = 'DISABLED', disabled_at = now(), updated_at = now(),
                 disabled_reason = 'the receiver answered 410 Gone'
               where id = any($1::uuid[]) and status = 'ACTIVE' returning id, company_id, workspace_id, url, disabled_reason`,
              [[...gone]],
            )),
          );
        }
        if (failing.length) {
          out.push(
            ...(await query<Disabled>(
              tx,
              `update webhook_endpoints set status = 'DISABLED', disabled_at = now(), updated_at = now(),
                 disabled_reason = 'every attempt has failed since ' || to_char(failing_since at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
                   || ' (' || $1::text || ' days of continuous failure)'
               where id = any($2::uuid[]) and status = 'ACTIVE' and failing_since < now() - make_interval(secs => $3::float8)
               returning id, company_id, workspace_id, url, disabled_reason`,
              [String(this.#o.disableAfterDays), failing.map((f) => f.id), windowSeconds],
            )),
          );
        }
        return out;
      });
    }
    for (const d of deliveries) this.#deliveries.inc({ result: d.status === "DELIVERED" ? "delivered" : d.status === "PENDING" ? "retrying" : "failed" });
    for (const e of disabled) {
      this.#o.logger.warn("webhook endpoint disabled", { endpointId: e.id, reason: e.disabled_reason });
      this.#o.onDisabled({ id: e.id, companyId: e.company_id, workspaceId: e.workspace_id, url: e.url, reason: e.disabled_reason });
    }
    if (earliestNext < Infinity) this.#wakeAt(earliestNext);
  }

  /**
   * A freed slot claims again a few milliseconds later, so that slots freed together are refilled
   * by one claim rather than one claim (and one database round trip) each.
   */
  #wakeSoon(): void {
    if (this.#soon || this.#stopped) return;
    this.#soon = setTimeout(() => {
      this.#soon = undefined;
      this.wake();
    }, REFILL_DELAY_MS);
  }

  /** Wakes at `at` (or at once when it has passed); keeps only the earliest such timer. */
  #wakeAt(at: number): void {
    if (this.#stopped || at >= this.#timerAt) return;
    clearTimeout(this.#timer);
    this.#timerAt = at;
    this.#timer = setTimeout(
      () => {
        this.#timerAt = Infinity;
        this.wake();
      },
      Math.max(0, at - Date.now()),
    );
    this.#timer.unref();
  }
}

/** The trace id of the ingest request behind an AUDIT_EVENT_CREATED delivery (`data.event.context.traceId`). */
function storedTraceId(payload: string): string | null {
  try {
    const body = JSON.parse(payload) as { data?: { event?: { context?: { traceId?: unknown } } } };
    const id = body.data?.event?.context?.traceId;
    return typeof id === "string" ? id : null;
  } catch {
    return null;
  }
}
