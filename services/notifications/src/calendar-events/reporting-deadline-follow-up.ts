import { Inject, Injectable } from '@nestjs/common';
import type { TransactionScope } from '../action-events/action-follow-up';
import { ALERT_SETTINGS, type AlertSettings } from '../reminders/alert-settings';
import {
  REPORTING_REMINDER_SCHEDULER,
  type ReportingReminderScheduler,
} from '../reporting-reminders/reporting-reminder-scheduler';
import { ReportingDeadline } from './reporting-deadline.entity';

/** A reporting deadline as ReportingDeadlineChanged carries it (the whole entry after the change). */
export interface ReportingDeadlineChange {
  deadlineId: string;
  kind: string;
  state: string;
  mechanism: string;
  body: string;
  cycle: string;
  titleKey: string;
  titleParams: object;
  dueOn: string;
  estimated: boolean;
  source: string | null;
  open: boolean;
  sequence: number;
  /** The event's correlation id, carried by the reminder jobs. */
  correlationId: string;
}

/**
 * Keeps the coordinator's copy of the reporting calendar, from which the reminders are planned.
 * A change older than the stored one (a lower SEQUENCE) is ignored: the calendar has moved on.
 * After the commit, the deadline's reminder jobs follow it (moved, or removed once closed).
 */
@Injectable()
export class ReportingDeadlineFollowUp {
  constructor(
    @Inject(ALERT_SETTINGS) private readonly settings: AlertSettings,
    @Inject(REPORTING_REMINDER_SCHEDULER) private readonly jobs: ReportingReminderScheduler,
  ) {}

  async deadlineChanged(change: ReportingDeadlineChange, scope: TransactionScope): Promise<void> {
    const { manager } = scope;
    const stored = await manager.findOne(ReportingDeadline, {
      where: { deadlineId: change.deadlineId },
      lock: { mode: 'pessimistic_write' },
    });
    if (stored && stored.sequence > change.sequence) return;
    const { correlationId, ...deadline } = change;
    await manager.upsert(
      ReportingDeadline,
      { ...deadline, institution: this.settings.coordinatorInstitution },
      ['deadlineId'],
    );
    const { deadlineId: subjectId, dueOn, open } = change;
    scope.afterCommit(() =>
      open
        ? this.jobs.reschedule({ subjectKind: 'reporting_deadline', subjectId, dueOn, correlationId })
        : this.jobs.cancelAll('reporting_deadline', subjectId),
    );
  }
}
