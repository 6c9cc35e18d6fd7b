/**
 * Grouping by actor from the heavy-hitter lists (analytics.ts, rankFromLists) against a real
 * PostgreSQL: the handler through createRouterTransport, with small thresholds so a handful of rollup
 * rows take the lists path. Rollup rows are written directly (the rollup pass's own test checks how
 * they are counted). Every answer is compared with a GROUP BY over analytics_actor_hourly: counts
 * are always exact; the choice of actors is flagged (groupsExact false, otherGroupMax a true bound)
 * exactly when the lists cannot prove it.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { createClient, createRouterTransport, type Client } from "@connectrpc/connect";
import { AnalyticsGroupBy, AnalyticsInterval, AnalyticsService, EventFilterSchema, KeyScope, PrincipalSchema } from "@hyrelog/proto";
import { uuidv7 } from "@hyrelog/core";
import { migrateDatabase, openOrm, type Orm } from "@hyrelog/db";
import { Tenancy } from "@hyrelog/runtime";
import { analyticsRoutes, type ActorRanking } from "./analytics.ts";
import { NO_ID } from "./analytics-rollup.ts";

const companyId = uuidv7();
const [w1, w2] = [uuidv7(), uuidv7()];
/**
 * Hours 0-5 of this day: skewed actors (two bots, a service and 120 people); hours 10-15: 300 people,
 * evenly; hours 20-23: each hour's two busiest actors are busy that hour only (11/10/9/8 and 4 events),
 * while zz, never among an hour's two busiest (3 an hour), is the busiest of the four hours (12).
 */
const DAY = Date.UTC(2026, 10, 2);
const H = 3_600_000;
let dbName: string;
let orm: Orm;

beforeAll(async () => {
  dbName = `hyrelog_t_analytics_${Date.now().toString(36)}`;
  const url = `${inject("infra").postgresUrl}/${dbName}`;
  await migrateDatabase(url);
  orm = await openOrm({ databaseUrl: url, poolMax: 2 });
  const sql = (q: string, params: unknown[] = []) => orm.em.fork().execute(q, params);
  const day = new Date(DAY).toISOString();
  // analytics_actor_hourly rows (the detail); the other rollups are its sums, as the pass keeps them.
  await sql(
    `insert into analytics_actor_hourly (company_id, hour, workspace_id, project_id, actor_id, category, action, events)
     select ?, ?::timestamptz + h * interval '1 hour', w, ?, a, 'c', act, n from (
       select h, ?::uuid as w, 'bot-1' as a, 'a.one' as act, 50 as n from generate_series(0, 5) h
       union all select h, ?::uuid, 'bot-2', 'a.one', 30 from generate_series(0, 5) h
       union all select h, ?::uuid, 'bot-2', 'a.two', 10 from generate_series(0, 5) h
       union all select h, ?::uuid, 'svc', 'a.two', 20 from generate_series(0, 5) h
       union all select h, case when i % 2 = 0 then ?::uuid else ?::uuid end, 'u' || lpad(i::text, 3, '0'), 'a.two', 1
         from generate_series(0, 5) h, generate_series(1, 120) i where (i + h) % 3 = 0
       union all select h, case when i % 2 = 0 then ?::uuid else ?::uuid end, 'p' || lpad(i::text, 3, '0'), 'a.one', 1
         from generate_series(10, 15) h, generate_series(1, 300) i where (i + h) % 3 = 0
       union all select 12, ?::uuid, '', 'a.one', 1
       union all select h, ?::uuid, 'b' || h || 'x', 'a.one', 31 - h from generate_series(20, 23) h
       union all select h, ?::uuid, 'b' || h || 'y', 'a.one', 4 from generate_series(20, 23) h
       union all select h, ?::uuid, 'zz', 'a.one', 3 from generate_series(20, 23) h
     ) x`,
    [companyId, day, NO_ID, w1, w1, w2, w2, w1, w2, w1, w2, w1, w1, w1, w1],
  );
  await sql(
    `insert into analytics_hourly (company_id, hour, workspace_id, project_id, category, action, events)
     select company_id, hour, workspace_id, project_id, category, action, sum(events) from analytics_actor_hourly group by 1, 2, 3, 4, 5, 6`,
  );
  await sql(
    `insert into analytics_daily (company_id, day, workspace_id, project_id, category, action, events)
     select company_id, date_trunc('day', hour, 'UTC'), workspace_id, project_id, category, action, sum(events) from analytics_hourly group by 1, 2, 3, 4, 5, 6`,
  );
  await sql(
    `insert into analytics_actor_totals (company_id, hour, workspace_id, actor_id, events)
     select company_id, hour, workspace_id, actor_id, sum(events) from analytics_actor_hourly group by 1, 2, 3, 4`,
  );
});
afterAll(async () => {
  await orm?.close(true);
  const admin = await openOrm({ databaseUrl: `${inject("infra").postgresUrl}/postgres`, poolMax: 1 });
  await admin.em.getConnection().execute(`drop database if exists "${dbName}" with (force)`);
  await admin.close(true);
});

