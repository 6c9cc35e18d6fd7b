/**
 * Prometheus metrics (prom-client), scraped over HTTP from real processes after real requests:
 * the gateway's /internal/metrics and each process's metrics port (METRICS_PORT), with the stack
 * split as in Kubernetes (gateway and region services in processes of their own) and as one
 * `hyrelog serve --target=all` child process. Also: trace context crosses gateway, ingest and
 * NATS with no exporter configured (the default).
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { connectBus, eventsStreamName, eventSubject, freePort, TestStack, type Bus } from "@hyrelog/testing";
import { killAllServe, startServe } from "../ingest/serve-process.ts";
import { parseExposition, sampleValue } from "./prometheus.ts";

const INTERNAL_TOKEN = "observability-metrics-internal-token";
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

let stack: TestStack;
let bus: Bus;

beforeAll(async () => {
  stack = await TestStack.start({ infra: inject("infra"), regions: ["us"], env: { INTERNAL_TOKEN, METRICS_PORT: "0" } });
  bus = await connectBus({ url: inject("infra").natsUrl, prefix: stack.natsPrefix, region: "us", name: "observability-metrics-test" });
});
afterAll(async () => {
  await killAllServe();
  await bus?.close();
  await stack?.stop();
});

const event = (extra: Record<string, unknown> = {}) => ({
  category: "user",
  action: "user.login",
  actor: { id: "u_obs", type: "user", email: "jane.doe@example.com", name: "Jane Doe" },
  target: { id: "acct_1", type: "account" },
  ...extra,
});

async function scrape(url: string, headers: Record<string, string> = {}): Promise<string> {
  const res = await fetch(url, { headers });
  expect(res.status, url).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  const text = await res.text();
  parseExposition(text); // every line is valid exposition
  return text;
}

describe("metrics, split processes (one per target group, as in Kubernetes)", () => {
  it("gateway: one observation per request by route pattern, never the raw path, plus Node's process metrics", async () => {
    const co = stack.companies.us!;
    const posted = await stack.api(co.workspaceKey, "POST", "/v1/events", event());
    expect(posted.status, posted.text).toBe(201);
    const got = await stack.api(co.companyKey, "GET", `/v1/events/${posted.body.id}`);
    expect(got.status).toBe(200);
    const missing = await stack.api(co.companyKey, "GET", `/v1/events/${crypto.randomUUID()}`);
    expect(missing.status).toBe(404);

    const text = await scrape(`${stack.gatewayUrl}/internal/metrics`, { "x-internal-token": INTERNAL_TOKEN });
    expect(sampleValue(text, "hyrelog_gateway_requests_total", { method: "POST", route: "/v1/events", status: "201" })).toBeGreaterThanOrEqual(1);
    expect(sampleValue(text, "hyrelog_gateway_requests_total", { method: "GET", route: "/v1/events/:id", status: "200" })).toBeGreaterThanOrEqual(1);
    expect(sampleValue(text, "hyrelog_gateway_requests_total", { method: "GET", route: "/v1/events/:id", status: "404" })).toBeGreaterThanOrEqual(1);
    expect(sampleValue(text, "hyrelog_gateway_request_duration_seconds_count", { method: "POST", route: "/v1/events" })).toBeGreaterThanOrEqual(1);
    expect(sampleValue(text, "hyrelog_gateway_request_duration_seconds_bucket", { method: "POST", route: "/v1/events", le: "+Inf" })).toBeGreaterThanOrEqual(1);
    expect(text, "a raw path (with an id) as a label").not.toMatch(UUID);
    for (const name of ["process_cpu_user_seconds_total", "process_resident_memory_bytes", "nodejs_eventloop_lag_seconds", "nodejs_heap_size_used_bytes"]) {
      expect(sampleValue(text, name), name).toBeGreaterThanOrEqual(0);
    }
    expect(sampleValue(text, "hyrelog_gateway_uptime_seconds")).toBeGreaterThan(0);
  });

  it("region services: RPCs by service, method and code, events ingested and batches, outbox, checkpoints, webhooks and jobs, on the metrics port", async () => {
    const co = stack.companies.us!;
    const batch = await stack.api(co.workspaceKey, "POST", "/v1/events", { events: [event(), event(), event({ idempotencyKey: "obs-1" })] });
    expect(batch.status, batch.text).toBe(201);
    const again = await stack.api(co.workspaceKey, "POST", "/v1/events", event({ idempotencyKey: "obs-1" }));
    expect(again.status, again.text).toBe(200);
    // Well formed (the gateway's schema passes it), refused by the ingest service itself.
    const invalid = await stack.api(co.workspaceKey, "POST", "/v1/events", event({ occurredAt: "2999-01-01T00:00:00.000Z" }));
    expect(invalid.status, invalid.text).toBe(400);

    const port = stack.regions.us!.process.metricsPort;
    expect(port).toBeGreaterThan(0);
    const url = `http://127.0.0.1:${port}/metrics`;
    // The checkpointer ticks every 500 ms in tests: wait for it to have measured.
    let text = "";
    await expect
      .poll(async () => {
        text = await scrape(url);
        return sampleValue(text, "hyrelog_checkpoints_signed_total") ?? 0;
      }, { timeout: 10_000 })
      .toBeGreaterThanOrEqual(1);
    const rpc = (method: string, code: string, service = "hyrelog.ingest.v1.IngestService") => sampleValue(text, "hyrelog_rpc_server_requests_total", { service, method, code });
    expect(rpc("IngestEvents", "ok")).toBeGreaterThanOrEqual(3);
    expect(rpc("IngestEvents", "invalid_argument")).toBeGreaterThanOrEqual(1);
    expect(rpc("Authenticate", "ok", "hyrelog.keys.v1.KeysService")).toBeGreaterThanOrEqual(1);
    expect(sampleValue(text, "hyrelog_rpc_server_duration_seconds_count", { service: "hyrelog.ingest.v1.IngestService", method: "IngestEvents" })).toBeGreaterThanOrEqual(3);
    expect(sampleValue(text, "hyrelog_ingest_events_total", { result: "stored" })).toBeGreaterThanOrEqual(4);
    expect(sampleValue(text, "hyrelog_ingest_events_total", { result: "duplicate" })).toBeGreaterThanOrEqual(1);
    expect(sampleValue(text, "hyrelog_ingest_batches_total")).toBeGreaterThanOrEqual(3);
    expect(sampleValue(text, "hyrelog_ingest_batch_events_bucket", { le: "5" })).toBeGreaterThanOrEqual(3);
    expect(sampleValue(text, "hyrelog_outbox_backlog_rows")).toBeGreaterThanOrEqual(0);
    expect(sampleValue(text, "hyrelog_outbox_lag_seconds")).toBeGreaterThanOrEqual(0);
    expect(sampleValue(text, "hyrelog_checkpoint_lag_events")).toBeGreaterThanOrEqual(0);
    expect(sampleValue(text, "hyrelog_checkpoint_due_logs")).toBeGreaterThanOrEqual(0);
    for (const family of ["hyrelog_webhook_deliveries_total counter", "hyrelog_job_transitions_total counter", "hyrelog_jobs gauge"]) {
      expect(text).toContain(`# TYPE ${family}`);
    }
    expect(sampleValue(text, "process_cpu_user_seconds_total")).toBeGreaterThan(0);
    expect(text).not.toMatch(UUID);

    // The metrics port serves nothing else.
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${port}/metrics`, { method: "POST" })).status).toBe(404);
  });
});

describe("metrics, one process (hyrelog serve --target=all)", () => {
  it("/internal/metrics after an ingest has the REST route counter, the RPC counter and the events-ingested counter; the logs hold no key and no personal data", async () => {
    const metricsPort = await freePort();
    const serve = await startServe({
      databaseUrl: stack.regions.us!.databaseUrl,
      natsUrl: inject("infra").natsUrl,
      natsPrefix: stack.natsPrefix,
      apiKeySecret: stack.apiKeySecret,
      env: { INTERNAL_TOKEN, LOG_LEVEL: "debug", METRICS_PORT: String(metricsPort) },
    });
    const co = stack.companies.us!;
    const post = (body: unknown, key = co.workspaceKey) =>
      fetch(`${serve.gatewayUrl}/v1/events`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: JSON.stringify(body) });
    expect((await post(event())).status, serve.output()).toBe(201);
    expect((await post({ events: [event(), event()] })).status).toBe(201);
    expect((await post(event(), `${co.workspaceKey.slice(0, -4)}AAAA`)).status).toBe(401);

    const text = await scrape(`${serve.gatewayUrl}/internal/metrics`, { "x-internal-token": INTERNAL_TOKEN });
    expect(sampleValue(text, "hyrelog_gateway_requests_total", { method: "POST", route: "/v1/events", status: "201" })).toBe(2);
    expect(sampleValue(text, "hyrelog_gateway_requests_total", { method: "POST", route: "/v1/events", status: "401" })).toBe(1);
    // In one process the gateway calls ingest in-process: counted like a call over the network.
    expect(sampleValue(text, "hyrelog_rpc_server_requests_total", { service: "hyrelog.ingest.v1.IngestService", method: "IngestEvents", code: "ok" })).toBe(2);
    expect(sampleValue(text, "hyrelog_ingest_events_total", { result: "stored" })).toBe(3);
    expect(sampleValue(text, "hyrelog_ingest_batches_total")).toBe(2);
    // The metrics port of the same process serves the same registry, without the internal token.
    const port = await scrape(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(sampleValue(port, "hyrelog_ingest_events_total", { result: "stored" })).toBe(3);

    const lines = serve.output().split("\n").filter(Boolean);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
    const started = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === "process started");
    expect(started).toMatchObject({ level: "info", region: "us", metricsPort, tracing: "propagation only" });
    for (const secret of [co.workspaceKey, co.workspaceKey.slice(0, -4), "jane.doe@example.com", "Jane Doe", INTERNAL_TOKEN]) expect(serve.output()).not.toContain(secret);
  });
});

describe("trace context with no exporter configured (the default)", () => {
  it("one ingest request's traceparent reaches the stored event and the NATS message headers, same trace id", async () => {
    const co = stack.companies.us!;
    const traceId = randomBytes(16).toString("hex");
    const traceparent = `00-${traceId}-${randomBytes(8).toString("hex")}-01`;
    const res = await stack.api(co.workspaceKey, "POST", "/v1/events", event(), { traceparent });
    expect(res.status, res.text).toBe(201);
    // The gateway continues the caller's trace with a span id of its own.
    const answered = res.headers.get("traceparent") ?? "";
    expect(answered).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    expect(answered).not.toBe(traceparent);
    const stored = await stack.api(co.companyKey, "GET", `/v1/events/${res.body.id}`);
    expect(stored.body.context.traceId).toBe(traceId);

    const subject = eventSubject(stack.natsPrefix, "us", co.companyId, co.workspaceId);
    const consumer = await bus.js.consumers.get(eventsStreamName(stack.natsPrefix, "us"), { filter_subjects: subject });
    let header: string | undefined;
    await expect
      .poll(async () => {
        const batch = await consumer.fetch({ max_messages: 100, expires: 1000 });
        for await (const m of batch) {
          const ids = (m.json() as { events: Array<{ id: string }> }).events.map((e) => e.id);
          if (ids.includes(res.body.id)) header = m.headers?.get("traceparent");
        }
        return header;
      }, { timeout: 10_000 })
      .toBeDefined();
    expect(header).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));

    // An invalid traceparent starts a new trace rather than continuing garbage.
    const fresh = await stack.api(co.workspaceKey, "POST", "/v1/events", event(), { traceparent: `00-${"0".repeat(32)}-${"1".repeat(16)}-01` });
    expect(fresh.headers.get("traceparent")).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(fresh.headers.get("traceparent")).not.toContain("0".repeat(32));
  });
});
