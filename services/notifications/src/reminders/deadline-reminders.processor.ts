import { Injectable, Logger, Optional } from '@nestjs/common';
import { OnJob, reminderLateness } from '@nmirf/platform';
import { UnrecoverableError, type Job } from 'bullmq';
import { DeadlineAlerts, type AlertOutcome, type DeadlineAlert } from './deadline-alerts';
import { DeadlineJobQueue } from './deadline-job-queue';
import { DeadlineJobNames, type DeadlineJobData } from './deadline-jobs';

/** BullMQ edge of the `deadlines` queue: each job kind handed to DeadlineAlerts, nothing else. */
@Injectable()
export class DeadlineRemindersProcessor {
  private readonly logger = new Logger(DeadlineRemindersProcessor.name);

  constructor(
    private readonly alerts: DeadlineAlerts,
    /** Where the jobs of reminders a batch sent are dropped from; none: they run and find them sent. */
    @Optional() private readonly queue?: DeadlineJobQueue,
  ) {}

  @OnJob(DeadlineJobNames['deadline-reminder'])
  async remind(job: Job<DeadlineJobData>): Promise<AlertOutcome> {
    const alert = toAlert(job.data);
    const { outcome, sent } = await this.alerts.sendReminder(alert);
    const now = Date.now();
    // The whole batch: each reminder it sent, late or not, counts once.
    for (const { dueAt } of sent)
      reminderLateness.observe(
        { kind: 'deadline_reminder' },
        Math.max(0, now - dueAt.getTime() + alert.offsetSeconds * 1_000) / 1_000,
      );
    // The other reminders of the batch need their jobs no more: out of Redis, the worker's time goes
    // to the next batch instead of taking each of them only to find it sent.
    const others = sent.filter((item) => item.actionId !== alert.actionId);
    await this.queue
      ?.dropSent(others.map((item) => ({ ...item, offsetSeconds: alert.offsetSeconds })))
      .catch((error: Error) =>
        this.logger.warn({
          msg: 'sent reminders left in Redis; they run and find them sent',
          error: error.message,
        }),
      );
    this.logger.log({ msg: 'deadline job done', jobId: job.id, name: job.name, outcome, batch: sent.length });
    return outcome;
  }

  @OnJob(DeadlineJobNames['overdue-escalation'])
  escalate(job: Job<DeadlineJobData>): Promise<AlertOutcome> {
    return this.run(job, (alert) => this.alerts.escalateOverdue(alert));
  }

  private async run(
    job: Job<DeadlineJobData>,
    send: (alert: DeadlineAlert) => Promise<AlertOutcome>,
  ): Promise<AlertOutcome> {
    const outcome = await send(toAlert(job.data));
    this.logger.log({ msg: 'deadline job done', jobId: job.id, name: job.name, outcome });
    return outcome;
  }
}

/** Data that can never be processed fails at once instead of being retried. */
function toAlert(data: DeadlineJobData): DeadlineAlert {
  const dueAt = new Date(data.dueAt);
  if (
    typeof data.actionId !== 'string' ||
    Number.isNaN(dueAt.getTime()) ||
    !Number.isInteger(data.offsetSeconds)
  ) {
    throw new UnrecoverableError('Malformed deadline job data');
  }
  return { actionId: data.actionId, dueAt, offsetSeconds: data.offsetSeconds };
}
