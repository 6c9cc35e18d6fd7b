import { create, isMessage, type DescMethod, type DescService } from "@bufbuild/protobuf";
import { Code, createHandlerContext, type CallOptions, type Client, type ConnectRouter } from "@connectrpc/connect";
import { toConnectError } from "./errors.ts";
import type { Logger } from "./logger.ts";
import type { RpcTelemetry } from "./rpc-telemetry.ts";

type UnaryHandler = (request: unknown, context: ReturnType<typeof createHandlerContext>) => unknown;

/**
 * The service implementations this process hosts. When a caller in the same process (the
 * gateway in `--target=all`, the keys service recording an event) calls one of them, the call
 * goes straight to the handler: same handler, same errors, no HTTP/2 or serialisation.
 */
export class LocalServices {
  readonly #impls = new Map<string, Record<string, UnaryHandler>>();
  readonly #logger: Logger;
  readonly #telemetry: RpcTelemetry;

  constructor(logger: Logger, telemetry: RpcTelemetry) {
    this.#logger = logger;
    this.#telemetry = telemetry;
  }

  /** A router that records each service registered on it, then registers it on `router`. */
  recording(router: ConnectRouter): ConnectRouter {
    const service: ConnectRouter["service"] = (desc, impl, options) => {
      this.#impls.set(desc.typeName, impl as Record<string, UnaryHandler>);
      return router.service(desc, impl, options);
    };
    return { ...router, handlers: router.handlers, service, rpc: router.rpc.bind(router) };
  }

  has(service: DescService): boolean {
    return this.#impls.has(service.typeName);
  }

  client<T extends DescService>(service: T): Client<T> {
    const impl = this.#impls.get(service.typeName);
    if (!impl) throw new Error(`${service.typeName} is not hosted by this process`);
    const client: Record<string, unknown> = {};
    for (const method of service.methods) {
      const handler = impl[method.localName];
      if (!handler) continue;
      if (method.methodKind === "server_streaming") {
        client[method.localName] = (input: unknown, options: CallOptions = {}) => this.#serverStream(service, method, impl, input, options);
        continue;
      }
      if (method.methodKind !== "unary") continue;
      client[method.localName] = async (input: unknown, options: CallOptions = {}) => {
        const context = createHandlerContext({
          service,
          method,
          protocolName: "in-process",
          requestMethod: "POST",
          url: `/${service.typeName}/${method.name}`,
          requestHeader: options.headers,
          requestSignal: options.signal,
          timeoutMs: options.timeoutMs,
        });
        // Counted and traced like a call over the network.
        return this.#telemetry.run(service.typeName, method.name, context.requestHeader, async () => {
          try {
            const request = isMessage(input, method.input) ? input : create(method.input, input as never);
            const output = await handler.call(impl, request, context);
            return isMessage(output, method.output) ? output : create(method.output, output as never);
          } catch (err) {
            const mapped = toConnectError(err);
            if (mapped.code === Code.Internal || mapped.code === Code.Unknown) {
              this.#logger.error("rpc failed", { method: `${service.typeName}/${method.name}`, err: mapped.cause });
            }
            throw mapped;
          }
        });
      };
    }
    return client as Client<T>;
  }

  /**
   * A server-streaming call in-process: the handler's messages as they come. Leaving the loop
   * early (or aborting `options.signal`) ends the handler's iteration and aborts its signal.
   */
  async *#serverStream(service: DescService, method: DescMethod, impl: Record<string, UnaryHandler>, input: unknown, options: CallOptions): AsyncGenerator<unknown> {
    if (method.methodKind !== "server_streaming") throw new Error(`${method.name} is not server-streaming`);
    const abort = new AbortController();
    const onAbort = () => abort.abort(options.signal?.reason);
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener("abort", onAbort, { once: true });
    const context = createHandlerContext({
      service,
      method,
      protocolName: "in-process",
      requestMethod: "POST",
      url: `/${service.typeName}/${method.name}`,
      requestHeader: options.headers,
      requestSignal: abort.signal,
      timeoutMs: options.timeoutMs,
    });
    try {
      const request = isMessage(input, method.input) ? input : create(method.input, input as never);
      for await (const output of impl[method.localName]!.call(impl, request, context) as AsyncIterable<unknown>) {
        yield isMessage(output, method.output) ? output : create(method.output, output as never);
      }
    } catch (err) {
      const mapped = toConnectError(err);
      if (mapped.code === Code.Internal || mapped.code === Code.Unknown) {
        this.#logger.error("rpc failed", { method: `${service.typeName}/${method.name}`, err: mapped.cause });
      }
      throw mapped;
    } finally {
      options.signal?.removeEventListener("abort", onAbort);
      abort.abort();
    }
  }
}
