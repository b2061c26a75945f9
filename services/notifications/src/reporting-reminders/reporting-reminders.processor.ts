import { Injectable, Logger } from '@nestjs/common';
import { OnJob, reminderLateness } from '@nmirf/platform';
import { UnrecoverableError, type Job } from 'bullmq';
import { dueAtOf, REMINDER_SUBJECT_KINDS } from './reporting-reminder-plan';
import {
  ReportingReminderAlerts,
  type ReportingAlert,
  type ReportingAlertOutcome,
} from './reporting-reminder-alerts';
import { ReportingReminderJobNames, type ReportingReminderJobData } from './reporting-reminder-jobs';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** BullMQ edge of the `reporting-reminders` queue: each job kind handed to the alerts, nothing else. */
@Injectable()
export class ReportingRemindersProcessor {
  private readonly logger = new Logger(ReportingRemindersProcessor.name);

  constructor(private readonly alerts: ReportingReminderAlerts) {}

  @OnJob(ReportingReminderJobNames['reporting-deadline-reminder'])
  remindOfDeadline(job: Job<ReportingReminderJobData>): Promise<ReportingAlertOutcome> {
    return this.run(job, (alert) => this.alerts.sendReminder(alert));
  }

  @OnJob(ReportingReminderJobNames['indicator-reminder'])
  remindOfIndicator(job: Job<ReportingReminderJobData>): Promise<ReportingAlertOutcome> {
    return this.run(job, (alert) => this.alerts.sendReminder(alert));
  }

  @OnJob(ReportingReminderJobNames['indicator-overdue'])
  indicatorOverdue(job: Job<ReportingReminderJobData>): Promise<ReportingAlertOutcome> {
    return this.run(job, (alert) => this.alerts.sendOverdue(alert));
  }

  private async run(
    job: Job<ReportingReminderJobData>,
    send: (alert: ReportingAlert) => Promise<ReportingAlertOutcome>,
  ): Promise<ReportingAlertOutcome> {
    const alert = toAlert(job.data);
    const outcome = await send(alert);
    if (outcome === 'sent' && job.name !== ReportingReminderJobNames['indicator-overdue']) {
      const dueAt = dueAtOf(alert.dueOn).getTime() - alert.offsetSeconds * 1_000;
      reminderLateness.observe({ kind: job.name }, Math.max(0, Date.now() - dueAt) / 1_000);
    }
    this.logger.log({ msg: 'reporting reminder job done', jobId: job.id, name: job.name, outcome });
    return outcome;
  }
}

/** Data that can never be processed fails at once instead of being retried. */
function toAlert(data: ReportingReminderJobData): ReportingAlert {
  if (
    !REMINDER_SUBJECT_KINDS.includes(data.subjectKind) ||
    typeof data.subjectId !== 'string' ||
    typeof data.dueOn !== 'string' ||
    !DAY.test(data.dueOn) ||
    !Number.isInteger(data.offsetSeconds)
  ) {
    throw new UnrecoverableError('Malformed reporting reminder job data');
  }
  const { subjectKind, subjectId, dueOn, offsetSeconds } = data;
  return { subjectKind, subjectId, dueOn, offsetSeconds };
}
