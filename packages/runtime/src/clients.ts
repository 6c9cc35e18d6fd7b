import type { DescService } from "@bufbuild/protobuf";
import { createClient, type Client, type Interceptor, type Transport } from "@connectrpc/connect";
import { createGrpcTransport, Http2SessionManager } from "@connectrpc/connect-node";
import { context, propagation } from "@opentelemetry/api";
import type { LocalServices } from "./local-services.ts";
import { INTERNAL_TOKEN_HEADER } from "./server.ts";

const headersSetter = { set: (h: Headers, key: string, value: string) => h.set(key, value) };

/**
 * Clients for calling HyreLog services over gRPC (HTTP/2), one shared session per base URL.
 * `{service}` in a base URL is replaced by the service name (one Kubernetes Service each).
 * A service this very process hosts at that URL is called in-process instead.
 */
export class ServiceClients {
  readonly #sessions = new Map<string, Http2SessionManager>();
  readonly #transports = new Map<string, Transport>();
  readonly #clients = new Map<string, Client<DescService>>();
  readonly #internalToken: string;
  readonly #local: { baseUrl: string; services: LocalServices } | undefined;

  constructor(internalToken: string, local?: { baseUrl: string; services: LocalServices }) {
    this.#internalToken = internalToken;
    this.#local = local;
  }

  client<T extends DescService>(service: T, serviceName: string, baseUrl: string): Client<T> {
    const cacheKey = `${service.typeName} ${serviceName} ${baseUrl}`;
    let client = this.#clients.get(cacheKey) as Client<T> | undefined;
    if (!client) {
      // Decided at the first call, not now: services built before this one may ask for clients
      // before the process has registered the services it hosts.
      let target: Client<T> | undefined;
      const resolve = (): Client<T> => {
        const local = this.#local;
        target ??= local && baseUrl === local.baseUrl && local.services.has(service) ? local.services.client(service) : this.#remote(service, serviceName, baseUrl);
        return target;
      };
      const methods = service.methods.map((m) => [m.localName, (...args: unknown[]) => (resolve() as Record<string, (...a: unknown[]) => unknown>)[m.localName]!(...args)]);
      client = Object.fromEntries(methods) as Client<T>;
      this.#clients.set(cacheKey, client as Client<DescService>);
    }
    return client;
  }

  #remote<T extends DescService>(service: T, serviceName: string, baseUrl: string): Client<T> {
    const url = baseUrl.replaceAll("{service}", serviceName);
    let transport = this.#transports.get(url);
    if (!transport) {
      const session = new Http2SessionManager(url, { idleConnectionTimeoutMs: 60_000 });
      this.#sessions.set(url, session);
      const token = this.#internalToken;
      const addToken: Interceptor = (next) => (req) => {
        if (token) req.header.set(INTERNAL_TOKEN_HEADER, token);
        // The trace travels with the call: the caller's own traceparent, else the active span's.
        if (!req.header.has("traceparent")) propagation.inject(context.active(), req.header, headersSetter);
        return next(req);
      };
      // No compression: calls stay inside a cluster, where gzip costs more CPU than it saves.
      transport = createGrpcTransport({ baseUrl: url, sessionManager: session, interceptors: [addToken], acceptCompression: [] });
      this.#transports.set(url, transport);
    }
    return createClient(service, transport);
  }

  close(): void {
    for (const s of this.#sessions.values()) s.abort();
    this.#sessions.clear();
    this.#transports.clear();
    this.#clients.clear();
  }
}
