import http2 from "node:http2";
import type { AddressInfo } from "node:net";
import { Code, ConnectError, type ConnectRouter, type Interceptor } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { constantTimeEqual } from "@hyrelog/core";
import { toConnectError } from "./errors.ts";
import type { HealthRegistry } from "./health.ts";
import type { Logger } from "./logger.ts";
import type { RpcTelemetry } from "./rpc-telemetry.ts";

export const INTERNAL_TOKEN_HEADER = "x-internal-token";

export interface RpcServer {
  port: number;
  /** Stops accepting, lets in-flight calls finish (up to timeoutMs), then closes. */
  close(timeoutMs: number): Promise<void>;
}

export interface RpcServerOptions {
  host: string;
  port: number;
  routes: (router: ConnectRouter) => void;
  health: HealthRegistry;
  logger: Logger;
  /** Every call but health checks must carry it in x-internal-token. */
  internalToken: string;
  /** Counts, times and traces every call. */
  telemetry: RpcTelemetry;
}

/**
 * One HTTP/2 cleartext server per process for all its services: gRPC, gRPC-Web and Connect
 * clients all work against it.
 */
export async function startRpcServer(opts: RpcServerOptions): Promise<RpcServer> {
  // Outermost first: telemetry sees every call with the code the caller gets.
  const interceptors: Interceptor[] = [observe(opts.telemetry), requireInternalToken(opts.internalToken), mapErrors(opts.logger)];
  const handler = connectNodeAdapter({
    routes: (router) => {
      opts.health.register(router);
      opts.routes(router);
    },
    interceptors,
    // Peers are our own services inside a cluster: gzip would cost more CPU than it saves.
    acceptCompression: [],
  });
  const server = http2.createServer(handler);
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on("session", (s) => {
    sessions.add(s);
    s.on("close", () => sessions.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: (timeoutMs) =>
      new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          for (const s of sessions) s.destroy();
        }, timeoutMs);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        // GOAWAY: clients open no new streams here; open ones finish.
        for (const s of sessions) s.close();
      }),
  };
}

function observe(telemetry: RpcTelemetry): Interceptor {
  return (next) => (req) => telemetry.run(req.service.typeName, req.method.name, req.header, () => next(req));
}

function requireInternalToken(token: string): Interceptor {
  return (next) => async (req) => {
    if (req.service.typeName !== "grpc.health.v1.Health") {
      const given = req.header.get(INTERNAL_TOKEN_HEADER) ?? "";
      if (!constantTimeEqual(given, token)) throw new ConnectError("missing or wrong internal token", Code.Unauthenticated);
    }
    return next(req);
  };
}

function mapErrors(logger: Logger): Interceptor {
  return (next) => async (req) => {
    try {
      return await next(req);
    } catch (err) {
      const mapped = toConnectError(err);
      if (mapped.code === Code.Internal || mapped.code === Code.Unknown) {
        logger.error("rpc failed", { method: `${req.service.typeName}/${req.method.name}`, err: mapped.cause ?? err });
      }
      throw mapped;
    }
  };
}
