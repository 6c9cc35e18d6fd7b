/** What other packages (the test harness, the benchmark) reuse of the CLI: local infrastructure for development. */
export {
  createBuckets,
  localS3Client,
  portOpen,
  S3RVER_CREDENTIALS,
  S3RVER_ENV,
  startEmbeddedPostgres,
  startNatsServer,
  startS3rver,
  type Embedded,
} from "./infra.ts";
