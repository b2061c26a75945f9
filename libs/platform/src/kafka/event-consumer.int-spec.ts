import { buildEnvelope, deadLetterTopicName, encodeEnvelope, topicName } from '@nmirf/contracts';
import {
  createTestDatabase,
  observeTopics,
  requireInfrastructure,
  testInfrastructure,
  testKafka,
  waitFor,
  type TestDatabase,
} from '@nmirf/testing';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { migrate, serviceDataSourceOptions } from '../db/data-source';
import { platformMigrations } from '../db/platform-migrations';
import type { EventContext } from './event-context';
import { EventConsumerServer } from './event-consumer.server';
import { PermanentEventError } from './permanent-event-error';
import { ensureTopics } from './kafka-client';

jest.setTimeout(90_000);

describe('event consumer: inbox, retries and dead letters (real PostgreSQL and Kafka)', () => {
  const schema = 'consumertest';
  const prefix = `it-${randomUUID().slice(0, 8)}.`;
  const topic = topicName('actions', prefix);
  let database: TestDatabase;
  let dataSource: DataSource;
  let producer: Producer;
  let server: EventConsumerServer;
  const attemptsByTitle = new Map<string, number>();

  const event = (title: string, eventId = randomUUID()) => {
    const actionId = randomUUID();
    const envelope = buildEnvelope({
      eventId,
      case: 'actionCreated',
      aggregateId: actionId,
      occurredAt: new Date(),
      correlationId: randomUUID(),
      causationId: randomUUID(),
      actor: { kind: 'user', id: 'tester' },
      payload: { actionId, recommendationId: randomUUID(), title },
    });
    return { key: actionId, value: Buffer.from(encodeEnvelope(envelope)), partition: 0 };
  };

  beforeAll(async () => {
    await requireInfrastructure('postgres', 'kafka');
    database = await createTestDatabase('it_consumer');
    await migrate({ url: database.url, schema, entities: [], migrations: platformMigrations });
    dataSource = await new DataSource(
      serviceDataSourceOptions({ url: database.url, schema, entities: [], migrations: [] }),
    ).initialize();
    await dataSource.query(`CREATE TABLE effects (event_id uuid NOT NULL, title text NOT NULL)`);

    const kafka = new Kafka({
      clientId: 'consumer-test',
      brokers: testInfrastructure.kafkaBrokers.split(','),
      logLevel: logLevel.NOTHING,
    });
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, [topic], 1);
    await admin.disconnect();
    producer = kafka.producer();
    await producer.connect();

    server = new EventConsumerServer({
      kafka,
      groupId: `${prefix}consumer-test`,
      topics: [topic],
      dataSource,
      producer,
      maxAttempts: 3,
      retryBaseMs: 10,
    });
    server.addHandler(
      'ActionCreated',
      async (envelope: any, context: EventContext) => {
        const title = envelope.payload.value.title as string;
        attemptsByTitle.set(title, (attemptsByTitle.get(title) ?? 0) + 1);
        // The effect is written before failing: a rolled-back attempt must leave nothing behind.
        await context.manager.query(`INSERT INTO effects (event_id, title) VALUES ($1, $2)`, [
          envelope.eventId,
          title,
        ]);
        if (title.startsWith('always fails')) throw new Error('handler bug');
        if (title.startsWith('impossible')) throw new PermanentEventError('due_at is +275760-09-13');
      },
      true,
    );
    await new Promise<void>((resolve) => server.listen(resolve));
    await waitFor('the consumer to join its group', () => server.isConsuming);
  });

  afterAll(async () => {
    await server?.close();
    await producer?.disconnect();
    await dataSource?.destroy();
    await database?.drop();
  });

  const effects = async (title: string) =>
    (await dataSource.query(`SELECT count(*)::int AS n FROM effects WHERE title = $1`, [title]))[0]
      .n as number;

  it('applies a redelivered event once', async () => {
    const eventId = randomUUID();
    const first = event('delivered twice', eventId);
    await producer.send({ topic, messages: [first, { ...first }] });
    await producer.send({ topic, messages: [event('marker after duplicate')] });
    await waitFor('the marker', async () => (await effects('marker after duplicate')) === 1);
    expect(await effects('delivered twice')).toBe(1);
  });

  it('dead-letters a message that keeps failing after bounded retries, and moves on', async () => {
    const deadLetters = await observeTopics(testKafka(), [deadLetterTopicName(topic)]);
    try {
      await producer.send({ topic, messages: [event('always fails 1'), event('after the failure')] });
      await waitFor('the next message', async () => (await effects('after the failure')) === 1);
      expect(attemptsByTitle.get('always fails 1')).toBe(3);
      expect(await effects('always fails 1')).toBe(0);
      const dead = await waitFor('the dead letter', () =>
        deadLetters.messages.find((message) => message.headers['dlt-reason'] === 'handler-failed'),
      );
      expect(dead.headers).toMatchObject({
        'dlt-attempts': '3',
        'dlt-error': 'handler bug',
        'dlt-source-topic': topic,
      });
    } finally {
      await deadLetters.stop();
    }
  });

  it('dead-letters an event its handler calls impossible at once, without retries', async () => {
    const deadLetters = await observeTopics(testKafka(), [deadLetterTopicName(topic)]);
    try {
      await producer.send({ topic, messages: [event('impossible 1'), event('after the impossible')] });
      await waitFor('the next message', async () => (await effects('after the impossible')) === 1);
      expect(attemptsByTitle.get('impossible 1')).toBe(1);
      expect(await effects('impossible 1')).toBe(0);
      const dead = await waitFor('the dead letter', () =>
        deadLetters.messages.find((message) => message.headers['dlt-reason'] === 'rejected'),
      );
      expect(dead.headers).toMatchObject({
        'dlt-attempts': '1',
        'dlt-error': 'due_at is +275760-09-13',
        'dlt-source-topic': topic,
      });
    } finally {
      await deadLetters.stop();
    }
  });

  it('dead-letters bytes that are not an event without calling the handler', async () => {
    const deadLetters = await observeTopics(testKafka(), [deadLetterTopicName(topic)]);
    try {
      await producer.send({
        topic,
        messages: [
          { key: 'k', value: Buffer.from([0xff, 0x00, 0x13]), partition: 0 },
          event('after garbage'),
        ],
      });
      await waitFor('the next message', async () => (await effects('after garbage')) === 1);
      const dead = await waitFor('the dead letter', () =>
        deadLetters.messages.find((message) => message.headers['dlt-reason'] === 'invalid'),
      );
      expect(dead.value).toEqual(Buffer.from([0xff, 0x00, 0x13]));
      expect(dead.headers['dlt-error']).toMatch(/not a protobuf EventEnvelope|no payload/);
    } finally {
      await deadLetters.stop();
    }
  });
});
