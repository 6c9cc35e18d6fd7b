/**
 * Signed checkpoints of a log's Merkle tree: a C2SP tlog-checkpoint body
 * (https://c2sp.org/tlog-checkpoint) in a C2SP signed note (https://c2sp.org/signed-note), signed
 * with Ed25519. Byte-compatible with Go's golang.org/x/mod/sumdb/note. The checkpoint of the
 * three events of the worked example in docs/verification.md, signed by a key named hyrelog.eu:
 *
 *   hyrelog.eu/01a20193-3a90-7001-8d5d-bbd0889f61ef        origin: the log (region, workspace)
 *   3                                                      tree size: number of events
 *   0FE86kDayWB3zSLkPHtY104x3xAKa3T5LUaehQI82eY=           root hash, base64
 *                                                          a blank line, then signature lines:
 *   — hyrelog.eu QOah0l6BlgmjJYD3wwDyIYCDEEQccveJ7knNJtvzCWiadWRw7U7Jdqx6UX4ehAhKOhhiV6ssg0cdXY0y9ASTTn54FAM=
 *
 * A signature line is "— <key name> <base64(4-byte key id || 64-byte Ed25519 signature)>".
 * The signature covers the body (the text before the blank line, with its final newline).
 * Parsing is strict: anything not exactly in this form is rejected, never repaired.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from "node:crypto";

/** Signed-note signature type of Ed25519. */
const ALG_ED25519 = 0x01;
/** Em dash (U+2014) and a space: the start of every signature line. */
const SIGNATURE_PREFIX = "\u2014 ";
/** At most this many signature lines per note (as Go's note.Open; the spec asks for >= 16). */
const MAX_SIGNATURES = 100;
/** DER SubjectPublicKeyInfo of an Ed25519 key, up to the 32 key bytes. */
const ED25519_SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");

export type CheckpointErrorCode =
  /** Not a signed note: bad UTF-8, control characters, no blank line, bad signature line. */
  | "malformed_note"
  /** The signed text is not a checkpoint body: lines, tree size or root hash malformed. */
  | "malformed_checkpoint"
  /** A verifier key string is malformed or its key id does not match its key. */
  | "malformed_verifier_key"
  /** No signature is by a trusted key (name and key id both match). */
  | "unknown_key"
  /** A signature by a trusted key does not verify: the text was edited, or the signature is bad. */
  | "bad_signature"
  /** Correctly signed, but for another log than the one expected. */
  | "wrong_origin";

/** Why a note, checkpoint or key was rejected; `code` is stable, the message is for people. */
export class CheckpointError extends Error {
  readonly code: CheckpointErrorCode;
  constructor(code: CheckpointErrorCode, message: string) {
    super(message);
    this.name = "CheckpointError";
    this.code = code;
  }
}

/** The tree head a checkpoint states. `rootHash` is lowercase hex. */
export interface Checkpoint {
  origin: string;
  treeSize: number;
  rootHash: string;
  /** Extension lines after the root hash, in order (usually none). */
  extensions: string[];
}

/** A checkpoint whose signature verified, and the name of the trusted key that signed it. */
export interface VerifiedCheckpoint extends Checkpoint {
  keyName: string;
}

/** A key that signs notes. `keyId` is 8 lowercase hex digits; `verifierKey` is what to publish. */
export interface SigningKey {
  name: string;
  keyId: string;
  privateKey: KeyObject;
  verifierKey: string;
}

/** A parsed verifier key (vkey). */
export interface VerifierKey {
  name: string;
  keyId: string;
  publicKey: KeyObject;
}

/** One signature line of a note. `signature` excludes the 4-byte key id. */
export interface NoteSignature {
  name: string;
  keyId: string;
  signature: Buffer;
}

export interface SignedNote {
  /** The signed text: everything before the blank line, including its final newline. */
  text: string;
  signatures: NoteSignature[];
}

const fail = (code: CheckpointErrorCode, message: string): never => {
  throw new CheckpointError(code, message);
};

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Standard, padded base64 in its one canonical spelling, or null. */
function decodeBase64(text: string): Buffer | null {
  if (!BASE64.test(text)) return null;
  const bytes = Buffer.from(text, "base64");
  return bytes.toString("base64") === text ? bytes : null;
}

