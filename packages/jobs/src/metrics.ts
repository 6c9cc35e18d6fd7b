import type { Metrics } from "@hyrelog/runtime";
import type { JobStatus } from "./job-type.ts";
import type { JobStore } from "./store.ts";

/** Counts jobs entering each state; with no metrics registry, does nothing. */
export type JobStates = (type: string, state: JobStatus) => void;

/**
 * Jobs by state: `hyrelog_job_transitions_total{type,state}` counts every state a job enters
 * (PENDING when created or retried, PROCESSING per attempt, COMPLETED, FAILED, CANCELLED) in this
 * process; `hyrelog_jobs{type,state}` is the region's open jobs (PENDING, PROCESSING), read from
 * the jobs table (partial index jobs_open_idx) when Prometheus scrapes.
 */
export function jobMetrics(metrics: Metrics | undefined, store: JobStore): JobStates {
  if (!metrics) return () => {};
  const transitions = metrics.counter("hyrelog_job_transitions_total", "Jobs that entered a state, by job type and state.", ["type", "state"]);
  // Types seen once stay at 0 when they have no open jobs, rather than vanishing.
  const seen = new Set<string>();
  metrics.gauge("hyrelog_jobs", "Open jobs of the region (PENDING, PROCESSING) by type and state, from the database at scrape time.", ["type", "state"], async function () {
    // A scrape never waits long on, or fails because of, the database: the last values stay.
    const counts = await Promise.race([store.openCounts(), new Promise<null>((r) => setTimeout(() => r(null), 2000).unref())]).catch(() => null);
    if (!counts) return;
    for (const c of counts) seen.add(c.type);
    for (const type of seen) for (const state of ["PENDING", "PROCESSING"]) this.set({ type, state }, 0);
    for (const c of counts) this.set({ type: c.type, state: c.status }, c.count);
  });
  return (type, state) => transitions.inc({ type, state });
}
