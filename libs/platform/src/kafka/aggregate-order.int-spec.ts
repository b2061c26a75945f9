import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import {
  buildEnvelope,
  deadLetterTopicName,
  encodeEnvelope,
  timestampFromDate,
  topicName,
  type EventEnvelope,
} from '@nmirf/contracts';
import {
  createTestDatabase,
  observeTopics,
  requireInfrastructure,
  testInfrastructure,
  testKafka,
  waitFor,
  type TestDatabase,
} from '@nmirf/testing';
import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { connectEventConsumer } from '../bootstrap';
import { migrate, serviceDataSourceOptions } from '../db/data-source';
import { platformMigrations } from '../db/platform-migrations';
import { HEALTH_CHECKS } from '../health/health.controller';
import { applyHttpConventions } from '../http/create-http-app';
import type { EventContext } from './event-context';
import type { EventConsumerServer } from './event-consumer.server';
import { ensureTopics } from './kafka-client';

jest.setTimeout(90_000);

class UnknownActionError extends Error {}

/** A read model like reporting's: the action's due date is whatever the last applied event says. */
@Controller()
class DueDates {
  @EventPattern('ActionDueDateChanged')
  async onDueDateChanged(@Payload() envelope: EventEnvelope, @Ctx() context: EventContext): Promise<void> {
    if (envelope.payload.case !== 'actionDueDateChanged') return;
    const { actionId, reason } = envelope.payload.value;
    if (reason === 'unknown action') throw new UnknownActionError(`action ${actionId} is not known here`);
    await context.manager.query(`INSERT INTO applied (action_id, reason, sequence) VALUES ($1, $2, $3)`, [
      actionId,
      reason,
      String(envelope.aggregateSequence),
    ]);
    await context.manager.query(
      `INSERT INTO due_dates (action_id, reason) VALUES ($1, $2)
       ON CONFLICT (action_id) DO UPDATE SET reason = EXCLUDED.reason`,
      [actionId, reason],
    );
  }
}

@Module({ controllers: [DueDates], providers: [{ provide: HEALTH_CHECKS, useValue: [] }] })
class DueDatesModule {}

