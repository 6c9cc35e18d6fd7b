import type { IncomingMessage, ServerResponse } from "node:http";
import { ApiError } from "./errors.ts";

export const MAX_BODY_BYTES = 1024 * 1024;

/** Reads a JSON body of at most MAX_BODY_BYTES; 413 beyond, 400 for malformed JSON. */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const type = req.headers["content-type"] ?? "";
  if (!/^application\/(.+\+)?json\b/i.test(type)) {
    throw new ApiError(415, "unsupported_media_type", 'send the body as JSON with "Content-Type: application/json"');
  }
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw tooLarge();
    parts.push(chunk as Buffer);
  }
  const text = Buffer.concat(parts).toString("utf8");
  if (text.trim() === "") throw new ApiError(400, "invalid_argument", "the request body is empty; send a JSON object");
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    throw new ApiError(400, "invalid_argument", `the request body is not valid JSON: ${(err as Error).message}`);
  }
  const malformed = malformedStringPath(body);
  if (malformed !== null) {
    throw new ApiError(400, "invalid_argument", "the request body holds text that is not valid Unicode; nothing was stored", {
      violations: [{ field: malformed || "body", description: "must be valid Unicode text (it holds a lone UTF-16 surrogate, e.g. \\ud800)" }],
    });
  }
  return body;
}

/**
 * Where the first string or key with a lone UTF-16 surrogate sits in a parsed body ("" for the
 * body itself), or null. Checked once for every route: such text would silently become U+FFFD on
 * its way to a service. Iterative, so no nesting depth can exhaust the stack.
 */
function malformedStringPath(body: unknown): string | null {
  const stack: Array<[unknown, string]> = [[body, ""]];
  while (stack.length) {
    const [value, path] = stack.pop()!;
    if (typeof value === "string") {
      if (!value.isWellFormed()) return path;
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => stack.push([v, `${path}[${i}]`]));
    } else if (value !== null && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) {
        if (!k.isWellFormed()) return path;
        stack.push([v, path ? `${path}.${k}` : k]);
      }
    }
  }
  return null;
}

function tooLarge(): ApiError {
  return new ApiError(413, "payload_too_large", `the request body must be at most ${MAX_BODY_BYTES} bytes (1 MiB); split the batch`);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { ...headers, "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(payload) });
  res.end(payload);
}

export function sendText(res: ServerResponse, status: number, body: string, contentType: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...headers, "content-type": contentType, "content-length": Buffer.byteLength(body) });
  res.end(body);
}

export type RouteParams = Record<string, string>;

/**
 * 400 naming every query parameter a route does not take (`known`), so a typo such as `?acton=`
 * is refused like an unknown body field instead of silently answering as if there were no filter.
 */
export function refuseUnknownQuery(method: string, pattern: string, query: URLSearchParams, known: readonly string[]): void {
  const unknown = [...new Set(query.keys())].filter((name) => !known.includes(name));
  if (!unknown.length) return;
  const route = `${method} ${pattern.replace(/:([A-Za-z]+)/g, "{$1}")}`;
  const takes = known.length ? known.join(", ") : "it takes none";
  throw new ApiError(400, "invalid_argument", `unknown query parameter${unknown.length > 1 ? "s" : ""}: ${unknown.join(", ")}`, {
    violations: unknown.map((field) => ({ field, description: `is not a query parameter of ${route} (${takes})` })),
  });
}

interface Route<H> {
  method: string;
  pattern: string;
  regex: RegExp;
  keys: string[];
  handler: H;
}

/** Method + path-pattern routing (`/v1/events/:id`); `pattern` is what metrics label by. */
export class Router<H> {
  readonly #routes: Route<H>[] = [];

  add(method: string, pattern: string, handler: H): void {
    const keys: string[] = [];
    const source = pattern.replace(/:([A-Za-z]+)/g, (_, k: string) => {
      keys.push(k);
      return "([^/]+)";
    });
    this.#routes.push({ method, pattern, regex: new RegExp(`^${source}/?$`), keys, handler });
  }

  match(method: string, path: string): { route: Route<H>; params: RouteParams } | { allowed: string[] } | null {
    const allowed: string[] = [];
    for (const route of this.#routes) {
      const m = route.regex.exec(path);
      if (!m) continue;
      if (route.method !== method) {
        allowed.push(route.method);
        continue;
      }
      const params: RouteParams = {};
      route.keys.forEach((k, i) => {
        try {
          params[k] = decodeURIComponent(m[i + 1]!);
        } catch {
          params[k] = m[i + 1]!;
        }
      });
      return { route, params };
    }
    // One method may be allowed by two patterns (GET /v1/events/stream and GET /v1/events/:id).
    return allowed.length ? { allowed: [...new Set(allowed)] } : null;
  }

  get routes(): ReadonlyArray<{ method: string; pattern: string }> {
    return this.#routes;
  }
}
