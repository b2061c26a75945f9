import { decodeEnvelope, topicName } from '@nmirf/contracts';
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
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { DataSource } from 'typeorm';
import { migrate, serviceDataSourceOptions } from '../db/data-source';
import { PlatformTables1764201600000 } from '../db/platform-tables';
import { ensureTopics } from '../kafka/kafka-client';
import { EventOutbox } from './event-outbox';
import { OutboxRelay } from './outbox-relay';

jest.setTimeout(60_000);

describe('transactional outbox and relay (real PostgreSQL and Kafka)', () => {
  const schema = 'relaytest';
  const prefix = `it-${randomUUID().slice(0, 8)}.`;
  const topic = topicName('actions', prefix);
  let database: TestDatabase;
  let dataSource: DataSource;
  const outbox = new EventOutbox('relay-test', prefix, `outbox_${schema}`);

  beforeAll(async () => {
    await requireInfrastructure('postgres', 'kafka');
    database = await createTestDatabase('it_outbox');
    const options = { url: database.url, schema, entities: [], migrations: [PlatformTables1764201600000] };
    await migrate(options);
    dataSource = await new DataSource(serviceDataSourceOptions(options)).initialize();
    const admin = testKafka().admin();
    await admin.connect();
    await ensureTopics(admin, [topic], 3);
    await admin.disconnect();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  const appendCreated = (actionId: string) =>
    dataSource.transaction((manager) =>
      outbox.append(manager, {
        case: 'actionCreated',
        aggregateId: actionId,
        payload: { actionId, recommendationId: randomUUID(), title: 'x' },
      }),
    );

  function relayWith(brokers: string[]): { relay: OutboxRelay; stop: () => Promise<void> } {
    const kafka = new Kafka({
      clientId: 'relay-test',
      brokers,
      logLevel: logLevel.NOTHING,
      retry: { retries: 1 },
      connectionTimeout: 500,
    });
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
    relay.start();
    return { relay, stop: () => relay.stop(1_000).then(() => producer.disconnect()) };
  }

  it('keeps events while Kafka is unreachable and publishes them, keyed by aggregate, once it is back', async () => {
    const observed = await observeTopics(testKafka(), [topic]);
    const down = relayWith(['127.0.0.1:1']);
    const actionIds = [randomUUID(), randomUUID(), randomUUID()];
    const eventIds = (await Promise.all(actionIds.map(appendCreated))).flat();
    await waitFor(
      'the relay to fail against the dead broker twice',
      () => down.relay.consecutiveFailures >= 2,
    );
    expect(await down.relay.backlog()).toBe(3);
    await down.stop();

    const up = relayWith(testInfrastructure.kafkaBrokers.split(','));
    try {
      await waitFor('the backlog to drain', async () => (await up.relay.backlog()) === 0);
      const received = await waitFor('three messages', () =>
        observed.messages.length >= 3 ? observed.messages : undefined,
      );
      const envelopes = received.map((message) => decodeEnvelope(message.value, message.key));
      expect(envelopes.map((envelope) => envelope.eventId).sort()).toEqual([...eventIds].sort());
      expect(received.map((message) => message.key).sort()).toEqual([...actionIds].sort());
    } finally {
      await up.stop();
      await observed.stop();
    }
  });

  it('writes nothing when the transaction rolls back', async () => {
    const before = await dataSource.query(`SELECT count(*)::int AS n FROM outbox`);
    await expect(
      dataSource.transaction(async (manager) => {
        await outbox.append(manager, {
          case: 'actionCreated',
          aggregateId: randomUUID(),
          payload: { actionId: randomUUID(), recommendationId: randomUUID(), title: 'y' },
        });
        throw new Error('state change failed');
      }),
    ).rejects.toThrow('state change failed');
    const after = await dataSource.query(`SELECT count(*)::int AS n FROM outbox`);
    expect(after[0].n).toBe(before[0].n);
  });

  it('lets only one relay per schema publish at a time', async () => {
    const first = relayWith(testInfrastructure.kafkaBrokers.split(','));
    const second = relayWith(testInfrastructure.kafkaBrokers.split(','));
    try {
      await waitFor('a leader', () => first.relay.isLeader || second.relay.isLeader);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect([first.relay.isLeader, second.relay.isLeader].filter(Boolean)).toHaveLength(1);
    } finally {
      await first.stop();
      await second.stop();
    }
  });
});
