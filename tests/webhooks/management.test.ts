import { randomUUID } from "node:crypto";
import { lookup } from "node:dns/promises";
import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Webhook as StandardWebhook } from "standardwebhooks";
import { TestStack, expectApiError } from "@hyrelog/testing";
import { startReceiver, type Receiver } from "./receiver.ts";

let stack: TestStack;
const receivers: Receiver[] = [];
beforeAll(async () => {
  stack = await TestStack.start({ infra: inject("infra"), regions: ["us"], plan: "GROWTH", env: { RATE_LIMIT_KEY_MANAGEMENT_PER_MINUTE: "1000" } });
});
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await stack?.stop();
});

const sql = <T = Record<string, unknown>>(query: string, params: unknown[] = []) => stack.regions.us!.orm.em.fork().execute<T[]>(query, params);

async function receiver(): Promise<Receiver> {
  const r = await startReceiver();
  receivers.push(r);
  return r;
}

const create = (co: { companyKey: string; workspaceId: string }, body: Record<string, unknown>) =>
  stack.api(co.companyKey, "POST", `/v1/workspaces/${co.workspaceId}/webhooks`, body);

describe("plan gating", () => {
  for (const plan of ["FREE", "STARTER"] as const) {
    it(`refuses webhooks on ${plan} with a 403 naming the plan`, async () => {
      const co = await stack.seedCompany("us", plan, `${plan} Co`);
      const res = await create(co, { url: "https://hooks.example.com/x", events: ["AUDIT_EVENT_CREATED"] });
      expectApiError(res, 403, "plan_limit");
      expect(res.body.error.message).toContain(plan);
      expect(res.body.error.details).toEqual({ plan, limit: "webhooks", value: "false" });
    });
  }

  it("GROWTH allows 3 endpoints, the 4th is refused naming the limit; deleting one frees a slot", async () => {
    const co = await stack.seedCompany("us", "GROWTH", "Growth Co");
    const rx = await receiver();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await create(co, { url: rx.url, events: ["AUDIT_EVENT_CREATED"] });
      expect(res.status, res.text).toBe(201);
      ids.push(res.body.webhook.id);
    }
    const fourth = await create(co, { url: rx.url, events: ["AUDIT_EVENT_CREATED"] });
    expectApiError(fourth, 403, "plan_limit");
    expect(fourth.body.error.message).toMatch(/GROWTH plan allows at most 3 webhook endpoints/);
    expect(fourth.body.error.details).toEqual({ plan: "GROWTH", limit: "maxWebhooks", value: "3" });
    const deleted = await stack.api(co.companyKey, "DELETE", `/v1/webhooks/${ids[0]}`);
    expect(deleted.status).toBe(200);
    expect((await create(co, { url: rx.url, events: ["AUDIT_EVENT_CREATED"] })).status).toBe(201);
  });

  it("ENTERPRISE allows 20 endpoints", async () => {
    const co = await stack.seedCompany("us", "ENTERPRISE", "Enterprise Co");
    const rx = await receiver();
    for (let i = 0; i < 20; i++) expect((await create(co, { url: rx.url, events: ["EXPORT_COMPLETED"] })).status).toBe(201);
    const res = await create(co, { url: rx.url, events: ["EXPORT_COMPLETED"] });
    expectApiError(res, 403, "plan_limit");
    expect(res.body.error.details).toEqual({ plan: "ENTERPRISE", limit: "maxWebhooks", value: "20" });
  });
});

