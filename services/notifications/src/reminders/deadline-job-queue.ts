import { OnApplicationShutdown } from '@nestjs/common';
import { isWithinDateWindow, JobQueue, redisAnswerWithin, redisConnection } from '@nmirf/platform';
import type IORedis from 'ioredis';
import { deadlineJob } from './deadline-job-source';
import type { DeadlineJobScheduler, ScheduledDeadline } from './deadline-job-scheduler';
import { DEADLINES_QUEUE, escalationJobId, reminderJobId, type DeadlineJobData } from './deadline-jobs';
import { DEFAULT_HORIZON, horizonEnd, type HorizonSettings } from './horizon-settings';
import { planDeadlineJobs, type ReminderSettings } from './reminder-plan';

/**
 * The `deadlines` BullMQ queue: where reminder and escalation jobs due within the horizon wait for
 * their moment. Later ones stay in PostgreSQL until a horizon pass (ReminderReconciler) moves them.
 */
export class DeadlineJobQueue implements DeadlineJobScheduler, OnApplicationShutdown {
  readonly jobs: JobQueue<DeadlineJobData>;
  private readonly connection: IORedis;

  constructor(
    redisUrl: string,
    prefix: string,
    private readonly settings: ReminderSettings,
    private readonly horizon: HorizonSettings = DEFAULT_HORIZON,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.connection = redisConnection(redisUrl, false);
    this.jobs = new JobQueue<DeadlineJobData>(DEADLINES_QUEUE, this.connection, prefix);
  }

  async reschedule({ actionId, dueAt, correlationId }: ScheduledDeadline): Promise<void> {
    assertSchedulable(actionId, dueAt);
    const now = this.now();
    const until = horizonEnd(this.horizon, now).getTime();
    // Every job the action may have goes, including reminders the new date leaves no room for ("14
    // days left" two days ahead) and those it pushes beyond the horizon; the current plan's jobs
    // within the horizon come back in one round trip.
    await this.jobs.replaceAll(
      this.allJobIds(actionId),
      planDeadlineJobs(dueAt, now, this.settings)
        .filter((job) => job.runAt.getTime() <= until)
        .map((job) => {
          const planned = deadlineJob(actionId, dueAt, job, correlationId);
          return { name: planned.kind, jobId: planned.id, data: planned.data, delayMs: job.delayMs };
        }),
    );
  }

  /**
   * Takes out of Redis the pending jobs of reminders that a batch sent with another job. Only a job
   * still for the due date sent goes (one for a date moved since stays); a job already running is left
   * to finish, and finds its reminder sent.
   */
  async dropSent(sent: Array<{ actionId: string; dueAt: Date; offsetSeconds: number }>): Promise<void> {
    if (sent.length === 0) return;
    const queue = this.jobs.queue;
    const client = (await queue.client) as unknown as IORedis;
    const ids = sent.map(({ actionId, offsetSeconds }) => reminderJobId(actionId, offsetSeconds));
    const pipeline = client.pipeline();
    for (const id of ids) pipeline.hget(queue.toKey(id), 'data');
    const replies = (await redisAnswerWithin(pipeline.exec())) ?? [];
    const done = ids.filter((_, index) => {
      const [error, data] = replies[index] ?? [null, null];
      if (error || typeof data !== 'string') return false;
      try {
        return (JSON.parse(data) as { dueAt?: string }).dueAt === sent[index].dueAt.toISOString();
      } catch {
        return false;
      }
    });
    await redisAnswerWithin(Promise.all(done.map((id) => queue.remove(id))));
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

  async onApplicationShutdown(): Promise<void> {
    await this.jobs.close().catch(() => undefined);
    this.connection.disconnect();
  }
}

/**
 * One job delayed to an impossible date (+275760-09-13) must not reach Redis: the after-commit work
 * logs this error and goes on with the other deadlines.
 */
function assertSchedulable(actionId: string, dueAt: Date): void {
  if (!isWithinDateWindow(dueAt)) {
    throw new Error(
      `the due date of action ${actionId} is outside the accepted window; no reminders planned`,
    );
  }
}
