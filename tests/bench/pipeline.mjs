// Pipeline benchmark: 10,000 actions created over REST, measured from "action created" (its row in
// the actions schema) to "notification persisted" (its row in the notifications schema), against raw
// kafkajs produce-to-consume of the very messages the pipeline published, on a topic laid out like
// the pipeline's, on the same broker, in the same run.
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
const PARTITIONS = 6;
// The outbox relay's batch size (OutboxRelay's default): the baseline batches the same way.
const RELAY_BATCH = 500;
const ACTIONS_TOPIC = 'nmirf.actions.action.v1';

const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const summary = (latencies) => {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) };
};
const fmt = (ms) => `${ms.toFixed(1)} ms`;

/**
 * The pipeline's own Kafka messages for the given actions (key, value and headers as the relay sent
 * them), grouped per action in topic order, the actions in the order given.
 */
async function publishedMessages(kafka, topic, actionIds, events) {
  const wanted = new Set(actionIds);
  const byAction = new Map();
  // A relay retry may publish a row twice; the baseline sends each event once. The envelope carries
  // the event id, so two distinct events never have the same value.
  const seen = new Set();
  const consumer = kafka.consumer({ groupId: `bench-capture-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const key = message.key?.toString();
      const identity = message.value.toString('base64');
      if (!wanted.has(key) || seen.has(identity)) return;
      seen.add(identity);
      byAction.set(key, [
        ...(byAction.get(key) ?? []),
        { key, value: message.value, headers: message.headers },
      ]);
    },
  });
  try {
    await waitFor(`the ${events} events of the benchmark actions on ${topic}`, () => seen.size === events, {
      timeoutMs: 120_000,
    });
  } finally {
    await consumer.disconnect();
  }
  return { count: seen.size, actions: actionIds.map((key) => ({ key, messages: byAction.get(key) })) };
}

/**
 * The best raw kafkajs does with the same messages: the producer the relay uses (idempotent, one
 * request in flight so per-key order survives retries, acks=-1), batches of up to RELAY_BATCH
 * messages, a topic with as many partitions as the pipeline's, and a consumer like the services'
 * (eachBatch, three partitions at a time). Each action becomes available at its offset in
 * `arrivals` (all at once when there is none); whenever the producer is free, everything available
 * goes out in one batch. An action counts as the pipeline's does: its two events, from the moment
 * they are handed to the producer (not while they wait for it) until the last one (ActionAssigned)
 * is consumed. Both sides thus move the same Kafka messages per action, and events/s compare.
 */
async function rawKafkaBaseline(kafka, partitions, captured, arrivals) {
  const topic = `bench-raw-${randomUUID()}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [{ topic, numPartitions: partitions, replicationFactor: -1 }],
    waitForLeaders: true,
  });
  const { actions } = captured;
  const handedAt = new Map();
  const remaining = new Map(actions.map((action) => [action.key, action.messages.length]));
  const latencies = [];
  let lastConsumed = 0;
  const consumer = kafka.consumer({ groupId: `bench-raw-${randomUUID()}` });
  const joined = new Promise((resolve) => consumer.on(consumer.events.GROUP_JOIN, resolve));
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    partitionsConsumedConcurrently: 3,
    eachBatch: async ({ batch }) => {
      for (const message of batch.messages) {
        const key = message.key.toString();
        const left = remaining.get(key) - 1;
        remaining.set(key, left);
        if (left === 0) {
          lastConsumed = performance.now();
          latencies.push(lastConsumed - handedAt.get(key));
        }
      }
    },
  });
  await joined;
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  const started = performance.now();
  const due = (index) => (arrivals ? arrivals[index] : 0) <= performance.now() - started;
  let next = 0;
  let batches = 0;
  while (next < actions.length) {
    if (!due(next)) {
      await new Promise((resolve) => setTimeout(resolve, arrivals[next] - (performance.now() - started)));
      continue;
    }
    // Whole actions per batch, as the relay's batches hold whole transactions.
    const keys = [];
    const messages = [];
    while (
      next < actions.length &&
      due(next) &&
      messages.length + actions[next].messages.length <= RELAY_BATCH
    ) {
      keys.push(actions[next].key);
      messages.push(...actions[next].messages);
      next += 1;
    }
    const handed = performance.now();
    for (const key of keys) handedAt.set(key, handed);
    await producer.send({ topic, acks: -1, messages });
    batches += 1;
  }
  await waitFor('the raw consumer to receive every message', () => latencies.length === actions.length, {
    timeoutMs: 5 * 60_000,
    intervalMs: 50,
  });
  const seconds = (lastConsumed - started) / 1_000;
  await producer.disconnect();
  await consumer.disconnect();
  await admin.deleteTopics({ topics: [topic] });
  await admin.disconnect();
  return {
    ...summary(latencies),
    batches,
    actionsPerSecond: actions.length / seconds,
    eventsPerSecond: captured.count / seconds,
  };
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
      SELECT a.id, extract(epoch FROM (n.created_at - a.created_at)) * 1000 AS latency_ms,
             extract(epoch FROM (o.published_at - a.created_at)) * 1000 AS relay_ms,
             extract(epoch FROM a.created_at) AS created, extract(epoch FROM n.created_at) AS notified
        FROM actions.actions a
        JOIN actions.outbox o ON o.message_key = a.id::text AND o.event_type = 'ActionAssigned'
        JOIN notifications.notifications n ON n.action_id = a.id AND n.kind = 'action_assigned'
       WHERE a.title LIKE 'Benchmark action %'
       ORDER BY a.created_at`);
    const latencies = rows.map((row) => Number(row.latency_ms));
    const relay = summary(rows.map((row) => Number(row.relay_ms)));
    const first = Math.min(...rows.map((row) => Number(row.created)));
    const last = Math.max(...rows.map((row) => Number(row.notified)));
    // The benchmark actions' events only (not the warm-up's): the unit the baseline counts too.
    const { rows: events } = await client.query(`
      SELECT count(*)::int AS n FROM actions.outbox o JOIN actions.actions a ON o.message_key = a.id::text
       WHERE a.title LIKE 'Benchmark action %'`);
    const seconds = last - first;
    return {
      ...summary(latencies),
      relay,
      actionIds: rows.map((row) => row.id),
      // When each action was created, from the first: the baseline replays the same pace.
      arrivals: rows.map((row) => (Number(row.created) - first) * 1_000),
      actions: rows.length,
      events: events[0].n,
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

const stack = await Stack.start({
  name: 'bench',
  env: { LOG_LEVEL: 'warn', KAFKA_TOPIC_PARTITIONS: String(PARTITIONS) },
});
try {
  console.log(
    `Pipeline benchmark: ${ACTIONS} actions, ${CONCURRENCY} concurrent HTTP clients, broker ${stack.env.KAFKA_BROKERS}`,
  );
  const ours = await pipeline(stack);
  const kafka = testKafka(stack.env.KAFKA_BROKERS);
  const topic = stack.topic(ACTIONS_TOPIC);
  const admin = kafka.admin();
  await admin.connect();
  const [metadata] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
  await admin.disconnect();
  const captured = await publishedMessages(kafka, topic, ours.actionIds, ours.events);
  // Latency at the pipeline's own pace, throughput with everything sent at once: each the best case.
  const paced = await rawKafkaBaseline(kafka, metadata.partitions.length, captured, ours.arrivals);
  const flat = await rawKafkaBaseline(kafka, metadata.partitions.length, captured);
  const bytes = captured.actions.flatMap((action) => action.messages).map((message) => message.value.length);
  const ratio = (a, b) => `${(a / b).toFixed(2)}×`;
  const row = (name, r) =>
    `${name.padEnd(29)} ${fmt(r.p50).padEnd(12)} ${fmt(r.p95).padEnd(12)} ${fmt(r.p99).padEnd(12)} ${r.actionsPerSecond.toFixed(0)} actions/s, ${r.eventsPerSecond.toFixed(0)} events/s`;
  console.log(`
