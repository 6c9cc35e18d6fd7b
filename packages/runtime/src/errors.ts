import { Code, ConnectError } from "@connectrpc/connect";
import { create } from "@bufbuild/protobuf";
import { BadRequestSchema, PlanLimitSchema, type PlanTier } from "@hyrelog/proto";
import type { Violation } from "@hyrelog/core";

/** INVALID_ARGUMENT carrying the offending fields (rendered by the gateway as details). */
export function invalidArgument(message: string, violations: Violation[]): ConnectError {
  return new ConnectError(message, Code.InvalidArgument, undefined, [
    { desc: BadRequestSchema, value: create(BadRequestSchema, { violations }) },
  ]);
}

/** ALREADY_EXISTS (HTTP 409) pointing at the fields that clash with stored data. */
export function conflict(message: string, violations: Violation[]): ConnectError {
  return new ConnectError(message, Code.AlreadyExists, undefined, [
    { desc: BadRequestSchema, value: create(BadRequestSchema, { violations }) },
  ]);
}

export function planLimitExceeded(message: string, plan: PlanTier, limit: string, value: string): ConnectError {
  return new ConnectError(message, Code.PermissionDenied, undefined, [
    { desc: PlanLimitSchema, value: create(PlanLimitSchema, { plan, limit, value }) },
  ]);
}

/**
 * Maps infrastructure failures to Connect codes in one place. ConnectErrors pass through;
 * anything unknown becomes INTERNAL without leaking its message.
 */
export function toConnectError(err: unknown): ConnectError {
  if (err instanceof ConnectError) return err;
  const e = err as { code?: string; name?: string; message?: string };
  const pgCode = typeof e?.code === "string" ? e.code : "";
  if (pgCode === "23505") return new ConnectError("the resource already exists", Code.AlreadyExists);
  if (pgCode === "40001" || pgCode === "40P01") return new ConnectError("conflicting write, retry", Code.Aborted);
  if (pgCode === "57P03" || pgCode === "53300" || pgCode === "ECONNREFUSED" || pgCode === "ECONNRESET") {
    return new ConnectError("a backing store is unavailable, retry later", Code.Unavailable);
  }
  if (e?.name === "TimeoutError") return new ConnectError("timed out", Code.DeadlineExceeded);
  return new ConnectError("internal error", Code.Internal, undefined, undefined, err);
}
