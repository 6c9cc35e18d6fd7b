import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { TestStack } from "@hyrelog/testing";

let stack: TestStack;
let dir: string;
beforeAll(async () => {
  stack = await TestStack.start({ infra: inject("infra"), regions: ["eu"], env: { CHECKPOINT_INTERVAL_MS: "300" } });
  dir = mkdtempSync(path.join(os.tmpdir(), "hyrelog-verify-"));
});
afterAll(async () => {
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Saves every GET /v1/events page of the workspace, one JSON page per line, as a user would. */
async function exportPages(key: string, file: string): Promise<void> {
  const lines: string[] = [];
  let cursor = "";
  do {
    const page = await stack.api(key, "GET", `/v1/events?limit=200${cursor ? `&cursor=${cursor}` : ""}`);
    expect(page.status).toBe(200);
    lines.push(page.text);
    cursor = page.body.nextCursor ?? "";
  } while (cursor);
  writeFileSync(file, lines.join("\n") + "\n");
}

const verify = (...args: string[]) =>
  spawnSync(process.execPath, ["apps/cli/src/main.ts", "verify", ...args], { cwd: process.cwd(), encoding: "utf8" });

describe("hyrelog verify on what the API serves", () => {
  it("verifies saved pages against the served checkpoint and key, and catches tampering", async () => {
    const co = stack.companies.eu!;
    for (let i = 0; i < 3; i++) {
      const res = await stack.api(co.workspaceKey, "POST", "/v1/events", {
        events: Array.from({ length: 200 }, (_, j) => ({ category: "doc", action: "doc.viewed", actor: { id: `u${j}`, email: `u${j}@example.eu` }, metadata: { n: i * 200 + j, "ü": "€" } })),
      });
      expect(res.status).toBe(201);
    }
    let cp;
    for (let i = 0; i < 100; i++) {
      cp = await stack.api(co.workspaceKey, "GET", "/v1/checkpoints/latest");
      if (cp.status === 200 && cp.body.treeSize === 600) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(cp!.body.treeSize).toBe(600);
    const events = path.join(dir, "events.jsonl");
    const checkpoint = path.join(dir, "checkpoint.txt");
    const keys = path.join(dir, "keys.json");
    await exportPages(co.workspaceKey, events);
    writeFileSync(checkpoint, cp!.body.signedNote);
    writeFileSync(keys, (await stack.api(co.workspaceKey, "GET", "/v1/verification/keys")).text);

    const ok = verify("--events", events, "--checkpoint", checkpoint, "--keys", keys, "--region", "eu");
    expect(ok.status, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/VERIFIED: 600 events/);

    // The wrong region's origin is refused.
    expect(verify("--events", events, "--checkpoint", checkpoint, "--keys", keys, "--region", "us").status).toBe(1);

    const em = stack.regions.eu!.orm.em.fork();
    await em.execute("alter table audit_events disable trigger audit_events_append_only");
    try {
      await em.execute(`update audit_events set action = 'user.promoted' where log_id = ? and sequence = 123`, [co.workspaceId]);
    } finally {
      await em.execute("alter table audit_events enable trigger audit_events_append_only");
    }
    await exportPages(co.workspaceKey, events);
    const bad = verify("--events", events, "--checkpoint", checkpoint, "--keys", keys, "--region", "eu");
    expect(bad.status, bad.stdout + bad.stderr).toBe(1);
    expect(bad.stdout).toMatch(/FAILED/);
    expect(bad.stdout).toMatch(/123/);
  });
});
