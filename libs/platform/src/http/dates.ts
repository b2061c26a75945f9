import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { ValidateBy, type ValidationArguments } from 'class-validator';
import { DEFAULT_DATE_WINDOW, describeDateWindow, isWithinDateWindow, type DateWindow } from '../date-window';

export interface StrictDateOptions extends Partial<DateWindow> {
  /** Only `YYYY-MM-DD` (e.g. a publication date filter); otherwise a date-time is accepted too. */
  dateOnly?: boolean;
}

// A calendar date, optionally with a time that must carry its offset: "2026-03-01T09:30" alone would
// be read in whatever time zone the server runs in.
const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|([+-])(\d{2}):(\d{2})))?$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeapYear = (year: number) => year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
const daysInMonth = (year: number, month: number) =>
  month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1];

/**
 * `2026-03-01` (midnight UTC) or `2026-03-01T09:30:00Z` / `…+02:00` as a Date; undefined for
 * anything else, including real-looking but impossible dates (`2026-02-30`, `T24:00`), expanded
 * years (`+275760-09-13`) and the numbers `Date` would happily take (`0`, `"1"`).
 */
export function parseStrictIsoDate(text: string, options: { dateOnly?: boolean } = {}): Date | undefined {
  const match = ISO_DATE.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, fraction, zone, sign, zh, zm] = match;
  if (options.dateOnly && h !== undefined) return undefined;
  const [year, month, day] = [Number(y), Number(mo), Number(d)];
  const [hour, minute, second] = [Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0)];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMinutes = 0;
  if (zone && zone !== 'Z') {
    if (Number(zh) > 23 || Number(zm) > 59) return undefined;
    offsetMinutes = (sign === '-' ? -1 : 1) * (Number(zh) * 60 + Number(zm));
  }
  const date = new Date(0);
  // setUTCFullYear, not Date.UTC: the latter reads years 0–99 as 1900–1999.
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(
    hour,
    minute - offsetMinutes,
    second,
    Number((fraction ?? '0').padEnd(3, '0').slice(0, 3)),
  );
  return date;
}

/**
 * A date field of a body or query: a strict ISO 8601 string with a real calendar date, inside a sane
 * window (by default 1945-01-01 to 50 years ahead), turned into a Date. Anything else is refused by
 * name with a 400: `true`, `0`, `-1`, `"1"`, `2026-02-30`, `+275760-09-13`, `1900-01-01`.
 */
export function IsStrictDateTime(options: StrictDateOptions = {}): PropertyDecorator {
  const window: DateWindow = {
    min: options.min ?? DEFAULT_DATE_WINDOW.min,
    maxYearsAhead: options.maxYearsAhead ?? DEFAULT_DATE_WINDOW.maxYearsAhead,
  };
  const format = options.dateOnly
    ? 'an ISO 8601 date such as 2026-03-01'
    : 'an ISO 8601 date (2026-03-01) or date-time with a UTC offset (2026-03-01T09:30:00Z)';
  return applyDecorators(
    // A well-formed date becomes a Date (even outside the window, so the message can say which rule
    // it broke); anything else stays as sent for the validator to refuse.
    Transform(({ value }) =>
      typeof value === 'string' ? (parseStrictIsoDate(value, options) ?? value) : value,
    ),
    ValidateBy({
      name: 'isStrictDateTime',
      validator: {
        validate: (value: unknown) => value instanceof Date && isWithinDateWindow(value, window),
        defaultMessage: (args?: ValidationArguments) =>
          args?.value instanceof Date && Number.isFinite(args.value.getTime())
            ? `${args.property} must be ${describeDateWindow(window)}`
            : `${args?.property} must be ${format}`,
      },
    }),
  );
}