describe('per-aggregate order at the consumer (real PostgreSQL and Kafka, wired as in the services)', () => {
  const schema = 'ordertest';
  const prefix = `it-${randomUUID().slice(0, 8)}.`;
  const topic = topicName('actions', prefix);
  let database: TestDatabase;
  let dataSource: DataSource;
  let producer: Producer;
  let app: INestApplication;
  let consumer: EventConsumerServer;

  const changed = (actionId: string, sequence: number, reason: string, eventId = randomUUID()) => {
    const envelope = buildEnvelope({
      eventId,
      case: 'actionDueDateChanged',
      aggregateId: actionId,
      aggregateSequence: BigInt(sequence),
      occurredAt: new Date(),
      correlationId: randomUUID(),
      causationId: randomUUID(),
      actor: { kind: 'user', id: 'tester' },
      payload: {
        actionId,
        previousDueAt: timestampFromDate(new Date()),
        dueAt: timestampFromDate(new Date(Date.now() + sequence * 86_400_000)),
        reason,
        institution: 'Ministry of Justice',
      },
    });
    return { key: actionId, value: Buffer.from(encodeEnvelope(envelope)) };
  };
  const applied = async (actionId: string) =>
    (await dataSource.query(`SELECT reason FROM applied WHERE action_id = $1 ORDER BY id`, [actionId])).map(
      (row: { reason: string }) => row.reason,
    );
  const dueDate = async (actionId: string) =>
    (await dataSource.query(`SELECT reason FROM due_dates WHERE action_id = $1`, [actionId]))[0]?.reason;

  beforeAll(async () => {
    await requireInfrastructure('postgres', 'kafka');
    database = await createTestDatabase('it_order');
    await migrate({ url: database.url, schema, entities: [], migrations: platformMigrations });
    dataSource = await new DataSource(
      serviceDataSourceOptions({ url: database.url, schema, entities: [], migrations: [] }),
    ).initialize();
    await dataSource.query(
      `CREATE TABLE applied (id serial PRIMARY KEY, action_id text NOT NULL, reason text NOT NULL, sequence bigint)`,
    );
    await dataSource.query(`CREATE TABLE due_dates (action_id text PRIMARY KEY, reason text NOT NULL)`);
    const kafka = new Kafka({
      clientId: 'order-test',
      brokers: testInfrastructure.kafkaBrokers.split(','),
      logLevel: logLevel.NOTHING,
    });
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, [topic], 1);
    await admin.disconnect();
    producer = kafka.producer();
    await producer.connect();

    app = await NestFactory.create(DueDatesModule, { logger: ['error', 'warn'] });
    applyHttpConventions(app); // the HTTP error filter must not reach the consumer
    consumer = connectEventConsumer(app, {
      kafka,
      groupId: `${prefix}order-test`,
      topics: [topic],
      dataSource,
      producer,
      maxAttempts: 2,
      retryBaseMs: 10,
      sessionTimeoutMs: 6_000,
      parkTimeoutMs: 2_000,
    });
    await app.startAllMicroservices();
    await waitFor('the consumer to join its group with partitions', () => consumer.isConsuming);
  });

  afterAll(async () => {
    await app?.close();
    await producer?.disconnect();
    await dataSource?.destroy();
    await database?.drop();
  });

  it('applies events fed out of order in sequence order, and skips duplicates and stale ones', async () => {
    const actionId = randomUUID();
    const second = changed(actionId, 2, 'second');
    await producer.send({
      topic,
      messages: [
        changed(actionId, 1, 'first'),
        changed(actionId, 4, 'fourth'),
        changed(actionId, 3, 'third'),
        second,
        { ...second }, // the same event again
        changed(actionId, 2, 'second, republished with another id'),
        changed(actionId, 1, 'first, stale'),
      ],
    });
    await waitFor('all four applied', async () => (await applied(actionId)).length >= 4);
    // A marker after everything, so a late wrong application would be seen.
    const marker = randomUUID();
    await producer.send({ topic, messages: [changed(marker, 1, 'marker')] });
    await waitFor('the marker', async () => (await dueDate(marker)) === 'marker');
    expect(await applied(actionId)).toEqual(['first', 'second', 'third', 'fourth']);
    expect(await dueDate(actionId)).toBe('fourth');
    const [parked] = await dataSource.query(`SELECT count(*)::int AS n FROM parked_event`);
    expect(parked.n).toBe(0);
  });

  it('applies an event whose predecessor never comes once it has waited long enough', async () => {
    const actionId = randomUUID();
    await producer.send({ topic, messages: [changed(actionId, 1, 'first'), changed(actionId, 3, 'third')] });
    await waitFor('the first', async () => (await dueDate(actionId)) === 'first');
    const [parked] = await dataSource.query(
      `SELECT aggregate_sequence FROM parked_event WHERE aggregate_id = $1`,
      [actionId],
    );
    expect(parked.aggregate_sequence).toBe('3');
    await waitFor('the third, after the park timeout', async () => (await dueDate(actionId)) === 'third', {
      timeoutMs: 30_000,
    });
    // The missing one arriving late is now stale.
    await producer.send({ topic, messages: [changed(actionId, 2, 'second, too late')] });
    const marker = randomUUID();
    await producer.send({ topic, messages: [changed(marker, 1, 'marker')] });
    await waitFor('the marker', async () => (await dueDate(marker)) === 'marker');
    expect(await applied(actionId)).toEqual(['first', 'third']);
  });

  it('dead-letters a failing handler with its real error, and the events after it are not held back', async () => {
    const deadLetters = await observeTopics(testKafka(), [deadLetterTopicName(topic)]);
    try {
      const actionId = randomUUID();
      await producer.send({
        topic,
        messages: [
          changed(actionId, 1, 'first'),
          changed(actionId, 2, 'unknown action'),
          changed(actionId, 3, 'third'),
        ],
      });
      const dead = await waitFor('the dead letter', () =>
        deadLetters.messages.find((message) => message.key === actionId),
      );
      expect(dead.headers['dlt-reason']).toBe('handler-failed');
      expect(dead.headers['dlt-error']).toBe(`action ${actionId} is not known here`);
      expect(dead.headers['dlt-attempts']).toBe('2');
      // Well before the park timeout would have let it through.
      await waitFor('the third', async () => (await dueDate(actionId)) === 'third', { timeoutMs: 1_500 });
      expect(await applied(actionId)).toEqual(['first', 'third']);
    } finally {
      await deadLetters.stop();
    }
  });

  it('acknowledges an event type from a newer producer without dead-lettering it, and keeps the order', async () => {
    const deadLetters = await observeTopics(testKafka(), [deadLetterTopicName(topic)]);
    try {
      const actionId = randomUUID();
      const known = buildEnvelope({
        eventId: randomUUID(),
        case: 'actionDueDateChanged',
        aggregateId: actionId,
        aggregateSequence: 2n,
        occurredAt: new Date(),
        correlationId: randomUUID(),
        causationId: randomUUID(),
        actor: { kind: 'user', id: 'tester' },
        payload: { actionId, reason: 'x', institution: 'Ministry of Justice' },
      });
      // Oneof field 99 ("ActionArchived") is unknown to this build.
      const newer = Buffer.concat([
        Buffer.from(encodeEnvelope({ ...known, type: 'ActionArchived', payload: { case: undefined } })),
        Buffer.from([0x9a, 0x06, 0x03, 0x0a, 0x01, 0x78]),
      ]);
      const before = consumer.consumerStatus.unknownEventTypes;
      await producer.send({
        topic,
        messages: [
          changed(actionId, 1, 'first'),
          { key: actionId, value: newer },
          changed(actionId, 3, 'third'),
        ],
      });
      await waitFor(
        'the third, right after the unknown one',
        async () => (await dueDate(actionId)) === 'third',
        {
          timeoutMs: 1_500,
        },
      );
      expect(consumer.consumerStatus.unknownEventTypes).toBe(before + 1);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(deadLetters.messages.filter((message) => message.key === actionId)).toEqual([]);
    } finally {
      await deadLetters.stop();
    }
  });
});
