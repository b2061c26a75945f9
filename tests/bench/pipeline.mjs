// Pipeline benchmark: 10,000 actions created over REST, measured from "action created" (its row in
// the actions schema) to "notification persisted" (its row in the notifications schema), against raw
// kafkajs produce-to-consume of as many messages of the same size on the same broker, in the same run.
//   npm run bench:pipeline [-- --actions 10000 --concurrency 32]
import { randomUUID } from 'node:crypto';
import { Partitioners } from 'kafkajs';
import pg from 'pg';
import { http, Stack, testKafka, waitFor } from '@nmirf/testing';

const arg = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
};
const ACTIONS = arg('actions', 10_000);
const CONCURRENCY = arg('concurrency', 32);

const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const summary = (latencies) => {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) };
};
const fmt = (ms) => `${ms.toFixed(1)} ms`;

async function rawKafkaBaseline(brokers, count, size) {
  const kafka = testKafka(brokers);
  const topic = `bench-raw-${randomUUID()}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
  const consumer = kafka.consumer({ groupId: `bench-raw-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const sentAt = new Map();
  const latencies = [];
  let done;
  const finished = new Promise((resolve) => (done = resolve));
  await consumer.run({
    eachMessage: async ({ message }) => {
      latencies.push(performance.now() - sentAt.get(message.key.toString()));
      if (latencies.length === count) done();
    },
  });
  await new Promise((resolve) => setTimeout(resolve, 3_000)); // let the group settle
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  const payload = Buffer.alloc(size, 'x');
  const started = performance.now();
  let next = 0;
  // Same shape of load as the pipeline: CONCURRENCY senders, one message per request.
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        const key = String(next++);
        sentAt.set(key, performance.now());
        await producer.send({ topic, acks: -1, messages: [{ key, value: payload }] });
      }
    }),
  );
  await finished;
  const seconds = (performance.now() - started) / 1_000;
  await producer.disconnect();
  await consumer.disconnect();
  await admin.deleteTopics({ topics: [topic] });
  await admin.disconnect();
  return { ...summary(latencies), perSecond: count / seconds, seconds };
}

async function pipeline(stack) {
  const recommendation = await http('POST', `${stack.url('recommendations')}/recommendations`, {
    body: 'UPR',
    documentSymbol: 'A/HRC/43/15',
    paragraph: '121.1',
    text: 'Ratify the International Convention for the Protection of All Persons from Enforced Disappearance',
    recommendingStates: ['France', 'Lithuania'],
    position: 'supported',
  });
  const recommendationId = recommendation.body.id;
  const dueDate = new Date(Date.now() + 30 * 86_400_000).toISOString();
  const institutions = [
    'Ministry of Justice',
    'Ministry of Interior',
    'Ministry of Health',
    'Ministry of Education',
  ];
  await waitFor('actions to know the recommendation', async () => {
    const response = await http('POST', `${stack.url('actions')}/actions`, {
      recommendationId,
      title: 'warm-up',
      institution: institutions[0],
      dueDate,
    });
    return response.status === 201;
  });

  const started = Date.now();
  let next = 0;
  let failures = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < ACTIONS) {
        const i = next++;
        const response = await http('POST', `${stack.url('actions')}/actions`, {
          recommendationId,
          title: `Benchmark action ${i}`,
          institution: institutions[i % institutions.length],
          dueDate,
        });
        if (response.status !== 201) failures += 1;
      }
    }),
  );
  const createSeconds = (Date.now() - started) / 1_000;
  const client = new pg.Client({ connectionString: stack.database.url });
  await client.connect();
  try {
    await waitFor(
      `${ACTIONS + 1} assignment notifications`,
      async () => {
        const { rows } = await client.query(
          `SELECT count(*)::int AS n FROM notifications.notifications WHERE kind = 'action_assigned'`,
        );
        return rows[0].n >= ACTIONS + 1;
      },
      { timeoutMs: 15 * 60_000, intervalMs: 1_000 },
    );
    const { rows } = await client.query(`
      SELECT extract(epoch FROM (n.created_at - a.created_at)) * 1000 AS latency_ms,
             extract(epoch FROM (o.published_at - a.created_at)) * 1000 AS relay_ms,
             extract(epoch FROM a.created_at) AS created, extract(epoch FROM n.created_at) AS notified
        FROM actions.actions a
        JOIN actions.outbox o ON o.message_key = a.id::text AND o.event_type = 'ActionAssigned'
        JOIN notifications.notifications n ON n.action_id = a.id AND n.kind = 'action_assigned'
       WHERE a.title LIKE 'Benchmark action %'`);
    const latencies = rows.map((row) => Number(row.latency_ms));
    const relay = summary(rows.map((row) => Number(row.relay_ms)));
    const first = Math.min(...rows.map((row) => Number(row.created)));
    const last = Math.max(...rows.map((row) => Number(row.notified)));
    const { rows: events } = await client.query(`SELECT count(*)::int AS n FROM actions.outbox`);
    const seconds = last - first;
    return {
      ...summary(latencies),
      relay,
      actions: rows.length,
      failures,
      createSeconds,
      seconds,
      actionsPerSecond: rows.length / seconds,
      eventsPerSecond: events[0].n / seconds,
    };
  } finally {
    await client.end();
  }
}

const stack = await Stack.start({ name: 'bench', env: { LOG_LEVEL: 'warn', KAFKA_TOPIC_PARTITIONS: '6' } });
try {
  console.log(
    `Pipeline benchmark: ${ACTIONS} actions, ${CONCURRENCY} concurrent HTTP clients, broker ${stack.env.KAFKA_BROKERS}`,
  );
  const ours = await pipeline(stack);
  const raw = await rawKafkaBaseline(stack.env.KAFKA_BROKERS, ACTIONS, 320);
  console.log(`
                         p50          p95          p99          throughput
raw kafkajs              ${fmt(raw.p50).padEnd(12)} ${fmt(raw.p95).padEnd(12)} ${fmt(raw.p99).padEnd(12)} ${raw.perSecond.toFixed(0)} msg/s
pipeline (REST→outbox→   ${fmt(ours.p50).padEnd(12)} ${fmt(ours.p95).padEnd(12)} ${fmt(ours.p99).padEnd(12)} ${ours.actionsPerSecond.toFixed(0)} actions/s, ${ours.eventsPerSecond.toFixed(0)} events/s
  Kafka→inbox→notification)

  of which action created → published to Kafka by the outbox relay: p50 ${fmt(ours.relay.p50)}, p95 ${fmt(ours.relay.p95)}, p99 ${fmt(ours.relay.p99)}

latency ratio pipeline/raw: p50 ${(ours.p50 / raw.p50).toFixed(2)}×, p95 ${(ours.p95 / raw.p95).toFixed(2)}×, p99 ${(ours.p99 / raw.p99).toFixed(2)}×
throughput ratio pipeline/raw: ${(ours.eventsPerSecond / raw.perSecond).toFixed(2)}× (events/s vs messages/s)
actions measured: ${ours.actions}, failed requests: ${ours.failures}, REST creation took ${ours.createSeconds.toFixed(1)} s, last notification after ${ours.seconds.toFixed(1)} s`);
} finally {
  await stack.stop();
}
