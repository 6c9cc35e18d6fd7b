import { describe, expect, it } from "vitest";
import { GENESIS_HASH, canonicalChainDocument, chainDocument, eventHash, verifyChain, type ChainedEventFields } from "./chain.ts";
import { canonicalJson } from "./canonical-json.ts";

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

describe("canonicalChainDocument (the fixed-shape fast path)", () => {
  it("equals canonicalJson(chainDocument(e)) for every shape, including odd ones", () => {
    const pick = <T>(xs: T[]): T => xs[Math.floor(Math.random() * xs.length)]!;
    const scalar = () => pick<unknown>([null, "x", "é€😀\n\"", 0, -0, 1.5, 1e21, true]);
    const json = (d: number): unknown =>
      d > 2 || Math.random() < 0.4
        ? scalar()
        : Math.random() < 0.5
          ? [json(d + 1), json(d + 1)]
          : { [pick(["b", "a", "\u20ac", "aa"])]: json(d + 1), z: json(d + 1) };
    const { events } = chain(1);
    const base = events[0]!;
    for (let i = 0; i < 3000; i++) {
      const e = {
        ...base,
        sequence: pick([1, 2, 123456]),
        projectId: pick([null, "p"]),
        workspaceId: pick([null, "w"]),
        actor: pick<unknown>([{ id: "u", type: null, email: "a@b", name: "N" }, { id: "u" }, { id: "u", extra: 1 }, { id: json(0), type: undefined, email: null, name: "x" }]),
        target: pick<unknown>([{ id: null, type: null, name: null }, { type: "doc", id: "1", name: "é" }, { id: 1, zzz: 2 }]),
        changes: pick<unknown>([[], [{ field: "f", old: json(0), new: json(0) }], [{ field: "f" }, { field: "g", new: null }], [{ field: "f", other: 1 }]]),
        metadata: pick<unknown>([{}, json(0), { b: 1, a: [json(0)] }]),
        context: pick<unknown>([{ ip: null, userAgent: null, traceId: null, requestId: null }, { ip: "1.2.3.4", userAgent: "ua", traceId: "t", requestId: "r" }, { ip: "x", more: true }]),
      } as unknown as ChainedEventFields;
      expect(canonicalChainDocument(e)).toBe(canonicalJson(chainDocument(e)));
    }
  });
});
