import { createPrivateKey } from "node:crypto";
import { signingKey, uuidv7 } from "@hyrelog/core";
import { notificationSubject } from "@hyrelog/bus";
import type { ServiceDeps, ServiceModule } from "@hyrelog/runtime";
import { Checkpointer, type PublishedCheckpoint } from "./checkpointer.ts";
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
        onPublished: (published) => publishCheckpointNotifications(deps, published),
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

/**
 * CHECKPOINT_PUBLISHED on the notifications stream (webhooks), one per stored checkpoint, after its
 * commit. Best effort: a checkpoint whose notification is lost is still served by the verification API.
 */
function publishCheckpointNotifications(deps: ServiceDeps, published: PublishedCheckpoint[]): void {
  const { natsPrefix, region } = deps.config;
  for (const c of published) {
    const id = uuidv7();
    const workspaceId = c.logId === c.companyId ? null : c.logId;
    const notification = {
      id,
      type: "CHECKPOINT_PUBLISHED",
      companyId: c.companyId,
      workspaceId,
      occurredAt: c.createdAt.toISOString(),
      data: { logId: c.logId, treeSize: c.treeSize, rootHash: c.rootHash, createdAt: c.createdAt.toISOString(), keyName: c.keyName, signedNote: c.signedNote },
    };
    deps.bus
      .publish(notificationSubject(natsPrefix, region, c.companyId, "CHECKPOINT_PUBLISHED"), Buffer.from(JSON.stringify(notification)), { msgId: id })
      .catch((err) => deps.logger.warn("could not publish a CHECKPOINT_PUBLISHED notification", { logId: c.logId, treeSize: c.treeSize, err }));
  }
}
