import { Logger } from '@nestjs/common';
import { DependencyUnavailableError } from '../errors';
import type { JobQueue } from './job-queue';
import { JobReconciler, type JobSource, type PlannedJob } from './job-reconciler';

interface Data {
  deadlineId: string;
  dueAt: number;
  correlationId?: string;
}

interface Stored {
  name: string;
  data: string;
  timestamp: number;
  finishedOn?: number;
  delay: number;
}

/** The part of BullMQ the reconciler uses, over a Map: pipelined HMGET, addBulk, remove, getJobs. */
function fakeQueue(now: () => number) {
  const jobs = new Map<string, Stored>();
  const queue = {
    name: 'deadlines',
    toKey: (id: string) => `bull:deadlines:${id}`,
    client: Promise.resolve({
      pipeline() {
        const ids: string[] = [];
        const pipeline = {
          hmget(key: string) {
            ids.push(key.replace('bull:deadlines:', ''));
            return pipeline;
          },
          exec: async () =>
            ids.map((id) => {
              const job = jobs.get(id);
              return [
                null,
                job
                  ? [
                      job.name,
                      job.data,
                      job.finishedOn ? String(job.finishedOn) : null,
                      String(job.timestamp),
                    ]
                  : [null, null, null, null],
              ];
            }),
        };
        return pipeline;
      },
    }),
    addBulk: jest.fn(
      async (added: Array<{ name: string; data: Data; opts: { jobId: string; delay: number } }>) => {
        for (const { name, data, opts } of added) {
          if (!jobs.has(opts.jobId))
            jobs.set(opts.jobId, { name, data: JSON.stringify(data), timestamp: now(), delay: opts.delay });
        }
      },
    ),
    remove: jest.fn(async (id: string) => (jobs.delete(id) ? 1 : 0)),
    getJob: async (id: string) => {
      const job = jobs.get(id);
      return job && { id, name: job.name, timestamp: job.timestamp, finishedOn: job.finishedOn };
    },
    getJobs: async (_states: string[], start: number, end: number) =>
      [...jobs]
        .filter(([, job]) => !job.finishedOn)
        .slice(start, end + 1)
        .map(([id, job]) => ({ id, name: job.name, timestamp: job.timestamp })),
  };
  return { jobs, jobQueue: { queue } as unknown as JobQueue<Data> };
}

const HOUR = 3_600_000;
const now = new Date('2026-06-01T00:00:00.000Z');

/** A deadline table: each row plans one reminder an hour before its due date. */
function sourceOf(rows: Array<{ id: string; dueAt: Date }>): JobSource<Data> {
  return {
    kinds: ['reminder'],
    async *expected(): AsyncIterable<PlannedJob<Data>> {
      for (const row of rows) {
        yield {
          id: `reminder-${row.id}`,
          kind: 'reminder',
          data: { deadlineId: row.id, dueAt: row.dueAt.getTime(), correlationId: 'pass' },
          runAt: new Date(row.dueAt.getTime() - HOUR),
          row: row.id,
        };
      }
    },
  };
}

