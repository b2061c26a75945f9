import { DEFAULT_DATE_WINDOW, describeDateWindow, isWithinDateWindow, type DateWindow } from '../date-window';

/**
 * The event itself can never be applied (an impossible value, a broken invariant): retrying cannot
 * help, so the consumer sends it to the dead-letter topic at once, with this message, and moves on.
 */
export class PermanentEventError extends Error {
  override readonly name = 'PermanentEventError';
}

/**
 * An event's date, refused when it is missing, invalid or outside the platform's date window: one
 * impossible deadline (`+275760-09-13`) must not reach BullMQ or the read models.
 */
export function requireEventDate(
  date: Date | null | undefined,
  field: string,
  window: DateWindow = DEFAULT_DATE_WINDOW,
): Date {
  if (!date) throw new PermanentEventError(`${field} is missing`);
  if (!isWithinDateWindow(date, window)) {
    const shown = Number.isFinite(date.getTime()) ? date.toISOString() : 'an invalid date';
    throw new PermanentEventError(`${field} is ${shown}, not ${describeDateWindow(window)}`);
  }
  return date;
}
