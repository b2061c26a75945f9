import { planDeadlineJobs, type PlannedDeadlineJob, type ReminderSettings } from '../reminders/reminder-plan';

/**
 * Reminders to report: the State's reporting deadlines (the coordinator's) and indicators' next
 * measurements (the reporting institutions'). Both fall due on a whole day. Pure: no I/O.
 */
export const REMINDER_SUBJECT_KINDS = ['reporting_deadline', 'indicator'] as const;
export type ReminderSubjectKind = (typeof REMINDER_SUBJECT_KINDS)[number];

/** A deadline due on `dueOn` (`YYYY-MM-DD`) falls due at the start of that day, UTC. */
export function dueAtOf(dueOn: string): Date {
  return new Date(`${dueOn}T00:00:00.000Z`);
}

/**
 * The jobs a deadline needs, seen from `now`, with the actions' plan (REMINDER_OFFSETS, counted
 * back from the due day). An indicator also gets its overdue notice ESCALATE_AFTER the start of the
 * due day (with the default 1d: once the day has passed without a measurement). A reporting
 * deadline has no escalation: the coordinator, who would get it, is the one reminded.
 */
export function planReminderJobs(
  kind: ReminderSubjectKind,
  dueOn: string,
  now: Date,
  settings: ReminderSettings,
): PlannedDeadlineJob[] {
  // One overdue notice: the escalation ladder is the actions' own.
  const jobs = planDeadlineJobs(dueAtOf(dueOn), now, { ...settings, escalationSteps: 1 });
  return kind === 'indicator' ? jobs : jobs.filter((job) => job.kind === 'reminder');
}
