// docs/verification.md must stay true to the code: its worked example is recomputed with the real
// hashing code, and its reference verifier is run against the same example.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { eventHash, GENESIS_HASH, type EventJson } from "@hyrelog/testing";

type ChainDocument = Record<string, unknown> & { v: number; sequence: number; prevHash: string };
type Verify = (events: unknown[]) => Promise<{ ok: boolean; sequence?: number; problem?: string }>;

const doc = readFileSync(new URL("../../docs/verification.md", import.meta.url), "utf8");

/** The fenced block that follows a `<!-- marker -->` line. */
function block(marker: string): string {
  const m = new RegExp(`<!-- ${marker} -->\\s*\`\`\`\\w*\\n([\\s\\S]*?)\\n\`\`\``).exec(doc);
  if (!m) throw new Error(`docs/verification.md has no block marked "${marker}"`);
  return m[1]!;
}

const numbers = [...doc.matchAll(/<!-- verification-example:(\d+):document -->/g)].map((m) => Number(m[1]));
const examples = numbers.map((n) => ({
  n,
  document: JSON.parse(block(`verification-example:${n}:document`)) as ChainDocument,
  canonical: block(`verification-example:${n}:canonical`),
  hash: block(`verification-example:${n}:hash`).trim(),
}));

/** The event as the REST API returns it: the chain document without `v`, plus hash and idempotency key. */
function restEvent(e: (typeof examples)[number]): EventJson {
  const { v: _v, ...fields } = e.document;
  return { ...(fields as unknown as EventJson), hash: e.hash, idempotencyKey: null };
}

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

const DOCUMENT_MEMBERS = ["v", "id", "companyId", "workspaceId", "projectId", "sequence", "prevHash", "occurredAt", "receivedAt", "category", "action", "actor", "target", "changes", "metadata", "context"];

describe("docs/verification.md worked example", () => {
  it("has three events of one log, sequences 1..3, linked from the genesis hash", () => {
    expect(examples.map((e) => e.n)).toEqual([1, 2, 3]);
    expect(new Set(examples.map((e) => e.document.workspaceId)).size).toBe(1);
    examples.forEach((e, i) => {
      expect(Object.keys(e.document).sort()).toEqual([...DOCUMENT_MEMBERS].sort());
      expect(e.document.v).toBe(1);
      expect(e.document.sequence).toBe(i + 1);
      expect(e.document.prevHash).toBe(i === 0 ? GENESIS_HASH : examples[i - 1]!.hash);
    });
  });

  it.each(examples.map((e) => [e.n, e] as const))("event %i: eventHash reproduces the documented hash", (_n, e) => {
    const { v: _v, ...fields } = e.document;
    expect(eventHash(fields as never)).toBe(e.hash);
  });

  it.each(examples.map((e) => [e.n, e] as const))("event %i: the canonical string is canonicalJson of the document", (_n, e) => {
    // eventHash is SHA-256 of canonicalJson(chain document); equal digests mean equal strings.
    expect(sha256(e.canonical)).toBe(e.hash);
    expect(JSON.parse(e.canonical)).toEqual(e.document);
    expect(e.canonical).not.toMatch(/\n/);
  });
});

describe("docs/verification.md reference verifier", () => {
  const verify = new Function(`${block("reference-verifier")}\nreturn verify;`)() as Verify;
  const events = () => examples.map(restEvent).reverse(); // newest first, as GET /v1/events lists them

  it("accepts the worked example", async () => {
    expect(await verify(events())).toEqual({ ok: true });
  });

  it("computes the same canonical strings as the code", async () => {
    const canonical = new Function(`${block("reference-verifier")}\nreturn canonical;`)() as (v: unknown) => string;
    for (const e of examples) expect(canonical(e.document)).toBe(e.canonical);
  });

  it("rejects a one-character change to an event", async () => {
    const tampered = events();
    const first = tampered.find((e) => e.sequence === 1)!;
    first.metadata = { ...first.metadata, method: "ssp" };
    expect(await verify(tampered)).toMatchObject({ ok: false, sequence: 1, problem: "hash does not match the event" });
  });

  it("rejects a one-character change to a hash", async () => {
    const tampered = events();
    const second = tampered.find((e) => e.sequence === 2)!;
    second.hash = (second.hash[0] === "0" ? "1" : "0") + second.hash.slice(1);
    expect(await verify(tampered)).toMatchObject({ ok: false, sequence: 2 });
  });

  it("rejects a missing event", async () => {
    expect(await verify(events().filter((e) => e.sequence !== 2))).toMatchObject({ ok: false, sequence: 3, problem: "gap after sequence 1" });
  });
});
