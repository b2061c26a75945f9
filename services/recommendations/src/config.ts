import {
  evidenceStorageEnv,
  platformEnvSchema,
  workerHttpPort,
  type EvidenceStorageConfig,
} from '@nmirf/platform';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * Where uploaded files wait for the worker: the platform's BlobStore, configured like evidence
 * storage under IMPORT_* names (a directory both processes mount, or an S3-compatible bucket).
 */
const importStorageEnv = {
  /** `local`: a directory the API and the worker both mount; `s3`: an S3-compatible bucket. */
  IMPORT_STORAGE: evidenceStorageEnv.EVIDENCE_STORAGE,
  /** The shared directory uploads are kept in for the worker (local storage). */
  IMPORT_STORAGE_DIR: z.string().min(1).default('tmp/imports'),
  /** Where the worker spools a stored upload while it reads it (S3 storage). */
  IMPORT_SPOOL_DIR: evidenceStorageEnv.EVIDENCE_SPOOL_DIR,
  /** Bucket holding uploaded import files (S3 storage). */
  IMPORT_S3_BUCKET: evidenceStorageEnv.EVIDENCE_S3_BUCKET,
  /** Region of the imports bucket. */
  IMPORT_S3_REGION: evidenceStorageEnv.EVIDENCE_S3_REGION,
  /** Endpoint of an S3-compatible service other than AWS. */
  IMPORT_S3_ENDPOINT: evidenceStorageEnv.EVIDENCE_S3_ENDPOINT,
  /** Path-style bucket addressing, for services such as MinIO. */
  IMPORT_S3_FORCE_PATH_STYLE: evidenceStorageEnv.EVIDENCE_S3_FORCE_PATH_STYLE,
  /** Access key id for the imports bucket; unset to use the pod's own credentials. */
  IMPORT_S3_ACCESS_KEY_ID: evidenceStorageEnv.EVIDENCE_S3_ACCESS_KEY_ID,
  /** Secret that goes with IMPORT_S3_ACCESS_KEY_ID. */
  IMPORT_S3_SECRET_ACCESS_KEY: evidenceStorageEnv.EVIDENCE_S3_SECRET_ACCESS_KEY,
  /** Key prefix of uploaded files in the bucket. */
  IMPORT_S3_PREFIX: evidenceStorageEnv.EVIDENCE_S3_PREFIX.default('imports/'),
};

const recommendationsEnv = platformEnvSchema.extend({
  /** Uploads wait here until they are in the import storage, then are deleted. */
  IMPORT_DIR: z.string().min(1).default(join(tmpdir(), 'nmirf-imports')),
  /** Larger uploads are refused before they are read. */
  IMPORT_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(100 * 1024 * 1024),
  /** Total inflated size of the parts of a workbook or document that an import may read. */
  IMPORT_MAX_UNCOMPRESSED_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(2 * 1024 * 1024 * 1024),
  /** Imports and link detections one worker runs at once (imports themselves run one at a time). */
  IMPORT_CONCURRENCY: z.coerce.number().int().min(1).max(8).default(2),
  /** How often the worker looks for imports whose job Redis lost. */
  IMPORT_RECONCILE_MS: z.coerce.number().int().min(1_000).default(60_000),
  /**
   * How soon an import (or link detection) whose worker died runs again: its lock lasts this long and
   * expired locks are looked for as often, so it resumes within about twice this.
   */
  IMPORT_LOCK_MS: z.coerce.number().int().min(2_000).max(300_000).default(10_000),
  /** Runs of one import's job before it is given up (a file that stops the worker every time). */
  IMPORT_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(3),
  ...importStorageEnv,
});

/** S3 needs a bucket, and a key id goes with its secret. */
function checkImportStorage(config: z.infer<typeof recommendationsEnv>, context: z.RefinementCtx): void {
  if (config.IMPORT_STORAGE === 's3' && !config.IMPORT_S3_BUCKET) {
    context.addIssue({ code: z.ZodIssueCode.custom, path: ['IMPORT_S3_BUCKET'], message: 'is required' });
  }
  if ((config.IMPORT_S3_ACCESS_KEY_ID === undefined) !== (config.IMPORT_S3_SECRET_ACCESS_KEY === undefined)) {
    const missing = config.IMPORT_S3_ACCESS_KEY_ID
      ? 'IMPORT_S3_SECRET_ACCESS_KEY'
      : 'IMPORT_S3_ACCESS_KEY_ID';
    context.addIssue({ code: z.ZodIssueCode.custom, path: [missing], message: 'is required' });
  }
}

export const recommendationsConfigSchema = recommendationsEnv.superRefine(checkImportStorage);
export type RecommendationsConfig = z.infer<typeof recommendationsConfigSchema>;

export const recommendationsWorkerConfigSchema = recommendationsEnv
  .extend(workerHttpPort)
  .superRefine(checkImportStorage);
export type RecommendationsWorkerConfig = z.infer<typeof recommendationsWorkerConfigSchema>;

/** The import storage's settings in the shape the platform's BlobStore factory reads. */
export function importStorageConfig(config: RecommendationsConfig): EvidenceStorageConfig {
  return {
    EVIDENCE_STORAGE: config.IMPORT_STORAGE,
    EVIDENCE_DIR: config.IMPORT_STORAGE_DIR,
    EVIDENCE_MAX_BYTES: config.IMPORT_MAX_BYTES,
    EVIDENCE_SPOOL_DIR: config.IMPORT_SPOOL_DIR,
    EVIDENCE_S3_BUCKET: config.IMPORT_S3_BUCKET,
    EVIDENCE_S3_REGION: config.IMPORT_S3_REGION,
    EVIDENCE_S3_ENDPOINT: config.IMPORT_S3_ENDPOINT,
    EVIDENCE_S3_FORCE_PATH_STYLE: config.IMPORT_S3_FORCE_PATH_STYLE,
    EVIDENCE_S3_ACCESS_KEY_ID: config.IMPORT_S3_ACCESS_KEY_ID,
    EVIDENCE_S3_SECRET_ACCESS_KEY: config.IMPORT_S3_SECRET_ACCESS_KEY,
    EVIDENCE_S3_PREFIX: config.IMPORT_S3_PREFIX,
  };
}
