import type { EventJson } from "@hyrelog/core";
import { describe, expect, it } from "vitest";
import { eventApiJson, eventFromProto, eventToProto } from "./event-proto.ts";

const base: EventJson = {
  v: 1,
  id: "01936a4e-0000-7000-8000-000000000001",
  companyId: "01936a4e-0000-7000-8000-0000000000c0",
  workspaceId: "01936a4e-0000-7000-8000-0000000000w0".replace("w", "a"),
  projectId: null,
  sequence: 42,
  prevHash: "0".repeat(64),
  hash: "f".repeat(64),
  occurredAt: "2026-03-01T10:00:00Z",
  receivedAt: "2026-03-01T10:00:00.123Z",
  category: "user",
  action: "user.updated",
  actor: { id: "admin-123", type: null, email: "admin@example.com", name: "" },
  target: { id: "user-456", type: "user", name: null },
  changes: [
    { field: "name", old: "John Doe", new: "Jane Doe" },
    { field: "plan", new: { tier: "pro", seats: [1, 2.5, null, true] } },
    { field: "note", old: null },
  ],
  metadata: { ip: "192.168.1.1", nested: { a: [1, "b", null], empty: {} }, n: -3.25 },
  context: { ip: "127.0.0.1", userAgent: "", traceId: null, requestId: "req-1" },
  idempotencyKey: null,
};

describe("eventApiJson", () => {
  it("is the JSON the gateway makes from the protobuf message, without the round trip", () => {
    const cases: EventJson[] = [
      base,
      { ...base, payload: { userId: "user-456" }, idempotencyKey: "k-1", workspaceId: null, projectId: "01936a4e-0000-7000-8000-0000000000p0".replace("p", "b") },
      { ...base, payload: {}, changes: [], metadata: {} },
      {
        ...base,
        v: 2,
        actor: { id: "admin-123", type: "user", email: "[erased]", name: "Ada" },
        personal: { "/actor/email": { commitment: "c1", erased: true }, "/actor/name": { commitment: "c2", salt: "s2" }, "/target/name": { commitment: "c3", withheld: true } },
      },
    ];
    for (const e of cases) expect(eventApiJson(e)).toBe(JSON.stringify(eventFromProto(eventToProto(e))));
  });
});
