import { OnApplicationShutdown } from '@nestjs/common';
import { isWithinDateWindow, JobQueue, redisAnswerWithin, redisConnection } from '@nmirf/platform';
import type IORedis from 'ioredis';
import type { DeadlineJobScheduler, ScheduledDeadline } from './deadline-job-scheduler';
import {
  DEADLINES_QUEUE,
  deadlineJobId,
  deadlineJobName,
  escalationJobId,
  reminderJobId,
  type DeadlineJobData,
} from './deadline-jobs';
import { planDeadlineJobs, type PlannedDeadlineJob, type ReminderSettings } from './reminder-plan';

export type RestoreOutcome = 'present' | 'added' | 'replaced';

/** The `deadlines` BullMQ queue: where reminder and escalation jobs wait for their moment. */
export class DeadlineJobQueue implements DeadlineJobScheduler, OnApplicationShutdown {
  readonly jobs: JobQueue<DeadlineJobData>;
  private readonly connection: IORedis;

  constructor(
    redisUrl: string,
    prefix: string,
    private readonly settings: ReminderSettings,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.connection = redisConnection(redisUrl, false);
    this.jobs = new JobQueue<DeadlineJobData>(DEADLINES_QUEUE, this.connection, prefix);
  }

  async reschedule({ actionId, dueAt, correlationId }: ScheduledDeadline): Promise<void> {
    assertSchedulable(actionId, dueAt);
    // Every job the action may have, including reminders the new date leaves no room for ("14 days
    // left" two days ahead), goes; the current plan comes back in one round trip.
    await this.jobs.replaceAll(
      this.allJobIds(actionId),
      planDeadlineJobs(dueAt, this.now(), this.settings).map((job) => ({
        name: deadlineJobName(job.kind),
        jobId: deadlineJobId(actionId, job),
        data: jobData(actionId, dueAt, job, correlationId),
        delayMs: job.delayMs,
      })),
    );
  }

  /** Jobs still waiting for their moment, a page at a time: what the reconciler checks against PostgreSQL. */
  async *pendingJobs(pageSize = 500): AsyncIterable<Array<{ id: string; actionId: string; dueAt: string }>> {
    for (let start = 0; ; start += pageSize) {
      const jobs = await redisAnswerWithin(
        this.jobs.queue.getJobs(['delayed', 'waiting', 'prioritized'], start, start + pageSize - 1, true),
      );
      const page = jobs
        .filter((job) => job?.id && job.data?.actionId)
        .map((job) => ({ id: String(job.id), actionId: job.data.actionId, dueAt: job.data.dueAt }));
      if (page.length > 0) yield page;
      if (jobs.length < pageSize) return;
    }
  }

  /**
   * Removes a pending job if it is still the one planned for `dueAt` (its id may have been given to a
   * new job for the new date meanwhile). A running job is left to finish.
   */
  async removeIfFor(jobId: string, dueAt: string): Promise<boolean> {
    const job = await redisAnswerWithin(this.jobs.queue.getJob(jobId));
    if (!job || job.data.dueAt !== dueAt) return false;
    await this.jobs.cancel(jobId);
    return true;
  }

  async cancelAll(actionId: string): Promise<void> {
    await this.jobs.replaceAll(this.allJobIds(actionId), []);
  }

  private allJobIds(actionId: string): string[] {
    return [
      ...this.settings.offsetsSeconds.map((offset) => reminderJobId(actionId, offset)),
      ...Array.from({ length: this.settings.escalationSteps ?? 1 }, (_, index) =>
        escalationJobId(actionId, index + 1),
      ),
    ];
  }

  /**
   * For the reconciler: leaves a pending job for this very due date alone, adds a missing one, and
   * replaces one that is for another date or already finished (it ran while the deadline was stale).
   */
  async restore(
    actionId: string,
    dueAt: Date,
    job: PlannedDeadlineJob,
    correlationId: string,
  ): Promise<RestoreOutcome> {
    assertSchedulable(actionId, dueAt);
    const id = deadlineJobId(actionId, job);
    const data = jobData(actionId, dueAt, job, correlationId);
    const existing = await redisAnswerWithin(this.jobs.queue.getJob(id));
    if (!existing) {
      await this.jobs.ensure(deadlineJobName(job.kind), id, data, job.delayMs);
      return 'added';
    }
    const sameDeadline =
      existing.data.dueAt === data.dueAt && existing.data.offsetSeconds === data.offsetSeconds;
    const state = await redisAnswerWithin(existing.getState());
    if (sameDeadline && !['completed', 'failed', 'unknown'].includes(state)) return 'present';
    await this.jobs.reschedule(deadlineJobName(job.kind), id, data, job.delayMs);
    return 'replaced';
  }

  async onApplicationShutdown(): Promise<void> {
    await this.jobs.close().catch(() => undefined);
    this.connection.disconnect();
  }
}

function jobData(
  actionId: string,
  dueAt: Date,
  job: PlannedDeadlineJob,
  correlationId: string,
): DeadlineJobData {
  return { actionId, dueAt: dueAt.toISOString(), offsetSeconds: job.offsetSeconds, correlationId };
}

/**
 * One job delayed to an impossible date (+275760-09-13) must not reach Redis: the reconciler and the
 * after-commit work log this error and go on with the other deadlines.
 */
function assertSchedulable(actionId: string, dueAt: Date): void {
  if (!isWithinDateWindow(dueAt)) {
    throw new Error(
      `the due date of action ${actionId} is outside the accepted window; no reminders planned`,
    );
  }
}
