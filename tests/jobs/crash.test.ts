import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { TestStack, connectBus, type Bus } from "@hyrelog/testing";
import { killAllServe, startServe } from "../ingest/serve-process.ts";
import { ingestMany, queryAll } from "../exports/helpers.ts";

/**
 * A worker killed with SIGKILL in the middle of an export: nothing hands the job back, so the
 * retry comes from JetStream redelivering the unacknowledged message after the ack wait and the
 * job row's lease running out. The second attempt writes the same object key: one file.
 */
let stack: TestStack;
const buses: Bus[] = [];
beforeAll(async () => {
  stack = await TestStack.start({ infra: inject("infra"), regions: ["us"] });
}, 120_000);
afterAll(async () => {
  await killAllServe();
  for (const b of buses) await b.close();
  await stack?.stop();
});

async function api(base: string, key: string, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: await res.json() };
}

it("a job whose worker was SIGKILLed mid-export is retried by another process and completes with one file", async () => {
  const co = stack.companies.us!;
  await ingestMany(stack, co.workspaceKey, Array.from({ length: 4000 }, (_, i) => ({ category: "c", action: "a", actor: { id: `u${i}` } })));
  const s3Url = inject("infra").s3Url!;
  const prefix = `t${randomBytes(4).toString("hex")}`;
  const opts = {
    databaseUrl: stack.regions.us!.databaseUrl,
    natsUrl: inject("infra").natsUrl,
    natsPrefix: prefix,
    apiKeySecret: stack.apiKeySecret,
    env: {
      S3_ENDPOINT: s3Url,
      S3_ACCESS_KEY_ID: "S3RVER",
      S3_SECRET_ACCESS_KEY: "S3RVER",
      S3_FORCE_PATH_STYLE: "true",
      S3_BUCKET: stack.s3Bucket("us"),
      WEBHOOK_SECRET_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      EXPORT_PAGE_ROWS: "200",
      EXPORT_TEST_PAGE_DELAY_MS: "100",
      JOB_LEASE_MS: "1500",
      JOB_RETRY_DELAY_MS: "100",
    },
  };
  const first = await startServe(opts);
  // The streams of this prefix are removed at the end (the stack only removes its own).
  const bus = await connectBus({ url: opts.natsUrl, prefix, region: "us", name: "crash-test" });
  buses.push(bus);

  const created = await api(first.gatewayUrl, co.workspaceKey, "POST", "/v1/exports", { source: "HOT", format: "JSONL" });
  expect(created.status, JSON.stringify(created.body)).toBe(202);
  const jobId: string = created.body.jobId;
  let job: any;
  for (let i = 0; i < 200; i++) {
    job = (await api(first.gatewayUrl, co.workspaceKey, "GET", `/v1/jobs/${jobId}`)).body;
    if (job.status === "PROCESSING" && job.progress.done > 0) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(job.status).toBe("PROCESSING");
  expect(job.progress.done).toBeLessThan(4000);
  first.child.kill("SIGKILL");
  expect((await first.exited).signal).toBe("SIGKILL");

  const second = await startServe(opts);
  let done: any;
  for (let i = 0; i < 600; i++) {
    done = (await api(second.gatewayUrl, co.workspaceKey, "GET", `/v1/exports/${jobId}`)).body;
    if (["COMPLETED", "FAILED"].includes(done.status)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(done.status, JSON.stringify(done)).toBe("COMPLETED");
  // The killed attempt counts: this was the second.
  expect(done.attempts).toBe(2);
  const jobNow = (await api(second.gatewayUrl, co.workspaceKey, "GET", `/v1/jobs/${jobId}`)).body;
  const text = await (await fetch(done.downloadUrl)).text();
  const lines = text.split("\n").filter(Boolean).map((l) => JSON.parse(l));
  const expected = (await queryAll(stack, co.workspaceKey)).filter((e) => e.id < jobNow.params.beforeId);
  expect(lines).toEqual(expected);
  expect(await stack.s3Keys("us", "exports/")).toEqual([`exports/us/${co.companyId}/${jobId}.jsonl`]);
  second.child.kill("SIGTERM");
  await second.exited;
  const jsm = await bus.js.jetstreamManager();
  for (const s of ["EVENTS", "NOTIFICATIONS", "JOBS"]) await jsm.streams.delete(`${prefix}_${s}_us`.toUpperCase()).catch(() => false);
}, 120_000);
