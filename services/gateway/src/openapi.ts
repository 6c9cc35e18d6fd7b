/**
 * /openapi.json, built from the route tables: each route declares its operation next to its
 * handler (routes/shared.ts `Route.doc`, with the schemas of api-schema.ts), and this module only
 * assembles them. It adds what every operation shares (path parameters from the pattern, the
 * request-id and trace headers, the errors of its kind), hoists named schemas into components, and
 * adds the document's own parts: description, tags, security schemes, shared responses and headers.
 * ADR 0015 says why the route table is the one source.
 */
import { ERROR, errorResponse, jsonResponse, nameOf, REGIONS, response, type Json } from "./api-schema.ts";
import type { Operation } from "./routes/shared.ts";

/** A route of the document: an API route (an API key), a public one or an internal one (x-internal-token). */
export interface DocumentedRoute {
  method: string;
  pattern: string;
  kind: "api" | "public" | "internal";
  doc: Operation;
}

/** Errors every route of a kind can answer with (400: at least a query parameter it does not take). */
const SHARED_ERRORS: Record<DocumentedRoute["kind"], Record<string, Json>> = {
  api: { "400": response("BadRequest"), "401": response("Unauthenticated"), "429": response("RateLimited"), "503": response("Unavailable"), default: response("Error") },
  public: { "400": response("BadRequest"), "429": response("RateLimited"), default: response("Error") },
  internal: { "400": response("BadRequest"), "401": response("Unauthenticated"), "429": response("RateLimited"), default: response("Error") },
};

/** Errors of a route that reads a JSON body. */
const BODY_ERRORS: Record<string, Json> = { "400": response("BadRequest"), "413": response("PayloadTooLarge"), "415": response("UnsupportedMediaType") };

const SECURITY: Record<DocumentedRoute["kind"], Json[] | undefined> = { api: undefined, public: [], internal: [{ internalToken: [] }] };

/** Request headers every operation accepts. */
const TRACE_PARAMS = [{ $ref: "#/components/parameters/X-Request-Id" }, { $ref: "#/components/parameters/traceparent" }];

/** The document's reusable responses (api-schema.ts `response(name)`). */
function responses(): Record<string, Json> {
  return {
    BadRequest: errorResponse(
      "400",
      "The request is invalid (a body field, a query parameter, or a query parameter the route does not take); `details.violations` says what and where. Nothing was changed.",
    ),
    Unauthenticated: errorResponse("401", "Missing, malformed, unknown, revoked or expired credentials."),
    Forbidden: errorResponse("403", "The key may not do this (scope, IP allowlist or plan)."),
    NotFound: errorResponse("404", "No such resource within the key's scope."),
    Conflict: errorResponse("409", "The resource is not in a state that allows this."),
    PayloadTooLarge: errorResponse("413", "The body is larger than 1 MiB (1048576 bytes); split the batch."),
    UnsupportedMediaType: errorResponse("415", "The body must be sent with `Content-Type: application/json` (or another `application/*+json` type)."),
    RateLimited: errorResponse("429", "A rate limit was exceeded; retry after `Retry-After` seconds.", { "Retry-After": { $ref: "#/components/headers/Retry-After" } }),
    Unavailable: errorResponse("503", "The key's region is not served by this gateway or is unreachable; retry later."),
    Error: jsonResponse("Any other error (404/405 for unknown routes and methods, 5xx), in the same error shape.", ERROR),
  };
}

