import { decodeEnvelope } from '@nmirf/contracts';
import { demoToken, http, observeTopics, runToCompletion, Stack, testKafka, waitFor } from '@nmirf/testing';
import { decodeJwt } from 'jose';
import { readFileSync } from 'node:fs';
import { createRecommendation } from './helpers';

describe('operations basics', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await Stack.start({ name: 'ops' });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('refuses to start with a bad variable, naming it on one line', async () => {
    const attempt = runToCompletion('services/actions/dist/main.js', [], {
      ...stack.env,
      SERVICE_NAME: 'actions',
      HTTP_PORT: '1',
      DATABASE_URL: 'mysql://somewhere',
      KAFKA_BROKERS: '',
    });
    await expect(attempt).rejects.toThrow(
      /exited 78:\nInvalid configuration: DATABASE_URL must be a postgres:\/\/ URL; KAFKA_BROKERS is required\n$/,
    );
  });

  it('carries the caller’s correlation id into the response, the logs and the events', async () => {
    const correlationId = `ops-test-${Date.now()}`;
    const observed = await observeTopics(testKafka(stack.env.KAFKA_BROKERS), [
      stack.topic('nmirf.recommendations.recommendation.v1'),
    ]);
    try {
      const token = await demoToken('coordinator');
      const response = await fetch(`${stack.url('recommendations')}/recommendations`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-correlation-id': correlationId,
          authorization: `Bearer ${token}`,
          // No longer trusted: the actor comes from the verified token only.
          'x-actor-id': 'President of the Republic <script>',
        },
        body: JSON.stringify({
          body: 'CEDAW',
          documentSymbol: 'CEDAW/C/SVN/CO/7',
          paragraph: '12',
          text: 'Adopt a comprehensive definition of discrimination against women',
        }),
      });
      expect(response.status).toBe(201);
      expect(response.headers.get('x-correlation-id')).toBe(correlationId);
      const event = await waitFor('the RecommendationCreated event', () =>
        observed.messages
          .map((message) => decodeEnvelope(message.value, message.key))
          .find((envelope) => envelope.correlationId === correlationId),
      );
      expect(event.actor).toMatchObject({ id: decodeJwt(token).sub });
      expect(event.causationId).toBe(correlationId);
    } finally {
      await observed.stop();
    }
    const lines = readFileSync(stack.process('recommendations').logFile, 'utf8').trim().split('\n');
    const entries = lines.map((line) => JSON.parse(line)); // every line is JSON
    expect(entries).toContainEqual(
      expect.objectContaining({
        msg: 'request',
        method: 'POST',
        path: '/recommendations',
        status: 201,
        correlationId,
      }),
    );
  });

  it('shuts down gracefully on SIGTERM, and serves again after a restart', async () => {
    await createRecommendation(stack, '143.9');
    const actions = stack.process('actions');
    expect(await actions.stop('SIGTERM', 20_000)).toEqual({ code: null, signal: 'SIGTERM' });
    const worker = stack.process('notifications-worker');
    expect(await worker.stop('SIGTERM', 20_000)).toEqual({ code: null, signal: 'SIGTERM' });
    actions.start();
    worker.start();
    await actions.waitReady();
    expect((await http('GET', `${stack.url('actions')}/actions`)).status).toBe(200);
  });
});
