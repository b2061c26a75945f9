import type { AlertSettings } from './alert-settings';
import { escalationStep } from './escalation-ladder';
import { deadlineJobId } from './deadline-jobs';
import { planDeadlineJobs } from './reminder-plan';

const DAY = 86_400;
const settings: AlertSettings = {
  offsetsSeconds: [3 * DAY, 0],
  escalateAfterSeconds: DAY,
  escalationSteps: 3,
  escalationIntervalSeconds: 2 * DAY,
  escalationLadder: ['focal_point', 'institution_validator', 'coordinator'],
  coordinatorInstitution: 'NMIRF Secretariat',
};
const dueAt = new Date('2026-06-30T00:00:00.000Z');
const at = (days: number) => new Date(dueAt.getTime() + days * DAY * 1_000).toISOString();

describe('escalation ladder', () => {
  it('plans one job per step: a day late, then every two days', () => {
    const escalations = planDeadlineJobs(dueAt, new Date('2026-06-01T00:00:00.000Z'), settings)
      .filter((job) => job.kind === 'escalation')
      .map((job) => [job.step, job.offsetSeconds, job.runAt.toISOString()]);
    expect(escalations).toEqual([
      [1, -DAY, at(1)],
      [2, -3 * DAY, at(3)],
      [3, -5 * DAY, at(5)],
    ]);
  });

  it('gives each step its own job id, the first keeping the one it had before the ladder', () => {
    const ids = planDeadlineJobs(dueAt, new Date('2026-06-01T00:00:00.000Z'), settings)
      .filter((job) => job.kind === 'escalation')
      .map((job) => deadlineJobId('a1', job));
    expect(ids).toEqual(['escalation-a1', 'escalation-a1-2', 'escalation-a1-3']);
  });

  it('runs every step already due at once, for an action found late', () => {
    const late = planDeadlineJobs(dueAt, new Date(at(4)), settings).filter(
      (job) => job.kind === 'escalation',
    );
    expect(late.map((job) => [job.step, job.delayMs])).toEqual([
      [1, 0],
      [2, 0],
      [3, DAY * 1_000],
    ]);
  });

  it('tells the focal point, then the validator, both in the institution’s inbox, then the coordinator', () => {
    expect(escalationStep(settings, -DAY, 'Ministry of Health')).toEqual({
      step: 1,
      rung: 'focal_point',
      notifiedInstitution: 'Ministry of Health',
    });
    expect(escalationStep(settings, -3 * DAY, 'Ministry of Health')).toEqual({
      step: 2,
      rung: 'institution_validator',
      notifiedInstitution: 'Ministry of Health',
    });
    expect(escalationStep(settings, -5 * DAY, 'Ministry of Health')).toEqual({
      step: 3,
      rung: 'coordinator',
      notifiedInstitution: 'NMIRF Secretariat',
    });
  });

  it('follows a shorter ladder, and calls a job for a step no longer in it stale', () => {
    const short: AlertSettings = {
      ...settings,
      escalationSteps: 2,
      escalationLadder: ['focal_point', 'coordinator'],
    };
    expect(escalationStep(short, -3 * DAY, 'Ministry of Health')).toMatchObject({
      step: 2,
      rung: 'coordinator',
    });
    expect(escalationStep(short, -5 * DAY, 'Ministry of Health')).toBeNull();
    expect(escalationStep(settings, -2 * DAY, 'Ministry of Health')).toBeNull();
  });

  it('keeps a single overdue notice when no ladder is configured (reporting subjects)', () => {
    const { escalationSteps: _, escalationIntervalSeconds: __, ...single } = settings;
    const escalations = planDeadlineJobs(dueAt, new Date(at(-10)), single).filter(
      (job) => job.kind === 'escalation',
    );
    expect(escalations.map((job) => [job.step, job.offsetSeconds])).toEqual([[1, -DAY]]);
  });
});
