import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { freePort } from "./ports.ts";

/**
 * s3rver, an S3-protocol server, in a child process: it needs `--openssl-legacy-provider`
 * (paginated listings fail without it), which the test process must not run with.
 */
export async function startS3rver(): Promise<{ url: string; stop(): Promise<void> }> {
  const bin = createRequire(import.meta.url).resolve("s3rver/bin/s3rver.js");
  const dir = mkdtempSync(path.join(os.tmpdir(), "hyrelog-test-s3-"));
  const port = await freePort();
  const child = spawn(process.execPath, ["--openssl-legacy-provider", bin, "-d", dir, "-a", "127.0.0.1", "-p", String(port), "--silent"], { stdio: "ignore" });
  let exited = false;
  child.once("exit", () => (exited = true));
  for (let i = 0; i < 100 && !exited && !(await portOpen(port)); i++) await new Promise((r) => setTimeout(r, 100));
  if (exited || !(await portOpen(port))) throw new Error(`s3rver did not start on port ${port}`);
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        const done = () => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        };
        if (child.exitCode !== null) return done();
        child.once("exit", done);
        child.kill("SIGTERM");
      }),
  };
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: "127.0.0.1", port });
    s.setTimeout(500, () => (s.destroy(), resolve(false)));
    s.once("connect", () => (s.destroy(), resolve(true)));
    s.once("error", () => resolve(false));
  });
}
