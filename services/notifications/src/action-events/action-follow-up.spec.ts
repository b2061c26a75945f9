import type { EntityManager } from 'typeorm';
import type { Deadline } from '../deadlines/deadline.entity';
import type { NewNotification } from '../inbox/notification-kind';
import type { DeadlineJobScheduler } from '../reminders/deadline-job-scheduler';
import { ActionFollowUp, type TransactionScope } from './action-follow-up';

const actionId = '5f0c3f4e-8a51-4d6c-9b8e-2f1d7c3a9e10';
const eventId = 'a1b2c3d4-0000-4000-8000-000000000001';
const correlationId = 'corr-1';
const dueAt = new Date('2026-06-30T00:00:00.000Z');

/** An EntityManager that records writes and knows at most one deadline. */
function fakeTransaction(existing: Partial<Deadline> | null = null) {
  const notifications: NewNotification[] = [];
  const writes: Array<[string, unknown]> = [];
  const afterCommit: Array<() => Promise<unknown>> = [];
  const insertBuilder = {
    insert: () => insertBuilder,
    into: () => insertBuilder,
    values: (rows: NewNotification[]) => (notifications.push(...rows), insertBuilder),
    orIgnore: () => insertBuilder,
    returning: () => insertBuilder,
    // No row comes back, so no mail is planned: mail planning has its own tests.
    execute: async () => ({ raw: [] }),
  };
  const manager = {
    createQueryBuilder: () => insertBuilder,
    findOne: async () => existing,
    upsert: async (_: unknown, values: unknown) => void writes.push(['upsert', values]),
    update: async (_: unknown, __: unknown, values: unknown) => void writes.push(['update', values]),
    insert: async (_: unknown, values: unknown) => void writes.push(['insert', values]),
  } as unknown as EntityManager;
  const scope: TransactionScope = { manager, afterCommit: (work) => void afterCommit.push(work) };
  /** What the consumer does once the transaction commits. */
  const commit = async () => {
    for (const work of afterCommit) await work();
  };
  return { scope, notifications, writes, afterCommit, commit };
}

function setUp() {
  const jobs: jest.Mocked<DeadlineJobScheduler> = { reschedule: jest.fn(), cancelAll: jest.fn() };
  return { jobs, followUp: new ActionFollowUp(jobs) };
}

const assigned = {
  eventId,
  correlationId,
  actionId,
  title: 'Ratify OP-CAT',
  institution: 'Ministry of Justice',
  previousInstitution: '',
  dueAt,
  status: 'not_started' as const,
};

