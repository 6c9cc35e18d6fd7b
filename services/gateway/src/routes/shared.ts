/**
 * What every route table shares: the route and request types, reading query parameters, and
 * timestamps in answers. Route tables (one file per resource in this folder) export
 * `(clients: GatewayClients) => Route[]`; server.ts registers them all in one loop, validates each
 * request against its route's declared operation, and builds /openapi.json from the same tables.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Client } from "@connectrpc/connect";
import { timestampDate, type Timestamp } from "@bufbuild/protobuf/wkt";
import type {
  AnalyticsService,
  ArchivalService,
  DashboardService,
  DashboardUser,
  ExportService,
  IngestService,
  GdprService,
  JobsService,
  KeysService,
  Principal,
  QueryService,
  TailService,
  VerificationService,
  WebhookService,
} from "@hyrelog/proto";
import type { RegionCode, Violation } from "@hyrelog/core";
import type { Json } from "../api-schema.ts";
import type { DashboardAccess } from "../dashboard-auth.ts";
import type { LiveStreams } from "../live-streams.ts";
import type { QueryValues } from "../request-validation.ts";
import { ApiError } from "../errors.ts";
import { readJson, type RouteParams } from "../http.ts";

export type { Violation };

export interface RequestInfo {
  req: IncomingMessage;
  url: URL;
  params: RouteParams;
  /**
   * The declared query parameters that were sent, already valid against their schemas
   * (`doc.parameters`): integers as numbers, the rest as text.
   */
  query: QueryValues;
  /**
   * The route's JSON body, already valid against its declared schema (`doc.body`); `{}` for an
   * optional body that was not sent; undefined for routes that take none.
   */
  body: unknown;
  principal: Principal;
  region: RegionCode;
  context: { ip: string; userAgent: string; traceId: string; requestId: string };
  clientIp: string;
  /** Headers for the internal call: trace and request id. */
  callHeaders: Record<string, string>;
}

export interface Reply {
  status: number;
  body: unknown;
  /** Instead of `body`: the JSON text of the answer, already written (pages of events the query service wrote as the API's JSON). */
  json?: string;
  /** Instead of a JSON body: a byte stream sent as is (export downloads). */
  stream?: { body: NodeJS.ReadableStream; headers: Record<string, string> };
  /**
   * Instead of a JSON body: a long-lived answer the route writes itself (Server-Sent Events). The
   * headers go out first; `run` then owns the response until it ends it, and never throws.
   */
  live?: { headers: Record<string, string>; run(res: ServerResponse): Promise<void> };
}

export interface GatewayClients {
  keys(region: RegionCode): Client<typeof KeysService>;
  ingest(region: RegionCode): Client<typeof IngestService>;
  query(region: RegionCode): Client<typeof QueryService>;
  verification(region: RegionCode): Client<typeof VerificationService>;
  analytics(region: RegionCode): Client<typeof AnalyticsService>;
  export(region: RegionCode): Client<typeof ExportService>;
  jobs(region: RegionCode): Client<typeof JobsService>;
  webhook(region: RegionCode): Client<typeof WebhookService>;
  dashboard(region: RegionCode): Client<typeof DashboardService>;
  gdpr(region: RegionCode): Client<typeof GdprService>;
  archival(region: RegionCode): Client<typeof ArchivalService>;
  tail(region: RegionCode): Client<typeof TailService>;
  /** The gateway's open live streams (GET /v1/events/stream) and their limits. */
  liveStreams: LiveStreams;
}

export type Handler = (r: RequestInfo) => Promise<Reply>;

/**
 * A route's OpenAPI operation, declared next to its handler: the one description of the route.
 * openapi.ts turns it into the document's operation (adding the path parameters of the pattern,
 * the request headers and the errors every route shares); the dispatcher refuses any query
 * parameter it does not declare and validates the body against `body.schema` before the handler runs.
 */
export interface Operation {
  operationId: string;
  tag: string;
  summary: string;
  description?: string;
  /** Descriptions of the pattern's path parameters (`:id` → `id`). */
  path?: Record<string, string>;
  /** Query and header parameters: the query ones are every query parameter the route takes. */
  parameters?: Json[];
  /** The JSON body: required, or optional (an absent body reads as `{}`). Routes without one ignore any body. */
  body?: { schema: Json; required: boolean; description?: string };
  /** The route's own answers (successes and route-specific errors); openapi.ts adds the shared errors. */
  responses: Record<string, Json>;
}

/** One API route. */
export interface Route {
  method: "GET" | "POST" | "DELETE";
  /** Path pattern (`/v1/events/:id`); also the metrics label. */
  pattern: string;
  /** A key-management call: limited per key on top of the key's own limit. */
  strict?: boolean;
  doc: Operation;
  handler: Handler;
}

/** The query parameters an operation takes: the dispatcher refuses any other with 400. */
export function queryNames(doc: Pick<Operation, "parameters">): string[] {
  return (doc.parameters ?? []).filter((p) => p.in === "query").map((p) => p.name as string);
}

