import type { ConnectRouter } from "@connectrpc/connect";
import { loadConfig, SERVICES, type HyrelogConfig, type Target } from "@hyrelog/config";
import { connectBus, type Bus } from "@hyrelog/bus";
import { localMasterKey } from "@hyrelog/core";
import { openOrm, SubjectKeyStore, type Orm } from "@hyrelog/db";
import { ServiceClients } from "./clients.ts";
import { LocalServices } from "./local-services.ts";
import { HealthRegistry } from "./health.ts";
import { createLogger, type Logger } from "./logger.ts";
import { Metrics, startMetricsServer, type MetricsServer } from "./metrics.ts";
import { RpcTelemetry } from "./rpc-telemetry.ts";
import { startRpcServer, type RpcServer } from "./server.ts";
import { setupTracing } from "./tracing.ts";

/** What a service gets from the process that hosts it: ready, connected dependencies. */
export interface ServiceDeps {
  config: HyrelogConfig;
  logger: Logger;
  health: HealthRegistry;
  /** The process's Prometheus metrics: services add their own counters and gauges here. */
  metrics: Metrics;
  /** Set when a hosted target needs the region database. */
  orm: Orm | null;
  /** The data subjects' keys (ADR 0012): set when the process has the database and PERSONAL_DATA_MASTER_KEY. */
  subjects: SubjectKeyStore | null;
  bus: Bus;
  clients: ServiceClients;
}

/** A service hosted by a process: RPC routes and/or background work, and how to stop it. */
export interface ServiceModule {
  name: Target;
  routes?(router: ConnectRouter): void;
  /** Starts background work or listeners; called after the RPC server listens. */
  start?(): Promise<void>;
  /** Stops accepting work and finishes what is in flight. */
  stop(): Promise<void>;
}

export type ServiceBuilder = (deps: ServiceDeps) => Promise<ServiceModule>;

export interface RunningProcess {
  deps: ServiceDeps;
  rpc: RpcServer;
  /** The metrics port (METRICS_PORT), when there is one. */
  metricsPort: number | null;
  modules: ServiceModule[];
  /** Graceful shutdown: stop accepting, finish in-flight work, drain NATS, close the ORM. */
  stop(): Promise<void>;
}

/** Builds the given services in this process from a validated config. */
export async function startProcess(config: HyrelogConfig, builders: ServiceBuilder[]): Promise<RunningProcess> {
  const logger = createLogger(config.logLevel, { region: config.region, targets: config.targets.join(",") });
  const tracing = setupTracing(config);
  const metrics = new Metrics();
  const telemetry = new RpcTelemetry(metrics);
  const health = new HealthRegistry();
  const needsDb = config.targets.some((t) => t !== "gateway");
  const orm = needsDb ? await openOrm({ databaseUrl: config.databaseUrl }) : null;
  const bus = await connectBus({
    url: config.natsUrl,
    prefix: config.natsPrefix,
    region: config.region,
    name: `hyrelog-${config.region}-${config.targets.join("+")}`,
    replicas: config.natsStreamReplicas,
  }).catch(async (err) => {
    await orm?.close(true);
    throw err;
  });
  if (orm) health.addCheck({ name: "database", check: async () => void (await orm.em.getConnection().execute("select 1")) });
  health.addCheck({ name: "nats", check: () => bus.ping() });
  const local = new LocalServices(logger, telemetry);
  const clients = new ServiceClients(config.internalToken, { baseUrl: config.regionEndpoints[config.region]!, services: local });
  const pd = config.personalData;
  const subjects = orm && pd.masterKey ? new SubjectKeyStore(orm, localMasterKey(pd.masterKey, pd.previousMasterKeys, pd.indexKey || undefined)) : null;
  const deps: ServiceDeps = { config, logger, health, metrics, orm, subjects, bus, clients };

  const modules: ServiceModule[] = [];
  for (const build of builders) modules.push(await build(deps));
  const rpc = await startRpcServer({
    host: config.serviceHost,
    port: config.servicePort,
    health,
    logger,
    internalToken: config.internalToken,
    telemetry,
    routes: (router) => {
      const recording = local.recording(router);
      for (const m of modules) registerRoutes(m, recording, health);
    },
  });
  for (const m of modules) await m.start?.();
  const metricsServer: MetricsServer | null = config.metrics.port === null ? null : await startMetricsServer(metrics, config.metrics.host, config.metrics.port);
  logger.info("process started", { rpcPort: rpc.port, metricsPort: metricsServer?.port ?? null, tracing: config.tracing.tracesEndpoint ? "exporting" : "propagation only" });

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      health.markShuttingDown();
      for (const m of [...modules].reverse()) {
        await m.stop().catch((err) => logger.error("service stop failed", { service: m.name, err }));
      }
      await rpc.close(config.shutdownTimeoutMs);
      await metricsServer?.close();
      await tracing.flush();
      clients.close();
      // At shutdown a lost connection (NATS stopped first) is expected: one line, no stack.
      await bus.close().catch((err: Error) => logger.warn("NATS drain failed", { reason: err.message }));
      await orm?.close(true);
      logger.info("process stopped");
    })());
  return { deps, rpc, metricsPort: metricsServer?.port ?? null, modules, stop };
}

/** Entry point of a process: config from the environment, SIGTERM/SIGINT shut down cleanly. */
export async function runMain(targets: Target[], builders: ServiceBuilder[]): Promise<RunningProcess> {
  const config = loadConfig(process.env, targets);
  const running = await startProcess(config, builders);
  const onSignal = (signal: string) => {
    running.deps.logger.info("shutting down", { signal });
    running.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGTERM", onSignal);
  process.once("SIGINT", onSignal);
  return running;
}

/**
 * Registers a module's RPC services, checks they are exactly the ones the registry
 * (packages/config/src/services.ts) lists for it, and reports each in gRPC health: the registry
 * cannot drift from what a service really serves without the process refusing to start.
 */
function registerRoutes(module: ServiceModule, router: ConnectRouter, health: HealthRegistry): void {
  const served: string[] = [];
  const service: ConnectRouter["service"] = (desc, impl, options) => {
    served.push(desc.typeName);
    return router.service(desc, impl, options);
  };
  module.routes?.({ ...router, handlers: router.handlers, service, rpc: router.rpc.bind(router) });
  const listed: readonly string[] = SERVICES.find((s) => s.name === module.name)?.grpcServices ?? [];
  if ([...served].sort().join() !== [...listed].sort().join()) {
    throw new Error(`service ${module.name} serves [${served.join(", ")}] but the registry (packages/config/src/services.ts) lists [${listed.join(", ")}]`);
  }
  for (const name of served) health.addService(name);
}
