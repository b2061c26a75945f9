import { z } from 'zod';
import { httpEnv } from './http-env';

/** Variables every service needs. Services extend this with their own. */
export const platformEnvSchema = z.object({
  SERVICE_NAME: z.string().min(1),
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  HTTP_PORT: z.coerce.number().int().min(1).max(65535),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL'),
  KAFKA_BROKERS: z
    .string()
    .regex(/^[^,\s]+:\d+(,[^,\s]+:\d+)*$/, 'must be a comma-separated list of host:port')
    .transform((value) => value.split(',')),
  /** TLS to the brokers, and SASL when a mechanism is set: only the platform's services may connect. */
  KAFKA_SSL: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
  KAFKA_SASL_MECHANISM: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']).optional(),
  KAFKA_SASL_USERNAME: z.string().min(1).optional(),
  KAFKA_SASL_PASSWORD: z.string().min(1).optional(),
  KAFKA_TOPIC_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9._-]*$/, 'may contain only letters, digits, ".", "_" and "-"')
    .default(''),
  /** The OpenID Connect provider whose access tokens the APIs accept (Keycloak, Entra ID, …). */
  OIDC_ISSUER_URL: z
    .string()
    .url()
    .refine((url) => /^https?:\/\//.test(url), 'must be an http(s) URL'),
  /** The `aud` the tokens must carry. */
  OIDC_AUDIENCE: z.string().min(1).default('nmirf-api'),
  /** Claims holding the roles and the institutions; dotted paths map other providers' layouts. */
  OIDC_ROLES_CLAIM: z.string().min(1).default('roles'),
  OIDC_INSTITUTIONS_CLAIM: z.string().min(1).default('institutions'),
  /** Namespaces BullMQ keys, so several environments can share one Redis. */
  QUEUE_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9._-]+$/, 'may contain only letters, digits, ".", "_" and "-"')
    .default('nmirf'),
  KAFKA_TOPIC_PARTITIONS: z.coerce.number().int().min(1).default(6),
  /** How soon a crashed consumer's partitions move to another pod. */
  KAFKA_SESSION_TIMEOUT_MS: z.coerce.number().int().min(6_000).max(300_000).default(8_000),
  CONSUMER_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
  CONSUMER_RETRY_BASE_MS: z.coerce.number().int().min(1).default(200),
  /** How long an event that arrived ahead of a missing predecessor waits before it is applied anyway. */
  CONSUMER_PARK_TIMEOUT_MS: z.coerce.number().int().min(1_000).default(30_000),
  /** Requests per minute for one access token and for one client address, across replicas. */
  RATE_LIMIT_PER_TOKEN: z.coerce.number().int().min(1).default(600),
  RATE_LIMIT_PER_ADDRESS: z.coerce.number().int().min(1).default(1_200),
  /** How long an Idempotency-Key's answer is kept for replays. */
  IDEMPOTENCY_KEY_HOURS: z.coerce
    .number()
    .int()
    .min(24)
    .max(24 * 30)
    .default(48),
  OUTBOX_POLL_MS: z.coerce.number().int().min(10).default(500),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
  /** Prometheus metrics at /metrics (APIs on HTTP_PORT, workers on METRICS_PORT). */
  METRICS_ENABLED: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true'),
  /** When set, /metrics answers only `Authorization: Bearer <METRICS_TOKEN>`. */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  // Body limit, timeouts, CORS, /docs, trusted proxies: see http-env.ts.
  ...httpEnv,
});

export type PlatformConfig = z.infer<typeof platformEnvSchema>;

/**
 * A worker process serves no HTTP. It runs from the same image and environment as the API, so
 * HTTP_PORT is accepted when present but not required (0 keeps the shared config type honest):
 * `schema.extend(workerHttpPort)`.
 */
export const workerHttpPort = {
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  /** The worker's own port for /metrics and /health/live; 0: none. */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(0),
};

export class ConfigError extends Error {}

/**
 * Validates the environment before Nest starts. The error names every bad variable on one line,
 * e.g. `Invalid configuration: DATABASE_URL is required; HTTP_PORT expected number, received nan`.
 */
export function parseConfig<S extends z.ZodTypeAny>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.') || '(environment)';
    const variable = issue.path[0];
    const missing =
      (issue.code === 'invalid_type' && issue.received === 'undefined') ||
      (typeof variable === 'string' && (env[variable] === undefined || env[variable] === ''));
    return missing
      ? `${name} is required`
      : `${name} ${issue.message.charAt(0).toLowerCase()}${issue.message.slice(1)}`;
  });
  throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
}

/** parseConfig for a process entry point: a bad variable ends the process with one clear line. */
export function loadConfigOrExit<S extends z.ZodTypeAny>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<S> {
  try {
    return parseConfig(schema, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(78); // EX_CONFIG
  }
}

export const CONFIG = Symbol('CONFIG');
