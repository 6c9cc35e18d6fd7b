/**
 * Live tail (issue 14): GET /v1/events/stream, Server-Sent Events through the gateway from the
 * region's query service (hyrelog.query.v1.TailService over the event stream).
 *
 * Events stored after connecting arrive, each exactly as GET /v1/events/:id shows it (personal
 * data opened); the list filters; workspace and company scope; no other company's events ever;
 * Last-Event-ID (and ?lastEventId=) resume with no gap and no repeat, also across a gateway
 * restart; an event the outbox published twice is shown once; heartbeats; the per-key connection
 * limit; a slow client dropped with a resumable id; bad input refused with 400 naming it; a resume
 * point the stream no longer holds refused with 409.
 */
import http from "node:http";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { connectBus, eventsStreamName, expectApiError, TestStack, type Bus } from "@hyrelog/testing";
import { dash } from "../dashboard/helpers.ts";
import { SseClient } from "./sse.ts";

type SeededCompany = Awaited<ReturnType<TestStack["seedCompany"]>>;

let stack: TestStack;
let A: SeededCompany;
let B: SeededCompany;
/** A second workspace of A, with its own key. */
let ws2: { id: string; key: string };
let bus: Bus;
const MAX_STREAMS = 4;

beforeAll(async () => {
  stack = await TestStack.start({
    infra: inject("infra"),
    regions: ["us"],
    plan: "GROWTH",
    env: {
      RATE_LIMIT_PER_KEY_PER_MINUTE: "100000",
      RATE_LIMIT_PER_IP_PER_MINUTE: "100000",
      RATE_LIMIT_KEY_MANAGEMENT_PER_MINUTE: "1000",
      TAIL_HEARTBEAT_MS: "300",
      TAIL_MAX_STREAMS_PER_KEY: String(MAX_STREAMS),
      TAIL_MAX_BUFFERED_BYTES: "65536",
    },
  });
  A = stack.companies.us!;
  B = await stack.seedCompany("us", "GROWTH", "Tail B");
  const created = await dash(stack, { role: "ADMIN", companyId: A.companyId }, "POST", "/dashboard/workspaces", { name: "Staging" });
  expect(created.status, created.text).toBe(201);
  const key = await stack.api(A.companyKey, "POST", `/v1/workspaces/${created.body.workspace.id}/keys`, { name: "staging" });
  expect(key.status, key.text).toBe(201);
  ws2 = { id: created.body.workspace.id, key: key.body.secret };
  bus = await connectBus({ url: inject("infra").natsUrl, prefix: stack.natsPrefix, region: "us", name: "live-tail-test" });
}, 60_000);

afterAll(async () => {
  await bus?.close();
  await stack?.stop();
});

const open: SseClient[] = [];
const tail = async (key: string, query = "", headers: Record<string, string> = {}) => {
  const c = await SseClient.open(`${stack.gatewayUrl}/v1/events/stream${query}`, key, headers);
  open.push(c);
  return c;
};
const closeAll = async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
};

let n = 0;
const ev = (extra: Record<string, unknown> = {}) => ({
  category: "doc",
  action: "doc.read",
  actor: { id: "u_1", type: "user", email: "Jane@Acme.test", name: "Jane Roe" },
  target: { id: `doc_${++n}`, type: "doc", name: "Plan" },
  metadata: { n },
  ...extra,
});

async function ingest(key: string, events: unknown[]): Promise<string[]> {
  const res = await stack.api(key, "POST", "/v1/events", { events });
  expect(res.status, res.text).toBe(201);
  return res.body.results.map((r: { id: string }) => r.id);
}

/** A connected stream: its first message is `ready`, whose id is where it starts. */
async function ready(c: SseClient): Promise<string> {
  expect(c.status, JSON.stringify(c.error)).toBe(200);
  await c.until("ready", (x) => x.messages.length > 0);
  expect(c.messages[0]!.event).toBe("ready");
  return c.messages[0]!.id;
}

