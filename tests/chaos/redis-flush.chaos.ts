import type { Stack } from '@nmirf/testing';
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

describe('Redis loses everything (FLUSHALL) under load', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startChaosStack('redis');
  });

  afterAll(async () => {
    await stack?.stop();
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
