/**
 * RFC 8785 JSON Canonicalization Scheme (JCS) for values that came from JSON.parse (or are
 * JSON-shaped): object keys sorted by UTF-16 code units, no whitespace, numbers in the
 * ECMAScript shortest round-trip form, strings escaped as JSON.stringify does.
 * Written as plain loops: it runs for every stored event.
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
      if (Array.isArray(value)) {
        let out = "[";
        for (let i = 0; i < value.length; i++) out += (i ? "," : "") + canonicalJson(value[i]);
        return out + "]";
      }
      const obj = value as Record<string, unknown>;
      // Default sort compares UTF-16 code units, exactly what RFC 8785 §3.2.3 asks for.
      const keys = Object.keys(obj).sort();
      let out = "{";
      let first = true;
      for (const key of keys) {
        const v = obj[key];
        if (v === undefined) continue;
        out += (first ? "" : ",") + JSON.stringify(key) + ":" + canonicalJson(v);
        first = false;
      }
      return out + "}";
    }
    default:
      throw new TypeError(`canonical JSON cannot encode a ${typeof value}`);
  }
}
