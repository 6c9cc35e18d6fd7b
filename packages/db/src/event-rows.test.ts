import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { uuidv7 } from "@hyrelog/core";
import { copyRowsOut } from "./copy-out.ts";
import { EVENT_TEXT_COLUMNS, SEALED_LINE_SQL, textRowJson, type EventTextRow } from "./event-rows.ts";
import { migrateDatabase, openOrm, type Orm } from "./orm.ts";

// Text that JSON escapes (quotes, backslashes, every control character, U+2028) and that it does
// not (non-ASCII, emoji, '/', DEL), in every text column.
const tricky = `a"b\\c/d\u0000e\u0001\u0008\u0009\u000a\u000c\u000d\u001f\u007f é ü 日本 😀 \u2028\u2029 </script>`.replace("\u0000", "");
const companyId = uuidv7();
const workspaceId = uuidv7();
let orm: Orm;
let dbName: string;

beforeAll(async () => {
  dbName = `hyrelog_t_rows_${Date.now().toString(36)}`;
  const url = `${inject("infra").postgresUrl}/${dbName}`;
  await migrateDatabase(url);
  orm = await openOrm({ databaseUrl: url, poolMax: 2 });
  const em = orm.em.fork();
  await em.execute(`insert into companies (id, name, data_region, plan_tier) values (?, 'Rows Co', 'us', 'FREE')`, [companyId]);
  await em.execute(`insert into workspaces (id, company_id, name) values (?, ?, 'w')`, [workspaceId, companyId]);
  await em.execute(`insert into log_heads (log_id, company_id, workspace_id, sequence, hash, updated_at) values (?, ?, ?, 0, repeat('0', 64), now())`, [workspaceId, companyId, workspaceId]);
  const hex = (c: string) => c.repeat(64);
  const events = [
    // Every nullable column null, v1, no payload.
    { v: 1, project: null, text: null, changes: "[]", metadata: "{}", payload: null, personal: null, sealed: null },
    // Every text column escaped, jsonb with nested escapes, a payload.
    { v: 1, project: uuidv7(), text: tricky, changes: JSON.stringify([{ field: tricky, old: null, new: { x: [1, 2.5, true] } }]), metadata: JSON.stringify({ [tricky]: tricky }), payload: JSON.stringify({ userId: "u-1", n: 1e21 }), personal: null, sealed: null },
    // v2: commitments and sealed values.
    { v: 2, project: null, text: "plain", changes: "[]", metadata: "{}", payload: null, personal: JSON.stringify({ "/actor/email": { c: hex("a") } }), sealed: JSON.stringify([{ s: "subj", ct: "Zm9v" }]) },
  ];
  for (const [i, e] of events.entries()) {
    await em.execute(
      `insert into audit_events (id, company_id, workspace_id, log_id, project_id, sequence, prev_hash, hash, occurred_at, received_at, category, action,
         actor_id, actor_type, actor_email, actor_name, target_id, target_type, target_name, changes, metadata, ip, user_agent, trace_id, request_id, idempotency_key,
         v, payload, personal, sealed)
       values (?, ?, ?, ?, ?, ?, ?, ?, '2026-03-04T05:06:07.089Z', '2026-03-04T05:06:07.123456Z', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb)`,
      [uuidv7(), companyId, workspaceId, workspaceId, e.project, i + 1, hex(String(i)), hex(String(i + 1)), e.text ?? "cat", e.text ?? "act",
        e.text, e.text, e.text, e.text, e.text, e.text, e.text, e.changes, e.metadata, e.text, e.text, e.text, e.text, e.text, e.v, e.payload, e.personal, e.sealed],
    );
  }
});
afterAll(async () => {
  await orm?.close(true);
  const admin = await openOrm({ databaseUrl: `${inject("infra").postgresUrl}/postgres`, poolMax: 1 });
  await admin.em.getConnection().execute(`drop database if exists "${dbName}" with (force)`);
  await admin.close(true);
});

describe("archive lines built by PostgreSQL", () => {
  it("SEALED_LINE_SQL gives textRowJson's sealed line byte for byte, whatever the text holds", async () => {
    const em = orm.em.fork();
    const rows = await em.execute<EventTextRow[]>(`select ${EVENT_TEXT_COLUMNS} from audit_events order by audit_events.sequence`);
    const lines = await em.execute<Array<{ line: string }>>(`select ${SEALED_LINE_SQL} as line from audit_events order by audit_events.sequence`);
    expect(rows).toHaveLength(3);
    for (const [i, row] of rows.entries()) expect(lines[i]!.line + "\n").toBe(textRowJson(row, { sealed: true }));
    // And it is JSON that holds the text exactly.
    expect(JSON.parse(lines[1]!.line).actor.email).toBe(tricky);
  });

  it("copyRowsOut streams exactly those lines, one per row, and counts them", async () => {
    const chunks: Buffer[] = [];
    const copied = await copyRowsOut(orm, `select ${SEALED_LINE_SQL} from audit_events where log_id = $1 and sequence between $2 and $3 order by audit_events.sequence`, [workspaceId, 2, 3], (c) => {
      chunks.push(Buffer.from(c));
    });
    expect(copied).toBe(2);
    const rows = await orm.em.fork().execute<EventTextRow[]>(`select ${EVENT_TEXT_COLUMNS} from audit_events where sequence >= 2 order by audit_events.sequence`);
    expect(Buffer.concat(chunks).toString("utf8")).toBe(rows.map((r) => textRowJson(r, { sealed: true })).join(""));
  });

  it("copyRowsOut quotes string parameters and refuses what it cannot write as a literal", async () => {
    let copied = await copyRowsOut(orm, `select action from audit_events where action = $1`, ["x' or '1'='1"], () => undefined);
    expect(copied).toBe(0);
    copied = await copyRowsOut(orm, `select action from audit_events where sequence = $1`, [1], () => undefined);
    expect(copied).toBe(1);
    await expect(copyRowsOut(orm, `select 1 where $1 = 1`, [1.5], () => undefined)).rejects.toThrow(/safe integer/);
    await expect(copyRowsOut(orm, `select 1 where $2 = 1`, [1], () => undefined)).rejects.toThrow(/no parameter \$2/);
  });

  it("a consumer that fails mid-copy gets its error, and the pool keeps working", async () => {
    await expect(
      copyRowsOut(orm, `select ${SEALED_LINE_SQL} from audit_events, generate_series(1, 20000)`, [], () => {
        throw new Error("disk full");
      }),
    ).rejects.toThrow("disk full");
    for (let i = 0; i < 3; i++) expect(await orm.em.fork().execute(`select count(*)::int as n from audit_events`)).toEqual([{ n: 3 }]);
  });
});
