import { expect } from "vitest";
import type { ApiResponse } from "./stack.ts";

/** The gateway's one error shape: `{"error":{"code","message","details","traceId"}}` with this status and code. */
export function expectApiError(res: ApiResponse, status: number, code: string): void {
  expect(res.status, res.text).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  expect(Object.keys(res.body)).toEqual(["error"]);
  expect(Object.keys(res.body.error).sort()).toEqual(["code", "details", "message", "traceId"]);
  expect(res.body.error.code).toBe(code);
  expect(typeof res.body.error.message).toBe("string");
  expect(res.body.error.message.length).toBeGreaterThan(0);
  expect(res.body.error.traceId).toMatch(/^[0-9a-f]{32}$/);
}
