/**
 * Catch-up after a NATS outage: ingest keeps acknowledging while NATS is down, the outbox grows,
 * and once NATS is back the sweeper drains the backlog at full speed (bounded batches back to
 * back), every event once by id and each log in sequence order.
 *
 * Runs against a private nats-server (own port, own store directory) so that stopping it does not
 * disturb the other test files sharing the run's NATS.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { connectBus, eventsStreamName, freePort, TestStack, type Bus, type EventJson } from "@hyrelog/testing";

/** Small runs: 6 logs × 250 requests × 2 events, one outbox row per request. */
const LOGS = 6;
const REQUESTS_PER_LOG = 250;
const EVENTS_PER_REQUEST = 2;
/** And one busy log: 12 runs of 1,000 events (~1 MB each, so several messages per run). */
const BIG_RUNS = 12;
const BIG_RUN_EVENTS = 1000;
/** What 100 rows per 5 s could never meet for ~1,500 rows (~75 s). */
const CATCH_UP_BOUND_MS = 15_000;

let natsDir: string;
let natsPort: number;
let nats: ChildProcess | undefined;
let stack: TestStack;

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    const done = (ok: boolean) => (socket.destroy(), resolve(ok));
    socket.setTimeout(500, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

/** nats-server -js on the test's port and store directory (a restart keeps the streams). */
async function startNats(): Promise<void> {
  const child = spawn("nats-server", ["-js", "-a", "127.0.0.1", "-p", String(natsPort), "-sd", natsDir], { stdio: "ignore" });
  nats = child;
  const deadline = Date.now() + 10_000;
  while (!(await portOpen(natsPort))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`nats-server did not start on port ${natsPort}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function stopNats(signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  const child = nats;
  nats = undefined;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.kill(signal);
  });
}

beforeAll(async () => {
  natsDir = mkdtempSync(path.join(os.tmpdir(), "hyrelog-test-outage-nats-"));
  natsPort = await freePort();
  await startNats();
  stack = await TestStack.start({
    infra: { ...inject("infra"), natsUrl: `nats://127.0.0.1:${natsPort}` },
    regions: ["us"],
    env: { RATE_LIMIT_PER_KEY_PER_MINUTE: "100000", RATE_LIMIT_PER_IP_PER_MINUTE: "100000" },
  });
});

afterAll(async () => {
  // The stack deletes its streams on stop, so NATS must be up for that.
  if (!nats) await startNats().catch(() => undefined);
  await stack?.stop();
  await stopNats("SIGKILL");
  rmSync(natsDir, { recursive: true, force: true });
});

const sql = <T>(query: string, params: unknown[] = []) => stack.regions.us!.orm.em.fork().execute<T[]>(query, params);

