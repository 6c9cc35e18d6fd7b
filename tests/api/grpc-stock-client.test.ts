import path from "node:path";
import { fileURLToPath } from "node:url";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { TestStack } from "@hyrelog/testing";

/**
 * The services speak plain gRPC (not only Connect): a stock grpc-js client, loading the .proto
 * contracts at run time, must be able to call them.
 */
const PROTO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../proto");
const INTERNAL_TOKEN = "grpc-stock-client-internal-token-42";

const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: false,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
  // google/protobuf/*.proto (struct, timestamp) come with protobufjs, bundled by proto-loader.
  includeDirs: [PROTO_ROOT],
};

let stack: TestStack;
let address: string;
let queryDef: protoLoader.PackageDefinition;
let QueryClient: grpc.ServiceClientConstructor;
let HealthClient: grpc.ServiceClientConstructor;
const clients: grpc.Client[] = [];

beforeAll(async () => {
  queryDef = protoLoader.loadSync(path.join(PROTO_ROOT, "hyrelog/query/v1/query.proto"), LOADER_OPTIONS);
  const healthDef = protoLoader.loadSync(path.join(PROTO_ROOT, "grpc/health/v1/health.proto"), LOADER_OPTIONS);
  const q = grpc.loadPackageDefinition(queryDef) as any;
  const h = grpc.loadPackageDefinition(healthDef) as any;
  QueryClient = q.hyrelog.query.v1.QueryService;
  HealthClient = h.grpc.health.v1.Health;
  stack = await TestStack.start({ infra: inject("infra"), regions: ["us"], env: { INTERNAL_TOKEN } });
  address = `127.0.0.1:${stack.regions.us!.servicePort}`;
});
afterAll(async () => {
  for (const c of clients) c.close();
  await stack?.stop();
});

function client(ctor: grpc.ServiceClientConstructor): grpc.Client {
  const c = new ctor(address, grpc.credentials.createInsecure());
  clients.push(c);
  return c;
}

function tokenMetadata(token = INTERNAL_TOKEN): grpc.Metadata {
  const md = new grpc.Metadata();
  md.set("x-internal-token", token);
  return md;
}

/** Calls a unary method; resolves with the response or the gRPC error. */
function unary(c: grpc.Client, method: string, request: unknown, metadata = new grpc.Metadata()): Promise<{ err: grpc.ServiceError | null; res: any }> {
  return new Promise((resolve) => {
    (c as any)[method](request, metadata, { deadline: Date.now() + 5000 }, (err: grpc.ServiceError | null, res: unknown) => resolve({ err, res }));
  });
}

