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
      const transaction = redis.multi();
      for (const [key] of keys) transaction.incr(key).expire(key, options.windowSeconds * 2);
      const results = (await transaction.exec()) ?? [];
      const over = keys.some(([, limit], index) => Number(results[index * 2]?.[1]) > limit);
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