describe("GET /v1/events/stream", () => {
  it("sends events stored after connecting, each exactly as GET /v1/events/:id shows it, with personal data opened", async () => {
    const c = await tail(A.workspaceKey);
    expect(c.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(c.headers.get("cache-control")).toContain("no-cache");
    const start = await ready(c);
    expect(start).toMatch(/^1\.us\.[0-9a-z]+\.\d+\.0$/);
    const ids = await ingest(A.workspaceKey, [ev(), ev({ action: "doc.shared" }), ev()]);
    await c.until("three events", (x) => x.events().length >= 3);
    expect(c.events().map((e) => e.id)).toEqual(ids);
    for (const e of c.events()) {
      const one = await stack.api(A.workspaceKey, "GET", `/v1/events/${e.id}`);
      expect(e).toEqual(one.body);
    }
    expect(c.events()[0].actor.email).toBe("Jane@Acme.test");
    expect(c.events()[0].v).toBe(2);
    // Ids are resume tokens, strictly increasing positions.
    const tokens = c.messages.filter((m) => m.event === "event").map((m) => m.id);
    expect(new Set(tokens).size).toBe(3);
    await closeAll();
  });

  it("applies the list filters (category, action, actorId, actorEmail of sealed events, targetType, projectId, from)", async () => {
    const byAction = await tail(A.workspaceKey, "?action=doc.shared");
    const byEmail = await tail(A.companyKey, `?actorEmail=${encodeURIComponent("jane@acme.test")}&workspaceId=${A.workspaceId}`);
    const byProject = await tail(A.workspaceKey, `?projectId=${A.projectId}&category=doc&targetType=doc`);
    const byActorAndFrom = await tail(A.workspaceKey, `?actorId=u_2&from=2020-01-01T00:00:00Z`);
    for (const c of open) await ready(c);
    const ids = await ingest(A.workspaceKey, [
      ev({ action: "doc.shared" }),
      ev({ actor: { id: "u_2", email: "other@acme.test" } }),
      ev({ projectId: A.projectId }),
      ev({ actor: { id: "u_2" }, occurredAt: "2019-06-01T00:00:00Z" }),
      ev({ category: "user", projectId: A.projectId }),
    ]);
    // One run, one stream message: once one stream has its events, every stream has seen the message.
    await byEmail.until("Jane's events", (x) => x.events().length >= 3);
    await byAction.until("doc.shared", (x) => x.events().length >= 1);
    await byProject.until("the project's doc event", (x) => x.events().length >= 1);
    await byActorAndFrom.until("u_2's recent event", (x) => x.events().length >= 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(byAction.events().map((e) => e.id)).toEqual([ids[0]]);
    // By the blind index, as GET /v1/events finds sealed events: the case of the email does not matter.
    expect(byEmail.events().map((e) => e.id)).toEqual([ids[0], ids[2], ids[4]]);
    expect(byProject.events().map((e) => e.id)).toEqual([ids[2]]);
    expect(byActorAndFrom.events().map((e) => e.id)).toEqual([ids[1]]);
    // The same filters on GET /v1/events give the same events.
    const listed = await stack.api(A.companyKey, "GET", `/v1/events?actorEmail=${encodeURIComponent("jane@acme.test")}&workspaceId=${A.workspaceId}&limit=3`);
    expect(listed.body.data.map((e: { id: string }) => e.id).reverse()).toEqual([ids[0], ids[2], ids[4]]);
    await closeAll();
  });

  it("a batch opened in several slices reaches a broad stream whole and in order, and a narrow one (its few events opened first) too", async () => {
    const broad = await tail(A.workspaceKey);
    const narrow = await tail(A.workspaceKey, "?action=doc.flagged");
    await ready(broad);
    await ready(narrow);
    // 600 events, one run (two stream messages of up to 512 KB): in each, the narrow stream's events
    // are opened first and the rest in slices of 250, which the broad stream gets one by one.
    const flagged = new Set([3, 301, 598]);
    const ids = await ingest(A.workspaceKey, Array.from({ length: 600 }, (_, i) => ev(flagged.has(i) ? { action: "doc.flagged" } : {})));
    await broad.until("the whole batch", (x) => x.events().length >= 600);
    await narrow.until("the three flagged", (x) => x.events().length >= 3);
    await new Promise((r) => setTimeout(r, 300));
    expect(broad.events().map((e) => e.id)).toEqual(ids);
    expect(narrow.events().map((e) => e.id)).toEqual([...flagged].map((i) => ids[i]));
    // Positions (stream sequence, offset) strictly increase (a resume from any of them repeats nothing).
    const positions = broad.messages.filter((m) => m.event === "event").map((m) => m.id.split(".").slice(-2).map(Number) as [number, number]);
    const increasing = positions.every((p, i) => i === 0 || p[0] > positions[i - 1]![0] || (p[0] === positions[i - 1]![0] && p[1] > positions[i - 1]![1]));
    expect(positions.length).toBe(600);
    expect(increasing).toBe(true);
    await closeAll();
  });

  it("scope: a workspace key sees its workspace only; a company key the whole company, its own log included, or one workspace", async () => {
    const ws1 = await tail(A.workspaceKey);
    const wsOther = await tail(ws2.key);
    const company = await tail(A.companyKey);
    const companyWs2 = await tail(A.companyKey, `?workspaceId=${ws2.id}`);
    for (const c of open) await ready(c);
    const [e1] = await ingest(A.workspaceKey, [ev()]);
    const [e2] = await ingest(ws2.key, [ev()]);
    // A company-level event: a dashboard change is recorded in the company's own log.
    const renamed = await dash(stack, { role: "ADMIN", companyId: A.companyId }, "POST", `/dashboard/workspaces/${ws2.id}/rename`, { name: "Staging 2" });
    expect(renamed.status, renamed.text).toBe(200);
    await company.until("three events", (x) => x.events().length >= 3);
    await companyWs2.until("ws2's event", (x) => x.events().length >= 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(ws1.events().map((e) => e.id)).toEqual([e1]);
    expect(wsOther.events().map((e) => e.id)).toEqual([e2]);
    expect(companyWs2.events().map((e) => e.id)).toEqual([e2]);
    const all = company.events();
    expect(all.slice(0, 2).map((e) => e.id)).toEqual([e1, e2]);
    expect(all[2].workspaceId).toBeNull();
    expect(all[2].companyId).toBe(A.companyId);
    await closeAll();
  });

  it("never shows another company's events, and another company's ids are refused like GET /v1/events refuses them", async () => {
    const b = await tail(B.companyKey);
    const bWs = await tail(B.workspaceKey);
    for (const c of open) await ready(c);
    await ingest(A.workspaceKey, [ev(), ev()]);
    const [mine] = await ingest(B.workspaceKey, [ev()]);
    await b.until("B's event", (x) => x.events().length >= 1);
    await bWs.until("B's event", (x) => x.events().length >= 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(b.events().map((e) => e.id)).toEqual([mine]);
    expect(bWs.events().map((e) => e.id)).toEqual([mine]);
    expect(b.events().every((e) => e.companyId === B.companyId)).toBe(true);
    await closeAll();
    const foreignWs = await tail(B.companyKey, `?workspaceId=${A.workspaceId}`);
    expect(foreignWs.status).toBe(404);
    expect(foreignWs.error.error.code).toBe("not_found");
    const otherWs = await tail(B.workspaceKey, `?workspaceId=${A.workspaceId}`);
    expect(otherWs.status).toBe(403);
    const foreignProject = await tail(B.companyKey, `?projectId=${A.projectId}`);
    expect(foreignProject.status).toBe(404);
    // A's resume token opens nothing of A's for B: positions are not permissions.
    const a = await tail(A.workspaceKey);
    const aStart = await ready(a);
    await ingest(A.workspaceKey, [ev()]);
    await a.until("A's event", (x) => x.events().length >= 1);
    const bResumed = await tail(B.companyKey, "", { "last-event-id": aStart });
    await ready(bResumed);
    await new Promise((r) => setTimeout(r, 500));
    expect(bResumed.events()).toEqual([]);
    await closeAll();
  });

  it("Last-Event-ID resumes right after an event: no gap, no repeat (and ?lastEventId= for a first connection)", async () => {
    const c = await tail(A.workspaceKey);
    await ready(c);
    const first = await ingest(A.workspaceKey, [ev(), ev(), ev()]);
    await c.until("three", (x) => x.events().length >= 3);
    const afterSecond = c.messages.find((m) => m.event === "event" && m.data.id === first[1])!.id;
    await closeAll();
    const later = await ingest(A.workspaceKey, [ev(), ev()]);
    const later2 = await ingest(A.workspaceKey, [ev()]);
    const resumed = await tail(A.workspaceKey, "", { "last-event-id": afterSecond });
    expect(await ready(resumed)).toBe(afterSecond);
    const expected = [first[2], ...later, ...later2];
    await resumed.until("the rest", (x) => x.events().length >= expected.length);
    // Live after the replay, in the same stream.
    const live = await ingest(A.workspaceKey, [ev()]);
    await resumed.until("the live one", (x) => x.events().length >= expected.length + 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(resumed.events().map((e) => e.id)).toEqual([...expected, ...live]);
    // The same through the query parameter; the header wins over it (a browser's reconnect).
    const byParam = await tail(A.workspaceKey, `?lastEventId=${encodeURIComponent(afterSecond)}`);
    await byParam.until("the rest", (x) => x.events().length >= expected.length + 1);
    expect(byParam.events().map((e) => e.id)).toEqual([...expected, ...live]);
    const lastOf = resumed.messages.at(-1)!.id;
    const both = await tail(A.workspaceKey, `?lastEventId=${encodeURIComponent(afterSecond)}`, { "last-event-id": lastOf });
    await ready(both);
    await new Promise((r) => setTimeout(r, 300));
    expect(both.events()).toEqual([]);
    await closeAll();
  });

  it("resumes with no gap and no repeat across a gateway restart", async () => {
    const c = await tail(A.companyKey);
    await ready(c);
    const before = await ingest(A.workspaceKey, [ev(), ev()]);
    await c.until("two", (x) => x.events().length >= 2);
    const restart = stack.restartGateway();
    // The gateway ends open streams when it stops; the client keeps the last id it got.
    await c.until("the end of the stream", (x) => x.ended);
    const lastId = c.lastId;
    const seen = c.events().map((e) => e.id);
    await restart;
    const during = await ingest(A.workspaceKey, [ev(), ev(), ev()]);
    const resumed = await tail(A.companyKey, "", { "last-event-id": lastId });
    await ready(resumed);
    const after = await ingest(A.workspaceKey, [ev()]);
    await resumed.until("everything after", (x) => x.events().length >= during.length + after.length);
    await new Promise((r) => setTimeout(r, 300));
    expect(seen).toEqual(before);
    expect(resumed.events().map((e) => e.id)).toEqual([...during, ...after]);
    await closeAll();
  });

  it("shows an event the outbox published again (a new stream message) once", async () => {
    const c = await tail(A.workspaceKey);
    const start = await ready(c);
    const ids = await ingest(A.workspaceKey, [ev(), ev()]);
    await c.until("two", (x) => x.events().length >= 2);
    // Republish the run as the sweeper would after the duplicate window: same events, another message id.
    const stream = eventsStreamName(stack.natsPrefix, "us");
    const jsm = await bus.js.jetstreamManager();
    const seq = Number(c.messages.at(-1)!.id.split(".")[3]);
    const original = await jsm.streams.getMessage(stream, { seq });
    await bus.publish(original!.subject, original!.data, { msgId: `republished-${seq}` });
    const [third] = await ingest(A.workspaceKey, [ev()]);
    await c.until("the third", (x) => x.events().length >= 3);
    await new Promise((r) => setTimeout(r, 300));
    expect(c.events().map((e) => e.id)).toEqual([...ids, third]);
    // A resume from before both copies replays them once too.
    const resumed = await tail(A.workspaceKey, "", { "last-event-id": start });
    await resumed.until("three", (x) => x.events().length >= 3);
    await new Promise((r) => setTimeout(r, 300));
    expect(resumed.events().map((e) => e.id)).toEqual([...ids, third]);
    await closeAll();
  });

  it("ends a key's streams when the key is revoked (error message with the resume id); reconnecting with it is 401", async () => {
    const made = await stack.api(A.companyKey, "POST", `/v1/workspaces/${A.workspaceId}/keys`, { name: "tail-revoked" });
    expect(made.status, made.text).toBe(201);
    const c = await tail(made.body.secret);
    const start = await ready(c);
    const revoked = await stack.api(A.companyKey, "POST", `/v1/keys/${made.body.key.id}/revoke`, {});
    expect(revoked.status, revoked.text).toBe(200);
    await c.until("the end of the stream", (x) => x.ended, 5_000);
    expect(c.messages.at(-1)).toMatchObject({ event: "error", data: { reason: "key_changed", resumeToken: start } });
    expect((await tail(made.body.secret, "", { "last-event-id": start })).status).toBe(401);
    await closeAll();
  });

  it("sends heartbeats (SSE comments) on an idle stream", async () => {
    const c = await tail(B.workspaceKey);
    await ready(c);
    await c.until("two heartbeats", (x) => x.comments >= 2, 5_000);
    await closeAll();
  });

  it(`limits open streams per key (${MAX_STREAMS}): one more is 429 in the error shape; closing one frees its place`, async () => {
    for (let i = 0; i < MAX_STREAMS; i++) await ready(await tail(B.companyKey));
    const refused = await tail(B.companyKey);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("content-type")).toMatch(/^application\/json/);
    expect(refused.error.error.code).toBe("rate_limited");
    expect(refused.error.error.details).toEqual({ limit: MAX_STREAMS, open: MAX_STREAMS });
    expect(refused.headers.get("retry-after")).toBeTruthy();
    // Another key is not affected.
    await ready(await tail(B.workspaceKey));
    await open[0]!.close();
    const deadline = Date.now() + 5_000;
    let again = await tail(B.companyKey);
    while (again.status === 429 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      again = await tail(B.companyKey);
    }
    await ready(again);
    await closeAll();
  });

  it("drops a client that reads too slowly with a last message carrying the id to resume from; resuming from it loses nothing", async () => {
    // A client that connects and then does not read: the gateway's buffer for it grows past 64 KiB.
    const url = new URL(`${stack.gatewayUrl}/v1/events/stream`);
    const chunks: Buffer[] = [];
    let ended = false;
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      http.get(url, { headers: { authorization: `Bearer ${A.workspaceKey}` } }, resolve).on("error", reject);
    });
    expect(res.statusCode).toBe(200);
    res.pause();
    await new Promise((r) => setTimeout(r, 300));
    // About 8 MB of events: more than the sockets' buffers hold.
    const big = "x".repeat(4000);
    const ids: string[] = [];
    for (let b = 0; b < 10; b++) ids.push(...(await ingest(A.workspaceKey, Array.from({ length: 200 }, () => ev({ metadata: { big } })))));
    await new Promise((r) => setTimeout(r, 1000));
    res.on("data", (c: Buffer) => chunks.push(c));
    res.on("end", () => (ended = true));
    res.resume();
    const deadline = Date.now() + 30_000;
    while (!ended && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(ended).toBe(true);
    const blocks = Buffer.concat(chunks).toString("utf8").split("\n\n").filter(Boolean);
    const parsed = blocks.flatMap((b) => {
      const id = /^id: (.*)$/m.exec(b)?.[1];
      const event = /^event: (.*)$/m.exec(b)?.[1];
      const data = /^data: (.*)$/m.exec(b)?.[1];
      return event && data ? [{ id: id!, event, data: JSON.parse(data) }] : [];
    });
    const last = parsed.at(-1)!;
    expect(last.event).toBe("dropped");
    expect(last.data.reason).toBe("slow_client");
    const got = parsed.filter((m) => m.event === "event");
    expect(got.length).toBeLessThan(ids.length);
    expect(last.id).toBe(got.length ? got.at(-1)!.id : parsed[0]!.id);
    expect(last.data.resumeToken).toBe(last.id);
    // Resuming from the dropped message's id gives exactly the rest.
    const resumed = await tail(A.workspaceKey, "", { "last-event-id": last.id });
    const rest = ids.slice(got.length);
    await resumed.until("the rest", (x) => x.events().length >= rest.length, 30_000);
    expect([...got.map((m) => m.data.id), ...resumed.events().map((e) => e.id)]).toEqual(ids);
    await closeAll();
  }, 90_000);

  it("refuses bad input with 400 naming it: to, limit, cursor, malformed filters and resume tokens", async () => {
    const cases: Array<[string, Record<string, string>, string]> = [
      ["?to=2030-01-01T00:00:00Z", {}, "to"],
      ["?limit=10", {}, "limit"],
      ["?cursor=abc", {}, "cursor"],
      ["?from=yesterday", {}, "from"],
      ["?category=a%00b", {}, "category"],
      ["?acton=x", {}, "acton"],
      ["?projectId=nope", {}, "projectId"],
      ["", { "last-event-id": "nope" }, "lastEventId"],
      ["?lastEventId=1.eu.abc.5.0", {}, "lastEventId"],
      ["", { "last-event-id": "1.us.zzzz.1.0" }, ""],
      ["?lastEventId=1.us.abc.99999999999.0", {}, ""],
    ];
    for (const [query, headers, field] of cases) {
      const res = await stack.api(A.companyKey, "GET", `/v1/events/stream${query}`, undefined, headers);
      if (field) {
        expectApiError(res, 400, "invalid_argument");
        expect(res.body.error.details.violations.map((v: { field: string }) => v.field), query).toContain(field);
      } else {
        expect([400, 409], res.text).toContain(res.status);
      }
    }
    // No key: 401 before anything streams.
    expectApiError(await stack.api(null, "GET", "/v1/events/stream"), 401, "unauthenticated");
  });

  it("refuses a resume point older than the stream keeps with 409: read the gap with GET /v1/events", async () => {
    const c = await tail(A.workspaceKey);
    const start = await ready(c);
    await ingest(A.workspaceKey, [ev()]);
    await c.until("one", (x) => x.events().length >= 1);
    await closeAll();
    // What max_age does after 7 days: the stream's first messages are gone.
    const jsm = await bus.js.jetstreamManager();
    const stream = eventsStreamName(stack.natsPrefix, "us");
    const { state } = await jsm.streams.info(stream);
    await jsm.streams.purge(stream, { seq: state.last_seq + 1 });
    const res = await stack.api(A.workspaceKey, "GET", "/v1/events/stream", undefined, { "last-event-id": start });
    expectApiError(res, 409, "failed_precondition");
    expect(res.body.error.message).toContain("GET /v1/events");
    // Without a token the stream opens as usual.
    await ready(await tail(A.workspaceKey));
    await closeAll();
  });
});
