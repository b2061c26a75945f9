#!/usr/bin/env node
// Inspect and re-drive dead letters. Consumers record every event id they apply, so a re-driven event
// that some consumer group had already applied has no second effect there.
//   node infra/scripts/dead-letters.mjs list <topic>      every dead letter of <topic>, oldest first
//   node infra/scripts/dead-letters.mjs redrive <topic>   publish the ones not yet re-driven back to <topic>
// <topic> is the source topic without the prefix, e.g. nmirf.actions.action.v1; KAFKA_BROKERS and
// KAFKA_TOPIC_PREFIX say which cluster and environment.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { root } from './lib.mjs';

const { Kafka, logLevel } = createRequire(join(root, 'package.json'))('kafkajs');
const [command, name] = process.argv.slice(2);
if (!['list', 'redrive'].includes(command) || !name) {
  process.stderr.write('usage: dead-letters.mjs list|redrive <topic>\n');
  process.exit(64);
}
const prefix = process.env.KAFKA_TOPIC_PREFIX ?? '';
const source = `${prefix}${name}`;
const deadLetters = `${source}.dlt`;
const kafka = new Kafka({
  clientId: 'dead-letters',
  brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
  logLevel: logLevel.NOTHING,
});
const redriveGroup = `${prefix}dead-letter-redrive`;

const text = (value) => (value === undefined || value === null ? '' : value.toString());

/** Reads the dead-letter topic up to its current end, from the start or from the group's position. */
async function readAll(groupId, fromCommitted) {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(deadLetters);
  const committed = fromCommitted
    ? (await admin.fetchOffsets({ groupId, topics: [deadLetters] }))[0].partitions
    : [];
  await admin.disconnect();
  const remaining = new Map(
    ends.map(({ partition, high }) => {
      const start = Number(committed.find((entry) => entry.partition === partition)?.offset ?? -1);
      return [
        partition,
        Number(high) - Math.max(start, Number(ends.find((end) => end.partition === partition).low)),
      ];
    }),
  );
  const messages = [];
  if ([...remaining.values()].every((count) => count <= 0)) return { messages };
  const consumer = kafka.consumer({ groupId });
  await consumer.connect();
  await consumer.subscribe({ topic: deadLetters, fromBeginning: true });
  await new Promise((resolve, reject) => {
    consumer
      .run({
        autoCommit: false,
        eachMessage: async ({ partition, message }) => {
          messages.push({ partition, ...message });
          remaining.set(partition, remaining.get(partition) - 1);
          if ([...remaining.values()].every((count) => count <= 0)) resolve();
        },
      })
      .catch(reject);
  });
  return { messages, consumer };
}

if (command === 'list') {
  const { messages = [], consumer } = await readAll(`${prefix}dead-letter-list-${Date.now()}`, false);
  await consumer?.disconnect();
  for (const message of messages) {
    const h = message.headers ?? {};
    process.stdout.write(
      `${message.partition}:${message.offset}\t${text(h['dlt-at'])}\t${text(h['dlt-reason'])}\t${text(h['dlt-consumer-group'])}\t` +
        `event ${text(h['event-id']) || '-'}\t${text(h['dlt-error'])}\n`,
    );
  }
  process.stdout.write(`${messages.length} dead letter(s) on ${deadLetters}\n`);
} else {
  const { messages = [], consumer } = await readAll(redriveGroup, true);
  if (messages.length > 0) {
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({
      topic: source,
      acks: -1,
      messages: messages.map((message) => ({
        key: message.key,
        value: message.value,
        headers: Object.fromEntries(
          Object.entries(message.headers ?? {}).filter(([header]) => !header.startsWith('dlt-')),
        ),
      })),
    });
    await producer.disconnect();
    // Remember how far we got, so the same dead letters are not re-driven twice.
    const last = new Map();
    for (const message of messages)
      last.set(message.partition, Math.max(last.get(message.partition) ?? -1, Number(message.offset)));
    await consumer.commitOffsets(
      [...last].map(([partition, offset]) => ({ topic: deadLetters, partition, offset: String(offset + 1) })),
    );
  }
  await consumer?.disconnect();
  process.stdout.write(`re-drove ${messages.length} dead letter(s) from ${deadLetters} to ${source}\n`);
}
