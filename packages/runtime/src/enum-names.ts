import type { DescEnum } from "@bufbuild/protobuf";

/**
 * The names an API (REST JSON, a database column, a stored job) gives a contract enum's values,
 * derived from the generated descriptor instead of a map written by hand:
 *
 *     const SOURCES = enumNames(ExportSourceSchema, { prefix: "EXPORT_SOURCE_" });
 *     SOURCES.toName(ExportSource.HOT)      // "HOT"
 *     SOURCES.fromName("HOT_AND_ARCHIVED")  // ExportSource.HOT_AND_ARCHIVED
 *     SOURCES.fromName("constructor")       // undefined: only the enum's own names
 *
 * The zero value (`..._UNSPECIFIED`) has no name: it means "not set" on the wire, so it is never
 * an answer, and naming it is never accepted as input.
 */
export interface EnumNames<E extends number, N extends string = string> {
  /** The API names, in declaration order. */
  readonly names: readonly N[];
  /** The API name of a value, or undefined for the zero value, an unlisted or an unknown number. */
  toName(value: number): N | undefined;
  /** The value an API name stands for, or undefined for anything else (including non-strings). */
  fromName(name: unknown): E | undefined;
  /** "HOT, ARCHIVED or HOT_AND_ARCHIVED": the names for a message. */
  readonly alternatives: string;
}

export interface EnumNameOptions<E extends number> {
  /** The prefix every value carries in the .proto file ("EXPORT_SOURCE_"); checked, then dropped. */
  prefix: string;
  /** The API spells names in lower case ("active", "bad_signature"). */
  lowerCase?: boolean;
  /** Only these values have names (default: every value but zero). */
  only?: readonly E[];
}

/** One name map over a generated enum descriptor (`XSchema` of packages/proto). */
export function enumNames<E extends number, N extends string = string>(schema: Pick<DescEnum, "typeName" | "values">, options: EnumNameOptions<E>): EnumNames<E, N> {
  const byValue = new Map<number, N>();
  const byName = new Map<string, E>();
  for (const v of schema.values) {
    if (!v.name.startsWith(options.prefix)) throw new Error(`${schema.typeName}.${v.name} does not start with ${options.prefix}`);
    if (v.number === 0 || (options.only && !options.only.includes(v.number as E)) || byValue.has(v.number)) continue;
    const bare = v.name.slice(options.prefix.length);
    const name = (options.lowerCase ? bare.toLowerCase() : bare) as N;
    byValue.set(v.number, name);
    byName.set(name, v.number as E);
  }
  if (options.only?.some((v) => !byValue.has(v))) throw new Error(`${schema.typeName}: "only" lists a value the enum does not have, or zero`);
  const names = [...byValue.values()];
  return {
    names,
    toName: (value) => byValue.get(value),
    fromName: (name) => (typeof name === "string" ? byName.get(name) : undefined),
    alternatives: names.length > 1 ? `${names.slice(0, -1).join(", ")} or ${names.at(-1)}` : (names[0] ?? ""),
  };
}
