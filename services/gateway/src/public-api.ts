/**
 * The public API (proto/hyrelog/api/v1) over gRPC, gRPC-Web and Connect, served on the REST port.
 * Each method authenticates the API key like a REST route (admit), then calls the region's
 * internal service with the key's principal. Public and internal messages share field numbers,
 * so a message crosses between them by re-reading its bytes (recast).
 */
import { randomUUID } from "node:crypto";
import { create, fromBinary, toBinary, type DescMessage, type DescService, type MessageShape } from "@bufbuild/protobuf";
import { Code, ConnectError, createContextKey, type ConnectRouter, type HandlerContext, type Interceptor } from "@connectrpc/connect";
import {
  AnalyticsService,
  api,
  ArchivalService,
  DeciderSchema,
  ExportService,
  GdprService,
  IngestService,
  JobsService,
  KeysService,
  QueryService,
  RequestContextSchema,
  TailEventsRequestSchema,
  TailEventsResponseSchema,
  VerificationService,
  WebhookService,
} from "@hyrelog/proto";
import type { RegionCode } from "@hyrelog/core";
import { continueTrace, type Logger } from "@hyrelog/runtime";
import type { Authenticated } from "./auth.ts";
import { toApiError, toPublicError } from "./errors.ts";
import { deciderOf } from "./routes/gdpr.ts";
import type { GatewayClients } from "./routes/shared.ts";

/** The services served publicly, for the router and for reflection. */
export const PUBLIC_SERVICES = [
  api.EventService,
  api.VerificationService,
  api.ExportService,
  api.JobService,
  api.KeyService,
  api.WebhookService,
  api.GdprService,
  api.AnalyticsService,
  api.ArchiveService,
  api.RestoreService,
] as const;

/** Key and webhook changes count against the strict per-key limit, as on REST. */
const STRICT_SERVICES = new Set<string>([api.KeyService.typeName, api.WebhookService.typeName]);

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
export type Admit = (authorization: string | undefined, ip: string, strict: boolean) => Promise<{ caller: Authenticated; headers: Record<string, string> }>;

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
      const strict = STRICT_SERVICES.has(req.service.typeName) && !/^(Get|List)/.test(req.method.name);
      const { caller, headers } = await opts.admit(req.header.get("authorization") ?? undefined, ip, strict);
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
  const call = (c: Caller) => ({ headers: c.callHeaders });

  /**
   * Unary methods of a public service that call the internal method of the same name: the request
   * re-read under the internal schema, plus who is calling, then the answer re-read back.
   */
  const forward = (pub: DescService, internal: DescService, client: (region: RegionCode) => unknown, names = pub.methods.map((m) => m.localName)) => {
    const impl: Record<string, (req: object, ctx: HandlerContext) => Promise<unknown>> = {};
    for (const name of names) {
      const m = pub.method[name]!;
      const target = internal.method[name];
      if (!target || m.methodKind !== "unary") throw new Error(`${pub.typeName}/${m.name} has no unary counterpart in ${internal.typeName}`);
      impl[name] = async (req, ctx) => {
        const c = caller(ctx);
        const body = withCaller(target.input, recast(target.input, m.input, req), c);
        const send = (client(c.region) as Record<string, (req: object, options: object) => Promise<object>>)[name]!;
        return recast(m.output, target.output, await send(body, call(c)));
      };
    }
    return impl;
  };

  const routes = (router: ConnectRouter) => {
    router.service(api.EventService, {
      ...forward(api.EventService, QueryService, clients.query, ["listEvents", "getEvent", "listTargetEvents"]),
      ...forward(api.EventService, IngestService, clients.ingest, ["ingestEvents"]),
      // The SSE route's stream as RPC messages: the same per-key limit, ended (UNAVAILABLE) when
      // the gateway shuts down. HTTP/2 flow control holds a slow reader back; the query service
      // ends one that falls too far behind (RESOURCE_EXHAUSTED), and it resumes from its token.
      async *tailEvents(req, ctx) {
        const c = caller(ctx);
        const stream = clients.liveStreams.acquire(c.principal.keyId);
        try {
          const signal = AbortSignal.any([ctx.signal, stream.abort.signal]);
          const body = withCaller(TailEventsRequestSchema, recast(TailEventsRequestSchema, api.TailEventsRequestSchema, req), c);
          body.asJson = false; // the public RPC sends one AuditEvent per response (as_json is the SSE route's form)
          for await (const res of clients.tail(c.region).tailEvents(body, { ...call(c), signal })) {
            yield recast(api.TailEventsResponseSchema, TailEventsResponseSchema, res);
          }
        } catch (err) {
          if (stream.abort.signal.aborted && !ctx.signal.aborted) {
            throw new ConnectError("the gateway ended this stream (it is shutting down, or the key was revoked or rotated); call again with your last resume token", Code.Unavailable);
          }
          throw err;
        } finally {
          clients.liveStreams.finish(stream);
        }
      },
    });
    router.service(api.VerificationService, forward(api.VerificationService, VerificationService, clients.verification));
    router.service(api.ExportService, forward(api.ExportService, ExportService, clients.export));
    router.service(api.JobService, forward(api.JobService, JobsService, clients.jobs));
    router.service(api.KeyService, forward(api.KeyService, KeysService, clients.keys));
    router.service(api.WebhookService, forward(api.WebhookService, WebhookService, clients.webhook));
    router.service(api.GdprService, forward(api.GdprService, GdprService, clients.gdpr));
    // The handlers of GET /v1/analytics/events, GET /v1/archives(/:id) and /v1/restore-requests: same rules, same answers.
    router.service(api.AnalyticsService, forward(api.AnalyticsService, AnalyticsService, clients.analytics));
    router.service(api.ArchiveService, forward(api.ArchiveService, ArchivalService, clients.archival));
    router.service(api.RestoreService, forward(api.RestoreService, ArchivalService, clients.archival));
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

/**
 * An internal request with who is calling, in the fields its schema has for it: the key's
 * principal (`principal` or `caller`), who asks or decides (GDPR's `requester`, `decider`; a
 * restore's `requested_by` and `actor`), its address (`client_ip`), the request context.
 */
function withCaller<T extends object>(schema: DescMessage, msg: T, c: Caller): T {
  const fields = schema.field as Record<string, unknown>;
  const m = msg as Record<string, unknown>;
  if (fields.principal) m.principal = c.principal;
  if (fields.caller) m.caller = c.principal;
  if (fields.requester) m.requester = create(DeciderSchema, deciderOf(c.principal));
  if (fields.decider) m.decider = create(DeciderSchema, deciderOf(c.principal));
  if (fields.requestedBy) m.requestedBy = deciderOf(c.principal).id;
  if (fields.actor) m.actor = deciderOf(c.principal).id;
  if (fields.clientIp) m.clientIp = c.context.ip;
  if (fields.context) m.context = create(RequestContextSchema, c.context);
  return msg;
}

/**
 * The same message under another schema with the same field numbers (public ⇄ internal). Only the
 * fields both schemas have cross: a caller cannot set an internal-only field (RevokeKey's dashboard
 * user, GDPR's all_companies) by sending its number, which the public schema keeps as an unknown
 * field, and an internal-only field of an answer (an archive's object key) never reaches the caller.
 */
function recast<T extends DescMessage>(to: T, from: DescMessage, msg: object): MessageShape<T> {
  return fromBinary(to, toBinary(from, msg as never, { writeUnknownFields: false }), { readUnknownFields: false });
}