describe('JobReconciler against a queue', () => {
  let warn: jest.SpyInstance;
  let clock: number;

  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    clock = now.getTime();
    jest.spyOn(Date, 'now').mockImplementation(() => clock);
  });
  afterEach(() => jest.restoreAllMocks());

  it('adds what is missing, within the horizon only, and a second pass changes nothing', async () => {
    const { jobs, jobQueue } = fakeQueue(() => clock);
    const rows = [
      { id: 'a', dueAt: new Date(now.getTime() + 2 * HOUR) },
      { id: 'far', dueAt: new Date(now.getTime() + 30 * 24 * HOUR) },
    ];
    const reconciler = new JobReconciler(jobQueue, sourceOf(rows), { horizonMs: 6 * HOUR });

    expect(await reconciler.reconcile(now)).toEqual({
      expected: 1,
      added: 1,
      replaced: 0,
      removed: 0,
      failed: 0,
    });
    expect([...jobs.keys()]).toEqual(['reminder-a']);
    expect(jobs.get('reminder-a')?.delay).toBe(HOUR);

    clock += 1_000;
    expect(await reconciler.reconcile(new Date(clock))).toMatchObject({ added: 0, replaced: 0, removed: 0 });
  });

  it('logs a bad row and goes on with the next ones', async () => {
    const { jobs, jobQueue } = fakeQueue(() => clock);
    const rows = [
      { id: 'a', dueAt: new Date(now.getTime() + 2 * HOUR) },
      { id: 'poison', dueAt: new Date(Number.NaN) },
      { id: 'b', dueAt: new Date(now.getTime() + 3 * HOUR) },
    ];
    const reconciler = new JobReconciler(jobQueue, sourceOf(rows), { horizonMs: 6 * HOUR });

    expect(await reconciler.reconcile(now)).toMatchObject({ expected: 2, added: 2, failed: 1 });
    expect([...jobs.keys()].sort()).toEqual(['reminder-a', 'reminder-b']);
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({ row: 'poison', error: 'run-at invalid is outside the accepted window' }),
    );
  });

  it('moves the job of a date changed inside the horizon, and removes the one moved beyond it', async () => {
    const { jobs, jobQueue } = fakeQueue(() => clock);
    const rows = [
      { id: 'moved', dueAt: new Date(now.getTime() + 2 * HOUR) },
      { id: 'postponed', dueAt: new Date(now.getTime() + 3 * HOUR) },
    ];
    const reconciler = new JobReconciler(jobQueue, sourceOf(rows), { horizonMs: 6 * HOUR });
    await reconciler.reconcile(now);

    clock += 60_000;
    rows[0].dueAt = new Date(now.getTime() + 4 * HOUR);
    rows[1].dueAt = new Date(now.getTime() + 10 * 24 * HOUR);

    expect(await reconciler.reconcile(new Date(clock))).toMatchObject({ added: 0, replaced: 1, removed: 1 });
    expect([...jobs.keys()]).toEqual(['reminder-moved']);
    expect(JSON.parse(jobs.get('reminder-moved')?.data ?? '{}')).toMatchObject({
      dueAt: rows[0].dueAt.getTime(),
    });
  });

  it('removes pending jobs whose row is gone, but not one planned after the pass read PostgreSQL', async () => {
    const { jobs, jobQueue } = fakeQueue(() => clock);
    const rows = [
      { id: 'closed', dueAt: new Date(now.getTime() + 2 * HOUR) },
      { id: 'kept', dueAt: new Date(now.getTime() + 2 * HOUR) },
    ];
    const reconciler = new JobReconciler(jobQueue, sourceOf(rows), { horizonMs: 6 * HOUR });
    await reconciler.reconcile(now);
    rows.shift();
    clock += 60_000;
    // Another kind in the same queue is not this source's to judge.
    jobs.set('digest-1', { name: 'digest', data: '{}', timestamp: 0, delay: 0 });
    // A writer plans a job while the pass is reading PostgreSQL: it is newer than the pass.
    const source = sourceOf(rows);
    const original = source.expected.bind(source);
    source.expected = async function* (window) {
      jobs.set('reminder-new', { name: 'reminder', data: '{}', timestamp: clock + 1, delay: 0 });
      yield* original(window);
    };

    const result = await new JobReconciler(jobQueue, source, { horizonMs: 6 * HOUR }).reconcile(
      new Date(clock),
    );

    expect(result).toMatchObject({ removed: 1, added: 0 });
    expect([...jobs.keys()].sort()).toEqual(['digest-1', 'reminder-kept', 'reminder-new']);
  });

  it('runs again a job that ended while its row still expects it', async () => {
    const { jobs, jobQueue } = fakeQueue(() => clock);
    const rows = [{ id: 'a', dueAt: new Date(now.getTime() + 2 * HOUR) }];
    const reconciler = new JobReconciler(jobQueue, sourceOf(rows), { horizonMs: 6 * HOUR });
    await reconciler.reconcile(now);
    jobs.get('reminder-a')!.finishedOn = clock;
    clock += 1_000;

    expect(await reconciler.reconcile(new Date(clock))).toMatchObject({ replaced: 1 });
    expect(jobs.get('reminder-a')?.finishedOn).toBeUndefined();
  });

  it('ends the pass when Redis is down rather than failing every row one by one', async () => {
    const { jobQueue } = fakeQueue(() => clock);
    const client = await jobQueue.queue.client;
    const exec = jest
      .fn()
      .mockRejectedValue(new DependencyUnavailableError('Redis', 'Connection is closed.'));
    jest.spyOn(client, 'pipeline').mockReturnValue({ hmget: () => undefined, exec } as never);
    const rows = Array.from({ length: 3 }, (_, n) => ({
      id: `r${n}`,
      dueAt: new Date(now.getTime() + 2 * HOUR),
    }));

    await expect(
      new JobReconciler(jobQueue, sourceOf(rows), { horizonMs: 6 * HOUR, batchSize: 1 }).reconcile(now),
    ).rejects.toThrow('Connection is closed.');
    expect(exec).toHaveBeenCalledTimes(1);
  });

  it('gives a caller arriving during a pass the next pass, shared by those who wait with it', async () => {
    const { jobQueue } = fakeQueue(() => clock);
    const rows = [{ id: 'a', dueAt: new Date(now.getTime() + 2 * HOUR) }];
    const source = sourceOf(rows);
    let passes = 0;
    // Each pass reads the table as it is when the pass begins.
    source.expected = (window) => {
      passes += 1;
      return sourceOf([...rows]).expected(window);
    };
    const reconciler = new JobReconciler(jobQueue, source, { horizonMs: 6 * HOUR });

    const first = reconciler.reconcile(now);
    rows.push({ id: 'b', dueAt: new Date(now.getTime() + 3 * HOUR) }); // written while the first pass runs
    const [second, third] = [reconciler.reconcile(now), reconciler.reconcile(now)];

    expect(await first).toMatchObject({ added: 1 });
    expect(await second).toMatchObject({ added: 1, expected: 2 });
    expect(await third).toBe(await second);
    expect(passes).toBe(2);
  });
});
