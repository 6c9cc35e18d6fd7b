/**
 * The hash chain under concurrent ingestion: one log per workspace, sequences 1..N without gaps,
 * every prevHash the previous hash, every hash the SHA-256 of the event's canonical chain
 * document — recomputable both from the stored rows and from what GET /v1/events returns.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  chainFieldsOf,
  EVENT_COLUMNS,
  storedEventFromRow,
  eventHash,
  GENESIS_HASH,
  TestStack,
  type EventJson,
  type EventRow,
  type StoredEvent,
} from "@hyrelog/testing";
import { killAllServe, startServe } from "./serve-process.ts";

let stack: TestStack;

beforeAll(async () => {
  stack = await TestStack.start({
    infra: inject("infra"),
    regions: ["us"],
    env: { RATE_LIMIT_PER_KEY_PER_MINUTE: "100000", RATE_LIMIT_PER_IP_PER_MINUTE: "100000" },
  });
});
afterAll(async () => {
  await killAllServe();
  await stack?.stop();
});

async function sql<T>(query: string, params: unknown[] = []): Promise<T[]> {
  return stack.regions.us!.orm.em.fork().execute<T[]>(query, params);
}

async function storedLog(logId: string): Promise<StoredEvent[]> {
  const rows = await sql<EventRow>(`select ${EVENT_COLUMNS} from audit_events where log_id = ? order by sequence`, [logId]);
  return rows.map(storedEventFromRow);
}

/** The hash recomputed from a stored row (closed form) or from the API's form (personal values opened). */
const hashOf = (e: EventJson | StoredEvent) => ("sealed" in e ? eventHash(e) : eventHash(chainFieldsOf(e)));

/** Asserts a whole log: sequences 1..n, links, and hashes recomputed from the events' fields. */
function expectValidChain(events: Array<EventJson | StoredEvent>): void {
  events.forEach((e, i) => {
    expect(e.sequence, `position ${i}`).toBe(i + 1);
    expect(e.prevHash, `prevHash of #${e.sequence}`).toBe(i === 0 ? GENESIS_HASH : events[i - 1]!.hash);
    expect(hashOf(e), `hash of #${e.sequence}`).toBe(e.hash);
  });
}

