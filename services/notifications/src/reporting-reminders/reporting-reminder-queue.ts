import { OnApplicationShutdown } from '@nestjs/common';
import { JobQueue, redisAnswerWithin, redisConnection } from '@nmirf/platform';
import type IORedis from 'ioredis';
import type { PlannedDeadlineJob, ReminderSettings } from '../reminders/reminder-plan';
import {
  planReminderJobs,
  REMINDER_SUBJECT_KINDS,
  type ReminderSubjectKind,
} from './reporting-reminder-plan';
import {
  REPORTING_REMINDERS_QUEUE,
  reportingReminderJobId,
  reportingReminderJobName,
  type ReportingReminderJobData,
} from './reporting-reminder-jobs';
import type { ReportingReminderScheduler, ScheduledReportingReminder } from './reporting-reminder-scheduler';

export type RestoreOutcome = 'present' | 'added' | 'replaced';

export interface PendingReminderJob {
  id: string;
  subjectKind: ReminderSubjectKind;
  subjectId: string;
  dueOn: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The `reporting-reminders` BullMQ queue: reporting deadlines' and indicators' reminder jobs. */
export class ReportingReminderQueue implements ReportingReminderScheduler, OnApplicationShutdown {
  readonly jobs: JobQueue<ReportingReminderJobData>;
  private readonly connection: IORedis;

  constructor(
    redisUrl: string,
    prefix: string,
    private readonly settings: ReminderSettings,
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
    // Every job the deadline may have goes, including reminders the new day leaves no room for.
    await this.jobs.replaceAll(
      this.allJobIds(subjectKind, subjectId),
      planReminderJobs(subjectKind, dueOn, this.now(), this.settings).map((job) => ({
        name: reportingReminderJobName(subjectKind, job.kind),
        jobId: reportingReminderJobId(subjectKind, subjectId, job),
        data: { subjectKind, subjectId, dueOn, offsetSeconds: job.offsetSeconds, correlationId },
        delayMs: job.delayMs,
      })),
    );
  }

  async cancelAll(subjectKind: ReminderSubjectKind, subjectId: string): Promise<void> {
    await this.jobs.replaceAll(this.allJobIds(subjectKind, subjectId), []);
  }

  /** Jobs still waiting for their moment, a page at a time: what the reconciler checks against PostgreSQL. */
  async *pendingJobs(pageSize = 500): AsyncIterable<PendingReminderJob[]> {
    for (let start = 0; ; start += pageSize) {
      const jobs = await redisAnswerWithin(
        this.jobs.queue.getJobs(['delayed', 'waiting', 'prioritized'], start, start + pageSize - 1, true),
      );
      const page = jobs
        // Only jobs this code planned: a UUID subject of a known kind.
        .filter(
          (job) =>
            job?.id &&
            UUID.test(String(job.data?.subjectId)) &&
            REMINDER_SUBJECT_KINDS.includes(job.data?.subjectKind),
        )
        .map((job) => ({
          id: String(job.id),
          subjectKind: job.data.subjectKind,
          subjectId: job.data.subjectId,
          dueOn: job.data.dueOn,
        }));
      if (page.length > 0) yield page;
      if (jobs.length < pageSize) return;
    }
  }

  /** Removes a pending job if it is still the one planned for `dueOn`; a running job is left to finish. */
  async removeIfFor(jobId: string, dueOn: string): Promise<boolean> {
    const job = await redisAnswerWithin(this.jobs.queue.getJob(jobId));
    if (!job || job.data.dueOn !== dueOn) return false;
    await this.jobs.cancel(jobId);
    return true;
  }

  /**
   * For the reconciler: leaves a pending job for this very day alone, adds a missing one, and
   * replaces one that is for another day or already finished (it ran while the deadline was stale).
   */
  async restore(
    subjectKind: ReminderSubjectKind,
    subjectId: string,
    dueOn: string,
    job: PlannedDeadlineJob,
    correlationId: string,
  ): Promise<RestoreOutcome> {
    assertDay(subjectId, dueOn);
    const id = reportingReminderJobId(subjectKind, subjectId, job);
    const name = reportingReminderJobName(subjectKind, job.kind);
    const data = { subjectKind, subjectId, dueOn, offsetSeconds: job.offsetSeconds, correlationId };
    const existing = await redisAnswerWithin(this.jobs.queue.getJob(id));
    if (!existing) {
      await this.jobs.ensure(name, id, data, job.delayMs);
      return 'added';
    }
    const same = existing.data.dueOn === dueOn && existing.data.offsetSeconds === job.offsetSeconds;
    const state = await redisAnswerWithin(existing.getState());
    if (same && !['completed', 'failed', 'unknown'].includes(state)) return 'present';
    await this.jobs.reschedule(name, id, data, job.delayMs);
    return 'replaced';
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
