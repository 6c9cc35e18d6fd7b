/**
 * The one list of HyreLog's services. Everything that needs to know which services exist reads it:
 * config (`--target`), the CLI and the test stack (what to build, in which order), the lint rule
 * that keeps services apart, the gateway's /internal/health, the Kubernetes rendering test and the
 * docs test. Adding a service is: a folder under services/, one entry here, a builder in
 * apps/server (the type checker asks for it), a k8s file (the k8s test asks for it).
 */
export const SERVICES = [
  { name: "keys", grpcServices: ["hyrelog.keys.v1.KeysService"], regionScoped: true },
  { name: "ingest", grpcServices: ["hyrelog.ingest.v1.IngestService"], regionScoped: true },
  { name: "query", grpcServices: ["hyrelog.query.v1.QueryService", "hyrelog.verification.v1.VerificationService", "hyrelog.query.v1.AnalyticsService", "hyrelog.query.v1.TailService"], regionScoped: true },
  { name: "webhook", grpcServices: ["hyrelog.webhook.v1.WebhookService"], regionScoped: true },
  { name: "export", grpcServices: ["hyrelog.export.v1.ExportService", "hyrelog.jobs.v1.JobsService"], regionScoped: true },
  // GDPR requests, approvals and the company export; records its outcomes through ingest.
  { name: "gdpr", grpcServices: ["hyrelog.gdpr.v1.GdprService"], regionScoped: true },
  // The data lifecycle: retention marking, archives in S3 and their verification, cold marking; runs the region's schedule.
  { name: "archival", grpcServices: ["hyrelog.archival.v1.ArchivalService"], regionScoped: true },
  // Tenant management for the dashboard application: calls keys and ingest of its own region.
  { name: "dashboard", grpcServices: ["hyrelog.dashboard.v1.DashboardService"], regionScoped: true },
  // The REST edge: serves every region it is configured with, so it is not region-scoped.
  { name: "gateway", grpcServices: [], regionScoped: false },
] as const satisfies ReadonlyArray<{ name: string; grpcServices: readonly string[]; regionScoped: boolean }>;

export type ServiceInfo = (typeof SERVICES)[number];
export type Target = ServiceInfo["name"];

/** Every target, in start order: the region services first, the gateway (which calls them) last. */
export const TARGETS: readonly Target[] = SERVICES.map((s) => s.name);

/** The services that serve one region's data (one process per region runs them). */
export const REGION_TARGETS: readonly Target[] = SERVICES.filter((s) => s.regionScoped).map((s) => s.name);
