/**
 * Merkle trees over a log, as defined by RFC 9162 §2.1 (Certificate Transparency v2; the same
 * tree as RFC 6962).
 *
 * Leaf `i` (0-based) of a log's tree is the chain hash of the event with `sequence` i + 1
 * (docs/verification.md), taken as its 32 bytes. A leaf may also be given as raw bytes of any
 * length, which is what the RFC test vectors use. With D[n] = leaves 0..n-1:
 *
 *   MTH({})      = SHA-256()                                   the empty tree
 *   MTH({d})     = SHA-256(0x00 || d)                          a leaf hash
 *   MTH(D[n])    = SHA-256(0x01 || MTH(D[0:k]) || MTH(D[k:n]))  k = largest power of two < n
 *
 * Proof generators throw a RangeError on impossible arguments (a programming error). Verifiers
 * never throw: any malformed input, including a hash that is not exactly 32 bytes (or 64
 * lowercase hex characters), makes them return false.
 */
import { hash } from "node:crypto";

/** A leaf: an event hash as 64 lowercase hex characters, or raw bytes. */
export type MerkleLeaf = string | Uint8Array;

/** A SHA-256 value: 32 bytes, or 64 lowercase hex characters. */
export type MerkleHash = string | Uint8Array;

/**
 * Returns MTH(D[start:end]), the root of the leaves start..end-1.
 *
 * Contract: the proof functions call it only on non-empty *perfect, aligned* subtrees: `end -
 * start` is a power of two 2^h, `start` is a multiple of 2^h, and `end` is at most the tree size
 * asked about. So a service can back it with stored hashes of complete subtrees (as in tiled
 * logs); it is never asked for the ragged right edge of a tree, which this module composes from
 * perfect subtrees itself.
 */
export type HashRange = (start: number, end: number) => Uint8Array;

/** A tree: its leaves, or its size with a {@link HashRange} that knows its perfect subtrees. */
export type MerkleTree = readonly MerkleLeaf[] | { readonly size: number; readonly hashRange: HashRange };

const HEX_HASH = /^[0-9a-f]{64}$/;
const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

function sha256(...parts: Uint8Array[]): Buffer {
  return hash("sha256", Buffer.concat(parts), "buffer");
}

/** SHA-256(0x00 || leaf). */
export function leafHash(leaf: MerkleLeaf): Buffer {
  if (typeof leaf === "string") {
    if (!HEX_HASH.test(leaf)) throw new TypeError("a leaf given as text must be 64 lowercase hex characters");
    return sha256(LEAF_PREFIX, Buffer.from(leaf, "hex"));
  }
  if (!(leaf instanceof Uint8Array)) throw new TypeError("a leaf must be a hex string or bytes");
  return sha256(LEAF_PREFIX, leaf);
}

/** SHA-256(0x01 || left || right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  return sha256(NODE_PREFIX, left, right);
}

/** The root of the empty tree: SHA-256 of the empty string. */
export function emptyRoot(): Buffer {
  return sha256();
}

/** A well-formed 32-byte hash as a Buffer (a view, not a copy), or null. */
function toHash(value: unknown): Buffer | null {
  if (typeof value === "string") return HEX_HASH.test(value) ? Buffer.from(value, "hex") : null;
  return value instanceof Uint8Array && value.length === 32 ? Buffer.from(value.buffer, value.byteOffset, 32) : null;
}

function isSize(n: unknown): n is number {
  return Number.isSafeInteger(n) && (n as number) >= 0;
}

/** Exact for every safe integer, unlike `n >> 1`, which truncates to 32 bits. */
function half(n: number): number {
  return Math.floor(n / 2);
}

function isOdd(n: number): boolean {
  return n % 2 === 1;
}

/** The largest power of two smaller than n (n >= 2): RFC 9162's k. */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function isPowerOfTwo(n: number): boolean {
  let k = 1;
  while (k < n) k *= 2;
  return k === n;
}

/** MTH of leaves[start:end], straight from the definition. */
function hashLeaves(leaves: readonly MerkleLeaf[], start: number, end: number): Buffer {
  const n = end - start;
  if (n === 0) return emptyRoot();
  if (n === 1) return leafHash(leaves[start]!);
  const k = splitPoint(n);
  return nodeHash(hashLeaves(leaves, start, start + k), hashLeaves(leaves, start + k, end));
}

