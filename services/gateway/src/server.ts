import http, { type IncomingMessage, type ServerResponse } from "node:http";
import http2, { type Http2ServerRequest } from "node:http2";
import type { AddressInfo } from "node:net";
import { createContextValues } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { randomUUID } from "node:crypto";
import { pipeline } from "node:stream/promises";
import { DashboardService, IngestService, KeysService, QueryService, VerificationService, WebhookService, Health, HealthCheckResponse_ServingStatus } from "@hyrelog/proto";
import { AnalyticsService, ArchivalService, ExportService, GdprService, JobsService, TailService } from "@hyrelog/proto";
import { keyInvalidationSubject } from "@hyrelog/bus";
import { REGION_TARGETS, SERVICES } from "@hyrelog/config";
import { allowlistIncludes, constantTimeEqual, type RegionCode } from "@hyrelog/core";
import { continueTrace, type ServiceDeps, type ServiceModule } from "@hyrelog/runtime";
import { Authenticator, type Authenticated } from "./auth.ts";
import { DashboardAuth, type DashboardCaller } from "./dashboard-auth.ts";
import { CompanyDirectory } from "./directory.ts";
import { jsonResponse, mediaResponse, named, object, REGIONS, str, type Json } from "./api-schema.ts";
import { bodyReader, queryReader, type BodyReader, type QueryReader } from "./request-validation.ts";
import { ApiError, toApiError } from "./errors.ts";
import { MAX_BODY_BYTES, refuseUnknownQuery, Router, sendJson, sendText } from "./http.ts";
import { LiveStreams } from "./live-streams.ts";
import { Metrics } from "./metrics.ts";
import { openApiDocument, type DocumentedRoute } from "./openapi.ts";
import { CLIENT_IP, PUBLIC_SERVICES, publicApi } from "./public-api.ts";
import { reflectionRoutes } from "./reflection.ts";
import { SharedPort } from "./shared-port.ts";
import { RateLimiter, rateLimitHeaders, type RateDecision } from "./rate-limit.ts";
import { analyticsRoutes } from "./routes/analytics.ts";
import { dashboardRoutes } from "./routes/dashboard.ts";
import { eventStreamRoutes } from "./routes/event-stream.ts";
import { eventRoutes } from "./routes/events.ts";
import { exportRoutes } from "./routes/exports.ts";
import { gdprRoutes } from "./routes/gdpr.ts";
import { archiveRoutes } from "./routes/archives.ts";
import { restoreRoutes } from "./routes/restores.ts";
import { jobRoutes } from "./routes/jobs.ts";
import { keyRoutes } from "./routes/keys.ts";
import { queryNames, type DashboardRoute, type GatewayClients, type Handler, type Operation, type Reply, type Route, type RouteTable } from "./routes/shared.ts";
import { verificationRoutes } from "./routes/verification.ts";
import { webhookRoutes } from "./routes/webhooks.ts";

const VERSION = "0.1.0";

/** The API, one route table per resource (routes/), registered in one loop by build(); GET /v1/events/stream before /v1/events/:id. */
const ROUTE_TABLES: RouteTable[] = [verificationRoutes, eventStreamRoutes, eventRoutes, keyRoutes, webhookRoutes, exportRoutes, jobRoutes, gdprRoutes, archiveRoutes, restoreRoutes, analyticsRoutes, dashboardRoutes];

export interface Gateway extends ServiceModule {
  /** The port it listens on (after start). */
  port(): number;
}

