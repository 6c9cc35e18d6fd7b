/**
 * Requests checked against what their route declares (routes/shared.ts `Operation`), which is
 * what /openapi.json documents: the JSON body against its schema, and the values of the query
 * parameters against theirs. Compiled once at start-up with Ajv (draft 2020-12); every problem is
 * reported as a violation `{field, description}` that names the field as a path
 * (`events[3].actor.email`, `body` for the body itself) and says what to fix. Descriptions are made
 * from the schema alone, never from the value sent (it may be personal data).
 */
import Ajv2020, { type ErrorObject } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import type { IncomingMessage } from "node:http";
import type { Violation } from "@hyrelog/core";
import { nameOf, PATTERN_WORDS, type Json } from "./api-schema.ts";
import { ApiError } from "./errors.ts";
import { readJson } from "./http.ts";

const ajv = new Ajv2020.default({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
addFormats.default(ajv);

/** Reads a request's JSON body and checks it against the route's schema: 400 naming every problem. */
export type BodyReader = (req: IncomingMessage) => Promise<unknown>;

/** The body reader of an operation (`doc.body`), compiled now; undefined for a route that takes no body. */
export function bodyReader(doc: { body?: { schema: Json; required: boolean } }): BodyReader | undefined {
  if (!doc.body) return undefined;
  const { required } = doc.body;
  const validate = compileBody(doc.body.schema);
  return async (req) => {
    // An optional body may be left out (no length, not chunked): it reads as {}.
    const length = req.headers["content-length"];
    const absent = req.headers["transfer-encoding"] === undefined && (length === undefined || length === "0");
    const value = !required && absent ? {} : await readJson(req);
    const violations = validate(value);
    if (violations.length) {
      const problems = violations.length === 1 ? "1 problem" : `${violations.length} problems`;
      throw new ApiError(400, "invalid_argument", `the request body is invalid (${problems}; see details.violations); nothing was changed`, { violations });
    }
    return value;
  };
}

/** The declared query parameters' values, valid: numbers for integer parameters. */
export type QueryValues = Record<string, string | number>;
export type QueryReader = (query: URLSearchParams) => QueryValues;

/**
 * The query reader of an operation: each declared query parameter's value (the first, when
 * repeated; an empty one is a value: `?status=` is no status), integers as numbers, checked
 * against the parameter's schema; 400 naming every bad one. The format of a string (a UUID, a
 * timestamp) is left to the code that reads it (the event filter: an id that is not the
 * caller's is a 404, not a 400).
 */
export function queryReader(doc: { parameters?: Json[] }): QueryReader {
  const params = (doc.parameters ?? []).filter((p) => p.in === "query") as Array<{ name: string; required?: boolean; schema: Json }>;
  const properties = Object.fromEntries(params.map((p) => [p.name, withoutFormat(p.schema)]));
  const validate = ajv.compile({ type: "object", properties, required: params.filter((p) => p.required).map((p) => p.name) });
  const integers = new Set(params.filter((p) => p.schema.type === "integer").map((p) => p.name));
  return (query) => {
    const values: QueryValues = {};
    for (const { name } of params) {
      const raw = query.get(name);
      if (raw === null) continue;
      values[name] = integers.has(name) && /^\d{1,16}$/.test(raw) ? Number(raw) : raw;
    }
    if (validate(values)) return values;
    const violations = violationsOf(validate.errors ?? [], values, false);
    const fields = [...new Set(violations.map((v) => v.field))];
    throw new ApiError(400, "invalid_argument", `invalid query parameter${fields.length > 1 ? "s" : ""}: ${fields.join(", ")}`, { violations });
  };
}

function withoutFormat(schema: Json): Json {
  const { format: _format, ...rest } = schema;
  return rest;
}

/** A body's validator: the violations of a parsed JSON body, none when it is valid. */
export function compileBody(schema: Json): (body: unknown) => Violation[] {
  const validate = ajv.compile(schema);
  return (body) => (validate(body) ? [] : violationsOf(validate.errors ?? [], body));
}

/** Ajv's errors as violations: one per problem, in order, without repeats. */
export function violationsOf(errors: ErrorObject[], body: unknown, sayType = true): Violation[] {
  const out: Violation[] = [];
  for (const v of chooseBranches(errors, body, sayType)) {
    if (!out.some((o) => o.field === v.field && o.description === v.description)) out.push(v);
  }
  return out;
}

type Item = ErrorObject | Violation;
const isViolation = (x: Item): x is Violation => "field" in x;

/**
 * A value that matches none of the alternatives of a oneOf/anyOf gets every alternative's errors
 * from Ajv. Report one alternative's: the one the value was meant as (the one that knows most of
 * its fields, then the one with fewest errors, then the first). When every alternative only misses
 * a field ("id" or "email"), one violation names them all.
 */
function chooseBranches(errors: ErrorObject[], body: unknown, sayType: boolean): Violation[] {
  let items: Item[] = errors.filter((e) => e.keyword !== "if");
  const combinators = items.filter((e): e is ErrorObject => !isViolation(e) && (e.keyword === "oneOf" || e.keyword === "anyOf"));
  combinators.sort((a, b) => a.schemaPath.length - b.schemaPath.length);
  for (const c of combinators) {
    if (!items.includes(c)) continue; // inside an alternative dropped already
    const prefix = `${c.schemaPath}/`;
    const branches = (c.schema as Json[]).map((schema, i) => ({
      schema,
      errors: items.filter((e): e is ErrorObject => !isViolation(e) && e.schemaPath.startsWith(`${prefix}${i}/`)),
    }));
    const inside = new Set(branches.flatMap((b) => b.errors));
    if (inside.size === 0) continue; // more than one alternative matched: reported as it is
    const missing = branches.map((b) => (b.errors.every((e) => e.keyword === "required" && e.instancePath === c.instancePath) ? b.errors.map((e) => e.params.missingProperty as string) : null));
    const keys = isObject(c.data) ? Object.keys(c.data) : [];
    const properties = (schema: Json) => Object.keys((schema.properties as Json | undefined) ?? {});
    const known = (schema: Json) => keys.filter((k) => properties(schema).includes(k)).length;
    let replacement: Item[];
    if (missing.every((m) => m !== null && m.length === 1)) {
      const fields = missing.map((m) => fieldOf(c.instancePath, body, m![0]));
      replacement = [{ field: fields[0]!, description: fields.length > 1 ? `is required (or ${fields.slice(1).join(" or ")} instead)` : "is required" }];
    } else if (keys.length && keys.every((k) => branches.some((b) => properties(b.schema).includes(k))) && branches.every((b) => known(b.schema) < keys.length)) {
      // Every field belongs to one alternative or another, but no alternative has them all: a mix.
      const labels = branches.map((b) => nameOf(b.schema) ?? properties(b.schema).join(" + "));
      replacement = [{ field: fieldOf(c.instancePath, body), description: `must hold ${labels.join(" or ")}, not fields of more than one` }];
    } else {
      const best = branches.reduce((a, b) => (known(b.schema) > known(a.schema) || (known(b.schema) === known(a.schema) && b.errors.length < a.errors.length) ? b : a));
      replacement = best.errors;
    }
    const at = items.indexOf(c);
    items = [...items.slice(0, at).filter((e) => !inside.has(e as ErrorObject)), ...replacement, ...items.slice(at + 1).filter((e) => !inside.has(e as ErrorObject))];
  }
  return items.map((e) => (isViolation(e) ? e : describe(e, body, sayType)));
}

/** One error in words; `sayType`: a type error says what was sent (a query value is always text). */
function describe(e: ErrorObject, body: unknown, sayType: boolean): Violation {
  const parent = (e.parentSchema ?? {}) as Json;
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "required": {
      const property = (((parent.properties as Json | undefined) ?? {})[p.missingProperty as string] ?? {}) as Json;
      const values = enumOf(property);
      return { field: fieldOf(e.instancePath, body, p.missingProperty as string), description: values ? `is required: ${values}` : "is required" };
    }
    case "additionalProperties": {
      const allowed = Object.keys((parent.properties as Json | undefined) ?? {});
      return { field: fieldOf(e.instancePath, body, p.additionalProperty as string), description: allowed.length ? `unknown field (allowed: ${allowed.join(", ")})` : "unknown field (no fields are allowed here)" };
    }
    case "type":
    case "format":
      return at(e, body, `${expected(parent)}${e.keyword === "type" && sayType ? ` (got ${typeName(e.data)})` : ""}`);
    case "enum":
      return at(e, body, `must be ${enumOf(parent) ?? "one of the documented values"}`);
    case "const":
      return at(e, body, `must be ${JSON.stringify(p.allowedValue)}`);
    case "minLength":
      return at(e, body, p.limit === 1 ? "must not be empty" : `must be at least ${p.limit} characters long`);
    case "maxLength":
      return at(e, body, `must be at most ${p.limit} characters long`);
    case "pattern":
      return at(e, body, PATTERN_WORDS[p.pattern as string] ? `must be ${PATTERN_WORDS[p.pattern as string]}` : `must match the pattern ${p.pattern}`);
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum":
      return at(e, body, range(parent));
    case "minItems":
      return at(e, body, p.limit === 1 ? "must hold at least one item" : `must hold at least ${p.limit} items`);
    case "maxItems":
      return at(e, body, `must hold at most ${p.limit} items`);
    case "uniqueItems":
      return at(e, body, `must not repeat an item (items ${p.j} and ${p.i} are equal)`);
    case "oneOf":
    case "anyOf":
      return at(e, body, "matches more than one of the allowed shapes; send exactly one");
    default:
      return at(e, body, e.message ?? "is invalid");
  }
}

const at = (e: ErrorObject, body: unknown, description: string): Violation => ({ field: fieldOf(e.instancePath, body), description });

/** What a schema asks for, in words: "must be a string", "must be a UUID"... */
function expected(schema: Json): string {
  const formats: Record<string, string> = {
    "date-time": 'an RFC 3339 timestamp such as "2026-01-31T12:00:00.000Z"',
    uuid: "a UUID",
    uri: "a URI",
    email: "an email address",
  };
  if (typeof schema.format === "string" && formats[schema.format]) return `must be ${formats[schema.format]}`;
  const types = [schema.type].flat().filter((t): t is string => typeof t === "string");
  const shown = types.length > 1 ? types.filter((t) => t !== "null") : types;
  if (shown.length === 1 && shown[0] === "integer" && (schema.minimum !== undefined || schema.maximum !== undefined)) return range(schema);
  const items = (schema.items ?? {}) as Json;
  const words: Record<string, string> = {
    string: "a string",
    integer: "a whole number",
    number: "a number",
    boolean: "true or false",
    object: "a JSON object",
    array: items.type === "string" ? "an array of strings" : "an array",
    null: "null",
  };
  return `must be ${shown.map((t) => words[t] ?? t).join(" or ") || "valid"}`;
}

/** The range of a number schema: "must be a whole number from 0 to 2592000". */
function range(schema: Json): string {
  const what = schema.type === "integer" || [schema.type].flat().includes("integer") ? "a whole number" : "a number";
  const min = schema.minimum ?? (typeof schema.exclusiveMinimum === "number" ? `more than ${schema.exclusiveMinimum}` : undefined);
  const max = schema.maximum ?? (typeof schema.exclusiveMaximum === "number" ? `less than ${schema.exclusiveMaximum}` : undefined);
  if (min !== undefined && max !== undefined) return `must be ${what} from ${min} to ${max}`;
  if (min !== undefined) return `must be ${what} >= ${min}`;
  return `must be ${what} <= ${max}`;
}

/** An enum's values as "A, B or C" (null left out: it means absent), or undefined. */
function enumOf(schema: Json): string | undefined {
  const values = Array.isArray(schema.enum) ? schema.enum.filter((v) => v !== null).map(String) : [];
  if (!values.length) return undefined;
  return values.length > 1 ? `${values.slice(0, -1).join(", ")} or ${values.at(-1)}` : values[0];
}

/** A JSON pointer into the body as the API names fields: `events[3].actor.email`; "body" for the body. */
function fieldOf(pointer: string, body: unknown, property?: string): string {
  const segments = pointer === "" ? [] : pointer.slice(1).split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
  if (property !== undefined) segments.push(property);
  let path = "";
  let node = body;
  for (const s of segments) {
    path += Array.isArray(node) ? `[${s}]` : path ? `.${s}` : s;
    node = isObject(node) || Array.isArray(node) ? (node as Record<string, unknown>)[s] : undefined;
  }
  return path || "body";
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function typeName(v: unknown): string {
  return v === null ? "null" : Array.isArray(v) ? "array" : typeof v;
}
