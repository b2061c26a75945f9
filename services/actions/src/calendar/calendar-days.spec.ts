import { addDays, addMonths, isDay, parseDay } from './calendar-days';

describe('calendar days', () => {
  it('accepts real days only, as YYYY-MM-DD', () => {
    expect(parseDay('2024-02-29')?.toISOString()).toBe('2024-02-29T00:00:00.000Z');
    for (const text of ['2023-02-29', '2024-13-01', '2024-2-1', '2024-02-01T00:00:00Z', '']) {
      expect(isDay(text)).toBe(false);
    }
  });

  it('adds months, keeping the day or taking the last of a shorter month', () => {
    expect(addMonths('2020-03-13', 30)).toBe('2022-09-13');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2019-11-30', 54)).toBe('2024-05-30');
    expect(addMonths('2024-03-31', -1)).toBe('2024-02-29');
  });

  it('adds days across months and years', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2025-01-29', -84)).toBe('2024-11-06');
  });
});
