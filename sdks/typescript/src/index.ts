/**
 * @hyrelog/sdk: HyreLog's TypeScript client (docs/sdks/typescript.md).
 *
 *   const log = new HyreLog({ baseUrl, apiKey });
 *   const stored = await log.record({ category: "user", action: "user.login", actor: { id: "u-1" } });
 *   for await (const event of log.events.list({ action: "user.login" })) ...
 *   for await (const { event, resumeToken } of await log.tail({ action: "user.login" })) ...
 *   const proved = await log.proveEvent(stored.id, { trustedKeys });
 *   const grown = await log.proveConsistency(keptNote, { trustedKeys });
 */
export { HyreLog } from "./client.ts";
export type { AnalyticsQuery, ArchivePages, EventPage, EventPages, HyreLogOptions, KeptCheckpoint, ProvedConsistency, ProvedEvent, RestorePages, RestoreStatusName, RestoreTierName } from "./client.ts";
export { LiveTail } from "./tail.ts";
export type { TailedEvent } from "./tail.ts";
export type { AuditEventInput, EventListFilter, RecordResult } from "./events.ts";
export { HyreLogError, QueueFullError, VerificationError } from "./errors.ts";
export type { FieldViolation, VerificationErrorCode } from "./errors.ts";
export { isRetryable } from "./retry.ts";
export type { RetryOptions } from "./retry.ts";
export { verifyCheckpoint, verifyConsistencyProof, verifyProof } from "./verify.ts";
export type { ConsistencyProof, InclusionProof, TrustedKeys, VerifiedCheckpoint, VerifiedConsistency, VerifiedInclusion } from "./verify.ts";
export { Code } from "@connectrpc/connect";
// The generated messages and services of hyrelog.api.v1, for typed access to every field.
export * from "./gen/hyrelog/api/v1/analytics_pb.js";
export * from "./gen/hyrelog/api/v1/archives_pb.js";
export * from "./gen/hyrelog/api/v1/events_pb.js";
export * from "./gen/hyrelog/api/v1/exports_pb.js";
export * from "./gen/hyrelog/api/v1/keys_pb.js";
export * from "./gen/hyrelog/api/v1/restores_pb.js";
export * from "./gen/hyrelog/api/v1/verification_pb.js";
export * from "./gen/hyrelog/api/v1/webhooks_pb.js";
export * from "./gen/hyrelog/common/v1/common_pb.js";
