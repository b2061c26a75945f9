/** A deadline as the job scheduler needs it. */
export interface ScheduledDeadline {
  actionId: string;
  dueAt: Date;
  correlationId: string;
}

/**
 * Puts a deadline's reminder and escalation jobs in line with PostgreSQL. Called after the commit
 * that changed the deadline; a failure is repaired by the reconciler, never by the caller.
 */
export interface DeadlineJobScheduler {
  /** Replaces every job of this deadline with the current plan. */
  reschedule(deadline: ScheduledDeadline): Promise<void>;
  /** Removes every pending job of this deadline. */
  cancelAll(actionId: string): Promise<void>;
}

export const DEADLINE_JOB_SCHEDULER = Symbol('DEADLINE_JOB_SCHEDULER');
