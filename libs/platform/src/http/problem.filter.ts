import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { dependencyUnavailable, DomainError } from '../errors';
import { currentContext } from '../observability/correlation';
import { bodyReadException } from './body-errors';

const domainStatus = { not_found: 404, conflict: 409, unprocessable: 422 } as const;
const reason: Record<number, string> = { 404: 'Not Found', 409: 'Conflict', 422: 'Unprocessable Entity' };
/** Long enough for a failover or a restart to finish, short enough that a client does not give up. */
export const RETRY_AFTER_SECONDS = 5;

// PostgreSQL refusing a value itself (text with NUL, a number or date out of range): the request's
// input got past validation. A 400, and a warning, since validation should have caught it.
const DATA_EXCEPTIONS = new Set(['22021', '22P05', '22003', '22008']);
/** How much of a caller's own input an error message may quote back. */
const MAX_QUOTED = 100;

/** Shortens every "quoted" part of a message longer than MAX_QUOTED characters. */
function clipQuotes(message: unknown): unknown {
  if (typeof message !== 'string') return message;
  return message
    .replace(
      new RegExp(`"([^"]{${MAX_QUOTED + 1},})"`, 'g'),
      (_, quoted: string) => `"${quoted.slice(0, MAX_QUOTED)}…"`,
    )
    .slice(0, 2_000);
}

const clipErrors = (errors: unknown) =>
  Array.isArray(errors)
    ? errors.map((error: { field?: unknown; messages?: unknown }) => ({
        ...error,
        field: clipQuotes(error.field),
        messages: Array.isArray(error.messages) ? error.messages.map(clipQuotes) : error.messages,
      }))
    : errors;

const dataExceptionCode = (exception: unknown): string | undefined => {
  const error = exception as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = error?.code ?? error?.driverError?.code;
  return typeof code === 'string' && DATA_EXCEPTIONS.has(code) ? code : undefined;
};

/**
 * Every error leaves as JSON `{ statusCode, error, message, errors?, correlationId }`.
 * A dependency that is down (PostgreSQL, Redis, Kafka) gives 503 with Retry-After: the request may
 * succeed as is once it is back. Unexpected errors are logged in full and answered with a bare 500:
 * no stack reaches a client.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(thrown: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    // Body-parser errors (size, charset, encoding, gzip, nesting) carry their 4xx as `status`.
    const exception = bodyReadException(thrown) ?? thrown;
    if (response.headersSent) {
      // The answer has started (a stream that failed midway, a body that timed out): nothing to send.
      if (exception === thrown) this.logger.error(thrown instanceof Error ? thrown : String(thrown));
      return;
    }
    const correlationId =
      currentContext()?.correlationId ?? (response.getHeader?.('x-correlation-id') as string | undefined);
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const payload = typeof body === 'string' ? { message: body } : (body as Record<string, unknown>);
      response.status(status).json({
        statusCode: status,
        error: (payload.error as string) ?? reason[status] ?? HttpStatus[status],
        message: Array.isArray(payload.message)
          ? payload.message.map(clipQuotes)
          : clipQuotes(payload.message),
        ...(payload.errors ? { errors: clipErrors(payload.errors) } : {}),
        correlationId,
      });
      return;
    }
    if (exception instanceof DomainError) {
      const status = domainStatus[exception.kind];
      response.status(status).json({
        statusCode: status,
        error: reason[status],
        message: clipQuotes(exception.message),
        correlationId,
      });
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
    const dataException = dataExceptionCode(exception);
    if (dataException) {
      this.logger.warn({ msg: 'PostgreSQL refused a value; answered 400', code: dataException });
      response.status(400).json({
        statusCode: 400,
        error: 'Bad Request',
        message: 'A value is out of range or is not valid text',
        correlationId,
      });
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
