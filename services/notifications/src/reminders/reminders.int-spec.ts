import { Logger } from '@nestjs/common';
import { EventOutbox, JobHandlers, parseConfig, serviceDataSourceOptions } from '@nmirf/platform';
import type { Job } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ActionFollowUp, type TransactionScope } from '../action-events/action-follow-up';
import { alertSettings, workerConfigSchema } from '../config';
import { Deadline } from '../deadlines/deadline.entity';
import { InboxService } from '../inbox/inbox.service';
import { waitFor } from '@nmirf/testing';
import { createMigratedDatabase, REDIS_URL, uniqueName } from '../testing/integration';
import { DeadlineAlerts } from './deadline-alerts';
import { DeadlineJobQueue } from './deadline-job-queue';
import { DeadlineJobNames, escalationJobId, reminderJobId, type DeadlineJobData } from './deadline-jobs';
import { DeadlineRemindersProcessor } from './deadline-reminders.processor';
import { DeadlinesWorker } from './deadlines-worker';
import { ReminderReconciler } from './reminder-reconciler';

jest.setTimeout(30_000);
Logger.overrideLogger(['warn', 'error']);

const INSTITUTION = 'Ministry of Justice';
const COORDINATOR = 'NMIRF Secretariat';

// Reminders 1 s before and on the due date, escalation 1 s after: the whole life of a deadline in seconds.
const settings = alertSettings(
  parseConfig(workerConfigSchema, {
    SERVICE_NAME: 'notifications',
    OIDC_ISSUER_URL: 'http://127.0.0.1:8180/realms/nmirf',
    DATABASE_URL: 'postgres://unused',
    REDIS_URL,
    KAFKA_BROKERS: 'localhost:9092',
    REMINDER_OFFSETS: '1s,0s',
    ESCALATE_AFTER: '1s',
    // One step: the ladder has its own test (escalation.int-spec.ts).
    ESCALATION_LADDER: 'focal_point',
    COORDINATOR_INSTITUTION: COORDINATOR,
  }),
);

