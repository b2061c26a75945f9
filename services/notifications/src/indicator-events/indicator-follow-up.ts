import { Inject, Injectable } from '@nestjs/common';
import type { TransactionScope } from '../action-events/action-follow-up';
import {
  REPORTING_REMINDER_SCHEDULER,
  type ReportingReminderScheduler,
} from '../reporting-reminders/reporting-reminder-scheduler';
import { IndicatorDeadline } from './indicator-deadline.entity';

/** An indicator's schedule as IndicatorScheduled carries it (the whole schedule after the change). */
export interface IndicatorSchedule {
  indicatorId: string;
  name: string;
  subjectKind: 'action' | 'recommendation';
  subjectId: string;
  institutions: string[];
  frequency: string;
  dueOn: string;
  latestMeasuredOn: string | null;
  correlationId: string;
}

/**
 * Keeps each indicator's next reporting day, from which its reminders and overdue notice are planned.
 * Events of one indicator arrive in order (the outbox's aggregate sequence), so the latest wins; after
 * the commit, the jobs for the old day are replaced by the plan for the new one.
 */
@Injectable()
export class IndicatorFollowUp {
  constructor(@Inject(REPORTING_REMINDER_SCHEDULER) private readonly jobs: ReportingReminderScheduler) {}

  async indicatorScheduled(schedule: IndicatorSchedule, scope: TransactionScope): Promise<void> {
    const { correlationId, ...deadline } = schedule;
    const institutions = [...new Set(deadline.institutions)].sort();
    await scope.manager.upsert(IndicatorDeadline, { ...deadline, institutions }, ['indicatorId']);
    const { indicatorId: subjectId, dueOn } = schedule;
    scope.afterCommit(() =>
      this.jobs.reschedule({ subjectKind: 'indicator', subjectId, dueOn, correlationId }),
    );
  }
}
