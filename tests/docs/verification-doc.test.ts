// docs/verification.md must stay true to the code: every value of its worked example (event
// hashes, canonical strings, leaf hashes, roots, proofs, keys and signed checkpoints) is recomputed
// here, checked with HyreLog's own verifiers, and its reference verifier is run against the same
// example. The Merkle values are also recomputed by the small RFC 9162 implementation below, which
// is independent of packages/core (whose tree builders @hyrelog/testing does not export).
import { createHash, createPrivateKey, createPublicKey, sign } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  canonicalJson,
  checkpointOrigin,
  chainFieldsOf,
  ERASED,
  eventHash,
  GENESIS_HASH,
  verifyCheckpoint,
  verifyConsistency,
  verifyInclusion,
  WITHHELD,
  type EventJson,
} from "@hyrelog/testing";

type ChainDocument = Record<string, unknown> & { v: number; sequence: number; prevHash: string; workspaceId: string };
type Verify = (events: unknown[]) => Promise<{ ok: boolean; sequence?: number; problem?: string }>;
interface ReferenceVerifier {
  verify: Verify;
  canonical: (v: unknown) => string;
  merkleRoot: (eventHashes: string[]) => Promise<string>;
  verifyInclusion: (eventHash: string, index: number, treeSize: number, proof: string[], root: string) => Promise<boolean>;
  verifyConsistency: (m: number, n: number, proof: string[], rootM: string, rootN: string) => Promise<boolean>;
  openCheckpoint: (note: string, verifierKeys: string[], origin: string) => Promise<{ treeSize: number; rootHash: string; extensions: string[] }>;
}
type InclusionVector = { leafIndex: number; treeSize: number; proof: string[] };
type ConsistencyVector = { from: number; to: number; proof: string[] };

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
const eventHashes = examples.map((e) => e.hash);

/** The event as the REST API returns it: the chain document (with its `v`), plus hash and idempotency key. */
function restEvent(e: (typeof examples)[number]): EventJson {
  return { ...(e.document as unknown as EventJson), hash: e.hash, idempotencyKey: null };
}

/** Event 6, version 2: the API's form live, in the target's subject access file, after its target was erased, and what is hashed. */
type PersonalEntry = { commitment: string; salt?: string; erased?: true; withheld?: true };
type ApiEvent = EventJson & { personal: Record<string, PersonalEntry> };
const v2 = {
  live: JSON.parse(block("verification-example:v2:live")) as ApiEvent,
  erased: JSON.parse(block("verification-example:v2:erased")) as ApiEvent,
  withheld: JSON.parse(block("verification-example:v2:withheld")) as ApiEvent,
  document: JSON.parse(block("verification-example:v2:document")) as ChainDocument & { personal: Record<string, string> },
  canonical: block("verification-example:v2:canonical"),
  hash: block("verification-example:v2:hash").trim(),
};

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

const DOCUMENT_MEMBERS = ["v", "id", "companyId", "workspaceId", "projectId", "sequence", "prevHash", "occurredAt", "receivedAt", "category", "action", "actor", "target", "changes", "metadata", "context"];

// --- RFC 9162 §2.1, straight from the definitions (independent of packages/core) ---
const sha = (...parts: Uint8Array[]) => createHash("sha256").update(Buffer.concat(parts)).digest();
const rfcLeafHash = (eventHashHex: string) => sha(Buffer.from([0x00]), Buffer.from(eventHashHex, "hex"));
const rfcNodeHash = (left: Buffer, right: Buffer) => sha(Buffer.from([0x01]), left, right);
const splitPoint = (n: number) => {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
};
/** MTH(D[a:b]) over event hashes. */
function mth(leaves: string[], a = 0, b = leaves.length): Buffer {
  if (b === a) return sha();
  if (b - a === 1) return rfcLeafHash(leaves[a]!);
  const k = a + splitPoint(b - a);
  return rfcNodeHash(mth(leaves, a, k), mth(leaves, k, b));
}
/** PATH(m, D[a:b]) with m absolute. */
function rfcPath(leaves: string[], m: number, a: number, b: number): Buffer[] {
  if (b - a === 1) return [];
  const k = a + splitPoint(b - a);
  return m < k ? [...rfcPath(leaves, m, a, k), mth(leaves, k, b)] : [...rfcPath(leaves, m, k, b), mth(leaves, a, k)];
}
/** SUBPROOF(m, D[a:b], complete). */
function rfcSubproof(leaves: string[], m: number, a: number, b: number, complete: boolean): Buffer[] {
  if (m === b - a) return complete ? [] : [mth(leaves, a, b)];
  const k = splitPoint(b - a);
  return m <= k
    ? [...rfcSubproof(leaves, m, a, a + k, complete), mth(leaves, a + k, b)]
    : [...rfcSubproof(leaves, m - k, a + k, b, false), mth(leaves, a, a + k)];
}
const hexes = (list: Buffer[]) => list.map((h) => h.toString("hex"));
/** The same hex string with one character changed. */
const flip = (h: string, at = 0) => h.slice(0, at) + (h[at] === "0" ? "1" : "0") + h.slice(at + 1);

