import { buildEnvelope, encodeEnvelope, timestampFromDate } from '@nmirf/contracts';
import { http, observeTopics, Stack, testKafka, waitFor } from '@nmirf/testing';
import { randomUUID } from 'node:crypto';
import { inbox } from './helpers';

function assigned(actionId: string) {
  return buildEnvelope({
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
}

/** How many messages the topic holds, from its partitions' offsets. */
async function deadLetterTopicEnd(kafka: ReturnType<typeof testKafka>, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, partition) => sum + Number(partition.high) - Number(partition.low), 0);
  } finally {
    await admin.disconnect();
  }
}

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
      // Same partition, poison first: the good message can only be processed if the poison is passed over.
      await producer.send({
        topic,
        messages: [
          { partition: 0, key: 'garbage', value: Buffer.from('{"this is": "not an event"}') },
          { partition: 0, key: actionId, value: Buffer.from(encodeEnvelope(assigned(actionId))) },
        ],
      });

      const inboxItem = await waitFor('the good message in the inbox', async () =>
        (await inbox(stack, 'Ministry of Interior')).items.find((item) => item.actionId === actionId),
      );
      expect(inboxItem.kind).toBe('action_assigned');

      // The services kept running.
      for (const service of ['notifications', 'reporting'] as const) {
        expect((await http('GET', `${stack.url(service)}/health/ready`)).status).toBe(200);
      }
      await waitFor('reporting to count the good event', async () => {
        const response = await http('GET', `${stack.url('reporting')}/summary`);
        return response.body?.total === 1;
      });

      // A later marker on the same partition: once both consumers have processed it, they are done
      // with the poison, so every dead letter they wrote for it (duplicates included) is on the topic.
      const markerId = randomUUID();
      await producer.send({
        topic,
        messages: [{ partition: 0, key: markerId, value: Buffer.from(encodeEnvelope(assigned(markerId))) }],
      });
      await waitFor('notifications to process the marker', async () =>
        (await inbox(stack, 'Ministry of Interior')).items.some((item) => item.actionId === markerId),
      );
      const summary = await waitFor('reporting to process the marker', async () => {
        const response = await http('GET', `${stack.url('reporting')}/summary`);
        return response.body?.total === 2 ? response.body : undefined;
      });
      expect(summary.byInstitution[0].institution).toBe('Ministry of Interior');

      // Count what is on the dead-letter topic, not the first two that arrive: read up to its end.
      const end = await deadLetterTopicEnd(kafka, `${topic}.dlt`);
      await waitFor('the observer to read the whole dead-letter topic', () =>
        deadLetters.messages.length >= end ? true : undefined,
      );
      // Both consumers of the topic (notifications, reporting) dead-letter the poison exactly once each.
      const dead = deadLetters.messages;
      expect(dead.map((message) => message.value?.toString())).toEqual([
        '{"this is": "not an event"}',
        '{"this is": "not an event"}',
      ]);
      expect(new Set(dead.map((message) => message.headers['dlt-consumer-group']))).toEqual(
        new Set([`${stack.env.KAFKA_TOPIC_PREFIX}notifications`, `${stack.env.KAFKA_TOPIC_PREFIX}reporting`]),
      );
      expect(dead[0].headers['dlt-reason']).toBe('invalid');
      expect(dead[0].headers['dlt-source-topic']).toBe(topic);
    } finally {
      await producer.disconnect();
      await deadLetters.stop();
    }
  });
});
