import { expect } from "vitest";
import type { TestStack } from "@hyrelog/testing";

/** Ingests events through the API in batches of up to 1000. */
export async function ingestMany(stack: TestStack, key: string, events: unknown[]): Promise<void> {
  for (let i = 0; i < events.length; i += 1000) {
    const res = await stack.api(key, "POST", "/v1/events", { events: events.slice(i, i + 1000) });
    expect(res.status, res.text).toBe(201);
  }
}

/** Every event GET /v1/events lists for these filters, all pages, newest first. */
export async function queryAll(stack: TestStack, key: string, filters: Record<string, string> = {}): Promise<any[]> {
  const out: any[] = [];
  let cursor: string | null = null;
  do {
    const q = new URLSearchParams({ ...filters, limit: "1000", ...(cursor ? { cursor } : {}) });
    const res = await stack.api(key, "GET", `/v1/events?${q}`);
    expect(res.status, res.text).toBe(200);
    out.push(...res.body.data);
    cursor = res.body.nextCursor;
  } while (cursor);
  return out;
}

export async function startExport(stack: TestStack, key: string, body: Record<string, unknown>): Promise<string> {
  const res = await stack.api(key, "POST", "/v1/exports", body);
  expect(res.status, res.text).toBe(202);
  expect(res.body.status).toBe("PENDING");
  return res.body.jobId;
}

/** Polls GET /v1/jobs/:jobId until the first attempt is PROCESSING and has reported progress; returns the job. */
export async function waitUntilExporting(stack: TestStack, key: string, jobId: string): Promise<any> {
  let job: any;
  for (let i = 0; i < 200; i++) {
    job = (await stack.api(key, "GET", `/v1/jobs/${jobId}`)).body;
    if (job.status === "PROCESSING" && job.progress.done > 0) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(job.status).toBe("PROCESSING");
  return job;
}

/** Polls GET /v1/exports/:jobId until the job is COMPLETED, FAILED or CANCELLED. */
export async function waitForExport(stack: TestStack, key: string, jobId: string, timeoutMs = 60_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await stack.api(key, "GET", `/v1/exports/${jobId}`);
    expect(res.status, res.text).toBe(200);
    if (["COMPLETED", "FAILED", "CANCELLED"].includes(res.body.status)) return res.body;
    if (Date.now() > deadline) throw new Error(`export ${jobId} still ${res.body.status} after ${timeoutMs} ms: ${res.text}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Downloads with plain fetch (no credentials: the presigned URL is the only authorisation). */
export async function fetchText(url: string): Promise<{ status: number; text: string }> {
  const res = await fetch(url);
  return { status: res.status, text: await res.text() };
}