describe("docs/verification.md worked example: events", () => {
  it("has five events of one log, sequences 1..5, linked from the genesis hash", () => {
    expect(examples.map((e) => e.n)).toEqual([1, 2, 3, 4, 5]);
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
    expect(canonicalJson(e.document)).toBe(e.canonical);
    expect(sha256(e.canonical)).toBe(e.hash);
    expect(JSON.parse(e.canonical)).toEqual(e.document);
    expect(e.canonical).not.toMatch(/\n/);
  });

  it("event 4 sorts keys by UTF-16 code units, which differs from code point order", () => {
    const keys = Object.keys(JSON.parse(examples[3]!.canonical).metadata);
    expect(keys).toEqual(["Zeta", "note", "zeta", "é", "😀", "ﬁ"]);
    const byCodePoint = [...keys].sort((a, b) => (a.codePointAt(0)! - b.codePointAt(0)!) || (a < b ? -1 : 1));
    expect(byCodePoint).not.toEqual(keys);
  });
});

describe("docs/verification.md worked example: event 6, version 2", () => {
  const ACTOR_POINTERS = ["/actor/email", "/actor/name", "/context/ip", "/context/userAgent"];
  const TARGET_POINTERS = ["/target/name", "/changes/0/old", "/changes/0/new", "/metadata/contact/phone"];
  /** The value at a JSON pointer (the example's pointers hold no escapes). */
  const at = (doc: unknown, pointer: string) => pointer.slice(1).split("/").reduce<unknown>((node, t) => (node as Record<string, unknown>)[t], doc);
  /** The commitment as the doc specifies it, computed here without HyreLog's code. */
  const commitment = (salt: string, pointer: string, value: unknown) => sha256(`${salt}\n${pointer}\n${canonicalJson(value)}`);

  it("follows event 5 in the same log and is version 2 with the 17 documented members", () => {
    expect(v2.document.v).toBe(2);
    expect(v2.live.v).toBe(2);
    expect(Object.keys(v2.document).sort()).toEqual([...DOCUMENT_MEMBERS, "personal"].sort());
    expect(v2.document.sequence).toBe(6);
    expect(v2.document.workspaceId).toBe(examples[4]!.document.workspaceId);
    expect(v2.document.prevHash).toBe(examples[4]!.hash);
    expect(v2.live.hash).toBe(v2.hash);
    expect(v2.erased.hash).toBe(v2.hash);
    expect(v2.withheld.hash).toBe(v2.hash);
  });

  it("the document's canonical string and hash are the code's, and every personal value is null in it", () => {
    expect(canonicalJson(v2.document)).toBe(v2.canonical);
    expect(sha256(v2.canonical)).toBe(v2.hash);
    expect(eventHash(v2.document as never)).toBe(v2.hash);
    expect(Object.keys(v2.document.personal)).toEqual([...ACTOR_POINTERS, ...TARGET_POINTERS].sort());
    for (const pointer of Object.keys(v2.document.personal)) expect(at(v2.document, pointer), pointer).toBeNull();
  });

  it("the live API form verifies with HyreLog's chainFieldsOf, and closes to exactly the documented document", () => {
    const fields = chainFieldsOf(v2.live);
    expect(eventHash(fields)).toBe(v2.hash);
    const { hash: _h, idempotencyKey: _k, ...document } = { ...fields, v: 2 } as Record<string, unknown>;
    expect(document).toEqual(v2.document);
  });

  it("each live entry's commitment is SHA-256 of salt, pointer and canonical value, one salt per subject", () => {
    for (const [pointer, p] of Object.entries(v2.live.personal)) {
      expect(p.salt, pointer).toMatch(/^[0-9a-f]{32}$/);
      expect(commitment(p.salt!, pointer, at(v2.live, pointer)), pointer).toBe(p.commitment);
      expect(p.commitment, pointer).toBe(v2.document.personal[pointer]);
    }
    const salts = (pointers: string[]) => new Set(pointers.map((p) => v2.live.personal[p]!.salt));
    expect(salts(ACTOR_POINTERS).size).toBe(1);
    expect(salts(TARGET_POINTERS).size).toBe(1);
    expect([...salts(ACTOR_POINTERS)]).not.toEqual([...salts(TARGET_POINTERS)]);
    // The step-by-step commitment of /actor/email.
    const salt = v2.live.personal["/actor/email"]!.salt!;
    expect(doc).toContain(`${salt}⏎/actor/email⏎"anna@globex.example"`);
    expect(doc).toContain(`which is \`${commitment(salt, "/actor/email", "anna@globex.example")}\`, the entry in \`personal\` above`);
  });

  it("the erased form shows the target's values as the marker, keeps the actor's, and still verifies", () => {
    expect(ERASED).toBe("[erased]");
    for (const pointer of TARGET_POINTERS) {
      expect(at(v2.erased, pointer), pointer).toBe(ERASED);
      expect(v2.erased.personal[pointer], pointer).toEqual({ commitment: v2.live.personal[pointer]!.commitment, erased: true });
    }
    for (const pointer of ACTOR_POINTERS) {
      expect(at(v2.erased, pointer), pointer).toEqual(at(v2.live, pointer));
      expect(v2.erased.personal[pointer], pointer).toEqual(v2.live.personal[pointer]);
    }
    const { personal: _a, actor: _b, target: _c, changes: _d, metadata: _e, ...restErased } = v2.erased;
    const { personal: _f, actor: _g, target: _h, changes: _i, metadata: _j, ...restLive } = v2.live;
    expect(restErased).toEqual(restLive);
    expect(eventHash(chainFieldsOf(v2.erased))).toBe(v2.hash);
  });

  it("the subject access form (of the target) withholds the actor's values with the marker, keeps the target's, and still verifies", () => {
    expect(WITHHELD).toBe("[withheld]");
    expect(doc).toContain("`\"[withheld]\"`");
    for (const pointer of ACTOR_POINTERS) {
      expect(at(v2.withheld, pointer), pointer).toBe(WITHHELD);
      expect(v2.withheld.personal[pointer], pointer).toEqual({ commitment: v2.live.personal[pointer]!.commitment, withheld: true });
    }
    for (const pointer of TARGET_POINTERS) {
      expect(at(v2.withheld, pointer), pointer).toEqual(at(v2.live, pointer));
      expect(v2.withheld.personal[pointer], pointer).toEqual(v2.live.personal[pointer]);
    }
    const { personal: _a, actor: _b, context: _c, ...restWithheld } = v2.withheld;
    const { personal: _d, actor: _e, context: _f, ...restLive } = v2.live;
    expect(restWithheld).toEqual(restLive);
    expect({ ...v2.withheld.actor, email: v2.live.actor.email, name: v2.live.actor.name }).toEqual(v2.live.actor);
    expect({ ...v2.withheld.context, ip: v2.live.context.ip, userAgent: v2.live.context.userAgent }).toEqual(v2.live.context);
    expect(eventHash(chainFieldsOf(v2.withheld))).toBe(v2.hash);
  });

  it("HyreLog's check takes an erased or withheld commitment only while the value reads exactly its marker", () => {
    const cases: Array<[string, ApiEvent, (e: ApiEvent) => void]> = [
      ["erased value shown", v2.erased, (e) => void (e.target.name = "Jörg")],
      ["erased value reads the withheld marker", v2.erased, (e) => void (e.target.name = WITHHELD)],
      ["withheld value shown", v2.withheld, (e) => void (e.actor.email = "anna@globex.example")],
      ["withheld value reads the erased marker", v2.withheld, (e) => void (e.actor.email = ERASED)],
      ["withheld value reads null", v2.withheld, (e) => void (e.context.ip = null)],
    ];
    for (const [what, base, change] of cases) {
      const e = structuredClone(base);
      change(e);
      expect(eventHash(chainFieldsOf(e)), what).not.toBe(v2.hash);
    }
  });

  it("a changed value or salt fails the hash", () => {
    const changed = structuredClone(v2.live);
    changed.actor.email = "anna@globex.exampIe";
    expect(eventHash(chainFieldsOf(changed))).not.toBe(v2.hash);
    const salted = structuredClone(v2.live);
    salted.personal["/target/name"] = { ...salted.personal["/target/name"]!, salt: flip(salted.personal["/target/name"]!.salt!) };
    expect(eventHash(chainFieldsOf(salted))).not.toBe(v2.hash);
    const commitments = structuredClone(v2.erased);
    commitments.personal["/target/name"] = { commitment: flip(commitments.personal["/target/name"]!.commitment), erased: true };
    expect(eventHash(chainFieldsOf(commitments))).not.toBe(v2.hash);
  });
});

