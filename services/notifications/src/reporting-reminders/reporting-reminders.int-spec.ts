import { Logger } from '@nestjs/common';
import { JobHandlers, parseConfig, serviceDataSourceOptions } from '@nmirf/platform';
import { waitFor } from '@nmirf/testing';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { TransactionScope } from '../action-events/action-follow-up';
import {
  ReportingDeadlineFollowUp,
  type ReportingDeadlineChange,
} from '../calendar-events/reporting-deadline-follow-up';
import { ReportingDeadlinesService } from '../calendar-events/reporting-deadlines.service';
import { alertSettings, workerConfigSchema } from '../config';
import { IndicatorFollowUp, type IndicatorSchedule } from '../indicator-events/indicator-follow-up';
import { InboxService } from '../inbox/inbox.service';
import { createMigratedDatabase, REDIS_URL, uniqueName } from '../testing/integration';
import { ReportingReminderAlerts } from './reporting-reminder-alerts';
import { ReportingReminderJobNames, reportingReminderJobId } from './reporting-reminder-jobs';
import { ReportingReminderQueue } from './reporting-reminder-queue';
import { ReportingReminderReconciler } from './reporting-reminder-reconciler';
import { ReportingRemindersProcessor } from './reporting-reminders.processor';
import { ReportingRemindersWorker } from './reporting-reminders-worker';
import type { ReminderSubjectKind } from './reporting-reminder-plan';

jest.setTimeout(30_000);
Logger.overrideLogger(['warn', 'error']);

const COORDINATOR = 'NMIRF Secretariat';
const JUSTICE = 'Ministry of Justice';
const INTERIOR = 'Ministry of Interior';
const DAY = 86_400;

// The real plan (14 and 3 days before, on the day); an indicator is overdue 1 s into its due day, so
// a deadline due today has its reminder on the day and its overdue notice due at once.
const settings = alertSettings(
  parseConfig(workerConfigSchema, {
    SERVICE_NAME: 'notifications',
    OIDC_ISSUER_URL: 'http://127.0.0.1:8180/realms/nmirf',
    DATABASE_URL: 'postgres://unused',
    REDIS_URL,
    KAFKA_BROKERS: 'localhost:9092',
    REMINDER_OFFSETS: '14d,3d,0s',
    ESCALATE_AFTER: '1s',
    COORDINATOR_INSTITUTION: COORDINATOR,
  }),
);

const wideHorizon = { horizonSeconds: 400 * DAY, catchUpSeconds: 3 * DAY, passEverySeconds: 300 };

const dayFromToday = (days: number): string =>
  new Date(Date.now() + days * DAY * 1_000).toISOString().slice(0, 10);

