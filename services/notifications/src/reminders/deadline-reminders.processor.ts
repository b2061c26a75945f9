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
  remind(job: Job<DeadlineJobData>): Promise<AlertOutcome> {
    return this.run(job, (alert) => this.alerts.sendReminder(alert));
  }

  @OnJob(DeadlineJobNames['overdue-escalation'])
  escalate(job: Job<DeadlineJobData>): Promise<AlertOutcome> {
    return this.run(job, (alert) => this.alerts.escalateOverdue(alert));
  }

  private async run(
    job: Job<DeadlineJobData>,
    send: (alert: DeadlineAlert) => Promise<AlertOutcome>,
  ): Promise<AlertOutcome> {
    const alert = toAlert(job.data);
    const outcome = await send(alert);
    if (outcome === 'sent' && job.name === DeadlineJobNames['deadline-reminder']) {
      const dueAt = alert.dueAt.getTime() - alert.offsetSeconds * 1_000;
      reminderLateness.observe({ kind: 'deadline_reminder' }, Math.max(0, Date.now() - dueAt) / 1_000);
    }
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