describe("docs/verification.md worked example: event 7, a payload", () => {
  const live = JSON.parse(block("verification-example:payload:live")) as ApiEvent & { payload: Record<string, unknown> };
  const document = JSON.parse(block("verification-example:payload:document")) as ChainDocument & { payload: Record<string, unknown>; personal: Record<string, string> };
  const canonical = block("verification-example:payload:canonical");
  const hash = block("verification-example:payload:hash").trim();

  it("follows event 6 and has the documented members plus payload", () => {
    expect(Object.keys(document).sort()).toEqual([...DOCUMENT_MEMBERS, "personal", "payload"].sort());
    expect(document.sequence).toBe(7);
    expect(document.prevHash).toBe(v2.hash);
    expect(live.hash).toBe(hash);
    expect(live.payload).toEqual(document.payload);
  });

  it("the canonical string and hash are the code's; payload sits between occurredAt and personal", () => {
    expect(canonicalJson(document)).toBe(canonical);
    expect(sha256(canonical)).toBe(hash);
    expect(eventHash(document as never)).toBe(hash);
    expect(canonical.indexOf('"occurredAt"')).toBeLessThan(canonical.indexOf('"payload"'));
    expect(canonical.indexOf('"payload"')).toBeLessThan(canonical.indexOf('"personal"'));
  });

  it("the live API form verifies with chainFieldsOf, and closes to exactly the documented document", () => {
    const fields = chainFieldsOf(live);
    expect(eventHash(fields)).toBe(hash);
    const { hash: _h, idempotencyKey: _k, ...closed } = { ...fields, v: 2 } as Record<string, unknown>;
    expect(closed).toEqual(document);
  });

  it("the payload is hashed: without it or changed, the hash is another (the documented one without it)", () => {
    const { payload: _p, ...without } = document;
    expect(eventHash(without as never)).not.toBe(hash);
    expect(doc).toContain(`would hash to \`${eventHash(without as never)}\``);
    expect(eventHash({ ...document, payload: { userId: "user-457" } } as never)).not.toBe(hash);
  });

  it("the reference verifier accepts it after events 1 to 6, and refuses it without its payload", async () => {
    const ref = new Function(`${block("reference-verifier")}\nreturn { verify };`)() as Pick<ReferenceVerifier, "verify">;
    const five = examples.map(restEvent).reverse();
    expect(await ref.verify([live, v2.live, ...five])).toEqual({ ok: true });
    const { payload: _p, ...stripped } = live;
    expect(await ref.verify([stripped as never, v2.live, ...five])).toMatchObject({ ok: false, sequence: 7 });
  });
});

