/**
 * Durability: every stored event reaches JetStream through the transactional outbox, outbox rows
 * a crash left behind are republished by the sweeper, and an acknowledged event survives a
 * kill -9 of the process that acknowledged it.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { connectBus, eventsStreamName, eventSubject, TestStack, type Bus, type EventJson } from "@hyrelog/testing";
import { killAllServe, startServe } from "./serve-process.ts";

let stack: TestStack;
let bus: Bus;
const extraStreams: string[] = [];

beforeAll(async () => {
  stack = await TestStack.start({
    infra: inject("infra"),
    regions: ["us"],
    env: { RATE_LIMIT_PER_KEY_PER_MINUTE: "100000", RATE_LIMIT_PER_IP_PER_MINUTE: "100000" },
  });
  bus = await connectBus({ url: inject("infra").natsUrl, prefix: stack.natsPrefix, region: "us", name: "durability-test-reader" });
});
afterAll(async () => {
  await killAllServe();
  if (bus) {
    const jsm = await bus.js.jetstreamManager();
    for (const name of extraStreams) await jsm.streams.delete(name).catch(() => undefined);
    await bus.close();
  }
  await stack?.stop();
});

async function sql<T>(query: string, params: unknown[] = []): Promise<T[]> {
  return stack.regions.us!.orm.em.fork().execute<T[]>(query, params);
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined | false>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function outboxRows(logId: string): Promise<number> {
  const [row] = await sql<{ n: string }>(`select count(*) as n from event_outbox where log_id = ?`, [logId]);
  return Number(row!.n);
}

interface StreamMessage {
  msgId: string;
  subject: string;
  events: EventJson[];
}

/** Every message on `subject` in the stream, from the start (ordered consumer). */
async function readSubject(b: Bus, prefix: string, subject: string): Promise<StreamMessage[]> {
  const consumer = await b.js.consumers.get(eventsStreamName(prefix, "us"), { filter_subjects: subject });
  const out: StreamMessage[] = [];
  for (;;) {
    const batch = await consumer.fetch({ max_messages: 500, expires: 1000 });
    let n = 0;
    let pending = -1;
    for await (const m of batch) {
      n++;
      pending = m.info.pending;
      out.push({ msgId: m.headers?.get("Nats-Msg-Id") ?? "", subject: m.subject, events: (m.json() as { events: EventJson[] }).events });
    }
    if (n === 0 || pending === 0) return out;
  }
}

/** Reads the subject until every id is there (publishing is asynchronous to the ingest answer). */
async function waitForIds(b: Bus, prefix: string, subject: string, ids: string[], timeoutMs: number): Promise<StreamMessage[]> {
  let last: StreamMessage[] = [];
  await until(`${ids.length} events on ${subject}`, timeoutMs, async () => {
    last = await readSubject(b, prefix, subject);
    const seen = new Set(last.flatMap((m) => m.events.map((e) => e.id)));
    return ids.every((id) => seen.has(id));
  }).catch((err: Error) => {
    const seen = new Set(last.flatMap((m) => m.events.map((e) => e.id)));
    throw new Error(`${err.message}; missing ${ids.filter((id) => !seen.has(id)).length}`);
  });
  return last;
}

