import { defineJobNames, type JobTrace } from '@nmirf/platform';
import type { DeadlineJobKind } from '../reminders/reminder-plan';
import type { ReminderSubjectKind } from './reporting-reminder-plan';

export const REPORTING_REMINDERS_QUEUE = 'reporting-reminders';

export const ReportingReminderJobNames = defineJobNames(
  'reporting-deadline-reminder',
  'indicator-reminder',
  'indicator-overdue',
);
export type ReportingReminderJobName = keyof typeof ReportingReminderJobNames;

/** The job name of each planned job; a reporting deadline has no escalation. */
export function reportingReminderJobName(
  subjectKind: ReminderSubjectKind,
  kind: DeadlineJobKind,
): ReportingReminderJobName {
  if (subjectKind === 'reporting_deadline') return 'reporting-deadline-reminder';
  return kind === 'reminder' ? 'indicator-reminder' : 'indicator-overdue';
}

/** What a job needs to find its deadline again and tell whether it is still the current one. */
export interface ReportingReminderJobData extends JobTrace {
  subjectKind: ReminderSubjectKind;
  subjectId: string;
  /** `YYYY-MM-DD`; a job for another due day is stale and does nothing. */
  dueOn: string;
  offsetSeconds: number;
  correlationId: string;
}

/** Deterministic ids ('-', since BullMQ refuses ':' in custom ids), so moving or cancelling finds them. */
export function reportingReminderJobId(
  subjectKind: ReminderSubjectKind,
  subjectId: string,
  job: { kind: DeadlineJobKind; offsetSeconds: number },
): string {
  if (subjectKind === 'reporting_deadline') return `reporting-reminder-${subjectId}-${job.offsetSeconds}`;
  return job.kind === 'reminder'
    ? `indicator-reminder-${subjectId}-${job.offsetSeconds}`
    : `indicator-overdue-${subjectId}`;
}
