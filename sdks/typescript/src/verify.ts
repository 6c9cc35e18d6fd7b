/**
 * Checking what the server proves, with the published verifier keys (docs/verification.md, "What
 * to trust"): a checkpoint counts only when its signed note verifies with a trusted key, an
 * inclusion proof counts only when it leads from the event's hash to the root *inside* that note,
 * at the note's tree size, and a consistency proof only when it leads from one signed root to the
 * other. The unsigned copies next to the notes (tree sizes, root hashes) must agree.
 * The Merkle and signed-note code is @hyrelog/tlog, the code HyreLog's services build logs with.
 */
import { CheckpointError, verifyCheckpoint as openCheckpoint, verifyConsistency, verifyInclusion } from "@hyrelog/tlog";
import { VerificationError } from "./errors.ts";

/** Verifier keys (`<name>+<key id>+<base64 key>`), or the SigningKey messages of ListSigningKeys. */
export type TrustedKeys = readonly (string | { verifierKey: string })[];

/** A checkpoint whose signature verified: what the note states, and which trusted key signed it. */
export interface VerifiedCheckpoint {
  /** `hyrelog.<region>/<log id>`. */
  origin: string;
  /** The log id of the origin: a workspace id, or the company id for the company's own log. */
  logId: string;
  treeSize: number;
  /** Lowercase hex. */
  rootHash: string;
  keyName: string;
}

/** An inclusion proof as GetInclusionProof returns it (numbers may be bigint or number). */
export interface InclusionProof {
  eventId?: string;
  logId: string;
  leafIndex: bigint | number;
  treeSize: bigint | number;
  /** The event's chain hash, lowercase hex. */
  leaf: string;
  /** Sibling hashes, bottom up, lowercase hex. */
  proof: readonly string[];
  /** The server's root for treeSize (unsigned: only checked against the note). */
  rootHash?: string;
  checkpoint?: { signedNote: string } | undefined;
}

export interface VerifiedInclusion {
  eventId: string | undefined;
  logId: string;
  leafIndex: number;
  leaf: string;
  checkpoint: VerifiedCheckpoint;
}

function keyStrings(trustedKeys: TrustedKeys): string[] {
  if (!Array.isArray(trustedKeys)) throw new TypeError("trustedKeys must be an array of verifier keys");
  return trustedKeys.map((k) => (typeof k === "string" ? k : k.verifierKey));
}

/**
 * Verifies a checkpoint's signed note with trusted verifier keys and returns what it states.
 * Pass `logId` to also require that it is that log's checkpoint. Throws a {@link VerificationError}.
 */
export function verifyCheckpoint(signedNote: string, trustedKeys: TrustedKeys, opts: { logId?: string } = {}): VerifiedCheckpoint {
  let opened;
  try {
    opened = openCheckpoint(signedNote, keyStrings(trustedKeys));
  } catch (err) {
    if (err instanceof CheckpointError) throw new VerificationError(err.code, err.message, { cause: err });
    throw err;
  }
  const m = /^hyrelog\.[a-z]+\/([^/]+)$/.exec(opened.origin);
  if (m === null) throw new VerificationError("wrong_origin", `the checkpoint's origin ${JSON.stringify(opened.origin)} is not a HyreLog log (hyrelog.<region>/<log id>)`);
  if (opts.logId !== undefined && m[1] !== opts.logId) {
    throw new VerificationError("wrong_origin", `the checkpoint is of log ${m[1]}, not ${opts.logId}`);
  }
  return { origin: opened.origin, logId: m[1]!, treeSize: opened.treeSize, rootHash: opened.rootHash, keyName: opened.keyName };
}

/**
 * Verifies an inclusion proof: the checkpoint (given, or the proof's own) must be signed by a
 * trusted key and be of the proof's log and tree size, and the proof must lead from the leaf at
 * `leafIndex` to the root in the signed note (RFC 9162 §2.1.3.2). Returns the verified facts;
 * throws a {@link VerificationError} naming the first check that failed.
 */
