import type { DescService } from "@bufbuild/protobuf";
import { createClient, type Client, type Interceptor, type Transport } from "@connectrpc/connect";
import { createGrpcTransport, Http2SessionManager } from "@connectrpc/connect-node";
import { INTERNAL_TOKEN_HEADER } from "./server.ts";

/**
 * Clients for calling HyreLog services over gRPC (HTTP/2), one shared session per base URL.
 * `{service}` in a base URL is replaced by the service name (one Kubernetes Service each).
 */
export class ServiceClients {
  readonly #sessions = new Map<string, Http2SessionManager>();
  readonly #transports = new Map<string, Transport>();
  readonly #internalToken: string;

  constructor(internalToken: string) {
    this.#internalToken = internalToken;
  }

  client<T extends DescService>(service: T, serviceName: string, baseUrl: string): Client<T> {
    const url = baseUrl.replaceAll("{service}", serviceName);
    let transport = this.#transports.get(url);
    if (!transport) {
      const session = new Http2SessionManager(url, { idleConnectionTimeoutMs: 60_000 });
      this.#sessions.set(url, session);
      const token = this.#internalToken;
      const addToken: Interceptor = (next) => (req) => {
        if (token) req.header.set(INTERNAL_TOKEN_HEADER, token);
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
  }
}
