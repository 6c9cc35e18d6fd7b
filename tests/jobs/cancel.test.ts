import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { TestStack } from "@hyrelog/testing";
import { ingestMany, startExport, waitUntilExporting } from "../exports/helpers.ts";

let stack: TestStack;
beforeAll(async () => {
  stack = await TestStack.start({
    infra: inject("infra"),
    regions: ["us"],
    env: { EXPORT_PAGE_ROWS: "100", EXPORT_TEST_PAGE_DELAY_MS: "100", JOB_LEASE_MS: "1500" },
  });
}, 120_000);
afterAll(async () => stack?.stop());

it("cancelling a running export stops it within seconds: CANCELLED stays, no file, no completion record", async () => {
  const co = stack.companies.us!;
  await ingestMany(stack, co.workspaceKey, Array.from({ length: 3000 }, (_, i) => ({ category: "c", action: "a", actor: { id: `u${i}` } })));
  const jobId = await startExport(stack, co.workspaceKey, { source: "HOT", format: "CSV" });
  await waitUntilExporting(stack, co.workspaceKey, jobId);
  const cancelled = await stack.api(co.workspaceKey, "POST", `/v1/jobs/${jobId}/cancel`);
  expect(cancelled.status, cancelled.text).toBe(200);
  expect(cancelled.body).toMatchObject({ status: "CANCELLED", error: "cancelled by request" });
  // Longer than the whole export would take (30 pages x 100 ms) had it kept running.
  await new Promise((r) => setTimeout(r, 4000));
  const after = (await stack.api(co.workspaceKey, "GET", `/v1/jobs/${jobId}`)).body;
  expect(after.status).toBe("CANCELLED");
  expect(after.result).toBeNull();
  expect(after.progress.done).toBeLessThan(3000);
  expect(await stack.s3Keys("us", "exports/")).toEqual([]);
  const files = await stack.regions.us!.orm.em.fork().execute(`select job_id from export_files where job_id = ?`, [jobId]);
  expect(files).toHaveLength(0);
});
