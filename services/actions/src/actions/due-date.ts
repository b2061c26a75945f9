import { DomainError } from '@nmirf/platform';

/** UTC−12, the last time zone where a day begins: "today" there is still today somewhere. */
const LATEST_ZONE_OFFSET_MS = 12 * 3_600_000;

/**
 * The earliest due date an assignment may take: the start of today in any time zone. A due date in
 * the past would send every reminder and the overdue escalation the moment it is set.
 */
export function earliestDueDate(now: Date = new Date()): Date {
  const day = new Date(now.getTime() - LATEST_ZONE_OFFSET_MS);
  return new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate()));
}

/** Refuses (422) a due date set in the past when creating, assigning or moving a deadline. */
export function assertDueDateAhead(dueAt: Date, now: Date = new Date()): void {
  if (dueAt.getTime() < earliestDueDate(now).getTime()) {
    throw new DomainError('unprocessable', 'dueDate must be in the future (today is accepted)');
  }
}
