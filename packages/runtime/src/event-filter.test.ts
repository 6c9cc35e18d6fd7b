import { describe, expect, it } from "vitest";
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { BadRequestSchema, EventFilterSchema, KeyScope, PrincipalSchema } from "@hyrelog/proto";
import type { Violation } from "@hyrelog/core";
import type { Orm } from "@hyrelog/db";
import { EVENT_FILTER_FIELDS, EventFilter } from "./event-filter.ts";
import { Tenancy } from "./tenancy.ts";

const WS = "01a2019d-5139-7001-8b51-4215b5f4eff6";
const PROJECT = "01a2019d-5139-7002-8b51-4215b5f4eff6";
const FULL = {
  category: "user",
  action: "user.role_changed",
  projectId: PROJECT,
  workspaceId: WS,
  actorId: "u_1",
  actorEmail: "jane@acme.test",
  targetId: "u_2",
  targetType: "user",
  from: "2026-01-01T00:00:00.000Z",
  to: "2026-02-01T12:30:00.250Z",
};

const parse = <T>(convert: (out: Violation[]) => T): { value: T; violations: Violation[] } => {
  const violations: Violation[] = [];
  return { value: convert(violations), violations };
};

describe("EventFilter: one field list", () => {
  it("has exactly the fields of hyrelog.query.v1.EventFilter, in its order", () => {
    expect(EVENT_FILTER_FIELDS).toEqual(EventFilterSchema.fields.map((f) => f.localName));
  });
});

describe("EventFilter conversions round-trip", () => {
  it("query string → proto → JSON → proto → query-shaped JSON", () => {
    const { value: fromQuery, violations } = parse((out) => EventFilter.fromQuery(new URLSearchParams(FULL), out));
    expect(violations).toEqual([]);
    expect(fromQuery.toJson()).toEqual(FULL);
    const proto = fromQuery.toProto();
    expect(proto.category).toBe("user");
    expect(proto.from).toEqual(timestampFromDate(new Date(FULL.from)));
    const back = parse((out) => EventFilter.fromProto(proto, out));
    expect(back.violations).toEqual([]);
    expect(back.value.toJson()).toEqual(FULL);
    const stored = JSON.parse(JSON.stringify(back.value.toJson()));
    const reread = parse((out) => EventFilter.fromJson(stored, "filter", out));
    expect(reread.violations).toEqual([]);
    expect(reread.value.toProto()).toEqual(proto);
    expect(reread.value.workspaceId).toBe(WS);
  });

  it("keeps the time bounds exactly, at the ends of the timestamp range", () => {
    for (const [from, to] of [
      ["0001-01-01T00:00:00.000Z", "0099-12-31T23:59:59.999Z"],
      ["2026-03-01T00:00:00+02:00", "9999-12-31T23:59:59.999Z"],
    ]) {
      const q = parse((out) => EventFilter.fromQuery(new URLSearchParams({ from: from!, to: to! }), out));
      expect(q.violations).toEqual([]);
      const json = q.value.toJson();
      expect(json).toEqual({ from: new Date(from!).toISOString(), to: new Date(to!).toISOString() });
      const again = parse((out) => EventFilter.fromProto(parse((o) => EventFilter.fromJson(json, "", o)).value.toProto(), out));
      expect(again.violations).toEqual([]);
      expect(again.value.toJson()).toEqual(json);
    }
  });

  it("treats empty and absent values as no filter", () => {
    const q = parse((out) => EventFilter.fromQuery(new URLSearchParams("category=&from=&to=&action=a"), out));
    expect(q.violations).toEqual([]);
    expect(q.value.toJson()).toEqual({ action: "a" });
    expect(q.value.toProto()).toEqual(create(EventFilterSchema, { action: "a" }));
    expect(parse((out) => EventFilter.fromJson({ category: "", targetId: "t" }, "filters", out)).value.toJson()).toEqual({ targetId: "t" });
    expect(parse((out) => EventFilter.fromJson(null, "filters", out)).value.toJson()).toEqual({});
    expect(parse((out) => EventFilter.fromJson(undefined, "filters", out)).value.toJson()).toEqual({});
    expect(parse((out) => EventFilter.fromProto(undefined, out)).value.toJson()).toEqual({});
    expect(EventFilter.none().toProto()).toEqual(create(EventFilterSchema));
  });
});

