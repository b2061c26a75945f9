import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BlobStore } from './blob-store';
import { LocalBlobStore } from './local-blob-store';
import type { EvidenceStorageConfig } from './storage-config';

/** The store EVIDENCE_STORAGE names, from a config checked by evidenceStorageSchema. */
export async function createBlobStore(config: EvidenceStorageConfig): Promise<BlobStore> {
  if (config.EVIDENCE_STORAGE === 'local') return LocalBlobStore.open(resolve(config.EVIDENCE_DIR));
  // Loaded only here: the AWS SDK costs every service's start-up time and memory otherwise.
  const { createS3Client, S3BlobStore } = await import('./s3-blob-store');
  return new S3BlobStore(createS3Client(config), {
    bucket: requireBucket(config),
    prefix: config.EVIDENCE_S3_PREFIX,
    spoolDir: config.EVIDENCE_SPOOL_DIR ?? join(tmpdir(), 'nmirf-evidence-spool'),
  });
}

function requireBucket(config: EvidenceStorageConfig): string {
  // checkEvidenceStorage has said so already, for a config that went through it.
  if (!config.EVIDENCE_S3_BUCKET) throw new Error('EVIDENCE_S3_BUCKET is required when EVIDENCE_STORAGE=s3');
  return config.EVIDENCE_S3_BUCKET;
}
