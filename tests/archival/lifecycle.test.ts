/**
 * The data lifecycle (issue 13) through the gateway, aged with `asOf` as `hyrelog job run --as-of`
 * does: events past hot retention are marked, archived to S3 as self-verifying archives that
 * `hyrelog verify --archive` checks offline, verified by the archival service (which reports a
 * corrupted object), marked cold on a plan with cold storage, and never archived twice.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { TestStack, verifyInclusion } from "@hyrelog/testing";
import { dash, until } from "../dashboard/helpers.ts";
import { fetchText, startExport, waitForExport } from "../exports/helpers.ts";

let stack: TestStack;
const ROOT = path.resolve(import.meta.dirname, "../..");
const STAFF = { role: "HYRELOG_ADMIN" as const, userId: "ops-1" };
const DAY = 86_400_000;
const EMAIL = "archived.person@example.com";

beforeAll(async () => {
  stack = await TestStack.start({ infra: inject("infra"), regions: ["us"], plan: "GROWTH" });
});
afterAll(async () => {
  await stack?.stop();
});

const co = () => stack.companies.us!;

async function runJob(name: string, asOf?: Date) {
  const res = await dash(stack, STAFF, "POST", `/dashboard/admin/jobs/${name}/run`, asOf ? { asOf: asOf.toISOString() } : {});
  expect(res.status, res.text).toBe(200);
  expect(res.body.status, JSON.stringify(res.body)).toBe("COMPLETED");
  return res.body.result as Record<string, any>;
}

async function ingest(n: number, from: number) {
  const events = Array.from({ length: n }, (_, i) => ({
    category: "document",
    action: `document.edited.${from + i}`,
    actor: { id: `user_${(from + i) % 3}`, email: EMAIL, name: "Archived Person" },
    target: { id: `doc_${from + i}`, type: "document", name: `Doc ${from + i}` },
  }));
  const res = await stack.api(co().workspaceKey, "POST", "/v1/events", { events });
  expect(res.status, res.text).toBe(201);
}

async function exported(key: string, body: Record<string, unknown>): Promise<{ job: any; lines: any[] }> {
  const job = await waitForExport(stack, key, await startExport(stack, key, body));
  expect(job.status, JSON.stringify(job)).toBe("COMPLETED");
  const file = await fetchText(job.downloadUrl);
  return { job, lines: body.format === "JSONL" && file.text.trim() ? file.text.trim().split("\n").map((l) => JSON.parse(l)) : [] };
}

function verifyEvents(lines: any[]): { status: number | null; out: string } {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "export-")), "events.jsonl");
  writeFileSync(file, lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
  const r = spawnSync(process.execPath, [path.join(ROOT, "apps/cli/src/main.ts"), "verify", "--events", file], { encoding: "utf8" });
  return { status: r.status, out: r.stdout + r.stderr };
}

function verifyArchive(gz: Buffer, keys: string[]): { status: number | null; out: string } {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "archive-")), "archive.jsonl.gz");
  writeFileSync(file, gz);
  const r = spawnSync(process.execPath, [path.join(ROOT, "apps/cli/src/main.ts"), "verify", "--archive", file, ...keys.flatMap((k) => ["--key", k])], { encoding: "utf8" });
  return { status: r.status, out: r.stdout + r.stderr };
}

describe("archival", () => {
  let archive: { id: string; sha256: string; rows: number; fromSequence: number; toSequence: number; objectKey: string };
  let vkeys: string[];

  it("marks, archives and lists the events past hot retention, only once", async () => {
    await ingest(40, 0);
    await ingest(25, 40);
    // Archives carry a signed checkpoint of their last event: wait for the checkpointer.
    await until("a checkpoint of the workspace log", async () => {
      const r = await stack.api(co().workspaceKey, "GET", "/v1/checkpoints/latest");
      return r.status === 200 && r.body.treeSize >= 65;
    });
    // Nothing is past GROWTH's 90 days of hot retention yet.
    expect((await runJob("retention-marking")).marked).toBe(0);
    expect((await runJob("archival")).archives).toBe(0);

    const later = new Date(Date.now() + 91 * DAY);
    const marked = await runJob("retention-marking", later);
    expect(marked.marked).toBeGreaterThanOrEqual(65);
    const archived = await runJob("archival", later);
    expect(archived.events).toBeGreaterThanOrEqual(65);
    expect(archived.archives).toBeGreaterThanOrEqual(1);

    const list = await stack.api(co().workspaceKey, "GET", "/v1/archives");
    expect(list.status, list.text).toBe(200);
    expect(list.body.data).toHaveLength(1);
    archive = { ...list.body.data[0], objectKey: "" };
    expect(archive).toMatchObject({ fromSequence: 1, toSequence: 65, rows: 65, storageClass: "STANDARD", verifiedAt: null });
    expect(archive.sha256).toMatch(/^[0-9a-f]{64}$/);

    // A second run finds nothing new; no object or row is duplicated.
    const again = await runJob("archival", later);
    expect(again.archives).toBe(0);
    const keys = await stack.s3Keys("us", `archives/${co().companyId}/`);
    expect(keys.filter((k) => k.includes(co().workspaceId))).toEqual([expect.stringMatching(new RegExp(`/${co().workspaceId}-1-65\\.jsonl\\.gz$`))]);
    archive.objectKey = keys.find((k) => k.includes(co().workspaceId))!;
  });

  it("writes an archive that verifies offline and holds personal data only sealed", async () => {
    vkeys = (await stack.api(co().workspaceKey, "GET", "/v1/verification/keys")).body.keys.map((k: { verifierKey: string }) => k.verifierKey);
    // What a customer downloads: GET /v1/archives/:id gives a presigned URL of the object.
    const one = await stack.api(co().companyKey, "GET", `/v1/archives/${archive.id}`);
    expect(one.body).toMatchObject({ id: archive.id, sha256: archive.sha256, downloadUrl: expect.stringMatching(/^http/) });
    const gz = Buffer.from(await (await fetch(one.body.downloadUrl)).arrayBuffer());
    expect(createHash("sha256").update(gz).digest("hex")).toBe(archive.sha256);
    const good = verifyArchive(gz, vkeys);
    expect(good.status, good.out).toBe(0);
    expect(good.out).toContain("OK: archive of log");
    expect(good.out).toContain("65 events checked");
    expect(good.out).toMatch(/signed by hyrelog\.us/);

    const text = gunzipSync(gz).toString("utf8");
    expect(text).not.toContain(EMAIL);
    expect(text).not.toContain("Archived Person");
    const lines = text.trim().split("\n");
    expect(lines).toHaveLength(66);
    expect(JSON.parse(lines[1]!)).toMatchObject({ v: 2, sequence: 1, actor: { email: null, name: null } });

    // One altered event, one dropped event: both found, exit status 1.
    const altered = [...lines];
    altered[10] = altered[10]!.replace(/document\.edited\.\d+/, "document.deleted");
    const bad = verifyArchive(gzipSync(altered.join("\n") + "\n"), vkeys);
    expect(bad.status, bad.out).toBe(1);
    expect(bad.out).toContain("altered at event 10");
    const dropped = verifyArchive(gzipSync([...lines.slice(0, 5), ...lines.slice(6)].join("\n") + "\n"), vkeys);
    expect(dropped.status).toBe(1);
    expect(dropped.out).toMatch(/missing/);
    // Without the region's keys the signature is not checked, and the report says so.
    const unsigned = verifyArchive(gz, []);
    expect(unsigned.status).toBe(0);
    expect(unsigned.out).toContain("signature NOT checked");
  });

  it("exports archived events with the same filters and formats, opened", async () => {
    // Company-key exports without a workspace filter are recorded in the company's log, not the workspace's.
    const all = await exported(co().companyKey, { source: "ARCHIVED", format: "JSONL" });
    expect(all.job).toMatchObject({ rowCount: 65, message: null });
    expect(all.lines.map((e) => e.sequence)).toEqual(Array.from({ length: 65 }, (_, i) => i + 1));
    expect(all.lines[0].actor).toMatchObject({ email: EMAIL, name: "Archived Person" });
    expect(verifyEvents(all.lines).status).toBe(0);
    // Byte for byte the lines a HOT export writes for the same events (still hot: not purged yet).
    const rawLines = async (source: string) => {
      const job = await waitForExport(stack, co().companyKey, await startExport(stack, co().companyKey, { source, format: "JSONL" }));
      return (await fetchText(job.downloadUrl)).text.trim().split("\n").filter((l) => JSON.parse(l).workspaceId === co().workspaceId).sort();
    };
    const archivedLines = await rawLines("ARCHIVED");
    expect(archivedLines).toHaveLength(65);
    expect(archivedLines).toEqual(await rawLines("HOT"));
    // The filters of GET /v1/events, applied to archived events: an action, an actor, an email.
    const one = await exported(co().companyKey, { source: "ARCHIVED", format: "JSONL", filters: { action: "document.edited.7" } });
    expect(one.lines.map((e) => e.sequence)).toEqual([8]);
    const byActor = await exported(co().companyKey, { source: "ARCHIVED", format: "CSV", filters: { actorId: "user_1" } });
    expect(byActor.job.rowCount).toBe(22);
    const byEmail = await exported(co().companyKey, { source: "ARCHIVED", format: "JSONL", filters: { actorEmail: EMAIL.toUpperCase() } });
    expect(byEmail.job.rowCount).toBe(65);
    const limited = await exported(co().companyKey, { source: "ARCHIVED", format: "JSONL", limit: 5 });
    expect(limited.lines).toHaveLength(5);
    // Nothing has left hot storage yet: HOT_AND_ARCHIVED is the hot part alone, without duplicates.
    // (A company key without a workspace filter, so the export is recorded in the company's own log.)
    const both = await exported(co().companyKey, { source: "HOT_AND_ARCHIVED", format: "JSONL" });
    const ours = both.lines.filter((e) => e.workspaceId === co().workspaceId);
    expect(ours).toHaveLength(65);
    expect(new Set(both.lines.map((e) => e.id)).size).toBe(both.lines.length);
  });

  it("verifies archives, and reports a corrupted one instead of skipping it", async () => {
    const later = new Date(Date.now() + 92 * DAY);
    const verified = await runJob("archive-verification", later);
    expect(verified).toMatchObject({ verified: 1, failed: 0 });
    const listed = (await stack.api(co().companyKey, "GET", `/v1/archives?workspaceId=${co().workspaceId}`)).body.data[0];
    expect(listed.verifiedAt).toBe(later.toISOString());

    // More events age past retention: a second archive, whose object is then corrupted in the bucket.
    await ingest(10, 65);
    await until("a checkpoint of 75 events", async () => (await stack.api(co().workspaceKey, "GET", "/v1/checkpoints/latest")).body.treeSize >= 75);
    const evenLater = new Date(Date.now() + 100 * DAY);
    await runJob("retention-marking", evenLater);
    expect((await runJob("archival", evenLater)).events).toBeGreaterThanOrEqual(10);
    const second = (await stack.api(co().workspaceKey, "GET", "/v1/archives")).body.data[0];
    expect(second).toMatchObject({ fromSequence: 66, toSequence: 75 });
    const key = (await stack.s3Keys("us", `archives/${co().companyId}/`)).find((k) => k.endsWith(`${co().workspaceId}-66-75.jsonl.gz`))!;
    const gz = await stack.s3Object("us", key);
    const corrupted = Buffer.from(gz);
    corrupted[corrupted.length - 20]! ^= 0xff;
    await stack.putS3Object("us", key, corrupted);

    // (The company's own log, where exports were recorded, was archived too: its archive verifies.)
    const result = await runJob("archive-verification", evenLater);
    expect(result).toMatchObject({ failed: 1, verified: result.checked - 1 });
    expect(result.failures).toEqual([{ archiveId: second.id, error: expect.stringMatching(/checksum mismatch/) }]);
    const bad = (await stack.api(co().workspaceKey, "GET", "/v1/archives")).body.data[0];
    expect(bad.verifiedAt).toBeNull();
    expect(bad.verificationError).toMatch(/checksum mismatch/);
    // The bad one stays unverified: the next run checks it again (and still fails).
    expect(await runJob("archive-verification", evenLater)).toMatchObject({ checked: 1, verified: 0, failed: 1 });
  });

  it("purges verified archives' events from hot storage after the grace period; proofs and verification keep working", async () => {
    const first = (await stack.api(co().workspaceKey, "GET", "/v1/events?limit=1000")).body.data as Array<{ id: string; sequence: number }>;
    const archivedId = first.find((e) => e.sequence === 5)!.id;
    // Verified at +92 days; the default grace is 7 days.
    expect(await runJob("hot-purge", new Date(Date.now() + 95 * DAY))).toMatchObject({ purged: 0 });
    const purged = await runJob("hot-purge", new Date(Date.now() + 100 * DAY));
    // The first archive (1..65) only: the second failed verification, so its events stay.
    expect(purged).toMatchObject({ logs: 1, purged: 65 });
    expect(await runJob("hot-purge", new Date(Date.now() + 100 * DAY))).toMatchObject({ purged: 0 });

    const page = await stack.api(co().workspaceKey, "GET", "/v1/events?limit=1000");
    expect(page.body.data.map((e: { sequence: number }) => e.sequence).sort((a: number, b: number) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => 66 + i));
    expect(page.body.olderEventsInArchives).toBe(true);
    const gone = await stack.api(co().workspaceKey, "GET", `/v1/events/${archivedId}`);
    expect(gone.status).toBe(404);
    expect(gone.text).toContain("archived");

    // The purged event's proof still comes from its leaf; the whole log still verifies.
    const proof = await stack.api(co().workspaceKey, "GET", `/v1/events/${archivedId}/proof`);
    expect(proof.status, proof.text).toBe(200);
    expect(verifyInclusion(proof.body.leaf, 4, proof.body.treeSize, proof.body.proof, proof.body.rootHash)).toBe(true);
    const verified = await stack.api(co().workspaceKey, "POST", "/v1/verify", {});
    expect(verified.body, verified.text).toMatchObject({ ok: true, eventsChecked: 75, fault: null });

    // Nothing else can delete events: the trigger refuses one that is not purged.
    const em = stack.regions.us!.orm.em.fork();
    await expect(em.execute(`delete from audit_events where log_id = ? and sequence = 70`, [co().workspaceId])).rejects.toThrow(/append-only/);
  });

  it("exports hot then archived events after the purge, without gaps or duplicates, and they verify", async () => {
    const both = await exported(co().companyKey, { source: "HOT_AND_ARCHIVED", format: "JSONL", filters: { workspaceId: co().workspaceId } });
    expect(both.job.rowCount).toBe(75);
    expect(both.lines.slice(0, 10).map((e) => e.sequence)).toEqual([75, 74, 73, 72, 71, 70, 69, 68, 67, 66]);
    expect(new Set(both.lines.map((e) => e.sequence)).size).toBe(75);
    const check = verifyEvents(both.lines);
    expect(check.status, check.out).toBe(0);
  });

  it("a subject access request finds the subject's archived events too, by id and by email", async () => {
    const access = async (subject: Record<string, string>) => {
      const created = await stack.api(co().companyKey, "POST", "/v1/gdpr/requests", { kind: "ACCESS", subject });
      expect(created.status, created.text).toBe(201);
      const done = await until("the access file", async () => {
        const r = await stack.api(co().companyKey, "GET", `/v1/gdpr/requests/${created.body.id}`);
        return r.body.status === "COMPLETED" ? r.body : null;
      }, 30_000);
      const [first, ...events] = (await fetchText(done.download.url)).text.trim().split("\n").map((l) => JSON.parse(l));
      return { manifest: first.manifest, events };
    };
    // user_1 acted in 25 of the 75 events: 22 of them have left hot storage.
    const byId = await access({ id: "user_1" });
    expect(byId.events.filter((e: any) => e.workspaceId === co().workspaceId)).toHaveLength(25);
    expect(byId.events.filter((e: any) => e.sequence <= 65)).toHaveLength(22);
    expect(byId.manifest.archivesRead).toEqual(expect.arrayContaining([archive.id]));
    expect(byId.manifest.archivesNotRead).toEqual([]);
    for (const e of byId.events) expect(e.actor).toMatchObject({ id: "user_1", email: EMAIL });
    // By email: every actor id that used it, archived or hot, with the subject's own values shown.
    const byEmail = await access({ email: EMAIL });
    expect(byEmail.events.filter((e: any) => e.workspaceId === co().workspaceId)).toHaveLength(75);
    for (const e of byEmail.events) expect(e.actor.email).toBe(EMAIL);
  });

  it("the GDPR company export holds every event, archived ones included, and the archives' records", async () => {
    const started = await stack.api(co().companyKey, "POST", "/v1/key/company/gdpr/export");
    expect(started.status, started.text).toBe(202);
    const done = await until("company export", async () => {
      const r = await stack.api(co().companyKey, "GET", `/v1/gdpr/exports/${started.body.jobId}`);
      return r.body.status === "COMPLETED" ? r.body : null;
    }, 30_000);
    const lines = (await fetchText(done.download.url)).text.trim().split("\n").map((l) => JSON.parse(l));
    const events = lines.filter((l: any) => l.type === undefined);
    const ours = events.filter((e: any) => e.workspaceId === co().workspaceId).map((e: any) => e.sequence).sort((a: number, b: number) => a - b);
    expect(ours.slice(0, 75)).toEqual(Array.from({ length: 75 }, (_, i) => i + 1));
    expect(lines.filter((l: any) => l.type === "archive").map((l: any) => l.data.id)).toEqual(expect.arrayContaining([archive.id]));
    expect(lines.some((l: any) => l.type === "archivesNotRead")).toBe(false);
  });

  it("an erased subject's archived events read as erased, and the archive still verifies", async () => {
    const admin = { role: "ADMIN" as const, companyId: co().companyId, userId: "dpo-1" };
    const second = await dash(stack, admin, "POST", "/dashboard/keys", { scope: "company", name: "DPO key", ipAllowlist: ["127.0.0.1", "::1"] });
    expect(second.status, second.text).toBe(201);
    const created = await stack.api(co().companyKey, "POST", "/v1/gdpr/requests", { kind: "ERASURE", subject: { id: "user_2" }, reason: "Art. 17 request" });
    expect(created.status, created.text).toBe(201);
    const approved = await stack.api(second.body.secret, "POST", `/v1/gdpr/requests/${created.body.id}/approve`, {});
    expect(approved.status, approved.text).toBe(200);
    await until("the erasure", async () => (await stack.api(co().companyKey, "GET", `/v1/gdpr/requests/${created.body.id}`)).body.status === "COMPLETED", 30_000);

    const both = await exported(co().companyKey, { source: "HOT_AND_ARCHIVED", format: "JSONL", filters: { workspaceId: co().workspaceId } });
    const erased = both.lines.filter((e) => e.actor.id === "user_2");
    expect(erased.length).toBeGreaterThan(10);
    for (const e of erased) expect(e.actor).toMatchObject({ email: "[erased]", name: "[erased]" });
    expect(both.lines.find((e) => e.actor.id === "user_1").actor.email).toBe(EMAIL);
    expect(verifyEvents(both.lines).status).toBe(0);
    // The archive itself never held the values in the clear, and still verifies.
    const gz = await stack.s3Object("us", archive.objectKey);
    expect(verifyArchive(gz, vkeys).status).toBe(0);
  });

  it("marks verified archives cold after the plan's coldArchiveAfterDays, on plans with cold storage", async () => {
    const cold = new Date(Date.now() + 400 * DAY);
    expect((await runJob("cold-marking", cold)).marked).toBe(0); // GROWTH: no cold storage
    const plan = await dash(stack, STAFF, "POST", `/dashboard/admin/companies/${co().companyId}/plan`, { tier: "ENTERPRISE" });
    expect(plan.status, plan.text).toBe(200);
    expect((await runJob("cold-marking", new Date(Date.now() + 30 * DAY))).marked).toBe(0); // younger than 90 days
    expect((await runJob("cold-marking", cold)).marked).toBeGreaterThanOrEqual(1); // the verified ones; the corrupted one stays
    const listed = (await stack.api(co().workspaceKey, "GET", "/v1/archives")).body.data;
    expect(listed.map((a: any) => a.storageClass)).toEqual(["STANDARD", "GLACIER"]);
  });

  it("deletes archives past the plan's archive retention, with a tombstone in the company's log; proofs still verify", async () => {
    const [first] = (await stack.api(co().workspaceKey, "GET", "/v1/events?limit=1")).body.data;
    // ENTERPRISE (set above) keeps archives 2555 days.
    expect(await runJob("archive-retention", new Date(Date.now() + 2000 * DAY))).toMatchObject({ deleted: 0 });
    const result = await runJob("archive-retention", new Date(Date.now() + 2600 * DAY));
    // The verified, purged archive goes; the corrupted one (its events still hot) is kept.
    expect(result.deleted).toBeGreaterThanOrEqual(1);
    expect(result.kept).toBeGreaterThanOrEqual(1);
    expect(await stack.s3Keys("us", archive.objectKey)).toEqual([]);
    const listed = (await stack.api(co().workspaceKey, "GET", "/v1/archives")).body.data;
    expect(listed.map((a: any) => `${a.fromSequence}-${a.toSequence}`)).toEqual(["66-75"]);
    const tombstones = (await stack.api(co().companyKey, "GET", "/v1/events?action=archive.deleted&limit=100")).body.data;
    const tombstone = tombstones.find((e: any) => e.target.id === archive.id);
    expect(tombstone.changes).toEqual(
      expect.arrayContaining([
        { field: "fromSequence", old: 1 },
        { field: "toSequence", old: 65 },
        { field: "sha256", old: archive.sha256 },
        { field: "reason", new: "archive retention of 2555 days (ENTERPRISE plan)" },
      ]),
    );
    // Running it again deletes nothing more and records nothing twice.
    expect(await runJob("archive-retention", new Date(Date.now() + 2600 * DAY))).toMatchObject({ deleted: 0 });
    expect((await stack.api(co().companyKey, "GET", "/v1/events?action=archive.deleted&limit=100")).body.data).toHaveLength(tombstones.length);
    const verified = await stack.api(co().workspaceKey, "POST", "/v1/verify", {});
    expect(verified.body).toMatchObject({ ok: true, fault: null });
    expect((await stack.api(co().workspaceKey, "GET", `/v1/events/${first.id}/proof`)).status).toBe(200);
  });

  it("refuses bad job runs with a clear error, and only HyreLog staff may run jobs", async () => {
    const unknown = await dash(stack, STAFF, "POST", "/dashboard/admin/jobs/purge-everything/run", {});
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain("retention-marking");
    const badTime = await dash(stack, STAFF, "POST", "/dashboard/admin/jobs/archival/run", { asOf: "next tuesday" });
    expect(badTime.status).toBe(400);
    expect(badTime.text).toContain("asOf");
    const extra = await dash(stack, STAFF, "POST", "/dashboard/admin/jobs/archival/run", { when: "now" });
    expect(extra.status).toBe(400);
    const customer = await dash(stack, { role: "ADMIN", companyId: co().companyId, userId: "u1" }, "POST", "/dashboard/admin/jobs/archival/run", {});
    expect(customer.status).toBe(403);
    const byKey = await stack.api(co().companyKey, "POST", "/dashboard/admin/jobs/archival/run", {});
    expect([401, 403]).toContain(byKey.status);
  });

  it("never shows one company's archives to another", async () => {
    const other = await stack.seedCompany("us", "GROWTH");
    const list = await stack.api(other.companyKey, "GET", "/v1/archives");
    expect(list.status).toBe(200);
    expect(list.body.data).toEqual([]);
    expect((await stack.api(other.companyKey, "GET", `/v1/archives/${archive.id}`)).status).toBe(404);
    expect((await stack.api(other.companyKey, "GET", `/v1/archives/not-an-id`)).status).toBe(404);
    // Another company's workspace is not found, as on GET /v1/events.
    const foreign = await stack.api(other.companyKey, "GET", `/v1/archives?workspaceId=${co().workspaceId}`);
    expect(foreign.status).toBe(404);
  });
});