/** What a dashboard route's handler gets: the signed-in person instead of an API key's principal. */
export interface DashboardRequestInfo {
  req: IncomingMessage;
  url: URL;
  params: RouteParams;
  /** From the x-user-* headers (and x-company-id on company routes), as the token vouched for them. */
  user: DashboardUser;
  /** Company routes: the company's region (the directory). Admin routes: null. */
  region: RegionCode | null;
  /** Every region this gateway serves, in REGION_ENDPOINTS order. */
  regions: readonly RegionCode[];
  /** The region of a company named in a path (admin routes); 404 when no region has it. */
  regionOf(companyId: string): Promise<RegionCode>;
  /** Tells the directory where a company lives (after creating or listing it). */
  remember(companyId: string, region: RegionCode): void;
  context: { ip: string; userAgent: string; traceId: string; requestId: string };
  clientIp: string;
  callHeaders: Record<string, string>;
}

export type DashboardHandler = (r: DashboardRequestInfo) => Promise<Reply>;

/**
 * A /dashboard/* route: opened by the dashboard service token and the x-user-* headers (never by an
 * API key), checked at the gateway's one dispatch point for the roles the route allows.
 */
export interface DashboardRoute extends DashboardAccess {
  method: "GET" | "POST" | "PUT" | "DELETE";
  pattern: string;
  query?: readonly string[];
  handler: DashboardHandler;
}

/** A resource's route table. */
export type RouteTable = (clients: GatewayClients) => Array<Route | DashboardRoute>;

/** 400 `invalid_argument` naming the fields. */
export function badRequest(message: string, violations: Violation[]): ApiError {
  return new ApiError(400, "invalid_argument", message, { violations });
}

/** Throws badRequest with every violation, if there is any. */
export function refuse(message: string, violations: Violation[]): void {
  if (violations.length) throw badRequest(message, violations);
}

// ---------------------------------------------------------------------------------------------
// Bodies of dashboard routes, and of API routes that take none (API routes declare their body:
// the dispatcher reads and checks it, `RequestInfo.body`)
// ---------------------------------------------------------------------------------------------

/** A JSON-object body (readJson: content type, size, syntax, Unicode). */
export async function objectBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const body = await readJson(req);
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw badRequest("the request body must be a JSON object", [{ field: "body", description: "must be a JSON object" }]);
  }
  return body as Record<string, unknown>;
}

/**
 * An optional JSON-object body: none at all means {}. A body is present when it has a non-zero
 * Content-Length or is chunked (streaming clients send no length).
 */
export async function optionalObjectBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const length = req.headers["content-length"];
  if (req.headers["transfer-encoding"] === undefined && (length === undefined || length === "0")) return {};
  return objectBody(req);
}

/** A string field of a body ("" when absent or null). */
export function stringField(b: Record<string, unknown>, field: string, out: Violation[], required = false): string {
  const v = b[field];
  if (v === undefined || v === null) {
    if (required) out.push({ field, description: "is required" });
    return "";
  }
  if (typeof v !== "string") out.push({ field, description: "must be a string" });
  return typeof v === "string" ? v : "";
}

/** An array-of-strings field of a body ([] when absent or null); `prefix` names where the object sits. */
export function stringsField(b: Record<string, unknown>, field: string, out: Violation[], required = false, prefix = ""): string[] {
  const v = b[field];
  if (v === undefined || v === null) {
    if (required) out.push({ field: prefix + field, description: "is required: an array of strings" });
    return [];
  }
  if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) {
    out.push({ field: prefix + field, description: "must be an array of strings" });
    return [];
  }
  return v as string[];
}

// ---------------------------------------------------------------------------------------------
// Query parameters of dashboard routes (API routes read `RequestInfo.query`, checked against their
// declared schemas): each reports to `out` when given, else throws 400 "invalid <name>" at once
// ---------------------------------------------------------------------------------------------

function problem(name: string, description: string, out: Violation[] | undefined): void {
  if (!out) throw badRequest(`invalid ${name}`, [{ field: name, description }]);
  out.push({ field: name, description });
}

/** A string parameter ("" when absent). */
export function stringParam(q: URLSearchParams, name: string): string {
  return q.get(name) ?? "";
}

/** `limit`: a whole number from 1 to `max`, or 0 (the service's default) when absent. */
export function limitParam(q: URLSearchParams, max: number, out?: Violation[]): number {
  const raw = q.get("limit");
  if (raw === null) return 0;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > max) {
    problem("limit", `must be a whole number from 1 to ${max}`, out);
    return 0;
  }
  return n;
}

// ---------------------------------------------------------------------------------------------
// Headers and answers
// ---------------------------------------------------------------------------------------------

/** A request header's first value, trimmed ("" when absent). */
export function header(req: IncomingMessage, name: string): string {
  const v = req.headers[name];
  return (Array.isArray(v) ? v[0] : v)?.trim() ?? "";
}

/** A timestamp as the API writes it: ISO 8601 UTC, or null. */
export function iso(t: Timestamp | undefined): string | null {
  return t ? timestampDate(t).toISOString() : null;
}
