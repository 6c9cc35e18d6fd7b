/**
 * @hyrelog/tlog: verifiable logs without dependencies (only node:crypto). RFC 9162 Merkle trees
 * (roots, inclusion and consistency proofs, and their verification) and C2SP checkpoints in
 * Ed25519 signed notes (signing, verifier keys, verification). HyreLog's services use it to build
 * and sign their logs; the SDK (@hyrelog/sdk) and anyone else use it to check them
 * (docs/verification.md specifies the formats).
 */
export { CompactRange, consistencyProof, emptyRoot, inclusionProof, leafHash, merkleRoot, nodeHash, subtreeHash, verifyConsistency, verifyInclusion } from "./merkle.ts";
export type { HashRange, MerkleHash, MerkleLeaf, MerkleTree } from "./merkle.ts";
export {
  CheckpointError,
  formatCheckpoint,
  formatVerifierKey,
  generateSigningKey,
  noteKeyId,
  parseCheckpoint,
  parseSignedNote,
  parseVerifierKey,
  signCheckpoint,
  signNote,
  signingKey,
  verifyCheckpoint,
  verifyNote,
} from "./checkpoint.ts";
export type { Checkpoint, CheckpointErrorCode, NoteSignature, SignedNote, SigningKey, VerifiedCheckpoint, VerifierKey } from "./checkpoint.ts";
