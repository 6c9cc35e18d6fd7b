import type { ServiceDeps, ServiceModule } from "@hyrelog/runtime";
import { queryRoutes } from "./routes.ts";

export async function build(deps: ServiceDeps): Promise<ServiceModule> {
  deps.health.addService("hyrelog.query.v1.QueryService");
  return { name: "query", routes: queryRoutes(deps.orm!), stop: async () => {} };
}
