import { RedisServer, type Stack } from '@nmirf/testing';
import {
  chaosTestTimeoutMs,
  expectRecovered,
  flushRedis,
  runFault,
  startChaosStack,
  waitForRemindersReplanned,
  type TrackedAction,
} from './harness';

jest.setTimeout(chaosTestTimeoutMs);

// A private Redis, so the flush touches no other suite running at the same time.
describe('Redis loses everything (FLUSHALL) under load', () => {
  let redis: RedisServer;
  let stack: Stack;

  beforeAll(async () => {
    redis = await RedisServer.start('chaos');
    stack = await startChaosStack('redis', { env: { REDIS_URL: redis.url } });
  });

  afterAll(async () => {
    await stack?.stop();
    await redis?.stop();
  });

  it('plans every pending reminder again, and still sends each one once', async () => {
    let beforeFlush: TrackedAction[] = [];
    const outcome = await runFault(stack, {
      family: 'redis flush',
      fault: 'Redis FLUSHALL',
      inject: async (burst) => {
        await burst.reached(0.5);
        beforeFlush = burst.actions.filter((action) => action.id);
        await flushRedis(stack);
        return Date.now();
      },
      // Recovered once every deadline that existed before the flush has its jobs again.
      recovery: (_burst, since) => waitForRemindersReplanned(stack, beforeFlush, since),
    });
    expect(beforeFlush.length).toBeGreaterThan(0);
    expectRecovered(outcome);
  });
});
