/** How far ahead reminders go into Redis, and how long a missed one is still sent; from the config. */
export interface HorizonSettings {
  /** Jobs due within this many seconds are in BullMQ; later ones wait in PostgreSQL. */
  horizonSeconds: number;
  /**
   * How long after its moment an unsent on-the-day reminder or escalation is still sent (a worker
   * down for that long catches up); older ones are not read by a pass any more.
   */
  catchUpSeconds: number;
  /** How often the horizon pass runs (a BullMQ job scheduler); well below the horizon. */
  passEverySeconds: number;
}

export const HORIZON_SETTINGS = Symbol('HORIZON_SETTINGS');

/** The config's defaults (REMINDER_HORIZON 6h, REMINDER_CATCH_UP 3d, RECONCILE_INTERVAL 5m). */
export const DEFAULT_HORIZON: HorizonSettings = {
  horizonSeconds: 6 * 3_600,
  catchUpSeconds: 3 * 86_400,
  passEverySeconds: 300,
};

/** The last instant a job planned at `now` may run and still go to Redis at once. */
export function horizonEnd(settings: HorizonSettings, now: Date): Date {
  return new Date(now.getTime() + settings.horizonSeconds * 1_000);
}

/** The window of due dates whose job at `offsetSeconds` before them runs within [from, until]. */
export function dueWindow(
  offsetSeconds: number,
  runFrom: Date,
  runUntil: Date,
): { dueAfter: Date; dueUntil: Date } {
  return {
    dueAfter: new Date(runFrom.getTime() + offsetSeconds * 1_000),
    dueUntil: new Date(runUntil.getTime() + offsetSeconds * 1_000),
  };
}

/**
 * Where a pass starts looking for jobs at `offsetSeconds`: a reminder before the due date whose
 * moment passed is never sent late, so only the future; the on-the-day reminder and escalations
 * (offset ≤ 0) are sent late, back to the catch-up limit.
 */
export function runFrom(offsetSeconds: number, now: Date, settings: HorizonSettings): Date {
  return offsetSeconds > 0 ? now : new Date(now.getTime() - settings.catchUpSeconds * 1_000);
}
