/**
 * The public API (proto/hyrelog/api/v1) on the gateway's port: over gRPC (HTTP/2), Connect and
 * gRPC-Web (HTTP/1.1), from Connect-ES clients and from a stock grpc-js client that loads the
 * .proto files; authenticated by API key like REST, tenant-isolated, with server reflection.
 * Analytics and archives answer as their REST routes do. REST keeps working on the same port,
 * over HTTP/1.1 and HTTP/2.
 */
import http2 from "node:http2";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { createHash } from "node:crypto";
import { create, fromBinary, toBinary, toJsonString } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema, timestampDate, timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { api, BadRequestSchema, DashboardRole, RevokeKeyRequestSchema } from "@hyrelog/proto";
import { TestStack } from "@hyrelog/testing";
import { dash, until } from "../dashboard/helpers.ts";

const PROTO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../proto");

type SeededCompany = Awaited<ReturnType<TestStack["seedCompany"]>>;
let stack: TestStack;
let a: SeededCompany;
let b: SeededCompany;
const transports: Record<string, Transport> = {};

beforeAll(async () => {
  stack = await TestStack.start({ infra: inject("infra"), regions: ["us"], plan: "GROWTH" });
  a = await stack.seedCompany("us", "GROWTH", "Public API A");
  b = await stack.seedCompany("us", "GROWTH", "Public API B");
  const baseUrl = stack.gatewayUrl;
  transports.grpc = createGrpcTransport({ baseUrl });
  transports.connect = createConnectTransport({ baseUrl, httpVersion: "1.1" });
  transports.grpcWeb = createGrpcWebTransport({ baseUrl, httpVersion: "1.1" });
});
afterAll(async () => stack?.stop());

const auth = (key: string) => ({ headers: { authorization: `Bearer ${key}` } });
const event = (action: string, extra: { idempotencyKey?: string } = {}) =>
  create(api.EventInputSchema, { category: "user", action, actor: { id: "admin-1", email: "admin@example.com" }, target: { id: "u-1", type: "user" }, projectId: a.projectId, ...extra });

async function rpcError(p: Promise<unknown>): Promise<ConnectError> {
  try {
    await p;
  } catch (err) {
    return ConnectError.from(err);
  }
  throw new Error("expected the call to fail");
}

describe.each(["grpc", "connect", "grpcWeb"])("over %s", (protocol) => {
  it("ingests a batch, lists it back, reads one event and proves its inclusion", async () => {
    const events = createClient(api.EventService, transports[protocol]!);
    const verification = createClient(api.VerificationService, transports[protocol]!);
    const action = `public.${protocol}.created`;
    const ingested = await events.ingestEvents({ events: [event(action, { idempotencyKey: `${protocol}-1` }), event(action)] }, auth(a.workspaceKey));
    expect(ingested.results.map((r) => r.index)).toEqual([0, 1]);
    expect(ingested.results.every((r) => !r.duplicate && r.id && r.chain!.hash.length === 64)).toBe(true);

    const again = await events.ingestEvents({ events: [event(action, { idempotencyKey: `${protocol}-1` })] }, auth(a.workspaceKey));
    expect(again.results[0]).toMatchObject({ id: ingested.results[0]!.id, duplicate: true });

    const listed = await events.listEvents({ filter: { action }, limit: 10 }, auth(a.companyKey));
    expect(listed.events.map((e) => e.id).sort()).toEqual(ingested.results.map((r) => r.id).sort());
    expect(listed.events[0]!.actor?.email).toBe("admin@example.com");

    const one = await events.getEvent({ id: ingested.results[1]!.id }, auth(a.workspaceKey));
    expect(one.event?.action).toBe(action);
    expect(one.event?.chain?.sequence).toBe(ingested.results[1]!.chain!.sequence);

    // The proof needs a checkpoint that covers the event; the checkpointer signs one shortly.
    let proof: api.GetInclusionProofResponse | undefined;
    for (let i = 0; i < 100 && !proof; i++) {
      proof = await verification.getInclusionProof({ eventId: ingested.results[1]!.id }, auth(a.workspaceKey)).catch(async (err) => {
        if (ConnectError.from(err).code !== Code.FailedPrecondition && ConnectError.from(err).code !== Code.NotFound) throw err;
        await new Promise((r) => setTimeout(r, 100));
        return undefined;
      });
    }
    expect(proof?.leaf).toBe(ingested.results[1]!.chain!.hash);
    expect(proof!.treeSize).toBeGreaterThanOrEqual(ingested.results[1]!.chain!.sequence);
    expect(proof!.checkpoint?.signedNote).toContain(Buffer.from(proof!.rootHash, "hex").toString("base64"));
    const keys = await verification.listSigningKeys({}, auth(a.companyKey));
    expect(keys.keys.length).toBeGreaterThan(0);
  });
});

