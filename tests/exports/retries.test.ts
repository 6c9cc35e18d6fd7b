import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { TestStack } from "@hyrelog/testing";
import { fetchText, ingestMany, queryAll, startExport, waitForExport, waitUntilExporting } from "./helpers.ts";

describe("a worker stopped mid-export", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await TestStack.start({
      infra: inject("infra"),
      regions: ["us"],
      env: {
        // Small pages with a pause after each (test hook) so the export is certainly mid-way when the process stops:
        // 20 pages take 6 s, and progress is seen within ~1 s; at 100 ms a page, a loaded CI machine once finished
        // the export before the stop reached it.
        EXPORT_PAGE_ROWS: "200",
        EXPORT_TEST_PAGE_DELAY_MS: "300",
        JOB_LEASE_MS: "1500",
        JOB_RETRY_DELAY_MS: "100",
        // X-Amz-Date has whole seconds, so a URL signed late in a second lives up to 1 s less.
        EXPORT_DOWNLOAD_URL_TTL_SECONDS: "3",
      },
    });
  }, 120_000);
  afterAll(async () => stack?.stop());

  it("is taken up again after the restart and completes with one whole file", async () => {
    const co = stack.companies.us!;
    await ingestMany(stack, co.workspaceKey, Array.from({ length: 4000 }, (_, i) => ({ category: "c", action: "a", actor: { id: `u${i}` } })));
    const jobId = await startExport(stack, co.workspaceKey, { source: "HOT", format: "JSONL" });
    // Wait until the first attempt has written progress, then stop the region process under it.
    const job = await waitUntilExporting(stack, co.workspaceKey, jobId);
    expect(job.progress.done).toBeGreaterThan(0);
    expect(job.progress.done).toBeLessThan(4000);
    const firstStart = job.startedAt;
    await stack.restartRegion("us");
    const interrupted = (await stack.api(co.workspaceKey, "GET", `/v1/jobs/${jobId}`)).body;
    expect(["PENDING", "PROCESSING"]).toContain(interrupted.status);

    const done = await waitForExport(stack, co.workspaceKey, jobId, 90_000);
    expect(done.status, JSON.stringify(done)).toBe("COMPLETED");
    const after = (await stack.api(co.workspaceKey, "GET", `/v1/jobs/${jobId}`)).body;
    expect(after.startedAt).toBe(firstStart);
    // A graceful stop hands the job back without using up an attempt.
    expect(after.attempts).toBe(1);
    const lines = (await fetchText(done.downloadUrl)).text.split("\n").filter(Boolean).map((l) => JSON.parse(l));
    const expected = (await queryAll(stack, co.workspaceKey)).filter((e) => e.id < after.params.beforeId);
    expect(lines).toEqual(expected);
    expect(done.rowCount).toBe(expected.length);
    // One file: the re-run wrote the same key.
    expect(await stack.s3Keys("us", "exports/")).toEqual([`exports/us/${co.companyId}/${jobId}.jsonl`]);
    // And one notification record in the audit log.
    const records = (await queryAll(stack, co.workspaceKey, { action: "export.completed" })).filter((e) => e.target.id === jobId);
    expect(records).toHaveLength(1);
  }, 120_000);

  it("a presigned URL works with plain fetch, then has expired after its lifetime (3 s here)", async () => {
    const co = stack.companies.us!;
    const done = await waitForExport(stack, co.workspaceKey, await startExport(stack, co.workspaceKey, { source: "HOT", format: "CSV", limit: 3 }));
    const expiresIn = Date.parse(done.expiresAt) - Date.now();
    expect(expiresIn).toBeGreaterThan(0);
    expect(expiresIn).toBeLessThanOrEqual(3000);
    const fresh = await fetchText(done.downloadUrl);
    expect(fresh.status).toBe(200);
    expect(fresh.text.split("\r\n").filter(Boolean)).toHaveLength(4);
    await new Promise((r) => setTimeout(r, 4500));
    const stale = await fetchText(done.downloadUrl);
    expect(stale.status).toBe(403);
    expect(stale.text).toMatch(/expired/i);
    // GET again gives a fresh link.
    const again = await stack.api(co.workspaceKey, "GET", `/v1/exports/${done.jobId}`);
    expect((await fetchText(again.body.downloadUrl)).status).toBe(200);
  });
});

describe("an export that always fails", () => {
  let stack: TestStack;
  beforeAll(async () => {
    // A bucket that does not exist: every upload fails for real.
    stack = await TestStack.start({ infra: inject("infra"), regions: ["us"], env: { S3_BUCKET: "hyrelog-no-such-bucket", JOB_RETRY_DELAY_MS: "100" } });
  }, 120_000);
  afterAll(async () => stack?.stop());

  it("ends FAILED after 3 attempts with the error", async () => {
    const co = stack.companies.us!;
    await ingestMany(stack, co.workspaceKey, [{ category: "c", action: "a", actor: { id: "u" } }]);
    const jobId = await startExport(stack, co.workspaceKey, { source: "HOT", format: "CSV" });
    const done = await waitForExport(stack, co.workspaceKey, jobId);
    expect(done.status).toBe("FAILED");
    expect(done.attempts).toBe(3);
    expect(done.error).toMatch(/bucket/i);
    expect(done.downloadUrl).toBeNull();
    const job = (await stack.api(co.workspaceKey, "GET", `/v1/jobs/${jobId}`)).body;
    expect(job).toMatchObject({ status: "FAILED", attempts: 3, maxAttempts: 3 });
    expect(job.finishedAt).not.toBeNull();
    // Nothing was recorded as completed.
    expect((await queryAll(stack, co.workspaceKey, { action: "export.completed" })).length).toBe(0);
  });
});
