import { z } from 'zod';

const MiB = 1024 * 1024;

/** Helm renders an unset value as an empty string: treat it as unset. */
const optional = <T extends z.ZodTypeAny>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

/**
 * Where evidence files are kept. Spread into a service's schema and add the cross-variable rules:
 * `platformEnvSchema.extend(evidenceStorageEnv).superRefine(checkEvidenceStorage)`.
 */
export const evidenceStorageEnv = {
  /** `local`: a directory (one server, or a ReadWriteMany volume); `s3`: an S3-compatible bucket. */
  EVIDENCE_STORAGE: z.enum(['local', 's3']).default('local'),
  /** The directory for `local`; relative paths are from the working directory. */
  EVIDENCE_DIR: z.string().min(1).default('tmp/evidence'),
  /** Largest accepted file, in bytes (25 MiB by default). */
  EVIDENCE_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(1024 * MiB)
    .default(25 * MiB),
  /** For `s3`: where an upload is checked before it is sent (the system's temporary directory). */
  EVIDENCE_SPOOL_DIR: optional(z.string().min(1)),
  EVIDENCE_S3_BUCKET: optional(
    z
      .string()
      .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name (3-63 a-z, 0-9, ".", "-")'),
  ),
  EVIDENCE_S3_REGION: z.string().min(1).default('us-east-1'),
  /** Another S3-compatible server (MinIO, Ceph…); unset for AWS S3. */
  EVIDENCE_S3_ENDPOINT: optional(
    z
      .string()
      .url()
      .refine((url) => /^https?:\/\//.test(url), 'must be an http(s) URL'),
  ),
  /** `true` for servers that want the bucket in the path, not the host name (MinIO). */
  EVIDENCE_S3_FORCE_PATH_STYLE: z
    .enum(['true', 'false'], { message: 'must be true or false' })
    .default('false')
    .transform((value) => value === 'true'),
  /** Both or neither; when unset, the SDK's own chain applies (AWS_* variables, a pod's IAM role). */
  EVIDENCE_S3_ACCESS_KEY_ID: optional(z.string().min(1)),
  EVIDENCE_S3_SECRET_ACCESS_KEY: optional(z.string().min(1)),
  EVIDENCE_S3_PREFIX: z
    .string()
    .regex(/^([a-zA-Z0-9._-]+\/)*$/, 'must be empty or end with "/", e.g. evidence/')
    .default('evidence/'),
};

const base = z.object(evidenceStorageEnv);
export type EvidenceStorageConfig = z.infer<typeof base>;

/** Rules across variables: S3 needs a bucket, and a key id goes with its secret. */
export function checkEvidenceStorage(config: EvidenceStorageConfig, context: z.RefinementCtx): void {
  if (config.EVIDENCE_STORAGE !== 's3') return;
  if (!config.EVIDENCE_S3_BUCKET) {
    context.addIssue({ code: z.ZodIssueCode.custom, path: ['EVIDENCE_S3_BUCKET'], message: 'is required' });
  }
  const keyId = config.EVIDENCE_S3_ACCESS_KEY_ID !== undefined;
  if (keyId !== (config.EVIDENCE_S3_SECRET_ACCESS_KEY !== undefined)) {
    const missing = keyId ? 'EVIDENCE_S3_SECRET_ACCESS_KEY' : 'EVIDENCE_S3_ACCESS_KEY_ID';
    context.addIssue({ code: z.ZodIssueCode.custom, path: [missing], message: 'is required' });
  }
}

export const evidenceStorageSchema = base.superRefine(checkEvidenceStorage);
