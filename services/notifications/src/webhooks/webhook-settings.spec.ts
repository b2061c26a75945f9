import { nextAttemptAt } from './webhook-settings';

const defaults = { retryDelayMs: 30_000, retryForMs: 24 * 3_600_000 };

describe('webhook retry schedule', () => {
  it('waits 30 s, then doubles, and stops once the next attempt would fall past 24 h', () => {
    const start = new Date('2026-11-29T00:00:00Z');
    const waits: number[] = [];
    let now = start;
    for (let attempts = 1; ; attempts += 1) {
      const next = nextAttemptAt(defaults, attempts, start, now);
      if (!next) break;
      waits.push((next.getTime() - now.getTime()) / 1_000);
      now = next;
    }
    expect(waits.slice(0, 4)).toEqual([30, 60, 120, 240]);
    // 12 attempts, the last about 17 h in: one more would come 34 h after the first, past the window.
    expect(waits).toHaveLength(11);
    expect(now.getTime() - start.getTime()).toBeLessThanOrEqual(defaults.retryForMs);
    expect(now.getTime() - start.getTime()).toBe(30_000 * (2 ** 11 - 1));
  });

  it('counts the window from the last replay, not from the first attempt', () => {
    const replayedAt = new Date('2026-11-30T12:00:00Z');
    expect(nextAttemptAt(defaults, 5, replayedAt, replayedAt)).toEqual(
      new Date(replayedAt.getTime() + 480_000),
    );
  });

  it('plans each retry from the moment the last attempt was planned for, so the count is fixed', () => {
    const settings = { retryDelayMs: 200, retryForMs: 2_500 };
    const start = new Date('2026-11-29T00:00:00Z');
    const planned: number[] = [0];
    for (let attempts = 1; ; attempts += 1) {
      const next = nextAttemptAt(
        settings,
        attempts,
        start,
        new Date(start.getTime() + planned[attempts - 1]),
      );
      if (!next) break;
      planned.push(next.getTime() - start.getTime());
    }
    // Four attempts (the fifth, at 3 s, is past the window), whenever the worker got to each.
    expect(planned).toEqual([0, 200, 600, 1_400]);
  });
});
