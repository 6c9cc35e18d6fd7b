/**
 * The `webhooks` bench phase: deliveries per second to a local receiver, and the latency from an
 * event's ingestion (its receivedAt) to its delivery arriving at the receiver.
 *
 *   1. saturated  BENCH_WEBHOOK_EVENTS events are ingested in 100-event batches (8 connections), far faster
 *                 than they can be delivered: deliveries/s = deliveries / (last arrival - first arrival)
 *   2. paced      events are ingested at BENCH_WEBHOOK_RATE events/s (a batch every 10 ms) for the phase's
 *                 seconds: p50/p99 of the event's receivedAt -> arrival at the receiver, and the delivered rate
 *
 * The receiver runs in the bench process (node:http on 127.0.0.1, answers 204 at once) and checks
 * every Standard Webhooks signature with HMAC, so a bad signature is counted, not ignored.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { round, summary } from "./load.ts";

export interface WebhookBenchOptions {
  gatewayUrl: string;
  companyKey: string;
  workspaceKey: string;
  workspaceId: string;
  /** Endpoints registered (all to the same receiver). */
  endpoints: number;
  backlogEvents: number;
  pacedRate: number;
  pacedSeconds: number;
  log(msg: string): void;
  /** The stack's database, to split the latency into its stages afterwards. */
  query<T>(sql: string): Promise<T[]>;
}

export interface WebhookBenchResult {
  endpoints: number;
  drain: { deliveries: number; seconds: number; deliveriesPerSec: number };
  paced: { targetRate: number; deliveries: number; deliveriesPerSec: number; latencyMs: ReturnType<typeof summary>; stagesMs: Record<string, { p50: number; p99: number }> };
  badSignatures: number;
  duplicates: number;
}