describe("access", () => {
  it("needs a company key; a workspace key gets 403", async () => {
    const co = await stack.seedCompany("us", "GROWTH", "Access Co");
    const res = await stack.api(co.workspaceKey, "POST", `/v1/workspaces/${co.workspaceId}/webhooks`, { url: "https://hooks.example.com/", events: ["AUDIT_EVENT_CREATED"] });
    expectApiError(res, 403, "forbidden");
    expectApiError(await stack.api(co.workspaceKey, "GET", `/v1/workspaces/${co.workspaceId}/webhooks`), 403, "forbidden");
  });

  it("another company's webhooks and deliveries answer 404", async () => {
    const a = await stack.seedCompany("us", "GROWTH", "Tenant A");
    const b = await stack.seedCompany("us", "GROWTH", "Tenant B");
    const rx = await receiver();
    const created = await create(a, { url: rx.url, events: ["AUDIT_EVENT_CREATED"] });
    expect(created.status).toBe(201);
    const id = created.body.webhook.id;
    await rx.waitFor(1); // the webhook.created record
    const [delivery] = await sql<{ id: string }>("select id from webhook_deliveries where endpoint_id = ?", [id]);
    for (const [method, path] of [
      ["POST", `/v1/webhooks/${id}/disable`],
      ["POST", `/v1/webhooks/${id}/enable`],
      ["POST", `/v1/webhooks/${id}/rotate-secret`],
      ["DELETE", `/v1/webhooks/${id}`],
      ["GET", `/v1/webhooks/${id}/deliveries`],
      ["POST", `/v1/webhooks/${id}/deliveries/${delivery!.id}/replay`],
    ] as const) {
      expectApiError(await stack.api(b.companyKey, method, path), 404, "not_found");
    }
    expectApiError(await stack.api(b.companyKey, "GET", `/v1/workspaces/${a.workspaceId}/webhooks`), 404, "not_found");
    expectApiError(await create(b, { url: rx.url, events: ["AUDIT_EVENT_CREATED"], projectId: a.projectId }), 404, "not_found");
    // Still there, untouched, for its owner.
    const list = await stack.api(a.companyKey, "GET", `/v1/workspaces/${a.workspaceId}/webhooks`);
    expect(list.body.data).toEqual([expect.objectContaining({ id, status: "active" })]);
  });

  it("records every management action in the audit log, never the secret", async () => {
    const co = await stack.seedCompany("us", "GROWTH", "Audit Co");
    const rx = await receiver();
    const created = await create(co, { url: rx.url, events: ["CHECKPOINT_PUBLISHED"] });
    const id = created.body.webhook.id;
    for (const action of ["disable", "enable", "rotate-secret"]) expect((await stack.api(co.companyKey, "POST", `/v1/webhooks/${id}/${action}`)).status).toBe(200);
    expect((await stack.api(co.companyKey, "DELETE", `/v1/webhooks/${id}`)).status).toBe(200);
    await expect
      .poll(async () => {
        const res = await stack.api(co.companyKey, "GET", `/v1/events?category=webhook&workspaceId=${co.workspaceId}`);
        return (res.body.data as Array<{ action: string }>).map((e) => e.action).reverse();
      })
      .toEqual(["webhook.created", "webhook.disabled", "webhook.enabled", "webhook.secret_rotated", "webhook.deleted"]);
    const res = await stack.api(co.companyKey, "GET", `/v1/events?category=webhook&workspaceId=${co.workspaceId}`);
    expect(JSON.stringify(res.body)).not.toContain("whsec_");
    expect(res.body.data[0]).toMatchObject({ actor: { type: "api_key" }, target: { id, type: "webhook" } });
  });

  it("validates the request and lists every problem", async () => {
    const co = await stack.seedCompany("us", "GROWTH", "Validation Co");
    const res = await create(co, { url: 42, events: ["NOPE"], filters: { categories: "user", colour: [] }, extra: 1 });
    expectApiError(res, 400, "invalid_argument");
    expect(res.body.error.details.violations.map((v: { field: string }) => v.field).sort()).toEqual(["events[0]", "extra", "filters.categories", "filters.colour", "url"]);
    const bad = await create(co, { url: "https://hooks.example.com/", events: ["NOPE"] });
    expectApiError(bad, 400, "invalid_argument");
    expect(bad.body.error.details.violations).toEqual([{ field: "events[0]", description: expect.stringContaining("AUDIT_EVENT_CREATED") }]);
    // The body's shape (its schema in /openapi.json) is checked first, every field at once; the
    // URL's scheme and literal address (the webhook service's rules) once the shape is right.
    const both = await create(co, { url: "ftp://hooks.example.com/", events: ["NOPE"] });
    expectApiError(both, 400, "invalid_argument");
    expect(both.body.error.details.violations).toEqual([{ field: "events[0]", description: expect.stringContaining("AUDIT_EVENT_CREATED") }]);
    const scheme = await create(co, { url: "ftp://hooks.example.com/", events: ["AUDIT_EVENT_CREATED"] });
    expectApiError(scheme, 400, "invalid_argument");
    expect(scheme.body.error.details.violations).toEqual([{ field: "url", description: expect.stringContaining("http or https") }]);
  });
});

