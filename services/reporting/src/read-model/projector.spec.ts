import {
  ActionStatus,
  buildEnvelope,
  RecommendationPosition,
  timestampFromDate,
  type EventCase,
  type PayloadInit,
} from '@nmirf/contracts';
import { PermanentEventError } from '@nmirf/platform';
import type { EntityManager } from 'typeorm';
import { ReadModelProjector, UnknownActionError } from './projector';

const at = new Date('2026-01-10T09:00:00Z');
const actionId = '2b7c5a51-6f0e-4f0b-9d1e-1a2b3c4d5e6f';
const recommendationId = '7d1e9f43-0c2b-4a8e-b6d5-9e8f7a6b5c4d';

function envelope<C extends EventCase>(payloadCase: C, payload: PayloadInit<C>) {
  return buildEnvelope({
    eventId: '11111111-2222-4333-8444-555555555555',
    case: payloadCase,
    payload,
    aggregateId: actionId,
    occurredAt: at,
    correlationId: 'c',
    causationId: 'c',
    actor: { kind: 'service', id: 'test' },
  });
}

/** A manager whose UPDATEs match `updatedRows` rows. */
function fakeManager(updatedRows = 1) {
  const query = jest.fn(async (sql: string) =>
    sql.includes('UPDATE action_view') ? [{ updated: updatedRows }] : [],
  );
  return { manager: { query } as unknown as EntityManager, query };
}

/** What both recommendation events carry besides position and version. */
const recommendation = {
  recommendationId,
  mechanism: 'UPR',
  documentSymbol: 'A/HRC/43/15',
  paragraph: '140.38',
  text: 'Ratify the Convention',
  recommendingStates: ['Chile', 'France'],
  mechanismKind: 'upr',
  stateUnderReview: 'SVN',
  uprCycle: 3,
  uprSession: 34,
  themes: [],
  sdgTargets: [],
  annotationId: '',
};

