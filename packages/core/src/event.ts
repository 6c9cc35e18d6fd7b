import type { ChainedEventFields } from "./chain.ts";

/**
 * An audit event as the REST API returns it, as it is published on NATS and as exports write
 * it: the chained fields plus its hash and idempotency key.
 */
export interface EventJson extends ChainedEventFields {
  hash: string;
  idempotencyKey: string | null;
}

/** The fields an event's hash covers, taken from its public form. */
export function chainFieldsOf(e: EventJson): ChainedEventFields {
  const { hash: _hash, idempotencyKey: _key, ...fields } = e;
  return fields;
}
