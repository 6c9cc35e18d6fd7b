import { randomUUID } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { TestStack, type ApiResponse } from "@hyrelog/testing";
import { readFileSync } from "node:fs";
import { dashboardHeaders } from "../dashboard/helpers.ts";
import { startReceiver, type Receiver } from "../webhooks/receiver.ts";

/**
 * An attacker company A walks every route of the API with the ids of victim B (same region) and
 * victim C (another region). Every attempt is refused exactly as for an id that does not exist,
 * and nothing is written anywhere: no event, log, checkpoint, job, key, webhook or delivery, in
 * either region's database; each victim's log still verifies and its head has not moved.
 */

type SeededCompany = Awaited<ReturnType<TestStack["seedCompany"]>>;
type RegionCode = "us" | "eu";

/** What an attacker can aim at: the ids of one company's resources. */
interface Ids {
  workspaceId: string;
  projectId: string;
  eventId: string;
  companyKeyId: string;
  workspaceKeyId: string;
  webhookId: string;
  deliveryId: string;
  exportJobId: string;
  /** A pending erasure request (a decision or cancel would change it). */
  gdprRequestId: string;
  /** A company export (GDPR), finished. */
  companyExportJobId: string;
}

const INTERNAL_TOKEN = "cross-tenant-test-internal-token-0123";

let stack: TestStack;
let rx: Receiver;
let A: SeededCompany;
let victims: Array<{ name: string; co: SeededCompany; ids: Ids }>;
let ownIds: Ids;

const sql = <T = Record<string, unknown>>(region: RegionCode, query: string, params: unknown[] = []) =>
  stack.regions[region]!.orm.em.fork().execute<T[]>(query, params);

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const v = await probe();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Gives a company every kind of resource (an event, keys, a webhook with a delivery, a finished export, a pending GDPR erasure, a company export). */
async function resourcesOf(co: SeededCompany): Promise<Ids> {
  const api = stack.api.bind(stack);
  const hook = await api(co.companyKey, "POST", `/v1/workspaces/${co.workspaceId}/webhooks`, { url: rx.url, events: ["AUDIT_EVENT_CREATED"] });
  expect(hook.status, hook.text).toBe(201);
  const event = await api(co.workspaceKey, "POST", "/v1/events", { category: "doc", action: "doc.read", actor: { id: "u1" }, projectId: co.projectId });
  expect(event.status, event.text).toBe(201);
  const deliveryId = await until("a webhook delivery", async () => {
    const res = await api(co.companyKey, "GET", `/v1/webhooks/${hook.body.webhook.id}/deliveries`);
    return res.body?.data?.[0]?.id as string | undefined;
  });
  const exp = await api(co.companyKey, "POST", "/v1/exports", { source: "HOT", format: "JSONL" });
  expect(exp.status, exp.text).toBe(202);
  await until("the export", async () => (await api(co.companyKey, "GET", `/v1/exports/${exp.body.jobId}`)).body?.status === "COMPLETED");
  const gdpr = await api(co.companyKey, "POST", "/v1/gdpr/requests", { kind: "ERASURE", subject: { id: "u1" }, reason: "cross-tenant test" });
  expect(gdpr.status, gdpr.text).toBe(201);
  const companyExport = await api(co.companyKey, "POST", "/v1/key/company/gdpr/export");
  expect(companyExport.status, companyExport.text).toBe(202);
  await until("the company export", async () => (await api(co.companyKey, "GET", `/v1/gdpr/exports/${companyExport.body.jobId}`)).body?.status === "COMPLETED");
  const keyId = async (key: string) => (await api(key, "GET", "/v1/keys/status")).body.key.id as string;
  return {
    workspaceId: co.workspaceId,
    projectId: co.projectId,
    eventId: event.body.id,
    companyKeyId: await keyId(co.companyKey),
    workspaceKeyId: await keyId(co.workspaceKey),
    webhookId: hook.body.webhook.id,
    deliveryId,
    exportJobId: exp.body.jobId,
    gdprRequestId: gdpr.body.id,
    companyExportJobId: companyExport.body.jobId,
  };
}