describe("docs/verification.md worked example: the Merkle tree", () => {
  const leafRows = block("verification-example:leaf-hashes")
    .split("\n")
    .slice(1)
    .map((l) => /^(\d+)\s+(\d+)\s+([0-9a-f]{64})$/.exec(l)!);
  const roots = Object.fromEntries(
    block("verification-example:roots")
      .split("\n")
      .slice(1)
      .map((l) => /^(\d+)\s+([0-9a-f]{64})$/.exec(l)!)
      .map((m) => [Number(m[1]), m[2]!]),
  ) as Record<number, string>;
  const vectors = JSON.parse(block("verification-example:proofs")) as { inclusion: InclusionVector[]; consistency: ConsistencyVector[] };

  it("prints the leaf hash SHA-256(0x00 || event hash) of every event", () => {
    expect(leafRows.map((m) => [Number(m[1]), Number(m[2])])).toEqual(eventHashes.map((_, i) => [i, i + 1]));
    leafRows.forEach((m, i) => expect(m[3]).toBe(rfcLeafHash(eventHashes[i]!).toString("hex")));
  });

  it("prints the root of every size 0..5, as RFC 9162 defines it", () => {
    expect(Object.keys(roots).map(Number)).toEqual([0, 1, 2, 3, 4, 5]);
    for (let n = 0; n <= 5; n++) expect(roots[n], `size ${n}`).toBe(mth(eventHashes.slice(0, n)).toString("hex"));
    expect(roots[0]).toBe(sha256(""));
    expect(roots[1]).toBe(leafRows[0]![3]);
  });

  it("lists every inclusion proof of sizes 1..5, each as RFC 9162 builds it", () => {
    const pairs = vectors.inclusion.map((v) => `${v.leafIndex}/${v.treeSize}`);
    const expected = [1, 2, 3, 4, 5].flatMap((n) => Array.from({ length: n }, (_, i) => `${i}/${n}`));
    expect(pairs).toEqual(expected);
    for (const v of vectors.inclusion) expect(v.proof, `${v.leafIndex}/${v.treeSize}`).toEqual(hexes(rfcPath(eventHashes, v.leafIndex, 0, v.treeSize)));
  });

  it("lists every consistency proof between sizes 1..5, each as RFC 9162 builds it", () => {
    const pairs = vectors.consistency.map((v) => `${v.from}/${v.to}`);
    const expected = [2, 3, 4, 5].flatMap((n) => Array.from({ length: n - 1 }, (_, m) => `${m + 1}/${n}`));
    expect(pairs).toEqual(expected);
    for (const v of vectors.consistency) expect(v.proof, `${v.from}/${v.to}`).toEqual(hexes(rfcSubproof(eventHashes, v.from, 0, v.to, true)));
  });

  it("HyreLog's verifyInclusion accepts every documented inclusion proof against the documented root, and nothing else", () => {
    for (const { leafIndex: i, treeSize: n, proof } of vectors.inclusion) {
      const where = `leaf ${i} in ${n}`;
      expect(verifyInclusion(eventHashes[i]!, i, n, proof, roots[n]!), where).toBe(true);
      expect(verifyInclusion(flip(eventHashes[i]!, 5), i, n, proof, roots[n]!), where).toBe(false);
      expect(verifyInclusion(eventHashes[i]!, i, n, proof, flip(roots[n]!, 63)), where).toBe(false);
      proof.forEach((_, j) => expect(verifyInclusion(eventHashes[i]!, i, n, proof.with(j, flip(proof[j]!, 10)), roots[n]!), where).toBe(false));
      expect(verifyInclusion(eventHashes[i]!, i, n, [...proof, roots[n]!], roots[n]!), where).toBe(false);
      if (proof.length) expect(verifyInclusion(eventHashes[i]!, i, n, proof.slice(0, -1), roots[n]!), where).toBe(false);
    }
  });

  it("HyreLog's verifyConsistency accepts every documented consistency proof, and nothing else", () => {
    for (const { from: m, to: n, proof } of vectors.consistency) {
      const where = `${m} to ${n}`;
      expect(verifyConsistency(m, n, proof, roots[m]!, roots[n]!), where).toBe(true);
      expect(verifyConsistency(m, n, proof, flip(roots[m]!), roots[n]!), where).toBe(false);
      expect(verifyConsistency(m, n, proof, roots[m]!, flip(roots[n]!)), where).toBe(false);
      proof.forEach((_, j) => expect(verifyConsistency(m, n, proof.with(j, flip(proof[j]!, 20)), roots[m]!, roots[n]!), where).toBe(false));
    }
    // The cases the pseudo-code adds to RFC 9162: equal sizes, and the empty tree.
    for (let n = 1; n <= 5; n++) {
      expect(verifyConsistency(n, n, [], roots[n]!, roots[n]!)).toBe(true);
      expect(verifyConsistency(0, n, [], roots[0]!, roots[n]!)).toBe(true);
    }
  });

  it("the step-by-step inclusion proof of event 3 is the one in the test vectors", () => {
    const worked = JSON.parse(block("verification-example:inclusion")) as InclusionVector & { leaf: string };
    expect(worked).toMatchObject({ leafIndex: 2, treeSize: 5, leaf: examples[2]!.hash });
    expect(worked.proof).toEqual(vectors.inclusion.find((v) => v.leafIndex === 2 && v.treeSize === 5)!.proof);
    expect(verifyInclusion(worked.leaf, 2, 5, worked.proof, roots[5]!)).toBe(true);
    expect(verifyInclusion(worked.leaf, 3, 5, worked.proof, roots[5]!)).toBe(false);
    expect(verifyInclusion(worked.leaf, 2, 4, worked.proof, roots[5]!)).toBe(false);
    // The GET /v1/events/:id/proof example names event 3.
    expect(doc).toContain(`GET /v1/events/${examples[2]!.document.id}/proof`);
  });

  it("the step-by-step consistency proof from 3 to 5 is the one in the test vectors", () => {
    const worked = JSON.parse(block("verification-example:consistency")) as ConsistencyVector;
    expect(worked).toMatchObject({ from: 3, to: 5 });
    expect(worked.proof).toEqual(vectors.consistency.find((v) => v.from === 3 && v.to === 5)!.proof);
    expect(verifyConsistency(3, 5, worked.proof, roots[3]!, roots[5]!)).toBe(true);
  });

  it("rule 3 of 'What to trust' holds: a proof does not tie a root to a tree size", () => {
    const proofIn3 = vectors.inclusion.find((v) => v.leafIndex === 0 && v.treeSize === 3)!.proof;
    expect(verifyInclusion(eventHashes[0]!, 0, 3, proofIn3, roots[3]!)).toBe(true);
    expect(verifyInclusion(eventHashes[0]!, 0, 4, proofIn3, roots[3]!)).toBe(true);
  });

  it("every abbreviated hash (8 hex digits and …) is the start of a hash printed in full", () => {
    const full = [...doc.matchAll(/[0-9a-f]{64,}/g)].map((m) => m[0]);
    const abbreviated = [...doc.matchAll(/(?<![0-9a-f])([0-9a-f]{8})…/g)].map((m) => m[1]!);
    expect(abbreviated.length).toBeGreaterThan(20);
    for (const a of abbreviated) expect(full.some((h) => h.startsWith(a)), a).toBe(true);
  });
});

