/**
 * GET /v1/analytics/events (issue 14, docs/analytics.md): event counts per UTC hour or day, by one
 * dimension, answered from rollups the query service keeps after ingest. Counts are right once
 * `pendingEvents` is 0; each dimension and interval; the list's filters (those rollups cannot
 * answer are refused by name); scope (workspace key, company key) and tenant isolation; bad
 * input; wake-ups repeated, outbox runs republished and a restart count nothing twice; events
 * that leave audit_events (hot purge) stay counted.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { connectBus, eventSubject, expectApiError, TestStack, type Bus } from "@hyrelog/testing";
import { dash, until } from "../dashboard/helpers.ts";

type SeededCompany = Awaited<ReturnType<TestStack["seedCompany"]>>;

let stack: TestStack;
let a: SeededCompany;
let b: SeededCompany;
/** Company A's second workspace and its key. */
let w2: { id: string; key: string };

const DAY = 86_400_000;
/** Two days ago, 00:00 UTC: the test's events fall on this day and the next. */
const D = Math.floor(Date.now() / DAY) * DAY - 2 * DAY;
const at = (ms: number) => new Date(D + ms).toISOString();
const H = 3_600_000;
const RANGE = `from=${at(0)}&to=${at(2 * DAY)}`;

const sql = <T = Record<string, unknown>>(query: string, params: unknown[] = []) => stack.regions.us!.orm.em.fork().execute<T[]>(query, params);

beforeAll(async () => {
  stack = await TestStack.start({ infra: inject("infra"), regions: ["us"], plan: "GROWTH" });
  a = stack.companies.us!;
  b = await stack.seedCompany("us", "GROWTH", "Analytics B");
  const admin = { role: "ADMIN" as const, companyId: a.companyId };
  const ws = await dash(stack, admin, "POST", "/dashboard/workspaces", { name: "Second" });
  expect(ws.status, ws.text).toBe(201);
  const key = await dash(stack, admin, "POST", "/dashboard/keys", { scope: "workspace", workspaceId: ws.body.workspace.id, name: "analytics" });
  expect(key.status, key.text).toBe(201);
  w2 = { id: ws.body.workspace.id, key: key.body.secret };

  const post = async (k: string, events: unknown[]) => {
    const res = await stack.api(k, "POST", "/v1/events", { events });
    expect(res.status, res.text).toBe(201);
  };
  const times = <T>(n: number, e: T) => Array.from({ length: n }, () => e);
  // Company A, workspace 1: 7 events; workspace 2: 4; company B: 5 (same actor ids and actions as A).
  await post(a.workspaceKey, [
    ...times(3, { category: "user", action: "user.login", actor: { id: "u1", email: "u1@example.com", name: "U One" }, occurredAt: at(1 * H + 600_000) }),
    ...times(2, { category: "user", action: "user.logout", actor: { id: "u2" }, projectId: a.projectId, occurredAt: at(1 * H + 2_400_000) }),
    { category: "billing", action: "invoice.paid", actor: { id: "u1" }, projectId: a.projectId, occurredAt: at(5 * H) },
    // An actor identified by email alone: counted, in the group without an actor id.
    { category: "user", action: "user.login", actor: { email: "only-email@example.com" }, occurredAt: at(DAY + 3 * H) },
  ]);
  await post(w2.key, times(4, { category: "document", action: "document.shared", actor: { id: "u3" }, occurredAt: at(1 * H + 1_200_000) }));
  await post(b.workspaceKey, times(5, { category: "user", action: "user.login", actor: { id: "u1" }, occurredAt: at(1 * H + 600_000) }));
});
afterAll(async () => stack?.stop());

/** GET /v1/analytics/events, 200 expected. */
async function counts(key: string, query: string): Promise<any> {
  const res = await stack.api(key, "GET", `/v1/analytics/events?${query}`);
  expect(res.status, res.text).toBe(200);
  return res.body;
}

/** Waits until the rollups hold every stored event of the key's scope (pendingEvents 0). */
async function upToDate(key: string, query = RANGE): Promise<any> {
  return until("the rollups to catch up", async () => {
    const body = await counts(key, query);
    return body.pendingEvents === 0 ? body : null;
  });
}

/** `{key: count}` of a group list. */
const byKey = (groups: Array<{ key: string | null; count: number }>) => Object.fromEntries(groups.map((g) => [String(g.key), g.count]));

