import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { expectApiError, TestStack } from "@hyrelog/testing";
import { dash, expectStatus, footprint, until, type Who } from "./helpers.ts";

/**
 * Events, exports and webhooks of x-company-id through /dashboard/*: the /v1 handlers themselves,
 * called with the dashboard user as a company key of the company. The answers are those of /v1
 * with the company's key; a MEMBER reads but creates and changes nothing; another company's ids, in
 * this region or another, answer 404 exactly like ids that exist nowhere.
 */

let stack: TestStack;
type Seeded = Awaited<ReturnType<TestStack["seedCompany"]>>;
let co: Seeded;
let other: Seeded;
let admin: Who;
let member: Who;

beforeAll(async () => {
  stack = await TestStack.start({ infra: inject("infra"), regions: ["us", "eu"], plan: "GROWTH", env: { RATE_LIMIT_KEY_MANAGEMENT_PER_MINUTE: "1000" } });
  co = await stack.seedCompany("us", "GROWTH", "Dashboard API Co");
  other = await stack.seedCompany("us", "GROWTH", "Other Co");
  admin = { role: "ADMIN", companyId: co.companyId };
  member = { role: "MEMBER", companyId: co.companyId };
  const events = ["user.login", "user.logout", "document.created"].map((action, i) => ({ category: action.split(".")[0], action, actor: { id: `u_${i}` } }));
  expectStatus(await stack.api(co.workspaceKey, "POST", "/v1/events", { events }), 201);
  expectStatus(await stack.api(other.workspaceKey, "POST", "/v1/events", { category: "user", action: "user.login", actor: { id: "someone" } }), 201);
});
afterAll(async () => stack?.stop());

describe("GET /dashboard/events", () => {
  it("answers what GET /v1/events answers a company key: filters, pages and cursor", async () => {
    for (const query of ["", "?category=user", "?limit=1", `?workspaceId=${co.workspaceId}&action=user.login`]) {
      const viaDashboard = await dash(stack, member, "GET", `/dashboard/events${query}`);
      expectStatus(viaDashboard, 200);
      const viaKey = await stack.api(co.companyKey, "GET", `/v1/events${query}`);
      expect(viaDashboard.body, query).toEqual(viaKey.body);
    }
    const first = await dash(stack, member, "GET", "/dashboard/events?category=user&limit=1");
    expect(first.body).toMatchObject({ hasMore: true, data: [{ action: "user.logout" }] });
    const next = await dash(stack, member, "GET", `/dashboard/events?category=user&limit=1&cursor=${first.body.nextCursor}`);
    expect(next.body).toMatchObject({ hasMore: false, nextCursor: null, data: [{ action: "user.login" }] });
    // The cursor is bound to its filters, as on /v1.
    const wrong = await dash(stack, member, "GET", `/dashboard/events?action=user.login&cursor=${first.body.nextCursor}`);
    expectApiError(wrong, 400, "invalid_argument");
    expect(wrong.body.error.message).toBe("cursor does not match the filters");

    const one = await dash(stack, member, "GET", `/dashboard/events/${first.body.data[0].id}`);
    expectStatus(one, 200);
    expect(one.body).toEqual(first.body.data[0]);
  });

  it("refuses bad filters naming them, and never shows another company's events", async () => {
    const bad = await dash(stack, member, "GET", "/dashboard/events?from=yesterday&limit=0&acton=x");
    expectApiError(bad, 400, "invalid_argument");
    expect(bad.body.error.details.violations).toEqual([{ field: "acton", description: expect.stringContaining("is not a query parameter of GET /dashboard/events") }]);
    const badFilter = await dash(stack, member, "GET", "/dashboard/events?from=yesterday");
    expectApiError(badFilter, 400, "invalid_argument");
    expect(badFilter.body.error.details.violations.map((v: { field: string }) => v.field)).toEqual(["from"]);

    const theirs = (await stack.api(other.companyKey, "GET", "/v1/events")).body.data[0].id;
    const euEvent = randomUUID();
    for (const [path, message] of [
      [`/dashboard/events/${theirs}`, `event ${theirs} not found`],
      [`/dashboard/events/${euEvent}`, `event ${euEvent} not found`],
      [`/dashboard/events?workspaceId=${other.workspaceId}`, null],
      [`/dashboard/events?projectId=${other.projectId}`, null],
      [`/dashboard/events?workspaceId=${stack.companies.eu!.workspaceId}`, null],
    ] as const) {
      const res = await dash(stack, member, "GET", path);
      expectApiError(res, 404, "not_found");
      if (message) expect(res.body.error.message).toBe(message);
      expect(res.text).not.toContain("someone");
    }
    const all = await dash(stack, member, "GET", "/dashboard/events?limit=1000");
    expect(all.body.data.every((e: { companyId: string }) => e.companyId === co.companyId)).toBe(true);
  });
});