/** MTH(D[start:end]) from perfect subtrees only: split until every piece is one (see HashRange). */
function hashFromPerfect(hashRange: HashRange, start: number, end: number): Buffer {
  const n = end - start;
  if (isPowerOfTwo(n) && start % n === 0) {
    const h = hashRange(start, end);
    if (!(h instanceof Uint8Array) || h.length !== 32) throw new TypeError(`hashRange(${start}, ${end}) did not return 32 bytes`);
    return Buffer.from(h);
  }
  const k = splitPoint(n);
  return nodeHash(hashFromPerfect(hashRange, start, start + k), hashFromPerfect(hashRange, start + k, end));
}

type RangeHasher = (start: number, end: number) => Buffer;

function sizeOf(tree: MerkleTree): number {
  return isLeafList(tree) ? tree.length : tree.size;
}

function isLeafList(tree: MerkleTree): tree is readonly MerkleLeaf[] {
  return Array.isArray(tree);
}

function hasherFor(tree: MerkleTree): RangeHasher {
  if (isLeafList(tree)) return (start, end) => hashLeaves(tree, start, end);
  return (start, end) => hashFromPerfect(tree.hashRange, start, end);
}

function checkSize(name: string, value: number, max: number): void {
  if (!isSize(value) || value > max) throw new RangeError(`${name} must be an integer from 0 to ${max}, got ${value}`);
}

/** MTH(D[start:end]) of a list of leaves (0 <= start <= end <= leaves.length). */
export function subtreeHash(leaves: readonly MerkleLeaf[], start: number, end: number): Buffer {
  checkSize("end", end, leaves.length);
  checkSize("start", start, end);
  return hashLeaves(leaves, start, end);
}

/** The root hash of the first `treeSize` leaves of a tree (all of them by default). */
export function merkleRoot(tree: MerkleTree, treeSize = sizeOf(tree)): Buffer {
  checkSize("treeSize", treeSize, sizeOf(tree));
  return treeSize === 0 ? emptyRoot() : hasherFor(tree)(0, treeSize);
}

/**
 * The inclusion proof (audit path) of leaf `index` in the tree of the first `treeSize` leaves:
 * RFC 9162 §2.1.3.1 PATH(index, D[treeSize]), the sibling hashes from the leaf up to the root.
 */
export function inclusionProof(tree: MerkleTree, index: number, treeSize = sizeOf(tree)): Buffer[] {
  checkSize("treeSize", treeSize, sizeOf(tree));
  if (!isSize(index) || index >= treeSize) throw new RangeError(`index must be an integer below the tree size ${treeSize}, got ${index}`);
  const mth = hasherFor(tree);
  // PATH(m, D[start:end]), with m as an absolute index.
  const path = (start: number, end: number): Buffer[] => {
    if (end - start === 1) return [];
    const mid = start + splitPoint(end - start);
    return index < mid ? [...path(start, mid), mth(mid, end)] : [...path(mid, end), mth(start, mid)];
  };
  return path(0, treeSize);
}

/**
 * The consistency proof between the trees of the first `m` and the first `n` leaves: RFC 9162
 * §2.1.4.1 PROOF(m, D[n]). Empty when m == 0 or m == n, the cases {@link verifyConsistency}
 * accepts with an empty proof.
 */
export function consistencyProof(tree: MerkleTree, m: number, n = sizeOf(tree)): Buffer[] {
  checkSize("n", n, sizeOf(tree));
  checkSize("m", m, n);
  if (m === 0 || m === n) return [];
  const mth = hasherFor(tree);
  // SUBPROOF(size, D[start:end], complete): `size` leaves of this subtree are in the old tree,
  // `complete` is RFC 9162's b (the old tree's root is this subtree's root, so it is not sent).
  const subproof = (size: number, start: number, end: number, complete: boolean): Buffer[] => {
    if (size === end - start) return complete ? [] : [mth(start, end)];
    const k = splitPoint(end - start);
    return size <= k
      ? [...subproof(size, start, start + k, complete), mth(start + k, end)]
      : [...subproof(size - k, start + k, end, false), mth(start, start + k)];
  };
  return subproof(m, 0, n, true);
}

/**
 * Whether `proof` shows that `leaf` is leaf number `index` (0-based: sequence - 1) of the tree of
 * size `treeSize` with root `root`. RFC 9162 §2.1.3.2, on the leaf itself (the event hash): the
 * 0x00 leaf hash is computed here, so an interior node can never pass as a leaf. A proof of the
 * wrong length (truncated or padded) fails.
 *
 * Take `treeSize` and `root` from the same verified checkpoint. A proof does not tie a root to a
 * size by itself: where two sizes give a leaf the same path shape (leaf 0 in trees of 3 and 4
 * leaves), a proof against the root of one also passes when that root is claimed for the other.
 */
