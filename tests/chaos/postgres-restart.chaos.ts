import { PostgresCluster, type ShutdownMode, type Stack } from '@nmirf/testing';
import { chaosTestTimeoutMs, expectRecovered, runFault, startChaosStack } from './harness';

jest.setTimeout(chaosTestTimeoutMs);

const modes = (process.env.CHAOS_PG_RESTART_MODES ?? 'fast,immediate').split(',') as ShutdownMode[];

// Two processes of every API and worker, on a private PostgreSQL cluster that the test restarts
// (the system cluster other tests use stays up). With two outbox relays per service, leadership and
// per-action order must survive every connection being cut at once.
describe('PostgreSQL restart with two instances of each service', () => {
  let postgres: PostgresCluster;
  let stack: Stack;

  beforeAll(async () => {
    postgres = await PostgresCluster.create({ name: 'chaos' });
    stack = await startChaosStack('postgres', { postgresUrl: postgres.url, instances: 2 });
  });

  afterAll(async () => {
    await stack?.stop();
    await postgres?.destroy();
  });

  it.each(modes)(
    'pg_ctl restart -m %s: every action, in order, in notifications and reporting',
    async (mode) => {
      const outcome = await runFault(stack, {
        family: 'postgres restart',
        fault: `pg_ctl restart -m ${mode}, 2 instances`,
        inject: async (burst) => {
          await burst.reached(0.4);
          await postgres.restart(mode);
          return Date.now();
        },
      });
      expectRecovered(outcome);
    },
  );
});
