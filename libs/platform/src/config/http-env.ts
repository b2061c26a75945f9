import { z } from 'zod';

const SIZE_UNITS: Record<string, number> = { b: 1, kb: 1024, kib: 1024, mb: 1024 ** 2, mib: 1024 ** 2 };

/** `1048576`, `512kb`, `1mb` (binary units, as body-parser reads them) as bytes. */
const byteSize = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^\d+\s*(b|kb|kib|mb|mib)?$/, 'must be a size such as 1048576, 512kb or 1mb')
  .transform((value) => {
    const [, amount, unit] = /^(\d+)\s*([a-z]*)$/.exec(value) ?? [];
    return Number(amount) * SIZE_UNITS[unit || 'b'];
  })
  .pipe(
    z
      .number()
      .int()
      .min(1024, 'must be at least 1kb')
      .max(100 * 1024 ** 2, 'must be at most 100mb'),
  );

const milliseconds = (min: number, fallback: number) =>
  z.coerce.number().int().min(min).max(3_600_000).default(fallback);

const flag = z
  .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
  .transform((value) => value === 'true' || value === '1');

/** Browsers send an Origin without a path or a trailing slash; one configured with them never matches. */
const originList = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((origin) => origin.trim())
      .filter((origin) => origin !== ''),
  )
  .pipe(
    z.array(
      z.string().regex(/^https?:\/\/[^/\s]+$/, 'must list origins such as https://app.example.org (no path)'),
    ),
  );

/** Express's `trust proxy`: false, true, a number of hops, or addresses and CIDRs. */
const trustProxy = z
  .string()
  .trim()
  .transform((value, context): boolean | number | string[] => {
    if (value === '' || value === 'false') return false;
    if (value === 'true') return true;
    if (/^\d{1,2}$/.test(value)) return Number(value);
    const list = value.split(',').map((item) => item.trim());
    if (list.every((item) => /^(loopback|linklocal|uniquelocal|[0-9a-fA-F.:]+(\/\d{1,3})?)$/.test(item)))
      return list;
    context.addIssue({
      code: z.ZodIssueCode.custom,
      message: 'must be false, true, a number of proxies, or addresses and CIDRs (loopback, 10.0.0.0/8)',
    });
    return z.NEVER;
  });

/** HTTP hardening: limits, timeouts, CORS, docs, proxies. Every one has a default. */
export const httpEnv = {
  /** JSON and form bodies; uploads (POST /imports) have their own limit. */
  HTTP_BODY_LIMIT: byteSize.default('1mb'),
  /** Time for a request's body to arrive, uploads excepted. */
  HTTP_REQUEST_TIMEOUT_MS: milliseconds(1_000, 30_000),
  /** Time for a multipart upload to arrive. */
  HTTP_UPLOAD_TIMEOUT_MS: milliseconds(1_000, 900_000),
  HTTP_HEADERS_TIMEOUT_MS: milliseconds(1_000, 20_000),
  /**
   * An idle kept-alive connection's life. Longer than the idle timeout of what sits in front (ingress
   * and cloud load balancers keep 60 s), so the server never closes a connection as a client reuses it.
   */
  HTTP_KEEP_ALIVE_TIMEOUT_MS: milliseconds(1_000, 65_000),
  /** Browser origins allowed to call the API; none by default (same-origin only). */
  CORS_ORIGINS: originList.default(''),
  /** Swagger UI at /docs. */
  HTTP_DOCS_ENABLED: flag.default('true'),
  /** Set behind a TLS-terminating proxy, so that X-Forwarded-Proto: https turns on HSTS. */
  HTTP_TRUST_PROXY: trustProxy.default('false'),
};