describe("EventFilter conversions report bad input by field", () => {
  it("query string: times that are not RFC 3339 (the gateway refuses unknown parameters itself)", () => {
    const { violations } = parse((out) => EventFilter.fromQuery(new URLSearchParams({ from: "yesterday", to: "2026-02-30T00:00:00Z", acton: "x" }), out));
    expect(violations).toEqual([
      { field: "from", description: 'must be an RFC 3339 timestamp such as "2026-01-31T00:00:00Z"' },
      { field: "to", description: 'must be an RFC 3339 timestamp such as "2026-01-31T00:00:00Z"' },
    ]);
  });

  it("JSON: every problem under its path, in the body's order", () => {
    const { violations } = parse((out) =>
      EventFilter.fromJson(JSON.parse('{"acton":"x","category":7,"workspaceId":null,"from":"2026-01-31","to":1700000000,"constructor":"x","__proto__":{"a":1}}'), "filters", out),
    );
    const list = EVENT_FILTER_FIELDS.join(", ");
    expect(violations).toEqual([
      { field: "filters.acton", description: `is not a filter of GET /v1/events (${list})` },
      { field: "filters.category", description: "must be a string" },
      { field: "filters.workspaceId", description: "must be a string" },
      { field: "filters.from", description: 'must be an RFC 3339 timestamp such as "2026-01-31T00:00:00Z"' },
      { field: "filters.to", description: 'must be an RFC 3339 timestamp such as "2026-01-31T00:00:00Z"' },
      { field: "filters.constructor", description: `is not a filter of GET /v1/events (${list})` },
      { field: "filters.__proto__", description: `is not a filter of GET /v1/events (${list})` },
    ]);
    for (const notObject of ["category=x", 1, true, ["category"]]) {
      expect(parse((out) => EventFilter.fromJson(notObject, "filters", out)).violations).toEqual([
        { field: "filters", description: "must be an object with the query parameters of GET /v1/events" },
      ]);
    }
  });

  it("proto: timestamps outside google.protobuf.Timestamp's range", () => {
    const { violations } = parse((out) =>
      EventFilter.fromProto(create(EventFilterSchema, { from: { seconds: 300_000_000_000n, nanos: 0 }, to: { seconds: 0n, nanos: -1 } }), out),
    );
    expect(violations.map((v) => v.field)).toEqual(["from", "to"]);
  });
});

describe("EventFilter.conditions", () => {
  // A workspace key's scope and these filters need no lookup: Tenancy is never asked.
  const tenancy = new Tenancy(null as unknown as Orm);
  const workspaceKey = create(PrincipalSchema, { companyId: "01a2019d-5139-7000-9818-5107aa9a3833", workspaceId: WS, scope: KeyScope.WORKSPACE });
  const filter = (json: Record<string, string>) => parse((out) => EventFilter.fromJson(json, "", out)).value;
  const failure = (p: Promise<unknown>): Promise<ConnectError> =>
    p.then(
      () => {
        throw new Error("expected the conditions to be refused");
      },
      (e: unknown) => {
        expect(e).toBeInstanceOf(ConnectError);
        return e as ConnectError;
      },
    );

  it("are the scope, then exact matches, then the time range", async () => {
    const c = await filter({ targetType: "doc", category: "c", actorEmail: "e", from: FULL.from, to: FULL.to }).conditions(tenancy, workspaceKey);
    expect(c.where).toEqual(["company_id = ?", "workspace_id = ?", "category = ?", "actor_email = ?", "target_type = ?", "occurred_at >= ?", "occurred_at < ?"]);
    expect(c.params).toEqual([workspaceKey.companyId, WS, "c", "e", "doc", FULL.from, FULL.to]);
  });

  it("refuse text no event can hold, naming each field", async () => {
    const err = await failure(filter({ category: "a\u0000", targetId: "\ud800", action: "fine" }).conditions(tenancy, workspaceKey));
    expect([err.code, err.rawMessage]).toEqual([Code.InvalidArgument, "invalid filter"]);
    expect(err.findDetails(BadRequestSchema)[0]?.violations.map((v) => v.field)).toEqual(["category", "targetId"]);
  });

  it("refuse an empty time range and another workspace for a workspace key", async () => {
    const range = await failure(filter({ from: FULL.to, to: FULL.from }).conditions(tenancy, workspaceKey));
    expect([range.code, range.rawMessage]).toEqual([Code.InvalidArgument, "empty time range"]);
    const other = await failure(filter({ workspaceId: PROJECT }).conditions(tenancy, workspaceKey));
    expect([other.code, other.rawMessage]).toEqual([Code.PermissionDenied, "a workspace key can only read its own workspace"]);
    const none = await failure(filter({}).conditions(tenancy, undefined));
    expect(none.code).toBe(Code.Unauthenticated);
  });
});
