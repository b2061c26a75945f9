import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { dependencyUnavailable, DomainError } from '../errors';
import { currentContext } from '../observability/correlation';

const domainStatus = { not_found: 404, conflict: 409, unprocessable: 422 } as const;
const reason: Record<number, string> = { 404: 'Not Found', 409: 'Conflict', 422: 'Unprocessable Entity' };
/** Long enough for a failover or a restart to finish, short enough that a client does not give up. */
export const RETRY_AFTER_SECONDS = 5;

/**
 * Every error leaves as JSON `{ statusCode, error, message, errors?, correlationId }`.
 * A dependency that is down (PostgreSQL, Redis, Kafka) gives 503 with Retry-After: the request may
 * succeed as is once it is back. Unexpected errors are logged in full and answered with a bare 500:
 * no stack reaches a client.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const correlationId = currentContext()?.correlationId;
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const payload = typeof body === 'string' ? { message: body } : (body as Record<string, unknown>);
      response.status(status).json({
        statusCode: status,
        error: (payload.error as string) ?? reason[status] ?? HttpStatus[status],
        message: payload.message,
        ...(payload.errors ? { errors: payload.errors } : {}),
        correlationId,
      });
      return;
    }
    if (exception instanceof DomainError) {
      const status = domainStatus[exception.kind];
      response
        .status(status)
        .json({ statusCode: status, error: reason[status], message: exception.message, correlationId });
      return;
    }
    if (exception instanceof SyntaxError && 'body' in exception) {
      response
        .status(400)
        .json({ statusCode: 400, error: 'Bad Request', message: 'Malformed JSON body', correlationId });
      return;
    }
    if (exception instanceof QueryFailedError && (exception as { code?: string }).code === '23505') {
      response
        .status(409)
        .json({ statusCode: 409, error: 'Conflict', message: 'Already exists', correlationId });
      return;
    }
    const outage = dependencyUnavailable(exception);
    if (outage) {
      // An outage is not a bug: a warn line without a stack.
      this.logger.warn({
        msg: 'dependency unavailable; answered 503',
        dependency: outage.dependency,
        error: outage.message,
      });
      response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
      response.status(503).json({
        statusCode: 503,
        error: 'Service Unavailable',
        message: `${outage.dependency} is unavailable; retry later`,
        correlationId,
      });
      return;
    }
    this.logger.error(exception instanceof Error ? exception : String(exception));
    response
      .status(500)
      .json({ statusCode: 500, error: 'Internal Server Error', message: 'Unexpected error', correlationId });
  }
}
