/**
 * The `tail` bench phase (issue 14, live tail): GET /v1/events/stream served by a gateway process
 * of its own (`serve --target=gateway`), in front of the stack's region services.
 *
 * 1. Latency under load: while the batch-ingest load runs (through the stack's own gateway), a
 *    probe ingests one event every ~50 ms and times from its 201 to its arrival on two open
 *    streams: one filtered to the probe's action, and a firehose (the company key, unfiltered)
 *    that also carries the whole batch load.
 * 2. Memory: `streams` streams (default 1,000, one API key) opened on the gateway; its RSS before,
 *    after each quarter of them, and every second while events flow to all of them (one event every
 *    `flowIntervalMs`); each event must reach every stream (fan-out latency from the 201 to the
 *    last stream). The query process's RSS is reported too (it holds one tail per stream).
 */
import http from "node:http";
import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { apiEvent, USER_AGENT } from "./events.ts";
import { rssMb } from "./exports.ts";
import { round, summary, type LoadResult } from "./load.ts";

export interface TailBenchOptions {
  /** The gateway under test (streams). */
  streamGatewayUrl: string;
  streamGatewayPid: number;
  /** The stack's own gateway (ingest) and its process (region services, query included). */
  ingestGatewayUrl: string;
  serverPid: number;
  workspaceKey: string;
  companyKey: string;
  projectId: string;
  /** The batch-ingest load for `seconds`. */
  batchLoad(seconds: number): Promise<LoadResult>;
  loadSeconds: number;
  streams: number;
  flowSeconds: number;
  flowIntervalMs: number;
  log(msg: string): void;
}

/** One open SSE connection: the ids of the events it received, when. */
class Stream {
  readonly arrived = new Map<string, number>();
  readonly req: http.ClientRequest;
  ready: Promise<void>;
  events = 0;
  ended = false;
  #buffer = "";

  constructor(url: string, key: string, onEvent?: (id: string, at: number) => void) {
    let opened!: () => void;
    let failed!: (err: Error) => void;
    this.ready = new Promise<void>((resolve, reject) => ((opened = resolve), (failed = reject)));
    this.req = http.get(url, { agent: false, headers: { authorization: `Bearer ${key}`, accept: "text/event-stream", "user-agent": USER_AGENT } }, (res) => {
      if (res.statusCode !== 200) {
        failed(new Error(`stream answered ${res.statusCode}`));
        res.resume();
        return;
      }
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        const at = performance.now();
        this.#buffer += chunk;
        let end: number;
        while ((end = this.#buffer.indexOf("\n\n")) >= 0) {
          const block = this.#buffer.slice(0, end);
          this.#buffer = this.#buffer.slice(end + 2);
          if (block.includes("\nevent: ready")) opened();
          else if (block.includes("\nevent: event")) {
            const id = /\ndata: \{"id":"([^"]+)"/.exec(block)?.[1];
            if (!id) continue;
            this.events++;
            if (onEvent) onEvent(id, at);
            else this.arrived.set(id, at);
          }
        }
      });
      res.on("end", () => (this.ended = true));
    });
    this.req.on("error", (err) => failed(err));
  }

  close(): void {
    this.req.destroy();
  }
}