/** The handler with these thresholds; the lists path by default (any range over 10 events). */
function client(ranking: ActorRanking = { exactActorEvents: 10, listEntries: 0, maxListEntries: 100_000 }): Client<typeof AnalyticsService> {
  return createClient(AnalyticsService, createRouterTransport(analyticsRoutes(orm, new Tenancy(orm), ranking)));
}
const company = create(PrincipalSchema, { keyId: "k", companyId, scope: KeyScope.COMPANY });
const workspaceKey = create(PrincipalSchema, { keyId: "k", companyId, workspaceId: w2, scope: KeyScope.WORKSPACE });

/** By actor, hourly, over hours [from, to) of DAY. */
async function byActor(c: Client<typeof AnalyticsService>, fromHour: number, toHour: number, limit: number, extra: { principal?: typeof company; action?: string } = {}) {
  const filter = create(EventFilterSchema, { from: timestampFromDate(new Date(DAY + fromHour * H)), to: timestampFromDate(new Date(DAY + toHour * H)), action: extra.action ?? "" });
  const res = await c.countEvents({ principal: extra.principal ?? company, filter, interval: AnalyticsInterval.HOUR, groupBy: AnalyticsGroupBy.ACTOR, limit });
  return { ...res, shown: res.groups.map((g) => [g.key ?? "", Number(g.count)] as const) };
}

/** Every actor's count over hours [from, to) (in the workspace), largest first, ties by key: the truth. */
async function truth(fromHour: number, toHour: number, workspaceId?: string): Promise<Array<readonly [string, number]>> {
  const rows = await orm.em.fork().execute<Array<{ actor_id: string; n: number }>>(
    `select actor_id, sum(events)::int as n from analytics_actor_hourly
     where company_id = ? and hour >= ?::timestamptz and hour < ?::timestamptz ${workspaceId ? "and workspace_id = ?" : ""}
     group by 1 order by 2 desc, 1`,
    [companyId, new Date(DAY + fromHour * H).toISOString(), new Date(DAY + toHour * H).toISOString(), ...(workspaceId ? [workspaceId] : [])],
  );
  return rows.map((r) => [r.actor_id, r.n] as const);
}

