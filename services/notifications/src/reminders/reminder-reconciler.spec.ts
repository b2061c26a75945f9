import { Logger } from '@nestjs/common';
import { DependencyUnavailableError } from '@nmirf/platform';
import type { DataSource } from 'typeorm';
import type { AlertSettings } from './alert-settings';
import type { DeadlineJobQueue } from './deadline-job-queue';
import { ReminderReconciler } from './reminder-reconciler';

const settings: AlertSettings = {
  offsetsSeconds: [86_400, 0],
  escalateAfterSeconds: 86_400,
  coordinatorInstitution: 'NMIRF Secretariat',
  escalationLadder: ['focal_point'],
};
const now = new Date('2026-06-01T00:00:00.000Z');
const dueAt = new Date('2026-06-30T00:00:00.000Z');
const first = '00000000-0000-4000-8000-000000000001';
const broken = '00000000-0000-4000-8000-000000000002';
const last = '00000000-0000-4000-8000-000000000003';

function reconcilerWith(restore: jest.Mock) {
  const rows = [first, broken, last].map((action_id) => ({ action_id, due_at: dueAt, sent_offsets: [] }));
  // Each deadline is read again, locked, in a transaction of its own: the same row comes back.
  const manager = {
    query: jest.fn(async (_sql: string, [actionId]: string[]) =>
      rows.filter((row) => row.action_id === actionId),
    ),
  };
  const dataSource = {
    query: jest.fn().mockResolvedValue(rows),
    transaction: jest.fn(async (work: (m: typeof manager) => Promise<unknown>) => work(manager)),
  } as unknown as DataSource;
  const queue = {
    restore,
    pendingJobs: async function* () {
      yield* []; // Redis holds no other jobs here
    },
  } as unknown as DeadlineJobQueue;
  return new ReminderReconciler(dataSource, queue, settings);
}

describe('ReminderReconciler', () => {
  let warn: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('logs a deadline it cannot restore and goes on with the next ones', async () => {
    const restore = jest.fn(async (actionId: string) => {
      if (actionId === broken) throw new Error('invalid job data');
      return 'added';
    });

    const result = await reconcilerWith(restore).reconcile(now);

    // Two reminders and an escalation for each deadline that could be restored.
    expect(result).toEqual({ openDeadlines: 3, added: 6, replaced: 0, removed: 0, failed: 1 });
    expect(restore.mock.calls.filter(([actionId]) => actionId === last)).toHaveLength(3);
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({ actionId: broken, error: 'invalid job data' }),
    );
  });

  it('ends the round when Redis is down rather than failing every deadline one by one', async () => {
    const restore = jest.fn(async (actionId: string) => {
      if (actionId === broken)
        throw new DependencyUnavailableError('Redis', 'Redis did not answer within 3000 ms');
      return 'present';
    });

    await expect(reconcilerWith(restore).reconcile(now)).rejects.toThrow('Redis did not answer');
    expect(restore.mock.calls.some(([actionId]) => actionId === last)).toBe(false);
  });
});