describe("docs/verification.md worked example: keys and checkpoints", () => {
  const pkcs8 = block("verification-example:test-key").trim();
  const vkey = block("verification-example:verifier-key").trim();
  const privateKey = createPrivateKey({ key: Buffer.from(pkcs8, "base64"), format: "der", type: "pkcs8" });
  const publicKey = createPublicKey(privateKey).export({ format: "der", type: "spki" }).subarray(12);
  const notes = { 3: `${block("verification-example:checkpoint-3")}\n`, 5: `${block("verification-example:checkpoint-5")}\n` };
  const origin = checkpointOrigin("eu", examples[0]!.document.workspaceId);
  const roots = Object.fromEntries([3, 5].map((n) => [n, mth(eventHashes.slice(0, n)).toString("hex")]));
  const bodyOf = (note: string) => note.slice(0, note.lastIndexOf("\n\n") + 1);
  const signatureOf = (note: string) => Buffer.from(note.trimEnd().split("\n").at(-1)!.split(" ")[2]!, "base64");
  const rejection = (note: string, keys = [vkey], expectOrigin = origin): string => {
    try {
      verifyCheckpoint(note, keys, { origin: expectOrigin });
    } catch (err) {
      return (err as { code: string }).code;
    }
    return "accepted";
  };

  it("prints an Ed25519 test key, its raw values and its verifier key, all consistent", () => {
    expect(privateKey.asymmetricKeyType).toBe("ed25519");
    const keyId = createHash("sha256").update("hyrelog.eu\n", "utf8").update(Buffer.from([0x01])).update(publicKey).digest().subarray(0, 4).toString("hex");
    expect(vkey).toBe(`hyrelog.eu+${keyId}+${Buffer.concat([Buffer.from([0x01]), publicKey]).toString("base64")}`);
    expect(doc).toContain(privateKey.export({ type: "pkcs8", format: "pem" }).toString().trim());
    expect(doc).toContain(`Ed25519 seed (private key, 32 bytes): ${Buffer.from(pkcs8, "base64").subarray(16).toString("hex")}`);
    expect(doc).toContain(`Ed25519 public key (32 bytes):        ${publicKey.toString("hex")}`);
    expect(doc).toContain(`|| public key) = ${keyId}`);
    // The vkey of the "Verifier keys" section is this key too.
    expect(doc).toContain(`<key name>+<key id, 8 lowercase hex digits>+<base64(0x01 || 32-byte Ed25519 public key)>\n${vkey}\n`);
  });

  it.each([3, 5] as const)("HyreLog's verifyCheckpoint accepts the checkpoint of size %i, with the documented root", (n) => {
    expect(verifyCheckpoint(notes[n], [vkey], { origin })).toEqual({
      origin,
      treeSize: n,
      rootHash: roots[n],
      extensions: [expect.stringMatching(/^timestamp \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)],
      keyName: "hyrelog.eu",
    });
    expect(notes[n]).toContain(`\n${Buffer.from(roots[n]!, "hex").toString("base64")}\n`);
  });

  it.each([3, 5] as const)("the signature of the checkpoint of size %i is reproducible: Ed25519 over the body", (n) => {
    const signature = signatureOf(notes[n]);
    expect(signature.subarray(0, 4).toString("hex")).toBe(vkey.split("+")[1]);
    expect(signature.subarray(4)).toEqual(sign(null, Buffer.from(bodyOf(notes[n]), "utf8"), privateKey));
  });

  it("the bytes the doc names for the checkpoint of size 5 are right", () => {
    const body = bodyOf(notes[5]);
    expect(doc).toContain(`the body: ${Buffer.byteLength(body)} bytes, four lines`);
    expect(body.split("\n")).toHaveLength(5);
    expect(doc).toContain(`the signature \`${signatureOf(notes[5]).subarray(4).toString("hex")}\``);
    // The line-by-line picture in "Checkpoints" is this note.
    const picture = /```text\n(hyrelog\.eu\/[^\n]*⏎[\s\S]*?)\n```/.exec(doc)![1]!.split("\n");
    expect(picture.map((line) => line.slice(0, line.indexOf("⏎")))).toEqual(notes[5].slice(0, -1).split("\n"));
  });

  it("HyreLog's verifyCheckpoint rejects a one-character change anywhere, another origin and another key", () => {
    const note = notes[5];
    expect(rejection(note.replace("\n5\n", "\n6\n"))).toBe("bad_signature");
    expect(rejection(note.replace("oMeU9AY", "oMeU9AZ"))).toBe("bad_signature");
    expect(rejection(note.replace("08.212Z", "08.213Z"))).toBe("bad_signature");
    expect(rejection(note.replace("QOah0lQKVdxz", "QOah0lQKVdxy"))).toBe("bad_signature");
    expect(rejection(note.replace("hyrelog.eu/", "hyrelog.uk/"))).toBe("bad_signature");
    expect(rejection(note, [vkey], checkpointOrigin("us", examples[0]!.document.workspaceId))).toBe("wrong_origin");
    expect(rejection(note, [vkey.replace("hyrelog.eu+", "hyrelog.us+")])).toBe("malformed_verifier_key");
    expect(rejection(note, [vkey.replace(/\+[0-9a-f]{8}\+/, "+0ff1ce00+")])).toBe("malformed_verifier_key");
  });
});