describe('deadline reminders on PostgreSQL and Redis', () => {
  let database: Awaited<ReturnType<typeof createMigratedDatabase>>;
  let dataSource: DataSource;
  let queue: DeadlineJobQueue;
  let followUp: ActionFollowUp;
  let reconciler: ReminderReconciler;
  let worker: DeadlinesWorker;
  let inbox: InboxService;

  beforeAll(async () => {
    database = await createMigratedDatabase();
    dataSource = await new DataSource(serviceDataSourceOptions(database.options)).initialize();
    const prefix = uniqueName('notif-it');
    queue = new DeadlineJobQueue(REDIS_URL, prefix, settings);
    followUp = new ActionFollowUp(queue);
    const alerts = new DeadlineAlerts(
      dataSource,
      new EventOutbox('notifications', '', 'outbox_notifications'),
      settings,
    );
    reconciler = new ReminderReconciler(dataSource, queue, settings);
    // The periodic reconciliation is left to the test: an hour is never reached.
    worker = new DeadlinesWorker(
      dataSource,
      JobHandlers.among(new DeadlineRemindersProcessor(alerts)),
      reconciler,
      {
        redisUrl: REDIS_URL,
        queuePrefix: prefix,
        reconcileIntervalMs: 3_600_000,
      },
    );
    worker.onApplicationBootstrap();
    await worker.whenStarted();
    inbox = new InboxService(dataSource);
  });

  afterAll(async () => {
    await worker?.beforeApplicationShutdown();
    await queue?.jobs.queue.obliterate({ force: true }).catch(() => undefined);
    await queue?.onApplicationShutdown();
    await dataSource?.destroy();
    await database?.drop();
  });

  /** Like the Kafka consumer: the use case in a transaction, then its after-commit work. */
  async function applyEvent(work: (scope: TransactionScope) => Promise<void>): Promise<void> {
    const afterCommit: Array<() => Promise<unknown>> = [];
    await dataSource.transaction((manager) =>
      work({ manager, afterCommit: (job) => void afterCommit.push(job) }),
    );
    for (const job of afterCommit) await job();
  }

  function assign(actionId: string, dueAt: Date): Promise<void> {
    return applyEvent((scope) =>
      followUp.actionAssigned(
        {
          eventId: randomUUID(),
          correlationId: randomUUID(),
          actionId,
          title: 'Adopt a national action plan against trafficking',
          institution: INSTITUTION,
          previousInstitution: '',
          dueAt,
          status: 'not_started',
        },
        scope,
      ),
    );
  }

  async function notificationsOf(institution: string, actionId: string) {
    const { items } = await inbox.list(institution, { limit: 200, offset: 0 });
    return items.filter((item) => item.actionId === actionId);
  }

  const kinds = (items: Array<{ kind: string }>) => items.map((item) => item.kind).sort();

  function jobIds(actionId: string): string[] {
    return [reminderJobId(actionId, 1), reminderJobId(actionId, 0), escalationJobId(actionId)];
  }

  async function jobStates(actionId: string): Promise<string[]> {
    return Promise.all(
      jobIds(actionId).map(async (id) => (await queue.jobs.queue.getJob(id))?.getState() ?? 'missing'),
    );
  }

  async function sentOffsets(actionId: string): Promise<number[]> {
    const rows: Array<{ offset_seconds: number }> = await dataSource.query(
      `SELECT offset_seconds FROM reminders_sent WHERE action_id = $1 ORDER BY offset_seconds DESC`,
      [actionId],
    );
    return rows.map((row) => row.offset_seconds);
  }

  /** Re-adds a job as if it were delivered again, and waits for its result. */
  async function runAgain(actionId: string, offsetSeconds: number, dueAt: Date): Promise<unknown> {
    const id = reminderJobId(actionId, offsetSeconds);
    const data = { actionId, dueAt: dueAt.toISOString(), offsetSeconds, correlationId: randomUUID() };
    await queue.jobs.reschedule(DeadlineJobNames['deadline-reminder'], id, data, 0);
    const job = await waitFor(`job ${id} to finish`, async () => {
      const found = await queue.jobs.queue.getJob(id);
      return found?.finishedOn !== undefined ? found : undefined;
    });
    return job.returnvalue;
  }

  it('sends each planned reminder once, then escalates to the institution and the coordinator', async () => {
    const actionId = randomUUID();
    const dueAt = new Date(Date.now() + 2_000);
    await assign(actionId, dueAt);

    expect(kinds(await notificationsOf(INSTITUTION, actionId))).toEqual(['action_assigned']);
    await waitFor('every job to complete', async () =>
      (await jobStates(actionId)).every((state) => state === 'completed'),
    );

    const received = await notificationsOf(INSTITUTION, actionId);
    expect(kinds(received)).toEqual([
      'action_assigned',
      'action_overdue',
      'deadline_reminder',
      'deadline_reminder',
      'escalation',
    ]);
    expect(
      received
        .filter((item) => item.kind === 'deadline_reminder')
        .map((item) => item.params)
        .sort(
          (a, b) =>
            ('offsetSeconds' in b ? b.offsetSeconds : 0) - ('offsetSeconds' in a ? a.offsetSeconds : 0),
        ),
    ).toEqual([
      {
        title: 'Adopt a national action plan against trafficking',
        dueAt: dueAt.toISOString(),
        offsetSeconds: 1,
      },
      {
        title: 'Adopt a national action plan against trafficking',
        dueAt: dueAt.toISOString(),
        offsetSeconds: 0,
      },
    ]);
    const coordinatorCopy = await notificationsOf(COORDINATOR, actionId);
    expect(coordinatorCopy.map(({ kind, params }) => ({ kind, params }))).toEqual([
      {
        kind: 'action_overdue',
        params: {
          title: 'Adopt a national action plan against trafficking',
          dueAt: dueAt.toISOString(),
          institution: INSTITUTION,
        },
      },
    ]);
    expect(await sentOffsets(actionId)).toEqual([1, 0, -1]);
    const [events] = await dataSource.query(
      `SELECT count(*)::int AS n FROM outbox WHERE event_type = 'DeadlineReminderSent' AND message_key = $1`,
      [actionId],
    );
    expect(events.n).toBe(2);
  });

  it('stops reminding once the action is completed', async () => {
    const actionId = randomUUID();
    const dueAt = new Date(Date.now() + 3_000);
    await assign(actionId, dueAt);
    expect(await jobStates(actionId)).toEqual(['delayed', 'delayed', 'delayed']);

    await applyEvent((scope) =>
      followUp.progressReported(
        {
          eventId: randomUUID(),
          correlationId: randomUUID(),
          actionId,
          previousStatus: 'in_progress',
          status: 'completed',
          dueAt,
        },
        scope,
      ),
    );

    expect(await dataSource.manager.findOneByOrFail(Deadline, { actionId })).toMatchObject({ open: false });
    expect(await jobStates(actionId)).toEqual(['missing', 'missing', 'missing']);
    // A job that escaped cancellation (e.g. it was already running) finds the deadline closed.
    expect(await runAgain(actionId, 0, dueAt)).toBe('stale');
    await reconciler.reconcile();
    expect(await jobStates(actionId)).toEqual(['missing', 'completed', 'missing']);
    expect(kinds(await notificationsOf(INSTITUTION, actionId))).toEqual(['action_assigned']);
    expect(await sentOffsets(actionId)).toEqual([]);
  });

  it('rebuilds lost jobs from PostgreSQL after Redis is wiped, without sending anything twice', async () => {
    const actionId = randomUUID();
    const dueAt = new Date(Date.now() + 4_000);
    await assign(actionId, dueAt);

    await queue.jobs.queue.obliterate({ force: true }); // Redis lost its data
    expect(await jobStates(actionId)).toEqual(['missing', 'missing', 'missing']);

    expect(await reconciler.reconcile()).toMatchObject({ added: 3, replaced: 0 });
    expect(await jobStates(actionId)).toEqual(['delayed', 'delayed', 'delayed']);
    expect(await reconciler.reconcile()).toMatchObject({ added: 0, replaced: 0 });

    await waitFor('every job to complete', async () =>
      (await jobStates(actionId)).every((state) => state === 'completed'),
    );
    expect(await sentOffsets(actionId)).toEqual([1, 0, -1]);

    // Lost again after everything went out: nothing is left to restore, and a duplicate job sends nothing.
    await queue.jobs.queue.obliterate({ force: true });
    expect(await reconciler.reconcile()).toMatchObject({ added: 0, replaced: 0 });
    expect(await runAgain(actionId, 0, dueAt)).toBe('already-sent');

    expect(kinds(await notificationsOf(INSTITUTION, actionId))).toEqual([
      'action_assigned',
      'action_overdue',
      'deadline_reminder',
      'deadline_reminder',
      'escalation',
    ]);
    expect(kinds(await notificationsOf(COORDINATOR, actionId))).toEqual(['action_overdue']);
  });

  it('schedules every good deadline when one row holds an impossible due date, and leaves that one out', async () => {
    const good = [randomUUID(), randomUUID(), randomUUID()];
    const poison = randomUUID();
    const dueAt = new Date(Date.now() + 3_600_000);
    // The poison row sorts among the good ones; its date is the last day a JavaScript Date can hold.
    for (const [actionId, due] of [
      [good[0], dueAt.toISOString()],
      [poison, '275760-09-13 00:00:00+00'],
      [good[1], dueAt.toISOString()],
      [good[2], dueAt.toISOString()],
    ]) {
      await dataSource.query(
        `INSERT INTO deadlines (action_id, institution, title, due_at, open) VALUES ($1, $2, 'Poison test', $3, true)`,
        [actionId, INSTITUTION, due],
      );
    }

    const result = await reconciler.reconcile();

    // Its jobs lie far beyond the horizon: the pass's index range never reads the row.
    expect(result.failed).toBe(0);
    for (const actionId of good) expect(await jobStates(actionId)).toEqual(['delayed', 'delayed', 'delayed']);
    expect(await jobStates(poison)).toEqual(['missing', 'missing', 'missing']);
    // Rescheduling it directly (as an event's after-commit work would) is refused the same way.
    await expect(
      queue.reschedule({ actionId: poison, dueAt: new Date(8.64e15), correlationId: randomUUID() }),
    ).rejects.toThrow(/outside the accepted window/);
    expect(await jobStates(poison)).toEqual(['missing', 'missing', 'missing']);

    await dataSource.query(`UPDATE deadlines SET open = false WHERE action_id = ANY($1::uuid[])`, [
      [...good, poison],
    ]);
    for (const actionId of good) await queue.cancelAll(actionId);
  });

  it('removes the jobs of a deadline closed or moved while its after-commit cancel was lost', async () => {
    const closed = randomUUID();
    const moved = randomUUID();
    const postponed = randomUUID();
    const dueAt = new Date(Date.now() + 3_600_000);
    for (const actionId of [closed, moved, postponed]) await assign(actionId, dueAt);
    // The state changes commit, but the jobs are not touched (as if the process died right after).
    await dataSource.query(`UPDATE deadlines SET open = false WHERE action_id = $1`, [closed]);
    const later = new Date(dueAt.getTime() + 2 * 3_600_000); // still within the horizon (6h)
    await dataSource.query(`UPDATE deadlines SET due_at = $2 WHERE action_id = $1`, [moved, later]);
    const nextWeek = new Date(dueAt.getTime() + 7 * 86_400_000); // beyond it
    await dataSource.query(`UPDATE deadlines SET due_at = $2 WHERE action_id = $1`, [postponed, nextWeek]);
    expect(await jobStates(closed)).toEqual(['delayed', 'delayed', 'delayed']);

    const result = await reconciler.reconcile();

    // The closed and the postponed deadlines' jobs go; the moved one's are planned again for the new date.
    expect(result).toMatchObject({ removed: 6, replaced: 3 });
    expect(await jobStates(closed)).toEqual(['missing', 'missing', 'missing']);
    expect(await jobStates(postponed)).toEqual(['missing', 'missing', 'missing']);
    const planned = await Promise.all(
      (await queue.jobs.queue.getJobs(['delayed'])).filter((job) => job.data.actionId === moved),
    );
    expect(planned.map((job) => job.data.dueAt)).toEqual([
      later.toISOString(),
      later.toISOString(),
      later.toISOString(),
    ]);
    await dataSource.query(`UPDATE deadlines SET open = false WHERE action_id = ANY($1::uuid[])`, [
      [moved, postponed],
    ]);
    await queue.cancelAll(moved);
  });

  it('sends the reminders due together in one transaction, each once, however many jobs ask', async () => {
    const alerts = new DeadlineAlerts(
      dataSource,
      new EventOutbox('notifications', '', 'outbox_notifications'),
      settings,
    );
    // Twelve deadlines whose on-the-day reminder came in the last second, and one still to come.
    const dueAt = new Date(Date.now() - 1_000);
    const together = Array.from({ length: 12 }, () => randomUUID());
    const later = randomUUID();
    await dataSource.query(
      `INSERT INTO deadlines (action_id, institution, title, due_at, open)
       SELECT id, 'Ministry ' || ord, 'Burst ' || ord, $2, true FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, ord)`,
      [together, dueAt],
    );
    await dataSource.query(
      `INSERT INTO deadlines (action_id, institution, title, due_at, open) VALUES ($1, 'Later', 'Later', $2, true)`,
      [later, new Date(Date.now() + 3_600_000)],
    );
    // Two jobs of the burst at once, as two workers would run them; then every other job.
    const first = await Promise.all(
      together.slice(0, 2).map((actionId) => alerts.sendReminder({ actionId, dueAt, offsetSeconds: 0 })),
    );
    expect(first.reduce((sum, firing) => sum + firing.sent.length, 0)).toBe(12);
    // Whichever locked a deadline first sent it; the other skipped it.
    expect(first.map((firing) => firing.outcome)).toContain('sent');
    for (const actionId of together.slice(2))
      expect(await alerts.sendReminder({ actionId, dueAt, offsetSeconds: 0 })).toEqual({
        outcome: 'already-sent',
        sent: [],
      });
    const [counts] = await dataSource.query(
      `SELECT (SELECT count(*)::int FROM reminders_sent WHERE action_id = ANY ($1::uuid[])) AS recorded,
              (SELECT count(*)::int FROM notifications WHERE action_id = ANY ($1::uuid[]) AND kind = 'deadline_reminder') AS notified,
              (SELECT count(*)::int FROM outbox WHERE event_type LIKE '%DeadlineReminderSent' AND message_key = ANY ($2::text[])) AS events,
              (SELECT count(*)::int FROM reminders_sent WHERE action_id = $3) AS early`,
      [together, together, later],
    );
    expect(counts).toEqual({ recorded: 12, notified: 12, events: 12, early: 0 });
    // Each institution its own notification, with its own deadline's facts.
    const rows: Array<{ institution: string; title: string }> = await dataSource.query(
      `SELECT institution, params ->> 'title' AS title FROM notifications WHERE action_id = ANY ($1::uuid[])`,
      [together],
    );
    expect(new Set(rows.map((row) => `${row.institution}/${row.title.replace('Burst ', '')}`)).size).toBe(12);
    expect(rows.every((row) => row.institution === `Ministry ${row.title.replace('Burst ', '')}`)).toBe(true);
    // Done with them: no later pass of this file plans their escalations.
    await dataSource.query(`UPDATE deadlines SET open = false WHERE action_id = ANY ($1::uuid[])`, [
      [...together, later],
    ]);
  });

  it('drops from Redis the jobs of the reminders a batch sent, and keeps the others', async () => {
    const alerts = new DeadlineAlerts(
      dataSource,
      new EventOutbox('notifications', '', 'outbox_notifications'),
      settings,
    );
    const processor = new DeadlineRemindersProcessor(alerts, queue);
    const dueAt = new Date(Date.now() - 1_000);
    const together = Array.from({ length: 5 }, () => randomUUID());
    const moved = randomUUID();
    await dataSource.query(
      `INSERT INTO deadlines (action_id, institution, title, due_at, open)
       SELECT id, 'Ministry of Justice', 'Batch', $2, true FROM unnest($1::uuid[]) AS t(id)`,
      [[...together, moved], dueAt],
    );
    // Their jobs wait in Redis (an hour away, so this test alone runs them); one still carries an
    // older date: its deadline moved, and that job is not the one the batch made redundant.
    for (const actionId of [...together, moved])
      await queue.jobs.ensure(
        DeadlineJobNames['deadline-reminder'],
        reminderJobId(actionId, 0),
        {
          actionId,
          dueAt:
            actionId === moved ? new Date(dueAt.getTime() - 86_400_000).toISOString() : dueAt.toISOString(),
          offsetSeconds: 0,
          correlationId: randomUUID(),
        },
        3_600_000,
      );
    const job = {
      id: reminderJobId(together[0], 0),
      name: DeadlineJobNames['deadline-reminder'],
      data: {
        actionId: together[0],
        dueAt: dueAt.toISOString(),
        offsetSeconds: 0,
        correlationId: randomUUID(),
      },
    } as unknown as Job<DeadlineJobData>;
    expect(await processor.remind(job)).toBe('sent');
    const left = async (actionId: string) =>
      Boolean(await queue.jobs.queue.getJob(reminderJobId(actionId, 0)));
    expect(await Promise.all(together.map(left))).toEqual([true, false, false, false, false]);
    expect(await left(moved)).toBe(true);
    await queue.jobs.cancel(reminderJobId(together[0], 0));
    await queue.jobs.cancel(reminderJobId(moved, 0));
    await dataSource.query(`UPDATE deadlines SET open = false WHERE action_id = ANY ($1::uuid[])`, [
      [...together, moved],
    ]);
  });
});