describe("publishing to JetStream", () => {
  it("publishes every stored event on its tenant subject, with a message id, and empties the outbox", async () => {
    const co = stack.companies.us!;
    const ids: string[] = [];
    const single = await stack.api(co.workspaceKey, "POST", "/v1/events", { category: "c", action: "single", actor: { id: "u" } });
    expect(single.status).toBe(201);
    ids.push(single.body.id);
    const batch = await stack.api(co.workspaceKey, "POST", "/v1/events", {
      events: Array.from({ length: 50 }, (_, i) => ({ category: "c", action: "batch", actor: { id: `u${i}` }, metadata: { i } })),
    });
    expect(batch.status).toBe(201);
    ids.push(...batch.body.results.map((r: { id: string }) => r.id));
    // A batch whose events serialise to more than one NATS message (~1.2 MB of JSON).
    const big = await stack.api(co.workspaceKey, "POST", "/v1/events", {
      events: Array.from({ length: 1000 }, (_, i) => ({ category: "c", action: "big", actor: { id: `b${i}` }, metadata: { pad: "p".repeat(600) } })),
    });
    expect(big.status, big.text).toBe(201);
    ids.push(...big.body.results.map((r: { id: string }) => r.id));

    const subject = eventSubject(stack.natsPrefix, "us", co.companyId, co.workspaceId);
    expect(subject).toBe(`${stack.natsPrefix}.us.events.${co.companyId}.${co.workspaceId}`);
    const messages = await waitForIds(bus, stack.natsPrefix, subject, ids, 10_000);

    const published = messages.flatMap((m) => m.events);
    // Each event exactly once, as stored.
    expect(published.map((e) => e.id).sort()).toEqual([...ids].sort());
    const stored = await sql<{ id: string; hash: string; sequence: string }>(`select id, hash, sequence from audit_events where log_id = ?`, [co.workspaceId]);
    const byId = new Map(stored.map((r) => [r.id, r]));
    for (const e of published) {
      expect(e.hash).toBe(byId.get(e.id)!.hash);
      expect(e.sequence).toBe(Number(byId.get(e.id)!.sequence));
      expect(e.workspaceId).toBe(co.workspaceId);
    }
    // Each message: consecutive sequences, a message id naming its log and range, under 1 MiB.
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) {
      expect(m.subject).toBe(subject);
      const seqs = m.events.map((e) => e.sequence);
      seqs.forEach((s, i) => expect(s).toBe(seqs[0]! + i));
      expect(m.msgId).toBe(`${co.workspaceId}:${seqs[0]}-${seqs.at(-1)}`);
      expect(Buffer.byteLength(JSON.stringify({ events: m.events }))).toBeLessThan(1024 * 1024);
    }
    expect(new Set(messages.map((m) => m.msgId)).size).toBe(messages.length);
    // The 1000-event batch did not fit one message and was split.
    expect(messages.filter((m) => m.events.some((e) => e.action === "big")).length).toBeGreaterThan(1);

    await until("an empty outbox", 5_000, async () => (await outboxRows(co.workspaceId)) === 0);
  }, 30_000);

  it("publishes a version 2 event closed: commitments, but no sealed boxes, blind index or personal value", async () => {
    const co = stack.companies.us!;
    const res = await stack.api(co.workspaceKey, "POST", "/v1/events", {
      category: "c",
      action: "closed-on-the-stream",
      actor: { id: "u_closed", email: "closed@acme.test", name: "Closed Person" },
    });
    expect(res.status, res.text).toBe(201);
    const subject = eventSubject(stack.natsPrefix, "us", co.companyId, co.workspaceId);
    const messages = await waitForIds(bus, stack.natsPrefix, subject, [res.body.id], 10_000);
    const published = messages.flatMap((m) => m.events).find((e) => e.id === res.body.id) as unknown as Record<string, unknown>;
    expect(published.v).toBe(2);
    expect(Object.keys(published.personal as object)).toEqual(expect.arrayContaining(["/actor/email", "/actor/name"]));
    expect(published).not.toHaveProperty("sealed");
    expect(published).not.toHaveProperty("actorEmailIndex");
    expect(JSON.stringify(published)).not.toMatch(/closed@acme|Closed Person/i);
    // The boxes are in the row, and the API opens them.
    const [row] = await sql<{ sealed: unknown[] }>(`select sealed from audit_events where id = ?`, [res.body.id]);
    expect(row!.sealed).toHaveLength(1);
    const shown = await stack.api(co.workspaceKey, "GET", `/v1/events/${res.body.id}`);
    expect(shown.body.actor.email).toBe("closed@acme.test");
  });

  it("republishes outbox rows a crash left behind, after the services restart", async () => {
    const co = await stack.seedCompany("us", "STARTER", "Outbox Co");
    const res = await stack.api(co.workspaceKey, "POST", "/v1/events", {
      events: Array.from({ length: 6 }, (_, i) => ({ category: "c", action: "outbox", actor: { id: `u${i}` } })),
    });
    expect(res.status).toBe(201);
    const ids: string[] = res.body.results.map((r: { id: string }) => r.id);
    await until("an empty outbox", 5_000, async () => (await outboxRows(co.workspaceId)) === 0);

    // As if the process had died between COMMIT and publishing events 2..5: a row, older than
    // the sweeper's grace period, whose range (hence message id) was never published.
    await sql(`insert into event_outbox (log_id, from_sequence, to_sequence, created_at) values (?, 2, 5, now() - interval '1 minute')`, [co.workspaceId]);
    await stack.restartRegion("us");

    await until("the sweeper to delete the outbox row", 15_000, async () => (await outboxRows(co.workspaceId)) === 0);
    const subject = eventSubject(stack.natsPrefix, "us", co.companyId, co.workspaceId);
    const messages = await readSubject(bus, stack.natsPrefix, subject);
    const recovered = messages.find((m) => m.msgId === `${co.workspaceId}:2-5`);
    expect(recovered, JSON.stringify(messages.map((m) => m.msgId))).toBeDefined();
    expect(recovered!.events.map((e) => e.id)).toEqual(ids.slice(1, 5));
    expect(recovered!.events.map((e) => e.sequence)).toEqual([2, 3, 4, 5]);
  }, 30_000);

  it("a leftover row whose events are gone (erased) does not block recovery of the others", async () => {
    const co = await stack.seedCompany("us", "STARTER", "Poison Co");
    const res = await stack.api(co.workspaceKey, "POST", "/v1/events", {
      events: Array.from({ length: 4 }, (_, i) => ({ category: "c", action: "poison", actor: { id: `u${i}` } })),
    });
    expect(res.status).toBe(201);
    await until("an empty outbox", 5_000, async () => (await outboxRows(co.workspaceId)) === 0);
    // First (lower id) a row for sequences that do not exist, then a genuine leftover.
    await sql(`insert into event_outbox (log_id, from_sequence, to_sequence, created_at) values (?, 100, 120, now() - interval '1 minute')`, [co.workspaceId]);
    await sql(`insert into event_outbox (log_id, from_sequence, to_sequence, created_at) values (?, 2, 3, now() - interval '1 minute')`, [co.workspaceId]);

    await until("the sweeper to clear both rows", 15_000, async () => (await outboxRows(co.workspaceId)) === 0);
    const messages = await readSubject(bus, stack.natsPrefix, eventSubject(stack.natsPrefix, "us", co.companyId, co.workspaceId));
    expect(messages.find((m) => m.msgId === `${co.workspaceId}:2-3`)?.events.map((e) => e.sequence)).toEqual([2, 3]);
  }, 30_000);
});