/** Ids that exist nowhere: the answer every foreign id must be indistinguishable from. */
function missingIds(): Ids {
  return {
    workspaceId: randomUUID(),
    projectId: randomUUID(),
    eventId: randomUUID(),
    companyKeyId: randomUUID(),
    workspaceKeyId: randomUUID(),
    webhookId: randomUUID(),
    deliveryId: randomUUID(),
    exportJobId: randomUUID(),
    gdprRequestId: randomUUID(),
    companyExportJobId: randomUUID(),
  };
}

/** `dashboard`: the dashboard application acting for the attacker's company (an ADMIN of it, x-company-id A). */
type Attack = { key: "company" | "workspace" | "dashboard"; method: string; path: string; body?: unknown };

/** Every /dashboard route the gateway serves (its route table, routes/dashboard.ts), as "METHOD /path/{param}". */
function dashboardRoutes(): string[] {
  const text = readFileSync(new URL("../../services/gateway/src/routes/dashboard.ts", import.meta.url), "utf8");
  return [...text.matchAll(/\{ method: "([A-Z]+)", pattern: "([^"]+)"/g)].map(([, m, p]) => `${m} ${p!.replace(/:([A-Za-z]+)/g, "{$1}")}`);
}

/**
 * For each route (METHOD + the path as the OpenAPI document spells it), the requests that aim it at
 * the target's ids. Routes that take no id of a tenant's resource say so with an empty list.
 */
function attacks(t: Ids): Record<string, Attack[]> {
  const ev = { category: "doc", action: "doc.read", actor: { id: "attacker" } };
  return {
    "GET /": [],
    "GET /openapi.json": [],
    "GET /internal/health": [],
    "GET /internal/metrics": [],
    "GET /v1/verification/keys": [],
    "GET /v1/keys/status": [],
    "GET /v1/events": [
      { key: "company", method: "GET", path: `/v1/events?workspaceId=${t.workspaceId}` },
      { key: "company", method: "GET", path: `/v1/events?projectId=${t.projectId}` },
      { key: "workspace", method: "GET", path: `/v1/events?projectId=${t.projectId}` },
      { key: "workspace", method: "GET", path: `/v1/events?workspaceId=${t.workspaceId}` },
    ],
    "GET /v1/analytics/events": [
      { key: "company", method: "GET", path: `/v1/analytics/events?workspaceId=${t.workspaceId}` },
      { key: "company", method: "GET", path: `/v1/analytics/events?projectId=${t.projectId}&groupBy=actor` },
      { key: "workspace", method: "GET", path: `/v1/analytics/events?projectId=${t.projectId}` },
      { key: "workspace", method: "GET", path: `/v1/analytics/events?workspaceId=${t.workspaceId}&interval=hour` },
    ],
    "GET /v1/events/stream": [
      { key: "company", method: "GET", path: `/v1/events/stream?workspaceId=${t.workspaceId}` },
      { key: "company", method: "GET", path: `/v1/events/stream?projectId=${t.projectId}` },
      { key: "workspace", method: "GET", path: `/v1/events/stream?projectId=${t.projectId}` },
      { key: "workspace", method: "GET", path: `/v1/events/stream?workspaceId=${t.workspaceId}` },
    ],
    "GET /v1/events/{id}": [
      { key: "company", method: "GET", path: `/v1/events/${t.eventId}` },
      { key: "workspace", method: "GET", path: `/v1/events/${t.eventId}` },
    ],
    "GET /v1/events/{id}/proof": [
      { key: "company", method: "GET", path: `/v1/events/${t.eventId}/proof` },
      { key: "workspace", method: "GET", path: `/v1/events/${t.eventId}/proof?treeSize=1` },
    ],
    "GET /v1/targets/{type}/{id}/events": [
      { key: "company", method: "GET", path: `/v1/targets/doc/x/events?workspaceId=${t.workspaceId}` },
      { key: "workspace", method: "GET", path: `/v1/targets/doc/x/events?workspaceId=${t.workspaceId}` },
    ],
    "POST /v1/events": [
      { key: "workspace", method: "POST", path: "/v1/events", body: { ...ev, projectId: t.projectId } },
      { key: "workspace", method: "POST", path: "/v1/events", body: { events: [ev, { ...ev, projectId: t.projectId }] } },
    ],
    "POST /v1/key/workspace/events": [{ key: "workspace", method: "POST", path: "/v1/key/workspace/events", body: { ...ev, projectId: t.projectId } }],
    "GET /v1/checkpoints/latest": [{ key: "company", method: "GET", path: `/v1/checkpoints/latest?workspaceId=${t.workspaceId}` }],
    "GET /v1/checkpoints": [{ key: "company", method: "GET", path: `/v1/checkpoints?workspaceId=${t.workspaceId}` }],
    "GET /v1/checkpoints/consistency": [{ key: "company", method: "GET", path: `/v1/checkpoints/consistency?workspaceId=${t.workspaceId}&from=1&to=1` }],
    "POST /v1/verify": [{ key: "company", method: "POST", path: "/v1/verify", body: { workspaceId: t.workspaceId } }],
    "POST /v1/workspaces/{workspaceId}/keys": [{ key: "company", method: "POST", path: `/v1/workspaces/${t.workspaceId}/keys`, body: { name: "mine now" } }],
    "POST /v1/keys/{keyId}/rotate": [
      { key: "company", method: "POST", path: `/v1/keys/${t.companyKeyId}/rotate` },
      { key: "company", method: "POST", path: `/v1/keys/${t.workspaceKeyId}/rotate` },
    ],
    "POST /v1/keys/{keyId}/revoke": [
      { key: "company", method: "POST", path: `/v1/keys/${t.companyKeyId}/revoke` },
      { key: "company", method: "POST", path: `/v1/keys/${t.workspaceKeyId}/revoke` },
    ],
    "POST /v1/exports": [
      { key: "company", method: "POST", path: "/v1/exports", body: { source: "HOT", format: "JSONL", filters: { workspaceId: t.workspaceId } } },
      { key: "company", method: "POST", path: "/v1/exports", body: { source: "HOT", format: "CSV", filters: { projectId: t.projectId } } },
      { key: "workspace", method: "POST", path: "/v1/exports", body: { source: "HOT", format: "JSONL", filters: { projectId: t.projectId } } },
    ],
    "GET /v1/exports/{jobId}": [{ key: "company", method: "GET", path: `/v1/exports/${t.exportJobId}` }],
    "GET /v1/exports/{jobId}/download": [{ key: "company", method: "GET", path: `/v1/exports/${t.exportJobId}/download` }],
    "GET /v1/jobs/{jobId}": [
      { key: "company", method: "GET", path: `/v1/jobs/${t.exportJobId}` },
      { key: "workspace", method: "GET", path: `/v1/jobs/${t.exportJobId}` },
    ],
    "POST /v1/jobs/{jobId}/cancel": [{ key: "company", method: "POST", path: `/v1/jobs/${t.exportJobId}/cancel` }],
    "GET /v1/key/company/jobs/{jobId}": [{ key: "company", method: "GET", path: `/v1/key/company/jobs/${t.exportJobId}` }],
    "POST /v1/workspaces/{workspaceId}/webhooks": [
      { key: "company", method: "POST", path: `/v1/workspaces/${t.workspaceId}/webhooks`, body: { url: "https://hooks.example.com/steal", events: ["AUDIT_EVENT_CREATED"] } },
      {
        key: "company",
        method: "POST",
        path: `/v1/workspaces/${ownIds.workspaceId}/webhooks`,
        body: { url: "https://hooks.example.com/steal", events: ["AUDIT_EVENT_CREATED"], projectId: t.projectId },
      },
    ],
    "GET /v1/workspaces/{workspaceId}/webhooks": [{ key: "company", method: "GET", path: `/v1/workspaces/${t.workspaceId}/webhooks` }],
    "GET /v1/workspaces/{workspaceId}/keys": [{ key: "company", method: "GET", path: `/v1/workspaces/${t.workspaceId}/keys` }],
    "GET /v1/webhooks/{id}": [{ key: "company", method: "GET", path: `/v1/webhooks/${t.webhookId}` }],
    // The company's own lists name no other tenant's id (tests/api/reads.test.ts: they never show one).
    "GET /v1/keys": [],
    "GET /v1/exports": [],
    "GET /v1/jobs": [],
    "GET /v1/archives": [{ key: "company", method: "GET", path: `/v1/archives?workspaceId=${t.workspaceId}` }],
    // This stack has no archives; tests/archival/lifecycle.test.ts reads another company's archive (404).
    "GET /v1/archives/{id}": [],
    // Restore requests need a cold archive, which this stack has none of: tests/archival/restores-api.test.ts
    // aims another company's key at a company's requests and archive (REST and RPC: 404 like a missing id).
    "POST /v1/restore-requests": [],
    "GET /v1/restore-requests": [],
    "GET /v1/restore-requests/{id}": [],
    "DELETE /v1/restore-requests/{id}": [],
    "POST /v1/webhooks/{id}/disable": [{ key: "company", method: "POST", path: `/v1/webhooks/${t.webhookId}/disable` }],
    "POST /v1/webhooks/{id}/enable": [{ key: "company", method: "POST", path: `/v1/webhooks/${t.webhookId}/enable` }],
    "POST /v1/webhooks/{id}/rotate-secret": [{ key: "company", method: "POST", path: `/v1/webhooks/${t.webhookId}/rotate-secret` }],
    "DELETE /v1/webhooks/{id}": [{ key: "company", method: "DELETE", path: `/v1/webhooks/${t.webhookId}` }],
    "GET /v1/webhooks/{id}/deliveries": [{ key: "company", method: "GET", path: `/v1/webhooks/${t.webhookId}/deliveries` }],
    "POST /v1/webhooks/{id}/deliveries/{deliveryId}/replay": [
      { key: "company", method: "POST", path: `/v1/webhooks/${t.webhookId}/deliveries/${t.deliveryId}/replay` },
      { key: "company", method: "POST", path: `/v1/webhooks/${ownIds.webhookId}/deliveries/${t.deliveryId}/replay` },
    ],
    // Creating and listing name no other tenant's id (a subject id is the caller's own name for a person).
    "POST /v1/gdpr/requests": [],
    "GET /v1/gdpr/requests": [],
    "GET /v1/gdpr/requests/{id}": [{ key: "company", method: "GET", path: `/v1/gdpr/requests/${t.gdprRequestId}` }],
    "POST /v1/gdpr/requests/{id}/approve": [{ key: "company", method: "POST", path: `/v1/gdpr/requests/${t.gdprRequestId}/approve`, body: { comment: "mine now" } }],
    "POST /v1/gdpr/requests/{id}/reject": [{ key: "company", method: "POST", path: `/v1/gdpr/requests/${t.gdprRequestId}/reject` }],
    "POST /v1/gdpr/requests/{id}/cancel": [{ key: "company", method: "POST", path: `/v1/gdpr/requests/${t.gdprRequestId}/cancel` }],
    "POST /v1/key/company/gdpr/export": [],
    "GET /v1/gdpr/exports/{jobId}": [
      { key: "company", method: "GET", path: `/v1/gdpr/exports/${t.companyExportJobId}` },
      { key: "company", method: "GET", path: `/v1/gdpr/exports/${t.exportJobId}` },
    ],
    // HyreLog staff see every company by design; the company routes act for x-company-id only.
    "POST /dashboard/admin/companies": [],
    "GET /dashboard/admin/companies": [],
    "GET /dashboard/admin/plans": [],
    "POST /dashboard/admin/companies/{id}/plan": [],
    "GET /dashboard/admin/audit-logs": [],
    "POST /dashboard/admin/audit-logs/verify": [],
    // The region's periodic jobs belong to no company.
    "POST /dashboard/admin/jobs/{name}/run": [],
    // Restore requests need a cold archive, which this stack has none of: tests/archival/restores.test.ts
    // asks for another company's archive and reads, lists and cancels another company's request (all 404 or empty).
    "GET /dashboard/admin/restore-requests": [],
    "POST /dashboard/admin/restore-requests/{id}/approve": [],
    "POST /dashboard/admin/restore-requests/{id}/reject": [],
    "POST /dashboard/admin/restore-requests/{id}/cancel": [],
    "POST /dashboard/restore-requests": [],
    "GET /dashboard/restore-requests": [],
    "GET /dashboard/restore-requests/{id}": [],
    "DELETE /dashboard/restore-requests/{id}": [],
    // A company's retention classes take no ids: x-company-id names the company (tests/archival/retention-classes.test.ts).
    "GET /dashboard/retention-classes": [],
    "PUT /dashboard/retention-classes": [],
    "GET /dashboard/admin/gdpr-requests": [],
    "GET /dashboard/admin/gdpr-requests/{id}": [],
    "POST /dashboard/admin/gdpr-requests/{id}/approve": [],
    "POST /dashboard/admin/gdpr-requests/{id}/reject": [],
    "GET /dashboard/company": [],
    "GET /dashboard/workspaces": [],
    "POST /dashboard/workspaces": [],
    "POST /dashboard/workspaces/{id}/rename": [{ key: "dashboard", method: "POST", path: `/dashboard/workspaces/${t.workspaceId}/rename`, body: { name: "mine now" } }],
    "POST /dashboard/workspaces/{id}/archive": [{ key: "dashboard", method: "POST", path: `/dashboard/workspaces/${t.workspaceId}/archive` }],
    "GET /dashboard/workspaces/{id}/projects": [{ key: "dashboard", method: "GET", path: `/dashboard/workspaces/${t.workspaceId}/projects` }],
    "POST /dashboard/workspaces/{id}/projects": [{ key: "dashboard", method: "POST", path: `/dashboard/workspaces/${t.workspaceId}/projects`, body: { name: "mine now" } }],
    "POST /dashboard/projects/{id}/rename": [{ key: "dashboard", method: "POST", path: `/dashboard/projects/${t.projectId}/rename`, body: { name: "mine now" } }],
    "POST /dashboard/projects/{id}/archive": [{ key: "dashboard", method: "POST", path: `/dashboard/projects/${t.projectId}/archive` }],
    "GET /dashboard/keys": [],
    "POST /dashboard/keys": [{ key: "dashboard", method: "POST", path: "/dashboard/keys", body: { scope: "workspace", workspaceId: t.workspaceId, name: "mine now" } }],
    "POST /dashboard/keys/{id}/revoke": [
      { key: "dashboard", method: "POST", path: `/dashboard/keys/${t.companyKeyId}/revoke` },
      { key: "dashboard", method: "POST", path: `/dashboard/keys/${t.workspaceKeyId}/revoke` },
    ],
    "PUT /dashboard/keys/{id}/ip-allowlist": [{ key: "dashboard", method: "PUT", path: `/dashboard/keys/${t.companyKeyId}/ip-allowlist`, body: { ipAllowlist: ["203.0.113.7"] } }],
    "GET /dashboard/events": [
      { key: "dashboard", method: "GET", path: `/dashboard/events?workspaceId=${t.workspaceId}` },
      { key: "dashboard", method: "GET", path: `/dashboard/events?projectId=${t.projectId}` },
    ],
    "GET /dashboard/events/{id}": [{ key: "dashboard", method: "GET", path: `/dashboard/events/${t.eventId}` }],
    "POST /dashboard/exports": [
      { key: "dashboard", method: "POST", path: "/dashboard/exports", body: { source: "HOT", format: "JSONL", filters: { workspaceId: t.workspaceId } } },
      { key: "dashboard", method: "POST", path: "/dashboard/exports", body: { source: "HOT", format: "CSV", filters: { projectId: t.projectId } } },
    ],
    "GET /dashboard/exports/{jobId}": [{ key: "dashboard", method: "GET", path: `/dashboard/exports/${t.exportJobId}` }],
    "GET /dashboard/exports/{jobId}/download": [{ key: "dashboard", method: "GET", path: `/dashboard/exports/${t.exportJobId}/download` }],
    "GET /dashboard/workspaces/{workspaceId}/webhooks": [{ key: "dashboard", method: "GET", path: `/dashboard/workspaces/${t.workspaceId}/webhooks` }],
    "POST /dashboard/workspaces/{workspaceId}/webhooks": [
      { key: "dashboard", method: "POST", path: `/dashboard/workspaces/${t.workspaceId}/webhooks`, body: { url: "https://hooks.example.com/steal", events: ["AUDIT_EVENT_CREATED"] } },
      {
        key: "dashboard",
        method: "POST",
        path: `/dashboard/workspaces/${ownIds.workspaceId}/webhooks`,
        body: { url: "https://hooks.example.com/steal", events: ["AUDIT_EVENT_CREATED"], projectId: t.projectId },
      },
    ],
    "POST /dashboard/webhooks/{id}/disable": [{ key: "dashboard", method: "POST", path: `/dashboard/webhooks/${t.webhookId}/disable` }],
    "POST /dashboard/webhooks/{id}/enable": [{ key: "dashboard", method: "POST", path: `/dashboard/webhooks/${t.webhookId}/enable` }],
    "POST /dashboard/webhooks/{id}/rotate-secret": [{ key: "dashboard", method: "POST", path: `/dashboard/webhooks/${t.webhookId}/rotate-secret` }],
    "DELETE /dashboard/webhooks/{id}": [{ key: "dashboard", method: "DELETE", path: `/dashboard/webhooks/${t.webhookId}` }],
    "GET /dashboard/webhooks/{id}/deliveries": [{ key: "dashboard", method: "GET", path: `/dashboard/webhooks/${t.webhookId}/deliveries` }],
    "POST /dashboard/webhooks/{id}/deliveries/{deliveryId}/replay": [
      { key: "dashboard", method: "POST", path: `/dashboard/webhooks/${t.webhookId}/deliveries/${t.deliveryId}/replay` },
      { key: "dashboard", method: "POST", path: `/dashboard/webhooks/${ownIds.webhookId}/deliveries/${t.deliveryId}/replay` },
    ],
    "GET /dashboard/gdpr-requests": [],
    "POST /dashboard/gdpr-requests": [],
    "GET /dashboard/gdpr-requests/{id}": [{ key: "dashboard", method: "GET", path: `/dashboard/gdpr-requests/${t.gdprRequestId}` }],
    "POST /dashboard/gdpr-requests/{id}/approve": [{ key: "dashboard", method: "POST", path: `/dashboard/gdpr-requests/${t.gdprRequestId}/approve`, body: {} }],
    "POST /dashboard/gdpr-requests/{id}/reject": [{ key: "dashboard", method: "POST", path: `/dashboard/gdpr-requests/${t.gdprRequestId}/reject`, body: { comment: "mine now" } }],
    "POST /dashboard/gdpr-requests/{id}/cancel": [{ key: "dashboard", method: "POST", path: `/dashboard/gdpr-requests/${t.gdprRequestId}/cancel` }],
  };
}

/** Row counts and state digests of both regions (TestStack.footprint). */
const footprint = () => stack.footprint();

beforeAll(async () => {
  stack = await TestStack.start({ infra: inject("infra"), plan: "GROWTH", env: { INTERNAL_TOKEN, RATE_LIMIT_KEY_MANAGEMENT_PER_MINUTE: "10000" } });
  rx = await startReceiver();
  A = await stack.seedCompany("us", "GROWTH", "Attacker Inc");
  const B = await stack.seedCompany("us", "GROWTH", "Victim US");
  const C = await stack.seedCompany("eu", "GROWTH", "Victim EU");
  ownIds = await resourcesOf(A);
  victims = [
    { name: "same region", co: B, ids: await resourcesOf(B) },
    { name: "other region", co: C, ids: await resourcesOf(C) },
  ];
  // Let checkpoints and webhook deliveries settle so the footprint only moves if an attack writes.
  await until("checkpoints of every log", async () => {
    const [us] = await sql<{ n: number }>("us", `select count(*)::int as n from log_heads h where not exists (select 1 from checkpoints c where c.log_id = h.log_id and c.tree_size = h.sequence)`);
    const [eu] = await sql<{ n: number }>("eu", `select count(*)::int as n from log_heads h where not exists (select 1 from checkpoints c where c.log_id = h.log_id and c.tree_size = h.sequence)`);
    return us!.n === 0 && eu!.n === 0;
  });
}, 120_000);
afterAll(async () => {
  await rx?.close();
  await stack?.stop();
});

/** The answer with the id itself blanked out, to compare a foreign id's answer with a missing id's. */
function shape(res: ApiResponse, ids: Ids): string {
  let message = String(res.body?.error?.message ?? "");
  for (const id of Object.values(ids)) message = message.replaceAll(id, "<id>");
  return `${res.status} ${res.body?.error?.code ?? ""} ${message}`;
}

describe("another company's ids, on every route", () => {
  it("every route of the API is covered by this test", async () => {
    const doc = (await stack.api(null, "GET", "/openapi.json")).body;
    const routes = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      Object.keys(ops)
        .filter((m) => ["get", "post", "put", "patch", "delete"].includes(m))
        .map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(routes.length).toBeGreaterThan(30);
    const dashboard = dashboardRoutes();
    expect(dashboard.length).toBe(53);
    expect([...routes, ...dashboard].filter((r) => !(r in attacks(missingIds()))).sort(), "routes without a cross-tenant case").toEqual([]);
  });

  it("is refused exactly like an id that does not exist, and writes nothing anywhere", async () => {
    const before = await footprint();
    const missing = missingIds();
    let tried = 0;
    for (const victim of victims) {
      const foreign = attacks(victim.ids);
      const absent = attacks(missing);
      for (const [route, list] of Object.entries(foreign)) {
        for (const [i, attack] of list.entries()) {
          const send = (a: Attack) =>
            a.key === "dashboard"
              ? stack.api(null, a.method, a.path, a.body, dashboardHeaders(stack, { role: "ADMIN", companyId: A.companyId }))
              : stack.api(a.key === "company" ? A.companyKey : A.workspaceKey, a.method, a.path, a.body);
          const res = await send(attack);
          const control = absent[route]![i]!;
          const expected = await send(control);
          const label = `${victim.name}: ${attack.key} key ${attack.method} ${attack.path} ${JSON.stringify(attack.body ?? "")}`;
          expect(res.status, `${label} -> ${res.text}`).toBeGreaterThanOrEqual(400);
          expect(res.status, label).toBeLessThan(500);
          expect(shape(res, victim.ids), label).toBe(shape(expected, missing));
          // A company key naming a workspace, project or resource it does not own: not found.
          if (attack.key !== "workspace" && attack.method === "GET") expect(res.status, label).toBe(404);
          tried++;
        }
      }
    }
    expect(tried).toBeGreaterThan(60);
    expect(await footprint()).toEqual(before);
  });

  it("each victim's log is untouched and still verifies with the victim's own key", async () => {
    for (const { name, co } of victims) {
      const res = await stack.api(co.companyKey, "POST", "/v1/verify", { workspaceId: co.workspaceId });
      expect(res.status, `${name}: ${res.text}`).toBe(200);
      expect(res.body.ok, name).toBe(true);
      const events = await stack.api(co.companyKey, "GET", `/v1/events?workspaceId=${co.workspaceId}`);
      expect(events.body.data.every((e: { companyId: string }) => e.companyId === co.companyId), name).toBe(true);
    }
  });
});

describe("the ingest service proves ownership for internal callers too", () => {
  /** IngestEvents called the way the export, keys and webhook services record their operations. */
  async function ingestAsSystem(region: RegionCode, companyId: string, workspaceId: string): Promise<grpc.ServiceError | null> {
    // Loaded at run time from the .proto files, as any gRPC client would.
    const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../proto");
    const def = protoLoader.loadSync(path.join(root, "hyrelog/ingest/v1/ingest.proto"), { includeDirs: [root], enums: String, defaults: true, oneofs: true });
    const Ingest = (grpc.loadPackageDefinition(def) as any).hyrelog.ingest.v1.IngestService;
    const client = new Ingest(`127.0.0.1:${stack.regions[region]!.servicePort}`, grpc.credentials.createInsecure());
    const md = new grpc.Metadata();
    md.set("x-internal-token", INTERNAL_TOKEN);
    const request = {
      principal: { companyId, scope: "KEY_SCOPE_SYSTEM" },
      events: [{ category: "export", action: "export.completed", actor: { id: "hyrelog", type: "system" }, target: { id: "job", type: "export" }, workspaceId }],
    };
    try {
      return await new Promise((resolve) => client.IngestEvents(request, md, { deadline: Date.now() + 5000 }, (err: grpc.ServiceError | null) => resolve(err)));
    } finally {
      client.close();
    }
  }

  it("a system record naming another company's workspace is refused, naming the field, and stores nothing", async () => {
    const before = await footprint();
    for (const { name, co } of victims) {
      const err = await ingestAsSystem("us", A.companyId, co.workspaceId);
      expect(err?.code, name).toBe(grpc.status.INVALID_ARGUMENT);
      // The BadRequest detail (binary protobuf) names the field.
      const detail = Buffer.concat(err!.metadata.get("grpc-status-details-bin") as Buffer[]).toString("latin1");
      expect(detail).toContain("events[0].workspaceId");
    }
    // A company that is not in this region's database has no company-level log here either.
    const err = await ingestAsSystem("us", victims[1]!.co.companyId, "");
    expect(err?.code).toBe(grpc.status.NOT_FOUND);
    expect(await footprint()).toEqual(before);
    // Its own workspace works: the check refuses only what is not the caller's.
    expect(await ingestAsSystem("us", A.companyId, A.workspaceId)).toBeNull();
  });
});

describe("the database makes every log belong to exactly one company", () => {
  const refused = async (region: RegionCode, query: string, params: unknown[]) => {
    const err = await sql(region, query, params).then(
      () => null,
      (e: { code?: string }) => e,
    );
    expect(err, query).not.toBeNull();
    // 23503 foreign key, 23514 check constraint
    expect(["23503", "23514"], query).toContain(err!.code);
  };

  it("refuses a log head whose workspace is another company's or another region's", async () => {
    const [B, C] = [victims[0]!.co, victims[1]!.co];
    // A workspace of B's that has no log yet, so only ownership can refuse it.
    const fresh = randomUUID();
    await sql("us", `insert into workspaces (id, company_id, name) values (?, ?, 'Staging')`, [fresh, B.companyId]);
    await refused("us", `insert into log_heads (log_id, company_id, workspace_id, sequence, hash, updated_at) values (?, ?, ?, 0, repeat('0', 64), now())`, [
      fresh,
      A.companyId,
      fresh,
    ]);
    await refused("us", `insert into log_heads (log_id, company_id, workspace_id, sequence, hash, updated_at) values (?, ?, ?, 0, repeat('0', 64), now())`, [
      C.workspaceId,
      A.companyId,
      C.workspaceId,
    ]);
    // A log id that is neither the workspace nor the company.
    await refused("us", `insert into log_heads (log_id, company_id, workspace_id, sequence, hash, updated_at) values (?, ?, null, 0, repeat('0', 64), now())`, [
      randomUUID(),
      A.companyId,
    ]);
    // A company of another region.
    await refused("us", `insert into log_heads (log_id, company_id, workspace_id, sequence, hash, updated_at) values (?, ?, null, 0, repeat('0', 64), now())`, [
      C.companyId,
      C.companyId,
    ]);
  });

  it("refuses an event that names another company than its log's", async () => {
    const B = victims[0]!.co;
    await refused(
      "us",
      `insert into audit_events (id, company_id, workspace_id, log_id, sequence, prev_hash, hash, occurred_at, received_at, category, action)
       values (?, ?, ?, ?, 999, repeat('0', 64), repeat('1', 64), now(), now(), 'x', 'x')`,
      [randomUUID(), A.companyId, B.workspaceId, B.workspaceId],
    );
  });
});