/** Key names: non-empty, no Unicode spaces, no "+", no control characters. */
function isKeyName(name: string): boolean {
  return name.length > 0 && name.isWellFormed() && !/[\s+\p{Z}\p{Cc}]/u.test(name);
}

/** Why `text` cannot be signed-note text, or null: it must end in a newline and hold no control characters but newlines. */
function noteTextProblem(text: string): string | null {
  if (!text.isWellFormed()) return "is not valid UTF-8";
  if (!text.endsWith("\n")) return "does not end with a newline";
  if (/[\u0000-\u0009\u000b-\u001f]/.test(text)) return "contains a control character other than newline";
  return null;
}

function rawPublicKey(key: KeyObject): Buffer {
  const der = key.export({ format: "der", type: "spki" });
  if (key.asymmetricKeyType !== "ed25519" || der.length !== 44) throw new TypeError("not an Ed25519 public key");
  return der.subarray(ED25519_SPKI_PREFIX.length);
}

/**
 * The signed-note key id of an Ed25519 key: the first 4 bytes of
 * SHA-256(name || 0x0A || 0x01 || 32-byte public key), as 8 lowercase hex digits.
 */
export function noteKeyId(name: string, publicKey: KeyObject | Uint8Array): string {
  const raw = publicKey instanceof Uint8Array ? publicKey : rawPublicKey(publicKey);
  if (raw.length !== 32) throw new TypeError("an Ed25519 public key has 32 bytes");
  return createHash("sha256").update(name, "utf8").update(Buffer.from([0x0a, ALG_ED25519])).update(raw).digest().subarray(0, 4).toString("hex");
}

/** The verifier key string `<name>+<key id hex>+<base64(0x01 || public key)>`. */
export function formatVerifierKey(name: string, publicKey: KeyObject | Uint8Array): string {
  if (!isKeyName(name)) throw new TypeError(`invalid key name ${JSON.stringify(name)}`);
  const raw = publicKey instanceof Uint8Array ? Buffer.from(publicKey) : rawPublicKey(publicKey);
  return `${name}+${noteKeyId(name, raw)}+${Buffer.concat([Buffer.from([ALG_ED25519]), raw]).toString("base64")}`;
}

/** Parses a verifier key string, checking that its key id belongs to its name and key. */
export function parseVerifierKey(vkey: string): VerifierKey {
  const bad = (why: string): never => fail("malformed_verifier_key", `verifier key ${JSON.stringify(vkey)}: ${why}`);
  if (typeof vkey !== "string") bad("not a string");
  // The base64 part may itself contain "+": split at the first two only.
  const first = vkey.indexOf("+");
  const second = vkey.indexOf("+", first + 1);
  if (first < 0 || second < 0) bad("expected <name>+<key id>+<key>");
  const [name, keyId, key] = [vkey.slice(0, first), vkey.slice(first + 1, second), vkey.slice(second + 1)];
  if (!isKeyName(name)) bad("invalid key name");
  if (!/^[0-9a-f]{8}$/.test(keyId)) bad("the key id is not 8 lowercase hex digits");
  const bytes = decodeBase64(key);
  if (bytes === null || bytes.length !== 33 || bytes[0] !== ALG_ED25519) bad("the key is not base64 of 0x01 and a 32-byte Ed25519 key");
  const raw = bytes!.subarray(1);
  if (noteKeyId(name, raw) !== keyId) bad("the key id does not match the name and key");
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: "der", type: "spki" });
  } catch {
    return bad("not a valid Ed25519 public key");
  }
  return { name, keyId, publicKey };
}

/** A signing key named `name` from an Ed25519 private key (a KeyObject, or PKCS#8 PEM text). */
export function signingKey(name: string, privateKey: KeyObject | string): SigningKey {
  if (!isKeyName(name)) throw new TypeError(`invalid key name ${JSON.stringify(name)}: it must be non-empty, without spaces or "+"`);
  const key = typeof privateKey === "string" ? createPrivateKey(privateKey) : privateKey;
  if (key.type !== "private" || key.asymmetricKeyType !== "ed25519") throw new TypeError("not an Ed25519 private key");
  const raw = rawPublicKey(createPublicKey(key));
  return { name, keyId: noteKeyId(name, raw), privateKey: key, verifierKey: formatVerifierKey(name, raw) };
}

