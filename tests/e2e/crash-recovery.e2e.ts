import { sleep, Stack, waitFor } from '@nmirf/testing';
import { countBy, createAssignedAction, createRecommendation, inbox } from './helpers';

describe('notifications crashes while 200 actions are created', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await Stack.start({ name: 'crash' });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('delivers every assignment notification exactly once after a kill -9 and restart', async () => {
    const recommendationId = await createRecommendation(stack);
    const dueAt = new Date(Date.now() + 30 * 24 * 3_600_000);
    const notifications = stack.process('notifications');
    const created: string[] = [];

    const creating = (async () => {
      for (let batch = 0; batch < 20; batch += 1) {
        const actions = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            createAssignedAction(stack, recommendationId, dueAt, `Action ${batch * 10 + i}`),
          ),
        );
        created.push(...actions.map((action) => action.id));
      }
    })();

    // Crash mid-stream, once some assignments have been consumed.
    await waitFor('some assignments to be consumed', async () => (await inbox(stack)).total >= 20, {
      intervalMs: 50,
    });
    await notifications.stop('SIGKILL');
    await sleep(2_000);
    notifications.start();
    await creating;
    await notifications.waitReady();

    expect(created).toHaveLength(200);
    const assignments = await waitFor(
      'all 200 assignment notifications',
      async () => {
        const { items } = await inbox(stack);
        const found = items.filter((item) => item.kind === 'action_assigned');
        return found.length >= 200 ? found : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    );
    // Let any redelivery after the crash land before counting duplicates.
    await sleep(3_000);
    const final = (await inbox(stack)).items.filter((item) => item.kind === 'action_assigned');
    expect(final).toHaveLength(200);
    expect(new Set(final.map((item) => item.actionId))).toEqual(new Set(created));
    expect([...countBy(assignments, (item) => item.actionId).values()].every((count) => count === 1)).toBe(
      true,
    );
  });
});
