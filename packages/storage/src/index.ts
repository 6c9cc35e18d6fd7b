/**
 * @hyrelog/storage — the region's S3 bucket as services use it: the client, health check,
 * presigned downloads, deletes, a bounded-memory multipart upload with its SHA-256, and the
 * event lines of an archive.
 */
export { checkBucket, createS3Client, deleteObject, presignDownload } from "./s3.ts";
export { PartUpload } from "./part-upload.ts";
export { archiveEventLines } from "./archive-lines.ts";
export type { PartUploadOptions } from "./part-upload.ts";
