import { z } from 'zod';
import { parseConfig, platformEnvSchema } from '../config/load-config';
import { checkEvidenceStorage, evidenceStorageEnv, evidenceStorageSchema } from './storage-config';

const s3 = {
  EVIDENCE_STORAGE: 's3',
  EVIDENCE_S3_BUCKET: 'nmirf-evidence',
  EVIDENCE_S3_ENDPOINT: 'http://minio.storage.svc:9000',
  EVIDENCE_S3_FORCE_PATH_STYLE: 'true',
  EVIDENCE_S3_ACCESS_KEY_ID: 'nmirf',
  EVIDENCE_S3_SECRET_ACCESS_KEY: 'secret',
};

describe('evidence storage configuration', () => {
  it('defaults to a local directory and 25 MiB files', () => {
    expect(parseConfig(evidenceStorageSchema, {})).toEqual({
      EVIDENCE_STORAGE: 'local',
      EVIDENCE_DIR: 'tmp/evidence',
      EVIDENCE_MAX_BYTES: 25 * 1024 * 1024,
      EVIDENCE_S3_REGION: 'us-east-1',
      EVIDENCE_S3_FORCE_PATH_STYLE: false,
      EVIDENCE_S3_PREFIX: 'evidence/',
    });
  });

  it('reads an S3-compatible server, and treats empty values (as Helm renders them) as unset', () => {
    expect(parseConfig(evidenceStorageSchema, { ...s3, EVIDENCE_MAX_BYTES: '10485760' })).toMatchObject({
      EVIDENCE_STORAGE: 's3',
      EVIDENCE_MAX_BYTES: 10 * 1024 * 1024,
      EVIDENCE_S3_BUCKET: 'nmirf-evidence',
      EVIDENCE_S3_ENDPOINT: 'http://minio.storage.svc:9000',
      EVIDENCE_S3_FORCE_PATH_STYLE: true,
    });
    const aws = parseConfig(evidenceStorageSchema, {
      EVIDENCE_STORAGE: 's3',
      EVIDENCE_S3_BUCKET: 'nmirf-evidence',
      EVIDENCE_S3_REGION: 'eu-central-1',
      EVIDENCE_S3_ENDPOINT: '',
      EVIDENCE_S3_ACCESS_KEY_ID: '',
      EVIDENCE_S3_SECRET_ACCESS_KEY: '',
    });
    expect(aws).toMatchObject({ EVIDENCE_S3_REGION: 'eu-central-1' });
    expect(aws.EVIDENCE_S3_ENDPOINT).toBeUndefined();
    expect(aws.EVIDENCE_S3_ACCESS_KEY_ID).toBeUndefined();
  });

  it.each([
    {
      env: { EVIDENCE_STORAGE: 'disk' },
      message: "EVIDENCE_STORAGE invalid enum value. Expected 'local' | 's3', received 'disk'",
    },
    { env: { EVIDENCE_STORAGE: 's3' }, message: 'EVIDENCE_S3_BUCKET is required' },
    {
      env: { ...s3, EVIDENCE_S3_SECRET_ACCESS_KEY: undefined },
      message: 'EVIDENCE_S3_SECRET_ACCESS_KEY is required',
    },
    { env: { ...s3, EVIDENCE_S3_ACCESS_KEY_ID: '' }, message: 'EVIDENCE_S3_ACCESS_KEY_ID is required' },
    {
      env: { ...s3, EVIDENCE_S3_BUCKET: 'Evidence_Files' },
      message: 'EVIDENCE_S3_BUCKET must be an S3 bucket name',
    },
    { env: { ...s3, EVIDENCE_S3_ENDPOINT: 'minio:9000' }, message: 'EVIDENCE_S3_ENDPOINT' },
    {
      env: { ...s3, EVIDENCE_S3_FORCE_PATH_STYLE: 'yes' },
      message: 'EVIDENCE_S3_FORCE_PATH_STYLE must be true or false',
    },
    {
      env: { ...s3, EVIDENCE_S3_PREFIX: 'evidence' },
      message: 'EVIDENCE_S3_PREFIX must be empty or end with "/"',
    },
    { env: { EVIDENCE_MAX_BYTES: '25mb' }, message: 'EVIDENCE_MAX_BYTES expected number, received nan' },
    {
      env: { EVIDENCE_MAX_BYTES: '100' },
      message: 'EVIDENCE_MAX_BYTES number must be greater than or equal to 1024',
    },
  ])('names a bad variable: $message', ({ env, message }) => {
    expect(() => parseConfig(evidenceStorageSchema, env)).toThrow(message);
  });

  it('extends a service schema, its rules included', () => {
    const schema = platformEnvSchema.extend(evidenceStorageEnv).superRefine(checkEvidenceStorage);
    const service = {
      SERVICE_NAME: 'actions',
      OIDC_ISSUER_URL: 'http://127.0.0.1:8180/realms/nmirf',
      HTTP_PORT: '3102',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/nmirf',
      REDIS_URL: 'redis://127.0.0.1:6379',
      KAFKA_BROKERS: '127.0.0.1:9092',
    };
    const config: z.infer<typeof schema> = parseConfig(schema, { ...service, ...s3 });
    expect(config).toMatchObject({ HTTP_PORT: 3102, EVIDENCE_STORAGE: 's3' });
    expect(() => parseConfig(schema, { ...service, EVIDENCE_STORAGE: 's3' })).toThrow(
      'Invalid configuration: EVIDENCE_S3_BUCKET is required',
    );
  });
});
