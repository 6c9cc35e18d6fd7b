export { canonicalJson } from "./canonical-json.ts";
export { CHAIN_VERSION, GENESIS_HASH, chainDocument, eventHash, verifyChain } from "./chain.ts";
export type { ChainFault, ChainedEventFields } from "./chain.ts";
export { derivedUuidv7, isUuid, uuidv7 } from "./ids.ts";
export { MAX_JSON_DEPTH, checkJsonValue, parseTimestamp, textProblem } from "./input-rules.ts";
export type { TextKind, Violation } from "./input-rules.ts";
export { allowlistIncludes, invalidAllowlistEntries } from "./ip-allowlist.ts";
export { REGIONS, isRegionCode, isSystemCompanyId, systemCompanyId } from "./regions.ts";
export type { RegionCode } from "./regions.ts";
export { PLAN_TIERS, isPlanTier } from "./plans.ts";
export type { PlanTierName } from "./plans.ts";
export { apiKeyPrefix, constantTimeEqual, generateApiKey, hashApiKey, parseApiKey } from "./api-keys.ts";
export type { KeyKind, ParsedApiKey } from "./api-keys.ts";
export { chainFieldsOf } from "./event.ts";
export type { EventJson } from "./event.ts";
// Merkle trees, proofs and signed checkpoints: @hyrelog/tlog (dependency-free, shared with the SDK).
export * from "@hyrelog/tlog";
export { checkpointOrigin } from "./origin.ts";
export { SecretBoxError, createSecretBox, generateSecretBoxKey, secretBoxFromKey } from "./secret-box.ts";
export type { SecretBox } from "./secret-box.ts";
export {
  ERASED,
  MAX_MARKED_POINTERS,
  PERSONAL_CHAIN_VERSION,
  PERSON_TARGET_TYPES,
  closePersonal,
  emailIndex,
  emailSubjectId,
  derivedIndexKey,
  localMasterKey,
  localMasterKeyId,
  markedPointerProblems,
  openPersonal,
  personalCommitment,
  personalOwners,
  sealPersonal,
  targetIsPerson,
  valueAt,
  WITHHELD,
} from "./personal-data.ts";
export type { MasterKey, PersonalFields, PersonalValue, SealedValues, SubjectKey, SubjectRole } from "./personal-data.ts";
export { ARCHIVE_FORMAT, ArchiveVerifier, archiveObjectKey } from "./archive.ts";
export type { ArchiveHeader, ArchiveProblem, ArchiveProblemKind, ArchiveReport, ArchivedEvent } from "./archive.ts";
