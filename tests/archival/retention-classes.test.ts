/**
 * Retention classes (issue 13, seed 002's audit levels): a company keeps some categories hot for
 * their own number of days. Marking honours every event's class; archives stay contiguous, so a
 * longer class holds back the events after it.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { TestStack } from "@hyrelog/testing";
import { dash, until } from "../dashboard/helpers.ts";

let stack: TestStack;
const STAFF = { role: "HYRELOG_ADMIN" as const, userId: "ops-1" };
const DAY = 86_400_000;

beforeAll(async () => {
  stack = await TestStack.start({ infra: inject("infra"), regions: ["us"], plan: "GROWTH" });
});
afterAll(async () => {
  await stack?.stop();
});

const co = () => stack.companies.us!;
const admin = () => ({ role: "ADMIN" as const, companyId: co().companyId, userId: "dpo-1" });

async function candidateTo(): Promise<number> {
  const [row] = await stack.regions.us!.orm.em.fork().execute<Array<{ n: string }>>(`select candidate_to::text as n from log_lifecycle where log_id = ?`, [co().workspaceId]);
  return Number(row?.n ?? 0);
}

async function mark(days: number) {
  const res = await dash(stack, STAFF, "POST", "/dashboard/admin/jobs/retention-marking/run", { asOf: new Date(Date.now() + days * DAY).toISOString() });
  expect(res.body.status, res.text).toBe("COMPLETED");
}

describe("retention classes", () => {
  it("are set by the company within its plan's limits, and bad ones change nothing", async () => {
    const empty = await dash(stack, admin(), "GET", "/dashboard/retention-classes");
    expect(empty.body).toEqual({ classes: [], defaultHotRetentionDays: 90, maxHotRetentionDays: 365 });
    for (const [body, field] of [
      [{ classes: [{ category: "security", hotRetentionDays: 366 }] }, "classes[0].hotRetentionDays"],
      [{ classes: [{ category: "security", hotRetentionDays: 0 }] }, "classes[0].hotRetentionDays"],
      [{ classes: [{ category: "a\u0000b", hotRetentionDays: 5 }] }, "classes[0].category"],
      [{ classes: [{ category: "x", hotRetentionDays: 5 }, { category: "x", hotRetentionDays: 6 }] }, "classes[1].category"],
      [{ classes: [{ category: "x", hotRetentionDays: "5" }] }, "classes[0].hotRetentionDays"],
      [{ classes: "all" }, "classes"],
      [{ classes: [], extra: 1 }, "extra"],
    ] as const) {
      const res = await dash(stack, admin(), "PUT", "/dashboard/retention-classes", body);
      expect(res.status, res.text).toBe(400);
      expect(res.body.error.details.violations.map((v: { field: string }) => v.field)).toContain(field);
    }
    expect((await dash(stack, { ...admin(), role: "MEMBER" }, "PUT", "/dashboard/retention-classes", { classes: [] })).status).toBe(403);
    expect((await dash(stack, admin(), "GET", "/dashboard/retention-classes")).body.classes).toEqual([]);

    const set = await dash(stack, admin(), "PUT", "/dashboard/retention-classes", {
      classes: [
        { category: "security", hotRetentionDays: 365 },
        { category: "debug", hotRetentionDays: 30 },
      ],
    });
    expect(set.status, set.text).toBe(200);
    expect(set.body.classes).toEqual([
      { category: "debug", hotRetentionDays: 30 },
      { category: "security", hotRetentionDays: 365 },
    ]);
    const recorded = await stack.api(co().companyKey, "GET", "/v1/events?action=retention.classes_changed");
    expect(recorded.body.data[0].changes).toEqual([{ field: "retentionClasses", old: "none", new: "debug=30d, security=365d" }]);
    // Another company's classes are its own.
    const other = await stack.seedCompany("us", "GROWTH", "Other Co");
    expect((await dash(stack, { role: "ADMIN", companyId: other.companyId, userId: "o" }, "GET", "/dashboard/retention-classes")).body.classes).toEqual([]);
  });

  it("marks each event past its own class's retention; a longer class holds back the events after it", async () => {
    const events = [
      { category: "debug", action: "cache.miss" }, // 1: 30 days
      { category: "user", action: "user.login" }, // 2: the plan's 90 days
      { category: "security", action: "mfa.disabled" }, // 3: 365 days
      { category: "debug", action: "cache.miss" }, // 4: 30 days, behind 3
    ].map((e) => ({ ...e, actor: { id: "u1" } }));
    expect((await stack.api(co().workspaceKey, "POST", "/v1/events", { events })).status).toBe(201);
    await until("the log's lifecycle row", async () => (await stack.api(co().workspaceKey, "GET", "/v1/events?limit=1")).status === 200);

    await mark(31);
    expect(await candidateTo()).toBe(1); // the user.login event stays hot its 90 days
    await mark(91);
    expect(await candidateTo()).toBe(2); // security keeps 3 (and 4 behind it) hot
    await mark(366);
    expect(await candidateTo()).toBe(4);
  });
});
