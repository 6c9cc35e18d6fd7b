/**
 * The public API (proto/hyrelog/api/v1) over gRPC, gRPC-Web and Connect, served on the REST port.
 * Each method authenticates the API key like a REST route (admit), then calls the region's
 * internal service with the key's principal. Public and internal messages share field numbers,
 * so a message crosses between them by re-reading its bytes (recast).
 */
import { randomUUID } from "node:crypto";
import { create, fromBinary, toBinary, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import { Code, ConnectError, createContextKey, type ConnectRouter, type HandlerContext, type Interceptor } from "@connectrpc/connect";
import {
  api,
  GetConsistencyProofRequestSchema,
  GetConsistencyProofResponseSchema,
  GetEventRequestSchema,
  GetEventResponseSchema,
  GetInclusionProofRequestSchema,
  GetInclusionProofResponseSchema,
  GetLatestCheckpointRequestSchema,
  GetLatestCheckpointResponseSchema,
  IngestEventsRequestSchema,
  IngestEventsResponseSchema,
  KeyScope,
  ListCheckpointsRequestSchema,
  ListCheckpointsResponseSchema,
  ListEventsRequestSchema,
  ListEventsResponseSchema,
  ListSigningKeysResponseSchema,
  ListTargetEventsRequestSchema,
  ListTargetEventsResponseSchema,
  RequestContextSchema,
  TailEventsRequestSchema,
  TailEventsResponseSchema,
  VerifyRangeRequestSchema,
  VerifyRangeResponseSchema,
  type Principal,
} from "@hyrelog/proto";
import type { RegionCode } from "@hyrelog/core";
import { continueTrace, type Logger } from "@hyrelog/runtime";
import type { Authenticated } from "./auth.ts";
import { toApiError, ApiError } from "./errors.ts";
import type { GatewayClients } from "./routes/shared.ts";

/** The services served publicly, for the router and for reflection. */
export const PUBLIC_SERVICES = [api.EventService, api.VerificationService] as const;

/** What the transport knows about the caller before authentication: its address. */
export const CLIENT_IP = createContextKey("", { description: "the caller's IP address" });

/** An authenticated call: the key's principal and region, and what to pass on to services. */
interface Caller extends Authenticated {
  context: { ip: string; userAgent: string; traceId: string; requestId: string };
  callHeaders: Record<string, string>;
}
const CALLER = createContextKey<Caller | undefined>(undefined, { description: "the authenticated API key" });

/**
 * Authenticates a call as the REST routes do (key, IP allowlist, rate limits); throws ApiError.
 * Returns the rate-limit headers to answer with.
 */
export type Admit = (authorization: string | undefined, ip: string) => Promise<{ caller: Authenticated; headers: Record<string, string> }>;

export function publicApi(opts: { clients: GatewayClients; admit: Admit; observe: (route: string, status: number, seconds: number) => void; log: Logger }) {
  const { clients } = opts;

  /** Outermost: tracing and metrics, authentication, then one error mapping for all handlers throw. */
  const authenticate: Interceptor = (next) => async (req) => {
    if (req.service.typeName.startsWith("grpc.reflection.")) return next(req);
    const route = `/${req.service.typeName}/${req.method.name}`;
    const started = performance.now();
    const trace = continueTrace(req.header.get("traceparent"), "RPC");
    let status = 200;
    try {
      const ip = req.contextValues.get(CLIENT_IP);
      const { caller, headers } = await opts.admit(req.header.get("authorization") ?? undefined, ip);
      const givenId = req.header.get("x-request-id") ?? "";
      const requestId = /^[\w.:-]{1,128}$/.test(givenId) ? givenId : randomUUID();
      req.contextValues.set(CALLER, {
        ...caller,
        context: { ip, userAgent: (req.header.get("user-agent") ?? "").slice(0, 512), traceId: trace.traceId, requestId },
        callHeaders: { traceparent: trace.traceparent, "x-request-id": requestId },
      });
      const res = await next(req);
      for (const [k, v] of Object.entries(headers)) res.header.set(k, v);
      // A stream's errors surface while it is read, after this returns: map them there too.
      return res.stream ? { ...res, message: publicErrors(res.message) } : res;
    } catch (err) {
      const e = toPublicError(err);
      status = toApiError(e).status;
      if (status >= 500) opts.log.error("rpc failed", { route, traceId: trace.traceId, err });
      throw e;
    } finally {
      opts.observe(route, status, (performance.now() - started) / 1000);
      trace.end(route, status);
    }
  };

  const caller = (ctx: HandlerContext): Caller => {
    const c = ctx.values.get(CALLER);
    if (!c) throw new ConnectError("not authenticated", Code.Unauthenticated);
    return c;
  };
  /** Internal request: the public one's fields plus the caller's principal. */
  const internal = <T extends DescMessage & { field: { principal?: unknown } }>(schema: T, from: DescMessage, msg: object, c: Caller) =>
    Object.assign(recast(schema, from, msg), { principal: c.principal }) as MessageShape<T> & { principal: Principal };
  const call = (c: Caller) => ({ headers: c.callHeaders });

  const routes = (router: ConnectRouter) => {
    router.service(api.EventService, {
      ingestEvents: async (req, ctx) => {
        const c = caller(ctx);
        if (c.principal.scope !== KeyScope.WORKSPACE) {
          throw new ConnectError("company keys cannot ingest events; use a workspace key (hlk_ws_...)", Code.PermissionDenied);
        }
        const body = Object.assign(internal(IngestEventsRequestSchema, api.IngestEventsRequestSchema, req, c), { context: create(RequestContextSchema, c.context) });
        const res = await clients.ingest(c.region).ingestEvents(body, call(c));
        return recast(api.IngestEventsResponseSchema, IngestEventsResponseSchema, res);
      },
      listEvents: async (req, ctx) => {
        const c = caller(ctx);
        const res = await clients.query(c.region).listEvents(internal(ListEventsRequestSchema, api.ListEventsRequestSchema, req, c), call(c));
        return recast(api.ListEventsResponseSchema, ListEventsResponseSchema, res);
      },
      getEvent: async (req, ctx) => {
        const c = caller(ctx);
        const res = await clients.query(c.region).getEvent(internal(GetEventRequestSchema, api.GetEventRequestSchema, req, c), call(c));
        return recast(api.GetEventResponseSchema, GetEventResponseSchema, res);
      },
      listTargetEvents: async (req, ctx) => {
        const c = caller(ctx);
        const res = await clients.query(c.region).listTargetEvents(internal(ListTargetEventsRequestSchema, api.ListTargetEventsRequestSchema, req, c), call(c));
        return recast(api.ListTargetEventsResponseSchema, ListTargetEventsResponseSchema, res);
      },
      // The SSE route's stream as RPC messages: the same per-key limit, ended (UNAVAILABLE) when
      // the gateway shuts down. HTTP/2 flow control holds a slow reader back; the query service
      // ends one that falls too far behind (RESOURCE_EXHAUSTED), and it resumes from its token.
      async *tailEvents(req, ctx) {
        const c = caller(ctx);
        const stream = clients.liveStreams.acquire(c.principal.keyId);
        try {
          const signal = AbortSignal.any([ctx.signal, stream.abort.signal]);
          const body = internal(TailEventsRequestSchema, api.TailEventsRequestSchema, req, c);
          for await (const res of clients.tail(c.region).tailEvents(body, { ...call(c), signal })) {
            yield recast(api.TailEventsResponseSchema, TailEventsResponseSchema, res);
          }
        } catch (err) {
          if (stream.abort.signal.aborted && !ctx.signal.aborted) throw new ConnectError("the gateway is shutting down; call again with your last resume token", Code.Unavailable);
          throw err;
        } finally {
          clients.liveStreams.finish(stream);
        }
      },
    });
    const verification = (region: RegionCode) => clients.verification(region);
    router.service(api.VerificationService, {
      getLatestCheckpoint: async (req, ctx) => {
        const c = caller(ctx);
        const res = await verification(c.region).getLatestCheckpoint(internal(GetLatestCheckpointRequestSchema, api.GetLatestCheckpointRequestSchema, req, c), call(c));
        return recast(api.GetLatestCheckpointResponseSchema, GetLatestCheckpointResponseSchema, res);
      },
      listCheckpoints: async (req, ctx) => {
        const c = caller(ctx);
        const res = await verification(c.region).listCheckpoints(internal(ListCheckpointsRequestSchema, api.ListCheckpointsRequestSchema, req, c), call(c));
        return recast(api.ListCheckpointsResponseSchema, ListCheckpointsResponseSchema, res);
      },
      listSigningKeys: async (_req, ctx) => {
        const c = caller(ctx);
        const res = await verification(c.region).listSigningKeys({}, call(c));
        return recast(api.ListSigningKeysResponseSchema, ListSigningKeysResponseSchema, res);
      },
      getInclusionProof: async (req, ctx) => {
        const c = caller(ctx);
        const res = await verification(c.region).getInclusionProof(internal(GetInclusionProofRequestSchema, api.GetInclusionProofRequestSchema, req, c), call(c));
        return recast(api.GetInclusionProofResponseSchema, GetInclusionProofResponseSchema, res);
      },
      getConsistencyProof: async (req, ctx) => {
        const c = caller(ctx);
        const res = await verification(c.region).getConsistencyProof(internal(GetConsistencyProofRequestSchema, api.GetConsistencyProofRequestSchema, req, c), call(c));
        return recast(api.GetConsistencyProofResponseSchema, GetConsistencyProofResponseSchema, res);
      },
      verifyRange: async (req, ctx) => {
        const c = caller(ctx);
        const res = await verification(c.region).verifyRange(internal(VerifyRangeRequestSchema, api.VerifyRangeRequestSchema, req, c), call(c));
        return recast(api.VerifyRangeResponseSchema, VerifyRangeResponseSchema, res);
      },
    });
  };

  return { routes, interceptors: [authenticate] };
}

async function* publicErrors<T>(messages: AsyncIterable<T>): AsyncIterable<T> {
  try {
    yield* messages;
  } catch (err) {
    throw toPublicError(err);
  }
}

/** The same message under another schema with the same field numbers (public ⇄ internal). */
function recast<T extends DescMessage>(to: T, from: DescMessage, msg: object): MessageShape<T> {
  return fromBinary(to, toBinary(from, msg as never));
}

/** REST-side errors (ApiError) and service errors to what a public RPC caller sees. */
function toPublicError(err: unknown): ConnectError {
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
