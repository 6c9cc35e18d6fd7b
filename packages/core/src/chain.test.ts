import { describe, expect, it } from "vitest";
import { GENESIS_HASH, eventHash, verifyChain, type ChainedEventFields } from "./chain.ts";

function chain(n: number): { events: ChainedEventFields[]; hashes: string[] } {
  const events: ChainedEventFields[] = [];
  const hashes: string[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const e: ChainedEventFields = {
      id: `0190a000-0000-7000-8000-00000000000${i}`,
      companyId: "0190a000-0000-7000-8000-0000000000c0",
      workspaceId: "0190a000-0000-7000-8000-0000000000w0".replace("w", "a"),
      projectId: null,
      sequence: i,
      prevHash: prev,
      occurredAt: "2026-01-01T00:00:00.000Z",
      receivedAt: "2026-01-01T00:00:00.001Z",
      category: "user",
      action: "user.login",
      actor: { id: "u1", type: "user", email: null, name: null },
      target: { id: null, type: null, name: null },
      changes: [{ field: "role", old: null, new: "admin" }],
      metadata: { n: i },
      context: { ip: "203.0.113.1", userAgent: null, traceId: null, requestId: null },
    };
    prev = eventHash(e);
    events.push(e);
    hashes.push(prev);
  }
  return { events, hashes };
}

describe("hash chain", () => {
  it("is deterministic and sensitive to every hashed field", () => {
    const { events, hashes } = chain(1);
    const e = events[0]!;
    expect(eventHash(e)).toBe(hashes[0]);
    expect(eventHash({ ...e, metadata: { n: 1 } })).toBe(hashes[0]);
    for (const changed of [
      { ...e, action: "user.logout" },
      { ...e, sequence: 2 },
      { ...e, prevHash: "f".repeat(64) },
      { ...e, changes: [{ field: "role", old: null }] },
      { ...e, changes: [{ field: "role", new: "admin" }] },
      { ...e, actor: { ...e.actor, email: "" } },
      { ...e, context: { ...e.context, ip: "203.0.113.2" } },
    ]) {
      expect(eventHash(changed)).not.toBe(hashes[0]);
    }
  });

  it("verifies an intact run and names the first faulty sequence", () => {
    const { events, hashes } = chain(5);
    expect(verifyChain(events, hashes, GENESIS_HASH)).toBeNull();
    const altered = events.map((e) => ({ ...e }));
    altered[2] = { ...altered[2]!, action: "tampered" };
    expect(verifyChain(altered, hashes, GENESIS_HASH)).toEqual({ sequence: 3, kind: "hash_mismatch" });
    const missing = [...events.slice(0, 2), ...events.slice(3)];
    expect(verifyChain(missing, [...hashes.slice(0, 2), ...hashes.slice(3)], GENESIS_HASH)).toEqual({ sequence: 3, kind: "gap" });
    expect(verifyChain(events, hashes, "1".repeat(64))).toEqual({ sequence: 1, kind: "broken_link" });
  });
});
