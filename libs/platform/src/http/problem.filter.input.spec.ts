import { ArgumentsHost, BadRequestException, Logger } from '@nestjs/common';
import { DatabaseError } from 'pg';
import { QueryFailedError } from 'typeorm';
import { DomainError } from '../errors';
import { ProblemFilter } from './problem.filter';

interface Sent {
  status: number;
  body: Record<string, any> | undefined;
}

function answer(exception: unknown, response: Record<string, unknown> = {}): Sent {
  const sent: Sent = { status: 0, body: undefined };
  const res = {
    headersSent: false,
    getHeader: (name: string) => (name === 'x-correlation-id' ? 'from-header' : undefined),
    setHeader: () => undefined,
    status(code: number) {
      sent.status = code;
      return res;
    },
    json(body: Record<string, unknown>) {
      sent.body = body;
      return res;
    },
    ...response,
  };
  const host = { switchToHttp: () => ({ getResponse: () => res }) } as unknown as ArgumentsHost;
  new ProblemFilter().catch(exception, host);
  return sent;
}

const pgError = (code: string) =>
  new QueryFailedError(
    'INSERT',
    [],
    Object.assign(new DatabaseError('invalid byte sequence', 0, 'error'), { code }),
  );

describe('ProblemFilter: bad input is a 4xx', () => {
  let warn: jest.SpyInstance;
  let error: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('answers body-parser errors with their 4xx and the correlation id of the response', () => {
    const tooLarge = Object.assign(new Error('request entity too large'), {
      status: 413,
      statusCode: 413,
      expose: true,
      type: 'entity.too.large',
      limit: 1024,
    });
    expect(answer(tooLarge)).toEqual({
      status: 413,
      body: {
        statusCode: 413,
        error: 'Payload Too Large',
        message: 'The request body is larger than the limit of 1024 bytes',
        correlationId: 'from-header',
      },
    });
    expect(error).not.toHaveBeenCalled();
  });

  it.each(['22021', '22P05', '22003', '22008'])(
    'answers PostgreSQL refusing a value (%s) with 400 and a warning, not 500',
    (code) => {
      expect(answer(pgError(code))).toMatchObject({
        status: 400,
        body: { message: 'A value is out of range or is not valid text' },
      });
      expect(warn).toHaveBeenCalledWith(expect.objectContaining({ code }));
    },
  );

  it('keeps other database errors as 500', () => {
    expect(answer(pgError('42P01')).status).toBe(500);
  });

  it('quotes at most 100 characters of the caller’s input', () => {
    const long = 'x'.repeat(5_000);
    const domain = answer(new DomainError('unprocessable', `Unknown body "${long}": use UPR`));
    expect(domain.body?.message).toBe(`Unknown body "${'x'.repeat(100)}…": use UPR`);
    const http = answer(
      new BadRequestException({
        message: 'Validation failed',
        errors: [{ field: 'a', messages: [`"${long}"`] }],
      }),
    );
    expect(JSON.stringify(http.body).length).toBeLessThan(400);
  });

  it('sends nothing once the answer has started, and logs an unexpected error', () => {
    const json = jest.fn();
    answer(new Error('stream failed'), { headersSent: true, json });
    expect(json).not.toHaveBeenCalled();
    expect(error).toHaveBeenCalledTimes(1);
  });
});
