/**
 * Rotating a region's master key (docs/privacy.md): with the old key kept in
 * PERSONAL_DATA_PREVIOUS_MASTER_KEYS and the blind-index key pinned, every event still opens and
 * is found by email; new subjects are wrapped by the new key.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { derivedIndexKey, localMasterKeyId, TestStack, testMasterKey } from "@hyrelog/testing";

let stack: TestStack;
beforeAll(async () => {
  stack = await TestStack.start({ infra: inject("infra"), regions: ["us"] });
});
afterAll(async () => stack?.stop());

it("after a rotation old and new events open, emails are still found, and new keys are wrapped by the new master key", async () => {
  const co = stack.companies.us!;
  const ingest = async (id: string, email: string) => {
    const r = await stack.api(co.workspaceKey, "POST", "/v1/events", { category: "auth", action: "user.login", actor: { id, email, name: `Name of ${id}` } });
    expect(r.status, r.text).toBe(201);
  };
  const byEmail = async (email: string) => {
    const r = await stack.api(co.companyKey, "GET", `/v1/events?actorEmail=${encodeURIComponent(email)}`);
    expect(r.status, r.text).toBe(200);
    return r.body.data as Array<{ actor: { id: string; email: string } }>;
  };
  await ingest("u_before", "before@example.com");

  const old = testMasterKey(stack.regions.us!.databaseUrl);
  const rotated = randomBytes(32).toString("base64");
  await stack.restartRegion("us", { PERSONAL_DATA_MASTER_KEY: rotated, PERSONAL_DATA_PREVIOUS_MASTER_KEYS: old, PERSONAL_DATA_INDEX_KEY: derivedIndexKey(old) });
  await ingest("u_after", "after@example.com");

  expect((await byEmail("before@example.com")).map((e) => e.actor)).toEqual([{ id: "u_before", type: null, email: "before@example.com", name: "Name of u_before" }]);
  expect((await byEmail("after@example.com")).map((e) => e.actor.email)).toEqual(["after@example.com"]);
  const keys = await stack.regions.us!.orm.em.fork().execute<Array<{ external_id: string; key_id: string }>>(`select external_id, key_id from data_subjects where external_id in ('u_before', 'u_after') order by external_id`);
  expect(keys).toEqual([
    { external_id: "u_after", key_id: localMasterKeyId(rotated) },
    { external_id: "u_before", key_id: localMasterKeyId(old) },
  ]);

  // Without the old key the old subject cannot be opened: an error, never a value shown as erased.
  await stack.restartRegion("us", { PERSONAL_DATA_MASTER_KEY: rotated, PERSONAL_DATA_INDEX_KEY: derivedIndexKey(old) });
  expect((await stack.api(co.companyKey, "GET", "/v1/events?actorEmail=before%40example.com")).status).toBe(500);
  expect((await byEmail("after@example.com")).map((e) => e.actor.email)).toEqual(["after@example.com"]);
});
