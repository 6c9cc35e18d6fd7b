/**
 * Archival writes several archives of a log at once (ARCHIVAL_CONCURRENCY), but `archived_to`
 * moves only over the leading run of recorded archives: an archive that fails in the middle
 * leaves no gap behind the watermark, the ones after it stay recorded, and the next run writes
 * the missing one without writing the others again.
 */
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { TestStack } from "@hyrelog/testing";
import { dash, until } from "../dashboard/helpers.ts";

let stack: TestStack;
const STAFF = { role: "HYRELOG_ADMIN" as const, userId: "ops-1" };
const DAY = 86_400_000;

beforeAll(async () => {
  stack = await TestStack.start({ infra: inject("infra"), regions: ["us"], plan: "GROWTH", env: { ARCHIVAL_CONCURRENCY: "3" } });
});
afterAll(async () => stack?.stop());

const sql = <T = Record<string, unknown>>(query: string, params: unknown[] = []) => stack.regions.us!.orm.em.fork().execute<T[]>(query, params);

async function run(name: string, asOf: Date) {
  const res = await dash(stack, STAFF, "POST", `/dashboard/admin/jobs/${name}/run`, { asOf: asOf.toISOString() });
  expect(res.status, res.text).toBe(200);
  return res.body as { status: string; result: Record<string, number> | null; error: string | null };
}

it("an archive that fails between two others leaves archived_to before it; the next run writes only it", async () => {
  const co = stack.companies.us!;
  const events = Array.from({ length: 30 }, (_, i) => ({ category: "document", action: `document.read.${i + 1}`, actor: { id: "user_1" } }));
  const res = await stack.api(co.workspaceKey, "POST", "/v1/events", { events });
  expect(res.status, res.text).toBe(201);
  await until("a checkpoint of all 30 events", async () => {
    const r = await stack.api(co.workspaceKey, "GET", "/v1/checkpoints/latest");
    return r.status === 200 && r.body.treeSize >= 30;
  });
  const [log] = await sql<{ log_id: string }>(`select distinct log_id::text as log_id from audit_events where workspace_id = ?`, [co.workspaceId]);
  // Three UTC days (10 events each), and event 15 missing, as if unreadable: bypassing the
  // append-only trigger, which the service itself never can.
  const day = (n: number) => new Date(Date.now() - n * DAY).toISOString();
  const saved = await stack.regions.us!.orm.em.fork().transactional(async (tx) => {
    await tx.execute(`set local session_replication_role = replica`);
    for (const [from, to, ago] of [[1, 10, 3], [11, 20, 2], [21, 30, 1]] as const) {
      await tx.execute(`update audit_events set received_at = ? where log_id = ? and sequence between ? and ?`, [day(ago), log!.log_id, from, to]);
    }
    const [row] = await tx.execute<Array<Record<string, unknown>>>(`delete from audit_events where log_id = ? and sequence = 15 returning *`, [log!.log_id]);
    // Its leaf stays (as a purged event's does), so the tree still proves the other archives.
    await tx.execute(`insert into purged_events (log_id, sequence, id, prev_hash, hash, archive_id) values (?, 15, ?, ?, ?, ?)`, [log!.log_id, row!.id, row!.prev_hash, row!.hash, crypto.randomUUID()]);
    return row!;
  });

  const later = new Date(Date.now() + 100 * DAY);
  expect((await run("retention-marking", later)).status).toBe("COMPLETED");
  const failed = await run("archival", later);
  expect(failed.status).toBe("FAILED");
  expect(failed.error).toContain("lacks events in 11..20 (9 of 10)");
  const recorded = async () =>
    (await sql<{ from_sequence: number; to_sequence: number }>(`select from_sequence::int, to_sequence::int from archive_objects where log_id = ? order by from_sequence`, [log!.log_id])).map((a) => [a.from_sequence, a.to_sequence]);
  const archivedTo = async () => (await sql<{ n: number }>(`select archived_to::int as n from log_lifecycle where log_id = ?`, [log!.log_id]))[0]!.n;
  expect(await recorded()).toEqual([[1, 10], [21, 30]]);
  expect(await archivedTo()).toBe(10);
  const [third] = await sql<{ id: string }>(`select id::text as id from archive_objects where log_id = ? and from_sequence = 21`, [log!.log_id]);

  await stack.regions.us!.orm.em.fork().transactional(async (tx) => {
    await tx.execute(`set local session_replication_role = replica`);
    const columns = Object.keys(saved);
    await tx.execute(`insert into audit_events (${columns.join(", ")}) select ${columns.join(", ")} from jsonb_populate_record(null::audit_events, ?::jsonb)`, [JSON.stringify(saved)]);
    await tx.execute(`delete from purged_events where log_id = ? and sequence = 15`, [log!.log_id]);
  });
  const again = await run("archival", later);
  expect(again.status).toBe("COMPLETED");
  expect(await recorded()).toEqual([[1, 10], [11, 20], [21, 30]]);
  expect(await archivedTo()).toBe(30);
  // Only the missing archive was written: the recorded one after it is the same row, and the
  // run's bytes are the new archive's alone.
  const rows = await sql<{ id: string; from_sequence: number; bytes: number }>(`select id::text as id, from_sequence::int, bytes::int from archive_objects where log_id = ?`, [log!.log_id]);
  expect(rows.find((r) => r.from_sequence === 21)!.id).toBe(third!.id);
  expect(again.result!.bytes).toBe(rows.find((r) => r.from_sequence === 11)!.bytes);
});