/**
 * A new random Ed25519 signing key. Store `privateKey.export({ type: "pkcs8", format: "pem" })`
 * and load it back with {@link signingKey}. tlog-checkpoint recommends that the key name be the
 * log's origin; one private key can sign under several names (`signingKey(origin, privateKey)`),
 * each name giving its own key id and verifier key.
 */
export function generateSigningKey(name: string): SigningKey {
  return signingKey(name, generateKeyPairSync("ed25519").privateKey);
}

/** Signs `text` (which must end in a newline) with every key given: the signed note. */
export function signNote(text: string, keys: SigningKey | readonly SigningKey[]): string {
  const problem = noteTextProblem(text);
  if (problem !== null) throw new TypeError(`note text ${problem}`);
  const signers = [keys].flat();
  if (signers.length === 0) throw new TypeError("a note needs at least one signature");
  const data = Buffer.from(text, "utf8");
  const lines = signers.map((key) => {
    const signature = Buffer.concat([Buffer.from(key.keyId, "hex"), sign(null, data, key.privateKey)]);
    return `${SIGNATURE_PREFIX}${key.name} ${signature.toString("base64")}\n`;
  });
  return `${text}\n${lines.join("")}`;
}

/**
 * Splits a signed note into its text and signature lines, without verifying anything. Strict: the
 * note must be valid UTF-8 (bytes are decoded, a string must have no lone surrogates) with no
 * control characters but newlines; the text ends with a newline and is followed by one blank
 * line and 1 to 100 lines "— <name> <base64>", each ending in a newline; the base64 is canonical
 * and holds a 4-byte key id and at least one byte of signature.
 */
export function parseSignedNote(note: string | Uint8Array): SignedNote {
  const bad = (why: string): never => fail("malformed_note", `malformed signed note: ${why}`);
  let s = "";
  if (typeof note === "string") s = note;
  else if (note instanceof Uint8Array) {
    try {
      s = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(note);
    } catch {
      bad("it is not valid UTF-8");
    }
  } else bad("it is neither text nor bytes");
  const problem = noteTextProblem(s);
  if (problem !== null) bad(`it ${problem}`);
  // The text ends at the last blank line; what follows are the signatures.
  const split = s.lastIndexOf("\n\n");
  if (split < 0) bad("no blank line between the text and the signatures");
  if (split + 2 === s.length) bad("no signature lines");
  const text = s.slice(0, split + 1);
  const lines = s.slice(split + 2, -1).split("\n");
  if (lines.length > MAX_SIGNATURES) bad(`more than ${MAX_SIGNATURES} signatures`);
  const signatures = lines.map((line): NoteSignature => {
    if (!line.startsWith(SIGNATURE_PREFIX)) bad(`a signature line does not start with "\u2014 ": ${JSON.stringify(line)}`);
    const [name = "", base64, ...rest] = line.slice(SIGNATURE_PREFIX.length).split(" ");
    if (base64 === undefined || rest.length > 0) bad(`a signature line is not "\u2014 <name> <signature>": ${JSON.stringify(line)}`);
    if (!isKeyName(name)) bad(`invalid key name ${JSON.stringify(name)}`);
    const bytes = decodeBase64(base64!);
    if (bytes === null || bytes.length < 5) bad(`the signature of ${name} is not canonical base64 of a key id and a signature`);
    return { name, keyId: bytes!.subarray(0, 4).toString("hex"), signature: bytes!.subarray(4) };
  });
  return { text, signatures };
}

/**
 * Opens a signed note with a list of trusted verifier keys: returns its text and the name of the
 * first trusted key that signed it. Following the signed-note spec, signatures by other keys
 * are ignored (a key is trusted only if both name and key id match), every signature by a
 * trusted key must verify, and at least one must exist. Throws a {@link CheckpointError}:
 * malformed_verifier_key, malformed_note, bad_signature or unknown_key.
 */
