import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { SecretBoxError, createSecretBox, generateSecretBoxKey } from "./secret-box.ts";

const key = generateSecretBoxKey();
const box = createSecretBox(key);
// A webhook signing secret is the typical plaintext.
const secret = `whsec_${randomBytes(24).toString("base64")}`;

/** Replaces part `index` (1 iv, 2 ciphertext, 3 tag) of a sealed value with a flipped-bit copy. */
function flipBit(sealed: string, index: number): string {
  const parts = sealed.split(":");
  const bytes = Buffer.from(parts[index]!, "base64");
  bytes[0]! ^= 0x01;
  parts[index] = bytes.toString("base64");
  return parts.join(":");
}

describe("secret box", () => {
  it("round-trips, with and without associated data", () => {
    expect(box.open(box.seal(secret))).toBe(secret);
    expect(box.open(box.seal(secret, "ep_123"), "ep_123")).toBe(secret);
    expect(box.open(box.seal(""))).toBe("");
    expect(box.open(box.seal("ünïcödé ✓ secret"))).toBe("ünïcödé ✓ secret");
  });

  it("produces v1:<iv>:<ciphertext>:<tag> with a 12-byte IV and 16-byte tag, never the plaintext", () => {
    const sealed = box.seal(secret, "ep_123");
    const [version, iv, ciphertext, tag] = sealed.split(":");
    expect(version).toBe("v1");
    expect(Buffer.from(iv!, "base64")).toHaveLength(12);
    expect(Buffer.from(ciphertext!, "base64")).toHaveLength(Buffer.byteLength(secret));
    expect(Buffer.from(tag!, "base64")).toHaveLength(16);
    expect(sealed).not.toContain(secret.slice(6, 20));
  });

  it("seals the same plaintext differently every time", () => {
    const a = box.seal(secret);
    const b = box.seal(secret);
    expect(a).not.toBe(b);
    expect(a.split(":")[1]).not.toBe(b.split(":")[1]);
    expect(box.open(a)).toBe(box.open(b));
  });

  it("refuses tampered IV, ciphertext or tag", () => {
    const sealed = box.seal(secret, "ep_123");
    for (const part of [1, 2, 3]) {
      expect(() => box.open(flipBit(sealed, part), "ep_123")).toThrow(SecretBoxError);
    }
  });

  it("refuses a different key", () => {
    const sealed = box.seal(secret);
    expect(() => createSecretBox(generateSecretBoxKey()).open(sealed)).toThrow(SecretBoxError);
  });

  it("binds the associated data: a sealed secret cannot move to another row", () => {
    const sealed = box.seal(secret, "ep_123");
    expect(() => box.open(sealed, "ep_456")).toThrow(SecretBoxError);
    expect(() => box.open(sealed)).toThrow(SecretBoxError);
    expect(() => box.open(box.seal(secret), "ep_123")).toThrow(SecretBoxError);
  });

  it("refuses malformed sealed values without echoing them", () => {
    const sealed = box.seal(secret);
    const [, iv, ciphertext, tag] = sealed.split(":");
    const shortTag = Buffer.from(tag!, "base64").subarray(0, 12).toString("base64");
    for (const bad of ["", secret, `v2:${iv}:${ciphertext}:${tag}`, `v1:${iv}:${ciphertext}`, `v1:${iv}:${ciphertext}:${tag}:x`, `v1:${iv}:${ciphertext}:${shortTag}`, `v1:${iv}:${ciphertext}!:${tag}`, `v1:AAAA:${ciphertext}:${tag}`]) {
      let error: unknown;
      try {
        box.open(bad);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SecretBoxError);
      expect((error as Error).message).not.toContain(secret);
    }
  });

  it("validates the key: base64 of exactly 32 bytes", () => {
    expect(() => createSecretBox(randomBytes(16).toString("base64"))).toThrow(/exactly 32 bytes/);
    expect(() => createSecretBox(randomBytes(33).toString("base64"))).toThrow(SecretBoxError);
    expect(() => createSecretBox("")).toThrow(SecretBoxError);
    expect(() => createSecretBox("x".repeat(32))).toThrow(SecretBoxError); // 32 characters, not 32 bytes
    expect(() => createSecretBox(`${key}\n`)).not.toThrow(); // tolerate a trailing newline from a file or env
  });
});
