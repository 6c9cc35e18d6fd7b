/**
 * The `analytics` bench phase (issue 14, seed 003): GET /v1/analytics/events over the rollups of
 * BENCH_ANALYTICS_ROWS (default 10M) events of one company, p99 < 50 ms.
 *
 * The company has 10 workspaces (55% of the events in the seeded one, 5% in each of 9 more; the
 * seeded one's events spread over two projects and none), 20 actions of 11 categories in a skewed
 * mix, 50,000 actors (uniform, as bench/events.ts), occurredAt evenly over the past 30 days
 * (~14,000 events an hour). The most recent BENCH_ANALYTICS_EVENTS (default 1M) of them are real
 * rows of audit_events in gapless logs (INSERT ... SELECT generate_series, as the query phase
 * loads its rows), counted by the query service's own rollup worker: its catch-up rate is
 * measured from the log heads' move to pendingEvents 0. The older ones are derived straight into
 * the rollup tables by the same generator with the worker's grouping (the same keys and
 * cardinality as counting those events would give), so the 10M-event state takes minutes, not an
 * hour, on the 2-core machine. Then typical queries through the gateway, each sequentially after
 * a warm-up: p50/p99.
 */
import type pg from "pg";
import { createLogHead } from "./infra.ts";
import { summary } from "./load.ts";

const DAY_MS = 86_400_000;
const SPAN_MS = 30 * DAY_MS;
const NO_ID = "00000000-0000-0000-0000-000000000000";
/** Events per INSERT statement. */
const CHUNK = 250_000;

const ACTIONS = [
  "member.invited", "member.removed", "project.created", "project.archived", "repo.pushed",
  "repo.cloned", "secret.read", "secret.rotated", "deploy.started", "deploy.finished",
  "report.exported", "report.viewed", "webhook.created", "webhook.failed", "org.renamed",
  "policy.updated", "device.enrolled", "device.revoked", "mfa.enabled", "mfa.disabled",
];

export interface AnalyticsBenchOptions {
  gatewayUrl: string;
  pool: pg.Pool;
  companyId: string;
  companyKey: string;
  workspaceId: string;
  workspaceKey: string;
  projectId: string;
  /** Events the rollups represent. */
  rows: number;
  /** Of them, the most recent stored as events and counted by the rollup worker. */
  events: number;
  requests: number;
  warmup: number;
  /** Wakes the rollup worker for these logs (as the outbox's messages would). */
  wake(logIds: string[]): Promise<void>;
  log(msg: string): void;
}

export interface AnalyticsQueryResult {
  name: string;
  path: string;
  key: "company" | "workspace";
  /** Groups and buckets in the answer, and the rollup rows the query reads. */
  buckets: number;
  groups: number;
  total: number;
  /** Answers other than 200 (a question stopped at the service's read limit: 504). */
  non200: number;
  /** The answer's groupsExact (false: actors ranked from heavy-hitter lists without proof; its counts are exact). */
  groupsExact: boolean;
  latencyMs: ReturnType<typeof summary>;
}

export interface AnalyticsResult {
  rows: number;
  events: number;
  load: { eventsSeconds: number; derivedSeconds: number };
  catchUp: { events: number; seconds: number; eventsPerSec: number };
  tables: { hourlyRows: number; dailyRows: number; actorRows: number; actorTotalRows: number; bytes: string };
  queries: AnalyticsQueryResult[];
}

/**
 * Event g (0-based) of the synthetic company: workspace index (1..10), project index (1, 2 or
 * none), occurredAt, action index (1..20), actor. $3: first ms, $4: ms per event.
 */
const EVENT_OF = `
  lateral (select
    case when g % 20 < 11 then 1 else (g % 20)::int - 9 end as w,
    case when g % 20 < 11 then (g % 3)::int + 1 else 3 end as p,
    $3::bigint + (g * $4::float8)::bigint as ms,
    least(20, floor(20 * power((hashint8(g)::bigint + 2147483648) / 4294967296.0, 2))::int + 1) as a,
    'usr_' || lpad(to_hex((g * 7919) % 50000), 8, '0') as actor) x`;

