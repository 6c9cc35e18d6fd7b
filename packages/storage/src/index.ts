/**
 * @hyrelog/storage — the region's S3 bucket as services use it: the client, health check,
 * presigned downloads, deletes, a bounded-memory multipart upload with its SHA-256, the event
 * lines of an archive, and the services' rules in the bucket's lifecycle configuration.
 */
export { checkBucket, createS3Client, deleteObject, presignDownload } from "./s3.ts";
export { PartUpload } from "./part-upload.ts";
export { archiveEventLines, archiveLineBatches } from "./archive-lines.ts";
export { ensureLifecycleRule, readLifecycle, withLifecycleRule, type BucketLifecycle } from "./lifecycle.ts";
export type { PartUploadOptions } from "./part-upload.ts";
