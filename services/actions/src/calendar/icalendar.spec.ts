import ICAL from 'ical.js';
import { calendarTranslator, type CalendarLang } from './calendar-messages';
import { deriveDeadlines } from './calendar-rules';
import { followNewDates } from './follow-new-dates';
import { serializeCalendar, type CalendarFeedOptions } from './icalendar';
import type { ConcludingObservationsMilestone, ManualMilestone, UprOutcomeMilestone } from './milestone';
import type { CalendarEntry } from './reporting-deadline';

const generatedAt = new Date('2026-03-10T06:00:00.123Z');
const options = (lang: CalendarLang): CalendarFeedOptions => ({
  lang,
  translate: calendarTranslator(lang),
  uidDomain: 'calendar.example.org',
  generatedAt,
  alarmDaysBefore: [30, 7],
});

const uprCycle3: UprOutcomeMilestone = {
  kind: 'upr_outcome',
  state: 'SVN',
  cycle: 3,
  documentSymbol: 'A/HRC/43/15',
  reviewedOn: '2019-11-13',
  adoptedOn: '2020-03-13',
};
const cat4: ConcludingObservationsMilestone = {
  kind: 'concluding_observations',
  state: 'SVN',
  body: 'CAT',
  documentSymbol: 'CAT/C/SVN/CO/4',
  adoptedOn: '2023-05-12',
  followUpParagraphs: ['9', '17', '31'],
  nextPeriodicReport: { dueOn: '2027-05-12' },
};
const ecri: ManualMilestone = {
  kind: 'manual',
  state: 'SVN',
  mechanism: 'regional',
  body: 'ECRI',
  reference: '6th monitoring cycle',
  title: 'Report; part 1, annex\\draft\nsecond line',
  dueOn: '2026-12-31',
};

/** UPR cycle 3 and CAT report 4, then CAT report 5 closes the follow-up and moves nothing else. */
function sampleCalendar(): CalendarEntry[] {
  const first = [uprCycle3, cat4, ecri].flatMap((m) => followNewDates([], m).add);
  const cat5 = followNewDates(first, {
    ...cat4,
    documentSymbol: 'CAT/C/SVN/CO/5',
    adoptedOn: '2027-11-26',
    followUpParagraphs: ['14'],
    nextPeriodicReport: { dueOn: '2031-11-26' },
  });
  const closed = new Map(cat5.close.map((entry) => [entry.id, entry]));
  return [...first.map((entry) => closed.get(entry.id) ?? entry), ...cat5.add];
}

function parse(feed: string): ICAL.Component {
  return new ICAL.Component(ICAL.parse(feed));
}

