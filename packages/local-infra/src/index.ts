/** Local infrastructure that `hyrelog dev`, the test harness and the benchmark start on this machine. */
export {
  createBuckets,
  hasExited,
  localS3Client,
  portOpen,
  S3RVER_CREDENTIALS,
  S3RVER_ENV,
  startEmbeddedPostgres,
  startNatsServer,
  startS3rver,
  stopChild,
  waitForPort,
  type Embedded,
  type EmbeddedProcess,
} from "./infra.ts";
export { startTemporaryServer } from "./temporary.ts";
export { freePort } from "./ports.ts";
