import { describe, expect, it } from "vitest";
import { array, EMAIL_PATTERN, integer, named, nullableStr, object, str, uuid } from "./api-schema.ts";
import { compileBody } from "./request-validation.ts";

/** Violations as the dispatcher reports them for a body against its route's schema (ADR 0015). */
describe("body validation", () => {
  const item = named("Item", object({ name: str({ minLength: 1, maxLength: 5 }), count: integer({ minimum: 0, maximum: 10 }), tags: array(str()) }, ["name"]));
  const batch = named("Batch", object({ items: array(item, { minItems: 1, maxItems: 2 }) }));
  const validate = compileBody({ oneOf: [item, batch] });

  it("accepts a valid body", () => {
    expect(validate({ name: "a", count: 3 })).toEqual([]);
    expect(validate({ items: [{ name: "a" }] })).toEqual([]);
  });

  it("names each field by its path and says what to fix", () => {
    expect(validate({ items: [{ name: "a" }, { name: "", count: 11, tags: ["x", 5], extra: true }] })).toEqual([
      { field: "items[1].extra", description: "unknown field (allowed: name, count, tags)" },
      { field: "items[1].name", description: "must not be empty" },
      { field: "items[1].count", description: "must be a whole number from 0 to 10" },
      { field: "items[1].tags[1]", description: "must be a string (got number)" },
    ]);
    expect(validate({ items: [] })).toEqual([{ field: "items", description: "must hold at least one item" }]);
    expect(validate([1])).toEqual([{ field: "body", description: "must be a JSON object (got array)" }]);
  });

  it("reports the alternative the body was meant as, or that it mixes them", () => {
    // Single item: the batch's "items is required" is not reported.
    expect(validate({ name: "toolong" })).toEqual([{ field: "name", description: "must be at most 5 characters long" }]);
    expect(validate({ items: [{ name: "a" }], name: "b" })).toEqual([{ field: "body", description: "must hold Item or Batch, not fields of more than one" }]);
  });

  it("one violation when each alternative misses a field: either will do", () => {
    const who = compileBody(
      object({
        actor: object({ id: nullableStr(), email: nullableStr({ pattern: EMAIL_PATTERN }) }, [], {
          anyOf: [
            { type: "object", properties: { id: str() }, required: ["id"] },
            { type: "object", properties: { email: str() }, required: ["email"] },
          ],
        }),
      }),
    );
    expect(who({ actor: {} })).toEqual([{ field: "actor.id", description: "is required (or actor.email instead)" }]);
    expect(who({ actor: { email: "jane.doe.at.example.com" } })).toEqual([{ field: "actor.email", description: "must be an email address (name@domain)" }]);
  });

  it("names an enum's values and a format, never the value sent", () => {
    const request = compileBody(object({ kind: { type: "string", enum: ["ACCESS", "ERASURE"] }, subjectId: uuid() }, ["kind"]));
    const violations = request({ subjectId: "jane@example.com" });
    expect(violations).toEqual([
      { field: "kind", description: "is required: ACCESS or ERASURE" },
      { field: "subjectId", description: "must be a UUID" },
    ]);
    expect(JSON.stringify(request({ kind: "jane@example.com" }))).not.toContain("jane");
  });
});
