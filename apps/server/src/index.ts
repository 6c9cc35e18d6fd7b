import { SERVICES, type Target } from "@hyrelog/config";
import type { ServiceBuilder } from "@hyrelog/runtime";

/**
 * How to build each service of the registry. Loaded on demand, so a process imports only the
 * services it runs. `Record<Target, …>`: a registry entry without a builder does not type-check.
 */
const BUILDERS: Record<Target, () => Promise<ServiceBuilder>> = {
  keys: async () => (await import("@hyrelog/keys")).build,
  ingest: async () => (await import("@hyrelog/ingest")).build,
  query: async () => (await import("@hyrelog/query")).build,
  webhook: async () => (await import("@hyrelog/webhook")).build,
  export: async () => (await import("@hyrelog/export")).build,
  gdpr: async () => (await import("@hyrelog/gdpr")).build,
  archival: async () => (await import("@hyrelog/archival")).build,
  dashboard: async () => (await import("@hyrelog/dashboard")).build,
  gateway: async () => (await import("@hyrelog/gateway")).build,
};

/** The builders of `targets`, in the registry's start order (the gateway last). */
export async function buildersFor(targets: readonly Target[]): Promise<ServiceBuilder[]> {
  return Promise.all(SERVICES.filter((s) => targets.includes(s.name)).map((s) => BUILDERS[s.name]()));
}
