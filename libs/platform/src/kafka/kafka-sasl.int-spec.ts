import { decodeEnvelope, topicName } from '@nmirf/contracts';
import {
  createTestDatabase,
  KafkaBroker,
  requireInfrastructure,
  waitFor,
  type TestDatabase,
} from '@nmirf/testing';
import { randomUUID } from 'node:crypto';
import { Partitioners, type Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { migrate, serviceDataSourceOptions } from '../db/data-source';
import { platformMigrations } from '../db/platform-migrations';
import { EventOutbox } from '../outbox/event-outbox';
import { OutboxRelay } from '../outbox/outbox-relay';
import { createKafka, ensureTopics, kafkaSecurity } from './kafka-client';

jest.setTimeout(180_000);

/** Only the platform may talk to Kafka: a broker with a SCRAM listener, and the services' client on it. */
describe('Kafka over SASL/SCRAM (a private broker with a SASL listener)', () => {
  const broker = new KafkaBroker({
    name: 'sasl',
    port: Number(process.env.SASL_TEST_KAFKA_PORT ?? 19292),
    controllerPort: Number(process.env.SASL_TEST_KAFKA_CONTROLLER_PORT ?? 19293),
    sasl: {
      port: Number(process.env.SASL_TEST_KAFKA_SASL_PORT ?? 19294),
      username: 'nmirf',
      password: randomUUID(),
    },
  });
  const saslBrokers = [`127.0.0.1:${broker.options.sasl?.port}`];
  const schema = 'sasltest';
  const topic = topicName('actions', 'it-sasl.');
  let database: TestDatabase;
  let dataSource: DataSource;

  const kafkaAs = (
    password: string,
    mechanism: 'scram-sha-256' | 'scram-sha-512' = 'scram-sha-256',
  ): Kafka => {
    return createKafka(
      'sasl-test',
      saslBrokers,
      kafkaSecurity({
        KAFKA_SSL: false,
        KAFKA_SASL_MECHANISM: mechanism,
        KAFKA_SASL_USERNAME: 'nmirf',
        KAFKA_SASL_PASSWORD: password,
      }),
    );
  };

  beforeAll(async () => {
    await requireInfrastructure('postgres');
    broker.reset();
    broker.start();
    database = await createTestDatabase('it_sasl');
    const options = { url: database.url, schema, entities: [], migrations: platformMigrations };
    await migrate(options);
    dataSource = await new DataSource(serviceDataSourceOptions(options)).initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
    broker.reset();
  });

  it('refuses a client with the wrong password', async () => {
    const admin = kafkaAs('not-the-password').admin();
    await expect(admin.connect()).rejects.toThrow(/SASL|[Aa]uthentication/);
    await admin.disconnect().catch(() => undefined);
  });

  it('carries an event from the outbox through the relay to a consumer, all over SCRAM', async () => {
    const password = broker.options.sasl?.password ?? '';
    const admin = kafkaAs(password, 'scram-sha-512').admin();
    await admin.connect();
    await ensureTopics(admin, [topic], 1);
    await admin.disconnect();

    const kafka = kafkaAs(password);
    const producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    const relay = new OutboxRelay(dataSource, producer, {
      databaseUrl: database.url,
      schema,
      notifyChannel: `outbox_${schema}`,
      pollMs: 100,
    });
    const consumer = kafka.consumer({ groupId: `sasl-${randomUUID()}` });
    const received: string[] = [];
    try {
      relay.start();
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          received.push(decodeEnvelope(message.value, message.key?.toString()).aggregateId);
        },
      });
      const actionId = randomUUID();
      const outbox = new EventOutbox('sasl-test', 'it-sasl.', `outbox_${schema}`);
      await dataSource.transaction((manager) =>
        outbox.append(manager, {
          case: 'actionCreated',
          aggregateId: actionId,
          payload: { actionId, recommendationId: randomUUID(), title: 'Over SCRAM' },
        }),
      );
      await waitFor('the event through the SASL listener', () => received.includes(actionId), {
        timeoutMs: 60_000,
      });
    } finally {
      await consumer.disconnect();
      await relay.stop(1_000);
      await producer.disconnect();
    }
  });
});
