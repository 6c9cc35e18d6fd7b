import { describe, expect, it } from "vitest";
import { canonicalJson } from "./canonical-json.ts";

describe("canonicalJson (RFC 8785)", () => {
  it("sorts keys by UTF-16 code units (RFC 8785 §3.2.3 example)", () => {
    const input = { "\u20ac": "Euro Sign", "\r": "Carriage Return", "\ufb33": "Hebrew Letter Dalet With Dagesh", "1": "One", "\ud83d\ude00": "Emoji: Grinning Face", "\u0080": "Control", "\u00f6": "Latin Small Letter O With Diaeresis" };
    expect(canonicalJson(input)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","ö":"Latin Small Letter O With Diaeresis","€":"Euro Sign","😀":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  it("serialises numbers in the ECMAScript shortest form (RFC 8785 §3.2.2.3)", () => {
    expect(canonicalJson([333333333.33333329, 1e30, 4.5, 2e-3, 0.000000000000000000000000001, -0, 1e21, 1e-7, 100])).toBe(
      "[333333333.3333333,1e+30,4.5,0.002,1e-27,0,1e+21,1e-7,100]",
    );
  });

  it("escapes strings like JSON and keeps other unicode literal", () => {
    expect(canonicalJson({ s: 'a"b\\c\n\u0001é€' })).toBe('{"s":"a\\"b\\\\c\\n\\u0001é€"}');
  });

  it("nests without whitespace, keeps array order, omits undefined members", () => {
    expect(canonicalJson({ b: [3, { z: null, a: true }], a: { y: undefined, x: false } })).toBe('{"a":{"x":false},"b":[3,{"a":true,"z":null}]}');
  });

  it("refuses values JSON cannot carry", () => {
    expect(() => canonicalJson(Number.NaN)).toThrow(/NaN/);
    expect(() => canonicalJson(Infinity)).toThrow();
    expect(() => canonicalJson({ f: () => 1 })).toThrow(/function/);
  });
});