describe("counts", () => {
  it("holds every event once the rollups caught up, with asOf covering the ingest", async () => {
    const before = Date.now();
    const body = await upToDate(a.companyKey);
    expect(Date.parse(body.asOf)).toBeGreaterThanOrEqual(before - 1000);
    expect(body).toMatchObject({ from: at(0), to: at(2 * DAY), interval: "day", groupBy: null, timeZone: "UTC", total: 11, groups: [], other: 0, groupsExact: true, otherGroupMax: null });
    expect(body.buckets).toEqual([
      { start: at(0), count: 10, groups: [], other: 0 },
      { start: at(DAY), count: 1, groups: [], other: 0 },
    ]);
  });

  it("has every hour of the range, empty ones included", async () => {
    const body = await counts(a.companyKey, `${RANGE}&interval=hour`);
    expect(body.buckets).toHaveLength(48);
    expect(body.buckets.map((x: any) => x.start)).toEqual(Array.from({ length: 48 }, (_, i) => at(i * H)));
    expect(Object.fromEntries(body.buckets.filter((x: any) => x.count).map((x: any) => [x.start, x.count]))).toEqual({
      [at(1 * H)]: 9,
      [at(5 * H)]: 1,
      [at(DAY + 3 * H)]: 1,
    });
  });

  it("groups by category, action, actor, project and workspace", async () => {
    const day = await counts(a.companyKey, `${RANGE}&groupBy=category`);
    expect(day.groupBy).toBe("category");
    expect(day.groups).toEqual([
      { key: "user", count: 6 },
      { key: "document", count: 4 },
      { key: "billing", count: 1 },
    ]);
    expect(byKey(day.buckets[0].groups)).toEqual({ user: 5, document: 4, billing: 1 });
    expect(byKey(day.buckets[1].groups)).toEqual({ user: 1 });

    const hour = await counts(a.companyKey, `${RANGE}&interval=hour&groupBy=action`);
    const at1 = hour.buckets.find((x: any) => x.start === at(1 * H));
    expect(at1).toEqual({
      start: at(1 * H),
      count: 9,
      groups: [
        { key: "document.shared", count: 4 },
        { key: "user.login", count: 3 },
        { key: "user.logout", count: 2 },
      ],
      other: 0,
    });

    const actors = await counts(a.companyKey, `${RANGE}&groupBy=actor`);
    expect(byKey(actors.groups)).toEqual({ u1: 4, u3: 4, u2: 2, null: 1 });
    expect(actors.groups[0]).toEqual({ key: "u1", count: 4 }); // ties: by key
    // Few events: every actor is ranked, so the choice is exact.
    expect(actors).toMatchObject({ groupsExact: true, otherGroupMax: null });

    expect(byKey((await counts(a.companyKey, `${RANGE}&groupBy=project`)).groups)).toEqual({ [a.projectId]: 3, null: 8 });
    expect(byKey((await counts(a.companyKey, `${RANGE}&groupBy=workspace`)).groups)).toEqual({ [a.workspaceId]: 7, [w2.id]: 4 });
  });

  it("shows the largest `limit` groups and counts the rest as other", async () => {
    const body = await counts(a.companyKey, `${RANGE}&groupBy=actor&limit=1`);
    expect(body.groups).toEqual([{ key: "u1", count: 4 }]);
    expect(body.other).toBe(7);
    expect(body.buckets[0]).toEqual({ start: at(0), count: 10, groups: [{ key: "u1", count: 4 }], other: 6 });
    expect(body.buckets[1]).toEqual({ start: at(DAY), count: 1, groups: [], other: 1 });
  });

  it("takes the list's filters: workspace, project, category, action, actor", async () => {
    expect((await counts(a.companyKey, `${RANGE}&category=user`)).total).toBe(6);
    expect(byKey((await counts(a.companyKey, `${RANGE}&action=user.login&groupBy=actor`)).groups)).toEqual({ u1: 3, null: 1 });
    expect(byKey((await counts(a.companyKey, `${RANGE}&actorId=u1&groupBy=action`)).groups)).toEqual({ "user.login": 3, "invoice.paid": 1 });
    expect((await counts(a.companyKey, `${RANGE}&projectId=${a.projectId}`)).total).toBe(3);
    expect((await counts(a.companyKey, `${RANGE}&workspaceId=${w2.id}`)).total).toBe(4);
    expect((await counts(a.companyKey, `${RANGE}&workspaceId=${a.workspaceId}&category=user&actorId=u2&projectId=${a.projectId}`)).total).toBe(2);
    expect((await counts(a.companyKey, `${RANGE}&actorId=nobody`)).total).toBe(0);
  });

  it("widens from/to to whole buckets and says so", async () => {
    const body = await counts(a.companyKey, `from=${at(1 * H + 1_800_000)}&to=${at(1 * H + 1_900_000)}&interval=hour`);
    expect(body).toMatchObject({ from: at(1 * H), to: at(2 * H), total: 9 });
    const day = await counts(a.companyKey, `from=${at(3 * H)}&to=${at(DAY + 1)}`);
    expect(day).toMatchObject({ from: at(0), to: at(2 * DAY), total: 11 });
  });

  it("defaults to the last 7 days by day", async () => {
    const body = await counts(a.companyKey, "");
    expect(body.interval).toBe("day");
    expect(body.buckets).toHaveLength(7);
    expect(Date.parse(body.to) - Date.parse(body.from)).toBe(7 * DAY);
    expect(Date.parse(body.to)).toBeGreaterThan(Date.now());
    // Two days ago and yesterday, plus today's own records (the workspace and key created above).
    expect(body.total).toBeGreaterThanOrEqual(11);
  });
});