function headers(): Record<string, Json> {
  const rateNote =
    "On authenticated API routes the calling key's window (on key-management routes the stricter key-management window); " +
    "on public and internal routes, and on errors before authentication, the client address's window.";
  return {
    "X-RateLimit-Limit": { description: `Requests allowed in the current one-minute window. ${rateNote}`, required: true, schema: { type: "integer", minimum: 1 } },
    "X-RateLimit-Remaining": { description: "Requests left in the current window.", required: true, schema: { type: "integer", minimum: 0 } },
    "X-RateLimit-Reset": {
      description: "Unix time in seconds (not milliseconds, not an ISO timestamp) when the window resets: the start of the next clock minute. Seconds to wait: X-RateLimit-Reset minus the current Unix time.",
      required: true,
      schema: { type: "integer" },
    },
    "Retry-After": { description: "Seconds to wait before retrying.", required: true, schema: { type: "integer", minimum: 1 } },
    "X-Request-Id": {
      description: "The request's id: the caller's X-Request-Id when it matches `^[\\w.:-]{1,128}$`, else a new UUID. Recorded in events' context.",
      required: true,
      schema: { type: "string", pattern: "^[\\w.:-]{1,128}$" },
    },
    traceparent: {
      description: "W3C trace context of the request: continues the caller's trace when it sent a valid traceparent.",
      required: true,
      schema: { type: "string", pattern: "^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$" },
    },
  };
}

function parameters(): Record<string, Json> {
  return {
    "X-Request-Id": {
      name: "X-Request-Id",
      in: "header",
      required: false,
      description: "Your id for the request (`^[\\w.:-]{1,128}$`); echoed back and recorded in events' context. Otherwise one is generated.",
      schema: { type: "string" },
    },
    traceparent: { name: "traceparent", in: "header", required: false, description: "W3C trace context to continue.", schema: { type: "string" } },
  };
}

/** One route's operation as the document writes it. */
function operation(route: DocumentedRoute): Json {
  const { doc } = route;
  const pathParams = [...route.pattern.matchAll(/:([A-Za-z]+)/g)].map(([, name]) => ({
    name,
    in: "path",
    required: true,
    ...(doc.path?.[name!] ? { description: doc.path[name!] } : {}),
    schema: { type: "string" },
  }));
  const shared = { ...(doc.body ? BODY_ERRORS : {}), ...SHARED_ERRORS[route.kind] };
  return {
    tags: [doc.tag],
    operationId: doc.operationId,
    summary: doc.summary,
    ...(doc.description ? { description: doc.description } : {}),
    ...(SECURITY[route.kind] ? { security: SECURITY[route.kind] } : {}),
    parameters: [...pathParams, ...(doc.parameters ?? []), ...TRACE_PARAMS],
    ...(doc.body
      ? { requestBody: { required: doc.body.required, ...(doc.body.description ? { description: doc.body.description } : {}), content: { "application/json": { schema: doc.body.schema } } } }
      : {}),
    responses: { ...doc.responses, ...Object.fromEntries(Object.entries(shared).filter(([status]) => !(status in doc.responses))) },
  };
}

/**
 * A copy of `node` where every schema named with `named()` is a `$ref` to its component, which
 * is added to `components` (once; two different schemas may not share a name).
 */
function hoist(node: unknown, components: Map<string, { source: object; schema: unknown }>): unknown {
  if (Array.isArray(node)) return node.map((n) => hoist(n, components));
  if (node === null || typeof node !== "object") return node;
  const name = nameOf(node);
  if (name !== undefined) {
    const known = components.get(name);
    if (known && known.source !== node) throw new Error(`two different schemas are named ${name}`);
    if (!known) {
      const entry = { source: node, schema: {} as unknown };
      components.set(name, entry);
      entry.schema = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, hoist(v, components)]));
    }
    return { $ref: `#/components/schemas/${name}` };
  }
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, hoist(v, components)]));
}

const DESCRIPTION = `HyreLog records immutable, tamper-evident audit events and serves them back.

## Authentication
Send an API key on every \`/v1\` request: \`Authorization: Bearer hlk_co_...\` or \`Authorization: Bearer hlk_ws_...\`.
Keys look like \`hlk_<co|ws>_<region>_<43 characters>\`.

- **Workspace keys** (\`hlk_ws_...\`) record events into, and read, one workspace.
- **Company keys** (\`hlk_co_...\`) read every workspace of the company (narrow with \`workspaceId\`) and manage keys;
  they cannot record events (403). Creating, rotating and revoking keys needs a company key with an IP allowlist that includes the caller. A key with an IP allowlist is refused (403) from any other address.

## Regions
Each company's data lives in one region: ${REGIONS.map((r) => `\`${r}\``).join(", ")}. The key names its region and the gateway
routes the request there; a region the gateway does not serve answers 503.

