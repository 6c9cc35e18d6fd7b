import { Tenancy, type ServiceDeps, type ServiceModule } from "@hyrelog/runtime";
import { queryRoutes } from "./routes.ts";
import { verificationRoutes } from "./verification.ts";

export async function build(deps: ServiceDeps): Promise<ServiceModule> {
  deps.health.addService("hyrelog.query.v1.QueryService");
  deps.health.addService("hyrelog.verification.v1.VerificationService");
  const tenancy = new Tenancy(deps.orm!);
  const query = queryRoutes(deps.orm!, tenancy);
  const verification = verificationRoutes(deps.orm!, tenancy, deps.config.region);
  return {
    name: "query",
    routes: (router) => {
      query(router);
      verification(router);
    },
    stop: async () => {},
  };
}