/** The real events g in [$1, $2]: a gapless sequence per log, counting from $5 (the first real event); $6 company, $7 workspaces, $8 projects, $9 actions. */
const EVENTS_SQL = `
insert into audit_events (id, company_id, workspace_id, log_id, project_id, sequence, prev_hash, hash, occurred_at, received_at,
  category, action, actor_id, actor_type, actor_email, actor_name, target_id, target_type, target_name, changes, metadata, ip, user_agent, trace_id, request_id)
select
  (lpad(to_hex(x.ms), 12, '0') || '7' || lpad(to_hex(g % 4096), 3, '0') || '8' || lpad(to_hex(g), 15, '0'))::uuid,
  $6::uuid, ($7::uuid[])[x.w], ($7::uuid[])[x.w], ($8::uuid[])[x.p],
  case when (g - $5) % 20 < 11 then ((g - $5) / 20) * 11 + (g - $5) % 20 + 1 else (g - $5) / 20 + 1 end,
  md5(g::text) || md5((g + 1)::text), md5((g + 2)::text) || md5((g + 3)::text),
  to_timestamp(x.ms / 1000.0), to_timestamp(x.ms / 1000.0) + interval '150 milliseconds',
  split_part(($9::text[])[x.a], '.', 1), ($9::text[])[x.a],
  x.actor, 'user', 'jane.doe+' || ((g * 7919) % 50000) || '@example.com', 'Jane Doe ' || ((g * 7919) % 50000),
  'doc_' || lpad(to_hex(g), 10, '0'), 'document', 'Quarterly report ' || (g % 1000),
  jsonb_build_array(jsonb_build_object('field', 'role', 'old', 'viewer', 'new', 'editor')),
  jsonb_build_object('source', (array['web', 'api', 'mobile', 'scim'])[g % 4 + 1], 'client', 'web/4.12.1'),
  '10.' || (g % 256) || '.' || ((g / 256) % 256) || '.7', 'hyrelog-bench', md5(g::text || 't'), md5(g::text || 'r')::uuid::text
from generate_series($1::bigint, $2::bigint) as g, ${EVENT_OF}`;

/** The derived events g in [$1, $2] ($5 company, $6 workspaces, $7 projects, $8 actions), grouped as the rollup worker groups events (analytics-rollup.ts). */
const DERIVED_SQL = `
with counted as materialized (
  select $5::uuid as company_id, date_trunc('hour', to_timestamp(x.ms / 1000.0), 'UTC') as hour, ($6::uuid[])[x.w] as workspace_id,
         coalesce(($7::uuid[])[x.p], '${NO_ID}') as project_id, x.actor as actor_id, split_part(($8::text[])[x.a], '.', 1) as category,
         ($8::text[])[x.a] as action, count(*) as events
  from generate_series($1::bigint, $2::bigint) as g, ${EVENT_OF}
  group by 1, 2, 3, 4, 5, 6, 7
), plain as (
  insert into analytics_hourly as t (company_id, hour, workspace_id, project_id, category, action, events)
  select company_id, hour, workspace_id, project_id, category, action, sum(events) from counted group by 1, 2, 3, 4, 5, 6
  on conflict (company_id, hour, workspace_id, project_id, category, action) do update set events = t.events + excluded.events
), daily as (
  insert into analytics_daily as t (company_id, day, workspace_id, project_id, category, action, events)
  select company_id, date_trunc('day', hour, 'UTC'), workspace_id, project_id, category, action, sum(events) from counted group by 1, 2, 3, 4, 5, 6
  on conflict (company_id, day, workspace_id, project_id, category, action) do update set events = t.events + excluded.events
), actor_totals as (
  insert into analytics_actor_totals as t (company_id, hour, workspace_id, actor_id, events)
  select company_id, hour, workspace_id, actor_id, sum(events) from counted group by 1, 2, 3, 4
  on conflict (company_id, hour, workspace_id, actor_id) do update set events = t.events + excluded.events
)
insert into analytics_actor_hourly as t (company_id, hour, workspace_id, project_id, actor_id, category, action, events)
select * from counted
on conflict (company_id, hour, workspace_id, project_id, actor_id, category, action) do update set events = t.events + excluded.events`;

