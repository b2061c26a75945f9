import { Injectable, Logger } from '@nestjs/common';
import { OnJob, reminderLateness } from '@nmirf/platform';
import { UnrecoverableError, type Job } from 'bullmq';
import { DeadlineAlerts, type AlertOutcome, type DeadlineAlert } from './deadline-alerts';
import { DeadlineJobNames, type DeadlineJobData } from './deadline-jobs';

/** BullMQ edge of the `deadlines` queue: each job kind handed to DeadlineAlerts, nothing else. */
@Injectable()
export class DeadlineRemindersProcessor {
  private readonly logger = new Logger(DeadlineRemindersProcessor.name);

  constructor(private readonly alerts: DeadlineAlerts) {}

  @OnJob(DeadlineJobNames['deadline-reminder'])
  async remind(job: Job<DeadlineJobData>): Promise<AlertOutcome> {
    const { outcome, moments } = await this.alerts.sendReminder(toAlert(job.data));
    const now = Date.now();
    // The whole batch: each reminder it sent, late or not, counts once.
    for (const moment of moments)
      reminderLateness.observe({ kind: 'deadline_reminder' }, Math.max(0, now - moment.getTime()) / 1_000);
    this.logger.log({
      msg: 'deadline job done',
      jobId: job.id,
      name: job.name,
      outcome,
      batch: moments.length,
    });
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
