/**
 * The bucket lifecycle configuration the services write (S3 replaces it whole): their own rule
 * added or replaced by ID, every other rule kept, nothing written when it is already in force.
 */
import type { LifecycleRule } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { withLifecycleRule } from "./lifecycle.ts";

const cold: LifecycleRule = {
  ID: "hyrelog-archives-cold",
  Status: "Enabled",
  Filter: { And: { Prefix: "archives/", Tags: [{ Key: "hyrelog-storage", Value: "cold" }] } },
  Transitions: [{ Days: 0, StorageClass: "GLACIER" }],
};
const exportsRule: LifecycleRule = { ID: "hyrelog-export-retention", Status: "Enabled", Filter: { Prefix: "exports/" }, Expiration: { Days: 31 } };
const operators: LifecycleRule = { ID: "abort-uploads", Status: "Enabled", Filter: { Prefix: "" }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } };

describe("withLifecycleRule", () => {
  it("adds the rule to a bucket without lifecycle configuration", () => {
    expect(withLifecycleRule({ rules: [] }, cold, { smallObjects: true })).toEqual({ rules: [cold], transitionDefaultMinimumObjectSize: "varies_by_storage_class" });
    expect(withLifecycleRule({ rules: [] }, exportsRule)).toEqual({ rules: [exportsRule] });
  });

  it("keeps every other rule and replaces its own by ID", () => {
    const old = { ...cold, Transitions: [{ Days: 0, StorageClass: "DEEP_ARCHIVE" as const }] };
    const next = withLifecycleRule({ rules: [operators, old, exportsRule], transitionDefaultMinimumObjectSize: "varies_by_storage_class" }, cold, { smallObjects: true });
    expect(next).toEqual({ rules: [operators, exportsRule, cold], transitionDefaultMinimumObjectSize: "varies_by_storage_class" });
  });

  it("writes nothing when the rule is in force as it is, whatever the order of its fields", () => {
    const asListed: LifecycleRule = {
      Transitions: [{ StorageClass: "GLACIER", Days: 0 }],
      Filter: { And: { Tags: [{ Value: "cold", Key: "hyrelog-storage" }], Prefix: "archives/" } },
      Status: "Enabled",
      ID: "hyrelog-archives-cold",
    };
    expect(withLifecycleRule({ rules: [exportsRule, asListed], transitionDefaultMinimumObjectSize: "varies_by_storage_class" }, cold, { smallObjects: true })).toBeNull();
    expect(withLifecycleRule({ rules: [exportsRule, asListed] }, exportsRule)).toBeNull();
  });

  it("moves small objects only when asked; keeps the bucket's setting otherwise", () => {
    // In force, but S3's default minimum (128 KiB) would keep small archives where they are.
    expect(withLifecycleRule({ rules: [cold], transitionDefaultMinimumObjectSize: "all_storage_classes_128K" }, cold, { smallObjects: true })).toEqual({
      rules: [cold],
      transitionDefaultMinimumObjectSize: "varies_by_storage_class",
    });
    expect(withLifecycleRule({ rules: [cold], transitionDefaultMinimumObjectSize: "all_storage_classes_128K" }, exportsRule)).toEqual({
      rules: [cold, exportsRule],
      transitionDefaultMinimumObjectSize: "all_storage_classes_128K",
    });
  });
});
