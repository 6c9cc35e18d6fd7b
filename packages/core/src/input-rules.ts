/**
 * The rules for text and JSON a caller sends, in one place (README, "Text and JSON rules"):
 * checked by the gateway at the edge and again by each service for callers that reach it directly.
 */

/** A field that was refused and why, as the API reports it. */
export type Violation = { field: string; description: string };

/** How deep `metadata` and a change's `old`/`new` may nest (the value itself is level 0; deeper values are refused). */
export const MAX_JSON_DEPTH = 16;

/**
 * - `line`: identifiers, names, types, filter values, keys' and webhooks' names: no control
 *   characters at all (Unicode category Cc: U+0000–U+001F, U+007F–U+009F; e.g. NUL, TAB, CR, LF, NEL).
 * - `multiline`: free text (descriptions, reasons): TAB, CR and LF allowed, no other control character.
 * Both: well-formed Unicode (no lone UTF-16 surrogate, which would silently become U+FFFD).
 */
export type TextKind = "line" | "multiline";

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const CONTROL_BUT_WHITESPACE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
const NOT_UNICODE = "must be valid Unicode text (it holds a lone UTF-16 surrogate, e.g. \\ud800)";

/** Why a text value breaks its kind's rule, or null when it is fine. */
export function textProblem(value: string, kind: TextKind = "line"): string | null {
  if (!value.isWellFormed()) return NOT_UNICODE;
  if (kind === "line" && CONTROL.test(value)) return "must not contain control characters (U+0000-U+001F, U+007F-U+009F: NUL, tab, CR, LF, NEL...)";
  if (kind === "multiline" && CONTROL_BUT_WHITESPACE.test(value)) return "must not contain control characters other than tab, CR and LF";
  return null;
}

/**
 * Checks a caller's JSON value (event `metadata`, a change's `old`/`new`): nested at most
 * MAX_JSON_DEPTH levels (deeper values are refused before anything recurses into them), numbers
 * finite (JSON.parse turns 1e400 into Infinity, which neither canonical JSON nor jsonb can
 * carry), strings and keys well-formed Unicode without NUL (jsonb cannot hold U+0000).
 * Pushes each problem under `path`; returns whether there was none.
 */
export function checkJsonValue(value: unknown, path: string, out: Violation[], depth = 0): boolean {
  if (depth > MAX_JSON_DEPTH) {
    out.push({ field: path, description: `must be nested at most ${MAX_JSON_DEPTH} levels deep` });
    return false;
  }
  if (typeof value === "string") return stringOk(value, path, out, "");
  if (typeof value === "number") {
    if (Number.isFinite(value)) return true;
    out.push({ field: path, description: "must be a number within the range of a 64-bit float" });
    return false;
  }
  if (value === null || typeof value !== "object") return true;
  let ok = true;
  if (Array.isArray(value)) {
    value.forEach((v, i) => (ok = checkJsonValue(v, `${path}[${i}]`, out, depth + 1) && ok));
  } else {
    for (const [k, v] of Object.entries(value)) {
      ok = stringOk(k, path, out, "keys ") && checkJsonValue(v, `${path}.${k.isWellFormed() ? k : "?"}`, out, depth + 1) && ok;
    }
  }
  return ok;
}

function stringOk(s: string, path: string, out: Violation[], what: string): boolean {
  if (!s.isWellFormed()) out.push({ field: path, description: `${what}${NOT_UNICODE}` });
  else if (s.includes("\u0000")) out.push({ field: path, description: `${what}must not contain the NUL character (\\u0000)` });
  else return true;
  return false;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/**
 * An RFC 3339 timestamp (`occurredAt`, the `from`/`to` filters), or null. `new Date` alone would
 * roll impossible dates over (Feb 30 → Mar 2) and accept other formats.
 */
export function parseTimestamp(raw: unknown): Date | null {
  const m = typeof raw === "string" ? RFC3339.exec(raw) : null;
  if (!m) return null;
  const [year, month, day, hour] = [m[1], m[2], m[3], m[4]].map(Number) as [number, number, number, number];
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  if (days === undefined || day < 1 || day > days || hour > 23) return null;
  const date = new Date(raw as string);
  return Number.isNaN(date.getTime()) ? null : date;
}
