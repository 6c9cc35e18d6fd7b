/**
 * Batches and idempotency through the gateway: per-event results in request order, retries with
 * an Idempotency-Key (header or per event) return the stored event instead of storing another,
 * and that guarantee lives in the database — it survives a restart of the services.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { TestStack } from "@hyrelog/testing";

let stack: TestStack;
let key: string;
let workspaceId: string;

beforeAll(async () => {
  stack = await TestStack.start({ infra: inject("infra"), regions: ["us"] });
  key = stack.companies.us!.workspaceKey;
  workspaceId = stack.companies.us!.workspaceId;
});
afterAll(async () => stack?.stop());

const event = (n: number | string, extra: Record<string, unknown> = {}) => ({
  category: "billing",
  action: "invoice.paid",
  actor: { id: `u_${n}` },
  metadata: { n },
  ...extra,
});

async function sql<T = Record<string, unknown>>(query: string, params: unknown[] = []): Promise<T[]> {
  return stack.regions.us!.orm.em.fork().execute<T[]>(query, params);
}

async function storedInWorkspace(ws = workspaceId): Promise<number> {
  const [row] = await sql<{ n: string }>(`select count(*) as n from audit_events where workspace_id = ?`, [ws]);
  return Number(row!.n);
}

async function headSequence(ws = workspaceId): Promise<number> {
  const [row] = await sql<{ s: string }>(`select coalesce(max(sequence), 0) as s from audit_events where log_id = ?`, [ws]);
  return Number(row!.s);
}

const uniqueKey = (label: string) => `${label}-${randomUUID()}`;

describe("batches", () => {
  it("stores a batch of 100 and answers one result per event, in order, with consecutive sequences", async () => {
    const before = await headSequence();
    const events = Array.from({ length: 100 }, (_, i) => event(i));
    const res = await stack.api(key, "POST", "/v1/events", { events });
    expect(res.status, res.text).toBe(201);
    const results = res.body.results as Array<{ index: number; id: string; sequence: number; hash: string; prevHash: string; status: string }>;
    expect(results).toHaveLength(100);
    results.forEach((r, i) => {
      expect(r).toMatchObject({ index: i, status: "created", sequence: before + 1 + i });
      expect(r.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(r.hash).toMatch(/^[0-9a-f]{64}$/);
      if (i > 0) expect(r.prevHash).toBe(results[i - 1]!.hash);
    });
    expect(new Set(results.map((r) => r.id)).size).toBe(100);

    // results[i] is the event sent at events[i].
    const rows = await sql<{ id: string; sequence: string; hash: string; metadata: { n: number } }>(
      `select id, sequence, hash, metadata from audit_events where id in (?)`,
      [results.map((r) => r.id)],
    );
    expect(rows).toHaveLength(100);
    const byId = new Map(rows.map((r) => [r.id, r]));
    results.forEach((r, i) => {
      const row = byId.get(r.id)!;
      expect(row.metadata.n).toBe(i);
      expect(Number(row.sequence)).toBe(r.sequence);
      expect(row.hash).toBe(r.hash);
    });
  });

  it("answers a single event with the result object itself (no results array, no index)", async () => {
    const res = await stack.api(key, "POST", "/v1/events", event("single"));
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({ status: "created", sequence: expect.any(Number), hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(res.body.results).toBeUndefined();
    expect(res.body.index).toBeUndefined();
  });

  it("serves the same ingest on the /v1/key/workspace/events alias, single and batch", async () => {
    const before = await storedInWorkspace();
    const one = await stack.api(key, "POST", "/v1/key/workspace/events", event("alias"));
    expect(one.status, one.text).toBe(201);
    expect(one.body.status).toBe("created");
    const many = await stack.api(key, "POST", "/v1/key/workspace/events", { events: [event("a1"), event("a2")] });
    expect(many.status, many.text).toBe(201);
    expect(many.body.results.map((r: { status: string }) => r.status)).toEqual(["created", "created"]);
    expect(many.body.results[0].sequence).toBe(one.body.sequence + 1);
    expect(await storedInWorkspace()).toBe(before + 3);
    const got = await stack.api(key, "GET", `/v1/events/${one.body.id}`);
    expect(got.status).toBe(200);
    expect(got.body.metadata).toEqual({ n: "alias" });
  });
});

describe("idempotency", () => {
  it("a retry with the same Idempotency-Key header returns the stored event (200 duplicate) and stores nothing", async () => {
    const k = uniqueKey("hdr");
    const first = await stack.api(key, "POST", "/v1/events", event("idem"), { "idempotency-key": k });
    expect(first.status, first.text).toBe(201);
    expect(first.body.status).toBe("created");
    const before = await storedInWorkspace();

    const retry = await stack.api(key, "POST", "/v1/events", event("idem"), { "idempotency-key": k });
    expect(retry.status, retry.text).toBe(200);
    expect(retry.body).toMatchObject({ id: first.body.id, sequence: first.body.sequence, hash: first.body.hash, status: "duplicate" });
    expect(await storedInWorkspace()).toBe(before);

    // The key is part of the stored event.
    const got = await stack.api(key, "GET", `/v1/events/${first.body.id}`);
    expect(got.body.idempotencyKey).toBe(k);

    // The alias endpoint honours the same key.
    const viaAlias = await stack.api(key, "POST", "/v1/key/workspace/events", event("idem"), { "idempotency-key": k });
    expect(viaAlias.status).toBe(200);
    expect(viaAlias.body).toMatchObject({ id: first.body.id, status: "duplicate" });
    expect(await storedInWorkspace()).toBe(before);
  });

  it("a key reused for a different event is refused with 409, storing nothing", async () => {
    const k = uniqueKey("reuse");
    const first = await stack.api(key, "POST", "/v1/events", event("reuse-a"), { "idempotency-key": k });
    expect(first.status, first.text).toBe(201);
    const before = await storedInWorkspace();

    const other = await stack.api(key, "POST", "/v1/events", event("reuse-b"), { "idempotency-key": k });
    expect(other.status, other.text).toBe(409);
    expect(other.body.error.code).toBe("already_exists");
    expect(other.body.error.message).toContain(first.body.id);
    expect(other.body.error.details.violations).toEqual([{ field: "idempotencyKey", description: expect.stringMatching(/different event/) }]);

    // In a batch the clash is named by position, and the batch's other events are not stored.
    const batch = await stack.api(key, "POST", "/v1/events", { events: [event("fresh-1"), { ...event("reuse-c"), idempotencyKey: k }] });
    expect(batch.status, batch.text).toBe(409);
    expect(batch.body.error.details.violations[0].field).toBe("events[1].idempotencyKey");
    const twice = await stack.api(key, "POST", "/v1/events", {
      events: [{ ...event("x"), idempotencyKey: `${k}-2` }, { ...event("y"), idempotencyKey: `${k}-2` }],
    });
    expect(twice.status, twice.text).toBe(409);
    expect(await storedInWorkspace()).toBe(before);
  });

  it("the idempotencyKey field of a single event works like the header; the two must agree", async () => {
    const k = uniqueKey("field");
    const first = await stack.api(key, "POST", "/v1/events", event("f", { idempotencyKey: k }));
    expect(first.status, first.text).toBe(201);
    const viaHeader = await stack.api(key, "POST", "/v1/events", event("f"), { "idempotency-key": k });
    expect(viaHeader.status).toBe(200);
    expect(viaHeader.body).toMatchObject({ id: first.body.id, status: "duplicate" });
    const before = await storedInWorkspace();
    const conflict = await stack.api(key, "POST", "/v1/events", event("f", { idempotencyKey: k }), { "idempotency-key": `${k}-other` });
    expect(conflict.status).toBe(400);
    expect(conflict.body.error.details.violations).toContainEqual({ field: "idempotencyKey", description: expect.stringMatching(/Idempotency-Key/) });
    expect(await storedInWorkspace()).toBe(before);
  });

  it("per-event keys in a batch: a replayed batch is all duplicates; a mixed batch stores only the new events", async () => {
    const [k1, k2, k3, k4] = ["k1", "k2", "k3", "k4"].map(uniqueKey) as [string, string, string, string];
    const first = await stack.api(key, "POST", "/v1/events", {
      events: [event(1, { idempotencyKey: k1 }), event(2, { idempotencyKey: k2 }), event(3, { idempotencyKey: k3 })],
    });
    expect(first.status, first.text).toBe(201);
    const ids = first.body.results.map((r: { id: string }) => r.id);
    const before = await storedInWorkspace();

    const replay = await stack.api(key, "POST", "/v1/events", {
      events: [event(1, { idempotencyKey: k1 }), event(2, { idempotencyKey: k2 }), event(3, { idempotencyKey: k3 })],
    });
    expect(replay.status, replay.text).toBe(200);
    expect(replay.body.results.map((r: { id: string }) => r.id)).toEqual(ids);
    expect(replay.body.results.map((r: { status: string }) => r.status)).toEqual(["duplicate", "duplicate", "duplicate"]);
    expect(await storedInWorkspace()).toBe(before);

    const head = await headSequence();
    const mixed = await stack.api(key, "POST", "/v1/events", {
      events: [event(4, { idempotencyKey: k4 }), event(2, { idempotencyKey: k2 }), event(5), event(3, { idempotencyKey: k3 })],
    });
    expect(mixed.status, mixed.text).toBe(201);
    const r = mixed.body.results as Array<{ index: number; id: string; sequence: number; status: string }>;
    expect(r.map((x) => x.index)).toEqual([0, 1, 2, 3]);
    expect(r.map((x) => x.status)).toEqual(["created", "duplicate", "created", "duplicate"]);
    expect(r[1]!.id).toBe(ids[1]);
    expect(r[3]!.id).toBe(ids[2]);
    // Duplicates take no sequence number: the new events continue the chain without a gap.
    expect(r[0]!.sequence).toBe(head + 1);
    expect(r[2]!.sequence).toBe(head + 2);
    expect(await storedInWorkspace()).toBe(before + 2);
  });

  it("the same key twice in one batch yields one stored event and the same id for both", async () => {
    const k = uniqueKey("twice");
    const before = await storedInWorkspace();
    const res = await stack.api(key, "POST", "/v1/events", {
      events: [event("t1", { idempotencyKey: k }), event("t2"), event("t1", { idempotencyKey: k })],
    });
    expect(res.status, res.text).toBe(201);
    const r = res.body.results as Array<{ id: string; status: string; sequence: number }>;
    expect(r[2]!.id).toBe(r[0]!.id);
    expect(r[2]!.sequence).toBe(r[0]!.sequence);
    expect(r.map((x) => x.status)).toEqual(["created", "created", "duplicate"]);
    expect(await storedInWorkspace()).toBe(before + 2);
    const [row] = await sql<{ n: string }>(`select count(*) as n from audit_events where log_id = ? and idempotency_key = ?`, [workspaceId, k]);
    expect(Number(row!.n)).toBe(1);
  });

  it("a batch-level Idempotency-Key header covers each event by position", async () => {
    const k = uniqueKey("batch");
    const events = [event("b0"), event("b1", { idempotencyKey: uniqueKey("own") }), event("b2")];
    const first = await stack.api(key, "POST", "/v1/events", { events }, { "idempotency-key": k });
    expect(first.status, first.text).toBe(201);
    const before = await storedInWorkspace();
    const retry = await stack.api(key, "POST", "/v1/events", { events }, { "idempotency-key": k });
    expect(retry.status, retry.text).toBe(200);
    expect(retry.body.results.map((r: { id: string }) => r.id)).toEqual(first.body.results.map((r: { id: string }) => r.id));
    expect(retry.body.results.every((r: { status: string }) => r.status === "duplicate")).toBe(true);
    expect(await storedInWorkspace()).toBe(before);
  });

  it("concurrent retries of one key store exactly one event and all get its id", async () => {
    const k = uniqueKey("race");
    const before = await storedInWorkspace();
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => stack.api(key, "POST", "/v1/events", event("race"), { "idempotency-key": k })),
    );
    for (const a of answers) expect([200, 201], a.text).toContain(a.status);
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(await storedInWorkspace()).toBe(before + 1);
  });

  it("keys are per workspace: the same key in another workspace stores a separate event", async () => {
    const k = uniqueKey("tenant");
    const mine = await stack.api(key, "POST", "/v1/events", event("mine"), { "idempotency-key": k });
    expect(mine.status).toBe(201);
    const other = await stack.seedCompany("us");
    const theirs = await stack.api(other.workspaceKey, "POST", "/v1/events", event("theirs"), { "idempotency-key": k });
    expect(theirs.status, theirs.text).toBe(201);
    expect(theirs.body.status).toBe("created");
    expect(theirs.body.id).not.toBe(mine.body.id);
    expect(theirs.body.sequence).toBe(1);
    // Each workspace's retry returns its own event.
    const again = await stack.api(other.workspaceKey, "POST", "/v1/events", event("theirs"), { "idempotency-key": k });
    expect(again.body.id).toBe(theirs.body.id);
  });

  it("is backed by the database: after the region's services restart, a retry still returns the stored event", async () => {
    const single = uniqueKey("restart");
    const inBatch = uniqueKey("restart-batch");
    const first = await stack.api(key, "POST", "/v1/events", event("r"), { "idempotency-key": single });
    expect(first.status).toBe(201);
    const batch = await stack.api(key, "POST", "/v1/events", { events: [event("rb0"), event("rb1", { idempotencyKey: inBatch })] });
    expect(batch.status).toBe(201);
    const [row] = await sql<{ idempotency_key: string }>(`select idempotency_key from audit_events where id = ?`, [first.body.id]);
    expect(row!.idempotency_key).toBe(single);

    await stack.restartRegion("us");
    const before = await storedInWorkspace();

    const retry = await stack.api(key, "POST", "/v1/events", event("r"), { "idempotency-key": single });
    expect(retry.status, retry.text).toBe(200);
    expect(retry.body).toMatchObject({ id: first.body.id, sequence: first.body.sequence, hash: first.body.hash, status: "duplicate" });

    const retryBatch = await stack.api(key, "POST", "/v1/key/workspace/events", { events: [event("rb1", { idempotencyKey: inBatch })] });
    expect(retryBatch.status, retryBatch.text).toBe(200);
    expect(retryBatch.body.results[0]).toMatchObject({ id: batch.body.results[1].id, status: "duplicate" });
    expect(await storedInWorkspace()).toBe(before);

    // And the restarted services go on storing new events on the same chain.
    const [head] = await sql<{ sequence: string; hash: string }>(
      `select sequence, hash from audit_events where log_id = ? order by sequence desc limit 1`,
      [workspaceId],
    );
    const next = await stack.api(key, "POST", "/v1/events", event("after-restart"));
    expect(next.status).toBe(201);
    expect(next.body.sequence).toBe(Number(head!.sequence) + 1);
    expect(next.body.prevHash).toBe(head!.hash);
  });
});