describe("grouping by actor from the heavy-hitter lists", () => {
  it("proves the top actors of a skewed range: the same answer as ranking every actor", async () => {
    const lists = await byActor(client(), 0, 6, 3);
    const all = await truth(0, 6);
    expect(lists.shown).toEqual(all.slice(0, 3));
    expect(lists.shown).toEqual([["bot-1", 300], ["bot-2", 240], ["svc", 120]]);
    expect(lists.groupsExact).toBe(true);
    expect(lists.otherGroupMax).toBeUndefined();
    const total = all.reduce((sum, [, n]) => sum + n, 0);
    expect(Number(lists.total)).toBe(total);
    expect(Number(lists.other)).toBe(total - 660);
    // Per bucket too: bot-1's 50 an hour, the rest of each hour in other.
    expect(lists.buckets[0]!.groups.map((g) => [g.key, Number(g.count)])).toEqual([["bot-1", 50], ["bot-2", 40], ["svc", 20]]);

    const exact = await byActor(client({ exactActorEvents: 1e9, listEntries: 0, maxListEntries: 100_000 }), 0, 6, 3);
    expect(exact.shown).toEqual(lists.shown);
    expect(exact.groupsExact).toBe(true);
  });

  it("flags a choice the lists cannot prove (evenly active actors), with exact counts and a true bound", async () => {
    const lists = await byActor(client(), 10, 16, 5);
    const all = await truth(10, 16);
    expect(lists.groupsExact).toBe(false);
    // The counts shown are each actor's exact count, other is the rest, and no actor left out has more than otherGroupMax.
    const exactOf = new Map(all);
    for (const [key, n] of lists.shown) expect(n).toBe(exactOf.get(key));
    const shownKeys = new Set(lists.shown.map(([key]) => key));
    const largestLeftOut = Math.max(...all.filter(([key]) => !shownKeys.has(key)).map(([, n]) => n));
    expect(Number(lists.otherGroupMax)).toBeGreaterThanOrEqual(largestLeftOut);
    expect(Number(lists.other)).toBe(all.reduce((sum, [, n]) => sum + n, 0) - lists.shown.reduce((sum, [, n]) => sum + n, 0));

    // Ranking every actor row instead: exact, the largest by count then key.
    const exact = await byActor(client({ exactActorEvents: 1e9, listEntries: 0, maxListEntries: 100_000 }), 10, 16, 5);
    expect(exact.groupsExact).toBe(true);
    expect(exact.shown).toEqual(all.slice(0, 5));
  });

  it("an actor busy in every hour but never among an hour's busiest is within otherGroupMax, and the answer is flagged", async () => {
    const lists = await byActor(client(), 20, 24, 1);
    expect(await truth(20, 24)).toContainEqual(["zz", 12]);
    // The lists (two entries each) never hold zz: the choice is b20x, not proven, and zz's 12 is within the bound.
    expect(lists.shown).toEqual([["b20x", 11]]);
    expect(lists.groupsExact).toBe(false);
    expect(Number(lists.otherGroupMax)).toBeGreaterThanOrEqual(12);
    const exact = await byActor(client({ exactActorEvents: 1e9, listEntries: 0, maxListEntries: 100_000 }), 20, 24, 1);
    expect(exact.shown).toEqual([["zz", 12]]);
    expect(exact.groupsExact).toBe(true);
  });

  it("a range with more lists than the list budget ranks every actor row: exact", async () => {
    const res = await byActor(client({ exactActorEvents: 10, listEntries: 0, maxListEntries: 12 * 6 - 1 }), 10, 16, 5);
    expect(res.groupsExact).toBe(true);
    expect(res.shown).toEqual((await truth(10, 16)).slice(0, 5));
  });

  it("a workspace key ranks its workspace's actors only", async () => {
    const res = await byActor(client(), 0, 6, 2, { principal: workspaceKey });
    expect(res.shown).toEqual((await truth(0, 6, w2)).slice(0, 2));
    expect(res.shown).toEqual([["svc", 120], ["bot-2", 60]]);
    expect(res.groupsExact).toBe(true);
  });

  it("a filter other than the scope ranks every actor row of it (the lists sum away actions)", async () => {
    const res = await byActor(client(), 0, 6, 2, { action: "a.two" });
    expect(res.groupsExact).toBe(true);
    expect(res.shown).toEqual([["svc", 120], ["bot-2", 60]]);
  });
});
