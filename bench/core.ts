/**
 * @hyrelog/core for the bench. The root package (which bench/ belongs to) depends on @hyrelog/db
 * but not on @hyrelog/core, so the bare specifier does not resolve from here; this reaches core
 * through @hyrelog/db's own dependency on it (same files, same module instances as the services
 * load). If the root package.json gains `"@hyrelog/core": "workspace:*"`, replace the path with
 * the package name.
 */
export {
  CompactRange,
  GENESIS_HASH,
  canonicalJson,
  chainDocument,
  chainFieldsOf,
  eventHash,
  leafHash,
  merkleRoot,
  nodeHash,
  uuidv7,
  verifyInclusion,
} from "../node_modules/@hyrelog/db/node_modules/@hyrelog/core/src/index.ts";
export type { ChainedEventFields, EventJson } from "../node_modules/@hyrelog/db/node_modules/@hyrelog/core/src/index.ts";
