import { defineJobNames, type JobTrace } from '@nmirf/platform';
import type { DeadlineJobKind } from './reminder-plan';

export const DEADLINES_QUEUE = 'deadlines';

export const DeadlineJobNames = defineJobNames('deadline-reminder', 'overdue-escalation');
export type DeadlineJobName = keyof typeof DeadlineJobNames;

const jobNameOf: Record<DeadlineJobKind, DeadlineJobName> = {
  reminder: DeadlineJobNames['deadline-reminder'],
  escalation: DeadlineJobNames['overdue-escalation'],
};

export function deadlineJobName(kind: DeadlineJobKind): DeadlineJobName {
  return jobNameOf[kind];
}

/** What a job needs to find its deadline again and tell whether it is still the current one. */
export interface DeadlineJobData extends JobTrace {
  actionId: string;
  /** ISO 8601; a job for an older due date is stale and does nothing. */
  dueAt: string;
  offsetSeconds: number;
  correlationId: string;
}

/**
 * Deterministic ids, so a job can be found again to move or cancel it and adding it twice is a
 * no-op. BullMQ refuses ':' in custom ids, hence '-'.
 */
export function deadlineJobId(
  actionId: string,
  job: { kind: DeadlineJobKind; offsetSeconds: number; step?: number },
): string {
  return job.kind === 'reminder'
    ? reminderJobId(actionId, job.offsetSeconds)
    : escalationJobId(actionId, job.step);
}

export function reminderJobId(actionId: string, offsetSeconds: number): string {
  return `reminder-${actionId}-${offsetSeconds}`;
}

/** The first step keeps the id it had before the ladder, so jobs planned then are still found. */
export function escalationJobId(actionId: string, step = 1): string {
  return step === 1 ? `escalation-${actionId}` : `escalation-${actionId}-${step}`;
}