async function until(what: string, timeoutMs: number, probe: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const outboxRows = async (logIds: string[]) => Number((await sql<{ n: string }>(`select count(*) as n from event_outbox where log_id in (?)`, [logIds]))[0]!.n);

/** Every message of the events stream from the start (ordered consumer), with the time JetStream stored it. */
async function readStream(b: Bus): Promise<Array<{ msgId: string; storedAt: number; events: EventJson[] }>> {
  const consumer = await b.js.consumers.get(eventsStreamName(stack.natsPrefix, "us"));
  const out: Array<{ msgId: string; storedAt: number; events: EventJson[] }> = [];
  for (;;) {
    const batch = await consumer.fetch({ max_messages: 1000, expires: 1000 });
    let n = 0;
    let pending = -1;
    for await (const m of batch) {
      n++;
      pending = m.info.pending;
      out.push({ msgId: m.headers?.get("Nats-Msg-Id") ?? "", storedAt: m.info.timestampNanos / 1e6, events: (m.json() as { events: EventJson[] }).events });
    }
    if (n === 0 || pending === 0) return out;
  }
}

describe("outbox catch-up after a NATS outage", () => {
  it("publishes a backlog of 15,000 events within 15 s of NATS coming back, each once and in per-log order", async () => {
    const companies = [stack.companies.us!];
    for (let i = 1; i <= LOGS; i++) companies.push(await stack.seedCompany("us", "STARTER", `Outage Co ${i}`));
    const [big, ...small] = companies;
    const logIds = companies.map((c) => c.workspaceId);

    await stopNats();
    // Requests one after another per log (one outbox row each), the logs side by side.
    const acked = new Map<string, string[]>(logIds.map((id) => [id, []]));
    const send = async (co: (typeof companies)[number], runs: number, size: number, pad: string) => {
      for (let r = 0; r < runs; r++) {
        const res = await stack.api(co.workspaceKey, "POST", "/v1/events", {
          events: Array.from({ length: size }, (_, i) => ({ category: "outage", action: "outage.test", actor: { id: `u${r}-${i}` }, metadata: { pad } })),
        });
        expect(res.status, res.text).toBe(201);
        acked.get(co.workspaceId)!.push(...res.body.results.map((x: { id: string }) => x.id));
      }
    };
    await Promise.all([send(big!, BIG_RUNS, BIG_RUN_EVENTS, "p".repeat(600)), ...small.map((co) => send(co, REQUESTS_PER_LOG, EVENTS_PER_REQUEST, ""))]);
    const total = LOGS * REQUESTS_PER_LOG * EVENTS_PER_REQUEST + BIG_RUNS * BIG_RUN_EVENTS;
    const rows = await outboxRows(logIds);
    expect(rows).toBeGreaterThanOrEqual(1000);

    // Keep NATS down until every row is past the sweeper's 10 s grace period, so that what is
    // timed below is the drain, not the grace period.
    const [{ age }] = (await sql<{ age: number }>(`select extract(epoch from now() - max(created_at))::float8 as age from event_outbox where log_id in (?)`, [logIds])) as [{ age: number }];
    await new Promise((r) => setTimeout(r, Math.max(0, (10.5 - age) * 1000)));

    await startNats();
    const restoredAt = Date.now();
    await until(`an empty outbox (${rows} rows, ${total} events)`, CATCH_UP_BOUND_MS, async () => (await outboxRows(logIds)) === 0).catch(async (err: Error) => {
      throw new Error(`${err.message}; ${await outboxRows(logIds)} rows left`);
    });
    const drainedMs = Date.now() - restoredAt;

    const bus = await connectBus({ url: `nats://127.0.0.1:${natsPort}`, prefix: stack.natsPrefix, region: "us", name: "outage-test-reader" });
    let messages: Awaited<ReturnType<typeof readStream>>;
    try {
      messages = await readStream(bus);
    } finally {
      await bus.close();
    }
    const ours = messages.filter((m) => m.events.some((e) => acked.has(e.workspaceId!)));
    const published = ours.flatMap((m) => m.events);
    // Exactly once by event id: nothing missing, nothing doubled.
    expect(published.length).toBe(total);
    expect(new Set(published.map((e) => e.id)).size).toBe(total);
    // Per log, in stream order: 1, 2, 3, … with the acknowledged ids.
    for (const [logId, ids] of acked) {
      const events = published.filter((e) => e.workspaceId === logId);
      expect(events.map((e) => e.sequence)).toEqual(Array.from({ length: ids.length }, (_, i) => i + 1));
      expect(events.map((e) => e.id)).toEqual(ids);
    }
    const stored = ours.map((m) => m.storedAt);
    const lastMs = Math.max(...stored) - restoredAt;
    const spreadS = (Math.max(...stored) - Math.min(...stored)) / 1000;
    expect(lastMs).toBeLessThan(CATCH_UP_BOUND_MS);
    console.info(
      `outage catch-up: ${total} events in ${rows} outbox rows (${ours.length} messages); all in JetStream ${(lastMs / 1000).toFixed(1)} s after NATS restarted ` +
        `(outbox empty after ${(drainedMs / 1000).toFixed(1)} s); drained in ${spreadS.toFixed(2)} s = ${Math.round(total / Math.max(spreadS, 0.001))} events/s, ${Math.round(ours.length / Math.max(spreadS, 0.001))} messages/s`,
    );
  }, 90_000);
});
