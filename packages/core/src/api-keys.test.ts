import { describe, expect, it } from "vitest";
import { apiKeyPrefix, constantTimeEqual, generateApiKey, hashApiKey, parseApiKey } from "./api-keys.ts";
import { uuidv7 } from "./ids.ts";

describe("API keys", () => {
  it("carry scope and region, 32 random bytes, and parse back", () => {
    const key = generateApiKey("ws", "eu");
    expect(key).toMatch(/^hlk_ws_eu_[A-Za-z0-9_-]{43}$/);
    expect(parseApiKey(key)).toEqual({ kind: "ws", region: "eu" });
    expect(generateApiKey("ws", "eu")).not.toBe(key);
    expect(apiKeyPrefix(key)).toBe(key.slice(0, 16));
  });

  it("rejects malformed keys", () => {
    for (const bad of ["", "hlk_ws_eu_short", "hlk_xx_eu_" + "a".repeat(43), "hlk_ws_zz_" + "a".repeat(43), "Bearer hlk_ws_eu_" + "a".repeat(43)]) {
      expect(parseApiKey(bad)).toBeNull();
    }
  });

  it("are stored as HMAC-SHA256 under the server secret", () => {
    const key = generateApiKey("co", "us");
    const h = hashApiKey(key, "s".repeat(32));
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(h).not.toContain(key);
    expect(hashApiKey(key, "t".repeat(32))).not.toBe(h);
  });

  it("compares secrets in constant time and correctly", () => {
    expect(constantTimeEqual("abc", "abc")).toBe(true);
    expect(constantTimeEqual("abc", "abd")).toBe(false);
    expect(constantTimeEqual("abc", "abcd")).toBe(false);
  });
});

describe("uuidv7", () => {
  it("is time-ordered, version 7, and strictly increasing within a millisecond", () => {
    const ids = Array.from({ length: 5000 }, () => uuidv7(1_800_000_000_000));
    expect(ids.every((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id))).toBe(true);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    expect(uuidv7(1_900_000_000_000) > ids.at(-1)!).toBe(true);
  });
});
