import { deriveDeadlines } from './calendar-rules';
import { followNewDates, type CalendarChanges } from './follow-new-dates';
import type {
  ConcludingObservationsMilestone,
  ManualMilestone,
  Milestone,
  UprOutcomeMilestone,
} from './milestone';
import type { CalendarEntry } from './reporting-deadline';

const cedaw7: ConcludingObservationsMilestone = {
  kind: 'concluding_observations',
  state: 'SVN',
  body: 'CEDAW',
  documentSymbol: 'CEDAW/C/SVN/CO/7',
  adoptedOn: '2015-11-20',
  followUpParagraphs: ['12', '24'],
  nextPeriodicReport: { dueOn: '2019-11-01' },
};

const cedaw8: ConcludingObservationsMilestone = {
  ...cedaw7,
  documentSymbol: 'CEDAW/C/SVN/CO/8',
  adoptedOn: '2023-05-26',
  followUpParagraphs: ['20', '38'],
  nextPeriodicReport: { dueOn: '2027-05-01' },
};

const uprCycle3: UprOutcomeMilestone = {
  kind: 'upr_outcome',
  state: 'SVN',
  cycle: 3,
  documentSymbol: 'A/HRC/43/15',
  reviewedOn: '2019-11-13',
  adoptedOn: '2020-03-13',
};

// Entered by hand: one for a regional body, one for the same committee as the documents above.
const ecri: ManualMilestone = {
  kind: 'manual',
  state: 'SVN',
  mechanism: 'regional',
  body: 'ECRI',
  reference: '6th monitoring cycle',
  title: 'Information on the priority recommendations',
  dueOn: '2026-10-01',
};
const cedawConsultation: ManualMilestone = {
  kind: 'manual',
  state: 'SVN',
  mechanism: 'treaty_body',
  body: 'CEDAW',
  reference: 'consultation on report 8',
  title: 'Consult the NHRI and civil society on the draft report',
  dueOn: '2019-06-01',
};

/** The calendar after applying each milestone in turn, as the integrating service would store it. */
function calendarAfter(...milestones: Milestone[]): CalendarEntry[] {
  let calendar: CalendarEntry[] = [];
  for (const milestone of milestones) calendar = apply(calendar, followNewDates(calendar, milestone));
  return calendar;
}

function apply(calendar: CalendarEntry[], changes: CalendarChanges): CalendarEntry[] {
  const replaced = new Map([...changes.update.map((u) => u.entry), ...changes.close].map((e) => [e.id, e]));
  return [...calendar.map((entry) => replaced.get(entry.id) ?? entry), ...changes.add];
}

const find = (calendar: CalendarEntry[], kind: string, cycle: string) =>
  calendar.find((entry) => entry.kind === kind && entry.cycle === cycle);

