import { createHash } from "node:crypto";
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  UploadPartCommand,
  type CompletedPart,
  type S3Client,
} from "@aws-sdk/client-s3";

export interface PartUploadOptions {
  s3: S3Client;
  bucket: string;
  key: string;
  contentType: string;
  /** Bytes per part (S3: at least 5 MiB for all but the last part). */
  partBytes: number;
  /** Parts uploading at once; the writer waits when all are busy. */
  partsInFlight: number;
  signal: AbortSignal;
}

/** S3's limit on the parts of one multipart upload. */
const MAX_PARTS = 10_000;

/** The first buffer's size: most archives and many exports are smaller than one part. */
const FIRST_BUFFER_BYTES = 1024 * 1024;

/**
 * Text written straight into a fixed set of part-sized Buffers (at most partsInFlight + 1, each
 * allocated when first needed and then reused), uploaded as an S3 multipart upload; a file smaller
 * than one part is one PutObject. The first buffer starts at 1 MiB and doubles up to a part, so a
 * small file does not allocate (and the kernel does not zero) megabytes it never fills. Memory is
 * those Buffers whatever the file's size: no per-page Buffers, no re-buffering into parts (what
 * @aws-sdk/lib-storage does with a stream body), nothing for the GC to chase. SHA-256 and the
 * byte count are taken on each part as it leaves.
 */
export class PartUpload {
  private readonly free: Buffer[] = [];
  /** Part buffers allocated so far (the current one included). */
  private buffers = 1;
  private current: Buffer;
  private used = 0;
  private readonly hash = createHash("sha256");
  private bytes = 0;
  private partNumber = 0;
  private uploadId: Promise<string> | null = null;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly parts: CompletedPart[] = [];
  private failure: unknown = null;
  private readonly checksums: Promise<boolean>;
  private readonly o: PartUploadOptions;

  constructor(o: PartUploadOptions) {
    this.o = o;
    this.current = Buffer.allocUnsafeSlow(Math.min(o.partBytes, FIRST_BUFFER_BYTES));
    // AWS S3 (WHEN_SUPPORTED): CRC32 per part, as lib-storage does; S3-compatible dev servers: none.
    this.checksums = Promise.resolve(o.s3.config.requestChecksumCalculation()).then((c) => c === "WHEN_SUPPORTED");
  }

  /**
   * Appends text (UTF-8) or bytes (e.g. gzip output). Returns a promise only when the data filled
   * a part: await it before writing more (it waits while every part buffer is uploading); most
   * writes return undefined, so a writer of many small lines does not pay for a promise per line.
   */
  write(data: string | Uint8Array): Promise<void> | undefined {
    // A UTF-16 code unit is at most 3 UTF-8 bytes: when that bound fits, encode in place.
    if (typeof data === "string" && data.length * 3 <= this.current.length - this.used) {
      this.used += this.current.write(data, this.used, "utf8");
      return undefined;
    }
    return this.writeAcrossParts(data);
  }

  private async writeAcrossParts(data: string | Uint8Array): Promise<void> {
    let bytes = typeof data === "string" ? Buffer.from(data, "utf8") : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    while (bytes.length > 0) {
      const n = bytes.copy(this.current, this.used);
      this.used += n;
      bytes = bytes.subarray(n);
      if (this.used === this.current.length) {
        if (this.current.length < this.o.partBytes) this.grow();
        else await this.sendPart();
      }
    }
  }

  /** The first buffer, full before a part's size: doubled (up to a part), keeping what it holds. */
  private grow(): void {
    const bigger = Buffer.allocUnsafeSlow(Math.min(this.current.length * 2, this.o.partBytes));
    this.current.copy(bigger, 0, 0, this.used);
    this.current = bigger;
  }

