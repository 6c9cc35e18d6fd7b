import { IngestService } from "@hyrelog/proto";
import { recordAuditEvent, regionToProto, Tenancy, type ServiceDeps, type ServiceModule } from "@hyrelog/runtime";
import { createSecretBox } from "@hyrelog/core";
import { Dispatcher } from "./dispatcher.ts";
import { Intake } from "./intake.ts";
import { sweepOldDeliveries } from "./retention.ts";
import { webhookRoutes } from "./routes.ts";

/**
 * The webhook service: management RPCs (WebhookService), the intake that turns stored events and
 * notifications into delivery rows, and the dispatcher that sends them.
 */
export async function build(deps: ServiceDeps): Promise<ServiceModule> {
  const { config } = deps;
  const settings = config.webhooks;
  const logger = deps.logger.child({ service: "webhook" });
  const box = createSecretBox(settings.secretEncryptionKey);
  const ingest = deps.clients.client(IngestService, "ingest", config.regionEndpoints[config.region]!);
  if (settings.allowLoopback) logger.warn("WEBHOOK_ALLOW_LOOPBACK is on: deliveries may go to this machine (development only)");

  if (!deps.subjects) throw new Error("the webhook service needs PERSONAL_DATA_MASTER_KEY");
  const dispatcher = new Dispatcher({
    orm: deps.orm!,
    subjects: deps.subjects,
    box,
    logger,
    metrics: deps.metrics,
    allowLoopback: settings.allowLoopback,
    timeScale: settings.retryTimeScale,
    timeoutMs: settings.deliveryTimeoutMs,
    disableAfterDays: settings.disableAfterDays,
    onDisabled: (endpoint) =>
      void recordAuditEvent(ingest, logger, {
        companyId: endpoint.companyId,
        region: regionToProto(config.region),
        workspaceId: endpoint.workspaceId,
        category: "webhook",
        action: "webhook.disabled",
        actor: { id: "hyrelog-webhooks", type: "system", name: "HyreLog webhook dispatcher" },
        target: { id: endpoint.id, type: "webhook", name: endpoint.url.slice(0, 200) },
        changes: [
          { field: "status", old: "ACTIVE", new: "DISABLED" },
          { field: "disabledReason", new: endpoint.reason },
        ],
      }),
  });
  const intake = new Intake({
    orm: deps.orm!,
    bus: deps.bus,
    prefix: config.natsPrefix,
    region: config.region,
    logger,
    onStored: () => dispatcher.wake(),
  });
  let sweepTimer: NodeJS.Timeout | undefined;
  let sweeping: Promise<unknown> = Promise.resolve();
  const sweep = () => {
    sweeping = sweepOldDeliveries(deps.orm!, settings.deliveryRetentionDays)
      .then((n) => n && logger.info("deleted finished webhook deliveries past their retention", { deliveries: n, days: settings.deliveryRetentionDays }))
      .catch((err) => logger.warn("webhook delivery retention sweep failed", { err }));
  };
  return {
    name: "webhook",
    routes: webhookRoutes({ orm: deps.orm!, tenancy: new Tenancy(deps.orm!), box, allowLoopback: settings.allowLoopback, ingest, logger, wake: () => dispatcher.wake() }),
    start: async () => {
      await intake.start();
      dispatcher.start();
      sweep();
      sweepTimer = setInterval(sweep, 3_600_000);
      sweepTimer.unref();
    },
    stop: async () => {
      clearInterval(sweepTimer);
      await intake.stop();
      await dispatcher.stop();
      await sweeping;
    },
  };
}
