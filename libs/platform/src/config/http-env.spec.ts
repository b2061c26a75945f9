import { z } from 'zod';
import { httpEnv } from './http-env';
import { parseConfig } from './load-config';

const schema = z.object(httpEnv);

describe('HTTP hardening configuration', () => {
  it('has safe defaults: 1 MiB bodies, 30 s requests, no CORS, docs on, no proxy trusted', () => {
    expect(parseConfig(schema, {})).toEqual({
      HTTP_BODY_LIMIT: 1024 * 1024,
      HTTP_REQUEST_TIMEOUT_MS: 30_000,
      HTTP_UPLOAD_TIMEOUT_MS: 900_000,
      HTTP_HEADERS_TIMEOUT_MS: 20_000,
      HTTP_KEEP_ALIVE_TIMEOUT_MS: 65_000,
      CORS_ORIGINS: [],
      HTTP_DOCS_ENABLED: true,
      HTTP_TRUST_PROXY: false,
    });
  });

  it('reads sizes, origins, flags and proxies', () => {
    const config = parseConfig(schema, {
      HTTP_BODY_LIMIT: '512kb',
      CORS_ORIGINS: 'https://tracker.gov.example, http://localhost:5173',
      HTTP_DOCS_ENABLED: 'false',
      HTTP_TRUST_PROXY: 'loopback, 10.0.0.0/8',
    });
    expect(config).toMatchObject({
      HTTP_BODY_LIMIT: 512 * 1024,
      CORS_ORIGINS: ['https://tracker.gov.example', 'http://localhost:5173'],
      HTTP_DOCS_ENABLED: false,
      HTTP_TRUST_PROXY: ['loopback', '10.0.0.0/8'],
    });
    expect(parseConfig(schema, { HTTP_BODY_LIMIT: '2097152', HTTP_TRUST_PROXY: '1' })).toMatchObject({
      HTTP_BODY_LIMIT: 2 * 1024 * 1024,
      HTTP_TRUST_PROXY: 1,
    });
    expect(parseConfig(schema, { HTTP_BODY_LIMIT: '1MB', HTTP_TRUST_PROXY: 'true' })).toMatchObject({
      HTTP_BODY_LIMIT: 1024 * 1024,
      HTTP_TRUST_PROXY: true,
    });
  });

  it.each([
    [{ HTTP_BODY_LIMIT: 'lots' }, 'HTTP_BODY_LIMIT must be a size such as 1048576, 512kb or 1mb'],
    [{ HTTP_BODY_LIMIT: '1gb' }, 'HTTP_BODY_LIMIT must be a size such as 1048576, 512kb or 1mb'],
    [{ HTTP_BODY_LIMIT: '200mb' }, 'HTTP_BODY_LIMIT must be at most 100mb'],
    [{ CORS_ORIGINS: 'https://app.example.org/' }, 'CORS_ORIGINS.0 must list origins such as'],
    [{ CORS_ORIGINS: '*' }, 'CORS_ORIGINS.0 must list origins such as'],
    [{ HTTP_DOCS_ENABLED: 'yes' }, 'HTTP_DOCS_ENABLED must be true or false'],
    [{ HTTP_TRUST_PROXY: 'everyone' }, 'HTTP_TRUST_PROXY must be false, true, a number of proxies'],
    [
      { HTTP_REQUEST_TIMEOUT_MS: '10' },
      'HTTP_REQUEST_TIMEOUT_MS number must be greater than or equal to 1000',
    ],
  ])('names a bad variable: %j', (env, message) => {
    expect(() => parseConfig(schema, env)).toThrow(message);
  });
});
