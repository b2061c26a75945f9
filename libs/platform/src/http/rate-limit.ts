import { Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type IORedis from 'ioredis';
import { currentContext } from '../observability/correlation';

export interface RateLimitOptions {
  /** Requests per window for one access token, and for one client address. */
  perToken: number;
  perAddress: number;
  windowSeconds: number;
  /** Keeps the counters of several environments apart in one Redis. */
  prefix: string;
}

/**
 * One round trip: counts the request under each key (which expires after two windows) and answers 1
 * when a count is over its limit. ARGV: the keys' lifetime in seconds, then each key's limit.
 */
const COUNT_AND_CHECK = `
local over = 0
for i, key in ipairs(KEYS) do
  local count = redis.call('INCR', key)
  if count == 1 then redis.call('EXPIRE', key, ARGV[1]) end
  if count > tonumber(ARGV[i + 1]) then over = 1 end
end
return over`;

/**
 * Counts requests per access token and per client address in Redis, so the limits hold across
 * replicas; over either, 429 with Retry-After. Health probes are not counted. If Redis cannot
 * answer, requests pass (and a warning is logged): a rate limiter must not take the API down.
 */
export function rateLimit(redis: IORedis, options: RateLimitOptions) {
  const logger = new Logger('RateLimit');
  return async (request: Request, response: Response, next: NextFunction): Promise<void> => {
    if (request.path.startsWith('/health') || request.path === '/metrics') return next();
    const window = Math.floor(Date.now() / 1_000 / options.windowSeconds);
    const keys: Array<[string, number]> = [
      [`${options.prefix}:addr:${request.ip}:${window}`, options.perAddress],
    ];
    const token = /^Bearer (.+)$/.exec(request.header('authorization') ?? '')?.[1];
    if (token) {
      const digest = createHash('sha256').update(token).digest('base64url').slice(0, 22);
      keys.push([`${options.prefix}:token:${digest}:${window}`, options.perToken]);
    }
    try {
      const over =
        (await redis.eval(
          COUNT_AND_CHECK,
          keys.length,
          ...keys.map(([key]) => key),
          options.windowSeconds * 2,
          ...keys.map(([, limit]) => limit),
        )) === 1;
      if (over) {
        const retryAfter = options.windowSeconds - (Math.floor(Date.now() / 1_000) % options.windowSeconds);
        response.setHeader('Retry-After', String(retryAfter));
        response.status(429).json({
          statusCode: 429,
          error: 'Too Many Requests',
          message: `Too many requests; retry in ${retryAfter} s`,
          correlationId: currentContext()?.correlationId,
        });
        return;
      }
    } catch (error) {
      logger.warn({ msg: 'rate limit not checked: Redis did not answer', error: (error as Error).message });
    }
    next();
  };
}
