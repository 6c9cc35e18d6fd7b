/**
 * Turns stored events and product notifications into delivery rows. Two durable JetStream
 * consumers (one filter subject each, as NATS 2.9 allows): the region's events stream and its
 * notifications stream. Messages that queue while a batch is being written are written together
 * in the next one. A message is acked only after its delivery rows are committed; the unique
 * (endpoint_id, source_id) makes a redelivered message a no-op, so a crash at any point loses
 * nothing and doubles nothing.
 */
import { AckPolicy, DeliverPolicy, jetstreamManager, type ConsumerMessages, type JsMsg } from "@nats-io/jetstream";
import { eventsStreamName, messagesProcessed, notificationsStreamName, subjectCompanyId, type Bus } from "@hyrelog/bus";
import { isUuid, uuidv7 } from "@hyrelog/core";
import { tracingEnabled, type Logger } from "@hyrelog/runtime";
import { endpointWantsEvent, endpointWantsNotification, envelope, type EndpointFilter, type Notification } from "./envelope.ts";
import { boundQuery as query, sealedOf, type Orm, type PublishedEvent, type StoredEvent } from "@hyrelog/db";

export interface IntakeOptions {
  orm: Orm;
  bus: Bus;
  prefix: string;
  region: string;
  logger: Logger;
  /** Called after new deliveries are committed. */
  onStored(count: number): void;
}

const MAX_BATCH_MESSAGES = 500;

interface DeliveryRow {
  id: string;
  endpoint_id: string;
  company_id: string;
  event_type: string;
  source_id: string;
  payload: string;
}

export class Intake {
  readonly #o: IntakeOptions;
  readonly #streams: Array<{ stream: string; durable: string; filter: string; kind: "events" | "notifications" }>;
  readonly #subscriptions: ConsumerMessages[] = [];
  readonly #loops: Promise<void>[] = [];
  #queue: JsMsg[] = [];
  /** When each queued message arrived (only while tracing records spans). */
  readonly #arrived = new WeakMap<JsMsg, number>();
  #writing: Promise<void> | null = null;