describe('ActionFollowUp', () => {
  it('tells the institution of a first assignment and opens the deadline', async () => {
    const { followUp, jobs } = setUp();
    const tx = fakeTransaction();
    await followUp.actionAssigned(assigned, tx.scope);

    expect(tx.notifications).toEqual([
      expect.objectContaining({
        institution: 'Ministry of Justice',
        kind: 'action_assigned',
        actionId,
        sourceEventId: eventId,
        params: { title: 'Ratify OP-CAT', dueAt: '2026-06-30T00:00:00.000Z' },
      }),
    ]);
    expect(tx.writes).toEqual([
      ['upsert', { actionId, institution: 'Ministry of Justice', title: 'Ratify OP-CAT', dueAt, open: true }],
    ]);
    expect(jobs.reschedule).not.toHaveBeenCalled(); // not before the commit
    await tx.commit();
    expect(jobs.reschedule).toHaveBeenCalledWith({ actionId, dueAt, correlationId });
  });

  it('on reassignment also tells the previous institution, with data only', async () => {
    const { followUp } = setUp();
    const tx = fakeTransaction();
    await followUp.actionAssigned(
      { ...assigned, institution: 'Ministry of Interior', previousInstitution: 'Ministry of Justice' },
      tx.scope,
    );

    expect(tx.notifications.map(({ institution, kind, params }) => ({ institution, kind, params }))).toEqual([
      {
        institution: 'Ministry of Interior',
        kind: 'action_assigned',
        params: {
          title: 'Ratify OP-CAT',
          dueAt: '2026-06-30T00:00:00.000Z',
          previousInstitution: 'Ministry of Justice',
        },
      },
      {
        institution: 'Ministry of Justice',
        kind: 'action_reassigned_away',
        params: {
          title: 'Ratify OP-CAT',
          dueAt: '2026-06-30T00:00:00.000Z',
          newInstitution: 'Ministry of Interior',
        },
      },
    ]);
  });

  it('does not tell an institution it lost an action it was reassigned', async () => {
    const { followUp } = setUp();
    const tx = fakeTransaction();
    await followUp.actionAssigned({ ...assigned, previousInstitution: 'Ministry of Justice' }, tx.scope);
    expect(tx.notifications.map((n) => n.kind)).toEqual(['action_assigned']);
  });

  it('moves the deadline and its reminders when the due date changes', async () => {
    const { followUp, jobs } = setUp();
    const tx = fakeTransaction({ actionId, title: 'Ratify OP-CAT', open: true, dueAt });
    const later = new Date('2026-09-30T00:00:00.000Z');
    await followUp.dueDateChanged(
      {
        eventId,
        correlationId,
        actionId,
        institution: 'Ministry of Justice',
        dueAt: later,
        previousDueAt: dueAt,
      },
      tx.scope,
    );

    expect(tx.notifications).toEqual([
      expect.objectContaining({
        kind: 'action_due_date_changed',
        params: {
          title: 'Ratify OP-CAT',
          dueAt: '2026-09-30T00:00:00.000Z',
          previousDueAt: '2026-06-30T00:00:00.000Z',
        },
      }),
    ]);
    expect(tx.writes).toEqual([['update', { dueAt: later, institution: 'Ministry of Justice' }]]);
    await tx.commit();
    expect(jobs.reschedule).toHaveBeenCalledWith({ actionId, dueAt: later, correlationId });
  });

  it('keeps a closed deadline closed when its date moves', async () => {
    const { followUp, jobs } = setUp();
    const tx = fakeTransaction({ actionId, title: 'Ratify OP-CAT', open: false, dueAt });
    await followUp.dueDateChanged(
      { eventId, correlationId, actionId, institution: 'Ministry of Justice', dueAt, previousDueAt: null },
      tx.scope,
    );
    expect(tx.afterCommit).toHaveLength(0);
    expect(jobs.reschedule).not.toHaveBeenCalled();
  });

  it.each(['completed', 'cancelled'] as const)(
    'closes the deadline and cancels its jobs when the action is %s',
    async (status) => {
      const { followUp, jobs } = setUp();
      const tx = fakeTransaction({ actionId, open: true, dueAt });
      await followUp.progressReported(
        { eventId, correlationId, actionId, previousStatus: 'in_progress', status, dueAt },
        tx.scope,
      );

      expect(tx.writes).toEqual([['update', { open: false }]]);
      expect(tx.notifications).toEqual([]);
      await tx.commit();
      expect(jobs.cancelAll).toHaveBeenCalledWith(actionId);
      expect(jobs.reschedule).not.toHaveBeenCalled();
    },
  );

  it('reopens the deadline and plans its reminders again when completed work goes back in progress', async () => {
    const { followUp, jobs } = setUp();
    const tx = fakeTransaction({ actionId, open: false, dueAt });
    await followUp.progressReported(
      { eventId, correlationId, actionId, previousStatus: 'completed', status: 'in_progress', dueAt },
      tx.scope,
    );

    expect(tx.writes).toEqual([['update', { open: true, dueAt }]]);
    await tx.commit();
    expect(jobs.reschedule).toHaveBeenCalledWith({ actionId, dueAt, correlationId });
  });

  it('ignores progress that neither closes nor reopens, and actions without a deadline', async () => {
    const { followUp } = setUp();
    const open = fakeTransaction({ actionId, open: true, dueAt });
    await followUp.progressReported(
      { eventId, correlationId, actionId, previousStatus: 'not_started', status: 'in_progress', dueAt },
      open.scope,
    );
    const unknown = fakeTransaction(null);
    await followUp.progressReported(
      { eventId, correlationId, actionId, previousStatus: 'in_progress', status: 'completed', dueAt: null },
      unknown.scope,
    );

    for (const tx of [open, unknown]) {
      expect(tx.writes).toEqual([]);
      expect(tx.afterCommit).toHaveLength(0);
    }
  });
});
