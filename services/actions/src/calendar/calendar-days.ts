/**
 * Calendar days as `YYYY-MM-DD`. Reporting deadlines are whole days wherever the reader is, so they
 * never go through a time zone: the arithmetic runs on UTC midnights and only the day is kept.
 */
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The UTC midnight of a real calendar day, or undefined (2025-02-30 is not one). */
export function parseDay(text: string): Date | undefined {
  const match = DAY.exec(text);
  if (!match) return undefined;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return formatDay(date) === text ? date : undefined;
}

export function formatDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function isDay(text: unknown): text is string {
  return typeof text === 'string' && parseDay(text) !== undefined;
}

/** `day` plus `months`; the 31st becomes the last day of a shorter month (2020-08-31 + 6 → 2021-02-28). */
export function addMonths(day: string, months: number): string {
  const date = toDate(day);
  const target = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(date.getUTCDate(), lastDay));
  return formatDay(target);
}

export function addDays(day: string, days: number): string {
  return formatDay(new Date(toDate(day).getTime() + days * 86_400_000));
}

function toDate(day: string): Date {
  const date = parseDay(day);
  if (!date) throw new RangeError(`"${day}" is not a calendar day (YYYY-MM-DD)`);
  return date;
}