describe('reminders of reporting deadlines and indicators on PostgreSQL and Redis', () => {
  let database: Awaited<ReturnType<typeof createMigratedDatabase>>;
  let dataSource: DataSource;
  let queue: ReportingReminderQueue;
  let calendar: ReportingDeadlineFollowUp;
  let indicators: IndicatorFollowUp;
  let reconciler: ReportingReminderReconciler;
  let worker: ReportingRemindersWorker;
  let inbox: InboxService;

  beforeAll(async () => {
    database = await createMigratedDatabase();
    dataSource = await new DataSource(serviceDataSourceOptions(database.options)).initialize();
    const prefix = uniqueName('notif-rr-it');
    // The whole plan in Redis, as these tests look 70 days ahead; the horizon has its own test.
    queue = new ReportingReminderQueue(REDIS_URL, prefix, settings, wideHorizon);
    calendar = new ReportingDeadlineFollowUp(settings, queue);
    indicators = new IndicatorFollowUp(queue);
    reconciler = new ReportingReminderReconciler(dataSource, queue, settings, wideHorizon);
    // The periodic reconciliation is left to the test: an hour is never reached.
    worker = new ReportingRemindersWorker(
      dataSource,
      JobHandlers.among(new ReportingRemindersProcessor(new ReportingReminderAlerts(dataSource, settings))),
      reconciler,
      { redisUrl: REDIS_URL, queuePrefix: prefix, reconcileIntervalMs: 3_600_000 },
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

  function reportingDeadline(
    deadlineId: string,
    dueOn: string,
    change: Partial<ReportingDeadlineChange> = {},
  ): Promise<void> {
    return applyEvent((scope) =>
      calendar.deadlineChanged(
        {
          deadlineId,
          kind: 'upr_mid_term_report',
          state: 'SVN',
          mechanism: 'upr',
          body: 'UPR',
          cycle: '4',
          titleKey: 'upr_mid_term_report.title',
          titleParams: { body: 'UPR', cycle: '4', source: 'A/HRC/58/15' },
          dueOn,
          estimated: false,
          source: 'A/HRC/58/15',
          open: true,
          sequence: 0,
          correlationId: randomUUID(),
          ...change,
        },
        scope,
      ),
    );
  }

  function indicatorScheduled(indicatorId: string, dueOn: string, change: Partial<IndicatorSchedule> = {}) {
    return applyEvent((scope) =>
      indicators.indicatorScheduled(
        {
          indicatorId,
          name: 'Judges trained on the Convention',
          subjectKind: 'action',
          subjectId: randomUUID(),
          institutions: [JUSTICE, INTERIOR],
          frequency: 'quarterly',
          dueOn,
          latestMeasuredOn: null,
          correlationId: randomUUID(),
          ...change,
        },
        scope,
      ),
    );
  }

  async function notificationsAbout(institution: string, subjectId: string) {
    const { items } = await inbox.list(institution, { limit: 200, offset: 0 });
    return items.filter((item) => item.subjectId === subjectId);
  }

  const kinds = (items: Array<{ kind: string }>) => items.map((item) => item.kind).sort();

  function jobIdsOf(kind: ReminderSubjectKind, id: string): string[] {
    const reminders = [14 * DAY, 3 * DAY, 0].map((offsetSeconds) =>
      reportingReminderJobId(kind, id, { kind: 'reminder', offsetSeconds }),
    );
    return kind === 'indicator'
      ? [...reminders, reportingReminderJobId(kind, id, { kind: 'escalation', offsetSeconds: -1 })]
      : reminders;
  }

  async function jobStates(kind: ReminderSubjectKind, id: string): Promise<string[]> {
    return Promise.all(
      jobIdsOf(kind, id).map(
        async (jobId) => (await queue.jobs.queue.getJob(jobId))?.getState() ?? 'missing',
      ),
    );
  }

  async function jobDays(kind: ReminderSubjectKind, id: string): Promise<Array<string | null>> {
    return Promise.all(
      jobIdsOf(kind, id).map(async (jobId) => (await queue.jobs.queue.getJob(jobId))?.data.dueOn ?? null),
    );
  }

  async function sentOffsets(kind: ReminderSubjectKind, id: string): Promise<number[]> {
    const rows: Array<{ offset_seconds: number }> = await dataSource.query(
      `SELECT offset_seconds FROM reporting_reminders_sent WHERE subject_kind = $1 AND subject_id = $2
        ORDER BY offset_seconds DESC`,
      [kind, id],
    );
    return rows.map((row) => row.offset_seconds);
  }

  /** Adds a job again as if it were delivered a second time, and waits for its result. */
  async function runAgain(
    kind: ReminderSubjectKind,
    id: string,
    dueOn: string,
    job: { kind: 'reminder' | 'escalation'; offsetSeconds: number },
  ): Promise<unknown> {
    const jobId = reportingReminderJobId(kind, id, job);
    const name =
      kind === 'reporting_deadline'
        ? ReportingReminderJobNames['reporting-deadline-reminder']
        : job.kind === 'reminder'
          ? ReportingReminderJobNames['indicator-reminder']
          : ReportingReminderJobNames['indicator-overdue'];
    const data = {
      subjectKind: kind,
      subjectId: id,
      dueOn,
      offsetSeconds: job.offsetSeconds,
      correlationId: randomUUID(),
    };
    await queue.jobs.reschedule(name, jobId, data, 0);
    const done = await waitFor(`job ${jobId} to finish`, async () => {
      const found = await queue.jobs.queue.getJob(jobId);
      return found?.finishedOn !== undefined ? found : undefined;
    });
    return done.returnvalue;
  }

  it('delivers a reporting deadline’s reminder to the coordinator once, across a redelivered event and a reconciler run after Redis lost the jobs', async () => {
    const id = randomUUID();
    const today = dayFromToday(0);
    await reportingDeadline(id, today);
    // 14 and 3 days before have passed: only the reminder on the day is planned, and it is due now.
    await waitFor(
      'the reminder on the day to be sent',
      async () => (await jobStates('reporting_deadline', id))[2] === 'completed',
    );
    const received = await notificationsAbout(COORDINATOR, id);
    expect(
      received.map(({ kind, subjectKind, actionId, params }) => ({ kind, subjectKind, actionId, params })),
    ).toEqual([
      {
        kind: 'reporting_deadline_reminder',
        subjectKind: 'reporting_deadline',
        actionId: null,
        params: {
          titleKey: 'upr_mid_term_report.title',
          titleParams: { body: 'UPR', cycle: '4', source: 'A/HRC/58/15' },
          deadlineKind: 'upr_mid_term_report',
          dueOn: today,
          offsetSeconds: 0,
        },
      },
    ]);

    // The same event again (Kafka redelivers): the job is planned again and sends nothing.
    await reportingDeadline(id, today);
    await waitFor(
      'the replanned job to finish',
      async () => (await jobStates('reporting_deadline', id))[2] === 'completed',
    );
    expect(
      (
        await queue.jobs.queue.getJob(
          reportingReminderJobId('reporting_deadline', id, { kind: 'reminder', offsetSeconds: 0 }),
        )
      )?.returnvalue,
    ).toBe('already-sent');

    // Redis loses everything: the reconciler restores nothing already sent, and a stray duplicate sends nothing.
    await queue.jobs.queue.obliterate({ force: true });
    expect(await reconciler.reconcile()).toMatchObject({ added: 0, replaced: 0, failed: 0 });
    expect(await runAgain('reporting_deadline', id, today, { kind: 'reminder', offsetSeconds: 0 })).toBe(
      'already-sent',
    );
    expect(kinds(await notificationsAbout(COORDINATOR, id))).toEqual(['reporting_deadline_reminder']);
    expect(await sentOffsets('reporting_deadline', id)).toEqual([0]);
    // The coordinator sees it as sent, and nothing left to come.
    const view = await new ReportingDeadlinesService(dataSource, settings).get(id);
    expect(view.reminders).toEqual([]);
    expect(view.remindersSent).toEqual([
      { offsetSeconds: 0, dueOn: today, notificationId: received[0].id, sentAt: expect.any(String) },
    ]);
  });

  it('rebuilds a future deadline’s three reminders after Redis is wiped, once', async () => {
    const id = randomUUID();
    const dueOn = dayFromToday(30);
    await reportingDeadline(id, dueOn);
    expect(await jobStates('reporting_deadline', id)).toEqual(['delayed', 'delayed', 'delayed']);
    await queue.jobs.queue.obliterate({ force: true });
    expect(await jobStates('reporting_deadline', id)).toEqual(['missing', 'missing', 'missing']);

    expect(await reconciler.reconcile()).toMatchObject({ added: 3, failed: 0 });
    expect(await jobStates('reporting_deadline', id)).toEqual(['delayed', 'delayed', 'delayed']);
    expect(await jobDays('reporting_deadline', id)).toEqual([dueOn, dueOn, dueOn]);
    expect(await reconciler.reconcile()).toMatchObject({ added: 0, replaced: 0 });
    await reportingDeadline(id, dueOn, { open: false, sequence: 1 });
  });

  it('sends nothing for a closed deadline: its jobs go, a stray job finds it closed, the reconciler leaves it alone', async () => {
    const id = randomUUID();
    const dueOn = dayFromToday(20);
    await reportingDeadline(id, dueOn);
    expect(await jobStates('reporting_deadline', id)).toEqual(['delayed', 'delayed', 'delayed']);

    await reportingDeadline(id, dueOn, { open: false, sequence: 1 });

    expect(await jobStates('reporting_deadline', id)).toEqual(['missing', 'missing', 'missing']);
    expect(await runAgain('reporting_deadline', id, dueOn, { kind: 'reminder', offsetSeconds: 0 })).toBe(
      'stale',
    );
    await queue.jobs.queue.obliterate({ force: true });
    expect(await reconciler.reconcile()).toMatchObject({ added: 0, replaced: 0 });
    expect(await jobStates('reporting_deadline', id)).toEqual(['missing', 'missing', 'missing']);
    expect(await notificationsAbout(COORDINATOR, id)).toEqual([]);
    expect(await sentOffsets('reporting_deadline', id)).toEqual([]);
  });

  it('reminds the institutions of an indicator on its day, then tells them and the coordinator it is overdue', async () => {
    const id = randomUUID();
    const actionId = randomUUID();
    const today = dayFromToday(0);
    await indicatorScheduled(id, today, { subjectId: actionId });

    await waitFor('the reminder and the overdue notice', async () => {
      const states = await jobStates('indicator', id);
      return states[2] === 'completed' && states[3] === 'completed';
    });
    for (const institution of [JUSTICE, INTERIOR]) {
      const received = await notificationsAbout(institution, id);
      expect(kinds(received)).toEqual(['indicator_overdue', 'indicator_reminder']);
      expect(received.find((item) => item.kind === 'indicator_reminder')?.params).toEqual({
        name: 'Judges trained on the Convention',
        dueOn: today,
        offsetSeconds: 0,
        subjectKind: 'action',
        subjectId: actionId,
      });
    }
    const coordinatorCopy = await notificationsAbout(COORDINATOR, id);
    expect(coordinatorCopy.map(({ kind, params }) => ({ kind, params }))).toEqual([
      {
        kind: 'indicator_overdue',
        params: {
          name: 'Judges trained on the Convention',
          dueOn: today,
          subjectKind: 'action',
          subjectId: actionId,
          institutions: [INTERIOR, JUSTICE],
        },
      },
    ]);
    expect(await sentOffsets('indicator', id)).toEqual([0, -1]);
    expect(await runAgain('indicator', id, today, { kind: 'escalation', offsetSeconds: -1 })).toBe(
      'already-sent',
    );
    expect(await notificationsAbout(COORDINATOR, id)).toHaveLength(1);
  });

  it('reminds a lead assigned after the reminder went to the coordinator, without reminding the coordinator again', async () => {
    const id = randomUUID();
    const today = dayFromToday(0);
    // Defined before the action had a lead: nobody reports it yet, so the coordinator is told.
    await indicatorScheduled(id, today, { institutions: [] });
    await waitFor('the coordinator’s reminder and overdue notice', async () => {
      const states = await jobStates('indicator', id);
      return states[2] === 'completed' && states[3] === 'completed';
    });
    expect(kinds(await notificationsAbout(COORDINATOR, id))).toEqual([
      'indicator_overdue',
      'indicator_reminder',
    ]);

    // The action gets its lead (IndicatorScheduled, same day): the lead learns of it, the coordinator not twice.
    await indicatorScheduled(id, today, { institutions: [JUSTICE] });
    await waitFor('the lead’s reminder and overdue notice', async () =>
      (await notificationsAbout(JUSTICE, id)).length === 2 ? true : undefined,
    );
    await waitFor('the jobs to finish', async () => {
      const states = await jobStates('indicator', id);
      return states[2] === 'completed' && states[3] === 'completed';
    });
    expect(kinds(await notificationsAbout(JUSTICE, id))).toEqual(['indicator_overdue', 'indicator_reminder']);
    expect(kinds(await notificationsAbout(COORDINATOR, id))).toEqual([
      'indicator_overdue',
      'indicator_reminder',
    ]);
    expect(await runAgain('indicator', id, today, { kind: 'reminder', offsetSeconds: 0 })).toBe(
      'already-sent',
    );
  });

  it('moves an indicator’s reminders when a measurement moves its day, dropping the old ones', async () => {
    const id = randomUUID();
    const first = dayFromToday(20);
    await indicatorScheduled(id, first);
    expect(await jobStates('indicator', id)).toEqual(['delayed', 'delayed', 'delayed', 'delayed']);

    const next = dayFromToday(110);
    await indicatorScheduled(id, next, { latestMeasuredOn: dayFromToday(0) });

    expect(await jobStates('indicator', id)).toEqual(['delayed', 'delayed', 'delayed', 'delayed']);
    expect(await jobDays('indicator', id)).toEqual([next, next, next, next]);
    // A job for the old day that escaped the move finds the indicator moved on.
    expect(await runAgain('indicator', id, first, { kind: 'reminder', offsetSeconds: 0 })).toBe('stale');
    const [row] = await dataSource.query(
      `SELECT to_char(due_on, 'YYYY-MM-DD') AS due_on FROM indicator_deadlines WHERE indicator_id = $1`,
      [id],
    );
    expect(row.due_on).toBe(next);
    expect(await notificationsAbout(JUSTICE, id)).toEqual([]);
    expect(await sentOffsets('indicator', id)).toEqual([]);
  });

  it('removes the jobs of a deadline closed, and moves those of an indicator moved, while the after-commit work was lost', async () => {
    const closed = randomUUID();
    const moved = randomUUID();
    const dueOn = dayFromToday(40);
    await reportingDeadline(closed, dueOn);
    await indicatorScheduled(moved, dueOn);
    // The changes commit, but the jobs are not touched (as if the process died right after).
    await dataSource.query(`UPDATE reporting_deadlines SET open = false WHERE deadline_id = $1`, [closed]);
    const later = dayFromToday(70);
    await dataSource.query(`UPDATE indicator_deadlines SET due_on = $2 WHERE indicator_id = $1`, [
      moved,
      later,
    ]);
    expect(await jobStates('reporting_deadline', closed)).toEqual(['delayed', 'delayed', 'delayed']);

    const result = await reconciler.reconcile();

    expect(result.removed).toBeGreaterThanOrEqual(3);
    expect(result.replaced).toBeGreaterThanOrEqual(4);
    expect(await jobStates('reporting_deadline', closed)).toEqual(['missing', 'missing', 'missing']);
    expect(await jobStates('indicator', moved)).toEqual(['delayed', 'delayed', 'delayed', 'delayed']);
    expect(await jobDays('indicator', moved)).toEqual([later, later, later, later]);
    expect(await reconciler.reconcile()).toMatchObject({ added: 0, replaced: 0, removed: 0 });
  });

  it('does not remind of the indicator of a completed action', async () => {
    const id = randomUUID();
    const actionId = randomUUID();
    await dataSource.query(
      `INSERT INTO deadlines (action_id, institution, title, due_at, open) VALUES ($1, $2, 'Done', now(), false)`,
      [actionId, JUSTICE],
    );
    await indicatorScheduled(id, dayFromToday(0), { subjectId: actionId });
    await waitFor('the jobs to finish', async () => {
      const states = await jobStates('indicator', id);
      return states[2] === 'completed' && states[3] === 'completed';
    });
    expect(await notificationsAbout(JUSTICE, id)).toEqual([]);
    expect(await notificationsAbout(COORDINATOR, id)).toEqual([]);
  });
});
