import { DomainError } from '@nmirf/platform';
import { TB_FOLLOW_UP_MONTHS, cycleRank, deriveDeadlines } from './calendar-rules';
import type { ConcludingObservationsMilestone, Milestone, UprOutcomeMilestone } from './milestone';
import { deadlineId } from './reporting-deadline';

const uprCycle3: UprOutcomeMilestone = {
  kind: 'upr_outcome',
  state: 'SVN',
  cycle: 3,
  documentSymbol: 'A/HRC/43/15',
  reviewedOn: '2019-11-13',
  adoptedOn: '2020-03-13',
};

const cedaw7: ConcludingObservationsMilestone = {
  kind: 'concluding_observations',
  state: 'SVN',
  body: 'CEDAW',
  documentSymbol: 'CEDAW/C/SVN/CO/7',
  adoptedOn: '2015-11-20',
  followUpParagraphs: ['12', '24'],
  nextPeriodicReport: { dueOn: '2019-11-01' },
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

const summary = (milestone: Milestone) =>
  deriveDeadlines(milestone).map(({ kind, body, cycle, dueOn, estimated, source }) => ({
    kind,
    body,
    cycle,
    dueOn,
    estimated,
    source,
  }));

describe('UPR deadlines from a review outcome', () => {
  it('gives the review, the mid-term report 30 months after adoption, and the next report and review', () => {
    expect(summary(uprCycle3)).toEqual([
      {
        kind: 'upr_review',
        body: 'UPR',
        cycle: '3',
        dueOn: '2019-11-13',
        estimated: false,
        source: 'A/HRC/43/15',
      },
      {
        kind: 'upr_mid_term_report',
        body: 'UPR',
        cycle: '3',
        dueOn: '2022-09-13',
        estimated: false,
        source: 'A/HRC/43/15',
      },
      // 54 months after this review, and 12 weeks (84 days) before it.
      {
        kind: 'upr_national_report',
        body: 'UPR',
        cycle: '4',
        dueOn: '2024-02-19',
        estimated: true,
        source: 'A/HRC/43/15',
      },
      {
        kind: 'upr_review',
        body: 'UPR',
        cycle: '4',
        dueOn: '2024-05-13',
        estimated: true,
        source: 'A/HRC/43/15',
      },
    ]);
  });

  it('takes the next review and the national-report deadline from the calendar once published', () => {
    const deadlines = summary({
      ...uprCycle3,
      nextReviewOn: '2025-01-29',
      nationalReportDueOn: '2024-10-21',
    });
    expect(deadlines.filter((d) => d.cycle === '4')).toEqual([
      expect.objectContaining({ kind: 'upr_national_report', dueOn: '2024-10-21', estimated: false }),
      expect.objectContaining({ kind: 'upr_review', dueOn: '2025-01-29', estimated: false }),
    ]);
  });

  it('estimates the national report from a published review date when OHCHR has not set its deadline yet', () => {
    const report = summary({ ...uprCycle3, nextReviewOn: '2025-01-29' }).find(
      (d) => d.kind === 'upr_national_report',
    );
    expect(report).toMatchObject({ dueOn: '2024-11-06', estimated: true });
  });

  it('ends a month early when the adoption day does not exist 30 months later', () => {
    const mid = (adoptedOn: string) =>
      deriveDeadlines({ ...uprCycle3, reviewedOn: '2020-05-01', adoptedOn }).find(
        (d) => d.kind === 'upr_mid_term_report',
      )?.dueOn;
    expect(mid('2020-08-31')).toBe('2023-02-28');
    expect(mid('2021-08-29')).toBe('2024-02-29');
    expect(mid('2021-08-31')).toBe('2024-02-29');
  });

  it('describes each deadline with a message key and parameters, not prose', () => {
    const midTerm = deriveDeadlines(uprCycle3).find((d) => d.kind === 'upr_mid_term_report')!;
    expect(midTerm.title).toEqual({
      key: 'upr_mid_term_report.title',
      params: { body: 'UPR', cycle: '3', source: 'A/HRC/43/15' },
    });
    expect(midTerm.description.key).toBe('upr_mid_term_report.description');
  });
});

describe('treaty-body deadlines from concluding observations', () => {
  it('CEDAW: follow-up within two years, the next periodic report numbered after the one examined', () => {
    expect(summary(cedaw7)).toEqual([
      {
        kind: 'tb_follow_up_report',
        body: 'CEDAW',
        cycle: '7',
        dueOn: '2017-11-20',
        estimated: false,
        source: 'CEDAW/C/SVN/CO/7',
      },
      {
        kind: 'tb_periodic_report',
        body: 'CEDAW',
        cycle: '8',
        dueOn: '2019-11-01',
        estimated: false,
        source: 'CEDAW/C/SVN/CO/7',
      },
    ]);
    const followUp = deriveDeadlines(cedaw7)[0];
    expect(followUp.description.params).toMatchObject({
      paragraphs: ['12', '24'],
      source: 'CEDAW/C/SVN/CO/7',
    });
  });

  it('CAT: follow-up within one year', () => {
    expect(summary(cat4).map((d) => [d.kind, d.cycle, d.dueOn])).toEqual([
      ['tb_follow_up_report', '4', '2024-05-12'],
      ['tb_periodic_report', '5', '2027-05-12'],
    ]);
  });

  it.each([
    ['CERD', 'CERD/C/SVN/CO/12-13', '2026-08-28'],
    ['CESCR', 'E/C.12/SVN/CO/3', '2026-08-28'],
    ['CCPR', 'CCPR/C/SVN/CO/4', '2026-08-28'],
    ['CRC', 'CRC/C/SVN/CO/5-6', '2026-08-28'],
    ['CMW', 'CMW/C/SVN/CO/1', '2027-08-28'],
    ['CRPD', 'CRPD/C/SVN/CO/1', '2026-08-28'],
    ['CED', 'CED/C/SVN/CO/1', '2026-08-28'],
  ] as const)(
    '%s observations adopted on 2025-08-28 ask for follow-up by %s',
    (body, documentSymbol, dueOn) => {
      const deadlines = deriveDeadlines({ ...cat4, body, documentSymbol, adoptedOn: '2025-08-28' });
      expect(deadlines.find((d) => d.kind === 'tb_follow_up_report')).toMatchObject({
        kind: 'tb_follow_up_report',
        body,
        dueOn,
      });
      expect(TB_FOLLOW_UP_MONTHS[body]).toBe(body === 'CMW' ? 24 : 12);
    },
  );

  it('uses the follow-up date the document itself sets', () => {
    const [followUp] = deriveDeadlines({ ...cat4, followUpDueOn: '2024-05-31' });
    expect(followUp.dueOn).toBe('2024-05-31');
  });

  it('numbers the report after a combined one, unless the document names it', () => {
    const crc = { ...cat4, body: 'CRC' as const, documentSymbol: 'CRC/C/SVN/CO/3-4' };
    expect(deriveDeadlines(crc).find((d) => d.kind === 'tb_periodic_report')?.cycle).toBe('5');
    const named = { ...crc, nextPeriodicReport: { dueOn: '2027-05-12', number: '5-6' } };
    expect(deriveDeadlines(named).find((d) => d.kind === 'tb_periodic_report')?.cycle).toBe('5-6');
    expect(cycleRank('5-6')).toBe(6);
  });

  it('gives no follow-up report without marked paragraphs, and no periodic report without a date', () => {
    expect(deriveDeadlines({ ...cat4, followUpParagraphs: [], nextPeriodicReport: undefined })).toEqual([]);
  });
});

describe('manual entries', () => {
  it('keeps the date, body and title as entered, keyed by the reference', () => {
    const entry = {
      kind: 'manual' as const,
      state: 'SVN',
      mechanism: 'regional' as const,
      body: 'ECRI',
      reference: '6th monitoring cycle',
      title: 'Information on the priority recommendations',
      dueOn: '2026-10-01',
    };
    const [deadline] = deriveDeadlines(entry);
    expect(deadline).toMatchObject({
      kind: 'manual',
      mechanism: 'regional',
      body: 'ECRI',
      cycle: '6th monitoring cycle',
      dueOn: '2026-10-01',
      source: null,
      title: {
        key: 'manual.title',
        params: { body: 'ECRI', title: 'Information on the priority recommendations' },
      },
    });
    expect(deriveDeadlines({ ...entry, dueOn: '2026-12-01', title: 'Renamed' })[0].id).toBe(deadline.id);
    expect(deriveDeadlines({ ...entry, reference: '7th monitoring cycle' })[0].id).not.toBe(deadline.id);
  });
});

describe('deadline ids', () => {
  it('are name-based UUIDs of mechanism, body, kind and cycle, whatever document carried them', () => {
    const first = deriveDeadlines(cedaw7);
    const corrected = deriveDeadlines({
      ...cedaw7,
      documentSymbol: 'CEDAW/C/SVN/CO/7/Corr.1',
      adoptedOn: '2016-01-15',
    });
    expect(corrected.map((d) => d.id)).toEqual(first.map((d) => d.id));
    expect(
      new Set([...first, ...deriveDeadlines(cat4), ...deriveDeadlines(uprCycle3)].map((d) => d.id)).size,
    ).toBe(8);
    for (const { id } of first)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('never change: stored calendars and subscribed clients hold them', () => {
    const midTerm = deriveDeadlines(uprCycle3).find((d) => d.kind === 'upr_mid_term_report')!;
    expect(midTerm.key).toBe('SVN/upr/UPR/upr_mid_term_report/3');
    expect(deadlineId(midTerm.key)).toBe(midTerm.id);
    expect(midTerm.id).toBe(PINNED_MID_TERM_ID);
  });
});

describe('milestones the rules cannot read are refused with 422, naming the field', () => {
  it.each([
    ['adoptedOn', { ...cat4, adoptedOn: '2023-02-30' }],
    ['adoptedOn', { ...uprCycle3, adoptedOn: '2019-11-01' }],
    ['nextReviewOn', { ...uprCycle3, nextReviewOn: '13/11/2024' }],
    ['cycle', { ...uprCycle3, cycle: 0 }],
    ['state', { ...cat4, state: 'Slovenia' }],
    ['body', { ...cat4, body: 'SPT' }],
    ['documentSymbol', { ...cat4, documentSymbol: 'CEDAW/C/SVN/CO/7' }],
    ['documentSymbol', { ...cat4, documentSymbol: 'CAT/C/HRV/CO/4' }],
    ['documentSymbol', { ...cat4, body: 'CRC', documentSymbol: 'CRC/C/OPSC/SVN/CO/1' }],
    ['followUpParagraphs[1]', { ...cat4, followUpParagraphs: ['9', 'see above'] }],
    ['nextPeriodicReport.dueOn', { ...cat4, nextPeriodicReport: { dueOn: '2020-01-01' } }],
    ['nextPeriodicReport.number', { ...cat4, nextPeriodicReport: { dueOn: '2027-05-12', number: 'fifth' } }],
    [
      'dueOn',
      {
        kind: 'manual',
        state: 'SVN',
        mechanism: 'regional',
        body: 'ECRI',
        reference: 'x',
        title: 't',
        dueOn: '',
      },
    ],
    [
      'title',
      {
        kind: 'manual',
        state: 'SVN',
        mechanism: 'regional',
        body: 'ECRI',
        reference: 'x',
        title: ' ',
        dueOn: '2026-01-01',
      },
    ],
  ])('%s', (field, milestone) => {
    const attempt = () => deriveDeadlines(milestone as Milestone);
    expect(attempt).toThrow(DomainError);
    expect(attempt).toThrow(new RegExp(`^${field.replace(/[[\].]/g, '\\$&')}: `));
    try {
      attempt();
    } catch (error) {
      expect((error as DomainError).kind).toBe('unprocessable');
    }
  });
});

// uuid5(662f85e8-03aa-48f3-a5cc-6eee93c80bbc, 'SVN/upr/UPR/upr_mid_term_report/3'), as Python's uuid
// module computes it: an independent implementation of RFC 9562 name-based UUIDs.
const PINNED_MID_TERM_ID = 'f607f42e-b784-59af-8a79-e7af9e0aacec';
