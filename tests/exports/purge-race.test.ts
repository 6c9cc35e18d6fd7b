/**
 * An export racing the hot purge (issue 13): the hot purge deletes events from PostgreSQL while an
 * export that reads them is half-way. The export reads its hot rows in one snapshot taken with
 * the purge watermark it reads archives up to, so every event of its range is written exactly
 * once: HOT_AND_ARCHIVED still finds the purged events (hot, in its snapshot), HOT still writes
 * every event that was hot when it started.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { TestStack } from "@hyrelog/testing";
import { dash, until } from "../dashboard/helpers.ts";
import { fetchText, ingestMany, startExport, waitForExport, waitUntilExporting } from "./helpers.ts";

let stack: TestStack;
const STAFF = { role: "HYRELOG_ADMIN" as const, userId: "ops-1" };
const DAY = 86_400_000;

beforeAll(async () => {
  stack = await TestStack.start({
    infra: inject("infra"),
    regions: ["us"],
    plan: "GROWTH",
    // Small pages with a pause after each (test hook): the purge certainly runs while the export is mid-way.
    env: { EXPORT_PAGE_ROWS: "20", EXPORT_TEST_PAGE_DELAY_MS: "250" },
  });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

const co = () => stack.companies.us!;

async function runJob(name: string, asOf: Date): Promise<Record<string, any>> {
  const res = await dash(stack, STAFF, "POST", `/dashboard/admin/jobs/${name}/run`, { asOf: asOf.toISOString() });
  expect(res.status, res.text).toBe(200);
  expect(res.body.status, JSON.stringify(res.body)).toBe("COMPLETED");
  return res.body.result as Record<string, any>;
}

async function lifecycle(): Promise<{ stored: number; purgedTo: number }> {
  const [row] = await stack.regions
    .us!.orm.em.fork()
    .execute<
      Array<{ stored: number; purged_to: number }>
    >(`select (select coalesce(max(sequence), 0)::int from audit_events where log_id = ?) as stored, coalesce((select purged_to::int from log_lifecycle where log_id = ?), 0) as purged_to`, [co().workspaceId, co().workspaceId]);
  return { stored: row!.stored, purgedTo: row!.purged_to };
}

/** Ingests `n` events, waits until they are stored and in a signed checkpoint (an archive needs one), and archives and verifies every event as of `asOf`. */
async function archiveAll(n: number, asOf: Date): Promise<number> {
  const before = (await lifecycle()).stored;
  await ingestMany(
    stack,
    co().workspaceKey,
    Array.from({ length: n }, (_, i) => ({ category: "document", action: "document.edited", actor: { id: `user_${i % 5}` }, target: { id: `doc_${before + i}`, type: "document" } })),
  );
  const size = await until("the events stored and checkpointed", async () => {
    const r = await stack.api(co().workspaceKey, "GET", "/v1/checkpoints/latest");
    const { stored } = await lifecycle();
    return r.status === 200 && stored >= before + n && r.body.treeSize >= stored ? stored : null;
  });
  await runJob("retention-marking", asOf);
  await runJob("archival", asOf);
  expect(await runJob("archive-verification", asOf)).toMatchObject({ failed: 0 });
  return size;
}

/** Starts an export, runs the hot purge once it has written its first page, and returns the exported sequences. */
async function exportRacingPurge(body: Record<string, unknown>, purgeAsOf: Date): Promise<{ sequences: number[]; purged: number }> {
  const jobId = await startExport(stack, co().workspaceKey, body);
  const started = await waitUntilExporting(stack, co().workspaceKey, jobId);
  const purge = await runJob("hot-purge", purgeAsOf);
  // The purge ran while the export was still reading: the race this test is about.
  const mid = (await stack.api(co().workspaceKey, "GET", `/v1/jobs/${jobId}`)).body;
  expect(mid.status).toBe("PROCESSING");
  expect(started.progress.done).toBeLessThan(started.progress.total);
  const done = await waitForExport(stack, co().workspaceKey, jobId, 90_000);
  expect(done.status, JSON.stringify(done)).toBe("COMPLETED");
  const lines = (await fetchText(done.downloadUrl)).text.split("\n").filter(Boolean).map((l) => JSON.parse(l) as { sequence: number });
  expect(done.rowCount).toBe(lines.length);
  return { sequences: lines.map((l) => l.sequence), purged: purge.purged as number };
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const ascending = (xs: number[]) => [...xs].sort((a, b) => a - b);

describe("an export while the hot purge deletes its events", () => {
  it("HOT_AND_ARCHIVED writes every event once: the purged ones from its snapshot, none twice", async () => {
    // 1..200 archived and verified (not yet purged: the grace period has not passed), then 100 hot-only events.
    await archiveAll(200, new Date(Date.now() + 91 * DAY));
    await ingestMany(stack, co().workspaceKey, Array.from({ length: 100 }, (_, i) => ({ category: "document", action: "document.viewed", actor: { id: `user_${i}` } })));
    const stored = await until("the hot events stored", async () => ((await lifecycle()).stored >= 300 ? (await lifecycle()).stored : null));
    expect((await lifecycle()).purgedTo).toBe(0);

    const { sequences, purged } = await exportRacingPurge({ source: "HOT_AND_ARCHIVED", format: "JSONL" }, new Date(Date.now() + 100 * DAY));
    expect(purged).toBeGreaterThanOrEqual(200);
    expect((await lifecycle()).purgedTo).toBeGreaterThanOrEqual(200);
    // Every event the log had when the export started (its own records may follow), each once, the hot ones first.
    expect(sequences.length).toBe(new Set(sequences).size);
    expect(Math.max(...sequences)).toBeGreaterThanOrEqual(stored);
    expect(ascending(sequences)).toEqual(range(1, Math.max(...sequences)));
    expect(sequences[0]).toBe(Math.max(...sequences));

    // Run again after the purge: the same events, now the older ones from the archives.
    const again = await waitForExport(stack, co().workspaceKey, await startExport(stack, co().workspaceKey, { source: "HOT_AND_ARCHIVED", format: "JSONL" }), 90_000);
    const lines = (await fetchText(again.downloadUrl)).text.split("\n").filter(Boolean).map((l) => JSON.parse(l) as { sequence: number });
    const all = lines.map((l) => l.sequence);
    expect(all.length).toBe(new Set(all).size);
    expect(ascending(all)).toEqual(range(1, Math.max(...all)));
  }, 180_000);

  it("HOT writes every event that was hot when it started", async () => {
    const from = (await lifecycle()).purgedTo + 1;
    const stored = await archiveAll(150, new Date(Date.now() + 200 * DAY));
    const { sequences, purged } = await exportRacingPurge({ source: "HOT", format: "JSONL" }, new Date(Date.now() + 210 * DAY));
    expect(purged).toBeGreaterThanOrEqual(150);
    expect(sequences.length).toBe(new Set(sequences).size);
    expect(Math.max(...sequences)).toBeGreaterThanOrEqual(stored);
    expect(ascending(sequences)).toEqual(range(from, Math.max(...sequences)));
  }, 180_000);
});
