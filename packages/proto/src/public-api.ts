// The public API (hyrelog.api.v1), exported as the `api` namespace: its names (EventService,
// VerificationService, Checkpoint…) repeat the internal contracts' on purpose.
export * from "./gen/hyrelog/api/v1/events_pb.js";
export * from "./gen/hyrelog/api/v1/verification_pb.js";
export * from "./gen/hyrelog/api/v1/exports_pb.js";
export * from "./gen/hyrelog/api/v1/gdpr_pb.js";
export * from "./gen/hyrelog/api/v1/keys_pb.js";
export * from "./gen/hyrelog/api/v1/webhooks_pb.js";
export * from "./gen/hyrelog/api/v1/analytics_pb.js";
export * from "./gen/hyrelog/api/v1/archives_pb.js";
export * from "./gen/hyrelog/api/v1/restores_pb.js";
