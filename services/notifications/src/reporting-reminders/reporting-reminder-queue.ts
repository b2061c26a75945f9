import { OnApplicationShutdown } from '@nestjs/common';
import { JobQueue, redisConnection } from '@nmirf/platform';
import type IORedis from 'ioredis';
import { DEFAULT_HORIZON, horizonEnd, type HorizonSettings } from '../reminders/horizon-settings';
import type { ReminderSettings } from '../reminders/reminder-plan';
import { planReminderJobs, type ReminderSubjectKind } from './reporting-reminder-plan';
import {
  REPORTING_REMINDERS_QUEUE,
  reportingReminderJobId,
  type ReportingReminderJobData,
} from './reporting-reminder-jobs';
import type { ReportingReminderScheduler, ScheduledReportingReminder } from './reporting-reminder-scheduler';
import { reportingReminderJob } from './reporting-reminder-source';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The `reporting-reminders` BullMQ queue: reporting deadlines' and indicators' reminder jobs due
 * within the horizon; later ones wait in PostgreSQL for a horizon pass.
 */
export class ReportingReminderQueue implements ReportingReminderScheduler, OnApplicationShutdown {
  readonly jobs: JobQueue<ReportingReminderJobData>;
  private readonly connection: IORedis;

  constructor(
    redisUrl: string,
    prefix: string,
    private readonly settings: ReminderSettings,
    private readonly horizon: HorizonSettings = DEFAULT_HORIZON,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.connection = redisConnection(redisUrl, false);
    this.jobs = new JobQueue<ReportingReminderJobData>(REPORTING_REMINDERS_QUEUE, this.connection, prefix);
  }

  async reschedule({
    subjectKind,
    subjectId,
    dueOn,
    correlationId,
  }: ScheduledReportingReminder): Promise<void> {
    assertDay(subjectId, dueOn);
    const now = this.now();
    const until = horizonEnd(this.horizon, now).getTime();
    // Every job the deadline may have goes, including reminders the new day leaves no room for and
    // those it pushes beyond the horizon.
    await this.jobs.replaceAll(
      this.allJobIds(subjectKind, subjectId),
      planReminderJobs(subjectKind, dueOn, now, this.settings)
        .filter((job) => job.runAt.getTime() <= until)
        .map((job) => {
          const planned = reportingReminderJob(subjectKind, subjectId, dueOn, job, correlationId);
          return { name: planned.kind, jobId: planned.id, data: planned.data, delayMs: job.delayMs };
        }),
    );
  }

  async cancelAll(subjectKind: ReminderSubjectKind, subjectId: string): Promise<void> {
    await this.jobs.replaceAll(this.allJobIds(subjectKind, subjectId), []);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.jobs.close().catch(() => undefined);
    this.connection.disconnect();
  }

  private allJobIds(subjectKind: ReminderSubjectKind, subjectId: string): string[] {
    const reminders = this.settings.offsetsSeconds.map((offsetSeconds) =>
      reportingReminderJobId(subjectKind, subjectId, { kind: 'reminder', offsetSeconds }),
    );
    return subjectKind === 'indicator'
      ? [
          ...reminders,
          reportingReminderJobId(subjectKind, subjectId, { kind: 'escalation', offsetSeconds: 0 }),
        ]
      : reminders;
  }
}

/** A malformed day never reaches Redis: the caller logs the error and goes on with the others. */
function assertDay(subjectId: string, dueOn: string): void {
  const parsed = new Date(`${dueOn}T00:00:00Z`);
  if (!DAY.test(dueOn) || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== dueOn) {
    throw new Error(`the due day of ${subjectId} is not a day (${dueOn}); no reminders planned`);
  }
}