describe("scope", () => {
  it("a workspace key counts its workspace only, and cannot name another", async () => {
    const body = await upToDate(a.workspaceKey);
    expect(body.total).toBe(7);
    expect(byKey((await counts(w2.key, `${RANGE}&groupBy=workspace`)).groups)).toEqual({ [w2.id]: 4 });
    expectApiError(await stack.api(a.workspaceKey, "GET", `/v1/analytics/events?${RANGE}&workspaceId=${w2.id}`), 403, "forbidden");
  });

  it("tenants are isolated: each company counts its own events only; the other's ids are not found", async () => {
    const own = await upToDate(b.companyKey);
    expect(own.total).toBe(5);
    expect(byKey((await counts(b.companyKey, `${RANGE}&groupBy=actor`)).groups)).toEqual({ u1: 5 });
    expect(byKey((await counts(b.companyKey, `${RANGE}&groupBy=workspace`)).groups)).toEqual({ [b.workspaceId]: 5 });
    expect((await counts(a.companyKey, `${RANGE}&actorId=u1`)).total).toBe(4);
    expectApiError(await stack.api(b.companyKey, "GET", `/v1/analytics/events?${RANGE}&workspaceId=${a.workspaceId}`), 404, "not_found");
    expectApiError(await stack.api(b.companyKey, "GET", `/v1/analytics/events?${RANGE}&projectId=${a.projectId}`), 404, "not_found");
    expectApiError(await stack.api(a.workspaceKey, "GET", `/v1/analytics/events?${RANGE}&projectId=${b.projectId}`), 404, "not_found");
  });

  it("needs an API key", async () => {
    expectApiError(await stack.api(null, "GET", `/v1/analytics/events?${RANGE}`), 401, "unauthenticated");
  });
});

describe("bad input: 400 naming the parameter", () => {
  const cases: Array<[query: string, field: string]> = [
    ["interval=week", "interval"],
    ["groupBy=target", "groupBy"],
    ["groupBy=ACTION", "groupBy"],
    ["limit=0", "limit"],
    ["limit=101", "limit"],
    ["from=yesterday", "from"],
    ["to=2026-13-01T00:00:00Z", "to"],
    ["actorEmail=u1@example.com", "actorEmail"],
    ["targetId=doc_1", "targetId"],
    ["targetType=document", "targetType"],
    [`from=${at(DAY)}&to=${at(0)}`, "from"],
    // Hours: at most 31 days.
    [`interval=hour&from=${at(-40 * DAY)}&to=${at(0)}`, "from"],
    [`from=${at(-400 * DAY)}&to=${at(0)}`, "from"],
    ["projectId=not-a-uuid", "projectId"],
    ["workspaceId=not-a-uuid", "workspaceId"],
    ["category=%00", "category"],
    ["cursor=abc", "cursor"],
  ];
  it.each(cases)("%s", async (query, field) => {
    const res = await stack.api(a.companyKey, "GET", `/v1/analytics/events?${query}`);
    expectApiError(res, 400, "invalid_argument");
    expect(JSON.stringify(res.body.error)).toContain(field);
  });

  it("names every refused list filter at once, without echoing its value", async () => {
    const res = await stack.api(a.companyKey, "GET", `/v1/analytics/events?actorEmail=secret.person@example.com&targetId=t1`);
    expectApiError(res, 400, "invalid_argument");
    expect(res.body.error.details.violations.map((v: any) => v.field)).toEqual(["actorEmail", "targetId"]);
    expect(res.text).not.toContain("secret.person");
  });

  it("the hourly limit is 31 days: 744 hours pass", async () => {
    const body = await counts(a.companyKey, `interval=hour&from=${at(-29 * DAY)}&to=${at(2 * DAY)}`);
    expect(body.buckets).toHaveLength(744);
    expect(body.total).toBe(11);
  });
});

