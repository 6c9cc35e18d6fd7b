import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  CompactRange,
  consistencyProof,
  emptyRoot,
  inclusionProof,
  leafHash,
  merkleRoot,
  nodeHash,
  subtreeHash,
  verifyConsistency,
  verifyInclusion,
  type MerkleTree,
} from "./merkle.ts";

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");
const unhex = (s: string): Buffer => Buffer.from(s, "hex");
const sha256 = (...parts: Uint8Array[]): Buffer => {
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  return h.digest();
};

// RFC 6962 test vectors of the Certificate Transparency reference implementation, as published
// in transparency-dev/merkle (proof/verify_test.go): the leaves, the root for every size 0..8,
// and known inclusion and consistency proofs.
const CT_LEAVES = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"].map(unhex);
const CT_ROOTS = [
  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
  "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
  "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
  "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
  "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
  "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
  "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];
const CT_INCLUSION = [
  {
    index: 0,
    size: 8,
    proof: [
      "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
  },
  {
    index: 5,
    size: 8,
    proof: [
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
  },
  { index: 2, size: 3, proof: ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"] },
  {
    index: 1,
    size: 5,
    proof: [
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ],
  },
];
const CT_CONSISTENCY = [
  {
    m: 1,
    n: 8,
    proof: [
      "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
  },
  {
    m: 6,
    n: 8,
    proof: [
      "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
  },
  {
    m: 2,
    n: 5,
    proof: [
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ],
  },
  {
    m: 6,
    n: 7,
    proof: [
      "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
      "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
  },
];

// An independent transcription of RFC 9162 §2.1 on array slices, to cross-check larger trees.
const ref = {
  mth(d: Buffer[]): Buffer {
    if (d.length === 0) return sha256();
    if (d.length === 1) return sha256(Buffer.from([0]), d[0]!);
    const k = 2 ** Math.ceil(Math.log2(d.length) - 1);
    return sha256(Buffer.from([1]), ref.mth(d.slice(0, k)), ref.mth(d.slice(k)));
  },
  path(m: number, d: Buffer[]): Buffer[] {
    if (d.length <= 1) return [];
    const k = 2 ** Math.ceil(Math.log2(d.length) - 1);
    return m < k ? [...ref.path(m, d.slice(0, k)), ref.mth(d.slice(k))] : [...ref.path(m - k, d.slice(k)), ref.mth(d.slice(0, k))];
  },
  subproof(m: number, d: Buffer[], b: boolean): Buffer[] {
    if (m === d.length) return b ? [] : [ref.mth(d)];
    const k = 2 ** Math.ceil(Math.log2(d.length) - 1);
    return m <= k
      ? [...ref.subproof(m, d.slice(0, k), b), ref.mth(d.slice(k))]
      : [...ref.subproof(m - k, d.slice(k), false), ref.mth(d.slice(0, k))];
  },
};

/** Event-like leaves: distinct 64-hex-character hashes. */
const LEAVES = Array.from({ length: 130 }, (_, i) => sha256(Buffer.from(`event ${i + 1}`)).toString("hex"));
const LEAF_BYTES = LEAVES.map(unhex);
const MAX = 64;
const ROOTS = Array.from({ length: LEAVES.length + 1 }, (_, n) => merkleRoot(LEAVES.slice(0, n)));
const OTHER = sha256(Buffer.from("not in any tree"));

// Proofs of the first MAX + 1 trees, made once and shared by the tests below.
const memo = new Map<string, Buffer[]>();
const inclusionOf = (i: number, n: number): Buffer[] => cached(`i${i}:${n}`, () => inclusionProof(LEAVES, i, n));
const consistencyOf = (m: number, n: number): Buffer[] => cached(`c${m}:${n}`, () => consistencyProof(LEAVES, m, n));
function cached(key: string, make: () => Buffer[]): Buffer[] {
  if (!memo.has(key)) memo.set(key, make());
  return memo.get(key)!;
}

const flipByte = (h: Buffer, at: number): Buffer => {
  const copy = Buffer.from(h);
  copy[at] = copy[at]! ^ 0x01;
  return copy;
};

/** Sizes to claim instead of n: the ones near n, the powers of two, double and half. */
function forgedSizes(n: number): number[] {
  const sizes = [0, Math.floor(n / 2), 2 * n, 2 * n + 1];
  for (let size = n - 8; size <= n + 8; size++) sizes.push(size);
  for (let size = 1; size <= LEAVES.length; size *= 2) sizes.push(size);
  return [...new Set(sizes)].filter((size) => size >= 0 && size !== n && size <= LEAVES.length);
}

/** Positions to confuse with leaf i: its mirror image at every level, its neighbours, the ends. */
function otherIndices(i: number, n: number): number[] {
  const indices = [0, 1, i - 2, i - 1, i + 1, i + 2, n - 2, n - 1, n, n + 1];
  for (let bit = 1; bit < 2 * n; bit *= 2) indices.push(i ^ bit);
  return [...new Set(indices)].filter((j) => j >= 0 && j !== i && j <= n + 1);
}

/** Every way of damaging a proof that must make it fail. */
function damagedProofs(proof: Buffer[], extras: Buffer[]): Array<[string, Buffer[]]> {
  const out: Array<[string, Buffer[]]> = [];
  const n = proof.length;
  if (n > 0) {
    out.push(["last hash removed", proof.slice(0, -1)], ["first hash removed", proof.slice(1)]);
    out.push(["last hash repeated", [...proof, proof[n - 1]!]], ["first hash repeated", [proof[0]!, ...proof]]);
  }
  for (const extra of extras) out.push(["hash appended", [...proof, extra]], ["hash prepended", [extra, ...proof]]);
  for (let k = 0; k < n; k++) {
    for (const at of [0, 13, 31]) out.push([`byte ${at} of hash ${k} flipped`, proof.map((h, j) => (j === k ? flipByte(h, at) : h))]);
    if (k + 1 < n) out.push([`hashes ${k} and ${k + 1} swapped`, proof.map((h, j) => (j === k ? proof[k + 1]! : j === k + 1 ? proof[k]! : h))]);
    out.push([`hash ${k} replaced`, proof.map((h, j) => (j === k ? OTHER : h))]);
  }
  if (n > 1) out.push(["reversed", [...proof].reverse()]);
  return out;
}

/** A store of perfect-subtree hashes, as a service would keep; records every lookup. */
function storedTree(leaves: readonly string[]): { tree: MerkleTree; calls: Array<[number, number]> } {
  const store = new Map<string, Buffer>();
  for (let size = 1; size <= leaves.length; size *= 2) {
    for (let start = 0; start + size <= leaves.length; start += size) store.set(`${start}:${start + size}`, subtreeHash(leaves, start, start + size));
  }
  const calls: Array<[number, number]> = [];
  const hashRange = (start: number, end: number): Buffer => {
    calls.push([start, end]);
    const h = store.get(`${start}:${end}`);
    if (!h) throw new Error(`hashRange(${start}, ${end}) is not a perfect aligned subtree`);
    return h;
  };
  return { tree: { size: leaves.length, hashRange }, calls };
}

describe("Merkle tree hashes (RFC 9162 §2.1)", () => {
  it("match the RFC 6962 reference roots for every size 0..8", () => {
    expect(hex(emptyRoot())).toBe(CT_ROOTS[0]);
    expect(hex(leafHash(CT_LEAVES[0]!))).toBe(CT_ROOTS[1]);
    expect(hex(nodeHash(leafHash(CT_LEAVES[0]!), leafHash(CT_LEAVES[1]!)))).toBe(CT_ROOTS[2]);
    for (let n = 0; n <= 8; n++) expect(hex(merkleRoot(CT_LEAVES.slice(0, n))), `size ${n}`).toBe(CT_ROOTS[n]);
  });

  it("match an independent transcription of the RFC for every size up to 130", () => {
    for (let n = 0; n <= LEAVES.length; n++) {
      expect(hex(ROOTS[n]!), `size ${n}`).toBe(hex(ref.mth(LEAF_BYTES.slice(0, n))));
      expect(hex(merkleRoot(LEAF_BYTES.slice(0, n)))).toBe(hex(ROOTS[n]!));
    }
    expect(hex(subtreeHash(LEAVES, 8, 16))).toBe(hex(ref.mth(LEAF_BYTES.slice(8, 16))));
    expect(hex(subtreeHash(LEAVES, 5, 5))).toBe(hex(emptyRoot()));
  });

  it("take event hashes as lowercase hex, and reject anything else given as text", () => {
    expect(hex(leafHash(LEAVES[0]!))).toBe(hex(leafHash(LEAF_BYTES[0]!)));
    for (const bad of [LEAVES[0]!.toUpperCase(), LEAVES[0]!.slice(1), `${LEAVES[0]}00`, "", "zz".repeat(32)]) {
      expect(() => leafHash(bad)).toThrow(TypeError);
    }
    expect(() => merkleRoot(LEAVES, LEAVES.length + 1)).toThrow(RangeError);
    expect(() => subtreeHash(LEAVES, 3, 2)).toThrow(RangeError);
  });
});

describe("inclusion proofs", () => {
  it("match the RFC 6962 reference proofs", () => {
    for (const { index, size, proof } of CT_INCLUSION) {
      expect(inclusionProof(CT_LEAVES.slice(0, size), index).map(hex)).toEqual(proof);
      expect(verifyInclusion(CT_LEAVES[index]!, index, size, proof, CT_ROOTS[size]!)).toBe(true);
      expect(verifyInclusion(CT_LEAVES[index]!, index, size, proof.map(unhex), unhex(CT_ROOTS[size]!))).toBe(true);
    }
    expect(inclusionProof(CT_LEAVES.slice(0, 1), 0)).toEqual([]);
    expect(inclusionProof(CT_LEAVES.slice(0, 5), 1)).toEqual(inclusionProof(CT_LEAVES, 1, 5));
    expect(verifyInclusion(CT_LEAVES[0]!, 0, 1, [], CT_ROOTS[1]!)).toBe(true);
  });

  it(`verify for every leaf of every tree up to size ${MAX}, and equal the RFC's PATH`, () => {
    for (let n = 1; n <= MAX; n++) {
      for (let i = 0; i < n; i++) {
        const proof = inclusionOf(i, n);
        expect(proof.map(hex)).toEqual(ref.path(i, LEAF_BYTES.slice(0, n)).map(hex));
        expect(verifyInclusion(LEAVES[i]!, i, n, proof, ROOTS[n]!), `leaf ${i} of ${n}`).toBe(true);
      }
    }
  });

  it("reject a wrong index, a different leaf, a wrong tree size or root, and every damaged proof", () => {
    const accepted: string[] = [];
    for (let n = 1; n <= MAX; n++) {
      const root = ROOTS[n]!;
      for (let i = 0; i < n; i++) {
        const leaf = LEAVES[i]!;
        const proof = inclusionOf(i, n);
        const fail = (what: string, ok: boolean): void => void (ok && accepted.push(`leaf ${i} of ${n}: ${what}`));
        for (const j of otherIndices(i, n)) {
          fail(`index ${j}`, verifyInclusion(leaf, j, n, proof, root));
          if (j < n) fail(`leaf ${j}`, verifyInclusion(LEAVES[j]!, i, n, proof, root));
        }
        fail("leaf hash given as the leaf", verifyInclusion(leafHash(leaf), i, n, proof, root));
        // A forged size comes with the root of that size.
        for (const size of forgedSizes(n)) fail(`size ${size}`, verifyInclusion(leaf, i, size, proof, ROOTS[size]!));
        fail("size doubled", verifyInclusion(leaf, i, 2 * n, proof, root));
        fail("size halved", verifyInclusion(leaf, i, Math.floor(n / 2), proof, root));
        for (const [what, r] of [["empty root", emptyRoot()], ["other root", OTHER], ["next root", ROOTS[n + 1]!], ["flipped root", flipByte(root, 7)]] as const) {
          fail(what, verifyInclusion(leaf, i, n, proof, r));
        }
        for (const [what, bad] of damagedProofs(proof, [OTHER, root, leafHash(leaf)])) fail(what, verifyInclusion(leaf, i, n, bad, root));
      }
    }
    expect(accepted).toEqual([]);
  });

  it("bind a root to its size only through the checkpoint that carries both", () => {
    // RFC 9162 proofs do not encode the tree size: leaf 0 has the same path shape in trees of 3
    // and 4 leaves, so a size-3 proof "verifies" against the size-3 root claimed as size 4. Take
    // the size and the root from one verified checkpoint, never from separate sources.
    const proof = inclusionProof(LEAVES, 0, 3);
    expect(verifyInclusion(LEAVES[0]!, 0, 4, proof, ROOTS[3]!)).toBe(true);
    expect(verifyInclusion(LEAVES[0]!, 0, 4, proof, ROOTS[4]!)).toBe(false);
  });

  it("reject malformed input instead of throwing", () => {
    const proof = inclusionProof(LEAVES, 2, 5);
    const root = ROOTS[5]!;
    expect(verifyInclusion(LEAVES[2]!, 2, 5, proof, root)).toBe(true);
    for (const [index, size] of [[-1, 5], [2.5, 5], [2, 5.5], [2, -5], [Number.NaN, 5], [2, Infinity], [5, 5], [6, 5], [0, 0], [2 ** 53, 2 ** 53 + 2]]) {
      expect(verifyInclusion(LEAVES[2]!, index!, size!, proof, root), `${index} of ${size}`).toBe(false);
    }
    expect(verifyInclusion(LEAVES[2]!, 2, 5, proof.map(hex), hex(root))).toBe(true);
    expect(verifyInclusion(LEAVES[2]!, 2, 5, proof.map((h) => hex(h).toUpperCase()), root)).toBe(false);
    expect(verifyInclusion(LEAVES[2]!, 2, 5, proof, hex(root).toUpperCase())).toBe(false);
    expect(verifyInclusion(LEAVES[2]!, 2, 5, [...proof.slice(0, -1), proof.at(-1)!.subarray(0, 31)], root)).toBe(false);
    expect(verifyInclusion(LEAVES[2]!, 2, 5, [...proof.slice(0, -1), Buffer.concat([proof.at(-1)!, Buffer.alloc(1)])], root)).toBe(false);
    expect(verifyInclusion(LEAVES[2]!.toUpperCase(), 2, 5, proof, root)).toBe(false);
    expect(verifyInclusion(LEAVES[2]!, 2, 5, proof, root.subarray(1))).toBe(false);
    expect(verifyInclusion(LEAVES[2]!, 2, 5, "nope" as never, root)).toBe(false);
    expect(verifyInclusion(42 as never, 2, 5, proof, root)).toBe(false);
    expect(verifyInclusion(LEAVES[2]!, 2, 5, [null as never, ...proof.slice(1)], root)).toBe(false);
  });

  it("refuse impossible requests", () => {
    expect(() => inclusionProof(LEAVES, 5, 5)).toThrow(RangeError);
    expect(() => inclusionProof(LEAVES, -1)).toThrow(RangeError);
    expect(() => inclusionProof([], 0)).toThrow(RangeError);
    expect(() => inclusionProof(LEAVES, 0, LEAVES.length + 1)).toThrow(RangeError);
  });
});

describe("consistency proofs", () => {
  it("match the RFC 6962 reference proofs", () => {
    for (const { m, n, proof } of CT_CONSISTENCY) {
      expect(consistencyProof(CT_LEAVES, m, n).map(hex)).toEqual(proof);
      expect(consistencyProof(CT_LEAVES.slice(0, n), m).map(hex)).toEqual(proof);
      expect(verifyConsistency(m, n, proof, CT_ROOTS[m]!, CT_ROOTS[n]!)).toBe(true);
    }
  });

  it(`verify for every 0 <= m <= n <= ${MAX}, and equal the RFC's PROOF`, () => {
    for (let n = 0; n <= MAX; n++) {
      for (let m = 0; m <= n; m++) {
        const proof = consistencyOf(m, n);
        if (m > 0 && m < n) expect(proof.map(hex)).toEqual(ref.subproof(m, LEAF_BYTES.slice(0, n), true).map(hex));
        else expect(proof).toEqual([]);
        expect(verifyConsistency(m, n, proof, ROOTS[m]!, ROOTS[n]!), `${m} -> ${n}`).toBe(true);
      }
    }
  });

  it("reject wrong sizes, wrong roots and every damaged proof", () => {
    const accepted: string[] = [];
    for (let n = 1; n <= MAX; n++) {
      for (let m = 1; m < n; m++) {
        const proof = consistencyOf(m, n);
        const [rootM, rootN] = [ROOTS[m]!, ROOTS[n]!];
        const fail = (what: string, ok: boolean): void => void (ok && accepted.push(`${m} -> ${n}: ${what}`));
        // A forged size comes with the root of that size.
        for (const size of forgedSizes(m)) fail(`old size ${size}`, verifyConsistency(size, n, proof, ROOTS[size]!, rootN));
        for (const size of forgedSizes(n)) fail(`new size ${size}`, verifyConsistency(m, size, proof, rootM, ROOTS[size]!));
        for (const [what, size] of [["old size - 1", m - 1], ["old size + 1", m + 1], ["old size ^ 2", m ^ 2], ["old size halved", m >> 1]] as const) {
          if (size !== m) fail(what, verifyConsistency(size, n, proof, rootM, rootN));
        }
        fail("new size doubled", verifyConsistency(m, 2 * n, proof, rootM, rootN));
        fail("new size halved", verifyConsistency(m, n >> 1, proof, rootM, rootN));
        fail("roots swapped", verifyConsistency(m, n, proof, rootN, rootM));
        fail("old root of the empty tree", verifyConsistency(m, n, proof, emptyRoot(), rootN));
        fail("old root flipped", verifyConsistency(m, n, proof, flipByte(rootM, 3), rootN));
        fail("new root flipped", verifyConsistency(m, n, proof, rootM, flipByte(rootN, 3)));
        fail("other new root", verifyConsistency(m, n, proof, rootM, OTHER));
        fail("empty proof", verifyConsistency(m, n, [], rootM, rootN));
        for (const [what, bad] of damagedProofs(proof, [OTHER, rootM, rootN])) fail(what, verifyConsistency(m, n, bad, rootM, rootN));
      }
    }
    expect(accepted).toEqual([]);
  });

  it("handle the edge cases: m == n, m == 0, m > n, malformed input", () => {
    const [r3, r5] = [ROOTS[3]!, ROOTS[5]!];
    expect(verifyConsistency(5, 5, [], r5, r5)).toBe(true);
    expect(verifyConsistency(5, 5, [], r3, r5)).toBe(false);
    expect(verifyConsistency(5, 5, [r5], r5, r5)).toBe(false);
    expect(verifyConsistency(0, 5, [], emptyRoot(), r5)).toBe(true);
    expect(verifyConsistency(0, 0, [], emptyRoot(), emptyRoot())).toBe(true);
    expect(verifyConsistency(0, 0, [], emptyRoot(), r5)).toBe(false);
    expect(verifyConsistency(0, 5, [], r3, r5)).toBe(false);
    expect(verifyConsistency(0, 5, [r5], emptyRoot(), r5)).toBe(false);
    expect(verifyConsistency(0, 5, [emptyRoot()], emptyRoot(), r5)).toBe(false);
    expect(verifyConsistency(5, 3, consistencyProof(LEAVES, 3, 5), r5, r3)).toBe(false);
    expect(verifyConsistency(5, 3, [], r5, r3)).toBe(false);
    // With m > n the RFC's loop alone would accept these hashes: the size check must come first.
    expect(verifyConsistency(3, 2, [r3, OTHER], r3, nodeHash(r3, OTHER))).toBe(false);
    const proof = consistencyProof(LEAVES, 3, 5);
    expect(verifyConsistency(3, 5, proof.map(hex), hex(r3), hex(r5))).toBe(true);
    for (const [m, n] of [[-1, 5], [3.5, 5], [3, 5.5], [Number.NaN, 5], [3, Infinity], [2 ** 53, 2 ** 53]]) {
      expect(verifyConsistency(m!, n!, proof, r3, r5), `${m} -> ${n}`).toBe(false);
    }
    expect(verifyConsistency(3, 5, proof, r3.subarray(1), r5)).toBe(false);
    expect(verifyConsistency(3, 5, proof, r3, "00")).toBe(false);
    expect(verifyConsistency(3, 5, [proof[0]!.subarray(0, 16), ...proof.slice(1)], r3, r5)).toBe(false);
    expect(verifyConsistency(3, 5, "nope" as never, r3, r5)).toBe(false);
    expect(() => consistencyProof(LEAVES, 4, 3)).toThrow(RangeError);
    expect(() => consistencyProof(LEAVES, 1, LEAVES.length + 1)).toThrow(RangeError);
    expect(() => consistencyProof(LEAVES, -1, 3)).toThrow(RangeError);
  });
});

describe("proofs from stored perfect subtrees (hashRange)", () => {
  it("equal the proofs from the leaves, asking only for perfect aligned subtrees inside the tree size", () => {
    const { tree, calls } = storedTree(LEAVES.slice(0, MAX));
    const checkCalls = (size: number): void => {
      for (const [start, end] of calls) {
        const span = end - start;
        expect(Number.isInteger(Math.log2(span)) && start % span === 0 && end <= size, `hashRange(${start}, ${end}) for size ${size}`).toBe(true);
      }
      calls.length = 0;
    };
    for (let n = 0; n <= MAX; n++) {
      expect(merkleRoot(tree, n)).toEqual(ROOTS[n]);
      checkCalls(n);
      for (let i = 0; i < n; i++) {
        expect(inclusionProof(tree, i, n)).toEqual(inclusionOf(i, n));
        checkCalls(n);
      }
      for (let m = 0; m <= n; m++) {
        expect(consistencyProof(tree, m, n)).toEqual(consistencyOf(m, n));
        checkCalls(n);
      }
    }
  });

  it("look up O(log n) subtrees per proof", () => {
    const { tree, calls } = storedTree(LEAVES.slice(0, MAX));
    inclusionProof(tree, 0, 63);
    expect(calls.length).toBeLessThanOrEqual(2 * 6);
    calls.length = 0;
    consistencyProof(tree, 37, 63);
    expect(calls.length).toBeLessThanOrEqual(2 * 6);
  });

  it("reject a hashRange that does not return 32 bytes", () => {
    expect(() => merkleRoot({ size: 3, hashRange: () => Buffer.alloc(31) })).toThrow(TypeError);
  });

  it("work beyond 32-bit sizes (a virtual tree of 2^40 + 12345 equal leaves)", () => {
    // Every perfect subtree of height h has the same hash H[h], so hashRange is a lookup.
    const heights: Buffer[] = [leafHash(LEAVES[0]!)];
    for (let h = 1; h <= 52; h++) heights.push(nodeHash(heights[h - 1]!, heights[h - 1]!));
    const size = 2 ** 40 + 12345;
    const tree: MerkleTree = { size, hashRange: (start, end) => heights[Math.log2(end - start)]! };
    const frontier = (n: number): Buffer[] => {
      const out: Buffer[] = [];
      for (let h = 52; h >= 0; h--) if (Math.floor(n / 2 ** h) % 2 === 1) out.push(heights[h]!);
      return out;
    };
    const root = merkleRoot(tree);
    expect(root).toEqual(new CompactRange(size, frontier(size)).root());
    for (const index of [0, 2 ** 31, 2 ** 32 + 7, 2 ** 40 - 1, 2 ** 40, size - 1]) {
      const proof = inclusionProof(tree, index);
      expect(verifyInclusion(LEAVES[0]!, index, size, proof, root), `index ${index}`).toBe(true);
      expect(verifyInclusion(LEAVES[0]!, index, 2 * size, proof, root)).toBe(false);
      const other = size + 2 ** 32;
      expect(verifyInclusion(LEAVES[0]!, index, other, proof, merkleRoot({ ...tree, size: other }))).toBe(false);
    }
    for (const m of [1, 2 ** 32, 2 ** 33 + 1, 2 ** 40, size - 1]) {
      const rootM = merkleRoot(tree, m);
      expect(rootM).toEqual(new CompactRange(m, frontier(m)).root());
      const proof = consistencyProof(tree, m);
      expect(verifyConsistency(m, size, proof, rootM, root), `${m} -> ${size}`).toBe(true);
      const other = size + 2 ** 32;
      expect(verifyConsistency(m, other, proof, rootM, merkleRoot({ ...tree, size: other }))).toBe(false);
      expect(verifyConsistency(m, 2 * size, proof, rootM, root)).toBe(false);
    }
  });
});

describe("CompactRange", () => {
  it("yields merkleRoot for every size 0..300", () => {
    const leaves = Array.from({ length: 300 }, (_, i) => sha256(Buffer.from(`leaf ${i}`)).toString("hex"));
    const range = new CompactRange();
    expect(range.root()).toEqual(emptyRoot());
    for (let n = 1; n <= leaves.length; n++) {
      range.append(leaves[n - 1]!);
      expect(range.size).toBe(n);
      expect(hex(range.root()), `size ${n}`).toBe(hex(merkleRoot(leaves.slice(0, n))));
      expect(range.hashes.length).toBe(n.toString(2).replaceAll("0", "").length);
    }
  });

  it("resumes from its stored state and keeps O(log n) hashes", () => {
    const leaves = Array.from({ length: 40_003 }, (_, i) => sha256(Buffer.from(`leaf ${i}`)).toString("hex"));
    const range = new CompactRange();
    for (const leaf of leaves.slice(0, 20_000)) range.append(leaf);
    const resumed = new CompactRange(range.size, range.hashes.map(hex));
    for (const leaf of leaves.slice(20_000)) resumed.append(leaf);
    expect(resumed.hashes.length).toBeLessThanOrEqual(16);
    expect(resumed.root()).toEqual(merkleRoot(leaves));
  });

  it("rejects a state that cannot be a compact range", () => {
    expect(() => new CompactRange(3, [OTHER])).toThrow(RangeError);
    expect(() => new CompactRange(1, [OTHER.subarray(1)])).toThrow(RangeError);
    expect(() => new CompactRange(-1)).toThrow(RangeError);
    expect(() => new CompactRange(1, [])).toThrow(RangeError);
  });
});