describe("crash durability", () => {
  it("keeps every acknowledged event when the process is killed with SIGKILL right after the last acknowledgement", async () => {
    const co = stack.companies.us!;
    const natsUrl = inject("infra").natsUrl;
    const prefix = `t${randomBytes(4).toString("hex")}`;
    extraStreams.push(eventsStreamName(prefix, "us"));
    const opts = {
      databaseUrl: stack.regions.us!.databaseUrl,
      natsUrl,
      natsPrefix: prefix,
      apiKeySecret: stack.apiKeySecret,
      env: { RATE_LIMIT_PER_KEY_PER_MINUTE: "100000", RATE_LIMIT_PER_IP_PER_MINUTE: "100000" },
    };
    const first = await startServe(opts);
    const [{ s: headBefore }] = (await sql<{ s: string }>(`select coalesce(max(sequence), 0) as s from audit_events where log_id = ?`, [co.workspaceId])) as [{ s: string }];

    const total = 200;
    const acked: string[] = [];
    let settled = 0;
    let killedAt = -1;
    const send = async (i: number) => {
      try {
        const res = await fetch(`${first.gatewayUrl}/v1/events`, {
          method: "POST",
          headers: { authorization: `Bearer ${co.workspaceKey}`, "content-type": "application/json" },
          body: JSON.stringify({ category: "crash", action: "crash.test", actor: { id: `u${i}` }, metadata: { i } }),
        });
        const body = (await res.json()) as { id?: string };
        if (res.status === 201 && body.id) acked.push(body.id);
      } catch {
        // A request cut off by the kill is not acknowledged, which is fine.
      } finally {
        // Kill the moment the last answer is in: no chance for a graceful flush.
        if (++settled === total) {
          killedAt = acked.length;
          first.child.kill("SIGKILL");
        }
      }
    };
    await Promise.all(Array.from({ length: total }, (_, i) => send(i)));
    const exit = await first.exited;
    expect(exit.signal).toBe("SIGKILL");
    expect(killedAt).toBe(total);
    expect(acked).toHaveLength(total);

    // Every acknowledged event is in the database, and the chain has no hole.
    const rows = await sql<{ id: string }>(`select id from audit_events where id in (?)`, [acked]);
    expect(rows.map((r) => r.id).sort()).toEqual([...acked].sort());
    const seqs = await sql<{ sequence: string }>(`select sequence from audit_events where log_id = ? and sequence > ? order by sequence`, [co.workspaceId, headBefore]);
    expect(seqs.map((r) => Number(r.sequence))).toEqual(Array.from({ length: total }, (_, i) => Number(headBefore) + 1 + i));

    // A fresh process serves them. (Its NATS side is not checked here: the test stack's own
    // process sweeps the same database's outbox onto its own prefix; the tests above cover it.)
    const second = await startServe(opts);
    const served = new Set<string>();
    let cursor: string | null = null;
    do {
      const res: Response = await fetch(`${second.gatewayUrl}/v1/events?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, {
        headers: { authorization: `Bearer ${co.workspaceKey}` },
      });
      expect(res.status, second.output()).toBe(200);
      const page = (await res.json()) as { data: EventJson[]; nextCursor: string | null };
      for (const e of page.data) served.add(e.id);
      cursor = page.nextCursor;
    } while (cursor);
    for (const id of acked) expect(served.has(id), id).toBe(true);

    second.child.kill("SIGTERM");
    expect((await second.exited).code).toBe(0);
  }, 60_000);
});