describe("the query service over gRPC with a stock client", () => {
  it("loads the contract with its Google well-known types", () => {
    expect(Object.keys(queryDef)).toEqual(
      expect.arrayContaining(["hyrelog.query.v1.QueryService", "hyrelog.common.v1.AuditEvent", "google.protobuf.Timestamp", "google.protobuf.Struct"]),
    );
    expect(Object.keys(QueryClient.service)).toEqual(["ListEvents", "GetEvent", "ListTargetEvents"]);
  });

  it("ListEvents returns an event ingested through the gateway, with its chain position", async () => {
    const co = stack.companies.us!;
    const created = await stack.api(co.workspaceKey, "POST", "/v1/events", {
      category: "billing",
      action: "invoice.paid",
      actor: { id: "u_grpc", type: "user" },
      target: { id: "inv_1", type: "invoice" },
      projectId: co.projectId,
      changes: [{ field: "status", old: "open", new: "paid" }],
      metadata: { amount: 42 },
    });
    expect(created.status, created.text).toBe(201);

    const c = client(QueryClient);
    const { err, res } = await unary(
      c,
      "listEvents",
      { principal: { companyId: co.companyId, workspaceId: co.workspaceId, scope: "KEY_SCOPE_WORKSPACE" }, filter: {}, limit: 10 },
      tokenMetadata(),
    );
    expect(err).toBeNull();
    expect(res.nextCursor).toBe("");
    expect(res.events).toHaveLength(1);
    const e = res.events[0];
    expect(e).toMatchObject({
      id: created.body.id,
      companyId: co.companyId,
      workspaceId: co.workspaceId,
      projectId: co.projectId,
      category: "billing",
      action: "invoice.paid",
      actor: { id: "u_grpc", type: "user" },
      target: { id: "inv_1", type: "invoice" },
      chain: { sequence: String(created.body.sequence), hash: created.body.hash, prevHash: created.body.prevHash },
    });
    expect(e.chain.sequence).toBe("1");
    expect(e.chain.prevHash).toBe("0".repeat(64));
    expect(e.changes).toEqual([
      { field: "status", oldValue: { stringValue: "open", kind: "stringValue" }, newValue: { stringValue: "paid", kind: "stringValue" } },
    ]);
    expect(e.metadata.fields.amount).toMatchObject({ numberValue: 42 });
    expect(Number(e.receivedAt.seconds)).toBeCloseTo(Date.parse(created.body.receivedAt) / 1000, -1);

    // GetEvent answers the same event to a company-scoped principal.
    const one = await unary(c, "getEvent", { principal: { companyId: co.companyId, scope: "KEY_SCOPE_COMPANY" }, id: created.body.id }, tokenMetadata());
    expect(one.err).toBeNull();
    expect(one.res.event).toMatchObject({ id: created.body.id, chain: { sequence: "1", hash: created.body.hash } });
  });

  it("enforces tenant scope over gRPC too", async () => {
    const co = stack.companies.us!;
    const c = client(QueryClient);
    const otherCompany = await unary(
      c,
      "listEvents",
      { principal: { companyId: "01960000-0000-7000-8000-000000000000", workspaceId: co.workspaceId, scope: "KEY_SCOPE_WORKSPACE" }, filter: {} },
      tokenMetadata(),
    );
    expect(otherCompany.err).toBeNull();
    expect(otherCompany.res.events).toEqual([]);
    const otherWorkspace = await unary(
      c,
      "listEvents",
      { principal: { companyId: co.companyId, workspaceId: co.workspaceId, scope: "KEY_SCOPE_WORKSPACE" }, filter: { workspaceId: "01960000-0000-7000-8000-000000000001" } },
      tokenMetadata(),
    );
    expect(otherWorkspace.err?.code).toBe(grpc.status.PERMISSION_DENIED);
    const noPrincipal = await unary(c, "listEvents", { filter: {} }, tokenMetadata());
    expect(noPrincipal.err?.code).toBe(grpc.status.UNAUTHENTICATED);
  });

  it("refuses calls without the right internal token: UNAUTHENTICATED", async () => {
    const co = stack.companies.us!;
    const c = client(QueryClient);
    const request = { principal: { companyId: co.companyId, workspaceId: co.workspaceId, scope: "KEY_SCOPE_WORKSPACE" }, filter: {} };
    const none = await unary(c, "listEvents", request);
    expect(none.res).toBeUndefined();
    expect(none.err?.code).toBe(grpc.status.UNAUTHENTICATED);
    expect(none.err?.details).toMatch(/internal token/);
    const wrong = await unary(c, "listEvents", request, tokenMetadata("wrong-token-wrong-token-wrong"));
    expect(wrong.err?.code).toBe(grpc.status.UNAUTHENTICATED);
    const getEvent = await unary(c, "getEvent", { principal: request.principal, id: "01960000-0000-7000-8000-000000000000" });
    expect(getEvent.err?.code).toBe(grpc.status.UNAUTHENTICATED);
  });

  it("answers the standard grpc.health.v1.Health/Check with SERVING, no token needed", async () => {
    const c = client(HealthClient);
    const overall = await unary(c, "check", { service: "" });
    expect(overall.err).toBeNull();
    expect(overall.res).toEqual({ status: "SERVING" });
    const query = await unary(c, "check", { service: "hyrelog.query.v1.QueryService" });
    expect(query.err).toBeNull();
    expect(query.res.status).toBe("SERVING");
    const unknown = await unary(c, "check", { service: "no.such.Service" });
    expect(unknown.err?.code).toBe(grpc.status.NOT_FOUND);
  });
});
