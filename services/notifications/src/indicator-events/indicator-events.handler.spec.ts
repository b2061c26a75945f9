import { buildEnvelope, decodeEnvelope, encodeEnvelope } from '@nmirf/contracts';
import { PermanentEventError, type EventContext } from '@nmirf/platform';
import { randomUUID } from 'node:crypto';
import { IndicatorEventsHandler } from './indicator-events.handler';
import type { IndicatorFollowUp } from './indicator-follow-up';

const context = { manager: {}, afterCommit: () => undefined } as unknown as EventContext;

function scheduled(change: Record<string, unknown> = {}) {
  const indicatorId = randomUUID();
  const envelope = buildEnvelope({
    eventId: randomUUID(),
    case: 'indicatorScheduled',
    aggregateId: indicatorId,
    occurredAt: new Date(),
    correlationId: 'correlation-1',
    causationId: randomUUID(),
    actor: { kind: 'user', id: 'focal-justice-1' },
    payload: {
      indicatorId,
      cause: 'measured',
      name: 'Judges trained on the Convention',
      subjectKind: 'action',
      subjectId: randomUUID(),
      institutionIds: ['Ministry of Justice', 'Ministry of Interior'],
      frequency: 'quarterly',
      nextReportingOn: '2026-06-30',
      latestMeasuredOn: '2026-03-31',
      ...change,
    },
  });
  return decodeEnvelope(encodeEnvelope(envelope), indicatorId);
}

describe('indicator events: a schedule off the wire, or the dead-letter topic for a malformed one', () => {
  const followUp = { indicatorScheduled: jest.fn(async () => undefined) };
  const handler = new IndicatorEventsHandler(followUp as unknown as IndicatorFollowUp);

  beforeEach(() => jest.clearAllMocks());

  it('passes the schedule on with the event’s correlation id', async () => {
    const envelope = scheduled();
    await handler.onIndicatorScheduled(envelope, context);
    expect(followUp.indicatorScheduled).toHaveBeenCalledWith(
      {
        indicatorId: envelope.aggregateId,
        name: 'Judges trained on the Convention',
        subjectKind: 'action',
        subjectId: expect.any(String),
        institutions: ['Ministry of Justice', 'Ministry of Interior'],
        frequency: 'quarterly',
        dueOn: '2026-06-30',
        latestMeasuredOn: '2026-03-31',
        correlationId: 'correlation-1',
      },
      expect.objectContaining({ manager: context.manager }),
    );
  });

  it('takes an indicator never measured', async () => {
    await handler.onIndicatorScheduled(scheduled({ latestMeasuredOn: '' }), context);
    expect(followUp.indicatorScheduled).toHaveBeenCalledWith(
      expect.objectContaining({ latestMeasuredOn: null }),
      expect.anything(),
    );
  });

  it.each([
    ['a day that is not one', { nextReportingOn: '2026-02-30' }],
    ['a day in another format', { nextReportingOn: '30/06/2026' }],
    ['no day', { nextReportingOn: '' }],
    ['an unknown subject kind', { subjectKind: 'plan' }],
    ['a subject id that is not a UUID', { subjectId: 'action-1' }],
  ])('refuses %s', async (_, change) => {
    await expect(handler.onIndicatorScheduled(scheduled(change), context)).rejects.toThrow(
      PermanentEventError,
    );
    expect(followUp.indicatorScheduled).not.toHaveBeenCalled();
  });
});