describe("secrets", () => {
  it("stores the secret sealed, never in the clear", async () => {
    const co = await stack.seedCompany("us", "GROWTH", "Secret Co");
    const rx = await receiver();
    const res = await create(co, { url: rx.url, events: ["EXPORT_COMPLETED"] });
    expect(res.status, res.text).toBe(201);
    const [row] = await sql<Record<string, unknown>>("select * from webhook_endpoints where id = ?", [res.body.webhook.id]);
    const secret: string = res.body.secret;
    expect(JSON.stringify(row)).not.toContain(secret.slice(6, 30));
    expect(row!.secret_sealed).toMatch(/^v1:/);
    const list = await stack.api(co.companyKey, "GET", `/v1/workspaces/${co.workspaceId}/webhooks`);
    expect(list.text).not.toContain("whsec_");
  });

  it("after a rotation both secrets sign for the overlap, and each verifies", async () => {
    const co = await stack.seedCompany("us", "GROWTH", "Rotation Co");
    const rx = await receiver();
    const created = await create(co, { url: rx.url, events: ["AUDIT_EVENT_CREATED"], filters: { categories: ["user"] } });
    const oldSecret: string = created.body.secret;
    const rotated = await stack.api(co.companyKey, "POST", `/v1/webhooks/${created.body.webhook.id}/rotate-secret`);
    expect(rotated.status, rotated.text).toBe(200);
    const newSecret: string = rotated.body.secret;
    expect(newSecret).not.toBe(oldSecret);
    const overlap = Date.parse(rotated.body.webhook.previousSecretExpiresAt) - Date.now();
    expect(overlap).toBeGreaterThan(23.9 * 3600_000);
    expect(overlap).toBeLessThanOrEqual(24 * 3600_000);

    await stack.api(co.workspaceKey, "POST", "/v1/events", { category: "user", action: "user.login", actor: { id: "u" } });
    const [req] = await rx.waitFor(1);
    const signatures = req!.headers["webhook-signature"]!.split(" ");
    expect(signatures).toHaveLength(2);
    expect(new StandardWebhook(newSecret).verify(req!.body, req!.headers)).toMatchObject({ type: "AUDIT_EVENT_CREATED" });
    expect(new StandardWebhook(oldSecret).verify(req!.body, req!.headers)).toMatchObject({ type: "AUDIT_EVENT_CREATED" });

    // Once the overlap is over only the new secret signs.
    await sql("update webhook_endpoints set previous_secret_expires_at = now() - interval '1 second' where id = ?", [created.body.webhook.id]);
    await stack.api(co.workspaceKey, "POST", "/v1/events", { category: "user", action: "user.logout", actor: { id: "u" } });
    const [, later] = await rx.waitFor(2);
    expect(later!.headers["webhook-signature"]!.split(" ")).toHaveLength(1);
    expect(() => new StandardWebhook(newSecret).verify(later!.body, later!.headers)).not.toThrow();
    expect(() => new StandardWebhook(oldSecret).verify(later!.body, later!.headers)).toThrow();
  });
});

