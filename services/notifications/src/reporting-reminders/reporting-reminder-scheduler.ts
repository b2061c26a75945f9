import type { ReminderSubjectKind } from './reporting-reminder-plan';

/** A reporting deadline or an indicator's next measurement, as the job scheduler needs it. */
export interface ScheduledReportingReminder {
  subjectKind: ReminderSubjectKind;
  subjectId: string;
  dueOn: string;
  correlationId: string;
}

/**
 * Puts a deadline's reminder jobs in line with PostgreSQL. Called after the commit that changed it;
 * a failure is repaired by the reconciler, never by the caller.
 */
export interface ReportingReminderScheduler {
  /** Replaces every job of this deadline with the current plan. */
  reschedule(deadline: ScheduledReportingReminder): Promise<void>;
  /** Removes every pending job of this deadline. */
  cancelAll(subjectKind: ReminderSubjectKind, subjectId: string): Promise<void>;
}

export const REPORTING_REMINDER_SCHEDULER = Symbol('REPORTING_REMINDER_SCHEDULER');
