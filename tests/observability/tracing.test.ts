/**
 * OpenTelemetry with an exporter: the stack sends OTLP/HTTP to a real collector stand-in (an HTTP
 * server that keeps what it is sent). One ingest request carrying a `traceparent` is one trace
 * across the gateway, the ingest RPC, the outbox publish to NATS, the webhook intake and the
 * webhook delivery, with parent links where the work is synchronous.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { TestStack } from "@hyrelog/testing";
import { startReceiver, type Receiver } from "../webhooks/receiver.ts";

interface ExportedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  service: string;
}

/** OTLP/JSON ids are hex; protobuf-JSON mappings use base64: accept both. */
const hex = (id: string | undefined) => (!id ? "" : /^[0-9a-f]*$/.test(id) ? id : Buffer.from(id, "base64").toString("hex"));

let collector: http.Server;
const spans: ExportedSpan[] = [];
let stack: TestStack;
let rx: Receiver;

beforeAll(async () => {
  collector = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      let body = Buffer.concat(chunks);
      if (req.headers["content-encoding"] === "gzip") body = gunzipSync(body);
      if (req.url === "/v1/traces") {
        const payload = JSON.parse(body.toString("utf8")) as {
          resourceSpans: Array<{ resource: { attributes: Array<{ key: string; value: { stringValue?: string } }> }; scopeSpans: Array<{ spans: Array<Record<string, string | number>> }> }>;
        };
        for (const rs of payload.resourceSpans) {
          const service = rs.resource.attributes.find((a) => a.key === "service.name")?.value.stringValue ?? "";
          for (const ss of rs.scopeSpans) {
            for (const s of ss.spans) {
              spans.push({ traceId: hex(s.traceId as string), spanId: hex(s.spanId as string), parentSpanId: hex(s.parentSpanId as string), name: String(s.name), kind: Number(s.kind), service });
            }
          }
        }
      }
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve));
  const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
  stack = await TestStack.start({ infra: inject("infra"), regions: ["us"], plan: "GROWTH", env: { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint } });
  rx = await startReceiver();
});
afterAll(async () => {
  await rx?.close();
  await stack?.stop();
  await new Promise((r) => collector?.close(r));
});

describe("tracing with an OTLP exporter", () => {
  it("one ingest request is one trace: gateway, ingest, outbox publish, webhook intake and delivery", async () => {
    const co = stack.companies.us!;
    const hook = await stack.api(co.companyKey, "POST", `/v1/workspaces/${co.workspaceId}/webhooks`, { url: rx.url, events: ["AUDIT_EVENT_CREATED"] });
    expect(hook.status, hook.text).toBe(201);
    // The endpoint's own creation is delivered first (an audit event of the workspace).
    await rx.waitFor(1);

    const traceId = randomBytes(16).toString("hex");
    const callerSpan = randomBytes(8).toString("hex");
    const res = await stack.api(co.workspaceKey, "POST", "/v1/events", { category: "user", action: "user.login", actor: { id: "u_t", type: "user" } }, { traceparent: `00-${traceId}-${callerSpan}-01` });
    expect(res.status, res.text).toBe(201);
    expect(res.headers.get("traceparent")).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    const [, delivery] = await rx.waitFor(2);
    expect(JSON.parse(delivery!.body).data.event).toMatchObject({ id: res.body.id, context: { traceId } });
    // No trace header goes to the customer's endpoint.
    expect(delivery!.headers.traceparent).toBeUndefined();

    const named = (name: string) => spans.find((s) => s.traceId === traceId && s.name === name);
    // Spans are exported in batches (every 5 s by default).
    await expect
      .poll(() => ["POST /v1/events", "hyrelog.ingest.v1.IngestService/IngestEvents", "publish events", "webhook intake", "webhook deliver"].filter((n) => !named(n)), { timeout: 20_000, interval: 250 })
      .toEqual([]);
    const gateway = named("POST /v1/events")!;
    const ingest = named("hyrelog.ingest.v1.IngestService/IngestEvents")!;
    const publish = named("publish events")!;
    const intake = named("webhook intake")!;
    // The caller's span is the gateway span's parent; each synchronous hop is the next one's parent.
    // (Every process of this test shares one Node process, hence one tracer provider and service name.)
    expect(gateway).toMatchObject({ parentSpanId: callerSpan, kind: 2 }); // SERVER
    expect(ingest).toMatchObject({ parentSpanId: gateway.spanId, kind: 2 });
    expect(publish).toMatchObject({ parentSpanId: ingest.spanId, kind: 4 }); // PRODUCER
    expect(intake).toMatchObject({ parentSpanId: publish.spanId, kind: 5 }); // CONSUMER
    expect(named("webhook deliver")).toBeDefined();
  });
});