export function verifyNote(note: string | Uint8Array, trustedVerifierKeys: readonly string[]): { text: string; keyName: string } {
  const trusted = trustedVerifierKeys.map(parseVerifierKey);
  const { text, signatures } = parseSignedNote(note);
  const data = Buffer.from(text, "utf8");
  let keyName: string | null = null;
  for (const sig of signatures) {
    for (const key of trusted.filter((k) => k.name === sig.name && k.keyId === sig.keyId)) {
      if (sig.signature.length !== 64 || !verify(null, data, key.publicKey, sig.signature)) {
        fail("bad_signature", `the signature by ${key.name}+${key.keyId} does not verify: the text was changed after signing, or the signature is corrupt`);
      }
      keyName ??= key.name;
    }
  }
  if (keyName === null) {
    const seen = signatures.map((s) => `${s.name}+${s.keyId}`).join(", ");
    return fail("unknown_key", `the note is not signed by a trusted key (signed by: ${seen})`);
  }
  return { text, keyName };
}

/** The checkpoint body (the note text to sign): origin, tree size, base64 root hash, extension lines. */
export function formatCheckpoint(checkpoint: { origin: string; treeSize: number; rootHash: string | Uint8Array; extensions?: readonly string[] }): string {
  const { origin, treeSize, rootHash, extensions = [] } = checkpoint;
  if (!Number.isSafeInteger(treeSize) || treeSize < 0) throw new TypeError(`the tree size must be a non-negative integer, got ${treeSize}`);
  const root = typeof rootHash === "string" ? (/^[0-9a-f]{64}$/.test(rootHash) ? Buffer.from(rootHash, "hex") : null) : rootHash;
  if (root === null || root.length !== 32) throw new TypeError("the root hash must be 32 bytes or 64 lowercase hex characters");
  for (const line of [origin, ...extensions]) {
    if (typeof line !== "string" || line === "" || line.includes("\n")) throw new TypeError(`not a checkpoint line: ${JSON.stringify(line)}`);
  }
  const body = [origin, String(treeSize), Buffer.from(root).toString("base64"), ...extensions].map((line) => `${line}\n`).join("");
  parseCheckpoint(body); // rejects control characters and lone surrogates
  return body;
}

/**
 * Parses a checkpoint body (C2SP tlog-checkpoint): at least three non-empty lines, each ending in
 * a newline: the origin, the tree size in decimal without leading zeros, the root hash as
 * canonical padded base64 of 32 bytes, then any extension lines.
 */
export function parseCheckpoint(body: string): Checkpoint {
  const bad = (why: string): never => fail("malformed_checkpoint", `malformed checkpoint: ${why}`);
  const problem = noteTextProblem(body);
  if (problem !== null) bad(`the body ${problem}`);
  const lines = body.slice(0, -1).split("\n");
  if (lines.length < 3) bad("it needs an origin, a tree size and a root hash line");
  if (lines.includes("")) bad("it has an empty line");
  const [origin, size, root, ...extensions] = lines as [string, string, string, ...string[]];
  const treeSize = Number(size);
  if (!/^(?:0|[1-9][0-9]*)$/.test(size) || !Number.isSafeInteger(treeSize)) bad(`invalid tree size ${JSON.stringify(size)}`);
  const rootHash = decodeBase64(root);
  if (rootHash === null || rootHash.length !== 32) bad("the root hash is not canonical base64 of 32 bytes");
  return { origin, treeSize, rootHash: rootHash!.toString("hex"), extensions };
}

/** Signs a checkpoint body (see {@link formatCheckpoint}) with one or more keys. */
export function signCheckpoint(body: string, keys: SigningKey | readonly SigningKey[]): string {
  parseCheckpoint(body);
  return signNote(body, keys);
}

/**
 * Verifies a signed checkpoint against trusted verifier keys (see {@link verifyNote}), then
 * parses its body. Pass `origin` (HyreLog's are `hyrelog.<region>/<log id>`) to also require
 * that the checkpoint is of that log; without it, a checkpoint of any log signed by a trusted
 * key passes. Throws a {@link CheckpointError}.
 */
export function verifyCheckpoint(note: string | Uint8Array, trustedVerifierKeys: readonly string[], options: { origin?: string } = {}): VerifiedCheckpoint {
  const { text, keyName } = verifyNote(note, trustedVerifierKeys);
  const checkpoint = parseCheckpoint(text);
  if (options.origin !== undefined && checkpoint.origin !== options.origin) {
    fail("wrong_origin", `the checkpoint is of ${JSON.stringify(checkpoint.origin)}, not ${JSON.stringify(options.origin)}`);
  }
  return { ...checkpoint, keyName };
}