async function ingestOne(url: string, key: string, projectId: string, n: number, action: string): Promise<{ id: string; acked: number }> {
  const res = await fetch(`${url}/v1/events`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}`, "user-agent": USER_AGENT },
    body: JSON.stringify(apiEvent(n, projectId, action)),
    signal: AbortSignal.timeout(30_000),
  });
  const body = (await res.json()) as { id?: string };
  const acked = performance.now();
  if (res.status !== 201 || !body.id) throw new Error(`ingest answered ${res.status}`);
  return { id: body.id, acked };
}

export async function tailPhase(o: TailBenchOptions) {
  const tag = randomBytes(3).toString("hex");
  const streamUrl = (q = "") => `${o.streamGatewayUrl}/v1/events/stream${q}`;

  // ---- 1. ack -> on an open stream, under the batch-ingest load
  const action = `bench.tail.probe.${tag}`;
  const filtered = new Stream(streamUrl(`?action=${action}`), o.workspaceKey);
  const firehose = new Stream(streamUrl(), o.companyKey);
  await Promise.all([filtered.ready, firehose.ready]);
  o.log(`tail: batch ingest for ${o.loadSeconds} s with a probe every ~50 ms; its events timed on a filtered stream and on an unfiltered one (the whole load)`);
  let running = true;
  const loadDone = o.batchLoad(o.loadSeconds).finally(() => (running = false));
  await sleep(Math.min(1000, o.loadSeconds * 100));
  const probes: Array<{ id: string; acked: number }> = [];
  let failures = 0;
  let n = 0;
  // A probe every 50 ms, each on its own: one waiting for its 201 under the load does not hold the
  // next back (waiting for each, a run got only 30-40 probes, and its p99 was their maximum).
  const sent: Array<Promise<void>> = [];
  while (running) {
    sent.push(
      ingestOne(o.ingestGatewayUrl, o.workspaceKey, o.projectId, n++, action).then(
        (p) => void probes.push(p),
        (err: Error) => void (++failures <= 3 && o.log(`tail probe failed: ${err.message}`)),
      ),
    );
    await sleep(50);
  }
  await Promise.all(sent);
  const load = await loadDone;
  // Whatever is still on its way gets 15 s (missing ones are reported).
  const deadline = performance.now() + 15_000;
  while (performance.now() < deadline && probes.some((p) => !filtered.arrived.has(p.id) || !firehose.arrived.has(p.id))) await sleep(50);
  const lag = (s: Stream) => probes.flatMap((p) => (s.arrived.has(p.id) ? [Math.max(0, s.arrived.get(p.id)! - p.acked)] : []));
  const filteredMs = summary(lag(filtered));
  const firehoseMs = summary(lag(firehose));
  const missing = { filtered: probes.filter((p) => !filtered.arrived.has(p.id)).length, firehose: probes.filter((p) => !firehose.arrived.has(p.id)).length };
  const firehoseEvents = firehose.events;
  filtered.close();
  firehose.close();
  o.log(
    `tail: ${probes.length} probes; ack->stream p50 ${filteredMs.p50} ms, p99 ${filteredMs.p99} ms (filtered), ` +
      (firehoseMs.n > 0 ? `p50 ${firehoseMs.p50} ms, p99 ${firehoseMs.p99} ms ` : "no probe arrived ") +
      `(unfiltered, ${firehoseEvents} events); missing ${missing.filtered}/${missing.firehose}; batch load ${Math.round(((load.statusCodes["201"] ?? 0) * 100) / load.seconds)} events/s`,
  );

  // ---- 2. many open streams on one gateway: memory, and fan-out to all of them
  await sleep(1000);
  const gatewayIdle = rssMb(o.streamGatewayPid);
  const serverIdle = rssMb(o.serverPid);
  o.log(`tail: opening ${o.streams} streams on the gateway (RSS ${gatewayIdle.rss} MB)`);
  const flowAction = `bench.tail.flow.${tag}`;
  const flowIds = new Set<string>();
  const lastArrival = new Map<string, number>();
  const arrivals = new Map<string, number>();
  // Every stream is filtered to the flow's action; an event may arrive before its 201 is read here.
  const onEvent = (id: string, at: number) => {
    arrivals.set(id, (arrivals.get(id) ?? 0) + 1);
    lastArrival.set(id, at);
  };
  const streams: Stream[] = [];
  const opening: Array<{ streams: number; gatewayRssMb: number }> = [];
  const t0 = performance.now();
  for (let i = 0; i < o.streams; i++) {
    streams.push(new Stream(streamUrl(`?action=${flowAction}`), o.workspaceKey, onEvent));
    if ((i + 1) % 50 === 0) await Promise.all(streams.slice(-50).map((s) => s.ready));
    if ((i + 1) % Math.max(1, Math.floor(o.streams / 4)) === 0) opening.push({ streams: i + 1, gatewayRssMb: rssMb(o.streamGatewayPid).rss });
  }
  await Promise.all(streams.map((s) => s.ready));
  const openSeconds = (performance.now() - t0) / 1000;
  await sleep(1000);
  const gatewayOpen = rssMb(o.streamGatewayPid);
  const serverOpen = rssMb(o.serverPid);
  o.log(`tail: ${o.streams} streams open in ${round(openSeconds, 1)} s; gateway RSS ${gatewayOpen.rss} MB, server (query) RSS ${serverOpen.rss} MB`);

  o.log(`tail: one event every ${o.flowIntervalMs} ms for ${o.flowSeconds} s to every stream`);
  const acks = new Map<string, number>();
  const samples: number[] = [];
  const sampler = setInterval(() => samples.push(rssMb(o.streamGatewayPid).rss), 1000);
  const flowEnd = performance.now() + o.flowSeconds * 1000;
  let flowFailures = 0;
  while (performance.now() < flowEnd) {
    const started = performance.now();
    try {
      const { id, acked } = await ingestOne(o.ingestGatewayUrl, o.workspaceKey, o.projectId, n++, flowAction);
      flowIds.add(id);
      acks.set(id, acked);
    } catch (err) {
      if (++flowFailures <= 3) o.log(`tail flow ingest failed: ${(err as Error).message}`);
    }
    const wait = o.flowIntervalMs - (performance.now() - started);
    if (wait > 0) await sleep(wait);
  }
  const settle = performance.now() + 10_000;
  while (performance.now() < settle && [...flowIds].some((id) => (arrivals.get(id) ?? 0) < o.streams)) await sleep(100);
  clearInterval(sampler);
  const gatewayAfter = rssMb(o.streamGatewayPid);
  const delivered = [...flowIds].reduce((sum, id) => sum + (arrivals.get(id) ?? 0), 0);
  const expected = flowIds.size * o.streams;
  const fanOutMs = summary([...flowIds].flatMap((id) => (lastArrival.has(id) ? [Math.max(0, lastArrival.get(id)! - acks.get(id)!)] : [])));
  const ended = streams.filter((s) => s.ended).length;
  for (const s of streams) s.close();
  const peak = Math.max(gatewayOpen.rss, ...samples);
  // Flat: the second half of the flow needs no more memory than the first (V8's heap settles at first).
  const half = Math.floor(samples.length / 2);
  const firstHalf = Math.max(gatewayOpen.rss, ...samples.slice(0, half));
  const secondHalf = Math.max(...samples.slice(half));
  o.log(
    `tail: ${flowIds.size} events x ${o.streams} streams: ${delivered}/${expected} delivered, ack->last stream p50 ${fanOutMs.p50} ms, p99 ${fanOutMs.p99} ms; ` +
      `gateway RSS ${gatewayIdle.rss} MB idle, ${gatewayOpen.rss} MB with the streams, peak ${peak} MB while events flowed`,
  );
  return {
    latency: { probes: probes.length, failures, filteredMs, firehoseMs, firehoseEvents, missing, batchEventsPerSec: Math.round(((load.statusCodes["201"] ?? 0) * 100) / load.seconds), batchNon2xx: load.non2xx },
    memory: {
      streams: o.streams,
      openSeconds: round(openSeconds, 2),
      gatewayIdleRssMb: gatewayIdle.rss,
      gatewayOpenRssMb: gatewayOpen.rss,
      gatewayPeakRssMb: peak,
      gatewayAfterRssMb: gatewayAfter.rss,
      perStreamKb: round(((gatewayOpen.rss - gatewayIdle.rss) * 1024) / o.streams, 1),
      /** Peak of the flow's second half over its first half's: flat is about 1 (no growth with time). */
      flowGrowth: round(secondHalf / firstHalf, 3),
      /** Peak while events flowed over RSS right after opening them. */
      peakOverOpen: round(peak / gatewayOpen.rss, 3),
      opening,
      samples,
      serverIdleRssMb: serverIdle.rss,
      serverOpenRssMb: serverOpen.rss,
      flowEvents: flowIds.size,
      delivered,
      expected,
      fanOutMs,
      endedEarly: ended,
    },
  };
}
