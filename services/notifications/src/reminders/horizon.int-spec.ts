import { Logger } from '@nestjs/common';
import {
  EventOutbox,
  JobHandlers,
  parseConfig,
  RECONCILE_PASS,
  serviceDataSourceOptions,
} from '@nmirf/platform';
import { waitFor } from '@nmirf/testing';
import IORedis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { alertSettings, workerConfigSchema } from '../config';
import { createMigratedDatabase, REDIS_URL, uniqueName } from '../testing/integration';
import { DeadlineAlerts } from './deadline-alerts';
import { DeadlineJobQueue } from './deadline-job-queue';
import { escalationJobId, reminderJobId } from './deadline-jobs';
import { DeadlineRemindersProcessor } from './deadline-reminders.processor';
import { DeadlinesWorker } from './deadlines-worker';
import type { HorizonSettings } from './horizon-settings';
import { ReminderReconciler } from './reminder-reconciler';

jest.setTimeout(60_000);
Logger.overrideLogger(['error']);

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

// A database of its own: FLUSHDB here looks to the worker exactly like FLUSHALL, and spares the
// other test files that share this Redis.
const redisUrl = (() => {
  const url = new URL(REDIS_URL);
  url.pathname = '/12';
  return url.toString();
})();

const settings = alertSettings(
  parseConfig(workerConfigSchema, {
    SERVICE_NAME: 'notifications',
    OIDC_ISSUER_URL: 'http://127.0.0.1:8180/realms/nmirf',
    DATABASE_URL: 'postgres://unused',
    REDIS_URL: redisUrl,
    KAFKA_BROKERS: 'localhost:9092',
    REMINDER_OFFSETS: '1d,0s',
    ESCALATE_AFTER: '1h',
    ESCALATION_LADDER: 'focal_point',
  }),
);
const horizon: HorizonSettings = {
  horizonSeconds: 6 * 3_600,
  catchUpSeconds: 3 * 86_400,
  passEverySeconds: 3_600,
};

