import { describe, expect, it } from "vitest";
import { checkpointOrigin } from "./origin.ts";

const WORKSPACE = "01a20193-3a90-7001-8d5d-bbd0889f61ef";

describe("checkpointOrigin", () => {
  it("names a region's log by its lowercase UUID, and refuses anything else", () => {
    expect(checkpointOrigin("us", WORKSPACE)).toBe(`hyrelog.us/${WORKSPACE}`);
    expect(() => checkpointOrigin("xx" as never, WORKSPACE)).toThrow(TypeError);
    expect(() => checkpointOrigin("eu", WORKSPACE.toUpperCase())).toThrow(TypeError);
    expect(() => checkpointOrigin("eu", "ws_1")).toThrow(TypeError);
  });
});
