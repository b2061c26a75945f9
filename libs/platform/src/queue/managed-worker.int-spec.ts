import { Logger } from '@nestjs/common';
import { requireInfrastructure, sleep, testInfrastructure, waitFor } from '@nmirf/testing';
import IORedis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { ManagedWorker } from './managed-worker';

jest.setTimeout(30_000);

// Other test files share this Redis and run in parallel: the wipe is FLUSHDB on a database of its
// own, which to the worker looks exactly like FLUSHALL.
const redisUrl = (() => {
  const url = new URL(testInfrastructure.redisUrl);
  url.pathname = '/13';
  return url.toString();
})();

describe('ManagedWorker on real Redis: a wiped Redis is reconciled at once', () => {
  let admin: IORedis;
  let worker: ManagedWorker<{ correlationId?: string }> | undefined;
  let warn: jest.SpyInstance;

  beforeAll(async () => {
    await requireInfrastructure('redis');
    admin = new IORedis(redisUrl);
  });

  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });

  afterEach(async () => {
    await worker?.stop();
    worker = undefined;
    jest.restoreAllMocks();
  });

  afterAll(async () => {
    await admin?.quit();
  });

  /** A worker whose reconciler only counts; the periodic round (an hour) never comes in the test. */
  async function startWorker(reconcile: () => Promise<unknown>) {
    worker = new ManagedWorker({
      queue: 'deadlines',
      processors: {},
      redisUrl,
      prefix: `it-${randomUUID().slice(0, 8)}`,
      concurrency: 1,
      dependenciesReady: async () => undefined,
      reconcile,
      reconcileEveryMs: 3_600_000,
      checkRedisEveryMs: 200,
    });
    worker.start();
    await worker.whenStarted();
  }

  const lossWarnings = () =>
    warn.mock.calls.filter(([entry]) => /reconciling now/.test(String((entry as { msg?: string }).msg)));

  it('reconciles again within seconds of a FLUSHDB, and says why, once', async () => {
    let reconciliations = 0;
    await startWorker(async () => (reconciliations += 1));
    expect(reconciliations).toBe(1);

    // An intact Redis triggers nothing: several looks go by without a reconciliation.
    await sleep(1_000);
    expect(reconciliations).toBe(1);

    await admin.flushdb();

    await waitFor('a reconciliation after the wipe', () => reconciliations >= 2, { timeoutMs: 15_000 });
    expect(lossWarnings()).toHaveLength(1);
    expect(lossWarnings()[0][0]).toMatchObject({ msg: expect.stringContaining('sentinel missing') });
  });

  it('keeps retrying a reconciliation that failed after the wipe, without waiting for the next round', async () => {
    let attempts = 0;
    let succeeded = 0;
    await startWorker(async () => {
      attempts += 1;
      if (attempts === 2) throw new Error('PostgreSQL did not answer');
      succeeded += 1;
    });

    await admin.flushdb();

    await waitFor('a successful reconciliation after the failed one', () => succeeded >= 2, {
      timeoutMs: 15_000,
    });
    expect(attempts).toBeGreaterThanOrEqual(3);
    expect(lossWarnings()).toHaveLength(1);
  });
});