  /** Uploads what is left and completes the object. */
  async end(): Promise<{ bytes: number; sha256: string }> {
    this.o.signal.throwIfAborted();
    if (this.partNumber === 0) {
      // Everything fit in one part: a plain PUT.
      const body = this.take();
      await this.o.s3.send(
        new PutObjectCommand({ Bucket: this.o.bucket, Key: this.o.key, Body: body, ContentType: this.o.contentType }),
        { abortSignal: this.o.signal },
      );
    } else {
      if (this.used > 0) await this.sendPart();
      await Promise.all(this.inFlight);
      this.throwIfFailed();
      this.parts.sort((a, b) => a.PartNumber! - b.PartNumber!);
      await this.o.s3.send(
        new CompleteMultipartUploadCommand({ Bucket: this.o.bucket, Key: this.o.key, UploadId: await this.uploadId!, MultipartUpload: { Parts: this.parts } }),
        { abortSignal: this.o.signal },
      );
    }
    return { bytes: this.bytes, sha256: this.hash.digest("hex") };
  }

  /** Drops the upload's parts from S3 (after a failure or an abort). Never throws. */
  async abort(): Promise<void> {
    if (!this.uploadId) return;
    await Promise.allSettled(this.inFlight);
    try {
      await this.o.s3.send(new AbortMultipartUploadCommand({ Bucket: this.o.bucket, Key: this.o.key, UploadId: await this.uploadId }));
    } catch {
      // The bucket's lifecycle rule and S3's own incomplete-upload expiry clean up what is left.
    }
  }

  /** The filled part, hashed and counted; the caller owns the returned view until it is released. */
  private take(): Buffer {
    const body = this.current.subarray(0, this.used);
    this.hash.update(body);
    this.bytes += body.length;
    return body;
  }

  private async sendPart(): Promise<void> {
    this.throwIfFailed();
    this.o.signal.throwIfAborted();
    if (this.partNumber >= MAX_PARTS) throw new Error(`export exceeds ${MAX_PARTS} parts of ${this.o.partBytes} bytes`);
    const buffer = this.current;
    const body = this.take();
    const partNumber = ++this.partNumber;
    this.uploadId ??= this.createUpload();
    const sent = this.uploadPart(partNumber, body).then(
      () => void this.free.push(buffer),
      (err: unknown) => void (this.failure ??= err),
    );
    const tracked = sent.finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
    // Backpressure: the next part needs a free buffer; allocate one while fewer than
    // partsInFlight + 1 exist, else wait for an upload to finish.
    if (this.free.length === 0 && this.buffers <= this.o.partsInFlight) {
      this.buffers++;
      this.free.push(Buffer.allocUnsafeSlow(this.o.partBytes));
    }
    while (this.free.length === 0 && this.failure === null) await Promise.race(this.inFlight);
    this.throwIfFailed();
    this.current = this.free.pop()!;
    this.used = 0;
  }

  private async createUpload(): Promise<string> {
    const crc = await this.checksums;
    const created = await this.o.s3.send(
      new CreateMultipartUploadCommand({ Bucket: this.o.bucket, Key: this.o.key, ContentType: this.o.contentType, ...(crc ? { ChecksumAlgorithm: "CRC32" } : {}) }),
      { abortSignal: this.o.signal },
    );
    return created.UploadId!;
  }

  private async uploadPart(partNumber: number, body: Buffer): Promise<void> {
    const uploadId = await this.uploadId!;
    const crc = await this.checksums;
    const res = await this.o.s3.send(
      new UploadPartCommand({ Bucket: this.o.bucket, Key: this.o.key, UploadId: uploadId, PartNumber: partNumber, Body: body, ...(crc ? { ChecksumAlgorithm: "CRC32" } : {}) }),
      { abortSignal: this.o.signal },
    );
    if (!res.ETag) throw new Error(`S3 returned no ETag for part ${partNumber}`);
    this.parts.push({ PartNumber: partNumber, ETag: res.ETag, ...(res.ChecksumCRC32 ? { ChecksumCRC32: res.ChecksumCRC32 } : {}) });
  }

  private throwIfFailed(): void {
    if (this.failure !== null) throw this.failure;
  }
}