export async function build(deps: ServiceDeps): Promise<Gateway> {
  const { config, logger } = deps;
  const log = logger.child({ service: "gateway" });
  const endpoint = (region: RegionCode) => {
    const url = config.regionEndpoints[region];
    if (!url) throw new ApiError(503, "unavailable", `region ${region} is not served by this gateway`);
    return url;
  };
  const liveStreams = new LiveStreams(config.tail);
  const clients: GatewayClients = {
    keys: (r) => deps.clients.client(KeysService, "keys", endpoint(r)),
    ingest: (r) => deps.clients.client(IngestService, "ingest", endpoint(r)),
    query: (r) => deps.clients.client(QueryService, "query", endpoint(r)),
    // Both hosted by the query target.
    verification: (r) => deps.clients.client(VerificationService, "query", endpoint(r)),
    analytics: (r) => deps.clients.client(AnalyticsService, "query", endpoint(r)),
    // Both hosted by the export target.
    export: (r) => deps.clients.client(ExportService, "export", endpoint(r)),
    jobs: (r) => deps.clients.client(JobsService, "export", endpoint(r)),
    webhook: (r) => deps.clients.client(WebhookService, "webhook", endpoint(r)),
    dashboard: (r) => deps.clients.client(DashboardService, "dashboard", endpoint(r)),
    gdpr: (r) => deps.clients.client(GdprService, "gdpr", endpoint(r)),
    archival: (r) => deps.clients.client(ArchivalService, "archival", endpoint(r)),
    // Live tail, hosted by the query target.
    tail: (r) => deps.clients.client(TailService, "query", endpoint(r)),
    liveStreams,
  };
  const auth = new Authenticator(config.keyCacheTtlMs, clients.keys);
  const regions = Object.keys(config.regionEndpoints) as RegionCode[];
  const directory = new CompanyDirectory(regions, async (region, companyId) => (await clients.dashboard(region).locateCompany({ companyId }, { timeoutMs: 5000 })).found);
  const dashboardAuth = new DashboardAuth(config.dashboardServiceTokens, directory);
  const limiter = new RateLimiter();
  const metrics = new Metrics(deps.metrics);

  /**
   * A route: an API route (authenticated by key), a dashboard route (the dashboard token and the
   * signed-in person), or a public or internal one; `query`: the parameters it takes (none when
   * absent); `values` and `body`: read and validate the query values and the JSON body its
   * operation declares.
   */
  type Entry = { query?: readonly string[] } & (
    | { kind: "api"; handler: Handler; strict: boolean; values: QueryReader; body?: BodyReader }
    | { kind: "dashboard"; route: DashboardRoute }
    | { kind: "public" | "internal"; handler: (req: IncomingMessage) => Promise<{ status: number; body: unknown; text?: string }> }
  );
  /** The gateway's own routes, next to the document's description of each. */
  type OwnRoute = { method: string; pattern: string; kind: "public" | "internal"; doc: Operation; handler: (req: IncomingMessage) => Promise<{ status: number; body: unknown; text?: string }> };
  const router = new Router<Entry>();
  const apiRoutes = ROUTE_TABLES.flatMap((table) => table(clients));
  const documented: DocumentedRoute[] = [];
  for (const r of apiRoutes) router.add(r.method, r.pattern, "roles" in r ? { kind: "dashboard", query: r.query, route: r } : apiEntry(r, documented));
  const ownRoutes: OwnRoute[] = [
    {
      method: "GET",
      pattern: "/",
      kind: "public",
      doc: { tag: "Service", operationId: "getServiceInfo", summary: "Service information", responses: { "200": jsonResponse("Name, version, regions served.", SERVICE_INFO) } },
      handler: async () => ({ status: 200, body: { name: "HyreLog", version: VERSION, regions: Object.keys(config.regionEndpoints), docs: "/openapi.json" } }),
    },
    {
      method: "GET",
      pattern: "/openapi.json",
      kind: "public",
      doc: { tag: "Service", operationId: "getOpenApiDocument", summary: "This OpenAPI document", responses: { "200": jsonResponse("The OpenAPI 3.1 document.", OPENAPI_DOCUMENT) } },
      handler: async () => ({ status: 200, body: document }),
    },
    {
      method: "GET",
      pattern: "/internal/health",
      kind: "internal",
      doc: {
        tag: "Internal",
        operationId: "getHealth",
        summary: "Readiness of the gateway and every region's services",
        responses: {
          "200": jsonResponse("Everything is serving.", HEALTH),
          "503": jsonResponse("Something is not serving (same body, status `degraded`).", HEALTH),
        },
      },
      handler: async () => {
        const regions: Record<string, Record<string, string>> = {};
        let ok = true;
        await Promise.all(
          (Object.keys(config.regionEndpoints) as RegionCode[]).map(async (region) => {
            regions[region] = {};
            await Promise.all(
              REGION_TARGETS.map(async (service) => {
                try {
                  const res = await deps.clients
                    .client(Health, service, endpoint(region))
                    .check({ service: SERVICES.find((s) => s.name === service)?.grpcServices[0] ?? "" }, { timeoutMs: 2000 });
                  regions[region]![service] = HealthCheckResponse_ServingStatus[res.status]!.toLowerCase();
                  if (res.status !== HealthCheckResponse_ServingStatus.SERVING) ok = false;
                } catch (err) {
                  regions[region]![service] = `unreachable: ${(err as Error).message}`;
                  ok = false;
                }
              }),
            );
          }),
        );
        const local = await deps.health.status();
        if (!local.ok) ok = false;
        return { status: ok ? 200 : 503, body: { status: ok ? "ok" : "degraded", gateway: local.failures, regions } };
      },
    },
    {
      method: "GET",
      pattern: "/internal/metrics",
      kind: "internal",
      doc: {
        tag: "Internal",
        operationId: "getMetrics",
        summary: "Prometheus metrics",
        description: "Request counters and latency histograms in the Prometheus text format (version 0.0.4).",
        responses: { "200": mediaResponse("Prometheus text exposition.", ["text/plain"]) },
      },
      handler: async () => ({ status: 200, body: null, text: await metrics.render() }),
    },
  ];
  for (const r of ownRoutes) {
    router.add(r.method, r.pattern, { kind: r.kind, query: queryNames(r.doc), handler: r.handler });
    documented.push(r);
  }
  // The document of exactly these routes, built once (ADR 0015).
  const document = openApiDocument(VERSION, documented);

  /** Any call (REST or RPC): inside its address's rate limit. */
  const admitAddress = (ip: string): RateDecision => {
    const rate = limiter.hit(`ip:${ip}`, config.rateLimits.perIpPerMinute);
    if (!rate.allowed) throw tooMany(rate, "too many requests from this address");
    return rate;
  };

  /** An API key's call (REST or RPC): authenticated, inside its IP allowlist and rate limits. */
  const admitKey = async (authorization: string | undefined, ip: string, strict = false): Promise<{ caller: Authenticated; rate: RateDecision }> => {
    const caller = await auth.authenticate(authorization);
    if (caller.principal.ipAllowlist.length > 0 && !allowlistIncludes(caller.principal.ipAllowlist, ip)) {
      throw new ApiError(403, "forbidden", `your address ${ip} is not in this API key's IP allowlist`);
    }
    let rate = limiter.hit(`key:${caller.principal.keyId}`, config.rateLimits.perKeyPerMinute);
    if (!rate.allowed) throw tooMany(rate, "this API key has exceeded its rate limit");
    if (strict) {
      rate = limiter.hit(`manage:${caller.principal.keyId}`, config.rateLimits.keyManagementPerMinute);
      if (!rate.allowed) throw tooMany(rate, "key management is limited per key; wait for the window to reset");
    }
    return { caller, rate };
  };

  const clientIp = (req: IncomingMessage | Http2ServerRequest): string => {
    if (config.trustProxy) {
      const fwd = req.headers["x-forwarded-for"];
      const first = (Array.isArray(fwd) ? fwd[0] : fwd)?.split(",")[0]?.trim();
      if (first) return first;
    }
    const ip = req.socket.remoteAddress ?? "";
    return ip.startsWith("::ffff:") ? ip.slice(7) : ip;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    const trace = continueTrace(header(req, "traceparent"), req.method);
    const requestId = /^[\w.:-]{1,128}$/.test(header(req, "x-request-id")) ? header(req, "x-request-id") : randomUUID();
    const baseHeaders: Record<string, string> = { "x-request-id": requestId, traceparent: trace.traceparent };
    let rate: RateDecision | undefined;
    let routeLabel = "unmatched";
    let status = 500;
    try {
      const ip = clientIp(req);
      rate = admitAddress(ip);
      const url = new URL(req.url ?? "/", "http://gateway");
      const match = router.match(req.method ?? "GET", url.pathname);
      if (!match) throw new ApiError(404, "not_found", `no route for ${req.method} ${url.pathname}; see /openapi.json`);
      if ("allowed" in match) {
        throw new ApiError(405, "method_not_allowed", `${url.pathname} accepts ${match.allowed.join(", ")}`, undefined, { allow: match.allowed.join(", ") });
      }
      routeLabel = match.route.pattern;
      const entry = match.route.handler;
      let caller: Authenticated | undefined;
      let dashboard: DashboardCaller | undefined;
      if (entry.kind === "internal") {
        if (!constantTimeEqual(header(req, "x-internal-token"), config.internalToken)) {
          throw new ApiError(401, "unauthenticated", "missing or wrong x-internal-token");
        }
      } else if (entry.kind === "api") {
        ({ caller, rate } = await admitKey(req.headers.authorization, ip, entry.strict));
      } else if (entry.kind === "dashboard") {
        // The dashboard token and the x-user-* headers; never an API key (README, "Dashboard API").
        dashboard = await dashboardAuth.authenticate(req, entry.route);
        const userRate = limiter.hit(`user:${dashboard.user.userId}`, config.rateLimits.perKeyPerMinute);
        rate = userRate;
        if (!userRate.allowed) throw tooMany(userRate, "this dashboard user has exceeded the rate limit");
      }
      // Every route's query parameters, checked here once: one a route does not take (a typo such
      // as ?acton=) is a 400 naming it, never silently ignored.
      refuseUnknownQuery(match.route.method, match.route.pattern, url.searchParams, entry.query ?? []);
      if (entry.kind !== "api" && entry.kind !== "dashboard") {
        const out = await entry.handler(req);
        status = out.status;
        const headers = { ...baseHeaders, ...rateLimitHeaders(rate) };
        if (out.text !== undefined) sendText(res, status, out.text, "text/plain; version=0.0.4; charset=utf-8", headers);
        else sendJson(res, status, out.body, headers);
        return;
      }
      const context = { ip, userAgent: header(req, "user-agent").slice(0, 512), traceId: trace.traceId, requestId };
      const callHeaders = { traceparent: trace.traceparent, "x-request-id": requestId };
      let reply: Reply;
      if (entry.kind === "dashboard") {
        reply = await entry.route.handler({
          req,
          url,
          params: match.params,
          user: dashboard!.user,
          region: dashboard!.region,
          regions,
          regionOf: (companyId) => directory.regionOf(companyId),
          remember: (companyId, region) => directory.remember(companyId, region),
          clientIp: ip,
          context,
          callHeaders,
        });
      } else {
        const { principal, region } = caller!;
        const query = entry.values(url.searchParams);
        const body = entry.body ? await entry.body(req) : undefined;
        reply = await entry.handler({ req, url, params: match.params, query, body, principal, region, clientIp: ip, context, callHeaders });
      }
      status = reply.status;
      if (reply.stream) {
        res.writeHead(status, { ...baseHeaders, ...rateLimitHeaders(rate), ...reply.stream.headers });
        await pipeline(reply.stream.body, res);
      } else if (reply.live) {
        res.writeHead(status, { ...baseHeaders, ...rateLimitHeaders(rate), ...reply.live.headers });
        await reply.live.run(res);
      } else if (reply.json !== undefined) {
        sendText(res, status, reply.json, "application/json; charset=utf-8", { ...baseHeaders, ...rateLimitHeaders(rate) });
      } else {
        sendJson(res, status, reply.body, { ...baseHeaders, ...rateLimitHeaders(rate) });
      }
    } catch (err) {
      const e = toApiError(err);
      status = e.status;
      if (status >= 500) log.error("request failed", { route: routeLabel, requestId, traceId: trace.traceId, err });
      if (!res.headersSent) {
        sendJson(
          res,
          status,
          { error: { code: e.code, message: e.message, details: e.details ?? null, traceId: trace.traceId } },
          { ...baseHeaders, ...(rate ? rateLimitHeaders(rate) : {}), ...e.headers },
        );
      } else {
        res.destroy();
      }
    } finally {
      metrics.observe(req.method ?? "GET", routeLabel, status, (performance.now() - started) / 1000);
      trace.end(routeLabel, status);
    }
  };

  // The public API (gRPC, gRPC-Web, Connect) and REST share the port: HTTP/2 connections (gRPC
  // needs them) and HTTP/1.1 ones (REST, Connect, gRPC-Web) are told apart by their first bytes.
  const rpc = publicApi({
    clients,
    admit: async (authorization, ip, strict) => {
      admitAddress(ip);
      const { caller, rate } = await admitKey(authorization, ip, strict);
      return { caller, headers: rateLimitHeaders(rate) };
    },
    observe: (route, status, seconds) => metrics.observe("POST", route, status, seconds),
    log,
  });
  const rpcHandler = connectNodeAdapter({
    routes: (router) => {
      rpc.routes(router);
      reflectionRoutes(PUBLIC_SERVICES)(router);
    },
    interceptors: rpc.interceptors,
    // REST's body limit: a larger message is RESOURCE_EXHAUSTED before it is read whole.
    readMaxBytes: MAX_BODY_BYTES,
    // As on REST, a JSON field the contract does not have (a typo such as "metdata") is refused,
    // not dropped without a word.
    jsonOptions: { ignoreUnknownFields: false },
    contextValues: (req) => createContextValues().set(CLIENT_IP, clientIp(req)),
    fallback: (req, res) => void handle(req as IncomingMessage, res as ServerResponse),
  });
  const isRpcPath = (url = "") => PUBLIC_RPC_PREFIXES.some((p) => url.startsWith(p));
  const http1 = http.createServer({ requestTimeout: 30_000, headersTimeout: 10_000, keepAliveTimeout: 65_000 }, (req, res) => {
    if (isRpcPath(req.url)) {
      // A message refused before it was read whole (over readMaxBytes) leaves the rest of its body
      // on the connection: the answer closes it ("Connection: close" when the declared length is
      // over the limit), so a client that reuses connections (Connect's HTTP/1.1 transport does)
      // does not send its next call where no answer comes.
      if (Number(req.headers["content-length"] ?? 0) > MAX_BODY_BYTES) res.shouldKeepAlive = false;
      // The socket as it is now: by "finish" the request may be detached from it (req.socket null).
      const socket = req.socket;
      res.once("finish", () => {
        if (!req.complete) socket.end();
      });
      rpcHandler(req, res);
    } else void handle(req, res);
  });
  const shared = new SharedPort(http1, http2.createServer(rpcHandler));
  const server = shared.server;
  // Drop cached authentications and end live streams the moment a key is revoked or rotated, in any region.
  const subscription = deps.bus.nc.subscribe(keyInvalidationSubject(config.natsPrefix, "*"), {
    callback: (err, msg) => {
      if (err) return;
      try {
        const { keyId } = JSON.parse(new TextDecoder().decode(msg.data)) as { keyId?: string };
        if (keyId) {
          auth.invalidate(keyId);
          liveStreams.endKey(keyId);
        }
      } catch {
        log.warn("ignored a malformed key invalidation message");
      }
    },
  });
  deps.health.addService("hyrelog.gateway");
  let port = 0;
  return {
    name: "gateway",
    port: () => port,
    start: () =>
      new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(config.gatewayPort, config.gatewayHost, () => {
          port = (server.address() as AddressInfo).port;
          log.info("gateway listening", { url: `http://${config.gatewayHost}:${port}` });
          resolve();
        });
      }),
    stop: async () => {
      subscription.unsubscribe();
      // Live streams never finish by themselves: end them (clients resume with Last-Event-ID).
      liveStreams.closeAll();
      // Stop accepting; finish in-flight requests; close idle keep-alive sockets.
      await shared.close(config.shutdownTimeoutMs);
    },
  };
}

