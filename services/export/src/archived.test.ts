import { describe, expect, it } from "vitest";
import { textRowJson, type EventTextRow } from "@hyrelog/db";
import { archiveLineSequence, unsealedExportLine } from "./archived.ts";

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
