import { randomFillSync } from "node:crypto";

// One getRandomValues call per 4 KiB instead of one per id, salt or IV: these are taken per event.
const pool = Buffer.alloc(4096);
let offset = pool.length;

/** `n` (at most 4096) cryptographically random bytes, in a buffer of their own. */
export function pooledRandomBytes(n: number): Buffer {
  if (offset + n > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const bytes = Buffer.from(pool.subarray(offset, offset + n));
  offset += n;
  return bytes;
}
