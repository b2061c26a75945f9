import { http, repoRoot, sleep, Stack, waitFor } from '@nmirf/testing';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { countBy, createAssignedAction, createRecommendation, inbox } from './helpers';

// A private broker, so stopping it disturbs no other test.
const brokerEnv = {
  ...process.env,
  KAFKA_PORT: process.env.OUTAGE_KAFKA_PORT ?? '19092',
  KAFKA_CONTROLLER_PORT: process.env.OUTAGE_KAFKA_CONTROLLER_PORT ?? '19093',
  KAFKA_DATA_DIR: join(repoRoot, 'tmp', 'kafka-outage'),
};
const kafka = (command: 'start' | 'stop' | 'reset') =>
  execFileSync('bash', [join(repoRoot, 'infra/kafka/kafka.sh'), command], {
    env: brokerEnv,
    stdio: 'inherit',
  });

describe('Kafka stops for 10 s while actions are created', () => {
  let stack: Stack;

  beforeAll(async () => {
    kafka('reset');
    kafka('start');
    stack = await Stack.start({ name: 'outage', kafkaBrokers: `127.0.0.1:${brokerEnv.KAFKA_PORT}` });
  });

  afterAll(async () => {
    await stack?.stop();
    kafka('reset');
  });

  it('delivers every event once Kafka is back, and none twice', async () => {
    const recommendationId = await createRecommendation(stack);
    const dueAt = new Date(Date.now() + 30 * 24 * 3_600_000);
    const created: string[] = [];
    for (let i = 0; i < 20; i += 1)
      created.push((await createAssignedAction(stack, recommendationId, dueAt, `Before ${i}`)).id);

    kafka('stop');
    const outageEnds = Date.now() + 10_000;
    // The API keeps accepting work: events wait in each service's outbox.
    for (let i = 0; Date.now() < outageEnds; i += 1) {
      const response = await http('POST', `${stack.url('actions')}/actions`, {
        recommendationId,
        title: `During ${i}`,
        institution: 'Ministry of Justice',
        dueDate: dueAt.toISOString(),
      });
      expect(response.status).toBe(201);
      created.push(response.body.id);
      await sleep(250);
    }
    const ready = await http('GET', `${stack.url('actions')}/health/ready`);
    expect(ready.status).toBe(503);
    expect(ready.body.errors).toMatchObject({ kafka: 'down', database: 'up' });
    kafka('start');

    for (let i = 0; i < 10; i += 1)
      created.push((await createAssignedAction(stack, recommendationId, dueAt, `After ${i}`)).id);

    const assignments = await waitFor(
      `all ${created.length} assignment notifications`,
      async () => {
        const found = (await inbox(stack)).items.filter((item) => item.kind === 'action_assigned');
        return found.length >= created.length ? found : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 500 },
    );
    await sleep(3_000);
    const final = (await inbox(stack)).items.filter((item) => item.kind === 'action_assigned');
    expect(final).toHaveLength(created.length);
    expect(new Set(final.map((item) => item.actionId))).toEqual(new Set(created));
    expect([...countBy(assignments, (item) => item.actionId).values()].every((count) => count === 1)).toBe(
      true,
    );

    const summary = await waitFor('reporting to count every action', async () => {
      const response = await http('GET', `${stack.url('reporting')}/summary`);
      return response.body?.total === created.length ? response.body : undefined;
    });
    expect(summary.byStatus.not_started).toBe(created.length);
  });
});