/** An API route's dispatch entry: its query parameters and body reader come from its operation. */
function apiEntry(route: Route, documented: DocumentedRoute[]) {
  documented.push({ method: route.method, pattern: route.pattern, kind: "api", doc: route.doc });
  return { kind: "api" as const, query: queryNames(route.doc), values: queryReader(route.doc), handler: route.handler, strict: !!route.strict, body: bodyReader(route.doc) };
}

const SERVICE_INFO = named(
  "ServiceInfo",
  object({
    name: { const: "HyreLog" },
    version: str(),
    regions: { type: "array", items: { type: "string", enum: REGIONS }, description: "Regions this gateway serves." },
    docs: { const: "/openapi.json" },
  }),
);

const OPENAPI_DOCUMENT: Json = named("OpenApiDocument", {
  type: "object",
  required: ["openapi", "info", "paths"],
  properties: { openapi: str({ pattern: "^3\\.1\\.\\d+$" }), info: { type: "object" }, paths: { type: "object" } },
  description: "This document.",
});

const HEALTH = named(
  "Health",
  object({
    status: { type: "string", enum: ["ok", "degraded"] },
    gateway: { type: "object", additionalProperties: str(), description: "The gateway's own failing checks and why; empty when healthy." },
    regions: {
      type: "object",
      description: `Per region, per service (${REGION_TARGETS.map((t) => `\`${t}\``).join(", ")}): "serving", "not_serving", "unknown", "service_unknown" or "unreachable: <reason>".`,
      additionalProperties: { type: "object", additionalProperties: str() },
    },
  }),
);

/** Public RPC paths (`/<service>/<method>`), sent to the Connect handler on HTTP/1.1 too. */
const PUBLIC_RPC_PREFIXES = [...PUBLIC_SERVICES.map((s) => `/${s.typeName}/`), "/grpc.reflection."];

function header(req: IncomingMessage, name: string): string {
  const v = req.headers[name];
  return (Array.isArray(v) ? v[0] : v) ?? "";
}

function tooMany(d: RateDecision, message: string): ApiError {
  // Its own X-RateLimit headers: the limit that refused, not another one checked before it.
  return new ApiError(429, "rate_limited", `${message}; retry after ${d.retryAfterSeconds} s`, { limit: d.limit, resetAt: d.reset }, {
    ...rateLimitHeaders(d),
    "retry-after": String(d.retryAfterSeconds),
  });
}
