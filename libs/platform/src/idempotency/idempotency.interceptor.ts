import {
  ArgumentsHost,
  BadRequestException,
  Catch,
  CallHandler,
  ConflictException,
  ExceptionFilter,
  ExecutionContext,
  Injectable,
  NestInterceptor,
  UnprocessableEntityException,
} from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { QueryFailedError, type DataSource } from 'typeorm';
import { currentContext } from '../observability/correlation';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
const VALID_KEY = /^[\x21-\x7e]{8,200}$/;

interface StoredKey {
  request_hash: string;
  status_code: number | null;
  response: unknown;
  age_seconds: number;
}

/** The first answer to a key, sent again. */
export class IdempotentReplay {
  constructor(
    readonly statusCode: number,
    readonly body: unknown,
  ) {}
}

@Catch(IdempotentReplay)
export class IdempotentReplayFilter implements ExceptionFilter {
  catch(replay: IdempotentReplay, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    response.setHeader('idempotent-replayed', 'true');
    response.status(replay.statusCode).json(replay.body);
  }
}

/**
 * `Idempotency-Key` on a creating POST: the same key and request replay the first answer, the same
 * key with another request gets 422. Keys are kept `IDEMPOTENCY_KEY_HOURS` (at least 24 h). The key is
 * recorded in the request's own transaction (IdempotencyKeySubscriber), so a retry after a crash
 * between the commit and the answer finds it and does not apply the change twice.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly dataSource: DataSource,
    private readonly keepHours = 48,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request>();
    const key = request.header(IDEMPOTENCY_HEADER);
    if (request.method !== 'POST' || key === undefined) return next.handle();
    return from(this.handle(context, request, key, next));
  }

  private async handle(context: ExecutionContext, request: Request, key: string, next: CallHandler) {
    if (!VALID_KEY.test(key))
      throw new BadRequestException('Idempotency-Key must be 8 to 200 visible ASCII characters');
    const requestHash = fingerprint(request);
    await this.answerFromStore(key, requestHash);
    const requestContext = currentContext();
    const idempotency = { key, requestHash, recorded: false };
    if (requestContext) requestContext.idempotency = idempotency;
    try {
      const body = await lastValueFrom(next.handle(), { defaultValue: undefined });
      const status = context.switchToHttp().getResponse<Response>().statusCode;
      await this.remember(key, requestHash, status, body);
      return body;
    } catch (error) {
      if (isKeyConflict(error)) await this.answerFromStore(key, requestHash);
      const status = (error as { getStatus?: () => number }).getStatus?.() ?? 500;
      // A refused request changed nothing: its key may be used again.
      if (idempotency.recorded && status < 500)
        await this.dataSource
          .query(`DELETE FROM idempotency_key WHERE key = $1`, [key])
          .catch(() => undefined);
      throw error;
    } finally {
      if (requestContext) requestContext.idempotency = undefined;
    }
  }

  /** Throws the stored answer (or why there is none) when the key is already known. */
  private async answerFromStore(key: string, requestHash: string): Promise<void> {
    const [stored]: StoredKey[] = await this.dataSource.query(
      `SELECT request_hash, status_code, response, extract(epoch FROM now() - created_at)::int AS age_seconds
         FROM idempotency_key
        WHERE key = $1 AND created_at > now() - make_interval(hours => $2)`,
      [key, this.keepHours],
    );
    if (!stored) return;
    if (stored.request_hash !== requestHash)
      throw new UnprocessableEntityException('This Idempotency-Key was used with a different request');
    if (stored.status_code === null)
      throw new ConflictException(
        stored.age_seconds < 60
          ? 'A request with this Idempotency-Key was applied and is still answering; retry shortly'
          : 'A request with this Idempotency-Key was applied, but the server stopped before answering; ' +
              'look the result up instead of retrying',
      );
    throw new IdempotentReplay(stored.status_code, stored.response);
  }

  private async remember(key: string, requestHash: string, status: number, body: unknown): Promise<void> {
    const response = JSON.stringify(body ?? null);
    const updated = await this.dataSource.query(
      `UPDATE idempotency_key SET status_code = $2, response = $3::jsonb, completed_at = now() WHERE key = $1`,
      [key, status, response],
    );
    // Nothing committed (e.g. a request that changed nothing): keep the answer all the same.
    if (updated[1] === 0)
      await this.dataSource.query(
        `INSERT INTO idempotency_key (key, request_hash, status_code, response, completed_at)
         VALUES ($1, $2, $3, $4::jsonb, now()) ON CONFLICT (key) DO NOTHING`,
        [key, requestHash, status, response],
      );
  }
}

/** Method, path, query and body; for an upload, its size (the file is read later, by the route). */
function fingerprint(request: Request): string {
  const type = (request.header('content-type') ?? '').split(';')[0].trim();
  const body =
    type === 'multipart/form-data'
      ? `multipart:${request.header('content-length') ?? ''}`
      : JSON.stringify(canonical(request.body ?? null));
  return createHash('sha256').update(`${request.method} ${request.originalUrl}\n${body}`).digest('hex');
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((name) => [name, canonical((value as Record<string, unknown>)[name])]),
    );
  return value;
}

function isKeyConflict(error: unknown): boolean {
  return (
    error instanceof QueryFailedError &&
    (error as { code?: string }).code === '23505' &&
    (error as { constraint?: string }).constraint === 'idempotency_key_pkey'
  );
}
