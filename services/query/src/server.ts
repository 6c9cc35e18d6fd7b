import { Tenancy, type ServiceDeps, type ServiceModule } from "@hyrelog/runtime";
import { queryRoutes } from "./routes.ts";
import { verificationRoutes } from "./verification.ts";

export async function build(deps: ServiceDeps): Promise<ServiceModule> {
  const tenancy = new Tenancy(deps.orm!);
  if (!deps.subjects) throw new Error("the query service needs PERSONAL_DATA_MASTER_KEY");
  const query = queryRoutes(deps.orm!, tenancy, deps.subjects);
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
