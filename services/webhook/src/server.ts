import type { ServiceDeps, ServiceModule } from "@hyrelog/runtime";

export async function build(_deps: ServiceDeps): Promise<ServiceModule> {
  return { name: "webhook", stop: async () => {} };
}
