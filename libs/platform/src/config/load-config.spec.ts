import { ConfigError, parseConfig, platformEnvSchema } from './load-config';

const valid = {
  SERVICE_NAME: 'actions',
  OIDC_ISSUER_URL: 'http://127.0.0.1:8180/realms/nmirf',
  HTTP_PORT: '3102',
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/nmirf',
  REDIS_URL: 'redis://127.0.0.1:6379',
  KAFKA_BROKERS: '127.0.0.1:9092,127.0.0.1:9094',
};

describe('configuration', () => {
  it('parses and types a valid environment', () => {
    const config = parseConfig(platformEnvSchema, valid);
    expect(config.HTTP_PORT).toBe(3102);
    expect(config.KAFKA_BROKERS).toEqual(['127.0.0.1:9092', '127.0.0.1:9094']);
    expect(config.KAFKA_TOPIC_PREFIX).toBe('');
  });

  it('names every missing or bad variable on one line', () => {
    const attempt = () =>
      parseConfig(platformEnvSchema, {
        ...valid,
        DATABASE_URL: undefined,
        HTTP_PORT: '',
        KAFKA_BROKERS: 'kafka',
      });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(
      'Invalid configuration: HTTP_PORT is required; DATABASE_URL is required; KAFKA_BROKERS must be a comma-separated list of host:port',
    );
  });

  it('rejects a value of the wrong kind', () => {
    expect(() => parseConfig(platformEnvSchema, { ...valid, HTTP_PORT: 'eighty' })).toThrow(
      'HTTP_PORT expected number, received nan',
    );
    expect(() => parseConfig(platformEnvSchema, { ...valid, REDIS_URL: 'localhost:6379' })).toThrow(
      'REDIS_URL must be a redis:// URL',
    );
  });
});