export async function webhooksPhase(o: WebhookBenchOptions): Promise<WebhookBenchResult> {
  const secrets = new Map<string, Buffer>();
  const arrivals: Array<{ at: number; receivedAt: number; id: string }> = [];
  let badSignatures = 0;
  const seen = new Set<string>();
  let duplicates = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const at = Date.now();
      const body = Buffer.concat(chunks).toString("utf8");
      const id = String(req.headers["webhook-id"]);
      const key = secrets.get(String(req.url).slice(1));
      const expected = key ? createHmac("sha256", key).update(`${id}.${req.headers["webhook-timestamp"]}.${body}`).digest("base64") : "";
      const ok = String(req.headers["webhook-signature"] ?? "")
        .split(" ")
        .some((s) => s.startsWith("v1,") && s.length - 3 === expected.length && timingSafeEqual(Buffer.from(s.slice(3)), Buffer.from(expected)));
      if (!ok) badSignatures++;
      if (seen.has(id)) duplicates++;
      seen.add(id);
      const event = JSON.parse(body).data.event as { receivedAt: string };
      arrivals.push({ at, receivedAt: Date.parse(event.receivedAt), id });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const api = async (key: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(o.gatewayUrl + path, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = (await res.json()) as Record<string, any>;
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const ingest = (n: number, i0: number) =>
    api(o.workspaceKey, "POST", "/v1/events", {
      events: Array.from({ length: n }, (_, i) => ({ category: "bench", action: "bench.webhook", actor: { id: `u${i0 + i}`, type: "user" }, metadata: { n: i0 + i } })),
    });
  const waitFor = async (n: number, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    while (arrivals.length < n && Date.now() < deadline) await sleep(50);
    if (arrivals.length < n) o.log(`webhooks: only ${arrivals.length} of ${n} deliveries arrived within ${timeoutMs / 1000} s`);
  };

  try {
    const ids: string[] = [];
    for (let i = 0; i < o.endpoints; i++) {
      const created = await api(o.companyKey, "POST", `/v1/workspaces/${o.workspaceId}/webhooks`, {
        url: `${base}/${i}`,
        events: ["AUDIT_EVENT_CREATED"],
        filters: { categories: ["bench"] },
      });
      ids.push(created.webhook.id);
      secrets.set(String(i), Buffer.from(String(created.secret).slice("whsec_".length), "base64"));
    }

    // 1. Saturation: events are stored much faster than they can be delivered, so the delivery
    //    pipeline (intake -> dispatcher -> HTTP -> attempt records) is the bottleneck.
    o.log(`webhooks: ${o.backlogEvents} events to ${o.endpoints} endpoint(s) as fast as ingest takes them`);
    const total = o.backlogEvents * o.endpoints;
    const batches = Math.ceil(o.backlogEvents / 100);
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < batches) {
          const b = next++;
          await ingest(Math.min(100, o.backlogEvents - b * 100), b * 100);
        }
      }),
    );
    await waitFor(total, 600_000);
    const first = Math.min(...arrivals.map((a) => a.at));
    const last = Math.max(...arrivals.map((a) => a.at));
    const drainSeconds = (last - first) / 1000;
    const drain = { deliveries: arrivals.length, seconds: round(drainSeconds, 2), deliveriesPerSec: round(arrivals.length / drainSeconds, 0) };
    o.log(`webhooks: saturated ${drain.deliveriesPerSec} deliveries/s (${drain.deliveries} in ${drain.seconds} s)`);

    // 2. Paced: the goal rate, latency from ingestion to arrival.
    arrivals.length = 0;
    const perTick = Math.max(1, Math.round((o.pacedRate / o.endpoints) / 100));
    const ticks = Math.round(o.pacedSeconds * 100);
    o.log(`webhooks: paced ${perTick * 100 * o.endpoints} deliveries/s for ${o.pacedSeconds} s`);
    const pacedStart = Date.now();
    const inflight: Promise<unknown>[] = [];
    for (let t = 0; t < ticks; t++) {
      inflight.push(ingest(perTick, 1_000_000 + t * perTick));
      const due = pacedStart + (t + 1) * 10;
      if (due > Date.now()) await sleep(due - Date.now());
    }
    await Promise.all(inflight);
    const pacedTotal = ticks * perTick * o.endpoints;
    await waitFor(pacedTotal, 120_000);
    const pacedLast = Math.max(...arrivals.map((a) => a.at));
    const latencies = arrivals.map((a) => a.at - a.receivedAt);
    const paced = {
      targetRate: perTick * 100 * o.endpoints,
      deliveries: arrivals.length,
      deliveriesPerSec: round(arrivals.length / ((pacedLast - pacedStart) / 1000), 0),
      latencyMs: summary(latencies),
      stagesMs: await stages(o),
    };
    o.log(`webhooks: paced ${paced.deliveriesPerSec} deliveries/s, ingested->received p50 ${paced.latencyMs.p50} ms, p99 ${paced.latencyMs.p99} ms`);
    o.log(`webhooks: paced stages (p50/p99 ms): ${Object.entries(paced.stagesMs).map(([k, v]) => `${k} ${v.p50}/${v.p99}`).join(", ")}`);
    return { endpoints: o.endpoints, drain, paced, badSignatures, duplicates };
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

/**
 * Where the paced deliveries' time went, from the database: stored event -> delivery row
 * (JetStream + intake), delivery row -> first attempt (dispatcher), attempt latency (HTTP).
 */
async function stages(o: WebhookBenchOptions): Promise<Record<string, { p50: number; p99: number }>> {
  const [row] = await o.query<Record<string, number>>(
    `with d as (
       select extract(epoch from d.created_at - e.received_at) * 1000 as intake,
              extract(epoch from a.started_at - d.created_at) * 1000 as dispatch,
              a.latency_ms as http
       from webhook_deliveries d
       join audit_events e on e.id = d.source_id::uuid
       join webhook_attempts a on a.delivery_id = d.id and a.number = 1
       where (e.metadata ->> 'n')::int >= 1000000)
     select percentile_cont(0.5) within group (order by intake) as intake50, percentile_cont(0.99) within group (order by intake) as intake99,
            percentile_cont(0.5) within group (order by dispatch) as dispatch50, percentile_cont(0.99) within group (order by dispatch) as dispatch99,
            percentile_cont(0.5) within group (order by http) as http50, percentile_cont(0.99) within group (order by http) as http99
     from d`,
  );
  const r = (v: unknown) => round(Number(v), 1);
  return {
    "event->delivery row": { p50: r(row?.intake50), p99: r(row?.intake99) },
    "row->attempt": { p50: r(row?.dispatch50), p99: r(row?.dispatch99) },
    "attempt (HTTP)": { p50: r(row?.http50), p99: r(row?.http99) },
  };
}
