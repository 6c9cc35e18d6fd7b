// The public API (hyrelog.api.v1), exported as the `api` namespace: its names (EventService,
// VerificationService, Checkpoint…) repeat the internal contracts' on purpose.
export * from "./gen/hyrelog/api/v1/events_pb.js";
export * from "./gen/hyrelog/api/v1/verification_pb.js";
