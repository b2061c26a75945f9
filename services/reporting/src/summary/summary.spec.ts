import { toSummary, type SummaryRow } from './summary';

const row = (fields: Partial<SummaryRow>): SummaryRow => ({
  is_total: false,
  institution: null,
  total: 0,
  overdue: 0,
  not_started: 0,
  in_progress: 0,
  blocked: 0,
  completed: 0,
  cancelled: 0,
  ...fields,
});

describe('summary mapping', () => {
  const asOf = new Date('2026-01-15T12:00:00Z');

  it('takes the totals from the grand-total row and lists institutions, unassigned included', () => {
    const summary = toSummary(
      [
        row({ institution: 'Ministry of Health', total: 1, in_progress: 1, overdue: 1 }),
        row({ institution: 'Ministry of Justice', total: 2, completed: 1, blocked: 1 }),
        row({ institution: null, total: 1, not_started: 1 }),
        row({
          is_total: true,
          institution: null,
          total: 4,
          not_started: 1,
          in_progress: 1,
          blocked: 1,
          completed: 1,
          overdue: 1,
        }),
      ],
      asOf,
    );
    expect(summary).toEqual({
      asOf,
      total: 4,
      byStatus: { not_started: 1, in_progress: 1, blocked: 1, completed: 1, cancelled: 0 },
      overdue: 1,
      byInstitution: [
        {
          institutionId: null,
          institution: 'Ministry of Health',
          total: 1,
          byStatus: { not_started: 0, in_progress: 1, blocked: 0, completed: 0, cancelled: 0 },
          overdue: 1,
        },
        {
          institutionId: null,
          institution: 'Ministry of Justice',
          total: 2,
          byStatus: { not_started: 0, in_progress: 0, blocked: 1, completed: 1, cancelled: 0 },
          overdue: 0,
        },
        {
          institutionId: null,
          institution: null,
          total: 1,
          byStatus: { not_started: 1, in_progress: 0, blocked: 0, completed: 0, cancelled: 0 },
          overdue: 0,
        },
      ],
      byImplementationStatus: {
        not_started: 0,
        in_progress: 0,
        partially_implemented: 0,
        implemented: 0,
        no_longer_applicable: 0,
      },
    });
  });

  it('answers zeros when there is nothing to count', () => {
    expect(toSummary([], asOf)).toEqual({
      asOf,
      total: 0,
      byStatus: { not_started: 0, in_progress: 0, blocked: 0, completed: 0, cancelled: 0 },
      overdue: 0,
      byInstitution: [],
      byImplementationStatus: {
        not_started: 0,
        in_progress: 0,
        partially_implemented: 0,
        implemented: 0,
        no_longer_applicable: 0,
      },
    });
  });

  it('counts recommendations by implementation status, zero for the statuses no row mentions', () => {
    const summary = toSummary([], asOf, [
      { status: 'implemented', count: 3 },
      { status: 'not_started', count: 7 },
    ]);
    expect(summary.byImplementationStatus).toEqual({
      not_started: 7,
      in_progress: 0,
      partially_implemented: 0,
      implemented: 3,
      no_longer_applicable: 0,
    });
  });
});
