import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmbeddedPostgres, startNatsServer, startS3rver, type Embedded } from "./infra.ts";
import { freePort } from "./ports.ts";

const STARTERS = { postgres: startEmbeddedPostgres, nats: startNatsServer, s3rver: startS3rver };

/**
 * One of the servers `pnpm dev` starts (embedded PostgreSQL, `nats-server -js`, s3rver), on a free
 * port with its data in a fresh temporary directory that is removed when it stops.
 */
export async function startTemporaryServer(kind: keyof typeof STARTERS): Promise<Embedded> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `hyrelog-test-${kind}-`));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    // The directory itself: embedded PostgreSQL (run as the `postgres` user under root) gets it handed over.
    const server = await STARTERS[kind](dir, await freePort());
    return { url: server.url, stop: async () => (await server.stop(), remove()) };
  } catch (err) {
    remove();
    throw err;
  }
}
