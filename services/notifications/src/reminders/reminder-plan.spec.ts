import { parseDuration, parseDurationList } from './durations';
import { planDeadlineJobs, type ReminderSettings } from './reminder-plan';

const DAY = 86_400;
const settings: ReminderSettings = { offsetsSeconds: [14 * DAY, 3 * DAY, 0], escalateAfterSeconds: DAY };
const dueAt = new Date('2026-06-30T12:00:00.000Z');
const daysBefore = (days: number) => new Date(dueAt.getTime() - days * DAY * 1_000);

describe('durations', () => {
  it('reads seconds, minutes, hours and days', () => {
    expect(parseDuration('0s')).toBe(0);
    expect(parseDuration('90s')).toBe(90);
    expect(parseDuration('15m')).toBe(900);
    expect(parseDuration('12h')).toBe(43_200);
    expect(parseDuration('14d')).toBe(1_209_600);
  });

  it('refuses anything else', () => {
    for (const bad of ['', '14', 'd', '14w', '-3d', '1.5d', '3 d', '3D', '99999999d']) {
      expect(() => parseDuration(bad)).toThrow();
    }
  });

  it('reads the default offsets, longest first, tolerating spaces', () => {
    expect(parseDurationList('14d,3d,0s')).toEqual([14 * DAY, 3 * DAY, 0]);
    expect(parseDurationList('0s, 1d ,7d')).toEqual([7 * DAY, DAY, 0]);
  });

  it('refuses empty entries, bad entries and the same offset twice', () => {
    expect(() => parseDurationList('14d,,0s')).toThrow('empty entry');
    expect(() => parseDurationList('14d,3x')).toThrow('"3x" is not a duration');
    expect(() => parseDurationList('1d,24h')).toThrow('same offset twice');
  });
});

describe('reminder plan', () => {
  it('plans every reminder and the escalation when the due date is far ahead', () => {
    const now = daysBefore(30);
    const plan = planDeadlineJobs(dueAt, now, settings);
    expect(plan.map(({ kind, offsetSeconds, runAt }) => [kind, offsetSeconds, runAt.toISOString()])).toEqual([
      ['reminder', 14 * DAY, daysBefore(14).toISOString()],
      ['reminder', 3 * DAY, daysBefore(3).toISOString()],
      ['reminder', 0, dueAt.toISOString()],
      ['escalation', -DAY, daysBefore(-1).toISOString()],
    ]);
    expect(plan[0].delayMs).toBe(16 * DAY * 1_000);
  });

  it('skips reminders whose moment has passed but keeps the one on the due date', () => {
    const plan = planDeadlineJobs(dueAt, daysBefore(5), settings);
    expect(plan.map((job) => job.offsetSeconds)).toEqual([3 * DAY, 0, -DAY]);
  });

  it('a reminder due exactly now is past', () => {
    const plan = planDeadlineJobs(dueAt, daysBefore(3), settings);
    expect(plan.map((job) => job.offsetSeconds)).toEqual([0, -DAY]);
  });

  it('runs the due-date reminder and the escalation at once when both are late', () => {
    const plan = planDeadlineJobs(dueAt, daysBefore(-2), settings);
    expect(plan.map(({ kind, offsetSeconds, delayMs }) => ({ kind, offsetSeconds, delayMs }))).toEqual([
      { kind: 'reminder', offsetSeconds: 0, delayMs: 0 },
      { kind: 'escalation', offsetSeconds: -DAY, delayMs: 0 },
    ]);
  });

  it('escalates ESCALATE_AFTER after the due date, even without a due-date reminder', () => {
    const plan = planDeadlineJobs(dueAt, daysBefore(1), {
      offsetsSeconds: [7 * DAY],
      escalateAfterSeconds: 3_600,
    });
    expect(plan).toEqual([
      {
        kind: 'escalation',
        offsetSeconds: -3_600,
        step: 1,
        runAt: new Date(dueAt.getTime() + 3_600_000),
        delayMs: DAY * 1_000 + 3_600_000,
      },
    ]);
  });
});
