import { Tenancy, type ServiceDeps, type ServiceModule } from "@hyrelog/runtime";
import { queryRoutes } from "./routes.ts";
import { verificationRoutes } from "./verification.ts";

export async function build(deps: ServiceDeps): Promise<ServiceModule> {
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
