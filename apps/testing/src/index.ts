export { TestStack, testMasterKey } from "./stack.ts";
export { expectApiError } from "./expect.ts";
export { freePort, startTemporaryServer } from "@hyrelog/local-infra";
export type { ApiResponse, RegionHandle, StackOptions } from "./stack.ts";
// Tests reach workspace packages only through this one (the root package depends on nothing
// else): what assertions need to recompute hashes, read rows and read the event stream.
export {
  canonicalJson,
  chainFieldsOf,
  checkpointOrigin,
  derivedIndexKey,
  localMasterKeyId,
  ERASED,
  WITHHELD,
  eventHash,
  GENESIS_HASH,
  systemCompanyId,
  verifyCheckpoint,
  verifyConsistency,
  verifyInclusion,
  type EventJson,
} from "@hyrelog/core";
export { EVENT_COLUMNS, storedEventFromRow, type EventRow, type StoredEvent } from "@hyrelog/db";
export { connectBus, eventSubject, eventsStreamName, type Bus } from "@hyrelog/bus";
export { ARCHIVAL_CADENCES, REGION_TARGETS, SERVICES } from "@hyrelog/config";
// Observability tests: the logger writes to a stream they read.
export { createLogger } from "@hyrelog/runtime";
