import { connect, headers as natsHeaders, type NatsConnection } from "@nats-io/transport-node";
import { jetstream, jetstreamManager, RetentionPolicy, type JetStreamClient, type PubAck } from "@nats-io/jetstream";
import { eventsStreamName, jobsStreamName, notificationsStreamName } from "./subjects.ts";
import { tracedPublish } from "./trace.ts";

export interface BusOptions {
  url: string;
  prefix: string;
  region: string;
  name: string;
  /** Copies JetStream keeps of each stream (NATS_STREAM_REPLICAS): 1 on one server, 3 in a production cluster. */
  replicas?: number;
}

export interface Bus {
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  /**
   * Publishes to JetStream; `msgId` makes re-publishing within the de-dup window a no-op. The
   * message carries the trace (`traceparent`): the one in `headers`, else the active one.
   */
  publish(subject: string, data: Uint8Array, opts: { msgId: string; headers?: Record<string, string> }): Promise<PubAck>;
  /** Fire-and-forget core NATS message (cache invalidations). */
  notify(subject: string, data: Uint8Array): void;
  ping(): Promise<void>;
  /** Drains subscriptions and pending publishes, then closes. */
  close(): Promise<void>;
}

/** Connects and makes sure the region's streams (events, notifications, jobs) exist (created or left as is). */
export async function connectBus(opts: BusOptions): Promise<Bus> {
  const nc = await connect({
    servers: opts.url,
    name: opts.name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
  }).catch((err: Error) => {
    throw new Error(`cannot reach NATS at ${opts.url} (${err.message}); start it with "nats-server -js" or set NATS_URL`);
  });
  const jsm = await jetstreamManager(nc);
  const streams = [
    {
      name: eventsStreamName(opts.prefix, opts.region),
      subjects: [`${opts.prefix}.${opts.region}.events.>`],
      max_age: 7 * 24 * 3600 * 1e9,
      duplicate_window: 2 * 60 * 1e9,
    },
    {
      name: notificationsStreamName(opts.prefix, opts.region),
      subjects: [`${opts.prefix}.${opts.region}.notifications.>`],
      max_age: 7 * 24 * 3600 * 1e9,
      duplicate_window: 2 * 60 * 1e9,
    },
    {
      // A work queue: a message is removed once a worker acks it.
      name: jobsStreamName(opts.prefix, opts.region),
      subjects: [`${opts.prefix}.${opts.region}.jobs.>`],
      retention: RetentionPolicy.Workqueue,
      duplicate_window: 2 * 60 * 1e9,
    },
  ];
  const replicas = opts.replicas ?? 1;
  for (const config of streams) {
    try {
      const existing = await jsm.streams.info(config.name).catch(() => null);
      if (!existing) await jsm.streams.add({ ...config, num_replicas: replicas });
      // A stream made with another replica count is moved to this one: JetStream copies or drops replicas itself.
      else if (existing.config.num_replicas !== replicas) await jsm.streams.update(config.name, { ...existing.config, num_replicas: replicas });
    } catch (err) {
      const message = (err as Error).message;
      // Created concurrently by another process: fine.
      if (/already in use|exists/i.test(message)) continue;
      if (replicas > 1 && /replicas|cluster/i.test(message)) {
        throw new Error(`NATS_STREAM_REPLICAS=${replicas} needs a JetStream cluster of at least ${replicas} servers (stream ${config.name}: ${message})`);
      }
      throw err;
    }
  }
  const js = jetstream(nc);
  return {
    nc,
    js,
    publish: (subject, data, { msgId, headers }) => {
      const h = natsHeaders();
      for (const [k, v] of Object.entries(headers ?? {})) h.set(k, v);
      return tracedPublish(subject, h, () => js.publish(subject, data, { msgID: msgId, headers: h }));
    },
    notify: (subject, data) => nc.publish(subject, data),
    ping: async () => {
      if (nc.isClosed()) throw new Error("NATS connection closed");
      await nc.flush();
    },
    close: async () => {
      if (!nc.isClosed()) await nc.drain();
    },
  };
}
