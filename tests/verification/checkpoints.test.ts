import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { TestStack, checkpointOrigin, verifyCheckpoint, verifyConsistency, verifyInclusion } from "@hyrelog/testing";

let stack: TestStack;
beforeAll(async () => {
  stack = await TestStack.start({ infra: inject("infra"), regions: ["us"], env: { CHECKPOINT_INTERVAL_MS: "300" } });
});
afterAll(async () => stack?.stop());

const event = (i: number) => ({ category: "doc", action: "doc.edited", actor: { id: `u${i % 7}` }, target: { type: "doc", id: `d${i % 5}` }, metadata: { i } });

async function ingest(key: string, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i += 500) {
    const res = await stack.api(key, "POST", "/v1/events", { events: Array.from({ length: Math.min(500, n - i) }, (_, j) => event(i + j)) });
    expect(res.status, res.text).toBe(201);
    ids.push(...res.body.results.map((r: { id: string }) => r.id));
  }
  return ids;
}

/** Waits until the latest checkpoint covers `treeSize` events. */
async function checkpointCovering(key: string, treeSize: number, query = "") {
  for (let i = 0; i < 100; i++) {
    const res = await stack.api(key, "GET", `/v1/checkpoints/latest${query}`);
    if (res.status === 200 && res.body.treeSize >= treeSize) return res.body;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no checkpoint of ${treeSize} events appeared`);
}

describe("signed checkpoints and proofs", () => {
  it("signs checkpoints that verify with the published key, and serves valid proofs", async () => {
    const co = await stack.seedCompany("us", "STARTER", "Proof Co");
    const ids = await ingest(co.workspaceKey, 700);
    const cp = await checkpointCovering(co.workspaceKey, 700);
    expect(cp).toMatchObject({ logId: co.workspaceId, treeSize: 700, rootHash: expect.stringMatching(/^[0-9a-f]{64}$/) });

    const keys = await stack.api(co.companyKey, "GET", "/v1/verification/keys");
    expect(keys.status).toBe(200);
    const vkeys = keys.body.keys.map((k: { verifierKey: string }) => k.verifierKey);
    const verified = verifyCheckpoint(cp.signedNote, vkeys, { origin: checkpointOrigin("us", co.workspaceId) });
    expect(verified).toMatchObject({ treeSize: 700, rootHash: cp.rootHash });
    expect(() => verifyCheckpoint(cp.signedNote.replace("700", "701"), vkeys)).toThrow();

    for (const i of [0, 255, 256, 511, 699]) {
      const res = await stack.api(co.workspaceKey, "GET", `/v1/events/${ids[i]}/proof`);
      expect(res.status, res.text).toBe(200);
      expect(res.body).toMatchObject({ leafIndex: i, treeSize: 700, rootHash: cp.rootHash });
      expect(verifyInclusion(res.body.leaf, i, 700, res.body.proof, cp.rootHash)).toBe(true);
      expect(verifyInclusion(res.body.leaf, i, 700, res.body.proof.slice(1), cp.rootHash)).toBe(false);
    }
    // Against an older tree size, with the root the consistency proof vouches for.
    const older = await stack.api(co.workspaceKey, "GET", `/v1/events/${ids[10]}/proof?treeSize=300`);
    const consistency = await stack.api(co.workspaceKey, "GET", `/v1/checkpoints/consistency?from=300&to=700`);
    expect(consistency.status, consistency.text).toBe(200);
    expect(consistency.body.toRootHash).toBe(cp.rootHash);
    expect(verifyConsistency(300, 700, consistency.body.proof, consistency.body.fromRootHash, cp.rootHash)).toBe(true);
    expect(verifyInclusion(older.body.leaf, 10, 300, older.body.proof, consistency.body.fromRootHash)).toBe(true);

    // Company keys name the workspace; others' logs stay out of reach.
    expect((await stack.api(co.companyKey, "GET", `/v1/checkpoints/latest?workspaceId=${co.workspaceId}`)).body.treeSize).toBeGreaterThanOrEqual(700);
    const other = stack.companies.us!;
    expect((await stack.api(other.companyKey, "GET", `/v1/checkpoints/latest?workspaceId=${co.workspaceId}`)).status).toBe(404);
    expect((await stack.api(other.workspaceKey, "GET", `/v1/events/${ids[0]}/proof`)).status).toBe(404);
    expect((await stack.api(co.workspaceKey, "GET", `/v1/events/${ids[5]}/proof?treeSize=3`)).status).toBe(400);

    const listed = await stack.api(co.workspaceKey, "GET", "/v1/checkpoints?from=1");
    expect(listed.status).toBe(200);
    expect(listed.body.data.at(-1).treeSize).toBeGreaterThanOrEqual(700);
  });
});

describe("POST /v1/verify finds tampering done with direct SQL", () => {
  it("names bad_signature when a stored checkpoint was edited", async () => {
    const co = await stack.seedCompany("us", "STARTER", "Tamper checkpoint");
    await ingest(co.workspaceKey, 20);
    const cp = await checkpointCovering(co.workspaceKey, 20);
    const em = stack.regions.us!.orm.em.fork();
    await em.execute("alter table checkpoints disable trigger checkpoints_append_only");
    try {
      expect(cp.signedNote).toContain("\n20\n");
      // The signed body now claims 21 events; the signature covers the original text.
      await em.execute(`update checkpoints set signed_note = replace(signed_note, ?, ?) where log_id = ? and tree_size = 20`, ["\n20\n", "\n21\n", co.workspaceId]);
    } finally {
      await em.execute("alter table checkpoints enable trigger checkpoints_append_only");
    }
    const res = await stack.api(co.workspaceKey, "POST", "/v1/verify", {});
    expect(res.body.ok).toBe(false);
    expect(res.body.fault).toMatchObject({ sequence: 20, kind: "bad_signature" });
  });

  const cases: Array<[string, (log: string) => string[], number, string]> = [
    ["one byte of an action", (log) => [`update audit_events set action = 'doc.editeD' where log_id = '${log}' and sequence = 40`], 40, "altered"],
    ["a deleted event", (log) => [`delete from audit_events where log_id = '${log}' and sequence = 41`], 41, "missing"],
    [
      "two swapped events",
      (log) => [
        `update audit_events set sequence = -1 where log_id = '${log}' and sequence = 42`,
        `update audit_events set sequence = 42 where log_id = '${log}' and sequence = 43`,
        `update audit_events set sequence = 43 where log_id = '${log}' and sequence = -1`,
      ],
      42,
      "reordered",
    ],
    [
      "an altered event whose stored hash was recomputed",
      (log) => [`update audit_events set metadata = '{"i": 999}' where log_id = '${log}' and sequence = 44`],
      44,
      "altered",
    ],
    [
      "a forged event appended after the last one",
      (log) => [
        `insert into audit_events (id, company_id, workspace_id, log_id, sequence, prev_hash, hash, occurred_at, received_at, category, action, changes, metadata)
         select gen_random_uuid(), company_id, workspace_id, log_id, 61, hash, repeat('a', 64), now(), now(), 'doc', 'doc.forged', '[]', '{}'
         from audit_events where log_id = '${log}' and sequence = 60`,
      ],
      61,
      "inserted",
    ],
  ];

  for (const [name, tamper, sequence, kind] of cases) {
    it(`names ${kind} at the right sequence: ${name}`, async () => {
      const co = await stack.seedCompany("us", "STARTER", `Tamper ${kind}`);
      await ingest(co.workspaceKey, 60);
      await checkpointCovering(co.workspaceKey, 60);
      expect((await stack.api(co.workspaceKey, "POST", "/v1/verify", {})).body).toMatchObject({ ok: true, eventsChecked: 60, fault: null });

      const em = stack.regions.us!.orm.em.fork();
      await em.execute("alter table audit_events disable trigger audit_events_append_only");
      try {
        for (const statement of tamper(co.workspaceId)) await em.execute(statement);
        if (name.includes("recomputed")) {
          // Make the row self-consistent again: its hash now matches its altered content.
          const rows = await stack.api(co.workspaceKey, "GET", `/v1/events?limit=100`);
          const altered = rows.body.data.find((e: { sequence: number }) => e.sequence === sequence);
          const { eventHash, chainFieldsOf } = await import("@hyrelog/testing");
          await em.execute(`update audit_events set hash = ? where log_id = ? and sequence = ?`, [eventHash(chainFieldsOf(altered)), co.workspaceId, sequence]);
        }
      } finally {
        await em.execute("alter table audit_events enable trigger audit_events_append_only");
      }
      const res = await stack.api(co.workspaceKey, "POST", "/v1/verify", {});
      expect(res.status, res.text).toBe(200);
      expect(res.body.ok).toBe(false);
      expect(res.body.fault).toMatchObject({ sequence, kind });
    });
  }
});

describe("POST /v1/verify when the whole chain was rewritten", () => {
  it("falls back on the signed roots and bounds the change by the checkpoints", async () => {
    const co = await stack.seedCompany("us", "STARTER", "Rewrite Co");
    await ingest(co.workspaceKey, 30);
    await checkpointCovering(co.workspaceKey, 30);
    // Alter the last event and recompute its hash: no later event links to it.
    const em = stack.regions.us!.orm.em.fork();
    const page = await stack.api(co.workspaceKey, "GET", "/v1/events?limit=1");
    const last = { ...page.body.data[0], action: "doc.deleted" };
    const { eventHash, chainFieldsOf } = await import("@hyrelog/testing");
    await em.execute("alter table audit_events disable trigger audit_events_append_only");
    try {
      await em.execute(`update audit_events set action = ?, hash = ? where id = ?`, [last.action, eventHash(chainFieldsOf(last)), last.id]);
    } finally {
      await em.execute("alter table audit_events enable trigger audit_events_append_only");
    }
    const res = await stack.api(co.workspaceKey, "POST", "/v1/verify", {});
    expect(res.body.ok).toBe(false);
    expect(res.body.fault.kind).toBe("altered");
    expect(res.body.fault.sequence).toBeLessThanOrEqual(30);
    expect(res.body.fault.detail).toMatch(/root signed at tree size 30/);
  });
});

describe("POST /v1/verify on a log without events", () => {
  it("answers ok with nothing checked", async () => {
    const co = await stack.seedCompany("us", "STARTER", "Empty Co");
    const res = await stack.api(co.workspaceKey, "POST", "/v1/verify", {});
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ ok: true, eventsChecked: 0, fault: null });
  });
});

describe("signing key rotation", () => {
  it("a new key signs from now on; the old one stays published and its checkpoints still verify", async () => {
    const co = await stack.seedCompany("us", "STARTER", "Rotation Co");
    await ingest(co.workspaceKey, 10);
    const before = await checkpointCovering(co.workspaceKey, 10);
    const keysBefore = (await stack.api(co.workspaceKey, "GET", "/v1/verification/keys")).body.keys;

    const fresh = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "der" }).toString("base64");
    await stack.restartRegion("us", { CHECKPOINT_SIGNING_KEY: fresh });
    await ingest(co.workspaceKey, 5);
    const after = await checkpointCovering(co.workspaceKey, 15);

    const keys = (await stack.api(co.workspaceKey, "GET", "/v1/verification/keys")).body.keys;
    expect(keys).toHaveLength(keysBefore.length + 1);
    const active = keys.filter((k: { validUntil: string | null }) => k.validUntil === null);
    expect(active).toHaveLength(1);
    const all = keys.map((k: { verifierKey: string }) => k.verifierKey);
    const origin = checkpointOrigin("us", co.workspaceId);
    expect(verifyCheckpoint(before.signedNote, all, { origin }).treeSize).toBe(10);
    expect(verifyCheckpoint(after.signedNote, [active[0].verifierKey], { origin }).treeSize).toBe(15);
    expect(() => verifyCheckpoint(after.signedNote, all.filter((k: string) => k !== active[0].verifierKey), { origin })).toThrow();
    expect((await stack.api(co.workspaceKey, "POST", "/v1/verify", {})).body).toMatchObject({ ok: true, checkpointsChecked: expect.any(Number) });
  });
});
