/**
 * The SDK's errors: every failed call or record rejects with a {@link HyreLogError}, whose `code`
 * is the RPC status (Connect's `Code`) and whose `violations` say which fields were wrong.
 */
import { Code, ConnectError } from "@connectrpc/connect";
import { BadRequestSchema } from "./gen/hyrelog/common/v1/common_pb.js";

/** One invalid field, as the server reports it (e.g. `events[3].actor.email`). */
export interface FieldViolation {
  field: string;
  description: string;
}

export class HyreLogError extends Error {
  /** The RPC status code (`Code.InvalidArgument`, `Code.Unavailable`, ...). */
  readonly code: Code;
  /** Fields the server refused (INVALID_ARGUMENT); empty otherwise. */
  readonly violations: FieldViolation[];
  /** How many times the request was sent before giving up (0: never sent). */
  readonly attempts: number;

  constructor(code: Code, message: string, opts: { violations?: FieldViolation[]; attempts?: number; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.name = "HyreLogError";
    this.code = code;
    this.violations = opts.violations ?? [];
    this.attempts = opts.attempts ?? 0;
  }

  /** The status code's name, e.g. "InvalidArgument". */
  get codeName(): string {
    return Code[this.code];
  }

  /** A HyreLogError from anything a call threw, with the server's field violations. */
  static from(err: unknown, attempts = 1): HyreLogError {
    if (err instanceof HyreLogError) return err;
    const ce = ConnectError.from(err);
    const violations = ce.findDetails(BadRequestSchema).flatMap((d) => d.violations.map((v) => ({ field: v.field, description: v.description })));
    return new HyreLogError(ce.code, ce.rawMessage, { violations, attempts, cause: err });
  }
}

/**
 * `record()` refused an event because `maxQueueSize` events are already waiting or in flight:
 * the client sheds load instead of buffering without bound. Wait for earlier records (or
 * `flush()`) and record again.
 */
export class QueueFullError extends HyreLogError {
  constructor(limit: number) {
    super(Code.ResourceExhausted, `the client's queue is full (${limit} events waiting or in flight); await earlier records or flush() before recording more`);
    this.name = "QueueFullError";
  }
}

/** Why a proof or checkpoint was rejected; `code` is stable, the message is for people. */
export type VerificationErrorCode =
  /** The signed note is not well formed. */
  | "malformed_note"
  /** The signed text is not a checkpoint (origin, tree size, root hash). */
  | "malformed_checkpoint"
  /** A trusted key string is malformed. */
  | "malformed_verifier_key"
  /** No signature is by a trusted key. */
  | "unknown_key"
  /** A trusted key's signature does not verify: the note was changed after signing. */
  | "bad_signature"
  /** The checkpoint is of another log than the proof (or than the other checkpoint). */
  | "wrong_origin"
  /** Neither the proof nor the caller gave a checkpoint to check against (or the log has none). */
  | "no_checkpoint"
  /**
   * The proof is for another tree size, or another root, than the signed checkpoint; or, for a
   * consistency proof, the older checkpoint is of the larger tree.
   */
  | "checkpoint_mismatch"
  /** The proof does not lead from the leaf to the signed root (consistency: from the older signed root to the newer). */
  | "bad_proof"
  /** The proven leaf is not the event's chain hash, or not at its position. */
  | "leaf_mismatch";

export class VerificationError extends Error {
  readonly code: VerificationErrorCode;
  constructor(code: VerificationErrorCode, message: string, opts: { cause?: unknown } = {}) {
    super(message, opts);
    this.name = "VerificationError";
    this.code = code;
  }
}