  constructor(options: IntakeOptions) {
    this.#o = options;
    const { prefix, region } = options;
    this.#streams = [
      { stream: eventsStreamName(prefix, region), durable: "hyrelog-webhook-events", filter: `${prefix}.${region}.events.>`, kind: "events" },
      {
        stream: notificationsStreamName(prefix, region),
        durable: "hyrelog-webhook-notifications",
        filter: `${prefix}.${region}.notifications.>`,
        kind: "notifications",
      },
    ];
  }

  async start(): Promise<void> {
    const jsm = await jetstreamManager(this.#o.bus.nc);
    for (const s of this.#streams) {
      // Created once and then left as is; every replica shares the same durable consumer.
      await jsm.consumers
        .add(s.stream, {
          durable_name: s.durable,
          ack_policy: AckPolicy.Explicit,
          deliver_policy: DeliverPolicy.All,
          filter_subject: s.filter,
          ack_wait: 30e9,
          max_ack_pending: 20_000,
        })
        .catch((err: Error) => {
          if (!/already in use|exists/i.test(err.message)) throw err;
        });
      const consumer = await this.#o.bus.js.consumers.get(s.stream, s.durable);
      const messages = await consumer.consume({ max_messages: 2000 });
      this.#subscriptions.push(messages);
      this.#loops.push(
        (async () => {
          for await (const m of messages) {
            if (tracingEnabled()) this.#arrived.set(m, Date.now());
            this.#queue.push(m);
            this.#kick();
          }
        })(),
      );
    }
  }

  /** Stops taking messages; what is queued is written (or left unacked for redelivery). */
  async stop(): Promise<void> {
    for (const s of this.#subscriptions) s.stop();
    await Promise.allSettled(this.#loops);
    while (this.#writing) await this.#writing;
  }

  #kick(): void {
    if (this.#writing) return;
    this.#writing = this.#drain().finally(() => (this.#writing = null));
  }

  async #drain(): Promise<void> {
    while (this.#queue.length) {
      const batch = this.#queue.splice(0, MAX_BATCH_MESSAGES);
      try {
        const stored = await this.#store(batch);
        for (const m of batch) m.ack();
        this.#traced(batch);
        if (stored) this.#o.onStored(stored);
      } catch (err) {
        this.#o.logger.warn("could not store webhook deliveries; the messages will be redelivered", { err });
        for (const m of batch) m.nak(1000);
        this.#traced(batch, err);
      }
    }
  }

  /** One consumer span per message, in the trace its headers carry (each message's publisher's). */
  #traced(batch: JsMsg[], error?: unknown): void {
    if (!tracingEnabled()) return;
    messagesProcessed(
      "webhook intake",
      batch.map((m) => ({ headers: m.headers, receivedAt: this.#arrived.get(m) ?? Date.now() })),
      error,
    );
  }

  /** Writes the deliveries of a batch of messages in one statement; returns how many are new. */
  async #store(batch: JsMsg[]): Promise<number> {
    // Endpoints first, by the companies the subjects name: most companies have none, and then
    // their messages are not even parsed (every event of the region passes through here).
    const companies = [...new Set(batch.map((m) => subjectCompanyId(m.subject)))];
    const em = this.#o.orm.em.fork();
    const endpoints = await query<EndpointFilter & { companyId: string }>(
      em,
      `select id, company_id as "companyId", workspace_id as "workspaceId", project_id as "projectId", event_types as "eventTypes",
              categories, actions, created_at as "createdAt"
       from webhook_endpoints where status = 'ACTIVE' and company_id = any($1::uuid[])`,
      [companies.filter(isUuid)],
    );
    if (!endpoints.length) return 0;
    const byCompany = Map.groupBy(endpoints, (e) => e.companyId);
    const events: PublishedEvent[] = [];
    const notifications: Notification[] = [];
    for (const m of batch) {
      if (!byCompany.has(subjectCompanyId(m.subject))) continue;
      try {
        const body = m.json<{ events?: PublishedEvent[] } & Partial<Notification>>();
        if (Array.isArray(body.events)) events.push(...body.events);
        else if (body.id && body.type && body.companyId) notifications.push(body as Notification);
      } catch {
        this.#o.logger.warn("ignored a malformed message", { subject: m.subject });
      }
    }
    const wanted = events.flatMap((event) => {
      const to = (byCompany.get(event.companyId) ?? []).filter((endpoint) => endpointWantsEvent(endpoint, event));
      return to.length ? [{ published: event, to }] : [];
    });
    // A delivery row keeps its event as stored, sealed boxes included (the dispatcher opens them at
    // each send); the stream does not carry the boxes, so they are read here for the wanted events.
    const v2 = wanted.flatMap((w) => (w.published.v >= 2 ? [w.published.id] : []));
    const boxes = v2.length ? await sealedOf(em, v2) : new Map<string, StoredEvent["sealed"]>();
    const rows: DeliveryRow[] = [];
    const now = new Date();
    for (const { published, to } of wanted) {
      const event = { ...published, sealed: boxes.get(published.id) ?? [] };
      for (const endpoint of to) {
        const id = uuidv7();
        rows.push({ id, endpoint_id: endpoint.id, company_id: event.companyId, event_type: "AUDIT_EVENT_CREATED", source_id: event.id, payload: envelope(id, "AUDIT_EVENT_CREATED", now, { event }) });
      }
    }
    for (const n of notifications) {
      for (const endpoint of byCompany.get(n.companyId) ?? []) {
        if (!endpointWantsNotification(endpoint, n)) continue;
        const id = uuidv7();
        const data = { notificationId: n.id, workspaceId: n.workspaceId, occurredAt: n.occurredAt, ...n.data };
        rows.push({ id, endpoint_id: endpoint.id, company_id: n.companyId, event_type: n.type, source_id: n.id, payload: envelope(id, n.type, now, data) });
      }
    }
    if (!rows.length) return 0;
    // One bound parameter: PostgreSQL parses the JSON, nothing is escaped into the statement text.
    const inserted = await query<{ id: string }>(
      em,
      `insert into webhook_deliveries (id, endpoint_id, company_id, event_type, source_id, payload, next_attempt_at)
       select id, endpoint_id, company_id, event_type, source_id, payload, now()
       from jsonb_to_recordset($1::jsonb) as r(id uuid, endpoint_id uuid, company_id uuid, event_type text, source_id text, payload text)
       on conflict (endpoint_id, source_id) do nothing
       returning id`,
      [JSON.stringify(rows)],
    );
    return inserted.length;
  }
}
