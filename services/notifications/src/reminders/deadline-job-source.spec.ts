import type { PlannedJob } from '@nmirf/platform';
import type { DataSource } from 'typeorm';
import type { AlertSettings } from './alert-settings';
import { DeadlineJobSource } from './deadline-job-source';
import type { DeadlineJobData } from './deadline-jobs';

const HOUR = 3_600;
const DAY = 86_400;
const settings: AlertSettings = {
  offsetsSeconds: [DAY, 0],
  escalateAfterSeconds: DAY,
  escalationSteps: 2,
  escalationIntervalSeconds: 2 * DAY,
  escalationLadder: ['focal_point', 'coordinator'],
  coordinatorInstitution: 'NMIRF Secretariat',
};
const horizon = { horizonSeconds: 6 * HOUR, catchUpSeconds: 3 * DAY, passEverySeconds: 300 };
const now = new Date('2026-06-01T00:00:00.000Z');
const until = new Date(now.getTime() + horizon.horizonSeconds * 1_000);
const at = (seconds: number) => new Date(now.getTime() + seconds * 1_000).toISOString();

/** PostgreSQL as the source sees it: one query per offset window, answered from `rowsFor`. */
function sourceWith(rowsFor: (offset: number) => Array<{ action_id: string; due_at: Date }>) {
  const query = jest.fn(async (_sql: string, params: unknown[]) => rowsFor(params[4] as number));
  const source = new DeadlineJobSource({ query } as unknown as DataSource, settings, horizon);
  return { source, query };
}

async function all(source: DeadlineJobSource): Promise<PlannedJob<DeadlineJobData>[]> {
  const jobs: PlannedJob<DeadlineJobData>[] = [];
  for await (const job of source.expected({ now, until })) jobs.push(job);
  return jobs;
}

describe('DeadlineJobSource: the horizon slice of each offset', () => {
  it('reads one due-date window per offset of the plan, reminders, on-the-day and every escalation step', async () => {
    const { source, query } = sourceWith(() => []);
    await all(source);

    const windows = query.mock.calls.map(([, params]) => ({
      offset: params[4],
      dueAfter: (params[0] as Date).toISOString(),
      dueUntil: (params[1] as Date).toISOString(),
    }));
    expect(windows).toEqual([
      // "1 day left": only its future; a reminder before the date whose moment passed is never sent.
      { offset: DAY, dueAfter: at(DAY), dueUntil: at(DAY + 6 * HOUR) },
      // On the day, and the escalation steps: sent late, back to the catch-up limit.
      { offset: 0, dueAfter: at(-3 * DAY), dueUntil: at(6 * HOUR) },
      { offset: -DAY, dueAfter: at(-4 * DAY), dueUntil: at(6 * HOUR - DAY) },
      { offset: -3 * DAY, dueAfter: at(-6 * DAY), dueUntil: at(6 * HOUR - 3 * DAY) },
    ]);
  });

  it('plans the job of the window’s offset for each row, with deterministic ids', async () => {
    const dueSoon = new Date(now.getTime() + 2 * HOUR * 1_000);
    const overdue = new Date(now.getTime() - DAY * 1_000 + HOUR * 1_000);
    const { source } = sourceWith((offset) => {
      if (offset === 0) return [{ action_id: 'a', due_at: dueSoon }];
      if (offset === -DAY) return [{ action_id: 'b', due_at: overdue }];
      return [];
    });

    const jobs = await all(source);

    expect(jobs.map(({ id, kind, runAt, data }) => ({ id, kind, runAt: runAt.toISOString(), data }))).toEqual(
      [
        {
          id: 'reminder-a-0',
          kind: 'deadline-reminder',
          runAt: dueSoon.toISOString(),
          data: expect.objectContaining({ actionId: 'a', dueAt: dueSoon.toISOString(), offsetSeconds: 0 }),
        },
        {
          id: 'escalation-b',
          kind: 'overdue-escalation',
          runAt: at(HOUR),
          data: expect.objectContaining({ actionId: 'b', offsetSeconds: -DAY }),
        },
      ],
    );
  });

  it('pages through a window by due date and id', async () => {
    const rows = Array.from({ length: 1_000 }, (_, index) => ({
      action_id: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
      due_at: new Date(now.getTime() + HOUR * 1_000),
    }));
    let served = false;
    const { source, query } = sourceWith((offset) => {
      if (offset !== 0 || served) return [];
      served = true;
      return rows;
    });

    expect(await all(source)).toHaveLength(1_000);
    const next = query.mock.calls.find(([, params]) => params[4] === 0 && params[2] !== null);
    expect(next?.[1].slice(2, 4)).toEqual([rows[999].due_at, rows[999].action_id]);
  });
});