## Rate limits
Fixed one-minute windows: per client address (default 600), per key (default 1200) and, for key management, per key (default 10).
Every response carries \`X-RateLimit-Limit\`, \`X-RateLimit-Remaining\` and \`X-RateLimit-Reset\`; a 429 adds \`Retry-After\`.
Limits are counted per gateway replica.

## Errors
Every error has the body \`{"error": {"code", "message", "details", "traceId"}}\`; \`code\` is stable, \`message\` is for people.
Validation errors (400) list every problem in \`details.violations\` and change nothing. Unknown body fields and query
parameters a route does not take (a typo such as \`?acton=\`) are refused like any other invalid input.`;

/** The OpenAPI 3.1 document of these routes. */
export function openApiDocument(version: string, routes: readonly DocumentedRoute[]): Record<string, unknown> {
  const paths: Record<string, Json> = {};
  for (const route of routes) {
    const path = route.pattern.replace(/:([A-Za-z]+)/g, "{$1}");
    const item = (paths[path] ??= {});
    const method = route.method.toLowerCase();
    if (item[method]) throw new Error(`${route.method} ${path} is declared twice`);
    item[method] = operation(route);
  }
  const schemas = new Map<string, { source: object; schema: unknown }>();
  const hoisted = hoist({ paths, responses: responses() }, schemas) as { paths: Json; responses: Json };
  return {
    openapi: "3.1.0",
    info: { title: "HyreLog API", version, description: DESCRIPTION, license: { name: "Proprietary", identifier: "LicenseRef-HyreLog-Proprietary" } },
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    servers: [{ url: "/", description: "This gateway" }],
    security: [{ bearerAuth: [] }],
    tags: [
      { name: "Events", description: "Record and read audit events." },
      { name: "Keys", description: "Manage API keys." },
      { name: "Verification", description: "Signed checkpoints, Merkle proofs and re-verification (docs/verification.md)." },
      { name: "Webhooks", description: "Signed deliveries of audit events and notifications to your endpoints (docs/webhooks.md)." },
      { name: "Exports", description: "JSONL and CSV exports of events to the region's S3 bucket, run as jobs (docs/exports.md)." },
      { name: "Jobs", description: "Background work of a company: status, progress, result, cancel (docs/jobs.md)." },
      { name: "GDPR", description: "Subject access and erasure requests with their approvals, and the company export (docs/privacy.md)." },
      { name: "Archives", description: "Events past hot retention, in verified archives in the region's bucket (docs/operations/archival.md)." },
      { name: "Analytics", description: "Event counts per hour or day from rollups kept after ingest (docs/analytics.md)." },
      { name: "Service", description: "Public service information." },
      { name: "Internal", description: "Operations endpoints; need the x-internal-token header." },
    ],
    paths: hoisted.paths,
    components: {
      securitySchemes: {
        bearerAuth: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "API key: hlk_co_<region>_... (company) or hlk_ws_<region>_... (workspace)",
          description: "`Authorization: Bearer hlk_co_...` or `Authorization: Bearer hlk_ws_...`.",
        },
        internalToken: { type: "apiKey", in: "header", name: "x-internal-token", description: "The deployment's INTERNAL_TOKEN." },
      },
      schemas: Object.fromEntries([...schemas].sort(([a], [b]) => a.localeCompare(b)).map(([name, { schema }]) => [name, schema])),
      responses: hoisted.responses,
      headers: headers(),
      parameters: parameters(),
    },
  };
}