export async function analyticsPhase(o: AnalyticsBenchOptions): Promise<AnalyticsResult> {
  const { pool, log } = o;
  const rows = Math.round(o.rows / 20) * 20;
  const events = Math.min(rows, Math.round(o.events / 20) * 20);
  const firstReal = rows - events;
  const baseMs = Date.now() - SPAN_MS;
  const stepMs = SPAN_MS / rows;

  // Nine more workspaces and a second project; every log gets a head (sequence 0 while loading).
  const workspaces = [o.workspaceId, ...Array.from({ length: 9 }, () => crypto.randomUUID())];
  const secondProject = crypto.randomUUID();
  for (const [i, id] of workspaces.slice(1).entries()) {
    await pool.query(`insert into workspaces (id, company_id, name) values ($1, $2, $3)`, [id, o.companyId, `Analytics ${i + 2}`]);
  }
  await pool.query(`insert into projects (id, company_id, workspace_id, name) values ($1, $2, $3, 'Second')`, [secondProject, o.companyId, o.workspaceId]);
  for (const id of workspaces) {
    await createLogHead(pool, id, o.companyId);
  }
  const projects = [o.projectId, secondProject, null];
  const params = (from: number, to: number) => [from, to, baseMs, stepMs, firstReal, o.companyId, workspaces, projects, ACTIONS];

  log(`analytics: ${events.toLocaleString("en-US")} events into audit_events (10 workspace logs), in statements of ${CHUNK.toLocaleString("en-US")}`);
  const t0 = performance.now();
  for (let from = firstReal; from < rows; from += CHUNK) {
    const to = Math.min(rows, from + CHUNK) - 1;
    await pool.query(EVENTS_SQL, params(from, to));
    if ((to + 1 - firstReal) % 1_000_000 === 0 || to === rows - 1) log(`analytics: ${(to + 1 - firstReal).toLocaleString("en-US")} events stored`);
  }
  const eventsSeconds = (performance.now() - t0) / 1000;
  await pool.query(`analyze audit_events`);

  // The heads move to the logs' sizes: the rollup worker counts them (woken as the outbox would).
  const c0 = performance.now();
  await pool.query(`update log_heads h set sequence = s.n, updated_at = now() from (select log_id, max(sequence) as n from audit_events where company_id = $1 group by log_id) s where h.log_id = s.log_id`, [o.companyId]);
  await o.wake(workspaces);
  const pending = async () =>
    Number(
      (
        await pool.query<{ n: string }>(
          `select coalesce(sum(h.sequence - coalesce(p.sequence, 0)), 0)::text as n from log_heads h left join rollup_progress p using (log_id) where h.company_id = $1`,
          [o.companyId],
        )
      ).rows[0]!.n,
    );
  let lastLog = performance.now();
  for (let left = await pending(); left > 0; left = await pending()) {
    if (performance.now() - lastLog > 10_000) {
      log(`analytics: rollup catch-up, ${left.toLocaleString("en-US")} events to go`);
      lastLog = performance.now();
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const catchUpSeconds = (performance.now() - c0) / 1000;
  log(`analytics: the rollup worker counted ${events.toLocaleString("en-US")} events in ${catchUpSeconds.toFixed(1)} s (${Math.round(events / catchUpSeconds).toLocaleString("en-US")} events/s)`);

  log(`analytics: deriving the rollups of the ${firstReal.toLocaleString("en-US")} older events`);
  const d0 = performance.now();
  for (let from = 0; from < firstReal; from += CHUNK * 4) {
    const to = Math.min(firstReal, from + CHUNK * 4) - 1;
    await pool.query(DERIVED_SQL, [from, to, baseMs, stepMs, o.companyId, workspaces, projects, ACTIONS]);
  }
  const derivedSeconds = (performance.now() - d0) / 1000;
  for (const table of ["analytics_hourly", "analytics_daily", "analytics_actor_hourly", "analytics_actor_totals"]) await pool.query(`vacuum analyze ${table}`);
  const sizes = await pool.query<{ hourly: string; daily: string; actors: string; totals: string; bytes: string; total: string }>(
    `select (select count(*) from analytics_hourly)::text as hourly, (select count(*) from analytics_daily)::text as daily,
            (select count(*) from analytics_actor_hourly)::text as actors, (select count(*) from analytics_actor_totals)::text as totals,
            (select sum(events) from analytics_daily where company_id = $1)::text as total,
            pg_size_pretty(pg_total_relation_size('analytics_hourly') + pg_total_relation_size('analytics_daily') + pg_total_relation_size('analytics_actor_hourly')
                           + pg_total_relation_size('analytics_actor_totals')) as bytes`,
    [o.companyId],
  );
  const s = sizes.rows[0]!;
  if (Number(s.total) !== rows) throw new Error(`the rollups hold ${s.total} events, not ${rows}`);
  log(
    `analytics: rollups of ${rows.toLocaleString("en-US")} events: ${Number(s.hourly).toLocaleString("en-US")} hourly, ${Number(s.daily).toLocaleString("en-US")} daily, ` +
      `${Number(s.actors).toLocaleString("en-US")} hourly by actor rows, ${Number(s.totals).toLocaleString("en-US")} actor totals per hour and workspace, ${s.bytes}; ` +
      `derived in ${derivedSeconds.toFixed(1)} s`,
  );

  // Typical questions. `to` is the end of the current hour, as a dashboard asks.
  const now = Date.now();
  const iso = (ms: number) => new Date(ms).toISOString();
  const hourEnd = Math.ceil(now / 3_600_000) * 3_600_000;
  const queries: Array<Omit<AnalyticsQueryResult, "latencyMs" | "buckets" | "groups" | "total" | "non200" | "groupsExact">> = [
    { name: "30 days by day, grouped by action (company)", key: "company", path: `interval=day&groupBy=action&from=${iso(hourEnd - SPAN_MS)}&to=${iso(hourEnd)}` },
    { name: "24 h by hour, grouped by actor, top 10 (company)", key: "company", path: `interval=hour&groupBy=actor&from=${iso(hourEnd - DAY_MS)}&to=${iso(hourEnd)}` },
    { name: "24 h by hour, grouped by actor, one action (company)", key: "company", path: `interval=hour&groupBy=actor&action=${ACTIONS[4]}&from=${iso(hourEnd - DAY_MS)}&to=${iso(hourEnd)}` },
    { name: "7 days by hour, totals (workspace key)", key: "workspace", path: `interval=hour&from=${iso(hourEnd - 7 * DAY_MS)}&to=${iso(hourEnd)}` },
    { name: "30 days by day, by workspace, one category (company)", key: "company", path: `interval=day&groupBy=workspace&category=deploy&from=${iso(hourEnd - SPAN_MS)}&to=${iso(hourEnd)}` },
    { name: "30 days by day, one actor, by action (company)", key: "company", path: `interval=day&groupBy=action&actorId=usr_00000abc&from=${iso(hourEnd - SPAN_MS)}&to=${iso(hourEnd)}` },
    { name: "7 days by day, by project (workspace key)", key: "workspace", path: `groupBy=project` },
  ];
  const results: AnalyticsQueryResult[] = [];
  for (const q of queries) {
    const url = `${o.gatewayUrl}/v1/analytics/events?${q.path}`;
    const headers = { authorization: `Bearer ${q.key === "company" ? o.companyKey : o.workspaceKey}` };
    let answer: { buckets: unknown[]; groups: unknown[]; total: number; groupsExact: boolean } | undefined;
    const ms: number[] = [];
    let non200 = 0;
    for (let i = 0; i < o.warmup + o.requests; i++) {
      const start = performance.now();
      const res = await fetch(url, { headers });
      const text = await res.text();
      if (i >= o.warmup) ms.push(performance.now() - start);
      if (res.status !== 200) {
        if (!non200++) log(`analytics: ${q.name}: ${res.status} ${text.slice(0, 300)}`);
      } else answer ??= JSON.parse(text);
    }
    const r = { ...q, buckets: answer?.buckets.length ?? 0, groups: answer?.groups.length ?? 0, total: answer?.total ?? 0, groupsExact: answer?.groupsExact ?? false, non200, latencyMs: summary(ms) };
    log(
      `analytics: ${q.name}: p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms (${r.buckets} buckets, ${r.groups} groups${r.groupsExact ? "" : " (ranking not proven exact)"}, ` +
        `${r.total.toLocaleString("en-US")} events, ${non200} not 200)`,
    );
    results.push(r);
  }
  return {
    rows,
    events,
    load: { eventsSeconds: Math.round(eventsSeconds * 10) / 10, derivedSeconds: Math.round(derivedSeconds * 10) / 10 },
    catchUp: { events, seconds: Math.round(catchUpSeconds * 10) / 10, eventsPerSec: Math.round(events / catchUpSeconds) },
    tables: { hourlyRows: Number(s.hourly), dailyRows: Number(s.daily), actorRows: Number(s.actors), actorTotalRows: Number(s.totals), bytes: s.bytes },
    queries: results,
  };
}
