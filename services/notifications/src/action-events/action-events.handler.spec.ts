import { ActionStatus, buildEnvelope, timestampFromDate, type Timestamp } from '@nmirf/contracts';
import { PermanentEventError, type EventContext } from '@nmirf/platform';
import { randomUUID } from 'node:crypto';
import { ActionEventsHandler } from './action-events.handler';
import type { ActionFollowUp } from './action-follow-up';

const context = { manager: {}, afterCommit: () => undefined } as unknown as EventContext;

function assigned(
  dueAt: Timestamp | undefined,
  ids: { institutionId?: string; previousInstitutionId?: string } = {},
) {
  const actionId = randomUUID();
  return buildEnvelope({
    eventId: randomUUID(),
    case: 'actionAssigned',
    aggregateId: actionId,
    occurredAt: new Date(),
    correlationId: randomUUID(),
    causationId: randomUUID(),
    actor: { kind: 'user', id: 'coordinator' },
    payload: {
      actionId,
      recommendationId: randomUUID(),
      title: 'Adopt the plan',
      institution: 'Ministry of Justice',
      previousInstitution: '',
      dueAt,
      status: ActionStatus.NOT_STARTED,
      ...ids,
    },
  });
}

describe('action events: impossible due dates are refused for the dead-letter topic, without retries', () => {
  const followUp = {
    actionAssigned: jest.fn(async () => undefined),
    dueDateChanged: jest.fn(async () => undefined),
    progressReported: jest.fn(async () => undefined),
  };
  const handler = new ActionEventsHandler(followUp as unknown as ActionFollowUp);

  beforeEach(() => jest.clearAllMocks());

  it.each([
    ['the last day a JavaScript Date holds', timestampFromDate(new Date(8.64e15))],
    ['a date JavaScript cannot hold', { seconds: 10n ** 15n, nanos: 0 } as Timestamp],
    ['a date before 1945', timestampFromDate(new Date('1900-01-01T00:00:00Z'))],
    ['a date a century ahead', timestampFromDate(new Date(Date.now() + 100 * 365 * 86_400_000))],
    ['no date', undefined],
  ])('refuses %s', async (_, dueAt) => {
    await expect(handler.onActionAssigned(assigned(dueAt), context)).rejects.toThrow(PermanentEventError);
    expect(followUp.actionAssigned).not.toHaveBeenCalled();
  });

  it('passes a sane due date on', async () => {
    const dueAt = new Date(Date.now() + 7 * 86_400_000);
    await handler.onActionAssigned(assigned(timestampFromDate(dueAt)), context);
    expect(followUp.actionAssigned).toHaveBeenCalledWith(
      expect.objectContaining({ dueAt }),
      expect.anything(),
    );
  });
});

describe('action events: institutions', () => {
  const followUp = { actionAssigned: jest.fn(async () => undefined) };
  const handler = new ActionEventsHandler(followUp as unknown as ActionFollowUp);
  const dueAt = timestampFromDate(new Date(Date.now() + 7 * 86_400_000));

  beforeEach(() => jest.clearAllMocks());

  it('keys the inbox by the directory id, which the token claim carries, not by the name', async () => {
    await handler.onActionAssigned(
      assigned(dueAt, {
        institutionId: 'ministry-of-justice',
        previousInstitutionId: 'ministry-of-interior',
      }),
      context,
    );
    expect(followUp.actionAssigned).toHaveBeenCalledWith(
      expect.objectContaining({
        institution: 'ministry-of-justice',
        previousInstitution: 'ministry-of-interior',
      }),
      expect.anything(),
    );
  });

  it('falls back on the name from producers older than the directory', async () => {
    await handler.onActionAssigned(assigned(dueAt), context);
    expect(followUp.actionAssigned).toHaveBeenCalledWith(
      expect.objectContaining({ institution: 'Ministry of Justice', previousInstitution: '' }),
      expect.anything(),
    );
  });
});