describe("docs/verification.md reference verifier", () => {
  const ref = new Function(
    `${block("reference-verifier")}\nreturn { verify, canonical, merkleRoot, verifyInclusion, verifyConsistency, openCheckpoint };`,
  )() as ReferenceVerifier;
  const events = () => examples.map(restEvent).reverse(); // newest first, as GET /v1/events lists them
  const vectors = JSON.parse(block("verification-example:proofs")) as { inclusion: InclusionVector[]; consistency: ConsistencyVector[] };
  const root = (n: number) => mth(eventHashes.slice(0, n)).toString("hex");
  const vkey = block("verification-example:verifier-key").trim();
  const origin = checkpointOrigin("eu", examples[0]!.document.workspaceId);
  const note5 = `${block("verification-example:checkpoint-5")}\n`;
  const note3 = `${block("verification-example:checkpoint-3")}\n`;
  const rejects = (note: string, keys = [vkey], o = origin) => ref.openCheckpoint(note, keys, o).then(() => "accepted", (err: Error) => err.message);

  it("accepts the worked example", async () => {
    expect(await ref.verify(events())).toEqual({ ok: true });
  });

  it("accepts event 6 (version 2) after the five, live, erased, withheld (subject access) and in the stream's closed form", async () => {
    expect(await ref.verify([v2.live, ...events()])).toEqual({ ok: true });
    expect(await ref.verify([v2.erased, ...events()])).toEqual({ ok: true });
    expect(await ref.verify([v2.withheld, ...events()])).toEqual({ ok: true });
    const { personal: _p, ...closed } = v2.document;
    const stream = { ...closed, personal: v2.document.personal, hash: v2.hash, idempotencyKey: v2.live.idempotencyKey, sealed: [] };
    expect(await ref.verify([stream as never, ...events()])).toEqual({ ok: true });
  });

  it("rejects event 6 with a value, a salt or a commitment changed, an erased value shown, or an unknown version", async () => {
    const changed = structuredClone(v2.live);
    (changed.metadata as { contact: { phone: string } }).contact.phone = "+49 30 1234568";
    expect(await ref.verify([changed, ...events()])).toMatchObject({ ok: false, sequence: 6, problem: "hash does not match the event" });
    const salted = structuredClone(v2.live);
    salted.personal["/actor/name"] = { ...salted.personal["/actor/name"]!, salt: flip(salted.personal["/actor/name"]!.salt!) };
    expect(await ref.verify([salted, ...events()])).toMatchObject({ ok: false, sequence: 6 });
    const committed = structuredClone(v2.erased);
    committed.personal["/changes/0/old"] = { commitment: flip(committed.personal["/changes/0/old"]!.commitment), erased: true };
    expect(await ref.verify([committed, ...events()])).toMatchObject({ ok: false, sequence: 6 });
    const shown = structuredClone(v2.erased);
    shown.target.name = "Jörg";
    expect(await ref.verify([shown, ...events()])).toMatchObject({ ok: false, sequence: 6, problem: '/target/name is erased but does not read "[erased]"' });
    expect(await ref.verify([{ ...v2.live, v: 3 }, ...events()])).toMatchObject({ ok: false, sequence: 6 });
  });

  it("rejects event 6 with a withheld value shown, or with the wrong marker in place of an erased or withheld value", async () => {
    const shown = structuredClone(v2.withheld);
    shown.actor.email = "anna@globex.example";
    expect(await ref.verify([shown, ...events()])).toMatchObject({ ok: false, sequence: 6, problem: '/actor/email is withheld but does not read "[withheld]"' });
    const swapped = structuredClone(v2.withheld);
    swapped.context.userAgent = ERASED;
    expect(await ref.verify([swapped, ...events()])).toMatchObject({ ok: false, sequence: 6, problem: '/context/userAgent is withheld but does not read "[withheld]"' });
    const erasedAsWithheld = structuredClone(v2.erased);
    (erasedAsWithheld.metadata as { contact: { phone: string } }).contact.phone = WITHHELD;
    expect(await ref.verify([erasedAsWithheld, ...events()])).toMatchObject({
      ok: false,
      sequence: 6,
      problem: '/metadata/contact/phone is erased but does not read "[erased]"',
    });
    const bare = structuredClone(v2.withheld);
    bare.personal["/actor/name"] = { commitment: bare.personal["/actor/name"]!.commitment };
    expect(await ref.verify([bare, ...events()])).toMatchObject({ ok: false, sequence: 6 });
    // The checks agree with HyreLog's own.
    for (const e of [shown, swapped, erasedAsWithheld]) expect(eventHash(chainFieldsOf(e))).not.toBe(v2.hash);
  });

  it("computes the same canonical strings as the code", () => {
    for (const e of examples) expect(ref.canonical(e.document)).toBe(e.canonical);
  });

  it("rejects a one-character change to an event", async () => {
    const tampered = events();
    const first = tampered.find((e) => e.sequence === 1)!;
    first.metadata = { ...first.metadata, method: "ssp" };
    expect(await ref.verify(tampered)).toMatchObject({ ok: false, sequence: 1, problem: "hash does not match the event" });
  });

  it("rejects a one-character change to a hash", async () => {
    const tampered = events();
    const second = tampered.find((e) => e.sequence === 2)!;
    second.hash = flip(second.hash);
    expect(await ref.verify(tampered)).toMatchObject({ ok: false, sequence: 2 });
  });

  it("rejects a missing event", async () => {
    expect(await ref.verify(events().filter((e) => e.sequence !== 2))).toMatchObject({ ok: false, sequence: 3, problem: "gap after sequence 1" });
  });

  it("computes the documented root of every size", async () => {
    for (let n = 0; n <= 5; n++) expect(await ref.merkleRoot(eventHashes.slice(0, n)), `size ${n}`).toBe(root(n));
  });

  it("opens the documented checkpoints like the code does", async () => {
    for (const [note, n] of [[note3, 3], [note5, 5]] as const) {
      const code = verifyCheckpoint(note, [vkey], { origin });
      expect(await ref.openCheckpoint(note, [vkey], origin)).toEqual({ treeSize: n, rootHash: code.rootHash, extensions: code.extensions });
    }
  });

  it("rejects a checkpoint with one character changed, of another log, or without a trusted signature", async () => {
    expect(await rejects(note5.replace("\n5\n", "\n6\n"))).toMatch(/bad signature/);
    expect(await rejects(note5.replace("oMeU9AY", "oMeU9AZ"))).toMatch(/bad signature/);
    expect(await rejects(note5.replace("08.212Z", "08.213Z"))).toMatch(/bad signature/);
    expect(await rejects(note5.replace("QOah0lQKVdxz", "QOah0lQKVdxy"))).toMatch(/bad signature/);
    expect(await rejects(note5, [vkey], origin.replace("hyrelog.eu/", "hyrelog.us/"))).toMatch(/not of hyrelog\.us/);
    expect(await rejects(note5, [vkey.replace("hyrelog.eu+", "hyrelog.us+")])).toMatch(/wrong key id/);
    expect(await rejects(note5, [])).toMatch(/no signature by a trusted key/);
  });

  it("agrees with the code on every documented proof, and on each of them with one character changed", async () => {
    for (const { leafIndex: i, treeSize: n, proof } of vectors.inclusion) {
      const cases: Array<[string, number, number, string[], string]> = [
        [eventHashes[i]!, i, n, proof, root(n)],
        [flip(eventHashes[i]!, 7), i, n, proof, root(n)],
        [eventHashes[i]!, i, n, proof, flip(root(n), 30)],
        [eventHashes[i]!, i, n + 1, proof, root(n)],
        [eventHashes[i]!, n, n, proof, root(n)],
        ...proof.map((_, j): [string, number, number, string[], string] => [eventHashes[i]!, i, n, proof.with(j, flip(proof[j]!, 1)), root(n)]),
      ];
      for (const c of cases) expect(await ref.verifyInclusion(...c), JSON.stringify(c.slice(1, 3))).toBe(verifyInclusion(...c));
      expect(await ref.verifyInclusion(eventHashes[i]!, i, n, proof, root(n))).toBe(true);
    }
    for (const { from: m, to: n, proof } of vectors.consistency) {
      const cases: Array<[number, number, string[], string, string]> = [
        [m, n, proof, root(m), root(n)],
        [m, n, proof, flip(root(m)), root(n)],
        [m, n, proof, root(m), flip(root(n), 40)],
        [m, n, proof.slice(1), root(m), root(n)],
        [m, n, [...proof, root(n)], root(m), root(n)],
        ...proof.map((_, j): [number, number, string[], string, string] => [m, n, proof.with(j, flip(proof[j]!, 2)), root(m), root(n)]),
      ];
      for (const c of cases) expect(await ref.verifyConsistency(...c), JSON.stringify(c.slice(0, 2))).toBe(verifyConsistency(...c));
      expect(await ref.verifyConsistency(m, n, proof, root(m), root(n))).toBe(true);
    }
    for (let n = 0; n <= 5; n++) {
      expect(await ref.verifyConsistency(n, n, [], root(n), root(n))).toBe(verifyConsistency(n, n, [], root(n), root(n)));
      expect(await ref.verifyConsistency(0, n, [], root(0), root(n))).toBe(verifyConsistency(0, n, [], root(0), root(n)));
    }
  });

  it("verifies the example end to end: chain, checkpoint, root and one inclusion proof", async () => {
    const list = events();
    expect(await ref.verify(list)).toEqual({ ok: true });
    const cp = await ref.openCheckpoint(note5, [vkey], origin);
    const hashes = list.sort((a, b) => a.sequence - b.sequence).map((e) => e.hash);
    expect(await ref.merkleRoot(hashes.slice(0, cp.treeSize))).toBe(cp.rootHash);
    const worked = JSON.parse(block("verification-example:inclusion")) as InclusionVector;
    expect(await ref.verifyInclusion(hashes[2]!, 2, cp.treeSize, worked.proof, cp.rootHash)).toBe(true);
    expect(await ref.verifyInclusion(flip(hashes[2]!, 63), 2, cp.treeSize, worked.proof, cp.rootHash)).toBe(false);
  });
});