describe("exports through the dashboard", () => {
  it("an ADMIN requests one, anyone reads and downloads it; a MEMBER cannot request; other companies' jobs are 404", async () => {
    const before = await footprint(stack);
    const refused = await dash(stack, member, "POST", "/dashboard/exports", { source: "HOT", format: "JSONL" });
    expectApiError(refused, 403, "forbidden");
    expect(refused.body.error.message).toBe("this route needs role ADMIN or HYRELOG_ADMIN (x-user-role is MEMBER)");
    const invalid = await dash(stack, admin, "POST", "/dashboard/exports", { source: "WARM", format: "JSONL", filters: { colour: "red" } });
    expectApiError(invalid, 400, "invalid_argument");
    expect(invalid.body.error.details.violations.map((v: { field: string }) => v.field)).toEqual(["source", "filters.colour"]);
    expect(await stack.footprint()).toEqual(before);

    const created = await dash(stack, admin, "POST", "/dashboard/exports", { source: "HOT", format: "JSONL", filters: { category: "user" } });
    expectStatus(created, 202);
    const jobId = created.body.jobId;
    const done = await until("the export", async () => {
      const res = await dash(stack, member, "GET", `/dashboard/exports/${jobId}`);
      return res.body.status === "COMPLETED" ? res.body : null;
    }, 30_000);
    expect(done).toMatchObject({ jobId, rowCount: 2, filters: { category: "user" } });
    // The same job through /v1 with the company's key: one implementation, one store.
    expect((await stack.api(co.companyKey, "GET", `/v1/exports/${jobId}`)).body).toMatchObject({ jobId, rowCount: 2, sha256: done.sha256 });

    const file = await dash(stack, member, "GET", `/dashboard/exports/${jobId}/download`);
    expectStatus(file, 200);
    expect(file.headers.get("x-content-sha256")).toBe(done.sha256);
    expect(file.text.trim().split("\n").map((l) => JSON.parse(l).action)).toEqual(expect.arrayContaining(["user.login", "user.logout"]));

    const theirs = await stack.api(other.companyKey, "POST", "/v1/exports", { source: "HOT", format: "CSV" });
    expectStatus(theirs, 202);
    for (const id of [theirs.body.jobId, randomUUID()]) {
      for (const path of [`/dashboard/exports/${id}`, `/dashboard/exports/${id}/download`]) {
        const res = await dash(stack, member, "GET", path);
        expectApiError(res, 404, "not_found");
      }
    }
  });
});