describe("filters and event types", () => {
  it("delivers only the matching project, categories and actions", async () => {
    const co = await stack.seedCompany("us", "GROWTH", "Filter Co");
    const rx = await receiver();
    const res = await create(co, {
      url: rx.url,
      events: ["AUDIT_EVENT_CREATED"],
      projectId: co.projectId,
      filters: { categories: ["user", "billing"], actions: ["user.*", "billing.paid"] },
    });
    expect(res.status, res.text).toBe(201);
    const send = (e: Record<string, unknown>) => stack.api(co.workspaceKey, "POST", "/v1/events", { actor: { id: "u" }, projectId: co.projectId, ...e });
    await send({ category: "user", action: "user.created" }); // yes
    await send({ category: "user", action: "usernames.changed" }); // no: "user.*" needs the dot
    await send({ category: "billing", action: "billing.refunded" }); // no: action
    await send({ category: "doc", action: "user.created" }); // no: category
    await stack.api(co.workspaceKey, "POST", "/v1/events", { actor: { id: "u" }, category: "user", action: "user.deleted" }); // no: project
    await send({ category: "billing", action: "billing.paid" }); // yes
    const got = await rx.waitFor(2);
    await new Promise((r) => setTimeout(r, 700));
    expect(rx.requests).toHaveLength(2);
    expect(got.map((r) => JSON.parse(r.body).data.event.action)).toEqual(["user.created", "billing.paid"]);
  });

  it("delivers CHECKPOINT_PUBLISHED when the workspace's log is checkpointed", async () => {
    const co = await stack.seedCompany("us", "GROWTH", "Checkpoint Co");
    const rx = await receiver();
    const res = await create(co, { url: rx.url, events: ["CHECKPOINT_PUBLISHED"] });
    expect(res.status).toBe(201);
    await stack.api(co.workspaceKey, "POST", "/v1/events", { category: "user", action: "user.created", actor: { id: "u" } });
    const [req] = await rx.waitFor(1, 10_000);
    const body = JSON.parse(req!.body);
    expect(body.type).toBe("CHECKPOINT_PUBLISHED");
    const latest = await stack.api(co.workspaceKey, "GET", "/v1/checkpoints/latest");
    expect(body.data).toMatchObject({ workspaceId: co.workspaceId, logId: co.workspaceId, treeSize: expect.any(Number), rootHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    // The C2SP checkpoint body: origin, tree size, base64 root hash.
    expect(body.data.signedNote).toContain(`\n${body.data.treeSize}\n${Buffer.from(body.data.rootHash, "hex").toString("base64")}\n`);
    const checkpoints = await stack.api(co.workspaceKey, "GET", "/v1/checkpoints?from=1");
    expect(checkpoints.body.data).toContainEqual(expect.objectContaining({ treeSize: body.data.treeSize, rootHash: body.data.rootHash, signedNote: body.data.signedNote }));
    expect(latest.status).toBe(200);
  });
});

describe("SSRF", () => {
  let ssrf: TestStack;
  beforeAll(async () => {
    ssrf = await TestStack.start({ infra: inject("infra"), regions: ["us"], plan: "GROWTH", env: { WEBHOOK_ALLOW_LOOPBACK: "false", RATE_LIMIT_KEY_MANAGEMENT_PER_MINUTE: "1000" } });
  });
  afterAll(async () => ssrf?.stop());

  const refused = async (url: string) => {
    const co = ssrf.companies.us!;
    const res = await ssrf.api(co.companyKey, "POST", `/v1/workspaces/${co.workspaceId}/webhooks`, { url, events: ["AUDIT_EVENT_CREATED"] });
    expectApiError(res, 400, "invalid_argument");
    expect(res.body.error.details.violations[0].field).toBe("url");
    return res.body.error.message as string;
  };

  it("refuses loopback, private, link-local, metadata and IPv6 loopback URLs", async () => {
    expect(await refused("http://127.0.0.1:8080/hook")).toMatch(/loopback/);
    expect(await refused("http://10.0.0.1/hook")).toMatch(/private/);
    expect(await refused("http://169.254.169.254/latest/meta-data/")).toMatch(/metadata/);
    expect(await refused("http://[::1]/hook")).toMatch(/loopback/);
    expect(await refused("http://localhost:3001/")).toMatch(/localhost|loopback/);
    expect(await refused("http://100.64.0.1/")).toMatch(/cgnat|CGNAT|carrier/i);
    expect(await refused("http://[::ffff:10.0.0.1]/")).toMatch(/private/);
    expect(await refused("ftp://example.com/")).toMatch(/http or https/);
  });

  it("refuses a host name that resolves to a non-public address", async () => {
    const name = await nonPublicHostName();
    expect(name, "no host name on this machine resolves to a non-public address (/etc/hosts, hostname)").toBeTruthy();
    expect(await refused(`http://${name}:8080/hook`)).toMatch(/loopback|private|link-local/);
  });

  it("refuses at connection time too: a delivery to a stored loopback URL is never sent", async () => {
    const co = ssrf.companies.us!;
    const rx = await receiver();
    // Registered through the database, as if DNS had changed since registration.
    const [endpoint] = await ssrf.regions.us!.orm.em.fork().execute<Array<{ id: string }>>(
      `insert into webhook_endpoints (id, company_id, workspace_id, url, event_types, secret_sealed) values (gen_random_uuid(), ?, ?, ?, '{AUDIT_EVENT_CREATED}', 'v1:x:y:z') returning id`,
      [co.companyId, co.workspaceId, rx.url],
    );
    // The sealed secret above is junk; use a real one so the attempt reaches the connection. The
    // delivery is added only then: a dispatcher that claimed it earlier could not open the secret.
    const rotated = await ssrf.api(co.companyKey, "POST", `/v1/webhooks/${endpoint!.id}/rotate-secret`);
    expect(rotated.status, rotated.text).toBe(200);
    await ssrf.regions.us!.orm.em.fork().execute("update webhook_endpoints set previous_secret_sealed = null where id = ?", [endpoint!.id]);
    const [delivery] = await ssrf.regions.us!.orm.em.fork().execute<Array<{ id: string }>>(
      `insert into webhook_deliveries (id, endpoint_id, company_id, event_type, source_id, payload, next_attempt_at) values (gen_random_uuid(), ?, ?, 'AUDIT_EVENT_CREATED', 'x', '{}', now()) returning id`,
      [endpoint!.id, co.companyId],
    );
    // Generous: on a loaded 2-core CI machine the dispatcher's first claim can take several seconds.
    await expect
      .poll(async () => (await ssrf.api(co.companyKey, "GET", `/v1/webhooks/${endpoint!.id}/deliveries`)).body.data.find((d: { id: string }) => d.id === delivery!.id)?.attempts[0]?.error, { timeout: 20_000 })
      .toMatch(/loopback/);
    expect(rx.requests).toHaveLength(0);
  });

  it("a delivery whose endpoint secret cannot be opened is recorded as a failed attempt, never sent unsigned or held silently", async () => {
    const co = ssrf.companies.us!;
    // A secret sealed under another key (or corrupted at rest): the box cannot open it.
    const [endpoint] = await ssrf.regions.us!.orm.em.fork().execute<Array<{ id: string }>>(
      `insert into webhook_endpoints (id, company_id, workspace_id, url, event_types, secret_sealed) values (gen_random_uuid(), ?, ?, ?, '{AUDIT_EVENT_CREATED}', 'v1:x:y:z') returning id`,
      [co.companyId, co.workspaceId, "https://hooks.example.com/x"],
    );
    const [delivery] = await ssrf.regions.us!.orm.em.fork().execute<Array<{ id: string }>>(
      `insert into webhook_deliveries (id, endpoint_id, company_id, event_type, source_id, payload, next_attempt_at) values (gen_random_uuid(), ?, ?, 'AUDIT_EVENT_CREATED', 'y', '{}', now()) returning id`,
      [endpoint!.id, co.companyId],
    );
    const attempt = async () =>
      (await ssrf.api(co.companyKey, "GET", `/v1/webhooks/${endpoint!.id}/deliveries`)).body.data.find((d: { id: string }) => d.id === delivery!.id)?.attempts[0];
    await expect.poll(async () => (await attempt())?.error, { timeout: 20_000 }).toMatch(/secret cannot be opened/);
    expect((await attempt()).statusCode).toBeNull();
  });
});

/** A name from /etc/hosts or this machine's host name that resolves to loopback or a private address. */
async function nonPublicHostName(): Promise<string | null> {
  const candidates = new Set<string>([hostname()]);
  try {
    for (const line of readFileSync("/etc/hosts", "utf8").split("\n")) {
      for (const name of line.replace(/#.*/, "").trim().split(/\s+/).slice(1)) if (name && name !== "localhost" && !name.endsWith(".localhost")) candidates.add(name);
    }
  } catch {
    // no /etc/hosts
  }
  for (const name of candidates) {
    const addresses = await lookup(name, { all: true }).catch(() => []);
    if (addresses.length && addresses.every((a) => /^(127\.|10\.|192\.168\.|::1$|fe80:)/.test(a.address))) return name;
  }
  return null;
}

describe("rate limit", () => {
  let limited: TestStack;
  beforeAll(async () => {
    limited = await TestStack.start({ infra: inject("infra"), regions: ["us"], plan: "GROWTH" });
  });
  afterAll(async () => limited?.stop());

  it("changes share the strict key-management limit (10 a minute); reads do not", async () => {
    const co = limited.companies.us!;
    // Fixed one-minute windows: start the burst well inside one.
    const left = 60_000 - (Date.now() % 60_000);
    if (left < 8000) await new Promise((r) => setTimeout(r, left + 50));
    for (let i = 0; i < 12; i++) expect((await limited.api(co.companyKey, "GET", `/v1/workspaces/${co.workspaceId}/webhooks`)).status).toBe(200);
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await limited.api(co.companyKey, "POST", `/v1/webhooks/${randomUUID()}/disable`)).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(404));
    expect(statuses[10]).toBe(429);
    const res = await limited.api(co.companyKey, "POST", `/v1/workspaces/${co.workspaceId}/webhooks`, { url: "http://127.0.0.1:1/", events: ["AUDIT_EVENT_CREATED"] });
    expectApiError(res, 429, "rate_limited");
    expect(res.headers.get("retry-after")).toMatch(/^\d+$/);
  });
});
