import type { ChainedEventFields } from "./chain.ts";
import { closePersonal, type PersonalValue } from "./personal-data.ts";

/**
 * An audit event as the REST API returns it and exports write it: the chained fields with its
 * personal values opened (or ERASED), the opening of each (`personal`, version 2), its hash and
 * idempotency key.
 */
export interface EventJson extends Omit<ChainedEventFields, "v" | "personal"> {
  /** The hash-document version (docs/verification.md). */
  v: number;
  hash: string;
  /** Version 2: JSON pointer → commitment and salt of each personal value, or `erased`. */
  personal?: Record<string, PersonalValue>;
  idempotencyKey: string | null;
}

/**
 * The fields an event's hash covers, taken from its public form: for version 2, each personal
 * value shown is committed to afresh, so a value that is not the logged one fails the hash.
 */
export function chainFieldsOf(e: EventJson): ChainedEventFields {
  const { hash: _hash, idempotencyKey: _key, personal, ...fields } = e;
  if (e.v < 2) return fields;
  return closePersonal(fields, personal ?? {});
}
