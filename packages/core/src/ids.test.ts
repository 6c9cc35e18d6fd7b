import { describe, expect, it } from "vitest";
import { derivedUuidv7, isUuid, uuidv7 } from "./ids.ts";

describe("derivedUuidv7", () => {
  it("is a UUIDv7 fixed by its time and name", () => {
    const t = Date.parse("2026-11-22T07:00:00.123Z");
    const id = derivedUuidv7(t, "CHECKPOINT_PUBLISHED:log:5");
    expect(isUuid(id)).toBe(true);
    expect(id[14]).toBe("7");
    expect("89ab").toContain(id[19]);
    expect(parseInt(id.replaceAll("-", "").slice(0, 12), 16)).toBe(t);
    expect(derivedUuidv7(t, "CHECKPOINT_PUBLISHED:log:5")).toBe(id);
    expect(derivedUuidv7(t, "CHECKPOINT_PUBLISHED:log:6")).not.toBe(id);
    expect(derivedUuidv7(t + 1, "CHECKPOINT_PUBLISHED:log:5")).not.toBe(id);
  });

  it("sorts with uuidv7 ids by time", () => {
    const before = uuidv7(1_000_000);
    expect(derivedUuidv7(2_000_000, "x") > before).toBe(true);
  });
});
