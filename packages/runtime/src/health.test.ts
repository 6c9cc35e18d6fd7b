import { describe, expect, it } from "vitest";
import { createClient, createRouterTransport } from "@connectrpc/connect";
import { Health, HealthCheckResponse_ServingStatus as Status } from "@hyrelog/proto";
import { HealthRegistry } from "./health.ts";

describe("HealthRegistry (grpc.health.v1)", () => {
  it("reports readiness from its checks and liveness from the process alone", async () => {
    const health = new HealthRegistry();
    let dbUp = true;
    health.addCheck({ name: "database", check: async () => { if (!dbUp) throw new Error("connection refused"); } });
    health.addService("hyrelog.query.v1.QueryService");
    const client = createClient(Health, createRouterTransport((router) => health.register(router)));

    expect((await client.check({ service: "" })).status).toBe(Status.SERVING);
    expect((await client.check({ service: "hyrelog.query.v1.QueryService" })).status).toBe(Status.SERVING);
    dbUp = false;
    expect((await client.check({ service: "" })).status).toBe(Status.NOT_SERVING);
    expect((await health.status()).failures).toEqual({ database: "connection refused" });
    expect((await client.check({ service: "liveness" })).status).toBe(Status.SERVING);
    await expect(client.check({ service: "nope" })).rejects.toThrow(/unknown service/);

    health.markShuttingDown();
    expect((await client.check({ service: "liveness" })).status).toBe(Status.NOT_SERVING);
  });

  it("a check for some services only makes those (and the process as a whole) NOT_SERVING", async () => {
    const health = new HealthRegistry();
    let s3Up = true;
    health.addCheck({ name: "s3", check: async () => { if (!s3Up) throw new Error("S3 bucket hyrelog-us: HTTP 503"); }, services: ["hyrelog.export.v1.ExportService"] });
    health.addService("hyrelog.export.v1.ExportService");
    health.addService("hyrelog.keys.v1.KeysService");
    const client = createClient(Health, createRouterTransport((router) => health.register(router)));
    s3Up = false;
    expect((await client.check({ service: "hyrelog.export.v1.ExportService" })).status).toBe(Status.NOT_SERVING);
    expect((await client.check({ service: "" })).status).toBe(Status.NOT_SERVING);
    expect((await client.check({ service: "hyrelog.keys.v1.KeysService" })).status).toBe(Status.SERVING);
    expect((await health.status("hyrelog.export.v1.ExportService")).failures).toEqual({ s3: "S3 bucket hyrelog-us: HTTP 503" });
  });
});
