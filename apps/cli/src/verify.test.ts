import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  GENESIS_HASH,
  chainFieldsOf,
  checkpointOrigin,
  eventHash,
  formatCheckpoint,
  generateSigningKey,
  merkleRoot,
  signCheckpoint,
  type EventJson,
} from "@hyrelog/core";
import { VerifyInputError, runVerify, verifyEventsFile, type VerifyOptions, type VerifyReport } from "./verify.ts";

const COMPANY = "0190a000-0000-7000-8000-0000000000c0";
const WORKSPACE = "0190a000-0000-7001-8000-0000000000a1";
const OTHER_WORKSPACE = "0190a000-0000-7001-8000-0000000000b2";

const dir = mkdtempSync(path.join(os.tmpdir(), "hyrelog-verify-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let fileNo = 0;
/** Writes a fixture file and returns its path. */
function write(content: string): string {
  const file = path.join(dir, `f${++fileNo}`);
  writeFileSync(file, content);
  return file;
}
const jsonl = (events: readonly EventJson[]): string => events.map((e) => `${JSON.stringify(e)}\n`).join("");

const rehash = (e: EventJson): EventJson => ({ ...e, hash: eventHash(chainFieldsOf(e)) });

/** A valid log of n events, hashed and linked with the real chain functions. */
function makeLog(n: number, workspaceId: string | null = WORKSPACE): EventJson[] {
  const events: EventJson[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const e = rehash({
      v: 1,
      id: `0190a000-0000-7000-8000-${i.toString(16).padStart(12, "0")}`,
      companyId: COMPANY,
      workspaceId,
      projectId: i % 3 === 0 ? "0190a000-0000-7002-8000-0000000000d3" : null,
      sequence: i,
      prevHash: prev,
      occurredAt: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
      receivedAt: new Date(Date.UTC(2026, 0, 1) + i * 1000 + 7).toISOString(),
      category: i % 2 ? "auth" : "user",
      action: i % 2 ? "user.login" : "user.role_changed",
      actor: { id: `u_${i % 17}`, type: "user", email: i % 5 ? null : "anna@globex.example", name: i % 7 ? null : "Anna Müller" },
      target: { id: i % 2 ? null : `u_${i % 11}`, type: i % 2 ? null : "user", name: null },
      changes: i % 2 ? [] : [{ field: "role", old: null, new: "admin" }, { field: "nickname", new: "jo" }],
      metadata: { n: i, riskScore: 0.35, tags: ["a", "ü🛠"], nested: { z: 1, a: [true, null] } },
      context: { ip: "203.0.113.1", userAgent: "globex-portal/4.1", traceId: null, requestId: `req-${i}` },
      hash: "",
      idempotencyKey: i % 4 ? null : `batch-${i}#0`,
    });
    events.push(e);
    prev = e.hash;
  }
  return events;
}

const LOG = makeLog(600);
const KEY = generateSigningKey("hyrelog.us");
const VKEY = KEY.verifierKey;

function checkpoint(events: readonly EventJson[], treeSize = events.length, origin = checkpointOrigin("us", WORKSPACE), key = KEY): string {
  const hashes = events.slice(0, treeSize).map((e) => e.hash);
  return signCheckpoint(formatCheckpoint({ origin, treeSize, rootHash: merkleRoot(hashes), extensions: ["timestamp 1795322880"] }), key);
}
const CHECKPOINT = write(checkpoint(LOG));

/** Verifies `events` (a file's text) against the checkpoint of the original log unless told otherwise. */
function verify(content: string, options: Partial<VerifyOptions> = {}): Promise<VerifyReport> {
  return verifyEventsFile({ events: write(content), checkpoints: [CHECKPOINT], keys: [VKEY], region: "us", ...options });
}

const kinds = (r: VerifyReport) => r.problems.map((p) => `${p.kind}@${p.sequence ?? "-"}`);

/** A deterministic shuffle. */
function shuffled<T>(items: readonly T[], seed = 7): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe("hyrelog verify: intact logs", () => {
  it("verifies a valid log and its checkpoint", async () => {
    const r = await verify(jsonl(LOG));
    expect(r.ok).toBe(true);
    expect(r.exitCode).toBe(0);
    expect(r.problems).toEqual([]);
    expect(r.checkpoints).toMatchObject([{ status: "verified", treeSize: 600, origin: `hyrelog.us/${WORKSPACE}`, keyName: "hyrelog.us" }]);
    expect(r.verdict).toBe(`VERIFIED: 600 events (sequences 1..600) of log ${WORKSPACE}; chain intact; 1 checkpoint(s) verified (tree size 600)`);
  });

  it("accepts any order: newest first as GET /v1/events lists, and shuffled", async () => {
    for (const events of [[...LOG].reverse(), shuffled(LOG)]) {
      const r = await verify(jsonl(events));
      expect(r.verdict).toMatch(/^VERIFIED: 600 events \(sequences 1\.\.600\)/);
    }
  });

  it("accepts saved GET /v1/events pages: one per line, pretty-printed, or concatenated", async () => {
    const pages = [];
    const newestFirst = [...LOG].reverse();
    for (let i = 0; i < newestFirst.length; i += 100) {
      pages.push({ data: newestFirst.slice(i, i + 100), nextCursor: i + 100 < 600 ? `cursor-${i}` : null, hasMore: i + 100 < 600 });
    }
    for (const content of [
      pages.map((p) => JSON.stringify(p)).join("\n"),
      pages.map((p) => JSON.stringify(p, null, 2)).join("\n"),
      pages.map((p) => JSON.stringify(p)).join(""), // curl >> file: no newline between responses
      JSON.stringify(pages, null, 1),
    ]) {
      const r = await verify(content);
      expect(r.ok, r.verdict).toBe(true);
      expect(r.events).toBe(600);
    }
  });

  it("checks several checkpoints, and only the chain without any", async () => {
    const smaller = write(checkpoint(LOG, 257));
    const r = await verify(jsonl(LOG), { checkpoints: [CHECKPOINT, smaller] });
    expect(r.verdict).toBe(`VERIFIED: 600 events (sequences 1..600) of log ${WORKSPACE}; chain intact; 2 checkpoint(s) verified (tree size 600, 257)`);
    const bare = await verifyEventsFile({ events: write(jsonl(LOG)) });
    expect(bare.verdict).toBe(`VERIFIED: 600 events (sequences 1..600) of log ${WORKSPACE}; chain intact; no checkpoint: only the hash chain was verified`);
    expect(bare.notes.join("\n")).toMatch(/only the hash chain was verified/);
  });

  it("counts an event saved twice once (overlapping pages)", async () => {
    const r = await verify(jsonl([...LOG.slice(0, 350), ...LOG.slice(300)]));
    expect(r.verdict).toBe(`VERIFIED: 600 events (sequences 1..600) of log ${WORKSPACE}; chain intact; 1 checkpoint(s) verified (tree size 600)`);
    expect(r.warnings).toEqual(["50 event(s) appear more than once with identical content (first: sequence 301, lines 301, 351); each is counted once"]);
  });

  it("verifies a range that does not start at 1, noting what it cannot check", async () => {
    const r = await verify(jsonl(LOG.slice(200)));
    expect(r.ok).toBe(true);
    expect(r.verdict).toBe(
      `VERIFIED: 400 events (sequences 201..600) of log ${WORKSPACE}; chain intact; 1 checkpoint(s) with signature and origin verified, root not recomputed (tree size 600)`,
    );
    expect(r.notes.join("\n")).toContain(`its prevHash ${LOG[199]!.hash} should be the hash of sequence 200`);
    expect(r.warnings.join("\n")).toMatch(/cannot be recomputed from a partial range/);
    expect(r.checkpoints[0]!.status).toBe("unchecked_root");
  });

  it("warns when a checkpoint covers more events than the file holds", async () => {
    const r = await verify(jsonl(LOG.slice(0, 500)));
    expect(r.ok).toBe(true);
    expect(r.warnings.join("\n")).toMatch(/sequences 501\.\.600 are missing/);
  });

  it("verifies a company's own log (no workspace)", async () => {
    const log = makeLog(20, null);
    const cp = write(checkpoint(log, 20, checkpointOrigin("eu", COMPANY)));
    const r = await verifyEventsFile({ events: write(jsonl(log)), checkpoints: [cp], keys: [VKEY] });
    expect(r.verdict).toBe(`VERIFIED: 20 events (sequences 1..20) of log ${COMPANY}; chain intact; 1 checkpoint(s) verified (tree size 20)`);
  });
});

describe("hyrelog verify: tampering", () => {
  it("names the sequence of an event with one byte of its action changed", async () => {
    const lines = jsonl(LOG).split("\n");
    lines[249] = lines[249]!.replace('"action":"user.', '"action":"usar.');
    const r = await verify(lines.join("\n"));
    expect(r.exitCode).toBe(1);
    expect(kinds(r)).toEqual(["altered@250"]);
    expect(r.verdict).toBe("FAILED: sequence 250 (line 250): altered: its hash does not match its content");
  });

  it("reports a removed event as missing", async () => {
    const r = await verify(jsonl(LOG.filter((e) => e.sequence !== 300)));
    expect(kinds(r)).toEqual(["missing@300"]);
    expect(r.verdict).toMatch(/^FAILED: sequence 300: missing/);
    expect(r.warnings.join("\n")).toMatch(/sequence 300 is missing/);
  });

  it("detects two events whose contents were swapped", async () => {
    const events = LOG.map((e) => ({ ...e }));
    // Everything but the sequence trades places: the order of two events was changed.
    events[99] = { ...LOG[100]!, sequence: 100 };
    events[100] = { ...LOG[99]!, sequence: 101 };
    const r = await verify(jsonl(events));
    expect(r.exitCode).toBe(1);
    expect(kinds(r)).toEqual(["altered@100", "reordered@100", "altered@101", "reordered@101", "reordered@102", "root mismatch@-"]);
    expect(r.problems[1]!.message).toBe("sequence 100 (line 100): reordered: its prevHash is the hash of sequence 101 (line 101), not the hash of sequence 99");
  });

  it("detects a forged event inserted with a recomputed hash", async () => {
    const forged = rehash({ ...LOG[299]!, id: "0190a000-0000-7000-8000-0000000f0f0f", sequence: 301, prevHash: LOG[299]!.hash, action: "user.deleted" });

    // Inserted as it is: its sequence is taken.
    const inserted = await verify(jsonl([...LOG.slice(0, 300), forged, ...LOG.slice(300)]));
    expect(kinds(inserted)).toEqual(["duplicate@301"]);
    expect(inserted.problems[0]!.message).toBe("sequence 301: duplicate: 2 events have this sequence (lines 301, 302): an event was inserted or copied");

    // Put in place of event 301: the next event does not link to it, and the tree differs.
    const replaced = await verify(jsonl([...LOG.slice(0, 300), forged, ...LOG.slice(301)]));
    expect(kinds(replaced)).toEqual(["broken link@302", "root mismatch@-"]);

    // Inserted, with every later event renumbered and re-hashed: the chain is intact, the root is not.
    const rewritten = [...LOG.slice(0, 300), forged];
    for (const e of LOG.slice(300)) rewritten.push(rehash({ ...e, sequence: e.sequence + 1, prevHash: rewritten.at(-1)!.hash }));
    const r = await verify(jsonl(rewritten));
    expect(r.chainIntact).toBe(true);
    expect(kinds(r)).toEqual(["root mismatch@-"]);
    expect(r.verdict).toMatch(/^FAILED: checkpoint .*: root mismatch at tree size 600/);
  });

  it("detects a changed event whose stored hash was recomputed, through the next link and the root", async () => {
    const events = [...LOG];
    events[299] = rehash({ ...LOG[299]!, action: "user.logout" });
    const r = await verify(jsonl(events));
    expect(kinds(r)).toEqual(["broken link@301", "root mismatch@-"]);
    expect(r.problems[0]!.message).toBe(
      "sequence 301 (line 301): broken link: its prevHash is not the hash of sequence 300 (that event was changed and its hash recomputed, or an event was inserted or removed here)",
    );
  });

  it("detects a rewritten first event", async () => {
    const events = [...LOG];
    events[0] = rehash({ ...LOG[0]!, prevHash: "1".repeat(64) });
    const r = await verify(jsonl(events));
    expect(kinds(r)).toEqual(["broken link@1", "broken link@2", "root mismatch@-"]);
  });

  it("reports every problem, in sequence order", async () => {
    const lines = jsonl(LOG.filter((e) => e.sequence !== 10 && e.sequence !== 500)).split("\n");
    lines[99] = lines[99]!.replace('"riskScore":0.35', '"riskScore":0.36');
    const r = await verify(lines.reverse().join("\n"));
    expect(kinds(r)).toEqual(["missing@10", "altered@101", "missing@500"]);
    expect(r.problemCounts).toEqual({ missing: 2, altered: 1 });
  });
});

describe("hyrelog verify: checkpoints", () => {
  it("fails a checkpoint signed by an unknown key", async () => {
    const stranger = generateSigningKey("hyrelog.us");
    const r = await verify(jsonl(LOG), { checkpoints: [write(checkpoint(LOG, 600, checkpointOrigin("us", WORKSPACE), stranger))] });
    expect(r.exitCode).toBe(1);
    expect(kinds(r)).toEqual(["unknown_key@-"]);
    expect(r.verdict).toMatch(/^FAILED: checkpoint .*: unknown_key: /);
  });

  it("fails a checkpoint whose body was edited", async () => {
    const note = checkpoint(LOG);
    const r = await verify(jsonl(LOG), { checkpoints: [write(note.replace("\n600\n", "\n599\n"))] });
    expect(kinds(r)).toEqual(["bad_signature@-"]);
    const extension = await verify(jsonl(LOG), { checkpoints: [write(note.replace("timestamp 1795322880", "timestamp 1795322881"))] });
    expect(kinds(extension)).toEqual(["bad_signature@-"]);
  });

  it("fails a checkpoint of another log or region", async () => {
    const other = await verify(jsonl(LOG), { checkpoints: [write(checkpoint(LOG, 600, checkpointOrigin("us", OTHER_WORKSPACE)))] });
    expect(kinds(other)).toEqual(["wrong_origin@-"]);
    const region = await verify(jsonl(LOG), { region: "eu" });
    expect(kinds(region)).toEqual(["wrong_origin@-"]);
    expect(region.verdict).toContain(`not "hyrelog.eu/${WORKSPACE}"`);
  });

  it("fails a root that does not match a correctly signed checkpoint", async () => {
    const body = formatCheckpoint({ origin: checkpointOrigin("us", WORKSPACE), treeSize: 600, rootHash: merkleRoot(LOG.slice(0, 599).map((e) => e.hash)) });
    const r = await verify(jsonl(LOG), { checkpoints: [write(signCheckpoint(body, KEY))] });
    expect(kinds(r)).toEqual(["root mismatch@-"]);
  });

  it("reads verifier keys from files and checkpoints in the API's JSON forms", async () => {
    const keys = write(`# trusted\n${generateSigningKey("hyrelog.eu").verifierKey}\n\n${VKEY}\n`);
    const keyList = write(JSON.stringify({ keys: [{ name: "hyrelog.us", keyId: KEY.keyId, verifierKey: VKEY, validFrom: "2026-01-01T00:00:00.000Z", validUntil: null }] }));
    const object = (treeSize: number) => ({ logId: WORKSPACE, treeSize, rootHash: "unsigned copy", keyName: "hyrelog.us", signedNote: checkpoint(LOG, treeSize) });
    const latest = write(JSON.stringify(object(600)));
    const list = write(JSON.stringify({ data: [object(100), object(512)] }));
    for (const keyFile of [keys, keyList]) {
      const r = await verifyEventsFile({ events: write(jsonl(LOG)), checkpoints: [latest, list], keyFiles: [keyFile] });
      expect(r.verdict).toBe(`VERIFIED: 600 events (sequences 1..600) of log ${WORKSPACE}; chain intact; 3 checkpoint(s) verified (tree size 600, 100, 512)`);
      expect(r.checkpoints.map((c) => c.file)).toEqual([latest, `${list}#1`, `${list}#2`]);
    }
  });

  it("computes roots of trees larger than a Merkle block, in-process and with worker threads", async () => {
    const log = makeLog(2 * 16384 + 1000);
    const sizes = [1, 16384, 16385, 32768, 33000, log.length];
    const cps = sizes.map((size) => write(checkpoint(log, size)));
    const file = write(jsonl(log));
    for (const threads of [1, 2]) {
      const r = await verifyEventsFile({ events: file, checkpoints: cps, keys: [VKEY], threads });
      expect(r.threads).toBe(threads);
      expect(r.verdict).toBe(`VERIFIED: ${log.length} events (sequences 1..${log.length}) of log ${WORKSPACE}; chain intact; 6 checkpoint(s) verified (tree size ${sizes.join(", ")})`);
    }
    const lines = jsonl(log).split("\n");
    lines[20000] = lines[20000]!.replace('"hash":"', '"hash":"0').replace(/"hash":"([0-9a-f]{64})[0-9a-f]"/, '"hash":"$1"');
    const r = await verifyEventsFile({ events: write(lines.join("\n")), checkpoints: cps, keys: [VKEY], threads: 2 });
    expect(kinds(r)).toEqual(["altered@20001", "broken link@20002", "root mismatch@-", "root mismatch@-", "root mismatch@-"]);
  }, 60_000);
});

describe("hyrelog verify: input errors", () => {
  const inputError = async (content: string, options: Partial<VerifyOptions> = {}): Promise<string> => {
    const err = await verify(content, options).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(VerifyInputError);
    return (err as Error).message;
  };

  it("names a malformed JSON line, also when worker threads read the file", async () => {
    const lines = jsonl(LOG).split("\n");
    lines[41] = lines[41]!.slice(0, 100);
    for (const threads of [1, 2, 3]) expect(await inputError(lines.join("\n"), { threads })).toMatch(/:42: not valid JSON/);
    lines[41] = LOG[41] ? JSON.stringify(LOG[41]) : "";
    lines[540] = "{";
    for (const threads of [1, 2, 3]) expect(await inputError(lines.join("\n"), { threads })).toMatch(/:541: not valid JSON/);
  });

  it("names the first line of another log", async () => {
    const other = makeLog(3, OTHER_WORKSPACE);
    const events = [...LOG.slice(0, 400), other[1]!, ...LOG.slice(400)];
    for (const threads of [1, 2]) {
      expect(await inputError(jsonl(events), { threads })).toBe(
        `${path.join(dir, `f${fileNo}`)}:401: the event with sequence 2 belongs to log ${OTHER_WORKSPACE}, but the events from line 1 on belong to log ${WORKSPACE}; a file must hold one log (workspaceId, or companyId for events without a workspace): split it by log`,
      );
    }
    const company = makeLog(2, null);
    expect(await inputError(jsonl([...LOG.slice(0, 5), company[0]!]))).toMatch(/:6: the event with sequence 1 belongs to log 0190a000-0000-7000-8000-0000000000c0/);
  });

  it("rejects what is not an event, an empty file, and bad options", async () => {
    expect(await inputError(`${JSON.stringify(LOG[0])}\n{"sequence":"2"}\n`)).toMatch(/:2: not an event in the form GET \/v1\/events returns: "sequence" is not a positive integer/);
    expect(await inputError("\n\n")).toMatch(/no events/);
    expect(await inputError(jsonl(LOG), { keys: ["hyrelog.us+00000000+AQ=="] })).toMatch(/--key: verifier key/);
    expect(await inputError(jsonl(LOG), { keys: [] })).toMatch(/needs the keys/);
    expect(await inputError(jsonl(LOG), { region: "mars" })).toMatch(/--region must be one of us, eu, uk, au/);
    expect(await inputError(jsonl(LOG), { checkpoints: [path.join(dir, "nope")] })).toMatch(/cannot read checkpoint/);
  });

  it("returns exit status 2 from runVerify, with the JSON report form too", async () => {
    const out: string[] = [];
    const io = { out: (t: string) => out.push(t), err: (t: string) => out.push(t) };
    expect(await runVerify(["--events", write("{]\n")], io)).toBe(2);
    expect(out.pop()).toMatch(/:1: not valid JSON/);
    expect(await runVerify(["--events", write(`${JSON.stringify(LOG[0])}\n[\n`), "--json"], io)).toBe(2);
    expect(JSON.parse(out.pop()!)).toMatchObject({ ok: false, exitCode: 2, error: expect.stringMatching(/:2: not valid JSON/) });
    expect(await runVerify(["--events"], io)).toBe(2);
    expect(await runVerify(["--bogus"], io)).toBe(2);
    expect(await runVerify(["--help"], io)).toBe(0);
    expect(out.pop()).toMatch(/^usage: hyrelog verify --events <file>/);
    expect(await runVerify(["--events", write(jsonl(LOG)), "--json"], io)).toBe(0);
    expect(JSON.parse(out.pop()!)).toMatchObject({ ok: true, events: 600, logId: WORKSPACE, problems: [] });
  });
});

describe("hyrelog verify: the CLI", () => {
  const main = path.join(import.meta.dirname, "main.ts");
  const run = (...args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, [main, "verify", ...args], { cwd: path.join(import.meta.dirname, "../../.."), maxBuffer: 1 << 24 }, (err, stdout, stderr) =>
        resolve({ code: err ? Number(err.code) : 0, stdout, stderr }),
      );
    });

  it("exits 0 when verified, 1 on tampering, 2 on bad input", async () => {
    const keys = write(`${VKEY}\n`);
    const ok = await run("--events", write(jsonl([...LOG].reverse())), "--checkpoint", CHECKPOINT, "--keys", keys, "--region", "us");
    expect(ok.code).toBe(0);
    expect(ok.stdout.trim().split("\n").at(-1)).toBe(`VERIFIED: 600 events (sequences 1..600) of log ${WORKSPACE}; chain intact; 1 checkpoint(s) verified (tree size 600)`);

    const lines = jsonl(LOG).split("\n");
    lines[249] = lines[249]!.replace('"action":"user.', '"action":"usar.');
    const bad = await run("--events", write(lines.join("\n")), "--checkpoint", CHECKPOINT, "--key", VKEY);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain("sequence 250 (line 250): altered");
    expect(bad.stdout.trim().split("\n").at(-1)).toMatch(/^FAILED: sequence 250/);

    const malformed = await run("--events", write(`${JSON.stringify(LOG[0])}\nnot json\n`));
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toMatch(/:2: not valid JSON/);
  }, 60_000);
});
