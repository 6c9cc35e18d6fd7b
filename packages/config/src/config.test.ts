import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, parseTargets } from "./index.ts";

const base = { DATABASE_URL: "postgres://x/y", API_KEY_SECRET: "k".repeat(32), INTERNAL_TOKEN: "t".repeat(16), WEBHOOK_SECRET_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64") };

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

  it("checks the checkpoint signing key is an Ed25519 PKCS#8 key", () => {
    expect(() => loadConfig({ ...base, CHECKPOINT_SIGNING_KEY: "A".repeat(64) })).toThrow(/CHECKPOINT_SIGNING_KEY/);
    const key = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "der" }).toString("base64");
    expect(loadConfig({ ...base, CHECKPOINT_SIGNING_KEY: key }).checkpoints.signingKey).toBe(key);
    const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ type: "pkcs8", format: "der" }).toString("base64");
    expect(() => loadConfig({ ...base, CHECKPOINT_SIGNING_KEY: rsa })).toThrow(/Ed25519/);
  });

  it("parses --target lists", () => {
    expect(parseTargets("all")).toEqual(["gateway", "keys", "ingest", "query", "webhook", "export"]);
    expect(parseTargets("gateway,ingest")).toEqual(["gateway", "ingest"]);
    expect(() => parseTargets("gateway,nope")).toThrow(/nope/);
  });
});
