import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { TestStack } from "@hyrelog/testing";
import { ingestMany, startExport, waitForExport } from "../exports/helpers.ts";

/**
 * A job attempt that runs past its type's timeout is stopped and counts as a failed attempt;
 * after maxAttempts (3 for exports) the job is FAILED with the reason, and nothing is left behind.
 */
let stack: TestStack;
beforeAll(async () => {
  stack = await TestStack.start({
    infra: inject("infra"),
    regions: ["us"],
    // 20 pages of 50 rows at 100 ms each: 2 s, twice the 1 s timeout.
    env: { EXPORT_TIMEOUT_MS: "1000", EXPORT_PAGE_ROWS: "50", EXPORT_TEST_PAGE_DELAY_MS: "100", JOB_RETRY_DELAY_MS: "100" },
  });
}, 120_000);
afterAll(async () => stack?.stop());

it("an export that exceeds its timeout is retried, then FAILED after 3 attempts with the timeout named", async () => {
  const co = stack.companies.us!;
  await ingestMany(stack, co.workspaceKey, Array.from({ length: 1000 }, (_, i) => ({ category: "c", action: "a", actor: { id: `u${i}` } })));
  const jobId = await startExport(stack, co.workspaceKey, { source: "HOT", format: "JSONL" });
  const done = await waitForExport(stack, co.workspaceKey, jobId, 30_000);
  expect(done).toMatchObject({ status: "FAILED", attempts: 3, maxAttempts: 3, downloadUrl: null });
  expect(done.error).toMatch(/timed out after 1000 ms/);
  const job = (await stack.api(co.workspaceKey, "GET", `/v1/jobs/${jobId}`)).body;
  expect(job).toMatchObject({ status: "FAILED", attempts: 3, result: null });
  expect(job.progress.done).toBeLessThan(1000);
  // No file and no completion record for a job that never finished.
  expect(await stack.s3Keys("us", "exports/")).toEqual([]);
  const audit = await stack.api(co.companyKey, "GET", `/v1/events?action=export.completed`);
  expect(audit.body.data).toEqual([]);
});