export function verifyProof(proof: InclusionProof, checkpoint: string | { signedNote: string } | undefined, trustedKeys: TrustedKeys): VerifiedInclusion {
  const note = typeof checkpoint === "string" ? checkpoint : (checkpoint ?? proof.checkpoint)?.signedNote;
  if (!note) throw new VerificationError("no_checkpoint", "no signed checkpoint to check the proof against (the proof has none: pass one)");
  const cp = verifyCheckpoint(note, trustedKeys, { logId: proof.logId });
  const treeSize = Number(proof.treeSize);
  const leafIndex = Number(proof.leafIndex);
  if (treeSize !== cp.treeSize) {
    throw new VerificationError("checkpoint_mismatch", `the proof is for a tree of ${treeSize} events, the signed checkpoint for ${cp.treeSize}`);
  }
  if (proof.rootHash !== undefined && proof.rootHash !== "" && proof.rootHash !== cp.rootHash) {
    throw new VerificationError("checkpoint_mismatch", `the proof's root ${proof.rootHash} is not the signed root ${cp.rootHash}`);
  }
  if (!verifyInclusion(proof.leaf, leafIndex, cp.treeSize, proof.proof, cp.rootHash)) {
    throw new VerificationError("bad_proof", `the proof does not lead from leaf ${leafIndex} (${proof.leaf}) to the signed root of ${cp.treeSize} events`);
  }
  return { eventId: proof.eventId, logId: cp.logId, leafIndex, leaf: proof.leaf, checkpoint: cp };
}

/** A consistency proof as GetConsistencyProof returns it (numbers may be bigint or number). */
export interface ConsistencyProof {
  logId: string;
  fromTreeSize: bigint | number;
  toTreeSize: bigint | number;
  /** Lowercase hex hashes (RFC 9162 §2.1.4). */
  proof: readonly string[];
  /** The server's roots for the two sizes (unsigned: only checked against the notes). */
  fromRootHash?: string;
  toRootHash?: string;
}

/** Two checkpoints of one log whose signatures verified, the older's tree a prefix of the newer's. */
export interface VerifiedConsistency {
  logId: string;
  older: VerifiedCheckpoint;
  newer: VerifiedCheckpoint;
}

/**
 * Verifies that the log of an older checkpoint only grew: both notes must be signed by a trusted
 * key and be of the same log, the proof must be of that log and of the notes' tree sizes (and its
 * unsigned root hashes, if any, the signed roots), the older tree no larger than the newer, and the
 * proof must lead from the older signed root to the newer (RFC 9162 §2.1.4.2): the newer tree holds
 * the older tree's events unchanged, in the same places. Returns both checkpoints; throws a
 * {@link VerificationError} naming the first check that failed (`bad_proof`: the log was rewritten,
 * or the proof was altered).
 */
export function verifyConsistencyProof(
  proof: ConsistencyProof,
  older: string | { signedNote: string },
  newer: string | { signedNote: string },
  trustedKeys: TrustedKeys,
): VerifiedConsistency {
  const noteOf = (c: string | { signedNote: string }) => (typeof c === "string" ? c : c?.signedNote);
  const from = verifyCheckpoint(noteOf(older), trustedKeys, { logId: proof.logId });
  const to = verifyCheckpoint(noteOf(newer), trustedKeys, { logId: proof.logId });
  if (from.origin !== to.origin) throw new VerificationError("wrong_origin", `the checkpoints are of two logs: ${from.origin} and ${to.origin}`);
  if (Number(proof.fromTreeSize) !== from.treeSize || Number(proof.toTreeSize) !== to.treeSize) {
    throw new VerificationError(
      "checkpoint_mismatch",
      `the proof is from a tree of ${proof.fromTreeSize} to one of ${proof.toTreeSize} events, the signed checkpoints are of ${from.treeSize} and ${to.treeSize}`,
    );
  }
  for (const [unsigned, signed, which] of [[proof.fromRootHash, from, "older"], [proof.toRootHash, to, "newer"]] as const) {
    if (unsigned !== undefined && unsigned !== "" && unsigned !== signed.rootHash) {
      throw new VerificationError("checkpoint_mismatch", `the proof's ${which} root ${unsigned} is not the signed root ${signed.rootHash}`);
    }
  }
  if (from.treeSize > to.treeSize) {
    throw new VerificationError("checkpoint_mismatch", `the older checkpoint (${from.treeSize} events) is of a larger tree than the newer (${to.treeSize})`);
  }
  if (!verifyConsistency(from.treeSize, to.treeSize, proof.proof, from.rootHash, to.rootHash)) {
    throw new VerificationError("bad_proof", `the proof does not lead from the signed root of ${from.treeSize} events to the signed root of ${to.treeSize}`);
  }
  return { logId: from.logId, older: from, newer: to };
}
