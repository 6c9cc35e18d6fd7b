import type { TestProject } from "vitest/node";
import { portOpen, startTemporaryServer, type Embedded } from "@hyrelog/local-infra";

/**
 * Finds the infrastructure the tests run against: PostgreSQL and NATS JetStream on this machine
 * (or where HYRELOG_TEST_POSTGRES_URL / HYRELOG_TEST_NATS_URL point), else starts private ones:
 * an embedded PostgreSQL from npm, and `nats-server -js` when the binary is installed.
 */
export default async function setup(project: TestProject) {
  const stops: Array<() => Promise<void>> = [];
  const postgresUrl = process.env.HYRELOG_TEST_POSTGRES_URL ?? (await findOrStartPostgres(stops));
  const natsUrl = process.env.HYRELOG_TEST_NATS_URL ?? (await findOrStartNats(stops));
  // One S3-protocol server for the run; every stack makes buckets of its own in it.
  const s3Url = process.env.HYRELOG_TEST_S3_URL ?? started(stops, await startTemporaryServer("s3rver"));
  project.provide("infra", { postgresUrl, natsUrl, s3Url });
  return async () => {
    for (const stop of stops.reverse()) await stop();
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    infra: { postgresUrl: string; natsUrl: string; s3Url?: string };
  }
}

async function findOrStartPostgres(stops: Array<() => Promise<void>>): Promise<string> {
  if (await portOpen("127.0.0.1", 5432)) return "postgres://postgres@127.0.0.1:5432";
  return started(stops, await startTemporaryServer("postgres"));
}

async function findOrStartNats(stops: Array<() => Promise<void>>): Promise<string> {
  if (await portOpen("127.0.0.1", 4222)) return "nats://127.0.0.1:4222";
  const nats = await startTemporaryServer("nats").catch((err: Error) => {
    throw new Error(`The tests need NATS with JetStream, and none listens on 127.0.0.1:4222.\n${err.message}\nOr set HYRELOG_TEST_NATS_URL.`);
  });
  return started(stops, nats);
}

function started(stops: Array<() => Promise<void>>, server: Embedded): string {
  stops.push(server.stop);
  return server.url;
}
