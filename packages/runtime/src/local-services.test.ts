import { describe, expect, it } from "vitest";
import { Code, ConnectError, createConnectRouter } from "@connectrpc/connect";
import { QueryService } from "@hyrelog/proto";
import { ServiceClients } from "./clients.ts";
import { LocalServices } from "./local-services.ts";
import { createLogger } from "./logger.ts";
import { Metrics } from "./metrics.ts";
import { RpcTelemetry } from "./rpc-telemetry.ts";

describe("in-process calls to services this process hosts", () => {
  it("reach the handler directly, with full messages, headers and mapped errors", async () => {
    const local = new LocalServices(createLogger("silent"), new RpcTelemetry(new Metrics()));
    const clients = new ServiceClients("token", { baseUrl: "http://127.0.0.1:7070", services: local });
    // Asked for before the service is registered, as a service built early would.
    const early = clients.client(QueryService, "query", "http://127.0.0.1:7070");
    let seenTrace = "";
    local.recording(createConnectRouter()).service(QueryService, {
      getEvent: async (req, ctx) => {
        seenTrace = ctx.requestHeader.get("traceparent") ?? "";
        if (req.id === "missing") throw new ConnectError("event missing not found", Code.NotFound);
        if (req.id === "boom") throw new Error("secret detail");
        return { event: { id: req.id, action: "a" } };
      },
      listEvents: async () => ({}),
      listTargetEvents: async () => ({}),
    });

    const res = await early.getEvent({ id: "e1" }, { headers: { traceparent: "00-abc" } });
    expect(res.$typeName).toBe("hyrelog.query.v1.GetEventResponse");
    expect(res.event?.id).toBe("e1");
    expect(seenTrace).toBe("00-abc");
    expect((await early.listEvents({})).nextCursor).toBe("");
    await expect(early.getEvent({ id: "missing" })).rejects.toMatchObject({ code: Code.NotFound });
    // Unknown failures become INTERNAL without their message, as over the network.
    await expect(early.getEvent({ id: "boom" })).rejects.toMatchObject({ code: Code.Internal, rawMessage: "internal error" });
  });
});
