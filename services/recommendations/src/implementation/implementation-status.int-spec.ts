import {
  buildEnvelope,
  decodeEnvelope,
  encodeEnvelope,
  ImplementationStatus as Contract,
  type EventEnvelope,
} from '@nmirf/contracts';
import { EventContext, PermanentEventError } from '@nmirf/platform';
import { http } from '@nmirf/testing';
import { randomUUID } from 'node:crypto';
import { startRecommendationsApp, type RecommendationsApp } from '../testing/recommendations-app';
import { ImplementationEventsHandler } from './implementation-events.handler';

jest.setTimeout(60_000);

/** The event as it comes off the wire, from the actions service. */
function statusChanged(
  recommendationId: string,
  status: Contract,
  aggregateId = recommendationId,
): EventEnvelope {
  const envelope = buildEnvelope({
    eventId: randomUUID(),
    case: 'recommendationImplementationStatusChanged',
    aggregateId,
    payload: {
      recommendationId,
      status,
      previousStatus: Contract.NOT_STARTED,
      derivedStatus: status,
      overridden: false,
      justification: '',
    },
    occurredAt: new Date(),
    correlationId: randomUUID(),
    causationId: randomUUID(),
    actor: { kind: 'service', id: 'actions' },
  });
  return decodeEnvelope(encodeEnvelope(envelope), aggregateId);
}

describe('implementation status from the actions service: kept on the recommendation, searched and counted', () => {
  let app: RecommendationsApp;
  const ids: string[] = [];
  const handler = new ImplementationEventsHandler();
  const search = (query: string) => http('GET', `${app.base}/recommendations?${query}`);

  /** Applies the event as the consumer does: in a transaction, through the handler. */
  const deliver = (envelope: EventEnvelope) =>
    app.dataSource.transaction((manager) =>
      handler.onImplementationStatusChanged(envelope, new EventContext([envelope, manager, {} as never, []])),
    );

  beforeAll(async () => {
    app = await startRecommendationsApp();
    for (const paragraph of ['1', '2', '3', '4']) {
      const created = await http('POST', `${app.base}/recommendations`, {
        body: 'UPR',
        documentSymbol: 'A/HRC/43/15',
        paragraph,
        text: `Ratify the Convention, paragraph ${paragraph}`,
        stateUnderReview: 'SVN',
        uprSession: 34,
      });
      expect(created.status).toBe(201);
      ids.push(created.body.id);
    }
  });
  afterAll(() => app?.close());

  it('counts every recommendation as not started before any event', async () => {
    const { body } = await search('limit=10');
    expect(body.total).toBe(4);
    expect(body.items.map((item: { implementationStatus: string }) => item.implementationStatus)).toEqual(
      Array(4).fill('not_started'),
    );
    expect(body.facets.implementationStatus).toEqual([{ value: 'not_started', count: 4 }]);
  });

  it('filters by the statuses the events set, repeated or comma-separated, and counts them as a facet', async () => {
    const before = await app.get(`/recommendations/${ids[0]}`);
    const history = await app.get(`/recommendations/${ids[0]}/history`);
    const outbox = (await app.events()).length;
    await deliver(statusChanged(ids[0], Contract.IN_PROGRESS));
    await deliver(statusChanged(ids[0], Contract.IMPLEMENTED));
    await deliver(statusChanged(ids[1], Contract.IN_PROGRESS));
    await deliver(statusChanged(ids[2], Contract.NO_LONGER_APPLICABLE));

    const all = await search('limit=10');
    expect(all.body.facets.implementationStatus).toEqual([
      { value: 'implemented', count: 1 },
      { value: 'in_progress', count: 1 },
      { value: 'no_longer_applicable', count: 1 },
      { value: 'not_started', count: 1 },
    ]);

    const both = await search(
      'implementationStatus=implemented&implementationStatus=in_progress&sort=document',
    );
    expect(both.body.items.map((item: { id: string }) => item.id)).toEqual([ids[0], ids[1]]);
    expect(both.body.facets.implementationStatus).toEqual([
      { value: 'implemented', count: 1 },
      { value: 'in_progress', count: 1 },
    ]);
    const comma = await search('implementationStatus=implemented,in_progress&sort=document&facets=false');
    expect(comma.body.items.map((item: { id: string }) => item.id)).toEqual([ids[0], ids[1]]);
    const notStarted = await search('implementationStatus=not_started&facets=false');
    expect(notStarted.body.items.map((item: { id: string }) => item.id)).toEqual([ids[3]]);
    const withOther = await search('implementationStatus=partially_implemented&facets=false');
    expect(withOther.body.total).toBe(0);

    // Derived data: the recommendation's version, history, update time and events stay as they were.
    const after = await app.get(`/recommendations/${ids[0]}`);
    expect(after).toEqual({ ...before, implementationStatus: 'implemented' });
    expect(await app.get(`/recommendations/${ids[0]}/history`)).toEqual(history);
    expect((await app.events()).length).toBe(outbox);
  });

  it('refuses an unknown status in the query with a 400', async () => {
    const answer = await search('implementationStatus=done');
    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer.body)).toContain('implementationStatus');
  });

  it('dead-letters an event it can never apply, changing nothing', async () => {
    const snapshot = () =>
      app.dataSource.query(`SELECT id, implementation_status FROM recommendations ORDER BY id`);
    const before = await snapshot();
    const stranger = randomUUID();
    await expect(deliver(statusChanged(stranger, Contract.IMPLEMENTED))).rejects.toThrow(PermanentEventError);
    await expect(deliver(statusChanged(ids[3], Contract.UNSPECIFIED))).rejects.toThrow(
      'status 0 is not an implementation status',
    );
    await expect(deliver(statusChanged(ids[3], Contract.IMPLEMENTED, stranger))).rejects.toThrow(
      "is not the event's aggregate",
    );
    expect(await snapshot()).toEqual(before);
  });
});
