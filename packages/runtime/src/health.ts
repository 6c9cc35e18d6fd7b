import type { ConnectRouter } from "@connectrpc/connect";
import { Code, ConnectError } from "@connectrpc/connect";
import { HealthCheckResponse_ServingStatus as Status, Health } from "@hyrelog/proto";

/**
 * A named readiness check: resolves when the dependency is reachable, throws otherwise. A check
 * with `services` (gRPC service names) concerns only those services and the process as a whole
 * (service ""): S3 being down makes the export service NOT_SERVING, not the keys service that
 * shares its process.
 */
export type ReadinessCheck = { name: string; check: () => Promise<void>; services?: readonly string[] };

export class HealthRegistry {
  readonly #checks: ReadinessCheck[] = [];
  readonly #services = new Set<string>([""]);
  #shuttingDown = false;

  addCheck(check: ReadinessCheck): void {
    this.#checks.push(check);
  }
  addService(name: string): void {
    this.#services.add(name);
  }
  markShuttingDown(): void {
    this.#shuttingDown = true;
  }

  /** Runs the checks (those that concern `service`, or all); `failures` names the ones that failed and why. */
  async status(service = ""): Promise<{ ok: boolean; failures: Record<string, string> }> {
    const failures: Record<string, string> = {};
    if (this.#shuttingDown) failures.process = "shutting down";
    const checks = service ? this.#checks.filter((c) => !c.services || c.services.includes(service)) : this.#checks;
    await Promise.all(
      checks.map(async ({ name, check }) => {
        try {
          await withTimeout(check(), 2000);
        } catch (err) {
          failures[name] = err instanceof Error ? err.message : String(err);
        }
      }),
    );
    return { ok: Object.keys(failures).length === 0, failures };
  }

  /** The standard grpc.health.v1.Health service over these checks. */
  register(router: ConnectRouter): void {
    const statusFor = async (service: string) => {
      // Liveness: the process answers; dependencies are readiness's concern (no restart storms).
      if (service === "liveness") return this.#shuttingDown ? Status.NOT_SERVING : Status.SERVING;
      if (!this.#services.has(service)) throw new ConnectError(`unknown service "${service}"`, Code.NotFound);
      return (await this.status(service)).ok ? Status.SERVING : Status.NOT_SERVING;
    };
    router.service(Health, {
      check: async (req) => ({ status: await statusFor(req.service) }),
      watch: async function* (req, ctx) {
        let last: Status | undefined;
        while (!ctx.signal.aborted) {
          const status = await statusFor(req.service);
          if (status !== last) yield { status };
          last = status;
          await new Promise((r) => setTimeout(r, 5000));
        }
      },
    });
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    p.then((v) => (clearTimeout(t), resolve(v)), (e) => (clearTimeout(t), reject(e)));
  });
}
