import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '@nmirf/platform';
import { DataSource, In } from 'typeorm';
import { ALERT_SETTINGS, type AlertSettings } from '../reminders/alert-settings';
import { planReminderJobs } from '../reporting-reminders/reporting-reminder-plan';
import { ReportingReminderSent } from '../reporting-reminders/reporting-reminder-sent.entity';
import { ReportingDeadline } from './reporting-deadline.entity';
import type { ReportingDeadlineView } from './reporting-deadlines.dto';

/** The coordinator's reporting deadlines with the reminders planned for them. */
@Injectable()
export class ReportingDeadlinesService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(ALERT_SETTINGS) private readonly settings: AlertSettings,
  ) {}

  async list(open: boolean | undefined, now = new Date()): Promise<ReportingDeadlineView[]> {
    const rows = await this.dataSource.manager.find(ReportingDeadline, {
      where: open === undefined ? {} : { open },
      order: { dueOn: 'ASC', deadlineId: 'ASC' },
    });
    const sent = await this.sentFor(rows.map((row) => row.deadlineId));
    return rows.map((row) => this.view(row, sent.get(row.deadlineId) ?? [], now));
  }

  async get(deadlineId: string, now = new Date()): Promise<ReportingDeadlineView> {
    const row = await this.dataSource.manager.findOne(ReportingDeadline, { where: { deadlineId } });
    if (!row) throw DomainError.notFound('Reporting deadline', deadlineId);
    const sent = await this.sentFor([deadlineId]);
    return this.view(row, sent.get(deadlineId) ?? [], now);
  }

  /** The reminders already sent, by deadline. */
  private async sentFor(deadlineIds: string[]): Promise<Map<string, ReportingReminderSent[]>> {
    const sent = new Map<string, ReportingReminderSent[]>();
    if (deadlineIds.length === 0) return sent;
    const rows = await this.dataSource.manager.find(ReportingReminderSent, {
      where: { subjectKind: 'reporting_deadline', subjectId: In(deadlineIds) },
      order: { sentAt: 'ASC', offsetSeconds: 'DESC' },
    });
    for (const row of rows) sent.set(row.subjectId, [...(sent.get(row.subjectId) ?? []), row]);
    return sent;
  }

  /** The reminders still to come (reporting-reminders/reporting-reminder-plan.ts) and those sent. */
  private view(row: ReportingDeadline, sent: ReportingReminderSent[], now: Date): ReportingDeadlineView {
    const { updatedAt: _updatedAt, ...deadline } = row;
    const sentForThisDay = new Set(
      sent.filter((one) => one.dueOn === row.dueOn).map((one) => one.offsetSeconds),
    );
    const reminders = row.open
      ? planReminderJobs('reporting_deadline', row.dueOn, now, this.settings)
          .filter((job) => !sentForThisDay.has(job.offsetSeconds))
          .map((job) => ({ offsetSeconds: job.offsetSeconds, at: job.runAt.toISOString() }))
      : [];
    const remindersSent = sent.map(({ offsetSeconds, dueOn, notificationId, sentAt }) => ({
      offsetSeconds,
      dueOn,
      notificationId,
      sentAt: sentAt.toISOString(),
    }));
    return { ...deadline, reminders, remindersSent };
  }
}
