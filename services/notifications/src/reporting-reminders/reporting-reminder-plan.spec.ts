import { dueAtOf, planReminderJobs } from './reporting-reminder-plan';

const DAY = 86_400;
const settings = { offsetsSeconds: [14 * DAY, 3 * DAY, 0], escalateAfterSeconds: DAY };

const summary = (jobs: ReturnType<typeof planReminderJobs>) =>
  jobs.map((job) => ({ kind: job.kind, offsetSeconds: job.offsetSeconds, at: job.runAt.toISOString() }));

describe('reminders to report, planned from a due day', () => {
  it('counts back from the start of the due day, in UTC', () => {
    expect(dueAtOf('2027-09-28').toISOString()).toBe('2027-09-28T00:00:00.000Z');
  });

  it('plans a reporting deadline’s three reminders and no escalation', () => {
    const jobs = planReminderJobs(
      'reporting_deadline',
      '2027-09-28',
      new Date('2027-01-01T00:00:00Z'),
      settings,
    );
    expect(summary(jobs)).toEqual([
      { kind: 'reminder', offsetSeconds: 14 * DAY, at: '2027-09-14T00:00:00.000Z' },
      { kind: 'reminder', offsetSeconds: 3 * DAY, at: '2027-09-25T00:00:00.000Z' },
      { kind: 'reminder', offsetSeconds: 0, at: '2027-09-28T00:00:00.000Z' },
    ]);
  });

  it('adds the overdue notice of an indicator once its day has passed', () => {
    const jobs = planReminderJobs('indicator', '2027-03-31', new Date('2027-01-01T00:00:00Z'), settings);
    expect(summary(jobs).at(-1)).toEqual({
      kind: 'escalation',
      offsetSeconds: -DAY,
      at: '2027-04-01T00:00:00.000Z',
    });
    expect(jobs).toHaveLength(4);
  });

  it('drops reminders whose moment has passed but keeps the one on the day and the overdue notice, due now', () => {
    const now = new Date('2027-03-30T12:00:00Z');
    const jobs = planReminderJobs('indicator', '2027-03-31', now, settings);
    expect(jobs.map((job) => [job.kind, job.offsetSeconds])).toEqual([
      ['reminder', 0],
      ['escalation', -DAY],
    ]);
    const late = planReminderJobs('indicator', '2027-03-01', now, settings);
    expect(late.map((job) => job.delayMs)).toEqual([0, 0]);
    expect(
      planReminderJobs('reporting_deadline', '2027-03-01', now, settings).map((job) => job.offsetSeconds),
    ).toEqual([0]);
  });
});
