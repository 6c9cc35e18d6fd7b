/**
 * RFC 8785 JSON Canonicalization Scheme (JCS) for values that came from JSON.parse (or are
 * JSON-shaped): object keys sorted by UTF-16 code units, no whitespace, numbers in the
 * ECMAScript shortest round-trip form, strings escaped as JSON.stringify does.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "number":
      if (!Number.isFinite(value)) throw new TypeError("canonical JSON cannot encode NaN or Infinity");
      // ES Number::toString is the RFC 8785 number form; -0 serialises as 0.
      return Object.is(value, -0) ? "0" : String(value);
    case "string":
      return JSON.stringify(value);
    case "object": {
      if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        // Default sort compares UTF-16 code units, exactly what RFC 8785 §3.2.3 asks for.
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
    }
    default:
      throw new TypeError(`canonical JSON cannot encode a ${typeof value}`);
  }
}
