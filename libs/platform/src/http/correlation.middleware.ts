import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { newCorrelationId, runWithContext } from '../observability/correlation';

const HEADER = 'x-correlation-id';
const VALID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Takes the caller's correlation id (or starts one) and keeps it for the rest of the request. */
@Injectable()
export class CorrelationMiddleware implements NestMiddleware {
  use(req: Request, res: Response, next: NextFunction): void {
    const given = req.header(HEADER);
    const correlationId = given && VALID.test(given) ? given : newCorrelationId();
    res.setHeader(HEADER, correlationId);
    const actorId = req.header('x-actor-id');
    const institution = req.header('x-actor-institution');
    runWithContext(
      {
        correlationId,
        causationId: correlationId,
        actor: actorId && VALID.test(actorId) ? { kind: 'user', id: actorId, institution } : undefined,
      },
      next,
    );
  }
}