describe("exactly once", () => {
  let bus: Bus;
  beforeAll(async () => {
    bus = await connectBus({ url: inject("infra").natsUrl, prefix: stack.natsPrefix, region: "us", name: "analytics-test" });
  });
  afterAll(async () => bus?.close());

  /** The rollups hold exactly the company's stored events: per table, and per log's watermark. */
  async function consistent(companyId: string): Promise<number> {
    const [row] = await sql<{ events: string; plain: string; daily: string; actors: string; totals: string; behind: string }>(
      `select (select count(*) from audit_events where company_id = ?)::text as events,
              (select coalesce(sum(events), 0) from analytics_hourly where company_id = ?)::text as plain,
              (select coalesce(sum(events), 0) from analytics_daily where company_id = ?)::text as daily,
              (select coalesce(sum(events), 0) from analytics_actor_hourly where company_id = ?)::text as actors,
              (select coalesce(sum(events), 0) from analytics_actor_totals where company_id = ?)::text as totals,
              (select count(*) from log_heads h left join rollup_progress p using (log_id) where h.company_id = ? and h.sequence <> coalesce(p.sequence, -1))::text as behind`,
      [companyId, companyId, companyId, companyId, companyId, companyId],
    );
    expect(row!.plain).toBe(row!.events);
    expect(row!.daily).toBe(row!.events);
    expect(row!.actors).toBe(row!.events);
    expect(row!.totals).toBe(row!.events);
    expect(row!.behind).toBe("0");
    return Number(row!.events);
  }

  it("concurrent batches into two workspaces are counted once each", async () => {
    const batch = (n: number, action: string) => ({ events: Array.from({ length: n }, (_, i) => ({ category: "load", action, actor: { id: `load-${i % 7}` }, occurredAt: at(DAY + 6 * H) })) });
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => stack.api(i % 2 ? a.workspaceKey : w2.key, "POST", "/v1/events", batch(50, i % 2 ? "load.one" : "load.two"))),
    );
    for (const r of results) expect(r.status, r.text).toBe(201);
    const body = await upToDate(a.companyKey, `${RANGE}&category=load&groupBy=action`);
    expect(byKey(body.groups)).toEqual({ "load.one": 300, "load.two": 300 });
    await consistent(a.companyId);
  });

  it("repeated wake-ups, republished outbox runs and a restart count nothing twice", async () => {
    const before = await counts(a.companyKey, `${RANGE}&groupBy=workspace`);
    // Wake-ups for every log, twice, and one for a log that does not exist.
    for (let i = 0; i < 2; i++) {
      bus.nc.publish(eventSubject(stack.natsPrefix, "us", a.companyId, a.workspaceId), "{}");
      bus.nc.publish(eventSubject(stack.natsPrefix, "us", a.companyId, w2.id), "{}");
      bus.nc.publish(eventSubject(stack.natsPrefix, "us", a.companyId, null), "{}");
      bus.nc.publish(eventSubject(stack.natsPrefix, "us", a.companyId, "00000000-0000-7000-8000-000000000000"), "{}");
    }
    // The outbox publishes runs already counted again (as after a crash between publish and delete).
    await sql(`insert into event_outbox (log_id, from_sequence, to_sequence, created_at) values (?, 1, 3, now() - interval '1 minute'), (?, 1, 4, now() - interval '1 minute')`, [
      a.workspaceId,
      w2.id,
    ]);
    await until("the sweeper to republish the runs", async () => (await sql<{ n: number }>(`select count(*)::int as n from event_outbox`))[0]!.n === 0, 20_000);
    await stack.restartRegion("us");
    // A new event after the restart: counted once it is stored; the older ones stay as they were.
    const res = await stack.api(a.workspaceKey, "POST", "/v1/events", { category: "user", action: "user.login", actor: { id: "u1" }, occurredAt: at(2 * H) });
    expect(res.status, res.text).toBe(201);
    const after = await upToDate(a.companyKey, `${RANGE}&groupBy=workspace`);
    expect(after.total).toBe(before.total + 1);
    expect(byKey(after.groups)).toEqual({ ...byKey(before.groups), [a.workspaceId]: byKey(before.groups)[a.workspaceId]! + 1 });
    await consistent(a.companyId);
  });

  it("a log that was never counted is caught up by the sweep, without any wake-up", async () => {
    await sql(`delete from rollup_progress where company_id = ?`, [b.companyId]);
    await sql(`delete from analytics_hourly where company_id = ?`, [b.companyId]);
    await sql(`delete from analytics_actor_hourly where company_id = ?`, [b.companyId]);
    await sql(`delete from analytics_daily where company_id = ?`, [b.companyId]);
    await sql(`delete from analytics_actor_totals where company_id = ?`, [b.companyId]);
    const body = await upToDate(b.companyKey);
    expect(body.total).toBe(5);
    await consistent(b.companyId);
  });

  it("events that leave audit_events (hot purge) stay counted", async () => {
    const em = stack.regions.us!.orm.em.fork();
    await em.transactional(async (tx) => {
      await tx.execute(`set local hyrelog.allow_delete = on`);
      await tx.execute(`delete from audit_events where workspace_id = ?`, [w2.id]);
    });
    const body = await upToDate(a.companyKey, `${RANGE}&workspaceId=${w2.id}`);
    expect(body.total).toBe(304);
  });
});