describe('the calendar follows a mechanism’s new dates', () => {
  it('adds what a first document gives, open, at sequence 0', () => {
    const changes = followNewDates([], cedaw7);
    expect(changes.update).toEqual([]);
    expect(changes.close).toEqual([]);
    expect(changes.add.map((e) => [e.kind, e.cycle, e.dueOn, e.status, e.sequence])).toEqual([
      ['tb_follow_up_report', '7', '2017-11-20', 'open', 0],
      ['tb_periodic_report', '8', '2019-11-01', 'open', 0],
    ]);
  });

  it('changes nothing when the same document is imported again', () => {
    const calendar = calendarAfter(cedaw7, uprCycle3, ecri);
    expect(followNewDates(calendar, cedaw7)).toEqual({ add: [], update: [], close: [] });
    expect(followNewDates(calendar, uprCycle3)).toEqual({ add: [], update: [], close: [] });
  });

  it('moves a date when a newer document changes it, raising the sequence, without duplicating', () => {
    const calendar = calendarAfter(cedaw7);
    const corrigendum = {
      ...cedaw7,
      documentSymbol: 'CEDAW/C/SVN/CO/7/Corr.1',
      nextPeriodicReport: { dueOn: '2020-03-01' },
    };
    const changes = followNewDates(calendar, corrigendum);
    expect(changes.add).toEqual([]);
    expect(changes.close).toEqual([]);
    expect(changes.update).toHaveLength(2);
    const periodic = changes.update.find((u) => u.entry.kind === 'tb_periodic_report')!;
    expect(periodic).toMatchObject({
      previousDueOn: '2019-11-01',
      entry: {
        id: find(calendar, 'tb_periodic_report', '8')!.id,
        dueOn: '2020-03-01',
        sequence: 1,
        status: 'open',
      },
    });
    expect(periodic.entry.source).toBe('CEDAW/C/SVN/CO/7/Corr.1');
    // Same day, new source: the wording is updated, the sequence is not (RFC 5545 counts date changes).
    const followUp = changes.update.find((u) => u.entry.kind === 'tb_follow_up_report')!;
    expect(followUp).toMatchObject({
      previousDueOn: '2017-11-20',
      entry: { dueOn: '2017-11-20', sequence: 0 },
    });
  });

  it('closes the deadlines of the previous observations when the next ones arrive, leaving manual entries alone', () => {
    const calendar = calendarAfter(cedaw7, uprCycle3, ecri, cedawConsultation);
    const changes = followNewDates(calendar, cedaw8);

    expect(changes.add.map((e) => [e.kind, e.cycle, e.dueOn])).toEqual([
      ['tb_follow_up_report', '8', '2025-05-26'],
      ['tb_periodic_report', '9', '2027-05-01'],
    ]);
    expect(changes.update).toEqual([]);
    // Report 8 was examined; the follow-up to the 7th observations gives way to the one on the 8th.
    expect(changes.close.map((e) => [e.kind, e.cycle, e.status, e.sequence])).toEqual([
      ['tb_follow_up_report', '7', 'closed', 1],
      ['tb_periodic_report', '8', 'closed', 1],
    ]);
    const touched = new Set([...changes.add, ...changes.close].map((e) => e.id));
    for (const manual of calendar.filter((e) => e.kind === 'manual'))
      expect(touched.has(manual.id)).toBe(false);
    for (const upr of calendar.filter((e) => e.body === 'UPR')) expect(touched.has(upr.id)).toBe(false);
  });

  it('does not close a committee’s deadlines for another committee or another State', () => {
    const calendar = calendarAfter(cedaw7);
    const cat = { ...cedaw8, body: 'CAT' as const, documentSymbol: 'CAT/C/SVN/CO/8' };
    expect(followNewDates(calendar, cat).close).toEqual([]);
    const croatia = { ...cedaw8, state: 'HRV', documentSymbol: 'CEDAW/C/HRV/CO/8' };
    expect(followNewDates(calendar, croatia).close).toEqual([]);
  });

  it('closes nothing of the same cycle when a re-import lacks a date: missing is not cancelled', () => {
    const calendar = calendarAfter(cedaw7);
    const partial = { ...cedaw7, followUpParagraphs: [], nextPeriodicReport: undefined };
    expect(followNewDates(calendar, partial)).toEqual({ add: [], update: [], close: [] });
  });

  it('keeps closed entries closed, and reopens one a later import gives again', () => {
    const calendar = calendarAfter(cedaw7, cedaw8);
    expect(followNewDates(calendar, cedaw8)).toEqual({ add: [], update: [], close: [] });
    // A mistaken import of the 8th observations is corrected by importing the 7th again.
    const reopened = followNewDates(calendar, cedaw7).update.map((u) => [
      u.entry.cycle,
      u.entry.status,
      u.entry.sequence,
    ]);
    expect(reopened).toEqual([
      ['7', 'open', 2],
      ['8', 'open', 2],
    ]);
  });

  it('replaces the estimated review date with the one the Council publishes, then closes the finished cycle', () => {
    const estimated = calendarAfter(uprCycle3);
    expect(find(estimated, 'upr_review', '4')).toMatchObject({ dueOn: '2024-05-13', estimated: true });

    const published = { ...uprCycle3, nextReviewOn: '2025-01-29' };
    const moved = followNewDates(estimated, published);
    expect(moved.add).toEqual([]);
    expect(moved.update.map((u) => [u.entry.kind, u.previousDueOn, u.entry.dueOn, u.entry.sequence])).toEqual(
      [
        ['upr_national_report', '2024-02-19', '2024-11-06', 1],
        ['upr_review', '2024-05-13', '2025-01-29', 1],
      ],
    );
    // The review date is now the Council's; the report deadline is still the usual 12 weeks before it.
    expect(moved.update.map((u) => u.entry.estimated)).toEqual([true, false]);

    const cycle4: UprOutcomeMilestone = {
      kind: 'upr_outcome',
      state: 'SVN',
      cycle: 4,
      documentSymbol: 'A/HRC/59/15',
      reviewedOn: '2025-01-29',
      adoptedOn: '2025-06-27',
    };
    const calendar = apply(estimated, moved);
    const next = followNewDates(calendar, cycle4);
    // The review itself keeps its date; its source is now the outcome of that review.
    expect(
      next.update.map((u) => [u.entry.kind, u.entry.cycle, u.entry.dueOn, u.entry.source, u.entry.sequence]),
    ).toEqual([['upr_review', '4', '2025-01-29', 'A/HRC/59/15', 1]]);
    expect(next.add.map((e) => [e.kind, e.cycle])).toEqual([
      ['upr_mid_term_report', '4'],
      ['upr_national_report', '5'],
      ['upr_review', '5'],
    ]);
    expect(next.close.map((e) => [e.kind, e.cycle])).toEqual([
      ['upr_mid_term_report', '3'],
      ['upr_national_report', '4'],
    ]);
    // Past reviews stay as they were: they happened.
    expect(next.close.some((e) => e.kind === 'upr_review')).toBe(false);
  });

  it('updates a manual entry only from the same manual reference, and never closes anything for it', () => {
    const calendar = calendarAfter(cedaw7, ecri);
    const changes = followNewDates(calendar, { ...ecri, dueOn: '2026-11-15' });
    expect(changes.add).toEqual([]);
    expect(changes.close).toEqual([]);
    expect(
      changes.update.map((u) => [u.entry.body, u.previousDueOn, u.entry.dueOn, u.entry.sequence]),
    ).toEqual([['ECRI', '2026-10-01', '2026-11-15', 1]]);
  });

  it('reads stored parameters whatever their key order (PostgreSQL jsonb sorts them)', () => {
    const calendar = calendarAfter(cedaw7).map((entry) => ({
      ...entry,
      description: {
        key: entry.description.key,
        params: Object.fromEntries(Object.entries(entry.description.params).reverse()),
      },
    }));
    const stored = Object.keys(calendar[0].description.params);
    expect(stored).not.toEqual(Object.keys(deriveDeadlines(cedaw7)[0].description.params));
    expect(followNewDates(calendar, cedaw7)).toEqual({ add: [], update: [], close: [] });
  });
});