describe('the iCalendar feed, read back by ical.js', () => {
  const calendar = sampleCalendar();

  it('is a published Gregorian calendar named in the reader’s language', () => {
    const vcalendar = parse(serializeCalendar(calendar, options('fr')));
    expect(vcalendar.name).toBe('vcalendar');
    expect(vcalendar.getFirstPropertyValue('version')).toBe('2.0');
    expect(vcalendar.getFirstPropertyValue('prodid')).toBe('-//NMIRF platform//Reporting calendar//EN');
    expect(vcalendar.getFirstPropertyValue('calscale')).toBe('GREGORIAN');
    expect(vcalendar.getFirstPropertyValue('method')).toBe('PUBLISH');
    expect(vcalendar.getFirstPropertyValue('x-wr-calname')).toBe(
      'Échéances des rapports aux mécanismes des droits de l’homme',
    );
  });

  it('has one all-day event per deadline, with a stable UID, its sequence and status', () => {
    const events = parse(serializeCalendar(calendar, options('en'))).getAllSubcomponents('vevent');
    expect(events).toHaveLength(calendar.length);
    const byUid = new Map(events.map((event) => [event.getFirstPropertyValue('uid') as string, event]));
    for (const entry of calendar) {
      const event = byUid.get(`${entry.id}@calendar.example.org`)!;
      expect(event).toBeDefined();
      const start = event.getFirstPropertyValue('dtstart') as ICAL.Time;
      const end = event.getFirstPropertyValue('dtend') as ICAL.Time;
      expect(start.isDate).toBe(true);
      expect(start.toString()).toBe(entry.dueOn);
      expect(end.isDate).toBe(true);
      expect(end.subtractDate(start).toSeconds()).toBe(86_400);
      expect(event.getFirstPropertyValue('sequence')).toBe(entry.sequence);
      expect(event.getFirstPropertyValue('dtstamp')?.toString()).toBe('2026-03-10T06:00:00Z');
      expect(event.getFirstPropertyValue('transp')).toBe('TRANSPARENT');
    }

    const status = (kind: string, cycle: string) => {
      const entry = calendar.find((e) => e.kind === kind && e.cycle === cycle)!;
      return byUid.get(`${entry.id}@calendar.example.org`)!.getFirstPropertyValue('status');
    };
    expect(status('tb_follow_up_report', '4')).toBe('CANCELLED');
    expect(status('tb_follow_up_report', '5')).toBe('CONFIRMED');
    expect(status('upr_review', '4')).toBe('TENTATIVE');
  });

  it('words summary and description in the language asked for, from the catalogue', () => {
    const catFollowUp = calendar.find((e) => e.kind === 'tb_follow_up_report' && e.cycle === '5')!;
    const uid = `${catFollowUp.id}@calendar.example.org`;
    const read = (lang: CalendarLang) =>
      parse(serializeCalendar(calendar, options(lang)))
        .getAllSubcomponents('vevent')
        .find((event) => event.getFirstPropertyValue('uid') === uid)!;
    expect(read('en').getFirstPropertyValue('summary')).toBe('CAT: follow-up report');
    expect(read('es').getFirstPropertyValue('description')).toBe(
      'Información al CAT sobre las recomendaciones de los párrafos 14 de las observaciones finales CAT/C/SVN/CO/5.',
    );
    expect(read('ru').getFirstProperty('summary')?.getParameter('language')).toBe('ru');
    expect(read('zh').getFirstPropertyValue('summary')).toBe('CAT：后续行动报告');
  });

  it('adds the estimate note to estimated dates', () => {
    const review = calendar.find((e) => e.kind === 'upr_review' && e.cycle === '4')!;
    const event = parse(serializeCalendar([review], options('en'))).getFirstSubcomponent('vevent')!;
    expect(event.getFirstPropertyValue('description')).toBe(
      'Universal Periodic Review of the State by the Working Group of the Human Rights Council, cycle 4. ' +
        'Source: A/HRC/43/15.\n\nEstimated date: confirm it when the mechanism publishes its calendar.',
    );
  });

  it('reminds 30 and 7 days before open deadlines, and not at all for cancelled ones', () => {
    const events = parse(serializeCalendar(calendar, options('en'))).getAllSubcomponents('vevent');
    for (const event of events) {
      const alarms = event.getAllSubcomponents('valarm');
      if (event.getFirstPropertyValue('status') === 'CANCELLED') {
        expect(alarms).toEqual([]);
        continue;
      }
      expect(
        alarms.map((alarm) => (alarm.getFirstPropertyValue('trigger') as ICAL.Duration).toSeconds()),
      ).toEqual([-30 * 86_400, -7 * 86_400]);
      for (const alarm of alarms) {
        expect(alarm.getFirstPropertyValue('action')).toBe('DISPLAY');
        expect(alarm.getFirstPropertyValue('description')).toBe(event.getFirstPropertyValue('summary'));
      }
    }
  });

  it.each(['ar', 'zh'] as const)('keeps %s text intact through folding', (lang) => {
    const feed = serializeCalendar(calendar, options(lang));
    const translate = calendarTranslator(lang);
    const events = parse(feed).getAllSubcomponents('vevent');
    for (const entry of calendar) {
      const event = events.find(
        (e) => e.getFirstPropertyValue('uid') === `${entry.id}@calendar.example.org`,
      )!;
      expect(event.getFirstPropertyValue('summary')).toBe(translate(entry.title));
      expect(
        (event.getFirstPropertyValue('description') as string).startsWith(translate(entry.description)),
      ).toBe(true);
    }
    const strict = new TextDecoder('utf-8', { fatal: true });
    const lines = feed.split('\r\n');
    expect(lines.pop()).toBe('');
    expect(lines.some((line) => line.startsWith(' '))).toBe(true);
    for (const line of lines) {
      expect(line).not.toMatch(/[\r\n]/);
      expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
      expect(strict.decode(Buffer.from(line, 'utf8'))).toBe(line);
    }
  });
});

