import { describe, expect, it } from "vitest";
import {
  DeliveryStatus,
  DeliveryStatusSchema,
  ExportSource,
  ExportSourceSchema,
  FaultKind,
  FaultKindSchema,
  JobStatus,
  JobStatusSchema,
  KeyScope,
  KeyScopeSchema,
  PlanTier,
  Region,
} from "@hyrelog/proto";
import { enumNames } from "./enum-names.ts";
import { planTierToProto, regionToProto } from "./access.ts";

describe("enumNames", () => {
  it("names every value but zero, from the generated descriptor", () => {
    const sources = enumNames(ExportSourceSchema, { prefix: "EXPORT_SOURCE_" });
    expect(sources.names).toEqual(["HOT", "ARCHIVED", "HOT_AND_ARCHIVED"]);
    expect(sources.toName(ExportSource.HOT_AND_ARCHIVED)).toBe("HOT_AND_ARCHIVED");
    expect(sources.fromName("ARCHIVED")).toBe(ExportSource.ARCHIVED);
    expect(sources.alternatives).toBe("HOT, ARCHIVED or HOT_AND_ARCHIVED");
    // The zero value is "not set": never a name, never accepted.
    expect(sources.toName(ExportSource.UNSPECIFIED)).toBeUndefined();
    expect(sources.fromName("UNSPECIFIED")).toBeUndefined();
    expect(sources.fromName("EXPORT_SOURCE_HOT")).toBeUndefined();
  });

  it("round-trips every named value", () => {
    for (const [schema, prefix] of [
      [JobStatusSchema, "JOB_STATUS_"],
      [DeliveryStatusSchema, "DELIVERY_STATUS_"],
      [FaultKindSchema, "FAULT_KIND_"],
    ] as const) {
      for (const lowerCase of [false, true]) {
        const names = enumNames(schema, { prefix, lowerCase });
        expect(names.names.length).toBe(schema.values.length - 1);
        for (const v of schema.values.filter((v) => v.number !== 0)) expect(names.fromName(names.toName(v.number))).toBe(v.number);
      }
    }
  });

  it("spells names in lower case when the API does", () => {
    const faults = enumNames(FaultKindSchema, { prefix: "FAULT_KIND_", lowerCase: true });
    expect(faults.toName(FaultKind.BAD_SIGNATURE)).toBe("bad_signature");
    expect(faults.fromName("bad_signature")).toBe(FaultKind.BAD_SIGNATURE);
    expect(faults.fromName("BAD_SIGNATURE")).toBeUndefined();
    const deliveries = enumNames(DeliveryStatusSchema, { prefix: "DELIVERY_STATUS_", lowerCase: true });
    expect(deliveries.alternatives).toBe("pending, delivered or failed");
    expect(deliveries.toName(DeliveryStatus.DELIVERED)).toBe("delivered");
  });

  it("accepts only its own names: no inherited properties, no other types", () => {
    const statuses = enumNames(JobStatusSchema, { prefix: "JOB_STATUS_" });
    for (const hostile of ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf", "", " PENDING", "pending", 1, null, undefined, {}, ["PENDING"]]) {
      expect(statuses.fromName(hostile), String(hostile)).toBeUndefined();
    }
    expect(statuses.fromName("PENDING")).toBe(JobStatus.PENDING);
    for (const n of [-1, 99, 1.5, Number.NaN]) expect(statuses.toName(n)).toBeUndefined();
  });

  it("can name only some values", () => {
    const scopes = enumNames(KeyScopeSchema, { prefix: "KEY_SCOPE_", lowerCase: true, only: [KeyScope.COMPANY, KeyScope.WORKSPACE] });
    expect(scopes.names).toEqual(["company", "workspace"]);
    expect(scopes.toName(KeyScope.SYSTEM)).toBeUndefined();
    expect(scopes.fromName("system")).toBeUndefined();
    expect(() => enumNames(KeyScopeSchema, { prefix: "KEY_SCOPE_", only: [KeyScope.UNSPECIFIED] })).toThrow(/only/);
  });

  it("refuses a prefix the values do not carry", () => {
    expect(() => enumNames(JobStatusSchema, { prefix: "JOB_STATE_" })).toThrow(/JOB_STATUS_UNSPECIFIED does not start with JOB_STATE_/);
  });

  it("backs the region and plan tier conversions", () => {
    expect(regionToProto("eu")).toBe(Region.EU);
    expect(regionToProto("EU")).toBe(Region.UNSPECIFIED);
    expect(regionToProto("constructor")).toBe(Region.UNSPECIFIED);
    expect(planTierToProto("GROWTH")).toBe(PlanTier.GROWTH);
    expect(planTierToProto("toString")).toBe(PlanTier.UNSPECIFIED);
  });
});
