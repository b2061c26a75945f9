import { ArgumentsHost, Logger, NotFoundException } from '@nestjs/common';
import IORedis, { ReplyError, type RedisOptions } from 'ioredis';
import { MaxRetriesPerRequestError } from 'ioredis/built/errors';
import { KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } from 'kafkajs';
import { DatabaseError } from 'pg';
import { QueryFailedError } from 'typeorm';
import { DependencyUnavailableError } from '../errors';
import { runWithContext } from '../observability/correlation';
import { redisAnswerWithin } from '../queue/job-queue';
import { ProblemFilter } from './problem.filter';

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

function answer(exception: unknown): Answer {
  const sent: Answer = { status: 0, headers: {}, body: {} };
  const response = {
    status(code: number) {
      sent.status = code;
      return response;
    },
    json(body: Record<string, unknown>) {
      sent.body = body;
      return response;
    },
    setHeader(name: string, value: string) {
      sent.headers[name.toLowerCase()] = value;
    },
  };
  const host = { switchToHttp: () => ({ getResponse: () => response }) } as unknown as ArgumentsHost;
  runWithContext({ correlationId: 'req-1', causationId: 'req-1' }, () =>
    new ProblemFilter().catch(exception, host),
  );
  return sent;
}

const pgError = (message: string, code: string) =>
  Object.assign(new DatabaseError(message, 0, 'error'), { code });
const queryFailed = (driverError: Error) => new QueryFailedError('SELECT 1', [], driverError);
const netError = (code: string, address: string) =>
  Object.assign(new Error(`connect ${code} ${address}`), { code, syscall: 'connect' });

/** Real ioredis rejections, produced without a server. */
async function ioredisRejection(options: RedisOptions, closed = false): Promise<Error> {
  const redis = new IORedis({ ...options, lazyConnect: true });
  if (closed) redis.disconnect();
  const error = await redis.get('key').catch((reason: Error) => reason);
  redis.disconnect();
  return error as Error;
}

describe('ProblemFilter: unavailable dependencies', () => {
  let warn: jest.SpyInstance;
  let error: jest.SpyInstance;

  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  const outages: Array<[string, () => unknown, string]> = [
    [
      'a query cut by a restart (57P01)',
      () => queryFailed(pgError('terminating connection due to administrator command', '57P01')),
      'PostgreSQL',
    ],
    [
      'a database shutting down (57P03)',
      () => pgError('the database system is shutting down', '57P03'),
      'PostgreSQL',
    ],
    [
      'a connection lost mid-query',
      () => queryFailed(new Error('Connection terminated unexpectedly')),
      'PostgreSQL',
    ],
    ['a refused connection', () => netError('ECONNREFUSED', '127.0.0.1:5432'), 'PostgreSQL'],
    [
      'a pool with no free connection',
      () => new Error('timeout exceeded when trying to connect'),
      'PostgreSQL',
    ],
    ['a connect timeout', () => new Error('Connection terminated due to connection timeout'), 'PostgreSQL'],
    [
      'a request-facing connection that is down',
      () => ioredisRejection({ enableOfflineQueue: false }),
      'Redis',
    ],
    ['a closed connection', () => ioredisRejection({}, true), 'Redis'],
    ['retries per request exhausted', () => new MaxRetriesPerRequestError(3), 'Redis'],
    [
      'Redis still loading its data',
      () => new ReplyError('LOADING Redis is loading the dataset in memory'),
      'Redis',
    ],
    [
      'Redis not answering in time',
      () => redisAnswerWithin(new Promise(() => undefined), 5).catch((reason: Error) => reason),
      'Redis',
    ],
    [
      'a broker that refuses connections',
      () =>
        new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:9092', {
          broker: '127.0.0.1:9092',
          code: 'ECONNREFUSED',
        }),
      'Kafka',
    ],
    [
      'a producer out of retries',
      () =>
        new KafkaJSNumberOfRetriesExceeded(new KafkaJSConnectionError('Connection timeout'), {
          retryCount: 5,
          retryTime: 3_000,
        }),
      'Kafka',
    ],
    [
      'an outage wrapped as the cause of another error',
      () => new Error('could not publish', { cause: new KafkaJSConnectionError('Connection error') }),
      'Kafka',
    ],
    ['the typed error', () => new DependencyUnavailableError('Redis', 'down'), 'Redis'],
  ];

  it.each(outages)('answers %s with 503 and Retry-After', async (_, make, dependency) => {
    const sent = answer(await make());
    expect(sent.status).toBe(503);
    expect(sent.headers['retry-after']).toBe('5');
    expect(sent.body).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      message: `${dependency} is unavailable; retry later`,
      correlationId: 'req-1',
    });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toEqual(expect.objectContaining({ dependency }));
    expect(JSON.stringify(warn.mock.calls)).not.toContain('    at ');
    expect(error).not.toHaveBeenCalled();
  });

  it('keeps failures of the work itself as 500, 409 and 404', () => {
    const missingTable = queryFailed(pgError('relation "reports" does not exist', '42P01'));
    const unknownTopic = new KafkaJSProtocolError({
      message: 'This server does not host this topic-partition',
      type: 'UNKNOWN_TOPIC_OR_PARTITION',
      code: 3,
      retriable: true,
    } as never);
    expect(answer(missingTable).status).toBe(500);
    expect(answer(unknownTopic).status).toBe(500);
    expect(answer(new Error('Cannot read properties of undefined')).status).toBe(500);
    expect(answer(queryFailed(pgError('duplicate key value', '23505'))).status).toBe(409);
    expect(answer(new NotFoundException('Report 1 was not found')).status).toBe(404);
    expect(warn).not.toHaveBeenCalled();
  });

  it('never sends Retry-After with a 500', () => {
    const sent = answer(new Error('boom'));
    expect(sent.headers).toEqual({});
    expect(sent.body).toEqual({
      statusCode: 500,
      error: 'Internal Server Error',
      message: 'Unexpected error',
      correlationId: 'req-1',
    });
  });
});
