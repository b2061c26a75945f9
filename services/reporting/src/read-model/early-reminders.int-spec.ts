import { randomUUID } from 'node:crypto';
import { startReportingFixture, type ReportingFixture } from '../testing/reporting-fixture';

jest.setTimeout(60_000);

describe('reporting: a reminder that overtook its action (real PostgreSQL)', () => {
  let fixture: ReportingFixture;
  const reminded = (actionId: string) =>
    fixture.feed('deadlineReminderSent', actionId, {
      notificationId: randomUUID(),
      actionId,
      institution: 'Ministry of Justice',
      offsetSeconds: 0n,
    });
  const created = (actionId: string) =>
    fixture.feed('actionCreated', actionId, {
      actionId,
      recommendationId: randomUUID(),
      title: 'Train judges',
    });
  const remindersSent = async (actionId: string) =>
    (
      await fixture.dataSource.query(`SELECT reminders_sent AS n FROM action_view WHERE action_id = $1`, [
        actionId,
      ])
    )[0]?.n;

  beforeAll(async () => {
    fixture = await startReportingFixture();
  });
  afterAll(() => fixture?.close());

  it('counts the reminders that arrived before the action, once the action arrives', async () => {
    // After a restart the reminders topic can run ahead of the actions topic.
    const early = randomUUID();
    await reminded(early);
    await reminded(early);
    expect(await remindersSent(early)).toBeUndefined();
    await created(early);
    expect(await remindersSent(early)).toBe(2);
    await reminded(early);
    expect(await remindersSent(early)).toBe(3);
    const waiting = await fixture.dataSource.query(`SELECT count(*)::int AS n FROM action_early_reminder`);
    expect(waiting).toEqual([{ n: 0 }]);
  });

  it('counts a reminder and its action arriving at the same moment once, whichever commits first', async () => {
    for (let round = 0; round < 20; round += 1) {
      const actionId = randomUUID();
      await Promise.all([reminded(actionId), created(actionId)]);
      expect({ round, sent: await remindersSent(actionId) }).toEqual({ round, sent: 1 });
    }
  });
});
