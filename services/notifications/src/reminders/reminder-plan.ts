/** When to remind an institution of a deadline, and when to escalate if it is missed. */
export interface ReminderSettings {
  /** Seconds before the due date, one reminder each; 0 means on the due date. */
  offsetsSeconds: readonly number[];
  /** Seconds after the due date at which an open action is escalated. */
  escalateAfterSeconds: number;
}

export type DeadlineJobKind = 'reminder' | 'escalation';

export interface PlannedDeadlineJob {
  kind: DeadlineJobKind;
  /**
   * The key in reminders_sent: seconds before the due date, negative for the escalation (which
   * comes after it), so reminders and escalation share one idempotency table.
   */
  offsetSeconds: number;
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
  const escalation = job(
    'escalation',
    escalationOffset(settings),
    new Date(due + settings.escalateAfterSeconds * 1_000),
    now,
  );
  return [...reminders, escalation];
}

export function escalationOffset(settings: ReminderSettings): number {
  return -settings.escalateAfterSeconds;
}

function job(kind: DeadlineJobKind, offsetSeconds: number, runAt: Date, now: Date): PlannedDeadlineJob {
  return { kind, offsetSeconds, runAt, delayMs: Math.max(0, runAt.getTime() - now.getTime()) };
}
