/**
 * The dates the platform takes in, from a request or an event. No recommendation, publication or
 * deadline predates the UN Charter, and none lies half a century ahead; anything outside is a typo
 * or an attack, and near the edges of what JavaScript, PostgreSQL and BullMQ can represent
 * (`+275760-09-13` is the last day a JavaScript Date can hold: one more day of delay breaks a job).
 */
export interface DateWindow {
  /** The earliest accepted day, `YYYY-MM-DD` (UTC). */
  min: string;
  /** How far ahead of now a date may lie, in years. */
  maxYearsAhead: number;
}

export const DEFAULT_DATE_WINDOW: DateWindow = { min: '1945-01-01', maxYearsAhead: 50 };

/** The window's first and last accepted instants, seen from `now`. */
export function dateWindowBounds(
  window: DateWindow = DEFAULT_DATE_WINDOW,
  now: Date = new Date(),
): { min: Date; max: Date } {
  const max = new Date(now.getTime());
  max.setUTCFullYear(max.getUTCFullYear() + window.maxYearsAhead);
  return { min: new Date(`${window.min}T00:00:00Z`), max };
}

/** True for a valid Date inside the window. */
export function isWithinDateWindow(
  date: Date,
  window: DateWindow = DEFAULT_DATE_WINDOW,
  now: Date = new Date(),
): boolean {
  const time = date instanceof Date ? date.getTime() : Number.NaN;
  if (!Number.isFinite(time)) return false;
  const { min, max } = dateWindowBounds(window, now);
  return time >= min.getTime() && time <= max.getTime();
}

/** `between 1945-01-01 and 2076-03-01`, for messages. */
export function describeDateWindow(window: DateWindow = DEFAULT_DATE_WINDOW, now: Date = new Date()): string {
  const { min, max } = dateWindowBounds(window, now);
  return `between ${min.toISOString().slice(0, 10)} and ${max.toISOString().slice(0, 10)}`;
}
