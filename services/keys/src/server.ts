import { IngestService } from "@hyrelog/proto";
import { keyInvalidationSubject } from "@hyrelog/bus";
import { Tenancy, type ServiceDeps, type ServiceModule } from "@hyrelog/runtime";
import { keysRoutes } from "./routes.ts";

export async function build(deps: ServiceDeps): Promise<ServiceModule> {
  const { config } = deps;
  const subject = keyInvalidationSubject(config.natsPrefix, config.region);
  return {
    name: "keys",
    routes: keysRoutes({
      orm: deps.orm!,
      region: config.region,
      apiKeySecret: config.apiKeySecret,
      defaultGraceSeconds: config.keyRotationGraceSeconds,
      invalidate: (keyId) => deps.bus.notify(subject, Buffer.from(JSON.stringify({ keyId }))),
      ingest: deps.clients.client(IngestService, "ingest", config.regionEndpoints[config.region]!),
      tenancy: new Tenancy(deps.orm!),
      logger: deps.logger.child({ service: "keys" }),
    }),
    stop: async () => {},
  };
}
