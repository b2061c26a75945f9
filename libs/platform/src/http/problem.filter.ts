import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { DomainError } from '../errors';
import { currentContext } from '../observability/correlation';

const domainStatus = { not_found: 404, conflict: 409, unprocessable: 422 } as const;
const reason: Record<number, string> = { 404: 'Not Found', 409: 'Conflict', 422: 'Unprocessable Entity' };

/**
 * Every error leaves as JSON `{ statusCode, error, message, errors?, correlationId }`.
 * Unexpected errors are logged in full and answered with a bare 500: no stack reaches a client.
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
    this.logger.error(exception instanceof Error ? exception : String(exception));
    response
      .status(500)
      .json({ statusCode: 500, error: 'Internal Server Error', message: 'Unexpected error', correlationId });
  }
}
