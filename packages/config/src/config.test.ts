import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, parseTargets } from "./index.ts";

const base = { DATABASE_URL: "postgres://x/y", API_KEY_SECRET: "k".repeat(32), INTERNAL_TOKEN: "t".repeat(16), WEBHOOK_SECRET_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"), PERSONAL_DATA_MASTER_KEY: Buffer.alloc(32, 9).toString("base64") };

describe("loadConfig", () => {
  it("applies defaults and derives this region's endpoint", () => {
    const c = loadConfig({ ...base, REGION: "eu", SERVICE_PORT: "7100" });
    expect(c.region).toBe("eu");
    expect(c.regionEndpoints.eu).toBe("http://127.0.0.1:7100");
    expect(c.rateLimits).toEqual({ perKeyPerMinute: 1200, perIpPerMinute: 600, keyManagementPerMinute: 10 });
  });

  it("reports every problem at once", () => {
    try {
      loadConfig({ REGION: "mars", SERVICE_PORT: "x", API_KEY_SECRET: "short", REGION_ENDPOINTS: "us=ftp://a" });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const problems = (err as ConfigError).problems.join("\n");
      for (const name of ["REGION", "SERVICE_PORT", "API_KEY_SECRET", "REGION_ENDPOINTS", "DATABASE_URL", "INTERNAL_TOKEN"]) {
        expect(problems).toContain(name);
      }
    }
  });

  it("asks only for what the targets need", () => {
    expect(() => loadConfig({ INTERNAL_TOKEN: "t".repeat(16) }, ["gateway"])).not.toThrow();
    expect(() => loadConfig({}, ["query"])).toThrow(/DATABASE_URL/);
  });

  it("metrics port: off by default, 0 for any free port, validated", () => {
    expect(loadConfig(base).metrics).toEqual({ port: null, host: "127.0.0.1" });
    expect(loadConfig({ ...base, METRICS_PORT: "9464", SERVICE_HOST: "0.0.0.0" }).metrics).toEqual({ port: 9464, host: "0.0.0.0" });
    expect(loadConfig({ ...base, METRICS_PORT: "0", METRICS_HOST: "127.0.0.2" }).metrics).toEqual({ port: 0, host: "127.0.0.2" });
    for (const bad of ["x", "-1", "70000"]) expect(() => loadConfig({ ...base, METRICS_PORT: bad })).toThrow(/METRICS_PORT/);
  });

  it("tracing: propagation only by default; an OTLP endpoint, headers and sample ratio when set, validated", () => {
    expect(loadConfig(base).tracing).toEqual({ tracesEndpoint: null, headers: {}, sampleRatio: 1 });
    const c = loadConfig({ ...base, OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318/", OTEL_EXPORTER_OTLP_HEADERS: "x-api-key=abc%3D, tenant=hyrelog", OTEL_TRACES_SAMPLER_ARG: "0.25" });
    expect(c.tracing).toEqual({ tracesEndpoint: "http://collector:4318/v1/traces", headers: { "x-api-key": "abc=", tenant: "hyrelog" }, sampleRatio: 0.25 });
    expect(loadConfig({ ...base, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "https://otel.example/traces" }).tracing.tracesEndpoint).toBe("https://otel.example/traces");
    try {
      loadConfig({ ...base, OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4318", OTEL_EXPORTER_OTLP_HEADERS: "=s3cret-value", OTEL_TRACES_SAMPLER_ARG: "2" });
      expect.unreachable();
    } catch (err) {
      const problems = (err as ConfigError).problems.join("\n");
      for (const name of ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_HEADERS", "OTEL_TRACES_SAMPLER_ARG"]) expect(problems).toContain(name);
      // A header value may be a credential: never echoed.
      expect(problems).not.toContain("s3cret-value");
    }
  });

  it("dashboard service tokens: none by default, comma-separated for rotation, each at least 32 characters, never echoed", () => {
    expect(loadConfig(base).dashboardServiceTokens).toEqual([]);
    const [a, b] = ["a".repeat(32), "b".repeat(40)];
    expect(loadConfig({ ...base, DASHBOARD_SERVICE_TOKEN: ` ${a} , ${b},` }).dashboardServiceTokens).toEqual([a, b]);
    try {
      loadConfig({ ...base, DASHBOARD_SERVICE_TOKEN: `${a},short-s3cret` });
      expect.unreachable();
    } catch (err) {
      const problems = (err as ConfigError).problems.join("\n");
      expect(problems).toContain("DASHBOARD_SERVICE_TOKEN entries must be at least 32 characters (entry 2 is shorter)");
      expect(problems).not.toContain("short-s3cret");
    }
  });

  it("checks the checkpoint signing key is an Ed25519 PKCS#8 key", () => {
    expect(() => loadConfig({ ...base, CHECKPOINT_SIGNING_KEY: "A".repeat(64) })).toThrow(/CHECKPOINT_SIGNING_KEY/);
    const key = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "der" }).toString("base64");
    expect(loadConfig({ ...base, CHECKPOINT_SIGNING_KEY: key }).checkpoints.signingKey).toBe(key);
    const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ type: "pkcs8", format: "der" }).toString("base64");
    expect(() => loadConfig({ ...base, CHECKPOINT_SIGNING_KEY: rsa })).toThrow(/Ed25519/);
  });

  it("parses --target lists", () => {
    expect(parseTargets("all")).toEqual(["keys", "ingest", "query", "webhook", "export", "gdpr", "archival", "dashboard", "gateway"]);
    expect(parseTargets("gateway,ingest")).toEqual(["gateway", "ingest"]);
    expect(() => parseTargets("gateway,nope")).toThrow(/nope/);
  });
});