describe("live tail: EventService.TailEvents", () => {
  /** Reads a tail until it has `count` events; returns them with the token before the first. */
  async function tail(key: string, count: number, request: { filter?: { action?: string }; resumeToken?: string }, onOpen?: () => Promise<unknown>) {
    const abort = new AbortController();
    const events: Array<{ id: string; token: string }> = [];
    let start = "";
    const client = createClient(api.EventService, transports.grpc!);
    try {
      for await (const res of client.tailEvents(request, { ...auth(key), signal: abort.signal })) {
        if (!res.event) {
          start = res.resumeToken;
          await onOpen?.();
          continue;
        }
        events.push({ id: res.event.id, token: res.resumeToken });
        if (events.length === count) abort.abort();
      }
    } catch (err) {
      // Our own abort once `count` events came; anything else is the test's failure.
      if (!abort.signal.aborted) throw err;
    }
    return { start, events };
  }

  it("streams events stored after it opens, then resumes after a token with no gap and no repeat", async () => {
    const events = createClient(api.EventService, transports.grpc!);
    const action = "public.tail.seen";
    let ids: string[] = [];
    const got = await tail(a.companyKey, 3, { filter: { action } }, async () => {
      const res = await events.ingestEvents({ events: [event(action), event("public.tail.other"), event(action), event(action)] }, auth(a.workspaceKey));
      ids = res.results.filter((_, i) => i !== 1).map((r) => r.id);
    });
    expect(got.start).not.toBe("");
    expect(got.events.map((e) => e.id)).toEqual(ids);
    // Resume after the first: the other two, once each.
    const resumed = await tail(a.companyKey, 2, { filter: { action }, resumeToken: got.events[0]!.token });
    expect(resumed.events.map((e) => e.id)).toEqual(ids.slice(1));
  });

  it("shows a key only its company's events, and refuses a bad resume token", async () => {
    const events = createClient(api.EventService, transports.grpc!);
    let mine = "";
    const seen = await tail(b.companyKey, 1, {}, async () => {
      await events.ingestEvents({ events: [event("public.tail.a-only")] }, auth(a.workspaceKey));
      const res = await events.ingestEvents({ events: [{ category: "user", action: "public.tail.b", actor: { id: "b-1" }, projectId: b.projectId }] }, auth(b.workspaceKey));
      mine = res.results[0]!.id;
    });
    expect(seen.events.map((e) => e.id)).toEqual([mine]);
    const bad = await rpcError(tail(a.companyKey, 1, { resumeToken: "not-a-token" }));
    expect(bad.code).toBe(Code.InvalidArgument);
  });
});

