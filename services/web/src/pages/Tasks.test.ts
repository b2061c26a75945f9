import { describe, expect, it } from 'vitest';
import { byDueDate, type ActionSummary } from './Tasks';

const task = (title: string, dueAt: string | null): ActionSummary => ({
  id: title,
  title,
  status: 'assigned',
  institution: 'Ministry of Justice',
  dueAt,
});

describe("a focal point's tasks", () => {
  it('come soonest due first, those without a due date last', () => {
    const sorted = byDueDate([
      task('later', '2027-03-01T00:00:00Z'),
      task('none', null),
      task('sooner', '2027-01-15T00:00:00Z'),
    ]);
    expect(sorted.map((item) => item.title)).toEqual(['sooner', 'later', 'none']);
  });
});
