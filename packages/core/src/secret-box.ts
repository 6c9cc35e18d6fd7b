/**
 * Encryption at rest (webhook secrets, data subjects' keys, personal data): AES-256-GCM under a
 * 32-byte key (e.g. WEBHOOK_SECRET_ENCRYPTION_KEY, base64). A sealed value is self-describing text, safe for a `text` column:
 *
 *     v1:<base64 iv (12 random bytes)>:<base64 ciphertext>:<base64 tag (16 bytes)>
 *
 * Optional additional authenticated data (AAD) — e.g. the endpoint id — binds a sealed secret to its
 * row: it opens only with the same AAD, so a sealed value copied into another row does not decrypt.
 * The format version is authenticated too. Errors never contain the plaintext or the key.
 */
import { createCipheriv, createDecipheriv, createSecretKey, randomBytes, type KeyObject } from "node:crypto";
import { pooledRandomBytes } from "./random.ts";

const VERSION = "v1";
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Thrown when a key is malformed or a sealed value cannot be opened (tampered, wrong key, wrong AAD, bad format). */
export class SecretBoxError extends Error {
  override name = "SecretBoxError";
}

export interface SecretBox {
  /** Encrypts `plaintext` with a fresh random IV; sealing the same plaintext twice gives different output. */
  seal(plaintext: string, aad?: string): string;
  /** Decrypts and authenticates a value from {@link SecretBox.seal}; pass the same `aad` it was sealed with. */
  open(sealed: string, aad?: string): string;
}

/** A new random key for WEBHOOK_SECRET_ENCRYPTION_KEY (base64 of 32 bytes). */
export function generateSecretBoxKey(): string {
  return randomBytes(KEY_BYTES).toString("base64");
}

/** Validates the base64 key (exactly 32 bytes once decoded) and returns a box that seals and opens with it. */
export function createSecretBox(keyBase64: string): SecretBox {
  const key = decodeBase64(keyBase64.trim());
  if (!key || key.length !== KEY_BYTES) {
    throw new SecretBoxError(`the secret encryption key must be base64 of exactly ${KEY_BYTES} bytes (e.g. \`openssl rand -base64 32\`)`);
  }
  return secretBoxFromKey(key);
}

/**
 * A box over a raw 32-byte key (e.g. a data subject's key once unwrapped). Pass a KeyObject where
 * a key is used often: importing a Buffer key costs more than the encryption itself.
 */
export function secretBoxFromKey(raw: Buffer | KeyObject): SecretBox {
  const key = Buffer.isBuffer(raw) ? createSecretKey(raw) : raw;
  if (key.symmetricKeySize !== KEY_BYTES) throw new SecretBoxError(`a secret box key must be exactly ${KEY_BYTES} bytes`);
  return {
    seal(plaintext, aad) {
      const iv = pooledRandomBytes(IV_BYTES);
      const cipher = createCipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(associatedData(aad));
      const ciphertext = cipher.update(plaintext, "utf8");
      cipher.final(); // GCM is a stream mode: final() adds no bytes, it computes the tag
      return `${VERSION}:${iv.toString("base64")}:${ciphertext.toString("base64")}:${cipher.getAuthTag().toString("base64")}`;
    },

    open(sealed, aad) {
      const parts = sealed.split(":");
      if (parts.length !== 4 || parts[0] !== VERSION) throw new SecretBoxError("not a sealed secret (expected v1:<iv>:<ciphertext>:<tag>)");
      const iv = decodeBase64(parts[1]!);
      const ciphertext = decodeBase64(parts[2]!);
      const tag = decodeBase64(parts[3]!);
      if (!iv || iv.length !== IV_BYTES || !ciphertext || !tag || tag.length !== TAG_BYTES) {
        throw new SecretBoxError("malformed sealed secret");
      }
      try {
        const decipher = createDecipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
        decipher.setAAD(associatedData(aad));
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString("utf8");
      } catch {
        throw new SecretBoxError("sealed secret failed authentication (wrong key, wrong associated data, or tampered)");
      }
    },
  };
}

/** The AAD actually authenticated: the format version plus the caller's context (empty when none). */
function associatedData(aad: string | undefined): Buffer {
  return Buffer.from(`${VERSION}:${aad ?? ""}`, "utf8");
}

/**
 * Strict base64 (Buffer.from skips characters it does not know): only text that is exactly the
 * encoding of what it decodes to. A round trip costs about an eighth of a validating regex, and
 * every opened value pays it.
 */
function decodeBase64(text: string): Buffer | null {
  const bytes = Buffer.from(text, "base64");
  return bytes.toString("base64") === text ? bytes : null;
}