describe('the iCalendar feed, byte for byte', () => {
  it('escapes and folds a hand-entered title exactly', () => {
    const [deadline] = deriveDeadlines(ecri);
    const entry: CalendarEntry = { ...deadline, status: 'open', sequence: 2 };
    const feed = serializeCalendar([entry], options('en'));
    expect(feed).toBe(
      [
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'PRODID:-//NMIRF platform//Reporting calendar//EN',
        'CALSCALE:GREGORIAN',
        'METHOD:PUBLISH',
        'X-WR-CALNAME:Reporting deadlines to the human rights mechanisms',
        'REFRESH-INTERVAL;VALUE=DURATION:P1D',
        'X-PUBLISHED-TTL:P1D',
        'BEGIN:VEVENT',
        `UID:${deadline.id}@calendar.example.org`,
        'DTSTAMP:20260310T060000Z',
        'DTSTART;VALUE=DATE:20261231',
        'DTEND;VALUE=DATE:20270101',
        'SEQUENCE:2',
        'STATUS:CONFIRMED',
        'SUMMARY;LANGUAGE=en:ECRI: Report\\; part 1\\, annex\\\\draft\\nsecond line',
        // 75 octets, then the rest: the fold may fall inside an escape, unfolding restores it.
        'DESCRIPTION;LANGUAGE=en:Deadline entered by hand for ECRI: Report\\; part 1\\',
        ' , annex\\\\draft\\nsecond line.',
        'TRANSP:TRANSPARENT',
        'BEGIN:VALARM',
        'ACTION:DISPLAY',
        'TRIGGER:-P30D',
        'DESCRIPTION;LANGUAGE=en:ECRI: Report\\; part 1\\, annex\\\\draft\\nsecond line',
        'END:VALARM',
        'BEGIN:VALARM',
        'ACTION:DISPLAY',
        'TRIGGER:-P7D',
        'DESCRIPTION;LANGUAGE=en:ECRI: Report\\; part 1\\, annex\\\\draft\\nsecond line',
        'END:VALARM',
        'END:VEVENT',
        'END:VCALENDAR',
        '',
      ].join('\r\n'),
    );
    const summary = parse(feed).getFirstSubcomponent('vevent')!.getFirstPropertyValue('summary');
    expect(summary).toBe('ECRI: Report; part 1, annex\\draft\nsecond line');
  });

  it('is the same feed for the same calendar, whatever the order it is given in', () => {
    const calendar = sampleCalendar();
    expect(serializeCalendar([...calendar].reverse(), options('ar'))).toBe(
      serializeCalendar(calendar, options('ar')),
    );
  });

  it('refuses options that would break the feed', () => {
    expect(() =>
      serializeCalendar([], { ...options('en'), uidDomain: 'example.org\r\nBEGIN:VEVENT' }),
    ).toThrow('is not a domain name');
    expect(() => serializeCalendar([], { ...options('en'), alarmDaysBefore: [7, 7] })).toThrow(
      'repeats a day',
    );
    expect(() => serializeCalendar([], { ...options('en'), alarmDaysBefore: [1.5] })).toThrow('whole days');
    expect(() => serializeCalendar([], { ...options('en'), generatedAt: new Date('x') })).toThrow(
      'not a valid date',
    );
  });
});
