/**
 * The TypeScript SDK (@hyrelog/sdk, sdks/typescript) against a real stack: its quickstart example
 * as a child process; batching by size and by interval; retries of a lost answer with the same
 * idempotency keys (a TCP proxy in front of the gateway drops the first answer after the server
 * stored the batch), and over gRPC of a batch and a read whose connection closed before the call
 * ended (connect-node's CANCELED; h2-proxy.ts), no retry of a call close() cancelled nor of invalid input; the bounded queue; every page of a list and a
 * resource's history; proofs over Connect and gRPC; verification that rejects a tampered
 * proof, leaf, note and an untrusted key; consistency proofs between two checkpoints of the
 * log (it only grew) that reject a tampered proof and a forged history; the live tail resuming
 * from its last token across a connection cut mid-stream (h2-proxy.ts) and a RESOURCE_EXHAUSTED
 * opening; analytics and archives.
 */
import { execFile } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ConnectError } from "@connectrpc/connect";
import {
  Code,
  HyreLog,
  HyreLogError,
  isRetryable,
  QueueFullError,
  VerificationError,
  verifyCheckpoint,
  verifyConsistencyProof,
  verifyProof,
  type HyreLogOptions,
  type LiveTail,
  type RecordResult,
  type TailedEvent,
} from "@hyrelog/sdk";
import { TestStack } from "@hyrelog/testing";
import { formatCheckpoint, generateSigningKey, signCheckpoint } from "@hyrelog/tlog";
import { h2Proxy } from "./h2-proxy.ts";

const run = promisify(execFile);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

type SeededCompany = Awaited<ReturnType<TestStack["seedCompany"]>>;
let stack: TestStack;
let company: SeededCompany;
const clients: HyreLog[] = [];
const proxies: Array<{ close(): Promise<void> }> = [];

beforeAll(async () => {
  stack = await TestStack.start({ infra: inject("infra"), regions: ["us"], plan: "GROWTH" });
  company = await stack.seedCompany("us", "GROWTH", "SDK TypeScript");
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await Promise.all(proxies.map((p) => p.close()));
  await stack?.stop();
});

/** A client of the test company's workspace, closed after the tests. */
function client(opts: Partial<HyreLogOptions> = {}): HyreLog {
  const c = new HyreLog({ baseUrl: stack.gatewayUrl, apiKey: company.workspaceKey, ...opts });
  clients.push(c);
  return c;
}

const uniqueAction = (what: string) => `sdk.ts.${what}.${Math.random().toString(36).slice(2, 8)}`;
const event = (action: string, i = 0) => ({ category: "sdk", action, actor: { id: "svc-1", type: "service" }, target: { id: `doc-${i}`, type: "document" }, metadata: { i } });

/** A TCP proxy in front of the gateway that counts IngestEvents requests and can drop answers. */
interface Proxy {
  url: string;
  ingestRequests: number;
  /** Answers to IngestEvents still to drop: the connection is cut when the answer starts, after the server stored the batch. */
  dropAnswers: number;
  /** Answers to IngestEvents still to hold back for good (the connection stays open): the client's deadline passes. */
  stallAnswers: number;
  close(): Promise<void>;
}

