import { describe, expect, it } from 'vitest';
import { lastTwelveMonths } from './Dashboard';

describe('the progress-over-time window', () => {
  it('runs from the first day of the month eleven months back to today', () => {
    expect(lastTwelveMonths(new Date('2026-11-30T10:00:00Z'))).toBe('from=2025-12-01&to=2026-11-30');
  });

  it('crosses a year back from January', () => {
    expect(lastTwelveMonths(new Date('2027-01-05T00:00:00Z'))).toBe('from=2026-02-01&to=2027-01-05');
  });
});
