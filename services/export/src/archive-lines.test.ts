import { createSecretKey, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { personalOwners, sealPersonal, type ChainedEventFields, type SubjectKey } from "@hyrelog/core";
import { textRowFromStored, textRowJson, type EventTextRow } from "@hyrelog/db";
import { archiveLineSequence, openedExportLine, sealedLine, unsealedExportLine } from "./archive-lines.ts";
import { jsonlLine, openTextRow } from "./formats.ts";

// Text that could confuse a search for the sealed member: the members' own names, quotes, escapes.
const tricky = `x","sealed":[],"idempotencyKey":"y \\" \u2028 😀`;

function row(overrides: Partial<EventTextRow> = {}): EventTextRow {
  return {
    id: "0190a5b2-0000-7000-8000-000000000001",
    company_id: "0190a5b2-0000-7000-8000-000000000002",
    workspace_id: null,
    project_id: null,
    sequence: "4711",
    prev_hash: "a".repeat(64),
    hash: "b".repeat(64),
    v: 1,
    occurred_at: "2026-03-04T05:06:07.089Z",
    received_at: "2026-03-04T05:06:07.123Z",
    category: tricky,
    action: "doc.read",
    actor_id: tricky,
    actor_type: null,
    actor_email: null,
    actor_name: null,
    target_id: null,
    target_type: null,
    target_name: null,
    changes: JSON.stringify([{ field: tricky, old: null, new: '"sealed":[]' }]),
    metadata: JSON.stringify({ sealed: [], idempotencyKey: tricky }),
    ip: null,
    user_agent: null,
    trace_id: null,
    request_id: null,
    idempotency_key: tricky,
    personal: null,
    sealed: null,
    payload: JSON.stringify({ sealed: [] }),
    ...overrides,
  };
}

describe("archived export lines", () => {
  it("writes a line without sealed values exactly as a HOT export writes its row", () => {
    for (const r of [row(), row({ idempotency_key: null }), row({ v: 2, personal: "{}", sealed: "[]", workspace_id: "0190a5b2-0000-7000-8000-000000000003" })]) {
      const archived = textRowJson(r, { sealed: true }).slice(0, -1); // archive lines come without their "\n"
      expect(unsealedExportLine(archived)).toBe(textRowJson(r));
      expect(JSON.parse(unsealedExportLine(archived)!)).not.toHaveProperty("sealed");
    }
  });

  it("leaves a line with sealed values to be opened", () => {
    const r = row({ v: 2, personal: JSON.stringify({ "/actor/email": { c: "c".repeat(64) } }), sealed: JSON.stringify([{ subjectId: "s1", box: "Zm9v" }]) });
    expect(unsealedExportLine(textRowJson(r, { sealed: true }).slice(0, -1))).toBeNull();
  });

  it("reads the sequence from the line's prefix", () => {
    expect(archiveLineSequence(textRowJson(row(), { sealed: true }))).toBe(4711);
    expect(archiveLineSequence(textRowJson(row({ sequence: "9007199254740991", project_id: "0190a5b2-0000-7000-8000-000000000004" }), { sealed: true }))).toBe(9007199254740991);
  });
});

describe("sealed archive lines", () => {
  const actor: SubjectKey = { id: "0190a5b2-0000-7000-8000-0000000000d1", key: createSecretKey(randomBytes(32)) };
  const target: SubjectKey = { id: "0190a5b2-0000-7000-8000-0000000000d2", key: createSecretKey(randomBytes(32)) };
  const companyId = "0190a5b2-0000-7000-8000-000000000002";

  /** A v2 text row as PostgreSQL gives it: jsonb text (spaced) for its JSON members. */
  function sealedRow(e: Omit<ChainedEventFields, "v" | "personal" | "id" | "companyId" | "workspaceId" | "projectId" | "sequence" | "prevHash" | "occurredAt" | "receivedAt">, marked: string[] = []): EventTextRow {
    const full = { id: "0190a5b2-0000-7000-8000-000000000001", companyId, workspaceId: null, projectId: null, sequence: 7, prevHash: "a".repeat(64), occurredAt: "2026-03-04T05:06:07.089Z", receivedAt: "2026-03-04T05:06:07.123Z", ...e };
    const { closed, sealed } = sealPersonal(full, personalOwners(full, marked), { actor, target }, companyId, null);
    const r = textRowFromStored({ ...closed, hash: "b".repeat(64), idempotencyKey: tricky, sealed, actorEmailIndex: null });
    const spaced = (text: string | null) => (text === null ? null : JSON.stringify(JSON.parse(text), null, 1).replace(/\n */g, " "));
    return { ...r, changes: spaced(r.changes)!, metadata: spaced(r.metadata)!, personal: spaced(r.personal), sealed: spaced(r.sealed), payload: spaced(r.payload) };
  }
  const person = {
    category: "user",
    action: tricky,
    actor: { id: tricky, type: `"user"`, email: "ada@example.com", name: `Ada "A" \\ Lovelace ${tricky}` },
    target: { id: "u7", type: "user", name: "Grace" },
    changes: [{ field: "role", old: "a", new: "b" }],
    metadata: { ",\"name\":": tricky },
    context: { ip: "203.0.113.9", userAgent: tricky, traceId: tricky, requestId: null },
    payload: { actor: { id: "x" } },
  };
  const keys = new Map([[actor.id, actor.key], [target.id, target.key]]);
  const hotLine = (r: EventTextRow, k: typeof keys) => jsonlLine(openTextRow(r, k));

  it("opens the fixed personal fields in place: byte for byte the HOT export's line", () => {
    for (const e of [person, { ...person, target: { id: "d1", type: "document", name: "Plan" }, context: { ip: null, userAgent: null, traceId: null, requestId: null } }, { ...person, actor: { id: null, type: null, email: "solo@example.com", name: null } }]) {
      const r = sealedRow(e);
      const line = textRowJson(r, { sealed: true }).slice(0, -1);
      expect(unsealedExportLine(line)).toBeNull();
      const opened = openedExportLine(sealedLine(line), keys);
      expect(opened).toBe(hotLine(r, keys));
      expect(JSON.parse(opened!)).toMatchObject({ actor: { email: e.actor.email, name: e.actor.name }, context: { ip: e.context.ip } });
    }
  });

  it("writes an erased subject's values as erased, as the HOT export does", () => {
    const r = sealedRow(person);
    const line = textRowJson(r, { sealed: true }).slice(0, -1);
    const actorErased = new Map([[actor.id, null], [target.id, target.key]]);
    const opened = openedExportLine(sealedLine(line), actorErased);
    expect(opened).toBe(hotLine(r, actorErased));
    expect(JSON.parse(opened!)).toMatchObject({ actor: { email: "[erased]", name: "[erased]" }, target: { name: "Grace" } });
  });

  it("leaves a line with personal values inside changes or metadata to be parsed whole", () => {
    const r = sealedRow(person, ["/changes/0/new"]);
    expect(openedExportLine(sealedLine(textRowJson(r, { sealed: true }).slice(0, -1)), keys)).toBeNull();
  });
});