async function proxy(): Promise<Proxy> {
  const target = new URL(stack.gatewayUrl);
  const sockets = new Set<net.Socket>();
  const server = net.createServer((downstream) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    let dropNextAnswer = false;
    let stalled = false;
    for (const s of [downstream, upstream]) {
      sockets.add(s);
      s.on("error", () => undefined);
      s.on("close", () => {
        sockets.delete(s);
        downstream.destroy();
        upstream.destroy();
      });
    }
    downstream.on("data", (chunk: Buffer) => {
      const ingests = chunk.toString("latin1").split("/hyrelog.api.v1.EventService/IngestEvents").length - 1;
      state.ingestRequests += ingests;
      if (ingests > 0 && state.dropAnswers > 0) {
        state.dropAnswers--;
        dropNextAnswer = true;
      } else if (ingests > 0 && state.stallAnswers > 0) {
        state.stallAnswers--;
        stalled = true;
      }
      upstream.write(chunk);
    });
    upstream.on("data", (chunk: Buffer) => {
      if (dropNextAnswer) return downstream.destroy();
      if (!stalled) downstream.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const state: Proxy = {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    ingestRequests: 0,
    dropAnswers: 0,
    stallAnswers: 0,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  proxies.push(state);
  return state;
}

/** A TCP proxy in front of the gateway whose open connections can all be cut at once, as a network failure does. */
async function cuttable(): Promise<{ url: string; connections: number; cut(): void; close(): Promise<void> }> {
  const target = new URL(stack.gatewayUrl);
  const sockets = new Set<net.Socket>();
  const server = net.createServer((downstream) => {
    state.connections++;
    const upstream = net.connect(Number(target.port), target.hostname);
    for (const s of [downstream, upstream]) {
      sockets.add(s);
      s.on("error", () => undefined);
      s.on("close", () => {
        sockets.delete(s);
        downstream.destroy();
        upstream.destroy();
      });
    }
    downstream.pipe(upstream);
    upstream.pipe(downstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const state = {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    connections: 0,
    cut: () => {
      for (const s of sockets) s.destroy();
    },
    close: async () => {
      state.cut();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  proxies.push(state);
  return state;
}

/** Whether a promise is still pending after the event loop had a moment. */
async function isPending(p: Promise<unknown>): Promise<boolean> {
  const marker = Symbol();
  const winner = await Promise.race([p.then(() => null, () => null), new Promise((r) => setTimeout(() => r(marker), 50))]);
  return winner === marker;
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error("expected a rejection");
}

describe("the quickstart example", () => {
  it("records a batch, lists it back and verifies an inclusion proof against the stack", async () => {
    const { stdout } = await run(process.execPath, [path.join(ROOT, "sdks/typescript/examples/quickstart.ts")], {
      env: { PATH: process.env.PATH, HYRELOG_URL: stack.gatewayUrl, HYRELOG_API_KEY: company.workspaceKey },
      timeout: 60_000,
    });
    const summary = JSON.parse(stdout.trim().split("\n").at(-1)!);
    expect(summary).toMatchObject({ recorded: 3, listed: 3, keysPinned: false });
    expect(summary.treeSize).toBeGreaterThanOrEqual(1);
    const stored = await stack.api(company.workspaceKey, "GET", `/v1/events/${summary.proved}`);
    expect(stored.status).toBe(200);
  });
});

describe("batching", () => {
  it("sends a batch as soon as maxBatchSize events wait, and the rest on flush()", async () => {
    const p = await proxy();
    const log = client({ baseUrl: p.url, maxBatchSize: 5, flushIntervalMs: 60_000 });
    const action = uniqueAction("size");
    const records = Array.from({ length: 12 }, (_, i) => log.record(event(action, i)));
    const firstTen = await Promise.all(records.slice(0, 10));
    expect(p.ingestRequests).toBe(2);
    expect(await isPending(records[10]!)).toBe(true);
    expect(log.pending).toBe(2);
    await log.flush();
    const all = await Promise.all(records);
    expect(p.ingestRequests).toBe(3);
    expect(log.pending).toBe(0);
    // Stored once each, in the order recorded.
    expect(new Set(all.map((r) => r.id)).size).toBe(12);
    expect(all.map((r) => r.sequence)).toEqual(all.map((_, i) => all[0]!.sequence + i));
    expect(firstTen.every((r) => !r.duplicate && r.hash.length === 64 && r.receivedAt instanceof Date)).toBe(true);
  });

  it("sends what waits after flushIntervalMs, in one request", async () => {
    const p = await proxy();
    const log = client({ baseUrl: p.url, maxBatchSize: 1000, flushIntervalMs: 300 });
    const action = uniqueAction("interval");
    const started = performance.now();
    const records = [0, 1, 2, 3].map((i) => log.record(event(action, i)));
    expect(await isPending(records[0]!)).toBe(true);
    expect(p.ingestRequests).toBe(0);
    await Promise.all(records);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(p.ingestRequests).toBe(1);
  });

  it("refuses a record when maxQueueSize events wait, and takes them again once they are sent", async () => {
    const log = client({ maxQueueSize: 2, flushIntervalMs: 60_000 });
    const action = uniqueAction("full");
    const waiting = [log.record(event(action)), log.record(event(action))];
    const err = await rejection(log.record(event(action)));
    expect(err).toBeInstanceOf(QueueFullError);
    expect((err as QueueFullError).code).toBe(Code.ResourceExhausted);
    await log.flush();
    await Promise.all(waiting);
    const again = log.record(event(action));
    await log.flush();
    expect((await again).duplicate).toBe(false);
  });

  it("refuses records after close(), having sent what was queued", async () => {
    const log = client({ flushIntervalMs: 60_000 });
    const queued = log.record(event(uniqueAction("close")));
    await log.close();
    expect((await queued).id).toBeTruthy();
    expect(((await rejection(log.record(event("x.y")))) as HyreLogError).code).toBe(Code.FailedPrecondition);
  });

  it("checks its options once, reporting every problem", () => {
    expect(() => new HyreLog({ baseUrl: "nope", apiKey: "secret", maxBatchSize: 5000 })).toThrow(/baseUrl.*apiKey.*maxBatchSize/);
  });
});

describe("retries", () => {
  it("sends a batch whose answer was lost again with the same idempotency keys: each event is stored once", async () => {
    const p = await proxy();
    p.dropAnswers = 1;
    const log = client({ baseUrl: p.url, flushIntervalMs: 60_000, retry: { initialDelayMs: 10 } });
    const action = uniqueAction("retry");
    const records = [0, 1, 2].map((i) => log.record({ ...event(action, i), idempotencyKey: i === 0 ? `mine-${action}` : undefined }));
    await log.flush();
    const results = await Promise.all(records);
    expect(p.ingestRequests).toBe(2);
    // The first attempt stored the events; the retry found them by their keys.
    expect(results.every((r) => r.duplicate)).toBe(true);
    expect(results[0]!.idempotencyKey).toBe(`mine-${action}`);
    const listed = [];
    for await (const e of log.events.list({ action })) listed.push(e);
    expect(listed.map((e) => e.id).sort()).toEqual(results.map((r) => r.id).sort());
    expect(listed.map((e) => e.idempotencyKey).sort()).toEqual(results.map((r) => r.idempotencyKey).sort());
  });

  it("retries an attempt past its deadline with the same keys", async () => {
    const p = await proxy();
    p.stallAnswers = 1;
    const log = client({ baseUrl: p.url, flushIntervalMs: 0, timeoutMs: 1000, retry: { initialDelayMs: 10 } });
    const action = uniqueAction("deadline");
    const [a, b] = await Promise.all([log.record(event(action, 0)), log.record(event(action, 1))]);
    expect(p.ingestRequests).toBe(2);
    expect([a!.duplicate, b!.duplicate]).toEqual([true, true]);
    const listed = [];
    for await (const e of log.events.list({ action })) listed.push(e.id);
    expect(listed.sort()).toEqual([a!.id, b!.id].sort());
  });

  it("over gRPC, retries a batch and a read whose connection closed before the call ended (CANCELED from connect-node): the batch is stored once", async () => {
    // Each proxy closes the client's connection (a FIN, no reset) right after passing the server's
    // first message on, before the call's trailers: connect-node ends the call CANCELED, as when a
    // connection drops, though the caller cancelled nothing.
    const cutAfterAnswer = async () => {
      const proxy = await h2Proxy(new URL(stack.gatewayUrl));
      proxies.push(proxy);
      proxy.cutAfterMessages = 1;
      return proxy;
    };
    const batchProxy = await cutAfterAnswer();
    const log = client({ baseUrl: `http://${batchProxy.address}`, transport: "grpc", flushIntervalMs: 60_000, retry: { initialDelayMs: 10 } });
    const action = uniqueAction("grpc-cut");
    const records = [0, 1].map((i) => log.record(event(action, i)));
    await log.flush();
    const stored = await Promise.all(records);
    expect(batchProxy.cuts).toBe(1);
    expect(batchProxy.requests).toBe(2);
    expect(batchProxy.connections).toBe(2);
    // The retry carried the same idempotency keys: the server found the stored events.
    expect(stored.map((r) => r.duplicate)).toEqual([true, true]);
    const listed = [];
    for await (const e of client().events.list({ action })) listed.push(e.id);
    expect(listed.sort()).toEqual(stored.map((r) => r.id).sort());

    const readProxy = await cutAfterAnswer();
    const reader = client({ baseUrl: `http://${readProxy.address}`, transport: "grpc", retry: { initialDelayMs: 10 } });
    expect((await reader.events.get(stored[0]!.id)).id).toBe(stored[0]!.id);
    expect(readProxy.cuts).toBe(1);
    expect(readProxy.requests).toBe(2);
  });

  it("close() cancels a call in flight at once, without retrying it (CANCELED, one attempt), over gRPC and Connect", async () => {
    // A server that takes connections and never answers: the call is in flight until cancelled.
    const held = new Set<net.Socket>();
    const silent = net.createServer((socket) => held.add(socket.on("error", () => undefined)));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    proxies.push({
      close: async () => {
        for (const s of held) s.destroy();
        await new Promise((resolve) => silent.close(resolve));
      },
    });
    for (const transport of ["grpc", "connect"] as const) {
      const log = client({ baseUrl: `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}`, transport, timeoutMs: 60_000, retry: { initialDelayMs: 10 } });
      const reading = rejection(log.events.get("0190f0c0-0000-7000-8000-000000000000"));
      await new Promise((r) => setTimeout(r, 200));
      const started = Date.now();
      await log.close();
      const err = (await reading) as HyreLogError;
      expect(err, transport).toBeInstanceOf(HyreLogError);
      expect(err.code, transport).toBe(Code.Canceled);
      expect(err.attempts, transport).toBe(1);
      expect(Date.now() - started).toBeLessThan(1000);
    }
  });

  it("tells transient failures from answers", () => {
    const reset = Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
    for (const code of [Code.Unavailable, Code.ResourceExhausted, Code.DeadlineExceeded]) expect(isRetryable(new ConnectError("x", code))).toBe(true);
    for (const code of [Code.InvalidArgument, Code.PermissionDenied, Code.NotFound, Code.FailedPrecondition, Code.Internal, Code.Canceled]) {
      expect(isRetryable(new ConnectError("x", code))).toBe(false);
    }
    expect(isRetryable(new ConnectError("socket hang up", Code.Aborted, undefined, undefined, reset))).toBe(true);
    expect(isRetryable(reset)).toBe(true);
  });

  it("gives up on a gateway that cannot be reached after maxAttempts, with UNAVAILABLE", async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const log = client({ baseUrl: `http://127.0.0.1:${port}`, flushIntervalMs: 0, retry: { maxAttempts: 3, initialDelayMs: 5 } });
    const err = (await rejection(log.record(event("sdk.unreachable")))) as HyreLogError;
    expect(err).toBeInstanceOf(HyreLogError);
    expect(err.code).toBe(Code.Unavailable);
    expect(err.attempts).toBe(3);
  });

  it("never retries invalid input: the invalid event fails with its violations, the others of its batch are stored", async () => {
    const p = await proxy();
    const log = client({ baseUrl: p.url, flushIntervalMs: 60_000 });
    const action = uniqueAction("invalid");
    const good = [log.record(event(action, 0)), log.record(event(action, 2))];
    const bad = log.record({ ...event(action, 1), action: "" });
    const lonely = client({ baseUrl: p.url, flushIntervalMs: 60_000 });
    await log.flush();
    const err = (await rejection(bad)) as HyreLogError;
    expect(err.code).toBe(Code.InvalidArgument);
    expect(err.violations.map((v) => v.field)).toEqual(["action"]);
    expect(err.attempts).toBe(1);
    expect((await Promise.all(good)).every((r) => r.id && !r.duplicate)).toBe(true);
    expect(p.ingestRequests).toBe(2); // the refused batch, then the two valid events

    const alone = lonely.record({ ...event(action), category: "" });
    await lonely.flush();
    expect(((await rejection(alone)) as HyreLogError).violations[0]?.field).toBe("category");
    expect(p.ingestRequests).toBe(3);
  });
});

describe("reading", () => {
  it("lists every page of a filter, and a resource's history", async () => {
    const log = client({ maxBatchSize: 1000 });
    const action = uniqueAction("pages");
    const records = Array.from({ length: 25 }, (_, i) =>
      log.record({ ...event(action, i), target: { id: `doc-${action}`, type: "document" }, changes: [{ field: "n", old: i === 0 ? undefined : i - 1, new: i }] }),
    );
    await log.flush();
    const stored = await Promise.all(records);

    const pageSizes: number[] = [];
    for await (const page of log.events.list({ action }, { pageSize: 10 }).pages()) pageSizes.push(page.events.length);
    expect(pageSizes).toEqual([10, 10, 5]);
    const ids: string[] = [];
    for await (const e of log.events.list({ action }, { pageSize: 7 })) ids.push(e.id);
    expect(ids).toEqual(stored.map((r) => r.id).reverse()); // newest first, none skipped or repeated

    const one = await log.events.get(stored[3]!.id);
    expect(one.action).toBe(action);
    expect(one.chain?.hash).toBe(stored[3]!.hash);
    expect(((await rejection(log.events.get("0190f0c0-0000-7000-8000-000000000000"))) as HyreLogError).code).toBe(Code.NotFound);
    // The other services of hyrelog.api.v1 are there too, authenticated by the same key.
    expect(Array.isArray((await log.rpc.jobs.listJobs({})).jobs)).toBe(true);

    const versions = [];
    for await (const v of log.events.history("document", `doc-${action}`, { pageSize: 4 })) versions.push(v);
    expect(versions.map((v) => v.version)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(versions.at(-1)!.state).toEqual({ n: 24 });
  });
});

describe("live tail", () => {
  /** Reads `count` events from a tail, then leaves the loop (which closes it). */
  async function take(tail: LiveTail, count: number): Promise<TailedEvent[]> {
    const got: TailedEvent[] = [];
    for await (const t of tail) if (got.push(t) === count) break;
    return got;
  }

  it("resumes from the last token it received after the connection drops mid-stream: every event once, in order", async () => {
    const proxy = await h2Proxy(new URL(stack.gatewayUrl));
    proxies.push(proxy);
    // The opening message is the stream's first, the first event its second: the connection is
    // cut right after that one, so the others come through the tail's own reconnect.
    proxy.cutAfterMessages = 2;
    const action = uniqueAction("tail");
    const tail = await client({ baseUrl: `http://${proxy.address}`, transport: "grpc" }).tail({ action });
    const start = tail.resumeToken;
    expect(start).not.toBe("");
    const writer = client();
    const records = [0, 1, 2].map((i) => writer.record(event(action, i)));
    await writer.flush();
    const stored = await Promise.all(records);

    const got = await take(tail, 3);
    expect(got.map((t) => t.event.id)).toEqual(stored.map((r) => r.id));
    expect(proxy.cuts).toBe(1);
    expect(proxy.connections).toBeGreaterThanOrEqual(2);
    expect(new Set([start, ...got.map((t) => t.resumeToken)]).size).toBe(4);
    expect(tail.resumeToken).toBe(got[2]!.resumeToken);

    // A tail resumed from the first event's token brings the other two, then the next new event: nothing twice.
    const resumed = await client({ transport: "grpc" }).tail({ action }, { resumeToken: got[0]!.resumeToken });
    const reading = take(resumed, 3);
    const fourth = writer.record(event(action, 3));
    await writer.flush();
    expect((await reading).map((t) => t.event.id)).toEqual([...stored.slice(1), await fourth].map((r) => r.id));
  });

  it("over Connect (HTTP/1.1) too: the connection cut between two events, the tail goes on from its token", async () => {
    const proxy = await cuttable();
    const action = uniqueAction("tail-connect");
    const tail = await client({ baseUrl: proxy.url }).tail({ action });
    const writer = client();
    const events = tail[Symbol.asyncIterator]();
    const first = writer.record(event(action, 0));
    await writer.flush();
    expect((await events.next()).value?.event.id).toBe((await first).id);
    // The network fails: every connection through the proxy is gone; then two more events are stored.
    proxy.cut();
    const more = [1, 2].map((i) => writer.record(event(action, i)));
    await writer.flush();
    const next = [(await events.next()).value, (await events.next()).value];
    expect(next.map((t) => t?.event.id)).toEqual((await Promise.all(more)).map((r) => r.id));
    expect(proxy.connections).toBeGreaterThanOrEqual(2);
    tail.close();
  });

  it("waits out RESOURCE_EXHAUSTED (the key's streams all open) and opens once one closes", async () => {
    const log = client({ apiKey: company.companyKey });
    // Every stream the key may have on this gateway (TAIL_MAX_STREAMS_PER_KEY, 10), held open.
    const hold = new AbortController();
    const held: Promise<unknown>[] = [];
    for (let i = 0; i < 10; i++) {
      const stream = log.rpc.events.tailEvents({}, { signal: hold.signal })[Symbol.asyncIterator]();
      await stream.next();
      held.push(stream.next().catch(() => undefined));
    }
    const refused = await rejection((async () => {
      for await (const _ of log.rpc.events.tailEvents({})) break;
    })());
    expect(ConnectError.from(refused).code).toBe(Code.ResourceExhausted);

    const action = uniqueAction("tail-busy");
    const started = Date.now();
    const waiting = log.tail({ action });
    setTimeout(() => hold.abort(), 300);
    const tail = await waiting;
    // It was refused at first, and opened after the server's Retry-After.
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    await Promise.all(held);
    const writer = client();
    const stored = writer.record(event(action));
    await writer.flush();
    expect((await take(tail, 1)).map((t) => t.event.id)).toEqual([(await stored).id]);
  });

  it("fails at once on a token that is no token, and close() ends an iteration in progress", async () => {
    const refused = await rejection(client().tail({}, { resumeToken: "not-a-token" }));
    expect(refused).toBeInstanceOf(HyreLogError);
    expect((refused as HyreLogError).code).toBe(Code.InvalidArgument);

    const tail = await client().tail({ action: uniqueAction("closed") });
    const reading = take(tail, 1);
    setTimeout(() => tail.close(), 100);
    expect(await reading).toEqual([]);
  });
});

describe("analytics and archives", () => {
  it("counts events per day by action from the rollups, and pages through the archives", async () => {
    const log = client();
    const category = uniqueAction("analytics");
    const day = Math.floor(Date.now() / 86_400_000) * 86_400_000 - 86_400_000;
    const occurredAt = new Date(day + 3_600_000);
    await Promise.all([
      log.record({ ...event("report.viewed"), category, occurredAt }),
      log.record({ ...event("report.viewed"), category, occurredAt }),
      log.record({ ...event("report.shared"), category, occurredAt }),
      log.flush(),
    ]);
    const query = { category, from: new Date(day), to: new Date(day + 86_400_000), groupBy: "action" as const };
    let counts = await log.analytics.countEvents(query);
    for (let i = 0; i < 100 && counts.pendingEvents > 0n; i++) {
      await new Promise((r) => setTimeout(r, 100));
      counts = await log.analytics.countEvents(query);
    }
    expect(counts.total).toBe(3n);
    expect(counts.groups.map((g) => [g.key, Number(g.count)])).toEqual([
      ["report.viewed", 2],
      ["report.shared", 1],
    ]);
    expect(counts.buckets).toHaveLength(1);
    await expect(log.analytics.countEvents({ interval: "week" as "day" })).rejects.toThrow(/interval/);
    const refused = (await rejection(log.analytics.countEvents({ ...query, limit: 500 }))) as HyreLogError;
    expect(refused.code).toBe(Code.InvalidArgument);
    expect(refused.violations.map((v) => v.field)).toEqual(["limit"]);

    // Nothing is past hot retention here (tests/api/public-grpc.test.ts archives some).
    const archives = [];
    for await (const a of log.archives.list({ pageSize: 10 })) archives.push(a);
    expect(archives).toEqual([]);
    expect(((await rejection(log.archives.get("0190f0c0-0000-7000-8000-000000000000"))) as HyreLogError).code).toBe(Code.NotFound);
  });
});

describe("verification", () => {
  let log: HyreLog;
  let stored: RecordResult[];
  let keys: string[];

  beforeAll(async () => {
    log = client({ flushIntervalMs: 0 });
    const action = uniqueAction("proof");
    stored = await Promise.all([0, 1, 2, 3, 4].map((i) => log.record(event(action, i))));
    keys = (await log.rpc.verification.listSigningKeys({})).keys.map((k) => k.verifierKey);
  });

  it("proves an event with pinned keys, over Connect and over gRPC", async () => {
    const proved = await log.proveEvent(stored[2]!.id, { trustedKeys: keys });
    expect(proved).toMatchObject({ eventId: stored[2]!.id, leafIndex: stored[2]!.sequence - 1, leaf: stored[2]!.hash, keysPinned: true });
    expect(proved.checkpoint.treeSize).toBeGreaterThanOrEqual(stored[2]!.sequence);
    expect(proved.checkpoint.logId).toBe(company.workspaceId);
    expect(proved.checkpoint.origin).toBe(`hyrelog.us/${company.workspaceId}`);

    const grpc = client({ transport: "grpc", trustedKeys: keys });
    const overGrpc = await grpc.proveEvent(stored[4]!.id);
    expect(overGrpc).toMatchObject({ leaf: stored[4]!.hash, keysPinned: true });
    const [recorded] = await Promise.all([grpc.record(event(uniqueAction("grpc"))), grpc.flush()]);
    expect((await grpc.events.get(recorded.id)).id).toBe(recorded.id);
  });

  it("rejects a tampered proof, leaf, position, note, a foreign log and an untrusted key", async () => {
    await log.proveEvent(stored[1]!.id, { trustedKeys: keys }); // waits for a covering checkpoint
    const proof = await log.rpc.verification.getInclusionProof({ eventId: stored[1]!.id });
    expect(proof.proof.length).toBeGreaterThan(0);
    const note = proof.checkpoint!.signedNote;
    expect(verifyProof(proof, undefined, keys).leafIndex).toBe(stored[1]!.sequence - 1);
    expect(verifyCheckpoint(note, keys)).toMatchObject({ treeSize: Number(proof.treeSize), rootHash: proof.rootHash, logId: company.workspaceId });

    const flip = (hex: string) => (hex[0] === "0" ? "1" : "0") + hex.slice(1);
    const code = (f: () => unknown): string => {
      try {
        f();
      } catch (err) {
        expect(err).toBeInstanceOf(VerificationError);
        return (err as VerificationError).code;
      }
      return "accepted";
    };
    expect(code(() => verifyProof({ ...proof, proof: [flip(proof.proof[0]!), ...proof.proof.slice(1)] }, undefined, keys))).toBe("bad_proof");
    expect(code(() => verifyProof({ ...proof, proof: proof.proof.slice(1) }, undefined, keys))).toBe("bad_proof");
    expect(code(() => verifyProof({ ...proof, leaf: flip(proof.leaf) }, undefined, keys))).toBe("bad_proof");
    expect(code(() => verifyProof({ ...proof, leaf: stored[0]!.hash }, undefined, keys))).toBe("bad_proof");
    expect(code(() => verifyProof({ ...proof, leafIndex: proof.leafIndex + 1n }, undefined, keys))).toBe("bad_proof");
    expect(code(() => verifyProof({ ...proof, treeSize: proof.treeSize + 1n }, undefined, keys))).toBe("checkpoint_mismatch");
    expect(code(() => verifyProof({ ...proof, rootHash: flip(proof.rootHash) }, undefined, keys))).toBe("checkpoint_mismatch");
    expect(code(() => verifyProof({ ...proof, checkpoint: undefined }, undefined, keys))).toBe("no_checkpoint");

    // The note: another root (re-encoded, well formed), another size, a forged signature.
    const [origin, size, root, ...rest] = note.split("\n");
    const otherRoot = Buffer.from(flip(Buffer.from(root!, "base64").toString("hex")), "hex").toString("base64");
    expect(code(() => verifyProof(proof, [origin, size, otherRoot, ...rest].join("\n"), keys))).toBe("bad_signature");
    expect(code(() => verifyCheckpoint([origin, String(Number(size) + 1), root, ...rest].join("\n"), keys))).toBe("bad_signature");
    expect(code(() => verifyCheckpoint(note.replace(/ (\S{20})\S{4}/, " $1AAAA"), keys))).toMatch(/bad_signature|malformed_note/);
    expect(code(() => verifyCheckpoint(note, [generateSigningKey("hyrelog.us").verifierKey]))).toBe("unknown_key");
    expect(code(() => verifyCheckpoint(note, keys, { logId: company.projectId }))).toBe("wrong_origin");
    expect(code(() => verifyProof({ ...proof, logId: company.companyId }, undefined, keys))).toBe("wrong_origin");
    await expect(log.proveEvent(stored[1]!.id, { trustedKeys: [generateSigningKey("hyrelog.us").verifierKey] })).rejects.toMatchObject({ code: "unknown_key" });
  });

  it("proves that the log only grew between two checkpoints, and rejects a tampered proof and a forged history", async () => {
    await log.proveEvent(stored[4]!.id, { trustedKeys: keys }); // a checkpoint covers the first events
    const older = (await log.rpc.verification.getLatestCheckpoint({})).checkpoint!;
    const more = await Promise.all([0, 1, 2].map((i) => log.record(event(uniqueAction("grow"), i))));
    await log.proveEvent(more[2]!.id, { trustedKeys: keys }); // and a newer one the new events

    const grown = await log.proveConsistency(older, { trustedKeys: keys });
    expect(grown).toMatchObject({ logId: company.workspaceId, keysPinned: true, older: { treeSize: Number(older.treeSize), rootHash: older.rootHash } });
    expect(grown.newer.treeSize).toBeGreaterThanOrEqual(more[2]!.sequence);
    expect(verifyCheckpoint(grown.newerNote, keys)).toEqual(grown.newer);
    // The same checkpoint twice: an empty proof; keys from the server when none are pinned.
    expect(await log.proveConsistency(older, { newer: older })).toMatchObject({ keysPinned: false, newer: { treeSize: Number(older.treeSize) } });

    const proof = await log.rpc.verification.getConsistencyProof({ fromTreeSize: older.treeSize, toTreeSize: BigInt(grown.newer.treeSize) });
    expect(proof.proof.length).toBeGreaterThan(0);
    expect(verifyConsistencyProof(proof, older, grown.newerNote, keys)).toEqual({ logId: company.workspaceId, older: grown.older, newer: grown.newer });

    const flip = (hex: string) => (hex[0] === "0" ? "1" : "0") + hex.slice(1);
    const code = (f: () => unknown): string => {
      try {
        f();
      } catch (err) {
        expect(err).toBeInstanceOf(VerificationError);
        return (err as VerificationError).code;
      }
      return "accepted";
    };
    const check = (p: typeof proof, from: string | { signedNote: string } = older, to: string = grown.newerNote, trusted: string[] = keys) =>
      code(() => verifyConsistencyProof(p, from, to, trusted));
    // The proof's hashes: changed, one left out, one added, in another order.
    expect(check({ ...proof, proof: [flip(proof.proof[0]!), ...proof.proof.slice(1)] })).toBe("bad_proof");
    expect(check({ ...proof, proof: [...proof.proof.slice(0, -1), flip(proof.proof.at(-1)!)] })).toBe("bad_proof");
    expect(check({ ...proof, proof: proof.proof.slice(1) })).toBe("bad_proof");
    expect(check({ ...proof, proof: [...proof.proof, proof.proof[0]!] })).toBe("bad_proof");
    if (proof.proof.length > 1) expect(check({ ...proof, proof: [...proof.proof].reverse() })).toBe("bad_proof");
    // Sizes and unsigned roots that are not the signed ones; the checkpoints the wrong way round.
    expect(check({ ...proof, fromTreeSize: proof.fromTreeSize - 1n })).toBe("checkpoint_mismatch");
    expect(check({ ...proof, toTreeSize: proof.toTreeSize + 1n })).toBe("checkpoint_mismatch");
    expect(check({ ...proof, fromRootHash: flip(proof.fromRootHash) })).toBe("checkpoint_mismatch");
    expect(check({ ...proof, toRootHash: flip(proof.toRootHash) })).toBe("checkpoint_mismatch");
    expect(check({ ...proof, fromTreeSize: proof.toTreeSize, toTreeSize: proof.fromTreeSize }, grown.newerNote, older.signedNote)).toBe("checkpoint_mismatch");
    // Notes: edited after signing, signed by no trusted key, of another log.
    const [origin, size, root, ...rest] = older.signedNote.split("\n");
    const otherRoot = Buffer.from(flip(Buffer.from(root!, "base64").toString("hex")), "hex").toString("base64");
    expect(check(proof, [origin, size, otherRoot, ...rest].join("\n"))).toBe("bad_signature");
    expect(check(proof, older, grown.newerNote, [generateSigningKey("hyrelog.us").verifierKey])).toBe("unknown_key");
    expect(check({ ...proof, logId: company.companyId })).toBe("wrong_origin");

    // A forged history: checkpoints of this log, well signed by a key the verifier trusts (a
    // stolen key, say), whose roots are not those of the log's history. No proof joins them to the
    // real ones (the proof's unsigned roots left out, so only its hashes decide).
    const forger = generateSigningKey("hyrelog.us");
    const trusted = [...keys, forger.verifierKey];
    const forge = (treeSize: number, rootHash: string) => signCheckpoint(formatCheckpoint({ origin: `hyrelog.us/${company.workspaceId}`, treeSize, rootHash }), forger);
    const forgedNewer = forge(grown.newer.treeSize, flip(grown.newer.rootHash));
    const forgedOlder = forge(grown.older.treeSize, flip(grown.older.rootHash));
    expect(check({ ...proof, toRootHash: "" }, older, forgedNewer, trusted)).toBe("bad_proof");
    expect(check({ ...proof, fromRootHash: "" }, forgedOlder, grown.newerNote, trusted)).toBe("bad_proof");
    // proveConsistency: the server's roots (beside its proof) are not the forged ones.
    await expect(log.proveConsistency(older, { newer: forgedNewer, trustedKeys: trusted })).rejects.toMatchObject({ code: "checkpoint_mismatch" });
    await expect(log.proveConsistency(forgedOlder, { trustedKeys: trusted })).rejects.toMatchObject({ code: "checkpoint_mismatch" });
    // A checkpoint of another log signed by a trusted key is not this log's.
    expect(check(proof, older, signCheckpoint(formatCheckpoint({ origin: `hyrelog.us/${company.projectId}`, treeSize: grown.newer.treeSize, rootHash: grown.newer.rootHash }), forger), trusted)).toBe("wrong_origin");
  });
});
