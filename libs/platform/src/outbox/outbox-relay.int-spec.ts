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
import { platformMigrations } from '../db/platform-migrations';
import { runWithContext } from '../observability/correlation';
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
    const options = { url: database.url, schema, entities: [], migrations: platformMigrations };
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

  it('writes a large batch by COPY as it writes a few: same columns, payloads and sequences', async () => {
    const aggregates = [randomUUID(), randomUUID(), randomUUID()];
    const event = (actionId: string, n: number) => ({
      case: 'actionCreated' as const,
      aggregateId: actionId,
      payload: { actionId, recommendationId: randomUUID(), title: `t${n}` },
    });
    // 150 events (COPY), then 2 more for the first aggregate (INSERT): numbers follow on.
    const batch = Array.from({ length: 150 }, (_, n) => event(aggregates[n % 3], n));
    // Whatever a correlation id holds (the HTTP edge checks its own; events carry others'), COPY keeps it.
    const correlationId = 'c\t1\\2\n3\r';
    const ids = await runWithContext({ correlationId, causationId: correlationId }, () =>
      dataSource.transaction((manager) => outbox.append(manager, ...batch)),
    );
    const more = await dataSource.transaction((manager) =>
      outbox.append(manager, event(aggregates[0], 150), event(aggregates[0], 151)),
    );
    const rows: {
      event_id: string;
      event_type: string;
      topic: string;
      message_key: string;
      payload: Buffer;
      correlation_id: string;
      aggregate_sequence: string;
      traceparent: string | null;
    }[] = await dataSource.query(
      `SELECT event_id, event_type, topic, message_key, payload, correlation_id, aggregate_sequence, traceparent
         FROM outbox WHERE message_key = ANY($1) ORDER BY seq`,
      [aggregates],
    );
    expect(rows.map((row) => row.event_id)).toEqual([...ids, ...more]);
    const sent = [...batch, event(aggregates[0], 150), event(aggregates[0], 151)];
    rows.forEach((row, n) => {
      const envelope = decodeEnvelope(row.payload, row.message_key);
      expect(envelope.eventId).toBe(row.event_id);
      expect(envelope.payload.case).toBe('actionCreated');
      expect(envelope.payload.value).toMatchObject({ title: sent[n].payload.title });
      expect(row).toMatchObject({ event_type: 'ActionCreated', topic, message_key: sent[n].aggregateId });
      expect(row.traceparent).toBeNull();
    });
    expect(rows.slice(0, 150).every((row) => row.correlation_id === correlationId)).toBe(true);
    const sequences = (key: string) =>
      rows.filter((row) => row.message_key === key).map((row) => Number(row.aggregate_sequence));
    expect(sequences(aggregates[0])).toEqual(Array.from({ length: 52 }, (_, i) => i + 1));
    expect(sequences(aggregates[1])).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
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

  /** What a PostgreSQL restart does to the relays: every session of the database ends. */
  const terminateSessions = () =>
    dataSource.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid()`,
    );

  it('re-elects one leader after every session is cut, and publishes each aggregate in sequence order', async () => {
    const observed = await observeTopics(testKafka(), [topic]);
    const relays = [
      relayWith(testInfrastructure.kafkaBrokers.split(',')),
      relayWith(testInfrastructure.kafkaBrokers.split(',')),
    ];
    const leaders = () => relays.filter(({ relay }) => relay.isLeader).length;
    // Two relays may both believe they lead for an instant after a cut, until the old leader's socket
    // reports the loss (each checks the lock before every batch anyway); never for two samples running.
    let maxLeaders = 0;
    let overlapping = 0;
    const sampler = setInterval(() => {
      overlapping = leaders() > 1 ? overlapping + 1 : 0;
      if (overlapping !== 1) maxLeaders = Math.max(maxLeaders, leaders());
    }, 5);
    const aggregates = Array.from({ length: 5 }, () => randomUUID());
    try {
      await waitFor('a leader', () => leaders() === 1);
      let writing = true;
      const writer = (async () => {
        while (writing) {
          await Promise.all(aggregates.map((id) => appendCreated(id).catch(() => undefined)));
        }
      })();
      for (let cut = 0; cut < 3; cut += 1) {
        await new Promise((resolve) => setTimeout(resolve, 400));
        await terminateSessions();
        await waitFor('a leader again', () => leaders() === 1, { timeoutMs: 15_000 });
      }
      // A relay that starts now (a new pod) must not find the lock free while a leader still publishes.
      relays.push(relayWith(testInfrastructure.kafkaBrokers.split(',')));
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      writing = false;
      await writer;
      await waitFor('the backlog to drain', async () => (await relays[0].relay.backlog()) === 0);

      // After the cuts, a new event is published at once (LISTEN is back), not by polling.
      const late = randomUUID();
      await appendCreated(late);
      await waitFor('the late event', () => observed.messages.some((message) => message.key === late), {
        timeoutMs: 5_000,
      });

      const written = await dataSource.query(
        `SELECT message_key, count(*)::int AS n FROM outbox WHERE message_key = ANY($1) GROUP BY message_key`,
        [aggregates],
      );
      for (const { message_key: id, n } of written) {
        const sequences = observed.messages
          .filter((message) => message.key === id)
          .map((message) => Number(decodeEnvelope(message.value, message.key).aggregateSequence));
        // Re-sent after a cut is allowed (consumers drop it); going back past an unsent one is not.
        const firsts = sequences.filter((sequence, index) => sequences.indexOf(sequence) === index);
        expect(firsts).toEqual(Array.from({ length: n }, (_, i) => i + 1));
        for (let i = 1; i < sequences.length; i += 1) {
          if (sequences[i] < sequences[i - 1]) expect(sequences.slice(0, i)).toContain(sequences[i]);
        }
      }
      expect(maxLeaders).toBe(1);
    } finally {
      clearInterval(sampler);
      await Promise.all(relays.map(({ stop }) => stop()));
      await observed.stop();
    }
  });
});
