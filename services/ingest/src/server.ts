import type { ServiceDeps, ServiceModule } from "@hyrelog/runtime";
import { OutboxPublisher } from "./outbox.ts";
import { ingestRoutes } from "./routes.ts";
import { LogWriter } from "./writer.ts";

export async function build(deps: ServiceDeps): Promise<ServiceModule> {
  const orm = deps.orm!;
  const outbox = new OutboxPublisher({
    orm,
    bus: deps.bus,
    prefix: deps.config.natsPrefix,
    region: deps.config.region,
    logger: deps.logger.child({ service: "ingest" }),
  });
  const writer = new LogWriter(orm, (runs) => outbox.published(runs));
  deps.health.addService("hyrelog.ingest.v1.IngestService");
  return {
    name: "ingest",
    routes: ingestRoutes({ orm, writer }),
    start: async () => outbox.startSweeper(),
    stop: async () => {
      await writer.flushed();
      await outbox.stop();
    },
  };
}
