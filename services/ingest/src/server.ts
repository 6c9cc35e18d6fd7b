import { createPrivateKey } from "node:crypto";
import { signingKey } from "@hyrelog/core";
import type { ServiceDeps, ServiceModule } from "@hyrelog/runtime";
import { Checkpointer } from "./checkpointer.ts";
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
  const { checkpoints } = deps.config;
  const checkpointer = checkpoints.signingKey
    ? new Checkpointer({
        orm,
        region: deps.config.region,
        key: signingKey(checkpoints.keyName, createPrivateKey({ key: Buffer.from(checkpoints.signingKey, "base64"), format: "der", type: "pkcs8" })),
        intervalMs: checkpoints.intervalMs,
        everyEvents: checkpoints.everyEvents,
        logger: deps.logger.child({ service: "checkpointer" }),
      })
    : null;
  if (!checkpointer) deps.logger.warn("CHECKPOINT_SIGNING_KEY is not set: no checkpoints will be signed");
  return {
    name: "ingest",
    routes: ingestRoutes({ orm, writer }),
    start: async () => {
      outbox.startSweeper();
      if (checkpointer) {
        await checkpointer.registerKey();
        checkpointer.start();
      }
    },
    stop: async () => {
      await checkpointer?.stop();
      await writer.flushed();
      await outbox.stop();
    },
  };
}
