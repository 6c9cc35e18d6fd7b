/**
 * The rollup pass against a real PostgreSQL: two workers (as two query replicas, each its own
 * connection pool) count one log while a writer keeps appending to it as ingest does (events and
 * the head in one transaction). Every event is counted exactly once, in every table (the actor
 * totals per hour too), with the keys a direct GROUP BY over the events gives.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { uuidv7 } from "@hyrelog/core";
import { migrateDatabase, openOrm, type Orm } from "@hyrelog/db";
import type { Bus } from "@hyrelog/bus";
import { createLogger } from "@hyrelog/runtime";
import { RollupWorker } from "./analytics-rollup.ts";

const companyId = uuidv7();
let dbName: string;
let orms: Orm[] = [];

beforeAll(async () => {
  dbName = `hyrelog_t_rollup_${Date.now().toString(36)}`;
  const url = `${inject("infra").postgresUrl}/${dbName}`;
  await migrateDatabase(url);
  orms = await Promise.all([0, 1, 2].map(() => openOrm({ databaseUrl: url, poolMax: 2 })));
  // The company's own log (its id is the company's).
  await orms[0]!.em.fork().execute(`insert into companies (id, name, data_region, plan_tier) values (?, 'Rollup Co', 'us', 'FREE')`, [companyId]);
  await orms[0]!.em.fork().execute(`insert into log_heads (log_id, company_id, sequence, hash, updated_at) values (?, ?, 0, repeat('0', 64), now())`, [companyId, companyId]);
});
afterAll(async () => {
  for (const orm of orms) await orm.close(true);
  const admin = await openOrm({ databaseUrl: `${inject("infra").postgresUrl}/postgres`, poolMax: 1 });
  await admin.em.getConnection().execute(`drop database if exists "${dbName}" with (force)`);
  await admin.close(true);
});

/** Appends `n` events to the log and moves its head, in one transaction (as ingest commits). */
async function append(orm: Orm, n: number): Promise<void> {
  await orm.em.fork().transactional(async (tx) => {
    const [head] = await tx.execute<Array<{ sequence: string }>>(`select sequence from log_heads where log_id = ? for update`, [companyId]);
    const from = Number(head!.sequence) + 1;
    await tx.execute(
      `insert into audit_events (id, company_id, log_id, sequence, prev_hash, hash, occurred_at, received_at, category, action, actor_id)
       select gen_random_uuid(), ?, ?, s, repeat('0', 64), repeat('0', 64), timestamptz '2026-01-01T00:00:00Z' + (s % 50) * interval '37 minutes', now(),
              'c' || (s % 3), 'a' || (s % 7), case when s % 11 = 0 then null else 'u' || (s % 13) end
       from generate_series(?::bigint, ?::bigint) s`,
      [companyId, companyId, from, from + n - 1],
    );
    await tx.execute(`update log_heads set sequence = ? where log_id = ?`, [from + n - 1, companyId]);
  });
}

describe("RollupWorker.pass", () => {
  it("counts a growing log exactly once with two workers at it", async () => {
    const logger = createLogger("silent");
    const workers = [orms[1]!, orms[2]!].map((orm) => new RollupWorker({ orm, bus: {} as Bus, prefix: "t", region: "us", logger }));
    let writing = true;
    const writer = (async () => {
      for (let i = 0; i < 30; i++) await append(orms[0]!, 1 + ((i * 97) % 400));
      writing = false;
    })();
    const counters = workers.map(async (w) => {
      let counted = 0;
      for (;;) {
        const n = await w.pass(companyId);
        if (n === "busy") continue;
        counted += n;
        if (n === 0 && !writing) return counted;
      }
    });
    await writer;
    const counted = await Promise.all(counters);
    // Both took passes; together they counted every event once.
    const [row] = await orms[0]!.em.fork().execute<Array<{ events: number }>>(`select count(*)::int as events from audit_events`);
    const events = row!.events;
    expect(counted[0]! + counted[1]!).toBe(events);
    expect(events).toBeGreaterThan(5000);

    const sql = <T>(q: string) => orms[0]!.em.fork().execute<T[]>(q);
    const expected = await sql<{ k: string; n: string }>(
      `select date_trunc('hour', occurred_at, 'UTC')::text || '|' || category || '|' || action || '|' || coalesce(actor_id, '') as k, count(*)::text as n
       from audit_events group by 1 order by 1`,
    );
    const actors = await sql<{ k: string; n: string }>(`select hour::text || '|' || category || '|' || action || '|' || actor_id as k, events::text as n from analytics_actor_hourly order by 1`);
    expect(actors).toEqual(expected);
    // Each actor's events per hour and log (the heavy-hitter lists' table).
    const totals = await sql<{ k: string; n: string }>(`select hour::text || '|' || actor_id as k, events::text as n from analytics_actor_totals order by 1`);
    expect(totals).toEqual(
      await sql<{ k: string; n: string }>(
        `select date_trunc('hour', occurred_at, 'UTC')::text || '|' || coalesce(actor_id, '') as k, count(*)::text as n from audit_events group by 1 order by 1`,
      ),
    );
    const [sums] = await sql<{ hourly: number; daily: number; watermark: number }>(
      `select (select sum(events) from analytics_hourly)::int as hourly, (select sum(events) from analytics_daily)::int as daily,
              (select sequence from rollup_progress where log_id = '${companyId}')::int as watermark`,
    );
    expect(sums).toEqual({ hourly: events, daily: events, watermark: events });
  }, 60_000);
});
