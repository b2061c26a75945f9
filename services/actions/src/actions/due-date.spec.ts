import { DomainError } from '@nmirf/platform';
import { assertDueDateAhead, earliestDueDate } from './due-date';

describe('due dates are today or later', () => {
  const now = new Date('2026-03-10T06:00:00Z');

  it('accepts today wherever the caller is, and any later day', () => {
    // 06:00 UTC is still 9 March in UTC−12: that day is "today" somewhere.
    expect(earliestDueDate(now).toISOString()).toBe('2026-03-09T00:00:00.000Z');
    expect(earliestDueDate(new Date('2026-03-10T13:00:00Z')).toISOString()).toBe('2026-03-10T00:00:00.000Z');
    for (const due of [
      '2026-03-09T00:00:00Z',
      '2026-03-10T00:00:00Z',
      '2026-03-10T05:00:00Z',
      '2027-01-01',
    ]) {
      expect(() => assertDueDateAhead(new Date(due), now)).not.toThrow();
    }
  });

  it('refuses a day that is over everywhere, with 422', () => {
    const attempt = () => assertDueDateAhead(new Date('2026-03-08T23:59:59Z'), now);
    expect(attempt).toThrow(DomainError);
    expect(attempt).toThrow('dueDate must be in the future (today is accepted)');
    try {
      attempt();
    } catch (error) {
      expect((error as DomainError).kind).toBe('unprocessable');
    }
  });
});
