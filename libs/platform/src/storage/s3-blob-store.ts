import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { type BlobSource, type BlobStore, isSha256Hex, type PutOptions, type PutResult } from './blob-store';
import { detectMediaType } from './detect-media-type';
import { prepareSpoolDir, spoolToFile } from './spool';
import type { EvidenceStorageConfig } from './storage-config';
import { BlobNotFoundError } from './storage-errors';

export interface S3BlobStoreOptions {
  bucket: string;
  /** Prepended to every key, e.g. `evidence/`. */
  prefix: string;
  /** Local directory where an upload is hashed and checked before it is sent. */
  spoolDir: string;
}

/**
 * Blobs as objects in an S3-compatible bucket (AWS S3, MinIO, Ceph…): `<prefix><aa>/<sha256>`.
 * An upload is spooled to a local file first, so that nothing is sent before its size, digest and type
 * are known; then one PutObject, which S3 makes visible whole or not at all, with the digest for the
 * server to verify.
 */
export class S3BlobStore implements BlobStore {
  private spoolReady?: Promise<void>;

  constructor(
    private readonly client: S3Client,
    private readonly options: S3BlobStoreOptions,
  ) {}

  async put<O extends PutOptions>(source: BlobSource, { maxBytes, anyContent }: O): Promise<PutResult<O>> {
    this.spoolReady ??= prepareSpoolDir(this.options.spoolDir).catch((error: unknown) => {
      this.spoolReady = undefined; // try again on the next put
      throw error;
    });
    await this.spoolReady;
    const spooled = await spoolToFile(source, this.options.spoolDir, maxBytes);
    let body: Readable | undefined;
    try {
      const mediaType = anyContent ? undefined : await detectMediaType(spooled.path);
      if (!(await this.has(spooled.sha256))) {
        body = createReadStream(spooled.path);
        await this.client.send(
          new PutObjectCommand({
            Bucket: this.options.bucket,
            Key: this.keyOf(spooled.sha256),
            Body: body,
            ContentLength: spooled.size,
            ContentType: mediaType ?? 'application/octet-stream',
            ChecksumSHA256: Buffer.from(spooled.sha256, 'hex').toString('base64'),
          }),
        );
      }
      return { sha256: spooled.sha256, size: spooled.size, ...(mediaType && { mediaType }) } as PutResult<O>;
    } finally {
      body?.destroy(); // a failed request may leave it open
      await rm(spooled.path, { force: true });
    }
  }

  async get(sha256: string): Promise<Readable> {
    if (!isSha256Hex(sha256)) throw new BlobNotFoundError(sha256);
    try {
      const { Body } = await this.client.send(
        new GetObjectCommand({ Bucket: this.options.bucket, Key: this.keyOf(sha256) }),
      );
      // In Node the body is the response stream itself.
      return Body as Readable;
    } catch (error) {
      if (isNotFound(error)) throw new BlobNotFoundError(sha256);
      throw error;
    }
  }

  async has(sha256: string): Promise<boolean> {
    if (!isSha256Hex(sha256)) return false;
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.options.bucket, Key: this.keyOf(sha256) }));
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  private keyOf(sha256: string): string {
    return `${this.options.prefix}${sha256.slice(0, 2)}/${sha256}`;
  }
}

/**
 * GET answers NoSuchKey (a missing bucket is NoSuchBucket, a fault); HEAD has no body to tell which, so
 * `has` reads a missing bucket as a miss, and the put that follows fails loudly.
 */
function isNotFound(error: unknown): boolean {
  const failure = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return (
    failure.name === 'NoSuchKey' || (failure.name === 'NotFound' && failure.$metadata?.httpStatusCode === 404)
  );
}

/** A client for the configured server; not exported from the library, so the SDK loads only for S3. */
export function createS3Client(config: EvidenceStorageConfig): S3Client {
  const { EVIDENCE_S3_ACCESS_KEY_ID: accessKeyId, EVIDENCE_S3_SECRET_ACCESS_KEY: secretAccessKey } = config;
  return new S3Client({
    region: config.EVIDENCE_S3_REGION,
    endpoint: config.EVIDENCE_S3_ENDPOINT,
    forcePathStyle: config.EVIDENCE_S3_FORCE_PATH_STYLE,
    // Unset: the SDK's own chain (AWS_* variables, web identity, instance role).
    credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
  });
}
