import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '@nmirf/platform';
import { DataSource } from 'typeorm';
import { ALERT_SETTINGS, type AlertSettings } from '../reminders/alert-settings';
import { planDeadlineJobs } from '../reminders/reminder-plan';
import { ReportingDeadline } from './reporting-deadline.entity';
import type { ReportingDeadlineView } from './reporting-deadlines.dto';

/** A reporting deadline falls due at the start of its day (UTC): reminders count back from there. */
export function reportingDueAt(dueOn: string): Date {
  return new Date(`${dueOn}T00:00:00.000Z`);
}

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

  /** The same plan as for actions (REMINDER_OFFSETS), without the escalation: nobody to escalate to. */
  private view(row: ReportingDeadline, now: Date): ReportingDeadlineView {
    const { updatedAt: _updatedAt, ...deadline } = row;
    const reminders = row.open
      ? planDeadlineJobs(reportingDueAt(row.dueOn), now, this.settings)
          .filter((job) => job.kind === 'reminder')
          .map((job) => ({ offsetSeconds: job.offsetSeconds, at: job.runAt.toISOString() }))
      : [];
    return { ...deadline, reminders };
  }
}
