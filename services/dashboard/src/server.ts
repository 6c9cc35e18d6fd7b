import { IngestService, KeysService } from "@hyrelog/proto";
import { archivedSubject } from "@hyrelog/bus";
import { systemCompanyId } from "@hyrelog/core";
import { Tenancy, type ServiceDeps, type ServiceModule } from "@hyrelog/runtime";
import { dashboardRoutes } from "./routes.ts";

export async function build(deps: ServiceDeps): Promise<ServiceModule> {
  const { config } = deps;
  const orm = deps.orm!;
  const here = config.regionEndpoints[config.region]!;
  // The region's system company, whose company-level log is HyreLog's own system log: created here,
  // before this service answers, and never again (its id is derived from the region).
  await orm.em
    .fork()
    .execute(`insert into companies (id, name, data_region, plan_tier, plan_overrides) values (?, ?, ?, 'ENTERPRISE', '{}'::jsonb) on conflict (id) do nothing`, [
      systemCompanyId(config.region),
      `HyreLog system (${config.region})`,
      config.region,
    ]);
  const subject = archivedSubject(config.natsPrefix, config.region);
  return {
    name: "dashboard",
    routes: dashboardRoutes({
      orm,
      region: config.region,
      tenancy: new Tenancy(orm),
      keys: deps.clients.client(KeysService, "keys", here),
      ingest: deps.clients.client(IngestService, "ingest", here),
      archived: (id) => deps.bus.notify(subject, Buffer.from(JSON.stringify({ id }))),
      logger: deps.logger.child({ service: "dashboard" }),
    }),
    stop: async () => {},
  };
}