describe("keys, exports, jobs and webhooks", () => {
  it("a company key creates a workspace key that works at once, lists it, and revokes it", async () => {
    const keys = createClient(api.KeyService, transports.connect!);
    const created = await keys.createWorkspaceKey({ workspaceId: a.workspaceId, name: "rpc-made" }, auth(a.companyKey));
    expect(created.secret).toMatch(/^hlk_ws_us_/);
    expect(created.key?.prefix && created.secret.startsWith(created.key.prefix)).toBe(true);
    const status = await keys.getKeyStatus({}, auth(created.secret));
    expect(status.key?.id).toBe(created.key?.id);
    const listed = await keys.listCompanyKeys({ workspaceId: a.workspaceId, limit: 100 }, auth(a.companyKey));
    expect(listed.keys.map((k) => k.id)).toContain(created.key?.id);
    expect(toJsonString(api.ListCompanyKeysResponseSchema, listed)).not.toContain(created.secret);
    await keys.revokeKey({ keyId: created.key!.id, reason: "test" }, auth(a.companyKey));
    expect((await rpcError(keys.getKeyStatus({}, auth(created.secret)))).code).toBe(Code.Unauthenticated);
    // Another company's key: not found, and a workspace key cannot manage keys.
    expect((await rpcError(keys.revokeKey({ keyId: created.key!.id }, auth(b.companyKey)))).code).toBe(Code.NotFound);
    expect((await rpcError(keys.createWorkspaceKey({ workspaceId: a.workspaceId, name: "x" }, auth(a.workspaceKey)))).code).toBe(Code.PermissionDenied);
  });

  it("exports events to a file with a download URL, and the job is listed", async () => {
    const exports = createClient(api.ExportService, transports.grpc!);
    const jobs = createClient(api.JobService, transports.grpc!);
    const events = createClient(api.EventService, transports.grpc!);
    const exported = ["export.one", "export.two", "export.three"].map((action) => ({ ...event(action), category: "rpc-export" }));
    await events.ingestEvents({ events: exported }, auth(a.workspaceKey));
    const created = await exports.createExport({ format: api.ExportFormat.JSONL, source: api.ExportSource.HOT, filter: { category: "rpc-export" } }, auth(a.companyKey));
    const jobId = created.job!.id;
    let done: api.GetExportResponse | undefined;
    for (let i = 0; i < 200; i++) {
      done = await exports.getExport({ jobId }, auth(a.companyKey));
      if (done.job!.status === api.JobStatus.COMPLETED || done.job!.status === api.JobStatus.FAILED) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(done?.job?.status).toBe(api.JobStatus.COMPLETED);
    expect(done?.file?.downloadUrl).toMatch(/^http/);
    expect(done!.file!.rowCount).toBe(3n);
    const lines = (await (await fetch(done!.file!.downloadUrl)).text()).trim().split("\n");
    expect(lines.map((l) => JSON.parse(l).action).sort()).toEqual(["export.one", "export.three", "export.two"]);
    const listed = await jobs.listJobs({ type: "export" }, auth(a.companyKey));
    expect(listed.jobs.map((j) => j.id)).toContain(jobId);
    expect((await rpcError(jobs.getJob({ jobId }, auth(b.companyKey)))).code).toBe(Code.NotFound);
  });

  it("webhooks: creates, lists, reads and deletes an endpoint; refuses a bad URL and other companies", async () => {
    const webhooks = createClient(api.WebhookService, transports.connect!);
    const created = await webhooks.createWebhook({ workspaceId: a.workspaceId, url: "http://127.0.0.1:9/hyrelog", events: ["AUDIT_EVENT_CREATED"] }, auth(a.companyKey));
    expect(created.secret).toMatch(/^whsec_/);
    const id = created.webhook!.id;
    expect((await webhooks.listWebhooks({ workspaceId: a.workspaceId }, auth(a.companyKey))).webhooks.map((w) => w.id)).toContain(id);
    expect((await webhooks.getWebhook({ webhookId: id }, auth(a.companyKey))).webhook?.url).toBe("http://127.0.0.1:9/hyrelog");
    expect((await rpcError(webhooks.getWebhook({ webhookId: id }, auth(b.companyKey)))).code).toBe(Code.NotFound);
    const refused = await rpcError(webhooks.createWebhook({ workspaceId: a.workspaceId, url: "ftp://hooks.example.com/x", events: ["AUDIT_EVENT_CREATED"] }, auth(a.companyKey)));
    expect(refused.code).toBe(Code.InvalidArgument);
    await webhooks.deleteWebhook({ webhookId: id }, auth(a.companyKey));
    expect((await rpcError(webhooks.getWebhook({ webhookId: id }, auth(a.companyKey)))).code).toBe(Code.NotFound);
  });
});

describe("authentication and tenants", () => {
  const events = () => createClient(api.EventService, transports.grpc!);

  it("refuses a call without a key, with a malformed key and with an unknown key", async () => {
    expect((await rpcError(events().listEvents({}))).code).toBe(Code.Unauthenticated);
    expect((await rpcError(events().listEvents({}, { headers: { authorization: "Basic x" } }))).code).toBe(Code.Unauthenticated);
    expect((await rpcError(events().listEvents({}, auth("hlk_ws_us_nope")))).code).toBe(Code.Unauthenticated);
  });

  it("refuses ingest with a company key, and an invalid event with the field that is wrong; nothing is stored", async () => {
    expect((await rpcError(events().ingestEvents({ events: [event("x.y")] }, auth(a.companyKey)))).code).toBe(Code.PermissionDenied);
    const bad = await rpcError(events().ingestEvents({ events: [event("public.bad"), event("")] }, auth(a.workspaceKey)));
    expect(bad.code).toBe(Code.InvalidArgument);
    expect(bad.findDetails(BadRequestSchema)[0]?.violations.map((v) => v.field)).toContain("events[1].action");
    const listed = await events().listEvents({ filter: { action: "public.bad" } }, auth(a.companyKey));
    expect(listed.events).toEqual([]);
  });

  it("ignores a field of the internal contract sent by its number (RevokeKey's dashboard user): no key of another company is revoked", async () => {
    const keys = createClient(api.KeyService, transports.grpc!);
    const victim = await keys.createWorkspaceKey({ workspaceId: b.workspaceId, name: "not-yours" }, auth(b.companyKey));
    // Field 6 of hyrelog.keys.v1.RevokeKeyRequest, as the dashboard service sends it for an admin of company B.
    const internal = toBinary(RevokeKeyRequestSchema, create(RevokeKeyRequestSchema, { user: { userId: "intruder", role: DashboardRole.ADMIN, companyId: b.companyId } }));
    const forged = fromBinary(api.RevokeKeyRequestSchema, Buffer.concat([toBinary(api.RevokeKeyRequestSchema, create(api.RevokeKeyRequestSchema, { keyId: victim.key!.id })), internal]));
    expect(forged.$unknown).toHaveLength(1);
    expect((await rpcError(keys.revokeKey(forged, auth(a.companyKey)))).code).toBe(Code.NotFound);
    expect((await keys.getKeyStatus({}, auth(victim.secret))).key?.id).toBe(victim.key!.id);
  });

  it("never shows one company's events to another company's key", async () => {
    const [mine] = (await events().ingestEvents({ events: [event("public.isolated")] }, auth(a.workspaceKey))).results;
    expect((await rpcError(events().getEvent({ id: mine!.id }, auth(b.companyKey)))).code).toBe(Code.NotFound);
    expect((await events().listEvents({ filter: { action: "public.isolated" } }, auth(b.companyKey))).events).toEqual([]);
    const proof = await rpcError(createClient(api.VerificationService, transports.grpc!).getInclusionProof({ eventId: mine!.id }, auth(b.workspaceKey)));
    expect(proof.code).toBe(Code.NotFound);
  });

  it("refuses a message over 1 MiB (REST's body limit) with RESOURCE_EXHAUSTED; nothing is stored", async () => {
    const big = event("public.too-big", { idempotencyKey: "x".repeat(200) });
    const events = Array.from({ length: 6_000 }, () => big);
    for (const protocol of ["grpc", "connect"]) {
      const refused = await rpcError(createClient(api.EventService, transports[protocol]!).ingestEvents({ events }, auth(a.workspaceKey)));
      expect(refused.code, protocol).toBe(Code.ResourceExhausted);
    }
    expect((await createClient(api.EventService, transports.grpc!).listEvents({ filter: { action: "public.too-big" } }, auth(a.companyKey))).events).toEqual([]);
    // The refused body's connection is closed, so a client reusing connections (Connect over
    // HTTP/1.1) gets its next answer instead of waiting on it.
    expect((await createClient(api.EventService, transports.connect!).listEvents({ filter: { action: "public.too-big" } }, { ...auth(a.companyKey), timeoutMs: 10_000 })).events).toEqual([]);
  });

  it("refuses a JSON field the contract does not have (Connect's JSON, as REST does); nothing is stored", async () => {
    const res = await fetch(`${stack.gatewayUrl}/hyrelog.api.v1.EventService/IngestEvents`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${a.workspaceKey}` },
      body: JSON.stringify({ events: [{ category: "user", action: "public.typo", actor: { id: "u" }, metdata: { plan: "pro" } }] }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: string; message: string }).message).toContain("metdata");
    expect((await createClient(api.EventService, transports.grpc!).listEvents({ filter: { action: "public.typo" } }, auth(a.companyKey))).events).toEqual([]);
  });

  it("answers with the key's rate-limit headers", async () => {
    let headers: Headers | undefined;
    await events().listEvents({ limit: 1 }, { ...auth(a.companyKey), onHeader: (h) => (headers = h) });
    expect(Number(headers?.get("x-ratelimit-limit"))).toBeGreaterThan(0);
    expect(headers?.get("x-ratelimit-remaining")).toMatch(/^\d+$/);
  });
});

describe("stock gRPC clients", () => {
  const options: protoLoader.Options = { keepCase: false, longs: String, enums: String, defaults: true, oneofs: true, includeDirs: [PROTO_ROOT] };
  const address = () => new URL(stack.gatewayUrl).host;

  it("a grpc-js client loading proto/hyrelog/api/v1 ingests and lists", async () => {
    const def = grpc.loadPackageDefinition(protoLoader.loadSync(path.join(PROTO_ROOT, "hyrelog/api/v1/events.proto"), options)) as any;
    const client = new def.hyrelog.api.v1.EventService(address(), grpc.credentials.createInsecure());
    const md = new grpc.Metadata();
    md.set("authorization", `Bearer ${a.workspaceKey}`);
    const call = (method: string, req: unknown) =>
      new Promise<any>((resolve, reject) => client[method](req, md, (err: grpc.ServiceError | null, res: any) => (err ? reject(err) : resolve(res))));
    const ingested = await call("ingestEvents", { events: [{ category: "user", action: "public.grpcjs", actor: { id: "svc-1" }, projectId: a.projectId }] });
    expect(ingested.results[0].id).toMatch(/^[0-9a-f-]{36}$/);
    const listed = await call("listEvents", { filter: { action: "public.grpcjs" } });
    expect(listed.events.map((e: any) => e.id)).toEqual([ingested.results[0].id]);
    const noKey = await new Promise<grpc.ServiceError | null>((resolve) => client.listEvents({}, new grpc.Metadata(), (err: grpc.ServiceError | null) => resolve(err)));
    expect(noKey?.code).toBe(grpc.status.UNAUTHENTICATED);
    client.close();
  });

  it("server reflection lists the public services and serves their descriptors", async () => {
    const def = grpc.loadPackageDefinition(protoLoader.loadSync(path.join(PROTO_ROOT, "grpc/reflection/v1/reflection.proto"), { ...options, keepCase: true })) as any;
    const client = new def.grpc.reflection.v1.ServerReflection(address(), grpc.credentials.createInsecure());
    const stream = client.ServerReflectionInfo();
    const answers: any[] = [];
    const done = new Promise<void>((resolve, reject) => {
      stream.on("data", (d: any) => answers.push(d));
      stream.on("end", resolve);
      stream.on("error", reject);
    });
    stream.write({ list_services: "" });
    stream.write({ file_containing_symbol: "hyrelog.api.v1.EventService.IngestEvents" });
    stream.write({ file_containing_symbol: "hyrelog.nope.Missing" });
    // What `buf curl --list-methods` asks first.
    stream.write({ file_containing_symbol: "grpc.reflection.v1.ServerReflection" });
    stream.write({ file_containing_symbol: "hyrelog.api.v1.AnalyticsService.CountEvents" });
    stream.write({ file_containing_symbol: "hyrelog.api.v1.ArchiveService" });
    stream.write({ file_containing_symbol: "hyrelog.api.v1.RestoreService.CreateRestoreRequest" });
    stream.end();
    await done;
    client.close();
    expect(answers[0].list_services_response.service.map((s: any) => s.name)).toEqual(
      expect.arrayContaining([
        "hyrelog.api.v1.EventService",
        "hyrelog.api.v1.VerificationService",
        "hyrelog.api.v1.AnalyticsService",
        "hyrelog.api.v1.ArchiveService",
        "hyrelog.api.v1.RestoreService",
        "grpc.reflection.v1.ServerReflection",
      ]),
    );
    const files = answers[1].file_descriptor_response.file_descriptor_proto.map((b: Buffer) => fromBinary(FileDescriptorProtoSchema, b));
    expect(files[0].name).toBe("hyrelog/api/v1/events.proto");
    expect(files.map((f: any) => f.name)).toEqual(expect.arrayContaining(["hyrelog/common/v1/common.proto", "google/protobuf/struct.proto"]));
    // Internal services are not on the public port.
    expect(answers[0].list_services_response.service.map((s: any) => s.name).some((n: string) => n.startsWith("hyrelog.query."))).toBe(false);
    expect(answers[2].error_response.error_code).toBe(grpc.status.NOT_FOUND);
    expect(fromBinary(FileDescriptorProtoSchema, answers[3].file_descriptor_response.file_descriptor_proto[0]).name).toBe("grpc/reflection/v1/reflection.proto");
    const analytics = answers[4].file_descriptor_response.file_descriptor_proto.map((b: Buffer) => fromBinary(FileDescriptorProtoSchema, b));
    // The file and what it imports (the filter of ListEvents): enough for grpcurl to build a request.
    expect(analytics.map((f: any) => f.name)).toEqual(expect.arrayContaining(["hyrelog/api/v1/analytics.proto", "hyrelog/api/v1/events.proto"]));
    expect(analytics[0].service[0].method.map((m: any) => m.name)).toEqual(["CountEvents"]);
    const archives = fromBinary(FileDescriptorProtoSchema, answers[5].file_descriptor_response.file_descriptor_proto[0]);
    expect(archives.service[0]!.method.map((m) => m.name)).toEqual(["ListArchives", "GetArchive"]);
    // restores.proto and the archives.proto it imports (GetRestoreRequest's archive).
    const restores = answers[6].file_descriptor_response.file_descriptor_proto.map((b: Buffer) => fromBinary(FileDescriptorProtoSchema, b));
    expect(restores.map((f: any) => f.name)).toEqual(expect.arrayContaining(["hyrelog/api/v1/restores.proto", "hyrelog/api/v1/archives.proto"]));
    expect(restores[0].service[0].method.map((m: any) => m.name)).toEqual(["CreateRestoreRequest", "ListRestoreRequests", "GetRestoreRequest", "CancelRestoreRequest"]);
  });
});

describe("GDPR requests over RPC", () => {
  const gdpr = () => createClient(api.GdprService, transports.connect!);

  it("a subject access request runs at once and its file holds every event that names the subject", async () => {
    const events = createClient(api.EventService, transports.grpc!);
    const subject = `gdpr-subject-${Date.now()}`;
    await events.ingestEvents({ events: [1, 2, 3].map((n) => create(api.EventInputSchema, { category: "user", action: `gdpr.rpc.${n}`, actor: { id: subject, email: `${subject}@example.com` }, projectId: a.projectId })) }, auth(a.workspaceKey));
    const created = await gdpr().createRequest({ kind: api.RequestKind.ACCESS, subjectId: subject }, auth(a.companyKey));
    expect(created.request).toMatchObject({ kind: api.RequestKind.ACCESS, subjectId: subject, companyId: a.companyId });
    expect(created.request!.requestedBy).toMatch(/^key:/);
    let got: api.GetRequestResponse | undefined;
    for (let i = 0; i < 100 && got?.request?.status !== api.RequestStatus.COMPLETED; i++) {
      if (i) await new Promise((r) => setTimeout(r, 200));
      got = await gdpr().getRequest({ requestId: created.request!.id }, auth(a.companyKey));
      expect(got.request!.status).not.toBe(api.RequestStatus.FAILED);
    }
    expect(got!.request!.status, JSON.stringify({ request: got!.request, job: got!.job }, (_, v) => (typeof v === "bigint" ? String(v) : v))).toBe(api.RequestStatus.COMPLETED);
    expect(got!.file!.url).toMatch(/^http/);
    const file = await fetch(got!.file!.url);
    expect(file.status).toBe(200);
    const text = (await file.text()).toString();
    for (const n of [1, 2, 3]) expect(text).toContain(`gdpr.rpc.${n}`);
    // Listed, and not visible to another company.
    const listed = await gdpr().listRequests({ limit: 100 }, auth(a.companyKey));
    expect(listed.requests.map((r) => r.id)).toContain(created.request!.id);
    expect((await rpcError(gdpr().getRequest({ requestId: created.request!.id }, auth(b.companyKey)))).code).toBe(Code.NotFound);
    expect((await gdpr().listRequests({}, auth(b.companyKey))).requests.map((r) => r.id)).not.toContain(created.request!.id);
  });

  it("an erasure waits for another key's decision; the asking key cannot decide it", async () => {
    const created = await gdpr().createRequest({ kind: api.RequestKind.ERASURE, subjectId: "nobody-here", reason: "the subject's request of 2026-12-01" }, auth(a.companyKey));
    expect(created.request!.status).toBe(api.RequestStatus.PENDING_APPROVAL);
    const self = await rpcError(gdpr().decideRequest({ requestId: created.request!.id, approve: true }, auth(a.companyKey)));
    expect(self.code).toBe(Code.PermissionDenied);
    expect(self.rawMessage).toMatch(/another person's approval/);
    const second = await dash(stack, { role: "ADMIN", companyId: a.companyId, userId: "dpo-1" }, "POST", "/dashboard/keys", { scope: "company", name: "DPO key", ipAllowlist: ["127.0.0.1", "::1"] });
    expect(second.status, second.text).toBe(201);
    const secondKey = (second.body as { secret: string }).secret;
    const rejected = await gdpr().decideRequest({ requestId: created.request!.id, approve: false, comment: "identity not confirmed" }, auth(secondKey));
    expect(rejected.request!.status).toBe(api.RequestStatus.REJECTED);
    expect(rejected.request!.approvals).toMatchObject([{ role: api.DeciderRole.CUSTOMER, approved: false, comment: "identity not confirmed" }]);
    expect(rejected.request!.approvals[0]!.decidedBy).toMatch(/^key:/);
    expect(rejected.request!.approvals[0]!.decidedBy).not.toBe(created.request!.requestedBy);
  });

  it("bad requests name the field; a workspace key is refused", async () => {
    const both = await rpcError(gdpr().createRequest({ kind: api.RequestKind.ACCESS, subjectId: "x", subjectEmail: "x@example.com" }, auth(a.companyKey)));
    expect(both.code).toBe(Code.InvalidArgument);
    expect(both.findDetails(BadRequestSchema)[0]!.violations.map((v) => v.field)).toContain("subject");
    const noReason = await rpcError(gdpr().createRequest({ kind: api.RequestKind.ERASURE, subjectId: "x" }, auth(a.companyKey)));
    expect(noReason.findDetails(BadRequestSchema)[0]!.violations.map((v) => v.field)).toContain("reason");
    expect((await rpcError(gdpr().listRequests({}, auth(a.workspaceKey)))).code).toBe(Code.PermissionDenied);
  });
});

describe("REST on the same port", () => {
  it("still answers over HTTP/1.1, and over HTTP/2 with prior knowledge", async () => {
    const res = await stack.api(a.companyKey, "GET", "/v1/events?limit=1");
    expect(res.status).toBe(200);
    const session = http2.connect(stack.gatewayUrl);
    const body = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = session.request({ ":path": "/v1/events?limit=1", authorization: `Bearer ${a.companyKey}` });
      let status = 0;
      let text = "";
      req.on("response", (h) => (status = Number(h[":status"])));
      req.on("data", (d) => (text += d));
      req.on("end", () => resolve({ status, text }));
      req.on("error", reject);
    });
    session.close();
    expect(body.status).toBe(200);
    expect(JSON.parse(body.text)).toHaveProperty("data");
  });

  it("an internal service is not reachable through the public port", async () => {
    const res = await fetch(`${stack.gatewayUrl}/hyrelog.query.v1.QueryService/ListEvents`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(res.status).toBe(404);
  });
});

const DAY = 86_400_000;
const violated = (err: ConnectError) => err.findDetails(BadRequestSchema).flatMap((d) => d.violations.map((v) => v.field));

describe("analytics over RPC: AnalyticsService.CountEvents", () => {
  /** Two days ago, 00:00 UTC: the events fall on this day and the next. */
  const D = Math.floor(Date.now() / DAY) * DAY - 2 * DAY;
  const at = (ms: number) => new Date(D + ms);
  const H = 3_600_000;
  const category = "rpc-analytics";
  const filter = { category, from: timestampFromDate(at(0)), to: timestampFromDate(at(2 * DAY)) };
  const query = `category=${category}&from=${at(0).toISOString()}&to=${at(2 * DAY).toISOString()}`;
  const analytics = (protocol: string) => createClient(api.AnalyticsService, transports[protocol]!);

  beforeAll(async () => {
    const input = (action: string, actor: string, ms: number) => create(api.EventInputSchema, { category, action, actor: { id: actor }, projectId: a.projectId, occurredAt: timestampFromDate(at(ms)) });
    await createClient(api.EventService, transports.grpc!).ingestEvents(
      { events: [input("report.viewed", "u1", H), input("report.viewed", "u2", H + 60_000), input("report.viewed", "u1", 5 * H), input("report.shared", "u1", DAY + 2 * H)] },
      auth(a.workspaceKey),
    );
    // The rollups follow ingest within about a second.
    await until("the rollups to catch up", async () => (await stack.api(a.companyKey, "GET", `/v1/analytics/events?${query}`)).body.pendingEvents === 0);
  });

  /** The RPC's answer in the REST route's JSON (asOf aside: it is the time of each answer). */
  const asRest = (r: api.CountEventsResponse) => {
    const groups = (list: api.GroupCount[]) => list.map((g) => ({ key: g.key ?? null, count: Number(g.count) }));
    return {
      from: timestampDate(r.from!).toISOString(),
      to: timestampDate(r.to!).toISOString(),
      total: Number(r.total),
      groups: groups(r.groups),
      other: Number(r.other),
      buckets: r.buckets.map((b) => ({ start: timestampDate(b.start!).toISOString(), count: Number(b.count), groups: groups(b.groups), other: Number(b.other) })),
      pendingEvents: Number(r.pendingEvents),
      groupsExact: r.groupsExact,
      otherGroupMax: r.otherGroupMax === undefined ? null : Number(r.otherGroupMax),
    };
  };

  it.each(["grpc", "connect"])("answers over %s as GET /v1/analytics/events does", async (protocol) => {
    const rpc = await analytics(protocol).countEvents({ filter, interval: api.AnalyticsInterval.HOUR, groupBy: api.AnalyticsGroupBy.ACTION, limit: 1 }, auth(a.companyKey));
    const rest = await stack.api(a.companyKey, "GET", `/v1/analytics/events?${query}&interval=hour&groupBy=action&limit=1`);
    expect(rest.status, rest.text).toBe(200);
    const { asOf: _asOf, interval: _interval, groupBy: _groupBy, timeZone: _timeZone, ...same } = rest.body;
    expect(asRest(rpc)).toEqual(same);
    expect(rpc).toMatchObject({ interval: api.AnalyticsInterval.HOUR, groupBy: api.AnalyticsGroupBy.ACTION, total: 4n, other: 1n, groupsExact: true });
    expect(rpc.otherGroupMax).toBeUndefined();
    expect(rpc.groups.map((g) => [g.key, g.count])).toEqual([["report.viewed", 3n]]);
    expect(rpc.buckets).toHaveLength(48);
    expect(timestampDate(rpc.asOf!).getTime()).toBeLessThanOrEqual(Date.now());

    // Defaults: daily buckets, totals only; a workspace key counts its workspace.
    const daily = await analytics(protocol).countEvents({ filter }, auth(a.workspaceKey));
    expect(daily.interval).toBe(api.AnalyticsInterval.DAY);
    expect(daily.buckets.map((b) => Number(b.count))).toEqual([3, 1]);
    expect(daily.groups).toEqual([]);
  });

  it("refuses bad input with INVALID_ARGUMENT naming the field", async () => {
    const refused = async (request: Parameters<ReturnType<typeof analytics>["countEvents"]>[0], field: string) => {
      for (const protocol of ["grpc", "connect"]) {
        const err = await rpcError(analytics(protocol).countEvents(request, auth(a.companyKey)));
        expect(err.code, `${protocol} ${field}`).toBe(Code.InvalidArgument);
        expect(err.rawMessage).toContain(field);
        expect(violated(err)).toContain(field);
      }
    };
    // The rollups keep no emails and no targets.
    await refused({ filter: { ...filter, actorEmail: "u1@example.com" } }, "actorEmail");
    await refused({ filter: { ...filter, targetType: "document" } }, "targetType");
    await refused({ filter, interval: 7 as api.AnalyticsInterval }, "interval");
    await refused({ filter, groupBy: 9 as api.AnalyticsGroupBy }, "groupBy");
    await refused({ filter, groupBy: api.AnalyticsGroupBy.ACTOR, limit: 101 }, "limit");
    // 60 days of hours: more than 744 buckets.
    await refused({ filter: { ...filter, from: timestampFromDate(at(-58 * DAY)) }, interval: api.AnalyticsInterval.HOUR }, "from");
  });

  it("keeps to the key's scope: another workspace is PERMISSION_DENIED for a workspace key, another company's NOT_FOUND", async () => {
    const denied = await rpcError(analytics("grpc").countEvents({ filter: { ...filter, workspaceId: b.workspaceId } }, auth(a.workspaceKey)));
    expect(denied.code).toBe(Code.PermissionDenied);
    const other = await rpcError(analytics("connect").countEvents({ filter: { ...filter, workspaceId: a.workspaceId } }, auth(b.companyKey)));
    expect(other.code).toBe(Code.NotFound);
    // Company B counts none of A's events.
    expect((await analytics("grpc").countEvents({ filter }, auth(b.companyKey))).total).toBe(0n);
  });
});

/**
 * Runs last: it ages the region past GROWTH's 90 days of hot retention (as `hyrelog job run
 * --as-of` does), so the events of the tests above are archived.
 */
describe("archives over RPC: ArchiveService", () => {
  const STAFF = { role: "HYRELOG_ADMIN" as const, userId: "ops-1" };
  const archives = (protocol: string) => createClient(api.ArchiveService, transports[protocol]!);
  /** A's second workspace and its key: two logs, so two archives to page through. */
  let w2: { id: string; key: string };

  beforeAll(async () => {
    const admin = { role: "ADMIN" as const, companyId: a.companyId };
    const ws = await dash(stack, admin, "POST", "/dashboard/workspaces", { name: "Archived second" });
    expect(ws.status, ws.text).toBe(201);
    const key = await dash(stack, admin, "POST", "/dashboard/keys", { scope: "workspace", workspaceId: ws.body.workspace.id, name: "archives" });
    expect(key.status, key.text).toBe(201);
    w2 = { id: ws.body.workspace.id, key: key.body.secret };
    const events = createClient(api.EventService, transports.grpc!);
    const verification = createClient(api.VerificationService, transports.grpc!);
    for (const k of [a.workspaceKey, w2.key]) {
      const [stored] = (await events.ingestEvents({ events: [create(api.EventInputSchema, { category: "user", action: "public.archived", actor: { id: "u-9" } })] }, auth(k))).results;
      // An archive carries a signed checkpoint of its last event: wait for the checkpointer.
      await until("a checkpoint of the log", async () => ((await verification.getLatestCheckpoint({}, auth(k))).checkpoint?.treeSize ?? 0n) >= stored!.chain!.sequence);
    }
    const later = new Date(Date.now() + 91 * DAY).toISOString();
    for (const job of ["retention-marking", "archival"]) {
      const run = await dash(stack, STAFF, "POST", `/dashboard/admin/jobs/${job}/run`, { asOf: later });
      expect(run.status, run.text).toBe(200);
      expect(run.body.status, JSON.stringify(run.body)).toBe("COMPLETED");
    }
  }, 60_000);

  it.each(["grpc", "connect"])("lists over %s what GET /v1/archives lists, a page at a time, with the list cursor contract", async (protocol) => {
    const all = await archives(protocol).listArchives({ limit: 100 }, auth(a.companyKey));
    const rest = await stack.api(a.companyKey, "GET", "/v1/archives?limit=100");
    expect(rest.status, rest.text).toBe(200);
    expect(all.archives.map((x) => x.id)).toEqual(rest.body.data.map((x: { id: string }) => x.id));
    expect(all.archives.map((x) => x.workspaceId)).toEqual(expect.arrayContaining([a.workspaceId, w2.id]));
    expect(all.nextCursor).toBe("");
    const first = all.archives.find((x) => x.workspaceId === w2.id)!;
    const same = rest.body.data.find((x: { id: string }) => x.id === first.id);
    expect({ ...same, rows: BigInt(same.rows), bytes: BigInt(same.bytes), createdAt: Date.parse(same.createdAt) }).toMatchObject({
      logId: first.logId,
      day: first.day,
      rows: first.rowCount,
      bytes: first.bytes,
      sha256: first.sha256,
      storageClass: first.storageClass,
      createdAt: timestampDate(first.createdAt!).getTime(),
    });

    // One at a time: every archive once, in the same order; then the last page has no cursor.
    const paged: string[] = [];
    let cursor = "";
    do {
      const page = await archives(protocol).listArchives({ limit: 1, cursor }, auth(a.companyKey));
      expect(page.archives.length).toBeLessThanOrEqual(1);
      paged.push(...page.archives.map((x) => x.id));
      cursor = page.nextCursor;
    } while (cursor !== "");
    expect(paged).toEqual(all.archives.map((x) => x.id));

    // A workspace key sees its own workspace's; a cursor is for the list it came from.
    expect((await archives(protocol).listArchives({}, auth(w2.key))).archives.map((x) => x.id)).toEqual([first.id]);
    const page1 = await archives(protocol).listArchives({ limit: 1 }, auth(a.companyKey));
    const wrongList = await rpcError(archives(protocol).listArchives({ limit: 1, cursor: page1.nextCursor, workspaceId: w2.id }, auth(a.companyKey)));
    expect(wrongList.code).toBe(Code.InvalidArgument);
    expect(violated(wrongList)).toEqual(["cursor"]);
    for (const limit of [101, -1]) {
      const bad = await rpcError(archives(protocol).listArchives({ limit }, auth(a.companyKey)));
      expect(bad.code, String(limit)).toBe(Code.InvalidArgument);
      expect(bad.rawMessage).toContain("limit");
      expect(violated(bad)).toEqual(["limit"]);
    }
  });

  it.each(["grpc", "connect"])("gets one archive over %s with a download URL of its object; another company's is NOT_FOUND", async (protocol) => {
    const [listed] = (await archives(protocol).listArchives({ workspaceId: a.workspaceId }, auth(a.companyKey))).archives;
    const got = await archives(protocol).getArchive({ archiveId: listed!.id }, auth(a.companyKey));
    expect(got.archive).toEqual(listed);
    // Where the object is stored stays inside: the internal message's object key is not passed on.
    expect(got.archive!.$unknown).toBeUndefined();
    expect(timestampDate(got.downloadUrlExpiresAt!).getTime()).toBeGreaterThan(Date.now());
    const object = Buffer.from(await (await fetch(got.downloadUrl)).arrayBuffer());
    expect(createHash("sha256").update(object).digest("hex")).toBe(got.archive!.sha256);

    for (const [key, id] of [
      [b.companyKey, listed!.id],
      [b.workspaceKey, listed!.id],
      [a.companyKey, "00000000-0000-7000-8000-000000000000"],
      [a.companyKey, "not-an-id"],
    ] as const) {
      const missing = await rpcError(archives(protocol).getArchive({ archiveId: id }, auth(key)));
      expect(missing.code, id).toBe(Code.NotFound);
    }
    expect((await archives(protocol).listArchives({}, auth(b.companyKey))).archives.map((x) => x.id)).not.toContain(listed!.id);
  });
});
