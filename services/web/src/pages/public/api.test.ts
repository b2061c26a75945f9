import { describe, expect, it } from 'vitest';
import { latestByAction, searchPath, type PublishedReport } from './api';

const report = (id: string, actionId: string, createdAt: string): PublishedReport => ({
  id,
  actionId,
  percentage: 10,
  narrative: id,
  final: false,
  createdAt,
});

describe('the public portal', () => {
  it('shows the newest published report of each action', () => {
    const latest = latestByAction([
      report('old', 'a', '2026-01-01T00:00:00Z'),
      report('new', 'a', '2026-06-01T00:00:00Z'),
      report('only', 'b', '2026-03-01T00:00:00Z'),
    ]);
    expect(Object.fromEntries([...latest].map(([action, { id }]) => [action, id]))).toEqual({
      a: 'new',
      b: 'only',
    });
  });

  it('asks the search API for the words and the page, leaving out empty words', () => {
    expect(searchPath('  torture ', 20, 20)).toBe('/recommendations?limit=20&offset=20&q=torture');
    expect(searchPath('', 0, 20)).toBe('/recommendations?limit=20&offset=0');
  });
});
