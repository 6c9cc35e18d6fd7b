import { createPrivateKey } from "node:crypto";
import { derivedUuidv7, signingKey } from "@hyrelog/core";
import { archivedSubject, notificationSubject, subjectsErasedSubject } from "@hyrelog/bus";
import { Tenancy, type ServiceDeps, type ServiceModule } from "@hyrelog/runtime";
import { Checkpointer, type PublishedCheckpoint } from "./checkpointer.ts";
import { OutboxPublisher } from "./outbox.ts";
import { MonthlyQuota } from "./quota.ts";
import { ingestRoutes } from "./routes.ts";
import { EventSealer } from "./seal.ts";
import { LogWriter } from "./writer.ts";

export async function build(deps: ServiceDeps): Promise<ServiceModule> {
  const orm = deps.orm!;
  const outbox = new OutboxPublisher({
    orm,
    bus: deps.bus,
    prefix: deps.config.natsPrefix,
    region: deps.config.region,
    logger: deps.logger.child({ service: "ingest" }),
    metrics: deps.metrics,
  });
  const writer = new LogWriter(orm, (runs) => outbox.published(runs));
  const { checkpoints } = deps.config;
  const checkpointer = checkpoints.signingKey
    ? new Checkpointer({
        orm,
        region: deps.config.region,
        key: signingKey(checkpoints.keyName, createPrivateKey({ key: Buffer.from(checkpoints.signingKey, "base64"), format: "der", type: "pkcs8" })),
        intervalMs: checkpoints.intervalMs,
        everyEvents: checkpoints.everyEvents,
        logger: deps.logger.child({ service: "checkpointer" }),
        metrics: deps.metrics,
        announce: (published) => publishCheckpointNotifications(deps, published),
      })
    : null;
  if (!checkpointer) deps.logger.warn("CHECKPOINT_SIGNING_KEY is not set: no checkpoints will be signed");
  const tenancy = new Tenancy(orm);
  // The dashboard's notice that a workspace or project was archived: refuse its events at once.
  const archived = deps.bus.nc.subscribe(archivedSubject(deps.config.natsPrefix, deps.config.region), {
    callback: (err, msg) => {
      if (err) return;
      try {
        const { id } = JSON.parse(new TextDecoder().decode(msg.data)) as { id?: unknown };
        if (typeof id === "string") tenancy.forget(id);
      } catch {
        deps.logger.warn("ignored a malformed archive notice");
      }
    },
  });
  // The gdpr service's notice that subjects were erased: their next events start new subjects.
  const erased = deps.bus.nc.subscribe(subjectsErasedSubject(deps.config.natsPrefix, deps.config.region), {
    callback: (err, msg) => {
      if (err) return;
      try {
        const { companyId, externalIds } = JSON.parse(new TextDecoder().decode(msg.data)) as { companyId?: unknown; externalIds?: unknown };
        if (typeof companyId === "string" && Array.isArray(externalIds)) deps.subjects?.forget(companyId, externalIds.filter((x): x is string => typeof x === "string"));
      } catch {
        deps.logger.warn("ignored a malformed erasure notice");
      }
    },
  });
  return {
    name: "ingest",
    routes: ingestRoutes({ writer, tenancy, metrics: deps.metrics, quota: new MonthlyQuota(orm), sealer: sealerFor(deps) }),
    start: async () => {
      outbox.startSweeper();
      if (checkpointer) {
        await checkpointer.registerKey();
        checkpointer.start();
      }
    },
    stop: async () => {
      archived.unsubscribe();
      erased.unsubscribe();
      await checkpointer?.stop();
      await writer.flushed();
      await outbox.stop();
    },
  };
}

/** Seals personal data unless PERSONAL_DATA_ENCRYPTION=off (benchmarks' baseline), which stores chain v1. */
function sealerFor(deps: ServiceDeps): EventSealer | null {
  if (!deps.config.personalData.encryption) {
    deps.logger.warn("PERSONAL_DATA_ENCRYPTION=off: new events keep personal data in the clear (chain v1) and cannot be erased");
    return null;
  }
  if (!deps.subjects) throw new Error("the ingest service needs PERSONAL_DATA_MASTER_KEY");
  return new EventSealer(deps.subjects);
}

/**
 * CHECKPOINT_PUBLISHED on the notifications stream (webhooks), one per stored checkpoint, after its
 * commit. The id is fixed by the checkpoint, so an announcement the sweep repeats is one message
 * to JetStream (within its de-duplication window) and one delivery per webhook endpoint after it.
 */
async function publishCheckpointNotifications(deps: ServiceDeps, published: PublishedCheckpoint[]): Promise<void> {
  const { natsPrefix, region } = deps.config;
  await Promise.all(
    published.map((c) => {
      const id = derivedUuidv7(c.createdAt.getTime(), `CHECKPOINT_PUBLISHED:${c.logId}:${c.treeSize}`);
      const workspaceId = c.logId === c.companyId ? null : c.logId;
      const notification = {
        id,
        type: "CHECKPOINT_PUBLISHED",
        companyId: c.companyId,
        workspaceId,
        occurredAt: c.createdAt.toISOString(),
        data: { logId: c.logId, treeSize: c.treeSize, rootHash: c.rootHash, createdAt: c.createdAt.toISOString(), keyName: c.keyName, signedNote: c.signedNote },
      };
      return deps.bus.publish(notificationSubject(natsPrefix, region, c.companyId, "CHECKPOINT_PUBLISHED"), Buffer.from(JSON.stringify(notification)), { msgId: id });
    }),
  );
}
