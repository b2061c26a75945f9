import { http, Stack, waitFor } from '@nmirf/testing';
import { createAssignedAction, createRecommendation } from './helpers';

describe('implementation status, from an action to search and the summary', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await Stack.start({ name: 'rollup' });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  /** The recommendation's status in search, once it is `expected`, with the facet of the whole catalogue. */
  async function searched(recommendationId: string, expected: string) {
    return waitFor(`search to show ${expected}`, async () => {
      const filtered = await http(
        'GET',
        `${stack.url('recommendations')}/recommendations?implementationStatus=${expected}&limit=100`,
      );
      const item = filtered.body.items.find((entry: { id: string }) => entry.id === recommendationId);
      return item ? { item, facet: filtered.body.facets.implementationStatus } : undefined;
    });
  }

  async function summarised(expected: Record<string, number>) {
    return waitFor(`the summary to count ${JSON.stringify(expected)}`, async () => {
      const summary = await http('GET', `${stack.url('reporting')}/summary`);
      const counts = summary.body?.byImplementationStatus ?? {};
      return Object.entries(expected).every(([status, count]) => counts[status] === count)
        ? counts
        : undefined;
    });
  }

  it('changes in search and in the summary as the action moves, and when the coordinator overrides it', async () => {
    const recommendationId = await createRecommendation(stack, '143.21');
    const other = await createRecommendation(stack, '143.22');
    expect((await searched(recommendationId, 'not_started')).facet).toEqual([
      { value: 'not_started', count: 2 },
    ]);
    await summarised({ not_started: 2 });

    const action = await createAssignedAction(
      stack,
      recommendationId,
      new Date(Date.now() + 30 * 86_400_000),
    );
    const progress = (status: string) =>
      http('POST', `${stack.url('actions')}/actions/${action.id}/progress`, { status, note: '' });

    expect((await progress('in_progress')).status).toBe(201);
    await searched(recommendationId, 'in_progress');
    await summarised({ not_started: 1, in_progress: 1 });

    expect((await progress('completed')).status).toBe(201);
    const done = await searched(recommendationId, 'implemented');
    expect(done.item.implementationStatus).toBe('implemented');
    expect(done.facet).toEqual([{ value: 'implemented', count: 1 }]);
    expect(await summarised({ implemented: 1, not_started: 1 })).toEqual({
      not_started: 1,
      in_progress: 0,
      partially_implemented: 0,
      implemented: 1,
      no_longer_applicable: 0,
    });

    // The other recommendation has no action: the coordinator declares it moot, with a reason.
    const status = `${stack.url('actions')}/recommendations/${other}/implementation-status`;
    // The actions service learns of recommendations through Kafka: 404 until it has.
    const overridden = await waitFor('the actions service to know the recommendation', async () => {
      const answer = await http('PUT', status, {
        status: 'no_longer_applicable',
        justification: 'The provision was repealed by the 2025 amendment of the Criminal Code.',
      });
      return answer.status === 404 ? undefined : answer;
    });
    expect(overridden.status).toBe(200);
    expect(overridden.body).toMatchObject({ derived: 'not_started', effective: 'no_longer_applicable' });
    await searched(other, 'no_longer_applicable');
    await summarised({ implemented: 1, no_longer_applicable: 1, not_started: 0 });

    const all = await http('GET', `${stack.url('recommendations')}/recommendations?limit=10`);
    expect(all.body.facets.implementationStatus).toEqual([
      { value: 'implemented', count: 1 },
      { value: 'no_longer_applicable', count: 1 },
    ]);
  });
});
