import { createHash, createPrivateKey, type KeyObject } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
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
  type CheckpointErrorCode,
} from "./checkpoint.ts";
import { consistencyProof, inclusionProof, merkleRoot, verifyConsistency, verifyInclusion } from "./merkle.ts";

/** An Ed25519 private key from its 32-byte seed (RFC 8032 secret key), via PKCS#8 DER. */
const keyFromSeed = (seed: Uint8Array): KeyObject =>
  createPrivateKey({ key: Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), seed]), format: "der", type: "pkcs8" });

/** A base64 character with its lowest bit flipped: for the last character before "=", an unused bit. */
const spareBitSet = (c: string): string => {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  return alphabet[alphabet.indexOf(c) ^ 1]!;
};

/** The error code `f` throws, or "none". */
function codeOf(f: () => unknown): CheckpointErrorCode | "none" {
  try {
    f();
    return "none";
  } catch (e) {
    if (e instanceof CheckpointError) return e.code;
    throw e;
  }
}

// The example of golang.org/x/mod/sumdb/note (its package documentation and note_test.go): a
// signer key, its verifier key and the note it signs. Ed25519 is deterministic, so signing the
// same text with the same key must give the same bytes.
const GO_SIGNER_KEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
const GO_VERIFIER_KEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
const GO_TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const GO_NOTE = `${GO_TEXT}\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;

const WORKSPACE = "01a20193-3a90-7001-8d5d-bbd0889f61ef";
const ORIGIN = `hyrelog.eu/${WORKSPACE}`;
const EVENTS = Array.from({ length: 11 }, (_, i) => createHash("sha256").update(`event ${i + 1}`).digest("hex"));
const KEY = generateSigningKey("hyrelog.eu");
const OTHER_KEY = generateSigningKey("hyrelog.us");

function checkpointNote(treeSize: number, keys = [KEY]): string {
  return signCheckpoint(formatCheckpoint({ origin: ORIGIN, treeSize, rootHash: merkleRoot(EVENTS, treeSize) }), keys);
}

describe("signed notes (C2SP signed-note, Ed25519)", () => {
  it("reproduce the Go sumdb/note reference note byte for byte", () => {
    // PRIVATE+KEY+<name>+<key id>+<base64(0x01 || seed)>; the base64 itself contains a "+".
    const seed = Buffer.from(GO_SIGNER_KEY.split("+").slice(4).join("+"), "base64");
    expect(seed[0]).toBe(0x01);
    const key = signingKey("PeterNeumann", keyFromSeed(seed.subarray(1)));
    expect(key.keyId).toBe("c74f20a3");
    expect(key.verifierKey).toBe(GO_VERIFIER_KEY);
    expect(signNote(GO_TEXT, key)).toBe(GO_NOTE);
    expect(verifyNote(GO_NOTE, [GO_VERIFIER_KEY])).toEqual({ text: GO_TEXT, keyName: "PeterNeumann" });
    expect(verifyNote(Buffer.from(GO_NOTE, "utf8"), [GO_VERIFIER_KEY]).text).toBe(GO_TEXT);
    expect(codeOf(() => verifyNote(GO_NOTE.replace("cryptography", "cryptographY"), [GO_VERIFIER_KEY]))).toBe("bad_signature");
  });

  it("sign the worked example of docs/verification.md into a fixed checkpoint", () => {
    // Ed25519 signatures are deterministic: this exact text was also checked with openssl.
    const key = signingKey("hyrelog.eu", keyFromSeed(Buffer.from(Array.from({ length: 32 }, (_, i) => i))));
    const events = [
      "4fbc4906ebd9ad0276942ceded4e451b2da465f84d371d41296c2bae7f4adcb3",
      "45447bc855b2d3a497c5e4ef1d8804010cd6726be5cd7c72d9886fef85e42aec",
      "6c1af46f666c20b24981358e76da9a8e74461b16b587ac7b6a0869bdd26df32c",
    ];
    const note =
      "hyrelog.eu/01a20193-3a90-7001-8d5d-bbd0889f61ef\n3\n0FE86kDayWB3zSLkPHtY104x3xAKa3T5LUaehQI82eY=\n\n" +
      "\u2014 hyrelog.eu QOah0l6BlgmjJYD3wwDyIYCDEEQccveJ7knNJtvzCWiadWRw7U7Jdqx6UX4ehAhKOhhiV6ssg0cdXY0y9ASTTn54FAM=\n";
    const body = formatCheckpoint({ origin: `hyrelog.eu/${WORKSPACE}`, treeSize: 3, rootHash: merkleRoot(events) });
    expect(signCheckpoint(body, key)).toBe(note);
    expect(verifyCheckpoint(note, [key.verifierKey], { origin: ORIGIN })).toEqual({
      origin: ORIGIN,
      treeSize: 3,
      rootHash: "d0513cea40dac96077cd22e43c7b58d74e31df100a6b74f92d469e85023cd9e6",
      extensions: [],
      keyName: "hyrelog.eu",
    });
  });

  it("compute key ids as the spec says: SHA-256(name || 0x0A || 0x01 || public key)[:4]", () => {
    const key = signingKey("hyrelog.eu", keyFromSeed(Buffer.from(Array.from({ length: 32 }, (_, i) => i))));
    // Computed once (and checked with openssl and Python) and fixed here: it must never change.
    expect(key.keyId).toBe("40e6a1d2");
    expect(key.verifierKey).toBe("hyrelog.eu+40e6a1d2+AQOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4");
    // Recomputed from the public key taken another way (JWK).
    const raw = Buffer.from(key.privateKey.export({ format: "jwk" }).x!, "base64url");
    const id = createHash("sha256").update(Buffer.concat([Buffer.from("hyrelog.eu\n", "utf8"), Buffer.from([0x01]), raw])).digest().subarray(0, 4);
    expect(key.keyId).toBe(id.toString("hex"));
    expect(noteKeyId("hyrelog.eu", raw)).toBe(key.keyId);
    expect(noteKeyId("hyrelog.us", raw)).not.toBe(key.keyId);
  });

  it("format and parse verifier keys", () => {
    for (const key of [KEY, OTHER_KEY]) {
      const parsed = parseVerifierKey(key.verifierKey);
      expect(parsed.name).toBe(key.name);
      expect(parsed.keyId).toBe(key.keyId);
      expect(formatVerifierKey(parsed.name, parsed.publicKey)).toBe(key.verifierKey);
    }
    const parsed = parseVerifierKey(GO_VERIFIER_KEY);
    expect(formatVerifierKey("PeterNeumann", parsed.publicKey)).toBe(GO_VERIFIER_KEY);
    // A key whose base64 contains "+" (split only at the first two).
    expect(parseVerifierKey("hyrelog.eu+40e6a1d2+AQOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4").keyId).toBe("40e6a1d2");
  });

  it("reject malformed verifier keys", () => {
    const [name, id, key] = ["PeterNeumann", "c74f20a3", "ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"];
    const raw = Buffer.from(key, "base64");
    const other = (bytes: Buffer): string => bytes.toString("base64");
    for (const bad of [
      "",
      name,
      `${name}+${id}`,
      `${name}+${id}+`,
      `+${id}+${key}`,
      `Peter Neumann+${id}+${key}`,
      `${name}+c74f20a4+${key}`, // wrong key id
      `${name}+C74F20A3+${key}`, // key ids are lowercase
      `${name}+c74f20a+${key}`,
      `${name}+${id}+${other(Buffer.concat([Buffer.from([0x02]), raw.subarray(1)]))}`, // another algorithm
      `${name}+${id}+${other(raw.subarray(0, 32))}`, // short key
      `${name}+${id}+${other(Buffer.concat([raw, Buffer.from([0])]))}`, // long key
      `${name}+${id}+${key.slice(0, -1)}X`, // still base64, another key
      `${name}+${id}+${key}=`,
      `${name}+${id}+ ${key}`,
      `${name}+${id}+${key}\n`,
      `other+${id}+${key}`, // the id belongs to another name
    ]) {
      expect(codeOf(() => parseVerifierKey(bad)), JSON.stringify(bad)).toBe("malformed_verifier_key");
    }
  });

  it("parse strictly, rejecting anything that is not exactly a signed note", () => {
    const note = checkpointNote(3);
    expect(parseSignedNote(note).signatures).toEqual([{ name: "hyrelog.eu", keyId: KEY.keyId, signature: expect.any(Buffer) }]);
    const [body, sigLine] = [note.slice(0, note.indexOf("\n\n") + 1), note.slice(note.indexOf("\n\n") + 2)];
    const sig = sigLine.slice("\u2014 hyrelog.eu ".length, -1);
    for (const [why, bad] of [
      ["no blank line", `${body}${sigLine}`],
      ["no signatures", `${body}\n`],
      ["no final newline", `${body}\n${sigLine.slice(0, -1)}`],
      ["body without final newline", `${body.slice(0, -1)}\n${sigLine}`],
      ["hyphens for the em dash", `${body}\n-- hyrelog.eu ${sig}\n`],
      ["en dash", `${body}\n\u2013 hyrelog.eu ${sig}\n`],
      ["no space after the dash", `${body}\n\u2014hyrelog.eu ${sig}\n`],
      ["two spaces", `${body}\n\u2014 hyrelog.eu  ${sig}\n`],
      ["trailing space", `${body}\n\u2014 hyrelog.eu ${sig} \n`],
      ["no signature", `${body}\n\u2014 hyrelog.eu\n`],
      ["name with a plus", `${body}\n\u2014 hyrelog+eu ${sig}\n`],
      ["signature not base64", `${body}\n\u2014 hyrelog.eu ${sig.slice(0, -4)}!!!!\n`],
      ["unpadded base64", `${body}\n\u2014 hyrelog.eu ${sig.replace(/=+$/, "")}\n`],
      ["signature of 4 bytes", `${body}\n\u2014 hyrelog.eu AAAAAA==\n`],
      ["non-canonical base64", `${body}\n\u2014 hyrelog.eu ${sig.slice(0, -2)}${spareBitSet(sig.at(-2)!)}=\n`],
      ["CRLF", note.replaceAll("\n", "\r\n")],
      ["a tab", note.replace("\n", "\t\n")],
      ["a NUL", `\u0000${note}`],
      ["a lone surrogate", `${note.slice(0, 5)}\ud800${note.slice(5)}`],
      ["too many signatures", `${body}\n${sigLine.repeat(101)}`],
      ["empty", ""],
    ] as const) {
      expect(codeOf(() => parseSignedNote(bad)), why).toBe("malformed_note");
    }
    expect(parseSignedNote(`${body}\n${sigLine.repeat(100)}`).signatures).toHaveLength(100);
    // The text may contain empty lines and ends at the last one: here it is the body plus an
    // empty line, which is not what was signed.
    expect(parseSignedNote(`${body}\n\n${sigLine}`).text).toBe(`${body}\n`);
    expect(codeOf(() => verifyCheckpoint(`${body}\n\n${sigLine}`, [KEY.verifierKey]))).toBe("bad_signature");
    expect(codeOf(() => parseSignedNote(Buffer.concat([Buffer.from(note), Buffer.from([0xff])])))).toBe("malformed_note");
    expect(codeOf(() => parseSignedNote(Buffer.from(note, "utf16le")))).toBe("malformed_note");
    expect(parseSignedNote(Buffer.from(note, "utf8")).text).toBe(body);
  });

  it("refuse to sign text that could not be parsed back", () => {
    expect(() => signNote("no final newline", KEY)).toThrow(TypeError);
    expect(() => signNote("tab\there\n", KEY)).toThrow(TypeError);
    expect(() => signNote("text\n", [])).toThrow(TypeError);
    expect(() => generateSigningKey("has space")).toThrow(TypeError);
    expect(() => generateSigningKey("has+plus")).toThrow(TypeError);
    expect(() => generateSigningKey("")).toThrow(TypeError);
  });
});

describe("checkpoints (C2SP tlog-checkpoint)", () => {
  it("round-trip: format, sign, verify", () => {
    const origin = `hyrelog.eu/${WORKSPACE}`;
    expect(origin).toBe(ORIGIN);
    const root = merkleRoot(EVENTS);
    const body = formatCheckpoint({ origin, treeSize: EVENTS.length, rootHash: root });
    expect(body).toBe(`${ORIGIN}\n11\n${root.toString("base64")}\n`);
    const note = signCheckpoint(body, KEY);
    expect(note.startsWith(`${body}\n\u2014 hyrelog.eu `)).toBe(true);
    expect(note.slice(body.length + 1)).toMatch(/^\u2014 hyrelog\.eu [A-Za-z0-9+/]{91}=\n$/);
    const verified = verifyCheckpoint(note, [KEY.verifierKey], { origin });
    expect(verified).toEqual({ origin, treeSize: 11, rootHash: root.toString("hex"), extensions: [], keyName: "hyrelog.eu" });
    expect(parseCheckpoint(body)).toEqual({ origin, treeSize: 11, rootHash: root.toString("hex"), extensions: [] });
    // Hex or bytes for the root; extension lines are kept in order.
    const withExtensions = formatCheckpoint({ origin, treeSize: 11, rootHash: root.toString("hex"), extensions: ["time 1790000000", "x"] });
    expect(verifyCheckpoint(signCheckpoint(withExtensions, KEY), [KEY.verifierKey]).extensions).toEqual(["time 1790000000", "x"]);
    // The empty tree.
    const empty = verifyCheckpoint(checkpointNote(0), [KEY.verifierKey]);
    expect(empty).toMatchObject({ treeSize: 0, rootHash: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" });
  });

  it("reject a body edited by one character anywhere", () => {
    const note = checkpointNote(11);
    const bodyLength = note.indexOf("\n\n") + 1;
    const seen = new Set<string>();
    for (let at = 0; at < bodyLength; at++) {
      const c = note[at]!;
      for (const edit of [c === "1" ? "2" : "1", c === "a" ? "b" : "a", "/", "\n", ""]) {
        if (edit === c) continue;
        const edited = note.slice(0, at) + edit + note.slice(at + 1);
        const code = codeOf(() => verifyCheckpoint(edited, [KEY.verifierKey]));
        expect(["bad_signature", "malformed_note"], `${JSON.stringify(edit)} at ${at}: ${code}`).toContain(code);
        seen.add(code);
      }
      const inserted = `${note.slice(0, at)}x${note.slice(at)}`;
      expect(codeOf(() => verifyCheckpoint(inserted, [KEY.verifierKey]))).toBe("bad_signature");
    }
    expect(seen).toEqual(new Set(["bad_signature", "malformed_note"]));
    // The classic attacks: a bigger tree size, another root.
    const other = checkpointNote(10);
    const forged = `${other.slice(0, other.indexOf("\n\n") + 1)}${note.slice(note.indexOf("\n\n") + 1)}`;
    expect(codeOf(() => verifyCheckpoint(forged, [KEY.verifierKey]))).toBe("bad_signature");
    expect(codeOf(() => verifyCheckpoint(note.replace("\n11\n", "\n12\n"), [KEY.verifierKey]))).toBe("bad_signature");
  });

  it("reject a signature by an unknown key", () => {
    const note = checkpointNote(5, [OTHER_KEY]);
    expect(codeOf(() => verifyCheckpoint(note, [KEY.verifierKey]))).toBe("unknown_key");
    expect(codeOf(() => verifyCheckpoint(note, []))).toBe("unknown_key");
    // Same name, other key: the key id differs, so it is not the trusted key.
    const impostor = generateSigningKey("hyrelog.eu");
    expect(codeOf(() => verifyCheckpoint(checkpointNote(5, [impostor]), [KEY.verifierKey]))).toBe("unknown_key");
    // The trusted key id under another name is not the trusted key either.
    const renamed = note.replace("\u2014 hyrelog.us ", "\u2014 hyrelog.eu ");
    expect(codeOf(() => verifyCheckpoint(renamed, [OTHER_KEY.verifierKey]))).toBe("unknown_key");
  });

  it("accept a note signed by two keys with either trusted key", () => {
    const note = checkpointNote(7, [KEY, OTHER_KEY]);
    expect(parseSignedNote(note).signatures.map((s) => s.name)).toEqual(["hyrelog.eu", "hyrelog.us"]);
    expect(verifyCheckpoint(note, [KEY.verifierKey]).keyName).toBe("hyrelog.eu");
    expect(verifyCheckpoint(note, [OTHER_KEY.verifierKey]).keyName).toBe("hyrelog.us");
    expect(verifyCheckpoint(note, [OTHER_KEY.verifierKey, KEY.verifierKey]).keyName).toBe("hyrelog.eu");
    expect(verifyCheckpoint(note, [generateSigningKey("x").verifierKey, OTHER_KEY.verifierKey]).treeSize).toBe(7);
  });

  it("reject the whole note if any signature by a trusted key is bad", () => {
    const note = checkpointNote(7, [KEY, OTHER_KEY]);
    const lines = note.split("\n");
    const last = lines.at(-2)!;
    const sig = Buffer.from(last.slice(last.lastIndexOf(" ") + 1), "base64");
    sig[10] = sig[10]! ^ 0x01;
    lines[lines.length - 2] = `${last.slice(0, last.lastIndexOf(" ") + 1)}${sig.toString("base64")}`;
    const corrupted = lines.join("\n");
    expect(codeOf(() => verifyCheckpoint(corrupted, [KEY.verifierKey, OTHER_KEY.verifierKey]))).toBe("bad_signature");
    expect(codeOf(() => verifyCheckpoint(corrupted, [OTHER_KEY.verifierKey]))).toBe("bad_signature");
    // Signatures by keys not trusted are ignored, as the spec requires.
    expect(verifyCheckpoint(corrupted, [KEY.verifierKey]).keyName).toBe("hyrelog.eu");
    // A signature of the wrong length by a trusted key.
    const short = note.replace(/(\u2014 hyrelog\.eu )(\S+)/, (_, p: string, s: string) => p + Buffer.from(s, "base64").subarray(0, 67).toString("base64"));
    expect(codeOf(() => verifyCheckpoint(short, [KEY.verifierKey]))).toBe("bad_signature");
  });

  it("check the origin when asked", () => {
    const note = checkpointNote(4);
    expect(verifyCheckpoint(note, [KEY.verifierKey], { origin: ORIGIN }).origin).toBe(ORIGIN);
    const otherLog = "hyrelog.eu/01a20193-3a90-7001-8d5d-bbd0889f61f0";
    expect(codeOf(() => verifyCheckpoint(note, [KEY.verifierKey], { origin: otherLog }))).toBe("wrong_origin");
  });

  it("reject a correctly signed note whose text is not a checkpoint", () => {
    const root = merkleRoot(EVENTS).toString("base64");
    for (const text of [
      `${ORIGIN}\n11\n`,
      `${ORIGIN}\n011\n${root}\n`,
      `${ORIGIN}\n-1\n${root}\n`,
      `${ORIGIN}\n+1\n${root}\n`,
      `${ORIGIN}\n1.0\n${root}\n`,
      `${ORIGIN}\n1e3\n${root}\n`,
      `${ORIGIN}\n9007199254740992\n${root}\n`,
      `${ORIGIN}\n 11\n${root}\n`,
      `${ORIGIN}\n11\n${root.replace(/=$/, "")}\n`,
      `${ORIGIN}\n11\n${Buffer.alloc(31).toString("base64")}\n`,
      `${ORIGIN}\n11\n${Buffer.alloc(33).toString("base64")}\n`,
      `${ORIGIN}\n11\n${merkleRoot(EVENTS).toString("base64url")}\n`,
      `${ORIGIN}\n11\n${merkleRoot(EVENTS).toString("hex")}\n`,
      `${ORIGIN}\n11\n${root}\n\nextension after an empty line\n`,
      `\n11\n${root}\n`,
    ]) {
      expect(codeOf(() => parseCheckpoint(text)), JSON.stringify(text)).toBe("malformed_checkpoint");
      expect(codeOf(() => verifyCheckpoint(signNote(text, KEY), [KEY.verifierKey])), text).toBe("malformed_checkpoint");
      expect(() => signCheckpoint(text, KEY)).toThrow(CheckpointError);
    }
    expect(parseCheckpoint(`${ORIGIN}\n9007199254740991\n${root}\n`).treeSize).toBe(Number.MAX_SAFE_INTEGER);
    // Base64 with the unused bits of its last character set decodes to the same bytes, but is
    // not the canonical spelling, so a second body would have the same meaning: rejected.
    const loose = `${root.slice(0, 42)}${spareBitSet(root[42]!)}=`;
    expect(Buffer.from(loose, "base64").toString("base64")).toBe(root);
    expect(codeOf(() => parseCheckpoint(`${ORIGIN}\n11\n${loose}\n`))).toBe("malformed_checkpoint");
    expect(codeOf(() => parseCheckpoint(`${ORIGIN}\n11\n${root}`))).toBe("malformed_checkpoint");
  });

  it("build only well-formed bodies and HyreLog origins", () => {
    const rootHash = merkleRoot(EVENTS);
    for (const bad of [
      { origin: "", treeSize: 1, rootHash },
      { origin: "a\nb", treeSize: 1, rootHash },
      { origin: ORIGIN, treeSize: -1, rootHash },
      { origin: ORIGIN, treeSize: 1.5, rootHash },
      { origin: ORIGIN, treeSize: 1, rootHash: rootHash.subarray(1) },
      { origin: ORIGIN, treeSize: 1, rootHash: rootHash.toString("hex").toUpperCase() },
      { origin: ORIGIN, treeSize: 1, rootHash, extensions: [""] },
      { origin: ORIGIN, treeSize: 1, rootHash, extensions: ["two\nlines"] },
      { origin: ORIGIN, treeSize: 1, rootHash, extensions: ["tab\t"] },
    ]) {
      expect(() => formatCheckpoint(bad), JSON.stringify(bad)).toThrow();
    }
  });

  it("load keys from PEM", () => {
    const pem = KEY.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const loaded = signingKey(KEY.name, pem);
    expect(loaded.verifierKey).toBe(KEY.verifierKey);
    expect(verifyCheckpoint(checkpointNote(2, [loaded]), [KEY.verifierKey]).treeSize).toBe(2);
    const pub = parseVerifierKey(KEY.verifierKey).publicKey.export({ type: "spki", format: "pem" }).toString();
    expect(() => signingKey("x", pub)).toThrow();
  });

  it("carry the roots that inclusion and consistency proofs are checked against", () => {
    const older = verifyCheckpoint(checkpointNote(6), [KEY.verifierKey], { origin: ORIGIN });
    const newer = verifyCheckpoint(checkpointNote(11), [KEY.verifierKey], { origin: ORIGIN });
    for (let i = 0; i < 11; i++) {
      expect(verifyInclusion(EVENTS[i]!, i, newer.treeSize, inclusionProof(EVENTS, i), newer.rootHash)).toBe(true);
    }
    expect(verifyInclusion(EVENTS[3]!, 3, newer.treeSize, inclusionProof(EVENTS, 3), older.rootHash)).toBe(false);
    const proof = consistencyProof(EVENTS, older.treeSize, newer.treeSize);
    expect(verifyConsistency(older.treeSize, newer.treeSize, proof, older.rootHash, newer.rootHash)).toBe(true);
    expect(verifyConsistency(older.treeSize, newer.treeSize, proof, newer.rootHash, older.rootHash)).toBe(false);
  });
});
