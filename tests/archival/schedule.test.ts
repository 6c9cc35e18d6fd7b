/**
 * The region's schedule (issue 13): periodic jobs start on their cadence, once per run, and a
 * region that fell behind (stopped for a day) catches up with one run, not a burst.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { TestStack } from "@hyrelog/testing";

let stack: TestStack;

beforeAll(async () => {
  stack = await TestStack.start({
    infra: inject("infra"),
    regions: ["us"],
    env: { ARCHIVAL_TICK_MS: "100", ARCHIVAL_EVERY_COLD_MARKING_MS: "1000" },
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
