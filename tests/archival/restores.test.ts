/**
 * Restores of cold archives (issue 13): a company asks through the dashboard, HyreLog staff
 * approve, the archival service initiates, follows and expires the restore (simulated locally:
 * it completes ARCHIVAL_RESTORE_SIMULATED_DELAY_MS after it started), and archived exports read
 * a cold archive only while it is restored. Aged with asOf, as `hyrelog job run --as-of` does.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { TestStack } from "@hyrelog/testing";
import { dash, until } from "../dashboard/helpers.ts";
import { startExport, waitForExport } from "../exports/helpers.ts";

let stack: TestStack;
const STAFF = { role: "HYRELOG_ADMIN" as const, userId: "ops-1" };
const DAY = 86_400_000;
const HOUR = 3_600_000;
const start = Date.now();
const at = (ms: number) => new Date(start + ms);

beforeAll(async () => {
  stack = await TestStack.start({ infra: inject("infra"), regions: ["us"], plan: "ENTERPRISE", env: { ARCHIVAL_RESTORE_SIMULATED_DELAY_MS: String(HOUR) } });
});
afterAll(async () => {
  await stack?.stop();
});

const co = () => stack.companies.us!;
const admin = () => ({ role: "ADMIN" as const, companyId: co().companyId, userId: "dpo-1" });

async function runJob(name: string, asOf: Date) {
  const res = await dash(stack, STAFF, "POST", `/dashboard/admin/jobs/${name}/run`, { asOf: asOf.toISOString() });
  expect(res.status, res.text).toBe(200);
  expect(res.body.status, res.text).toBe("COMPLETED");
  return res.body.result as Record<string, any>;
}

async function archivedExport() {
  return stack.api(co().companyKey, "POST", "/v1/exports", { source: "ARCHIVED", format: "JSONL", filters: { workspaceId: co().workspaceId } });
}

describe("restore requests", () => {
  let archiveId: string;
  let requestId: string;

  it("an archive in cold storage is not exported: 409 restore_required naming it, nothing queued", async () => {
    const events = Array.from({ length: 20 }, (_, i) => ({ category: "doc", action: `doc.read.${i}`, actor: { id: `u${i % 2}` } }));
    expect((await stack.api(co().workspaceKey, "POST", "/v1/events", { events })).status).toBe(201);
    await until("a checkpoint of 20 events", async () => (await stack.api(co().workspaceKey, "GET", "/v1/checkpoints/latest")).body.treeSize >= 20);
    await runJob("retention-marking", at(181 * DAY));
    await runJob("archival", at(181 * DAY));
    await runJob("archive-verification", at(181 * DAY));
    expect((await runJob("cold-marking", at(272 * DAY))).marked).toBeGreaterThanOrEqual(1);
    const archive = (await stack.api(co().workspaceKey, "GET", "/v1/archives")).body.data[0];
    expect(archive).toMatchObject({ storageClass: "GLACIER", rows: 20 });
    archiveId = archive.id;

    const jobsBefore = (await stack.api(co().companyKey, "GET", "/v1/jobs")).body.data.length;
    const refused = await archivedExport();
    expect(refused.status, refused.text).toBe(409);
    expect(refused.body.error).toMatchObject({ code: "restore_required", details: { archiveIds: [archiveId] } });
    expect((await stack.api(co().companyKey, "GET", "/v1/jobs")).body.data.length).toBe(jobsBefore);
  });

  it("the company asks; bad requests are refused and change nothing", async () => {
    const bad = [
      [{ archiveId, tier: "FAST" }, 400, "tier"],
      [{ archiveId, tier: "STANDARD", days: 0 }, 400, "days"],
      [{ archiveId, tier: "STANDARD", days: 31 }, 400, "days"],
      [{ archiveId: "nope", tier: "STANDARD" }, 400, "archiveId"],
      [{ tier: "STANDARD" }, 400, "archiveId"],
      [{ archiveId, tier: "STANDARD", colour: "red" }, 400, "colour"],
      [{ archiveId: "01a24e3a-cb78-7001-9a0e-38ce6a875733", tier: "STANDARD" }, 404, "not found"],
    ] as const;
    for (const [body, status, text] of bad) {
      const res = await dash(stack, admin(), "POST", "/dashboard/restore-requests", body);
      expect(res.status, `${JSON.stringify(body)}: ${res.text}`).toBe(status);
      expect(res.text).toContain(text);
    }
    const member = await dash(stack, { ...admin(), role: "MEMBER" }, "POST", "/dashboard/restore-requests", { archiveId, tier: "STANDARD" });
    expect(member.status).toBe(403);
    expect((await dash(stack, admin(), "GET", "/dashboard/restore-requests")).body.data).toEqual([]);

    const created = await dash(stack, admin(), "POST", "/dashboard/restore-requests", { archiveId, tier: "EXPEDITED", days: 3, reason: "auditor asked for Q1" });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({ status: "PENDING", tier: "EXPEDITED", days: 3, archiveId, requestedBy: "dashboard:dpo-1", reason: "auditor asked for Q1" });
    expect(created.body.estimatedCostUsd).toBeGreaterThan(0);
    requestId = created.body.id;
    // One open request per archive.
    const again = await dash(stack, admin(), "POST", "/dashboard/restore-requests", { archiveId, tier: "BULK" });
    expect(again.status).toBe(409);
    const got = await dash(stack, admin(), "GET", `/dashboard/restore-requests/${requestId}`);
    expect(got.body).toMatchObject({ id: requestId, archive: { id: archiveId, storageClass: "GLACIER" } });
    // Not approved: nothing starts.
    expect(await runJob("restore-initiation", at(272 * DAY))).toMatchObject({ initiated: 0 });
  });

  it("HyreLog staff approve; the service initiates, follows and completes it; the archive reads again", async () => {
    const customerCancel = async () => dash(stack, admin(), "DELETE", `/dashboard/restore-requests/${requestId}`);
    const approved = await dash(stack, STAFF, "POST", `/dashboard/admin/restore-requests/${requestId}/approve`, { comment: "cost accepted" });
    expect(approved.status, approved.text).toBe(200);
    expect(approved.body).toMatchObject({ status: "APPROVED", decidedBy: "dashboard:ops-1", decisionComment: "cost accepted" });
    expect((await dash(stack, STAFF, "POST", `/dashboard/admin/restore-requests/${requestId}/approve`, {})).status).toBe(409);
    // The company can cancel only while PENDING.
    expect((await customerCancel()).status).toBe(409);

    const t = 273 * DAY;
    expect(await runJob("restore-initiation", at(t))).toMatchObject({ initiated: 1, failed: 0 });
    expect(await runJob("restore-status", at(t + 30 * 60_000))).toMatchObject({ completed: 0, inProgress: 1 });
    expect(await runJob("restore-status", at(t + 2 * HOUR))).toMatchObject({ completed: 1 });
    const done = (await dash(stack, admin(), "GET", `/dashboard/restore-requests/${requestId}`)).body;
    expect(done).toMatchObject({ status: "COMPLETED", availableUntil: at(t + 2 * HOUR + 3 * DAY).toISOString() });

    const exported = await waitForExport(stack, co().companyKey, await startExport(stack, co().companyKey, { source: "ARCHIVED", format: "JSONL", filters: { workspaceId: co().workspaceId } }));
    expect(exported).toMatchObject({ status: "COMPLETED", rowCount: 20 });
  });

  it("expires after its days: the archive is cold again; every step is in the company's log", async () => {
    expect(await runJob("restore-expiry", at(273 * DAY + 2 * DAY))).toMatchObject({ expired: 0 });
    expect(await runJob("restore-expiry", at(273 * DAY + 4 * DAY))).toMatchObject({ expired: 1 });
    expect((await dash(stack, admin(), "GET", `/dashboard/restore-requests/${requestId}`)).body.status).toBe("EXPIRED");
    expect((await archivedExport()).status).toBe(409);

    const log = await stack.api(co().companyKey, "GET", `/v1/events?category=archive&limit=100`);
    const actions = log.body.data.filter((e: any) => e.target.id === requestId).map((e: any) => e.action).reverse();
    expect(actions).toEqual(["restore.requested", "restore.approved", "restore.initiated", "restore.completed", "restore.expired"]);
  });

  it("a request can be rejected, or cancelled while pending, and another company never sees it", async () => {
    const second = await dash(stack, admin(), "POST", "/dashboard/restore-requests", { archiveId, tier: "BULK" });
    expect(second.status, second.text).toBe(201);
    const rejected = await dash(stack, STAFF, "POST", `/dashboard/admin/restore-requests/${second.body.id}/reject`, { comment: "not needed" });
    expect(rejected.body).toMatchObject({ status: "REJECTED", decisionComment: "not needed" });
    const third = await dash(stack, admin(), "POST", "/dashboard/restore-requests", { archiveId, tier: "STANDARD" });
    const cancelled = await dash(stack, admin(), "DELETE", `/dashboard/restore-requests/${third.body.id}`);
    expect(cancelled.body.status).toBe("CANCELLED");
    expect((await dash(stack, admin(), "DELETE", `/dashboard/restore-requests/${third.body.id}`)).status).toBe(409);

    const statuses = (await dash(stack, admin(), "GET", "/dashboard/restore-requests")).body.data.map((q: any) => q.status);
    expect(statuses).toEqual(["CANCELLED", "REJECTED", "EXPIRED"]);
    const paged = await dash(stack, admin(), "GET", "/dashboard/restore-requests?limit=2");
    expect(paged.body.hasMore).toBe(true);
    const rest = await dash(stack, admin(), "GET", `/dashboard/restore-requests?limit=2&cursor=${paged.body.nextCursor}`);
    expect(rest.body.data.map((q: any) => q.status)).toEqual(["EXPIRED"]);
    const pending = await dash(stack, STAFF, "GET", "/dashboard/admin/restore-requests?status=PENDING");
    expect(pending.body.data).toEqual([]);
    expect((await dash(stack, STAFF, "GET", "/dashboard/admin/restore-requests?status=SOON")).status).toBe(400);

    const other = await stack.seedCompany("us", "ENTERPRISE", "Other Co");
    const stranger = { role: "ADMIN" as const, companyId: other.companyId, userId: "x" };
    expect((await dash(stack, stranger, "GET", `/dashboard/restore-requests/${requestId}`)).status).toBe(404);
    expect((await dash(stack, stranger, "DELETE", `/dashboard/restore-requests/${third.body.id}`)).status).toBe(404);
    expect((await dash(stack, stranger, "GET", "/dashboard/restore-requests")).body.data).toEqual([]);
  });

  it("plans gate the tiers: STARTER none, GROWTH standard and bulk, ENTERPRISE all three", async () => {
    const setPlan = async (tier: string) => expect((await dash(stack, STAFF, "POST", `/dashboard/admin/companies/${co().companyId}/plan`, { tier })).status).toBe(200);
    const ask = (tier: string) => dash(stack, admin(), "POST", "/dashboard/restore-requests", { archiveId, tier });
    await setPlan("STARTER");
    const starter = await ask("BULK");
    expect(starter.status).toBe(403);
    expect(starter.body.error).toMatchObject({ code: "plan_limit", details: { plan: "STARTER", limit: "restoreTiers", value: "none" } });
    await setPlan("GROWTH");
    const growth = await ask("EXPEDITED");
    expect(growth.status).toBe(403);
    expect(growth.body.error.message).toContain("STANDARD or BULK");
    const ok = await ask("STANDARD");
    expect(ok.status, ok.text).toBe(201);
    expect((await dash(stack, admin(), "DELETE", `/dashboard/restore-requests/${ok.body.id}`)).body.status).toBe("CANCELLED");
    await setPlan("ENTERPRISE");
  });
});