export function verifyInclusion(leaf: MerkleLeaf, index: number, treeSize: number, proof: readonly MerkleHash[], root: MerkleHash): boolean {
  // 1. index < treeSize.
  if (!isSize(index) || !isSize(treeSize) || index >= treeSize || !Array.isArray(proof)) return false;
  const expected = toHash(root);
  const path = proof.map(toHash);
  if (expected === null || path.some((p) => p === null)) return false;
  let r: Buffer;
  try {
    r = leafHash(leaf); // 3.
  } catch {
    return false;
  }
  // 2.
  let fn = index;
  let sn = treeSize - 1;
  // 4.
  for (const p of path as Buffer[]) {
    if (sn === 0) return false; // a: more proof than levels.
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r);
      // Climb past the levels where this node has no right sibling.
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  // 5. sn == 0: the proof reached the root, not just some subtree.
  return sn === 0 && r.equals(expected);
}

/**
 * Whether `proof` shows that the tree of size `m` with root `rootM` is a prefix of the tree of
 * size `n` with root `rootN`: RFC 9162 §2.1.4.2, plus the cases it leaves out. m == n needs an
 * empty proof and equal roots; m == 0 needs an empty proof and the empty-tree root as `rootM`
 * (every tree extends the empty one). m > n, a proof of the wrong length or any wrong hash fails.
 * As with {@link verifyInclusion}, each size must come with its root from a verified checkpoint.
 */
export function verifyConsistency(m: number, n: number, proof: readonly MerkleHash[], rootM: MerkleHash, rootN: MerkleHash): boolean {
  if (!isSize(m) || !isSize(n) || m > n || !Array.isArray(proof)) return false;
  const first = toHash(rootM);
  const second = toHash(rootN);
  const path = proof.map(toHash);
  if (first === null || second === null || path.some((p) => p === null)) return false;
  const hashes = path as Buffer[];
  if (m === 0) return hashes.length === 0 && first.equals(emptyRoot()) && (n > 0 || second.equals(first));
  if (m === n) return hashes.length === 0 && first.equals(second);
  // 1.
  if (hashes.length === 0) return false;
  // 2. The old root is a complete subtree of the new tree; the proof leaves it out.
  if (isPowerOfTwo(m)) hashes.unshift(first);
  // 3., 4.
  let fn = m - 1;
  let sn = n - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  // 5.
  let fr = hashes[0]!;
  let sr = hashes[0]!;
  // 6.
  for (const c of hashes.slice(1)) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  // 7.
  return sn === 0 && fr.equals(first) && sr.equals(second);
}

/**
 * The root of a growing tree in O(log n) memory: the hashes of the perfect subtrees that the
 * leaves so far decompose into (one per set bit of the size, largest and leftmost first; also
 * called the frontier). For streaming verification: append every event hash in sequence order,
 * then compare `root()` with a checkpoint of that size. `hashes` and `size` can be stored and
 * passed back to the constructor to resume.
 */
export class CompactRange {
  #size: number;
  #hashes: Buffer[];

  constructor(size = 0, hashes: readonly MerkleHash[] = []) {
    checkSize("size", size, Number.MAX_SAFE_INTEGER);
    let bits = 0;
    for (let s = size; s > 0; s = half(s)) if (isOdd(s)) bits++;
    const parsed = hashes.map(toHash);
    if (parsed.length !== bits || parsed.some((h) => h === null)) {
      throw new RangeError(`a compact range of size ${size} holds ${bits} hashes of 32 bytes`);
    }
    this.#size = size;
    this.#hashes = (parsed as Buffer[]).map((h) => Buffer.from(h));
  }

  /** Number of leaves appended so far. */
  get size(): number {
    return this.#size;
  }

  /** Copies of the perfect-subtree hashes, left to right. */
  get hashes(): Buffer[] {
    return this.#hashes.map((h) => Buffer.from(h));
  }

  /** Appends the next leaf (the event hash of sequence `size + 1`). */
  append(leaf: MerkleLeaf): void {
    let h = leafHash(leaf);
    // Each trailing 1 bit of the old size is a perfect subtree the new leaf completes.
    for (let s = this.#size; isOdd(s); s = half(s)) h = nodeHash(this.#hashes.pop()!, h);
    this.#hashes.push(h);
    this.#size++;
  }

  /** The root of the tree of the leaves appended so far. */
  root(): Buffer {
    if (this.#hashes.length === 0) return emptyRoot();
    let r = this.#hashes.at(-1)!;
    for (let i = this.#hashes.length - 2; i >= 0; i--) r = nodeHash(this.#hashes[i]!, r);
    return r;
  }
}
