import { Code, ConnectError } from "@connectrpc/connect";
import { BadRequestSchema, PlanLimitSchema, PlanTier, RestoreRequiredSchema } from "@hyrelog/proto";

/** An error the gateway answers with directly, in the one error shape. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  readonly headers: Record<string, string>;
  constructor(status: number, code: string, message: string, details?: unknown, headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
    this.headers = headers;
  }
}

/** The one mapping from Connect codes to HTTP statuses and error codes. */
const CODE_MAP: Record<Code, [number, string]> = {
  [Code.Canceled]: [499, "cancelled"],
  [Code.Unknown]: [500, "internal"],
  [Code.InvalidArgument]: [400, "invalid_argument"],
  [Code.DeadlineExceeded]: [504, "timeout"],
  [Code.NotFound]: [404, "not_found"],
  [Code.AlreadyExists]: [409, "already_exists"],
  [Code.PermissionDenied]: [403, "forbidden"],
  [Code.ResourceExhausted]: [429, "rate_limited"],
  [Code.FailedPrecondition]: [409, "failed_precondition"],
  [Code.Aborted]: [409, "conflict"],
  [Code.OutOfRange]: [400, "invalid_argument"],
  [Code.Unimplemented]: [501, "not_implemented"],
  [Code.Internal]: [500, "internal"],
  [Code.Unavailable]: [503, "unavailable"],
  [Code.DataLoss]: [500, "internal"],
  [Code.Unauthenticated]: [401, "unauthenticated"],
};

/**
 * Any error → ApiError. Service errors keep their message and structured details; anything
 * else is an internal error whose message is not shown.
 */
export function toApiError(err: unknown, rewriteField: (f: string) => string = (f) => f): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof ConnectError) {
    const [status, code] = CODE_MAP[err.code] ?? [500, "internal"];
    if (status >= 500 && err.code !== Code.Unavailable && err.code !== Code.DeadlineExceeded) {
      return new ApiError(status, code, "internal error");
    }
    const badRequest = err.findDetails(BadRequestSchema)[0];
    if (badRequest) {
      const violations = badRequest.violations.map((v) => ({ field: rewriteField(v.field), description: v.description }));
      return new ApiError(status, code, err.rawMessage, { violations });
    }
    const planLimit = err.findDetails(PlanLimitSchema)[0];
    if (planLimit) {
      return new ApiError(status, "plan_limit", err.rawMessage, {
        plan: PlanTier[planLimit.plan],
        limit: planLimit.limit,
        value: planLimit.value,
      });
    }
    const restoreRequired = err.findDetails(RestoreRequiredSchema)[0];
    if (restoreRequired) return new ApiError(status, "restore_required", err.rawMessage, { archiveIds: restoreRequired.archiveIds });
    return new ApiError(status, code, err.rawMessage);
  }
  return new ApiError(500, "internal", "internal error");
}

/** REST-side errors (ApiError) and service errors to what a public RPC caller sees. */
export function toPublicError(err: unknown): ConnectError {
  if (err instanceof ConnectError) {
    // An internal failure's message stays inside (as on the REST side).
    const internalFailure = [Code.Internal, Code.Unknown, Code.DataLoss].includes(err.code);
    // Rebuilt so the internal call's response headers do not travel on.
    if (internalFailure) return new ConnectError("internal error", Code.Internal);
    const copy = new ConnectError(err.rawMessage, err.code);
    copy.details.push(...err.details);
    return copy;
  }
  const e = err instanceof ApiError ? err : toApiError(err);
  return new ConnectError(e.message, STATUS_CODES[e.status] ?? Code.Internal, new Headers(e.headers));
}

const STATUS_CODES: Record<number, Code> = {
  400: Code.InvalidArgument,
  401: Code.Unauthenticated,
  403: Code.PermissionDenied,
  404: Code.NotFound,
  409: Code.FailedPrecondition,
  413: Code.ResourceExhausted,
  429: Code.ResourceExhausted,
  499: Code.Canceled,
  501: Code.Unimplemented,
  503: Code.Unavailable,
  504: Code.DeadlineExceeded,
};
