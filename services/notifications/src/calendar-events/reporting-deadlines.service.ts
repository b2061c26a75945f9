import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '@nmirf/platform';
import { DataSource } from 'typeorm';
import { ALERT_SETTINGS, type AlertSettings } from '../reminders/alert-settings';
import { planReminderJobs } from '../reporting-reminders/reporting-reminder-plan';
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
    return rows.map((row) => this.view(row, now));
  }

  async get(deadlineId: string, now = new Date()): Promise<ReportingDeadlineView> {
    const row = await this.dataSource.manager.findOne(ReportingDeadline, { where: { deadlineId } });
    if (!row) throw DomainError.notFound('Reporting deadline', deadlineId);
    return this.view(row, now);
  }

  /** The reminders still to come (reporting-reminders/reporting-reminder-plan.ts). */
  private view(row: ReportingDeadline, now: Date): ReportingDeadlineView {
    const { updatedAt: _updatedAt, ...deadline } = row;
    const reminders = row.open
      ? planReminderJobs('reporting_deadline', row.dueOn, now, this.settings).map((job) => ({
          offsetSeconds: job.offsetSeconds,
          at: job.runAt.toISOString(),
        }))
      : [];
    return { ...deadline, reminders };
  }
}
