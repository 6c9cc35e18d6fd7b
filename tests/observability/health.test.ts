/**
 * gRPC health covers each service's dependencies: PostgreSQL and NATS for every service, and the
 * region's S3 bucket (HeadBucket) for the export service. With S3 down, the export service (and
 * the process as a whole) is NOT_SERVING while the other services of the same process still
 * serve; the gateway's /internal/health says which. Real s3rver, stopped mid-test.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startTemporaryServer, TestStack } from "@hyrelog/testing";

const PROTO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../proto");
const INTERNAL_TOKEN = "observability-health-internal-token";

let stack: TestStack;
let s3: { url: string; stop(): Promise<void> } | null = null;
let health: grpc.Client & { check(req: { service: string }, cb: (err: grpc.ServiceError | null, res: { status: string }) => void): void };

beforeAll(async () => {
  s3 = await startTemporaryServer("s3rver");
  stack = await TestStack.start({ infra: { ...inject("infra"), s3Url: s3.url }, regions: ["us"], env: { INTERNAL_TOKEN } });
  const def = protoLoader.loadSync(path.join(PROTO_ROOT, "grpc/health/v1/health.proto"), { enums: String, defaults: true, includeDirs: [PROTO_ROOT] });
  const Health = (grpc.loadPackageDefinition(def) as any).grpc.health.v1.Health as grpc.ServiceClientConstructor;
  health = new Health(`127.0.0.1:${stack.regions.us!.servicePort}`, grpc.credentials.createInsecure()) as unknown as typeof health;
});
afterAll(async () => {
  health?.close();
  await stack?.stop();
  await s3?.stop();
});

const status = (service: string) =>
  new Promise<string>((resolve, reject) => health.check({ service }, (err, res) => (err ? reject(err) : resolve(res.status))));

describe("gRPC health per service and dependency", () => {
  it("S3 down: the export and gdpr services are NOT_SERVING, the others of the process still serve", async () => {
    for (const service of ["", "hyrelog.export.v1.ExportService", "hyrelog.jobs.v1.JobsService", "hyrelog.keys.v1.KeysService"]) {
      expect(await status(service), service || "(process)").toBe("SERVING");
    }
    const before = await stack.api(null, "GET", "/internal/health", undefined, { "x-internal-token": INTERNAL_TOKEN });
    expect(before.status, before.text).toBe(200);

    await s3!.stop();
    s3 = null;

    expect(await status("hyrelog.export.v1.ExportService")).toBe("NOT_SERVING");
    expect(await status("hyrelog.jobs.v1.JobsService")).toBe("NOT_SERVING");
    // Its files (subject access, company export) live in the same bucket.
    expect(await status("hyrelog.gdpr.v1.GdprService")).toBe("NOT_SERVING");
    // Archives live there too.
    expect(await status("hyrelog.archival.v1.ArchivalService")).toBe("NOT_SERVING");
    expect(await status("")).toBe("NOT_SERVING");
    for (const service of ["hyrelog.keys.v1.KeysService", "hyrelog.ingest.v1.IngestService", "hyrelog.query.v1.QueryService", "hyrelog.webhook.v1.WebhookService"]) {
      expect(await status(service), service).toBe("SERVING");
    }
    // Liveness is the process alone: a dependency outage must not restart pods.
    expect(await status("liveness")).toBe("SERVING");

    const after = await stack.api(null, "GET", "/internal/health", undefined, { "x-internal-token": INTERNAL_TOKEN });
    expect(after.status, after.text).toBe(503);
    expect(after.body.status).toBe("degraded");
    expect(after.body.regions.us).toEqual({ keys: "serving", ingest: "serving", query: "serving", webhook: "serving", export: "not_serving", gdpr: "not_serving", archival: "not_serving", dashboard: "serving" });
  });
});