${''.padEnd(29)} p50          p95          p99          throughput
${row('raw kafkajs at the same pace', paced)}
${row('raw kafkajs, all at once', flat)}
${row('pipeline (REST→outbox→', ours)}
  Kafka→inbox→notification)

  of which action created → published to Kafka by the outbox relay: p50 ${fmt(ours.relay.p50)}, p95 ${fmt(ours.relay.p95)}, p99 ${fmt(ours.relay.p99)}

same messages: ${(ours.events / ours.actions).toFixed(2)} events per action in the pipeline, ${(captured.count / captured.actions.length).toFixed(2)} in the baseline (the pipeline's own, values of ${Math.min(...bytes)}–${Math.max(...bytes)} bytes)
same layout: ${metadata.partitions.length} partitions on both topics, acks=-1, idempotent producer, batches of up to ${RELAY_BATCH} (raw: ${paced.batches} at the same pace, ${flat.batches} all at once)
latency ratio pipeline/raw at the same pace (action created → its last event handled): p50 ${ratio(ours.p50, paced.p50)}, p95 ${ratio(ours.p95, paced.p95)}, p99 ${ratio(ours.p99, paced.p99)}
throughput ratio pipeline/raw all at once: ${ratio(ours.eventsPerSecond, flat.eventsPerSecond)} (events/s against events/s; the pipeline's rate is bounded by creating the actions over REST)
actions measured: ${ours.actions}, failed requests: ${ours.failures}, REST creation took ${ours.createSeconds.toFixed(1)} s, last notification after ${ours.seconds.toFixed(1)} s`);
} finally {
  await stack.stop();
}