describe('read-model projector', () => {
  const projector = new ReadModelProjector();

  it('stores a recommendation with its position spelled out', async () => {
    const { manager, query } = fakeManager();
    await projector.apply(
      manager,
      envelope('recommendationCreated', {
        ...recommendation,
        position: RecommendationPosition.SUPPORTED_IN_PART,
        version: 1,
      }),
    );
    expect(query).toHaveBeenCalledWith(expect.stringContaining('INSERT INTO recommendation_view'), [
      recommendationId,
      'UPR',
      'A/HRC/43/15',
      '140.38',
      'supported_in_part',
      ['Chile', 'France'],
      'Ratify the Convention',
      'upr',
      'SVN',
      3,
      34,
      [],
      [],
      '',
      1,
      false, // not published until the coordinator says so
    ]);
  });

  it('applies a RecommendationUpdated (a re-import or a position edit) to the same row', async () => {
    const { manager, query } = fakeManager();
    await projector.apply(
      manager,
      envelope('recommendationUpdated', {
        ...recommendation,
        version: 2,
        changedFields: ['position'],
        position: RecommendationPosition.SUPPORTED,
        positionJustification: 'Accepted at the mid-term review',
        published: true,
      }),
    );
    expect(query).toHaveBeenCalledWith(expect.stringContaining('ON CONFLICT (id) DO UPDATE'), [
      recommendationId,
      'UPR',
      'A/HRC/43/15',
      '140.38',
      'supported',
      ['Chile', 'France'],
      'Ratify the Convention',
      'upr',
      'SVN',
      3,
      34,
      [],
      [],
      '',
      2,
      true,
    ]);
  });

  it('creates the row from ActionAssigned alone, with its status, institution and due date', async () => {
    const { manager, query } = fakeManager();
    const dueAt = new Date('2026-06-30T00:00:00Z');
    await projector.apply(
      manager,
      envelope('actionAssigned', {
        actionId,
        recommendationId,
        title: 'Draft the bill',
        institution: 'Ministry of Justice',
        dueAt: timestampFromDate(dueAt),
        previousInstitution: '',
        status: ActionStatus.IN_PROGRESS,
      }),
    );
    const [sql, values] = query.mock.calls[0] as unknown as [string, unknown[]];
    expect(sql).toMatch(/INSERT INTO action_view[\s\S]*ON CONFLICT \(action_id\) DO UPDATE/);
    expect(values).toEqual([
      actionId,
      recommendationId,
      'Draft the bill',
      'Ministry of Justice',
      dueAt,
      'in_progress',
      at,
    ]);
  });

  it('keeps the stored status when ActionAssigned carries none', async () => {
    const { manager, query } = fakeManager();
    await projector.actionAssigned(
      manager,
      envelope('actionAssigned', {
        actionId,
        recommendationId,
        title: 'Draft the bill',
        institution: 'Ministry of Justice',
        previousInstitution: '',
        status: ActionStatus.UNSPECIFIED,
      }).payload.value as never,
      at,
    );
    expect((query.mock.calls[0] as unknown as [string, unknown[]])[1]).toEqual([
      actionId,
      recommendationId,
      'Draft the bill',
      'Ministry of Justice',
      null,
      null,
      at,
    ]);
  });

  it('records a status change and its completion time', async () => {
    const { manager, query } = fakeManager();
    await projector.apply(
      manager,
      envelope('actionProgressReported', {
        actionId,
        institution: 'Ministry of Justice',
        previousStatus: ActionStatus.IN_PROGRESS,
        status: ActionStatus.COMPLETED,
        note: 'Adopted',
      }),
    );
    expect(query).toHaveBeenCalledWith(expect.stringMatching(/SET status = \$3, completed_at = CASE/), [
      actionId,
      at,
      'completed',
    ]);
  });

  it('ignores a progress note whose status it cannot read', async () => {
    const { manager, query } = fakeManager();
    await projector.apply(
      manager,
      envelope('actionProgressReported', {
        actionId,
        institution: '',
        previousStatus: ActionStatus.IN_PROGRESS,
        status: ActionStatus.UNSPECIFIED,
        note: 'Meeting held',
      }),
    );
    expect(query).not.toHaveBeenCalled();
  });

  it('counts a reminder', async () => {
    const { manager, query } = fakeManager();
    await projector.apply(
      manager,
      envelope('deadlineReminderSent', {
        notificationId: 'n-1',
        actionId,
        institution: 'Ministry of Justice',
        offsetSeconds: 0n,
      }),
    );
    expect(query).toHaveBeenCalledWith(expect.stringContaining('reminders_sent = reminders_sent + 1'), [
      actionId,
      at,
    ]);
  });

  it('refuses an update for an action it has never seen, so the consumer retries and then dead-letters it', async () => {
    const { manager } = fakeManager(0);
    const dueDateChanged = envelope('actionDueDateChanged', {
      actionId,
      institution: 'Ministry of Justice',
      dueAt: timestampFromDate(new Date('2026-07-01T00:00:00Z')),
      reason: 'Parliament in recess',
    });
    await expect(projector.apply(manager, dueDateChanged)).rejects.toBeInstanceOf(UnknownActionError);
  });

  it('leaves events outside the read model alone', async () => {
    const { manager, query } = fakeManager();
    await projector.apply(
      manager,
      envelope('reportCompiled', {
        reportId: actionId,
        kind: 'action-progress',
        format: 'csv',
        fileName: 'x.csv',
        rowCount: 1,
        sha256: 'ab',
      }),
    );
    expect(query).not.toHaveBeenCalled();
  });
});

describe('read model: impossible due dates', () => {
  it('refuses them for the dead-letter topic at once, writing nothing', async () => {
    const { manager, query } = fakeManager();
    const projector = new ReadModelProjector();
    for (const dueAt of [new Date(8.64e15), new Date('1900-01-01T00:00:00Z')]) {
      await expect(
        projector.apply(
          manager,
          envelope('actionDueDateChanged', {
            actionId,
            institution: 'Ministry of Justice',
            previousDueAt: timestampFromDate(at),
            dueAt: timestampFromDate(dueAt),
            reason: '',
          }),
        ),
      ).rejects.toThrow(PermanentEventError);
    }
    expect(query).not.toHaveBeenCalled();
  });
});