describe("webhooks through the dashboard", () => {
  it("an ADMIN creates, lists, disables, enables, rotates and deletes; a MEMBER lists and reads deliveries only", async () => {
    const base = `/dashboard/workspaces/${co.workspaceId}/webhooks`;
    const before = await footprint(stack);
    const refused = await dash(stack, member, "POST", base, { url: "http://127.0.0.1:9/hook", events: ["AUDIT_EVENT_CREATED"] });
    expectApiError(refused, 403, "forbidden");
    const invalid = await dash(stack, admin, "POST", base, { url: "http://127.0.0.1:9/hook", events: ["NOPE"], colour: "red" });
    expectApiError(invalid, 400, "invalid_argument");
    expect(invalid.body.error.details.violations.map((v: { field: string }) => v.field)).toEqual(["colour", "events[0]"]);
    expect(await stack.footprint()).toEqual(before);

    // Filtered to a category no event has, so no delivery changes it between the reads below.
    const created = await dash(stack, admin, "POST", base, { url: "http://127.0.0.1:9/hook", events: ["AUDIT_EVENT_CREATED"], filters: { categories: ["none"] }, description: "from the dashboard" });
    expectStatus(created, 201);
    expect(created.body.secret).toMatch(/^whsec_/);
    const hook = created.body.webhook;
    expect(hook).toMatchObject({ companyId: co.companyId, workspaceId: co.workspaceId, status: "active", description: "from the dashboard" });

    const listed = await dash(stack, member, "GET", base);
    expectStatus(listed, 200);
    expect(listed.body).toEqual((await stack.api(co.companyKey, "GET", `/v1/workspaces/${co.workspaceId}/webhooks`)).body);
    expect(listed.body.data.map((w: { id: string }) => w.id)).toEqual([hook.id]);

    const disabled = await dash(stack, admin, "POST", `/dashboard/webhooks/${hook.id}/disable`, { reason: "maintenance" });
    expectStatus(disabled, 200);
    expect(disabled.body.webhook.status).toBe("disabled");
    expect((await dash(stack, admin, "POST", `/dashboard/webhooks/${hook.id}/enable`)).body.webhook.status).toBe("active");
    const rotated = await dash(stack, admin, "POST", `/dashboard/webhooks/${hook.id}/rotate-secret`);
    expectStatus(rotated, 200);
    expect(rotated.body.secret).not.toBe(created.body.secret);

    const deliveries = await dash(stack, member, "GET", `/dashboard/webhooks/${hook.id}/deliveries?limit=10`);
    expectStatus(deliveries, 200);
    expect(deliveries.body).toMatchObject({ hasMore: false, nextCursor: null });
    const badStatus = await dash(stack, member, "GET", `/dashboard/webhooks/${hook.id}/deliveries?status=lost`);
    expectApiError(badStatus, 400, "invalid_argument");
    expect(badStatus.body.error.details.violations.map((v: { field: string }) => v.field)).toEqual(["status"]);

    // A MEMBER changes nothing.
    const beforeMember = await footprint(stack);
    for (const [method, path] of [
      ["POST", `/dashboard/webhooks/${hook.id}/disable`],
      ["POST", `/dashboard/webhooks/${hook.id}/enable`],
      ["POST", `/dashboard/webhooks/${hook.id}/rotate-secret`],
      ["DELETE", `/dashboard/webhooks/${hook.id}`],
      ["POST", `/dashboard/webhooks/${hook.id}/deliveries/${randomUUID()}/replay`],
    ] as const) {
      const res = await dash(stack, member, method, path, method === "POST" ? {} : undefined);
      expectApiError(res, 403, "forbidden");
    }
    expect(await stack.footprint()).toEqual(beforeMember);

    // The changes are recorded in the company's log, the dashboard user as the key.
    const records = await dash(stack, member, "GET", "/dashboard/events?category=webhook");
    expect(records.body.data.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(["webhook.created", "webhook.disabled", "webhook.enabled"]));
    expect(records.body.data[0].actor.id).toBe("dashboard:user-admin");

    const deleted = await dash(stack, admin, "DELETE", `/dashboard/webhooks/${hook.id}`);
    expectStatus(deleted, 200);
    expect(deleted.body).toEqual({ id: hook.id, deleted: true });
  });

  it("another company's workspace and webhook ids, in either region, are 404 like ids of no one; nothing is written", async () => {
    const theirs = await stack.api(other.companyKey, "POST", `/v1/workspaces/${other.workspaceId}/webhooks`, { url: "http://127.0.0.1:9/hook", events: ["AUDIT_EVENT_CREATED"] });
    expectStatus(theirs, 201);
    const before = await footprint(stack);
    for (const workspaceId of [other.workspaceId, stack.companies.eu!.workspaceId, randomUUID()]) {
      for (const [method, body] of [["GET", undefined], ["POST", { url: "http://127.0.0.1:9/hook", events: ["AUDIT_EVENT_CREATED"] }]] as const) {
        expectApiError(await dash(stack, admin, method, `/dashboard/workspaces/${workspaceId}/webhooks`, body), 404, "not_found");
      }
    }
    for (const id of [theirs.body.webhook.id, randomUUID()]) {
      for (const [method, path] of [
        ["POST", `/dashboard/webhooks/${id}/disable`],
        ["POST", `/dashboard/webhooks/${id}/enable`],
        ["POST", `/dashboard/webhooks/${id}/rotate-secret`],
        ["DELETE", `/dashboard/webhooks/${id}`],
        ["GET", `/dashboard/webhooks/${id}/deliveries`],
        ["POST", `/dashboard/webhooks/${id}/deliveries/${randomUUID()}/replay`],
      ] as const) {
        const res = await dash(stack, admin, method, path, method === "POST" ? {} : undefined);
        expectApiError(res, 404, "not_found");
        expect(res.body.error.message).toBe(`webhook ${id} not found`);
      }
    }
    expect(await stack.footprint()).toEqual(before);
  });
});

describe("GET /dashboard/admin/companies pages", () => {
  it("a cursor walks every region's companies, newest first, as one list; it is bound to its search", async () => {
    const staff: Who = { role: "HYRELOG_ADMIN" };
    const all = await dash(stack, staff, "GET", "/dashboard/admin/companies?limit=200");
    expectStatus(all, 200);
    expect(all.body).toMatchObject({ hasMore: false, nextCursor: null });
    const ids = all.body.data.map((c: { id: string }) => c.id);
    expect(ids.length).toBe(4);
    expect(new Set(all.body.data.map((c: { dataRegion: string }) => c.dataRegion))).toEqual(new Set(["us", "eu"]));

    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof dash>> = await dash(stack, staff, "GET", `/dashboard/admin/companies?limit=1${cursor ? `&cursor=${cursor}` : ""}`);
      expectStatus(page, 200);
      paged.push(...page.body.data.map((c: { id: string }) => c.id));
      cursor = page.body.nextCursor;
      expect(page.body.hasMore).toBe(cursor !== null);
    } while (cursor);
    expect(paged).toEqual(ids);

    const first = await dash(stack, staff, "GET", "/dashboard/admin/companies?limit=1");
    for (const [query, description] of [
      [`q=Other&cursor=${first.body.nextCursor}`, "was issued for a different search (q, region); repeat it or start without a cursor"],
      [`region=us&cursor=${first.body.nextCursor}`, "was issued for a different search (q, region); repeat it or start without a cursor"],
      ["cursor=bm90LWEtY3Vyc29y", "is not a cursor this API returned; start without one"],
    ] as const) {
      const res = await dash(stack, staff, "GET", `/dashboard/admin/companies?${query}`);
      expectApiError(res, 400, "invalid_argument");
      expect(res.body.error.details.violations).toEqual([{ field: "cursor", description }]);
    }
  });
});
