#!/usr/bin/env node
// Smoke test of the local Kafka broker (infra/kafka/kafka.sh) with kafkajs, the
// client the services use.
//
//   node infra/kafka/smoke.mjs [--topic NAME] [--keep] [--verify-only]
//
// Default: creates a fresh 3-partition topic, produces 100 keyed messages
// (10 keys x 10) with an idempotent producer (acks -1), consumes them with a
// new consumer group, checks all 100 arrive and each key's messages arrive in
// order, then deletes the topic and the group.
//   --topic NAME   use this topic (created if missing) instead of a fresh one
//   --keep         keep the topic afterwards (e.g. to check it survives a restart)
//   --verify-only  produce nothing: read the whole topic with a new group and
//                  check it holds complete, per-key ordered runs of 100 messages
// Broker: KAFKA_BROKERS (comma list) or 127.0.0.1:${KAFKA_PORT:-9092}.
// SMOKE_LOG=error|warn|info|debug shows kafkajs logs; SMOKE_TIMEOUT_MS [60000].
// Prints one result line; exit 0 on success, 1 on failure.
import { randomUUID } from 'node:crypto';
import kafkajs from 'kafkajs';

const { Kafka, Partitioners, logLevel } = kafkajs;

const KEYS = 10;
const PER_KEY = 10;
const TOTAL = KEYS * PER_KEY;
const PARTITIONS = 3;
const TIMEOUT_MS = Number(process.env.SMOKE_TIMEOUT_MS ?? 60_000);

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const opt = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

const brokers = (process.env.KAFKA_BROKERS ?? `127.0.0.1:${process.env.KAFKA_PORT ?? 9092}`)
  .split(',')
  .map((b) => b.trim())
  .filter(Boolean);
const verifyOnly = flag('--verify-only');
const topic = opt('--topic') ?? `nmirf-smoke-${Date.now()}-${randomUUID().slice(0, 8)}`;
const keep = flag('--keep') || verifyOnly || opt('--topic') !== undefined;
const runId = randomUUID();
const groupId = `nmirf-smoke-${runId}`;
const t0 = Date.now();

const kafka = new Kafka({
  clientId: 'nmirf-kafka-smoke',
  brokers,
  // Retriable errors on a fresh broker (coordinator loading while __consumer_offsets /
  // __transaction_state are created) are logged by kafkajs at ERROR; stay quiet unless
  // asked (SMOKE_LOG=error|warn|info|debug). Real failures end up in the result line.
  logLevel: logLevel[(process.env.SMOKE_LOG ?? 'nothing').toUpperCase()] ?? logLevel.NOTHING,
  retry: { retries: 8 },
});
const admin = kafka.admin();
const producer = kafka.producer({
  idempotent: true,
  maxInFlightRequests: 1,
  createPartitioner: Partitioners.DefaultPartitioner,
});
const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1_000 });

function fail(msg) {
  console.log(`kafka smoke FAILED on ${brokers.join(',')} topic=${topic}: ${msg}`);
  process.exitCode = 1;
}

async function main() {
  await admin.connect();
  const existing = await admin.listTopics();
  if (!existing.includes(topic)) {
    if (verifyOnly) throw new Error(`topic ${topic} does not exist`);
    await admin.createTopics({
      topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }],
      waitForLeaders: true,
    });
  }
  const meta = await admin.fetchTopicMetadata({ topics: [topic] });
  const nPartitions = meta.topics[0].partitions.length;

  if (!verifyOnly) {
    await producer.connect();
    for (let seq = 0; seq < PER_KEY; seq++) {
      const messages = [];
      for (let k = 0; k < KEYS; k++) {
        messages.push({
          key: `key-${k}`,
          value: JSON.stringify({ run: runId, key: `key-${k}`, seq }),
          headers: { run: runId },
        });
      }
      await producer.send({ topic, acks: -1, messages });
    }
    await producer.disconnect();
  }

  // How many messages the topic holds, so the consumer knows when it is done.
  const offsets = await admin.fetchTopicOffsets(topic);
  const inTopic = offsets.reduce((n, p) => n + (Number(p.high) - Number(p.low)), 0);
  const expected = verifyOnly ? inTopic : TOTAL;
  if (verifyOnly && (inTopic === 0 || inTopic % TOTAL !== 0)) {
    throw new Error(`topic holds ${inTopic} messages, expected a positive multiple of ${TOTAL}`);
  }

  // run -> key -> last seq seen; plus error collection.
  const lastSeq = new Map();
  const errors = [];
  const partitionsUsed = new Set();
  let received = 0;
  let done;
  const finished = new Promise((resolve) => (done = resolve));

  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      const v = JSON.parse(message.value.toString());
      if (!verifyOnly && v.run !== runId) return; // leftovers of earlier runs on a --topic
      partitionsUsed.add(partition);
      if (message.key?.toString() !== v.key) errors.push(`key mismatch at ${partition}/${message.offset}`);
      if (!lastSeq.has(v.run)) lastSeq.set(v.run, new Map());
      const perKey = lastSeq.get(v.run);
      const prev = perKey.get(v.key) ?? -1;
      if (v.seq !== prev + 1)
        errors.push(`${v.key}: got seq ${v.seq} after ${prev} (run ${v.run.slice(0, 8)})`);
      perKey.set(v.key, v.seq);
      received++;
      if (received >= expected) done();
    },
  });

  let timer;
  const timedOut = await Promise.race([
    finished.then(() => false),
    new Promise((resolve) => (timer = setTimeout(() => resolve(true), TIMEOUT_MS))),
  ]);
  clearTimeout(timer);
  await consumer.disconnect();

  const runs = lastSeq.size;
  const complete = [...lastSeq.values()].every(
    (perKey) => perKey.size === KEYS && [...perKey.values()].every((s) => s === PER_KEY - 1),
  );
  if (timedOut) errors.unshift(`timed out after ${TIMEOUT_MS} ms with ${received}/${expected} messages`);
  if (!timedOut && !complete) errors.push('some key did not receive all of its messages');

  try {
    await admin.deleteGroups([groupId]);
    if (!keep) await admin.deleteTopics({ topics: [topic] });
  } catch (e) {
    errors.push(`cleanup: ${e.message}`);
  }
  await admin.disconnect();

  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  if (errors.length) return fail(errors.slice(0, 5).join('; '));
  console.log(
    `kafka smoke OK on ${brokers.join(',')}: topic=${topic} partitions=${nPartitions} ` +
      `${verifyOnly ? 'verified' : 'produced+consumed'} ${received}/${expected} messages ` +
      `(${runs} run(s) x ${KEYS} keys x ${PER_KEY}, per-key order kept, partitions used=${partitionsUsed.size}) ` +
      `in ${secs}s${keep ? ' [topic kept]' : ''}`,
  );
}

const hardStop = setTimeout(() => {
  fail(`no result after ${TIMEOUT_MS + 30_000} ms`);
  process.exit(1);
}, TIMEOUT_MS + 30_000);
hardStop.unref();

main()
  .catch((e) => fail(e?.message ?? String(e)))
  .finally(async () => {
    await Promise.allSettled([consumer.disconnect(), producer.disconnect(), admin.disconnect()]);
    process.exit(process.exitCode ?? 0);
  });