describe('the horizon pass of the deadlines queue on PostgreSQL and Redis', () => {
  let database: Awaited<ReturnType<typeof createMigratedDatabase>>;
  let dataSource: DataSource;
  let queue: DeadlineJobQueue;
  let reconciler: ReminderReconciler;
  let admin: IORedis;

  beforeAll(async () => {
    database = await createMigratedDatabase();
    dataSource = await new DataSource(serviceDataSourceOptions(database.options)).initialize();
    queue = new DeadlineJobQueue(redisUrl, uniqueName('horizon-it'), settings, horizon);
    reconciler = new ReminderReconciler(dataSource, queue, settings, horizon);
    admin = new IORedis(redisUrl);
  });

  afterAll(async () => {
    await queue?.jobs.queue.obliterate({ force: true }).catch(() => undefined);
    await queue?.onApplicationShutdown();
    await admin?.quit();
    await dataSource?.destroy();
    await database?.drop();
  });

  beforeEach(async () => {
    await dataSource.query(`UPDATE deadlines SET open = false`);
    await reconciler.reconcile(); // empties the queue of the previous test's jobs
  });

  async function deadline(dueInMs: number): Promise<string> {
    const actionId = randomUUID();
    await dataSource.query(
      `INSERT INTO deadlines (action_id, institution, title, due_at, open) VALUES ($1, 'Ministry of Justice', 'Horizon', $2, true)`,
      [actionId, new Date(Date.now() + dueInMs)],
    );
    return actionId;
  }

  const moveTo = (actionId: string, dueInMs: number) =>
    dataSource.query(`UPDATE deadlines SET due_at = $2 WHERE action_id = $1`, [
      actionId,
      new Date(Date.now() + dueInMs),
    ]);

  async function pending(): Promise<Map<string, string>> {
    const jobs = await queue.jobs.queue.getJobs(['delayed', 'waiting']);
    return new Map(
      jobs.filter((job) => job.name !== RECONCILE_PASS).map((job) => [String(job.id), job.data.dueAt]),
    );
  }

  it('puts in Redis only what falls due within the horizon, moves a date changed inside it, and drops one moved out', async () => {
    const soon = await deadline(HOUR); // on-the-day reminder in 1 h, escalation in 2 h
    const later = await deadline(4 * HOUR); // in 4 h and 5 h
    const nextWeek = await deadline(7 * DAY); // "1 day left" in 6 days: beyond the horizon

    expect(await reconciler.reconcile()).toMatchObject({ expected: 4, added: 4, replaced: 0, removed: 0 });
    expect([...(await pending()).keys()].sort()).toEqual(
      [reminderJobId(soon, 0), escalationJobId(soon), reminderJobId(later, 0), escalationJobId(later)].sort(),
    );
    expect(await reconciler.reconcile()).toMatchObject({ added: 0, replaced: 0, removed: 0 });

    // A date moved inside the horizon moves its jobs; one moved beyond it takes them out of Redis.
    await moveTo(later, 3 * HOUR);
    await moveTo(soon, 3 * DAY);
    // And one that comes into the horizon is picked up.
    await moveTo(nextWeek, 2 * HOUR);

    expect(await reconciler.reconcile()).toMatchObject({ added: 2, replaced: 2, removed: 2 });
    const jobs = await pending();
    expect([...jobs.keys()].sort()).toEqual(
      [
        reminderJobId(later, 0),
        escalationJobId(later),
        reminderJobId(nextWeek, 0),
        escalationJobId(nextWeek),
      ].sort(),
    );
    const [{ due_at: laterDue }] = await dataSource.query(
      `SELECT due_at FROM deadlines WHERE action_id = $1`,
      [later],
    );
    expect(jobs.get(reminderJobId(later, 0))).toBe((laterDue as Date).toISOString());
  });

  it('skips the alerts already sent', async () => {
    const actionId = await deadline(HOUR);
    const [{ due_at: dueAt }] = await dataSource.query(`SELECT due_at FROM deadlines WHERE action_id = $1`, [
      actionId,
    ]);
    await dataSource.query(
      `INSERT INTO reminders_sent (action_id, offset_seconds, due_at, notification_id) VALUES ($1, 0, $2, $3)`,
      [actionId, dueAt, randomUUID()],
    );

    await reconciler.reconcile();

    expect([...(await pending()).keys()]).toEqual([escalationJobId(actionId)]);
  });

  it('rebuilds the horizon, and its own job scheduler, within seconds of a FLUSHALL', async () => {
    const actionIds = [await deadline(HOUR), await deadline(2 * HOUR), await deadline(5 * HOUR)];
    const alerts = new DeadlineAlerts(
      dataSource,
      new EventOutbox('notifications', '', 'outbox_notifications'),
      settings,
    );
    const worker = new DeadlinesWorker(
      dataSource,
      JobHandlers.among(new DeadlineRemindersProcessor(alerts)),
      reconciler,
      {
        redisUrl,
        queuePrefix: queue.jobs.queue.opts.prefix ?? 'bull',
        reconcileIntervalMs: 3_600_000,
        checkRedisEveryMs: 200,
      },
    );
    worker.onApplicationBootstrap();
    try {
      await worker.whenStarted();
      const expected = actionIds.flatMap((id) => [reminderJobId(id, 0), escalationJobId(id)]).sort();
      expect([...(await pending()).keys()].sort()).toEqual(expected);
      expect((await queue.jobs.queue.getJobSchedulers()).map((scheduler) => scheduler.key)).toEqual([
        RECONCILE_PASS,
      ]);

      await admin.flushdb();
      expect(await pending()).toEqual(new Map());

      await waitFor('the horizon back in Redis', async () => (await pending()).size === expected.length, {
        timeoutMs: 20_000,
      });
      expect([...(await pending()).keys()].sort()).toEqual(expected);
      expect((await queue.jobs.queue.getJobSchedulers()).map((scheduler) => scheduler.key)).toEqual([
        RECONCILE_PASS,
      ]);
    } finally {
      await worker.beforeApplicationShutdown();
    }
  });
});
