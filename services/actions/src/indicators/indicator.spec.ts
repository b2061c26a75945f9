import {
  addMonths,
  definitionProblems,
  isCalendarDay,
  isOverdue,
  isSdgIndicator,
  nextReportingDate,
  type IndicatorDefinition,
} from './indicator';

const definition = (change: Partial<IndicatorDefinition> = {}): IndicatorDefinition => ({
  name: 'Judges trained on the Convention',
  type: 'process',
  unit: 'per cent of judges',
  baseline: { value: 10, date: '2026-01-01' },
  target: { value: 80, date: '2027-12-31' },
  frequency: 'quarterly',
  dataSource: 'Judicial Training Centre records',
  disaggregation: ['sex', 'court level'],
  sdgIndicator: '16.3.1',
  ...change,
});

describe('indicators', () => {
  it('accepts a complete definition and names each broken rule', () => {
    expect(definitionProblems(definition())).toEqual([]);
    expect(
      definitionProblems(
        definition({
          name: ' ',
          baseline: { value: Number.NaN, date: '2026-02-30' },
          target: { value: 5, date: '2025-01-01' },
          disaggregation: ['sex', 'Sex'],
          sdgIndicator: '18.1.1',
        }),
      ),
    ).toEqual([
      'name must be 1 to 300 characters of visible text on one line',
      'baseline.value must be a finite number',
      'baseline.date must be a calendar date such as 2026-03-01',
      'disaggregation must not name a dimension twice',
      'sdgIndicator must be an SDG indicator code such as 16.3.1',
    ]);
    expect(definitionProblems(definition({ target: { value: 5, date: '2025-12-31' } }))).toEqual([
      'target.date must be after baseline.date',
    ]);
  });

  it('knows SDG indicator codes and calendar days', () => {
    for (const code of ['16.3.1', '4.a.1', '17.19.2', '1.1.1']) expect(isSdgIndicator(code)).toBe(true);
    for (const code of ['16.3', '0.1.1', '18.1.1', '16.3.1.2', '16.A.1', ' 16.3.1'])
      expect(isSdgIndicator(code)).toBe(false);
    expect(isCalendarDay('2028-02-29')).toBe(true);
    for (const day of ['2027-02-29', '2026-13-01', '26-01-01', '1900-01-01', '2026-01-01T00:00:00Z'])
      expect(isCalendarDay(day)).toBe(false);
  });

  it('adds calendar months, keeping to the last day of a shorter month', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2026-11-15', 3)).toBe('2027-02-15');
    expect(addMonths('2026-06-30', 12)).toBe('2027-06-30');
  });

  it('dues the next measurement one period after the latest one, or after the baseline', () => {
    const quarterly = definition();
    expect(nextReportingDate(quarterly, [])).toBe('2026-04-01');
    expect(nextReportingDate(quarterly, ['2026-03-31', '2026-02-15'])).toBe('2026-06-30');
    // A measurement of a day before the baseline does not move the date back.
    expect(nextReportingDate(quarterly, ['2025-06-01'])).toBe('2026-04-01');
    expect(nextReportingDate(definition({ frequency: 'semiannual' }), [])).toBe('2026-07-01');
    expect(nextReportingDate(definition({ frequency: 'annual' }), [])).toBe('2027-01-01');
    expect(nextReportingDate(definition({ frequency: 'monthly' }), [])).toBe('2026-02-01');
    expect(isOverdue('2026-04-01', '2026-04-02')).toBe(true);
    expect(isOverdue('2026-04-01', '2026-04-01')).toBe(false);
  });
});