/** Every event of the key's workspace through the REST API, newest first as served. */
async function readAllViaApi(key: string): Promise<EventJson[]> {
  const out: EventJson[] = [];
  let cursor: string | null = null;
  do {
    const res = await stack.api(key, "GET", `/v1/events?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    expect(res.status, res.text).toBe(200);
    out.push(...(res.body.data as EventJson[]));
    cursor = res.body.nextCursor;
  } while (cursor);
  return out;
}

/** Metadata and changes with the JSON shapes that must survive storage and the API unchanged. */
function richEvent(client: number, n: number) {
  return {
    category: n % 3 === 0 ? "auth" : "user",
    action: `user.updated.${n % 5}`,
    actor: { id: `c${client}`, email: `client${client}@acme.test`, name: `Client ${client} — ü`, type: "service" },
    target: { id: `u${n % 7}`, type: "user", name: n % 2 ? "Bob" : undefined },
    occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n, client)).toISOString(),
    changes: [
      { field: "role", old: null, new: n % 2 ? "admin" : "member" },
      { field: "flags", old: [1, 2.5, -3], new: { nested: { ok: true, none: null } } },
      { field: "removed", old: "x" },
    ],
    metadata: {
      client,
      n,
      ratio: 0.1 + 0.2,
      big: 12345678901234,
      small: 1e-7,
      negative: -42,
      text: 'quotes " and \\ and \n newline, emoji 🦄, 中文',
      list: [true, false, null, "s", 1.5, { z: 1, a: 2 }],
      "": "empty key",
      zeta: 1,
      alpha: 2,
    },
  };
}

describe("the hash chain", () => {
  it("stays gapless and verifiable under 20 concurrent clients × 25 requests", async () => {
    const co = stack.companies.us!;
    const acked: Array<{ id: string; sequence: number; hash: string }> = [];
    const clients = Array.from({ length: 20 }, async (_, client) => {
      for (let r = 0; r < 25; r++) {
        // Every third request is a small batch (2–4 events); the rest are single events.
        const size = r % 3 === 0 ? 2 + (client % 3) : 1;
        const events = Array.from({ length: size }, (_, j) => richEvent(client, r * 10 + j));
        const body = size === 1 ? events[0] : { events };
        const res = await stack.api(co.workspaceKey, "POST", "/v1/events", body);
        expect(res.status, res.text).toBe(201);
        if (size === 1) acked.push(res.body);
        else acked.push(...res.body.results);
      }
    });
    await Promise.all(clients);

    const log = await storedLog(co.workspaceId);
    expect(log.length).toBe(acked.length);
    expectValidChain(log);
    // What each client was told matches what is stored.
    const bySequence = new Map(log.map((e) => [e.sequence, e]));
    expect(new Set(acked.map((a) => a.sequence)).size).toBe(acked.length);
    for (const a of acked) {
      expect(bySequence.get(a.sequence)?.id).toBe(a.id);
      expect(bySequence.get(a.sequence)?.hash).toBe(a.hash);
    }
    // The log head agrees with the last event.
    const [head] = await sql<{ sequence: string; hash: string }>(`select sequence, hash from log_heads where log_id = ?`, [co.workspaceId]);
    expect(Number(head!.sequence)).toBe(log.length);
    expect(head!.hash).toBe(log.at(-1)!.hash);

    // The REST representation alone verifies: hashes recomputed from GET /v1/events pages.
    const served = await readAllViaApi(co.workspaceKey);
    expect(served.map((e) => e.id)).toEqual([...log].reverse().map((e) => e.id));
    const ascending = [...served].sort((a, b) => a.sequence - b.sequence);
    expectValidChain(ascending);
    // The company key sees (and can verify) the same log.
    const viaCompany = await readAllViaApi(co.companyKey);
    expectValidChain(viaCompany.filter((e) => e.workspaceId === co.workspaceId).sort((a, b) => a.sequence - b.sequence));
  }, 60_000);

  it("detects tampering: changing any hashed field breaks the recomputed hash", async () => {
    const co = stack.companies.us!;
    const [e] = await storedLog(co.workspaceId);
    expect(e).toBeDefined();
    const fields = e!;
    expect(eventHash(fields)).toBe(e!.hash);
    const tampered = [
      { ...fields, action: "user.deleted" },
      { ...fields, metadata: { ...fields.metadata, n: -1 } },
      { ...fields, occurredAt: "2020-01-01T00:00:00.000Z" },
      { ...fields, actor: { ...fields.actor, id: "someone-else" } },
      { ...fields, context: { ...fields.context, ip: "10.0.0.1" } },
      { ...fields, sequence: fields.sequence + 1 },
    ];
    for (const t of tampered) expect(eventHash(t)).not.toBe(e!.hash);
  });

  it("keeps an independent chain per workspace", async () => {
    const a = await stack.seedCompany("us", "STARTER", "Chain A");
    const b = await stack.seedCompany("us", "STARTER", "Chain B");
    const send = (key: string, n: number) => stack.api(key, "POST", "/v1/events", n % 4 === 0 ? { events: [richEvent(n, 1), richEvent(n, 2)] } : richEvent(n, 0));
    const answers = await Promise.all(Array.from({ length: 30 }, (_, n) => send(n % 2 ? a.workspaceKey : b.workspaceKey, n)));
    for (const res of answers) expect(res.status, res.text).toBe(201);

    const logA = await storedLog(a.workspaceId);
    const logB = await storedLog(b.workspaceId);
    expect(logA.length).toBeGreaterThan(10);
    expect(logB.length).toBeGreaterThan(10);
    // 30 requests, 8 of them (n % 4 === 0) batches of 2.
    expect(logA.length + logB.length).toBe(38);
    expectValidChain(logA);
    expectValidChain(logB);
    expect(logA.every((e) => e.workspaceId === a.workspaceId && e.companyId === a.companyId)).toBe(true);
    expect(logB.every((e) => e.workspaceId === b.workspaceId && e.companyId === b.companyId)).toBe(true);
    // Each chain starts from genesis; neither links to the other.
    expect(logA[0]!.prevHash).toBe(GENESIS_HASH);
    expect(logB[0]!.prevHash).toBe(GENESIS_HASH);
    const hashesB = new Set(logB.map((e) => e.hash));
    expect(logA.some((e) => hashesB.has(e.prevHash))).toBe(false);
    expectValidChain((await readAllViaApi(a.workspaceKey)).sort((x, y) => x.sequence - y.sequence));
  });
});

describe("several ingest processes", () => {
  it("keep one gapless chain when two processes write the same log concurrently", async () => {
    // A second replica: `hyrelog serve` as a child process on the same database and NATS prefix.
    const replica = await startServe({
      databaseUrl: stack.regions.us!.databaseUrl,
      natsUrl: inject("infra").natsUrl,
      natsPrefix: stack.natsPrefix,
      apiKeySecret: stack.apiKeySecret,
      env: { RATE_LIMIT_PER_KEY_PER_MINUTE: "100000", RATE_LIMIT_PER_IP_PER_MINUTE: "100000" },
    });
    const co = await stack.seedCompany("us", "STARTER", "Replicas Co");
    const gateways = [stack.gatewayUrl, replica.gatewayUrl];
    const acked: Array<{ id: string; sequence: number }> = [];
    await Promise.all(
      Array.from({ length: 16 }, async (_, client) => {
        for (let r = 0; r < 15; r++) {
          const events = Array.from({ length: r % 4 === 0 ? 3 : 1 }, (_, j) => richEvent(client, r * 10 + j));
          const res = await fetch(`${gateways[client % 2]}/v1/events`, {
            method: "POST",
            headers: { authorization: `Bearer ${co.workspaceKey}`, "content-type": "application/json" },
            body: JSON.stringify(events.length === 1 ? events[0] : { events }),
          });
          const body = (await res.json()) as { id: string; sequence: number; results?: Array<{ id: string; sequence: number }> };
          expect(res.status, JSON.stringify(body)).toBe(201);
          acked.push(...(body.results ?? [body]));
        }
      }),
    );
    const log = await storedLog(co.workspaceId);
    expect(log.length).toBe(acked.length);
    expectValidChain(log);
    const bySequence = new Map(log.map((e) => [e.sequence, e.id]));
    for (const a of acked) expect(bySequence.get(a.sequence)).toBe(a.id);
    replica.child.kill("SIGTERM");
    expect((await replica.exited).code).toBe(0);
  }, 60_000);
});

describe("the audit_events table", () => {
  it("refuses UPDATE, DELETE and TRUNCATE (append-only triggers)", async () => {
    const co = stack.companies.us!;
    const [first] = await storedLog(co.workspaceId);
    expect(first).toBeDefined();
    const em = stack.regions.us!.orm.em.fork();
    await expect(em.execute(`update audit_events set action = 'forged' where id = ?`, [first!.id])).rejects.toThrow(/append-only/);
    await expect(em.execute(`update audit_events set metadata = '{}' where log_id = ?`, [co.workspaceId])).rejects.toThrow(/append-only/);
    await expect(em.execute(`delete from audit_events where id = ?`, [first!.id])).rejects.toThrow(/append-only/);
    await expect(em.execute(`delete from audit_events`)).rejects.toThrow(/append-only/);
    await expect(em.execute(`truncate audit_events`)).rejects.toThrow(/append-only \(TRUNCATE refused\)/);

    const [after] = await storedLog(co.workspaceId);
    expect(after).toEqual(first);
    expect(eventHash(after!)).toBe(after!.hash);
  });
});
