import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { TestStack } from "@hyrelog/testing";

let stack: TestStack;
beforeAll(async () => {
  stack = await TestStack.start({ infra: inject("infra") });
});
afterAll(async () => stack?.stop());

describe("ingest → query round trip through the gateway", () => {
  it("stores an event with a workspace key and returns it to both keys", async () => {
    const co = stack.companies.us!;
    const created = await stack.api(co.workspaceKey, "POST", "/v1/events", {
      category: "user",
      action: "user.role_changed",
      actor: { id: "u_1", email: "jane@acme.test", name: "Jane", type: "user" },
      target: { id: "u_2", type: "user", name: "Bob" },
      projectId: co.projectId,
      changes: [{ field: "role", old: "member", new: "admin" }],
      metadata: { reason: "promotion" },
    });
    expect(created.status).toBe(201);
    expect(created.body.sequence).toBe(1);
    expect(created.body.hash).toMatch(/^[0-9a-f]{64}$/);

    for (const key of [co.workspaceKey, co.companyKey]) {
      const list = await stack.api(key, "GET", "/v1/events");
      expect(list.status).toBe(200);
      expect(list.body.data.map((e: { id: string }) => e.id)).toContain(created.body.id);
    }
    const one = await stack.api(co.companyKey, "GET", `/v1/events/${created.body.id}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({
      id: created.body.id,
      workspaceId: co.workspaceId,
      projectId: co.projectId,
      action: "user.role_changed",
      changes: [{ field: "role", old: "member", new: "admin" }],
      context: { ip: "127.0.0.1" },
    });
  });
});
