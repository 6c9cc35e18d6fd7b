/**
 * Cold storage (issue 13): cold marking tags each archive's object `hyrelog-storage=cold` (what the
 * bucket's lifecycle rule moves to ARCHIVAL_COLD_STORAGE_CLASS in production) and only then records
 * it cold; an object that cannot be tagged is reported and stays as it was. With
 * ARCHIVAL_COLD_STORAGE=s3 the service sets that rule at start, and a bucket that refuses it
 * (s3rver has no lifecycle configuration) stops the start with the reason.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { TestStack } from "@hyrelog/testing";
import { dash, until } from "../dashboard/helpers.ts";

let stack: TestStack;
const STAFF = { role: "HYRELOG_ADMIN" as const, userId: "ops-1" };
const DAY = 86_400_000;
const start = Date.now();
const at = (ms: number) => new Date(start + ms);

beforeAll(async () => {
  stack = await TestStack.start({ infra: inject("infra"), regions: ["us"], plan: "ENTERPRISE", env: { ARCHIVAL_COLD_STORAGE_CLASS: "DEEP_ARCHIVE" } });
});
afterAll(async () => {
  await stack?.stop();
});

const co = () => stack.companies.us!;

async function runJob(name: string, asOf: Date) {
  const res = await dash(stack, STAFF, "POST", `/dashboard/admin/jobs/${name}/run`, { asOf: asOf.toISOString() });
  expect(res.status, res.text).toBe(200);
  expect(res.body.status, res.text).toBe("COMPLETED");
  return res.body.result as Record<string, any>;
}

describe("cold marking", () => {
  it("tags the archive's object cold, then records the configured storage class; an object it cannot tag is reported and left as it was", async () => {
    const events = Array.from({ length: 12 }, (_, i) => ({ category: "doc", action: `doc.read.${i}`, actor: { id: `u${i % 2}` } }));
    expect((await stack.api(co().workspaceKey, "POST", "/v1/events", { events })).status).toBe(201);
    await until("a checkpoint of 12 events", async () => (await stack.api(co().workspaceKey, "GET", "/v1/checkpoints/latest")).body.treeSize >= 12);
    await runJob("retention-marking", at(181 * DAY));
    expect((await runJob("archival", at(181 * DAY))).archives).toBe(1);
    expect(await runJob("archive-verification", at(181 * DAY))).toMatchObject({ verified: 1 });
    const [key] = await stack.s3Keys("us", `archives/${co().companyId}/`);
    const archive = (await stack.api(co().workspaceKey, "GET", "/v1/archives")).body.data[0];
    expect(await stack.s3ObjectTags("us", key!)).toEqual({});

    // The object is missing: the run reports it, records nothing, tags nothing.
    const bytes = await stack.s3Object("us", key!);
    await stack.deleteS3Object("us", key!);
    const failed = await runJob("cold-marking", at(272 * DAY));
    expect(failed).toMatchObject({ marked: 0, failed: 1 });
    expect(failed.failures).toEqual([{ archiveId: archive.id, error: expect.stringMatching(new RegExp(`the object ${key} could not be tagged: NoSuchKey`)) }]);
    expect((await stack.api(co().workspaceKey, "GET", "/v1/archives")).body.data[0]).toMatchObject({ id: archive.id, storageClass: "STANDARD" });

    // Back in place: the next run tags it and records it in ARCHIVAL_COLD_STORAGE_CLASS.
    await stack.putS3Object("us", key!, bytes);
    expect(await runJob("cold-marking", at(272 * DAY))).toMatchObject({ marked: 1, failed: 0 });
    expect(await stack.s3ObjectTags("us", key!)).toEqual({ "hyrelog-storage": "cold" });
    expect((await stack.api(co().workspaceKey, "GET", "/v1/archives")).body.data[0]).toMatchObject({ id: archive.id, storageClass: "DEEP_ARCHIVE" });
    // Once only.
    expect(await runJob("cold-marking", at(300 * DAY))).toMatchObject({ marked: 0, failed: 0 });

    // Cold whatever the class: an archived export needs a restore first.
    const refused = await stack.api(co().companyKey, "POST", "/v1/exports", { source: "ARCHIVED", format: "JSONL", filters: { workspaceId: co().workspaceId } });
    expect(refused.status, refused.text).toBe(409);
    expect(refused.body.error).toMatchObject({ code: "restore_required", details: { archiveIds: [archive.id] } });
  });
});

describe("ARCHIVAL_COLD_STORAGE=s3", () => {
  it("sets the bucket's lifecycle rule at start; a bucket that refuses it (s3rver) stops the start, naming the permissions and the simulate setting", async () => {
    await expect(TestStack.start({ infra: inject("infra"), regions: ["us"], env: { ARCHIVAL_COLD_STORAGE: "s3" } })).rejects.toThrow(
      /ARCHIVAL_COLD_STORAGE=s3: could not set the lifecycle rule hyrelog-archives-cold of bucket .*NotImplemented.*s3:PutLifecycleConfiguration.*ARCHIVAL_COLD_STORAGE=simulate/s,
    );
  }, 120_000);

  it("bad settings are refused with every problem named", async () => {
    await expect(
      TestStack.start({ infra: inject("infra"), regions: ["us"], env: { ARCHIVAL_COLD_STORAGE: "glacier", ARCHIVAL_COLD_STORAGE_CLASS: "STANDARD_IA", ARCHIVAL_RESTORE_MODE: "s3" } }),
    ).rejects.toThrow(/ARCHIVAL_COLD_STORAGE must be s3 or simulate[\s\S]*ARCHIVAL_RESTORE_MODE is replaced by ARCHIVAL_COLD_STORAGE[\s\S]*ARCHIVAL_COLD_STORAGE_CLASS must be GLACIER or DEEP_ARCHIVE/);
  }, 120_000);
});
