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

  it("lists each event exactly as GET /v1/events/{id} returns it, whatever its shape", async () => {
    const co = stack.companies.us!;
    const action = `shape.check.${Date.now()}`;
    const sent = [
      { category: "auth", action, actor: { email: "only.email@acme.test" }, metadata: { ip: "192.168.1.1" } },
      {
        category: "user",
        action,
        actor: { id: "admin-123", email: "admin@acme.test", name: "Ada Admin" },
        target: { id: "user-456", type: "user", name: "Jane Doe" },
        changes: [
          { field: "name", old: "John Doe", new: "Jane Doe" },
          { field: "seats", old: 3, new: 4.5 },
          { field: "flags", old: null, new: { beta: true, tags: ["a", "é", "\u2028"] } },
          { field: "removed", old: false },
        ],
        metadata: { nested: { deep: [1, { two: 2 }] }, quote: 'say "hi"', emoji: "😀" },
        payload: { userId: "user-456" },
        personalFields: ["/metadata/quote", "/changes/0/old"],
      },
      { category: "system", action, actor: { id: "svc", type: "service" }, target: { id: "doc-1", type: "document" }, projectId: co.projectId, idempotencyKey: `k-${Date.now()}` },
    ];
    const created = await stack.api(co.workspaceKey, "POST", "/v1/events", { events: sent });
    expect(created.status, created.text).toBe(201);
    for (const key of [co.workspaceKey, co.companyKey]) {
      // Two pages, so the cursor members after `data` are checked too.
      const first = await stack.api(key, "GET", `/v1/events?action=${action}&limit=2`);
      expect(first.status, first.text).toBe(200);
      expect(first.body).toMatchObject({ hasMore: true, nextCursor: expect.any(String) });
      const second = await stack.api(key, "GET", `/v1/events?action=${action}&limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`);
      expect(second.status, second.text).toBe(200);
      expect(second.body).toMatchObject({ hasMore: false, nextCursor: null });
      const listed = [...first.body.data, ...second.body.data] as Array<{ id: string }>;
      expect(listed.map((e) => e.id)).toEqual(created.body.results.map((r: { id: string }) => r.id).reverse());
      for (const e of listed) {
        const one = await stack.api(key, "GET", `/v1/events/${e.id}`);
        expect(one.status, one.text).toBe(200);
        expect(e).toStrictEqual(one.body);
      }
    }
  });
});
