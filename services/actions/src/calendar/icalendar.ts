import { addDays } from './calendar-days';
import type { CalendarLang, Translate } from './calendar-messages';
import { contentLines, escapeText } from './ical-lines';
import type { CalendarEntry } from './reporting-deadline';

export const CALENDAR_PRODID = '-//NMIRF platform//Reporting calendar//EN';

export interface CalendarFeedOptions {
  /** The reader's language; `translate` speaks it. */
  lang: CalendarLang;
  translate: Translate;
  /** A domain the deployment owns: UIDs are `<deadline id>@<uidDomain>`, unique across calendars. */
  uidDomain: string;
  /** DTSTAMP of every event: when this feed was produced (RFC 5545 §3.8.7.2, with METHOD). */
  generatedAt: Date;
  /** One display alarm per value, that many days before the due date (e.g. [30, 7]); 0 is the day itself. */
  alarmDaysBefore: readonly number[];
}

/**
 * The calendar as an RFC 5545 feed to subscribe to: one all-day event per deadline, cancelled once
 * closed, tentative while its date is an estimate. Clients tell a moved date by its higher SEQUENCE.
 */
export function serializeCalendar(entries: readonly CalendarEntry[], options: CalendarFeedOptions): string {
  assertFeedOptions(options);
  const { lang, translate } = options;
  const stamp = utcStamp(options.generatedAt);
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:${CALENDAR_PRODID}`,
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(translate({ key: 'feed.name', params: {} }))}`,
    // Subscribed clients poll; a day is short enough for dates set months ahead (RFC 7986 §5.7).
    'REFRESH-INTERVAL;VALUE=DURATION:P1D',
    'X-PUBLISHED-TTL:P1D',
  ];
  const ordered = [...entries].sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.id.localeCompare(b.id));
  for (const entry of ordered) {
    const summary = escapeText(translate(entry.title));
    const description = [translate(entry.description)];
    if (entry.estimated) description.push(translate({ key: 'note.estimated', params: {} }));
    lines.push(
      'BEGIN:VEVENT',
      `UID:${entry.id}@${options.uidDomain}`,
      `DTSTAMP:${stamp}`,
      `DTSTART;VALUE=DATE:${compactDay(entry.dueOn)}`,
      `DTEND;VALUE=DATE:${compactDay(addDays(entry.dueOn, 1))}`,
      `SEQUENCE:${entry.sequence}`,
      `STATUS:${entry.status === 'closed' ? 'CANCELLED' : entry.estimated ? 'TENTATIVE' : 'CONFIRMED'}`,
      `SUMMARY;LANGUAGE=${lang}:${summary}`,
      `DESCRIPTION;LANGUAGE=${lang}:${escapeText(description.join('\n\n'))}`,
      // A deadline does not make anyone busy that day.
      'TRANSP:TRANSPARENT',
    );
    if (entry.status === 'open') {
      for (const days of options.alarmDaysBefore) {
        lines.push(
          'BEGIN:VALARM',
          'ACTION:DISPLAY',
          `TRIGGER:${days === 0 ? 'PT0S' : `-P${days}D`}`,
          `DESCRIPTION;LANGUAGE=${lang}:${summary}`,
          'END:VALARM',
        );
      }
    }
    lines.push('END:VEVENT');
  }
  lines.push('END:VCALENDAR');
  return contentLines(lines);
}

function assertFeedOptions(options: CalendarFeedOptions): void {
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(options.uidDomain))
    throw new RangeError(`uidDomain "${options.uidDomain}" is not a domain name`);
  if (Number.isNaN(options.generatedAt.getTime())) throw new RangeError('generatedAt is not a valid date');
  const days = options.alarmDaysBefore;
  if (days.some((day) => !Number.isInteger(day) || day < 0 || day > 3_650))
    throw new RangeError(`alarmDaysBefore must be whole days between 0 and 3650: ${days.join(', ')}`);
  if (new Set(days).size !== days.length)
    throw new RangeError(`alarmDaysBefore repeats a day: ${days.join(', ')}`);
}

/** 2026-03-10T06:00:00.123Z → 20260310T060000Z */
function utcStamp(date: Date): string {
  return date
    .toISOString()
    .replace(/\.\d{3}/, '')
    .replace(/[-:]/g, '');
}

function compactDay(day: string): string {
  return day.replace(/-/g, '');
}
