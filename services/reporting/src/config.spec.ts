import { ConfigError, parseConfig } from '@nmirf/platform';
import { reportingConfigSchema, reportingWorkerConfigSchema } from './config';

const env = {
  SERVICE_NAME: 'reporting',
  OIDC_ISSUER_URL: 'http://127.0.0.1:8180/realms/nmirf',
  DATABASE_URL: 'postgres://postgres@localhost:5432/nmirf',
  REDIS_URL: 'redis://localhost:6379',
  KAFKA_BROKERS: 'localhost:9092',
  REPORTS_DIR: '/var/lib/nmirf/reports',
};

describe('reporting config', () => {
  it('requires REPORTS_DIR, naming it', () => {
    const { REPORTS_DIR: _, ...withoutDir } = env;
    expect(() => parseConfig(reportingConfigSchema, { ...withoutDir, HTTP_PORT: '3000' })).toThrow(
      new ConfigError('Invalid configuration: REPORTS_DIR is required'),
    );
  });

  it('defaults the queue prefix', () => {
    expect(parseConfig(reportingConfigSchema, { ...env, HTTP_PORT: '3000' }).QUEUE_PREFIX).toBe('nmirf');
  });

  it('lets the worker go without HTTP_PORT, but not the API', () => {
    expect(parseConfig(reportingWorkerConfigSchema, env).HTTP_PORT).toBe(0);
    expect(() => parseConfig(reportingConfigSchema, env)).toThrow(/^Invalid configuration: HTTP_PORT /);
  });
});
