import { Injectable, Logger, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { newCorrelationId, runWithContext } from '../observability/correlation';

const HEADER = 'x-correlation-id';
const VALID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Takes the caller's correlation id (or starts one) and keeps it for the rest of the request, then
 * logs one line per request: method, route path (no query string: it may hold personal data), status.
 */
@Injectable()
export class CorrelationMiddleware implements NestMiddleware {
  private readonly logger = new Logger('HTTP');

  use(req: Request, res: Response, next: NextFunction): void {
    const started = process.hrtime.bigint();
    const given = req.header(HEADER);
    const correlationId = given && VALID.test(given) ? given : newCorrelationId();
    res.setHeader(HEADER, correlationId);
    if (!req.path.startsWith('/health')) {
      res.once('finish', () =>
        runWithContext({ correlationId, causationId: correlationId }, () =>
          this.logger.log({
            msg: 'request',
            method: req.method,
            path: req.path,
            status: res.statusCode,
            ms: Number((process.hrtime.bigint() - started) / 1_000_000n),
          }),
        ),
      );
    }
    // The actor is set from the verified access token (AuthGuard), never from a header.
    const client = { address: req.ip, userAgent: req.header('user-agent') };
    runWithContext({ correlationId, causationId: correlationId, client }, next);
  }
}
