import { eventsStreamName } from "@hyrelog/bus";
import { Tenancy, type ServiceDeps, type ServiceModule } from "@hyrelog/runtime";
import { analyticsRoutes } from "./analytics.ts";
import { RollupWorker } from "./analytics-rollup.ts";
import { queryRoutes } from "./routes.ts";
import { TailHub } from "./tail.ts";
import { tailRoutes } from "./tail-service.ts";
import { verificationRoutes } from "./verification.ts";

export async function build(deps: ServiceDeps): Promise<ServiceModule> {
  const tenancy = new Tenancy(deps.orm!);
  if (!deps.subjects) throw new Error("the query service needs PERSONAL_DATA_MASTER_KEY");
  const query = queryRoutes(deps.orm!, tenancy, deps.subjects);
  const verification = verificationRoutes(deps.orm!, tenancy, deps.config.region);
  const analytics = analyticsRoutes(deps.orm!, tenancy);
  const { natsPrefix: prefix, region } = deps.config;
  // Live tail: the region's event stream read once and fanned out to every open stream (tail.ts).
  const hub = new TailHub({ bus: deps.bus, subjects: deps.subjects, prefix, region, stream: eventsStreamName(prefix, region), logger: deps.logger.child({ service: "query" }), maxQueued: deps.config.tail.maxQueuedEvents });
  const tail = tailRoutes(hub, tenancy, deps.subjects);
  // Keeps the analytics rollups after ingest commits (analytics-rollup.ts).
  const rollups = new RollupWorker({ orm: deps.orm!, bus: deps.bus, prefix, region, logger: deps.logger.child({ service: "query" }), metrics: deps.metrics });
  return {
    name: "query",
    routes: (router) => {
      query(router);
      verification(router);
      analytics(router);
      tail(router);
    },
    start: async () => {
      rollups.start();
      await hub.start();
    },
    stop: async () => {
      await hub.stop();
      await rollups.stop();
    },
  };
}
