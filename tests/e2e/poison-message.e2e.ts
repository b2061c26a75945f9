import { buildEnvelope, encodeEnvelope, timestampFromDate } from '@nmirf/contracts';
import { http, observeTopics, Stack, testKafka, waitFor } from '@nmirf/testing';
import { randomUUID } from 'node:crypto';
import { inbox } from './helpers';

jest.setTimeout(180_000);

describe('a malformed message on the actions topic', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await Stack.start({ name: 'poison' });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('goes to the dead-letter topic, and the next good message is processed', async () => {
    const kafka = testKafka(stack.env.KAFKA_BROKERS);
    const topic = stack.topic('nmirf.actions.action.v1');
    const deadLetters = await observeTopics(kafka, [`${topic}.dlt`]);
    const producer = kafka.producer();
    await producer.connect();
    try {
      const actionId = randomUUID();
      const good = buildEnvelope({
        eventId: randomUUID(),
        case: 'actionAssigned',
        aggregateId: actionId,
        occurredAt: new Date(),
        correlationId: randomUUID(),
        causationId: randomUUID(),
        actor: { kind: 'user', id: 'test-coordinator' },
        payload: {
          actionId,
          recommendationId: randomUUID(),
          title: 'Train prison staff on the Istanbul Protocol',
          institution: 'Ministry of Interior',
          dueAt: timestampFromDate(new Date(Date.now() + 7 * 24 * 3_600_000)),
          previousInstitution: '',
          status: 1,
        },
      });
      // Same partition, poison first: the good message can only be processed if the poison is passed over.
      await producer.send({
        topic,
        messages: [
          { partition: 0, key: 'garbage', value: Buffer.from('{"this is": "not an event"}') },
          { partition: 0, key: actionId, value: Buffer.from(encodeEnvelope(good)) },
        ],
      });

      const inboxItem = await waitFor('the good message in the inbox', async () =>
        (await inbox(stack, 'Ministry of Interior')).items.find((item) => item.actionId === actionId),
      );
      expect(inboxItem.kind).toBe('action_assigned');

      // Both consumers of the topic (notifications, reporting) dead-letter the poison once each.
      const dead = await waitFor('the poison on the dead-letter topic', () =>
        deadLetters.messages.length >= 2 ? deadLetters.messages : undefined,
      );
      expect(dead.map((message) => message.value?.toString())).toEqual([
        '{"this is": "not an event"}',
        '{"this is": "not an event"}',
      ]);
      expect(new Set(dead.map((message) => message.headers['dlt-consumer-group']))).toEqual(
        new Set([`${stack.env.KAFKA_TOPIC_PREFIX}notifications`, `${stack.env.KAFKA_TOPIC_PREFIX}reporting`]),
      );
      expect(dead[0].headers['dlt-reason']).toBe('invalid');
      expect(dead[0].headers['dlt-source-topic']).toBe(topic);

      // The services kept running.
      for (const service of ['notifications', 'reporting'] as const) {
        expect((await http('GET', `${stack.url(service)}/health/ready`)).status).toBe(200);
      }
      const summary = await waitFor('reporting to count the good event', async () => {
        const response = await http('GET', `${stack.url('reporting')}/summary`);
        return response.body?.total === 1 ? response.body : undefined;
      });
      expect(summary.byInstitution[0].institution).toBe('Ministry of Interior');
    } finally {
      await producer.disconnect();
      await deadLetters.stop();
    }
  });
});
