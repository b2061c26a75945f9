/** When to remind an institution of a deadline, and when to escalate if it is missed. */
export interface ReminderSettings {
  /** Seconds before the due date, one reminder each; 0 means on the due date. */
  offsetsSeconds: readonly number[];
  /** Seconds after the due date at which an open action is escalated (the ladder's first step). */
  escalateAfterSeconds: number;
  /** Steps of the escalation ladder; 1 when absent (the plan for reporting subjects). */
  escalationSteps?: number;
  /** Seconds between two steps of the ladder. */
  escalationIntervalSeconds?: number;
}

export type DeadlineJobKind = 'reminder' | 'escalation';

export interface PlannedDeadlineJob {
  kind: DeadlineJobKind;
  /**
   * The key in reminders_sent: seconds before the due date, negative for the escalation (which
   * comes after it), so reminders and escalation share one idempotency table.
   */
  offsetSeconds: number;
  /** The escalation ladder's step, from 1; absent for reminders. */
  step?: number;
  runAt: Date;
  /** Never negative: a job that is already due runs now. */
  delayMs: number;
}

/**
 * The jobs one open deadline needs, seen from `now`. A non-zero reminder whose moment has passed is
 * dropped (a late "3 days left" would be wrong); the due-date reminder and the escalation are
 * always planned, running at once if late.
 */
export function planDeadlineJobs(dueAt: Date, now: Date, settings: ReminderSettings): PlannedDeadlineJob[] {
  const due = dueAt.getTime();
  const reminders = settings.offsetsSeconds
    .map((offsetSeconds) => ({ offsetSeconds, runAt: new Date(due - offsetSeconds * 1_000) }))
    .filter(({ offsetSeconds, runAt }) => offsetSeconds === 0 || runAt.getTime() > now.getTime())
    .map(({ offsetSeconds, runAt }) => job('reminder', offsetSeconds, runAt, now));
  // Every step is planned up front, each with its own key in reminders_sent: a Redis loss or a
  // retried job then never repeats or skips a step, and a closed or moved deadline stops the rest.
  const escalations = escalationOffsets(settings).map((offsetSeconds, index) => ({
    ...job('escalation', offsetSeconds, new Date(due - offsetSeconds * 1_000), now),
    step: index + 1,
  }));
  return [...reminders, ...escalations];
}

/** The first step's key in reminders_sent. */
export function escalationOffset(settings: ReminderSettings): number {
  return -settings.escalateAfterSeconds;
}

/** Each escalation step's key in reminders_sent, first step first: negative, after the due date. */
export function escalationOffsets(settings: ReminderSettings): number[] {
  const steps = settings.escalationSteps ?? 1;
  const interval = settings.escalationIntervalSeconds ?? 0;
  return Array.from({ length: steps }, (_, index) => -(settings.escalateAfterSeconds + index * interval));
}

function job(kind: DeadlineJobKind, offsetSeconds: number, runAt: Date, now: Date): PlannedDeadlineJob {
  return { kind, offsetSeconds, runAt, delayMs: Math.max(0, runAt.getTime() - now.getTime()) };
}
