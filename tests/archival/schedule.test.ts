/**
 * The region's schedule (issue 13): periodic jobs start on their cadence, once per run, and a
 * region that fell behind (stopped for a day) catches up with one run, not a burst. The restore
 * jobs (every few minutes) leave no job row when they find nothing to do.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { TestStack } from "@hyrelog/testing";
import { dash, until } from "../dashboard/helpers.ts";

let stack: TestStack;

beforeAll(async () => {
  stack = await TestStack.start({
    infra: inject("infra"),
    regions: ["us"],
    env: {
      ARCHIVAL_TICK_MS: "100",
      ARCHIVAL_EVERY_COLD_MARKING_MS: "1000",
      ARCHIVAL_EVERY_RESTORE_INITIATION_MS: "1000",
      ARCHIVAL_EVERY_RESTORE_STATUS_MS: "1000",
      ARCHIVAL_EVERY_RESTORE_EXPIRY_MS: "1000",
      ARCHIVAL_RESTORE_SIMULATED_DELAY_MS: "0",
    },
  });
});
afterAll(async () => {
  await stack?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function runs(): Promise<number> {
  const [row] = await stack.regions.us!.orm.em.fork().execute<Array<{ n: number }>>(`select count(*)::int as n from jobs where type = 'cold-marking' and company_id is null`);
  return row!.n;
}

describe("the schedule", () => {
  it("starts a periodic job once per interval, never at boot, and catches up with one run after falling behind", async () => {
    // The first run is one interval after the region starts; the others follow every interval.
    const first = await runs();
    await sleep(3_300);
    const later = await runs();
    expect(later - first).toBeGreaterThanOrEqual(2);
    expect(later - first).toBeLessThanOrEqual(4);
    // Every run completed as a region job, with no company.
    const em = stack.regions.us!.orm.em.fork();
    const [done] = await em.execute<Array<{ n: number }>>(`select count(*)::int as n from jobs where type = 'cold-marking' and status = 'COMPLETED'`);
    expect(done!.n).toBeGreaterThanOrEqual(later - first - 1);

    // A day behind: one catch-up run, then the cadence again (not one run per missed interval).
    await em.execute(`update schedules set next_run_at = now() - interval '1 day' where name = 'cold-marking'`);
    const before = await runs();
    await sleep(600);
    expect((await runs()) - before).toBe(1);
    const [schedule] = await em.execute<Array<{ ahead: boolean }>>(`select next_run_at > now() as ahead from schedules where name = 'cold-marking'`);
    expect(schedule!.ahead).toBe(true);
  });
});

describe("periodic jobs with nothing to do", () => {
  const RESTORE_JOBS = ["restore-initiation", "restore-status", "restore-expiry"];
  const em = () => stack.regions.us!.orm.em.fork();
  async function jobRows(): Promise<Record<string, number>> {
    const rows = await em().execute<Array<{ type: string; n: number }>>(`select type, count(*)::int as n from jobs where type in (?) group by type`, [RESTORE_JOBS]);
    return Object.fromEntries(RESTORE_JOBS.map((t) => [t, rows.find((r) => r.type === t)?.n ?? 0]));
  }
  async function checkedAt(): Promise<Record<string, number>> {
    const rows = await em().execute<Array<{ name: string; updated_at: Date }>>(`select name, updated_at from schedules where name in (?)`, [RESTORE_JOBS]);
    return Object.fromEntries(rows.map((r) => [r.name, new Date(r.updated_at).getTime()]));
  }

  it("the restore jobs check once per period but create a job only when there is a restore to carry out; by hand they always run", async () => {
    // Periods pass (every second here) with no restore request: checked each period, no job row.
    await until("a first check of each restore job", async () => Object.keys(await checkedAt()).length === 3 && (await checkedAt()), 5_000);
    const first = await checkedAt();
    await sleep(2_200);
    const later = await checkedAt();
    for (const name of RESTORE_JOBS) expect(later[name], name).toBeGreaterThan(first[name]!);
    expect(await jobRows()).toEqual({ "restore-initiation": 0, "restore-status": 0, "restore-expiry": 0 });

    // An approved restore (of an archive recorded here: simulated restores do not read the object):
    // the next periods start it, complete it, and only those runs are jobs.
    const co = stack.companies.us!;
    const archiveId = randomUUID();
    await em().execute(
      `insert into archive_objects (id, company_id, workspace_id, log_id, day, from_sequence, to_sequence, row_count, first_event_id, last_event_id,
         min_occurred_at, max_occurred_at, object_key, bytes, sha256, checkpoint_tree_size, storage_class, cold_at, verified_at)
       values (?, ?, ?, ?, current_date, 1, 1, 1, ?, ?, now(), now(), ?, 100, repeat('0', 64), 1, 'GLACIER', now(), now())`,
      [archiveId, co.companyId, co.workspaceId, co.workspaceId, randomUUID(), randomUUID(), `archives/${co.companyId}/schedule-test-${archiveId}.jsonl.gz`],
    );
    const restoreId = randomUUID();
    await em().execute(
      `insert into restore_requests (id, company_id, archive_id, tier, status, days, estimated_cost_usd, requested_by, decided_by, decided_at)
       values (?, ?, ?, 'STANDARD', 'APPROVED', 1, 0, 'dashboard:dpo-1', 'ops-1', now())`,
      [restoreId, co.companyId, archiveId],
    );
    await until("the restore completed by the scheduled runs", async () => {
      const [r] = await em().execute<Array<{ status: string }>>(`select status from restore_requests where id = ?`, [restoreId]);
      return r!.status === "COMPLETED";
    });
    const worked = await jobRows();
    expect(worked["restore-initiation"]).toBe(1);
    expect(worked["restore-status"]).toBe(1);
    expect(worked["restore-expiry"]).toBe(0); // available for a day: nothing to expire

    // Nothing left to do again: more periods, no more rows.
    await sleep(2_200);
    expect(await jobRows()).toEqual(worked);

    // By hand (hyrelog job run) a job always runs, with or without work, and reports what it did.
    const res = await dash(stack, { role: "HYRELOG_ADMIN", userId: "ops-1" }, "POST", "/dashboard/admin/jobs/restore-initiation/run", {});
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ status: "COMPLETED", result: { initiated: 0, failed: 0 } });
    expect((await jobRows())["restore-initiation"]).toBe(2);
  }, 30_000);
});
