import { PROCESS_NAMES, type Stack } from '@nmirf/testing';
import {
  chaosTestTimeoutMs,
  crashAndRestart,
  expectRecovered,
  probeFor,
  runFault,
  startChaosStack,
} from './harness';

jest.setTimeout(chaosTestTimeoutMs);

// Each API and each worker in turn, on one stack: kill -9 in the middle of a burst, restart.
describe('kill -9 of a process under load', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startChaosStack('crash');
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it.each(PROCESS_NAMES)('%s: nothing lost, nothing duplicated, every state right', async (name) => {
    const outcome = await runFault(stack, {
      family: 'process crash',
      fault: `kill -9 ${name}`,
      inject: async (burst) => {
        await burst.reached(0.4);
        return crashAndRestart(stack, name);
      },
      recovery: probeFor(name),
    });
    expectRecovered(outcome);
  });
});
