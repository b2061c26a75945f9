import { buildEnvelope, encodeEnvelope } from '@nmirf/contracts';
import { http, observeTopics, sleep, testKafka, waitFor, type Stack } from '@nmirf/testing';
import { randomUUID } from 'node:crypto';
import {
  chaos,
  chaosTestTimeoutMs,
  expectRecovered,
  recordResult,
  runFault,
  startChaosStack,
} from './harness';

jest.setTimeout(chaosTestTimeoutMs);

const PARTITIONS = 3;
const PER_KIND = 2 * PARTITIONS;

/** Bytes no protobuf decoder accepts: the first tag has wire type 7, which does not exist. */
function garbage(index: number): Buffer {
  return Buffer.concat([Buffer.from([0x0f]), Buffer.from(` chaos garbage ${index} ${randomUUID()}`)]);
}

function varint(value: number): Buffer {
  const bytes: number[] = [];
  while (value > 0x7f) {
    bytes.push((value & 0x7f) | 0x80);
    value >>>= 7;
  }
  bytes.push(value);
  return Buffer.from(bytes);
}

/**
 * An envelope from a newer producer with an event type this build has never heard of: valid in
 * every field, with its payload in oneof field 99, which this build's schema lacks. A decoder of this
 * build sees no payload case (field 99 lands in the unknown fields) and the type "ActionArchived".
 */
function unknownTypeEnvelope(aggregateId: string): Buffer {
  const envelope = buildEnvelope({
    eventId: randomUUID(),
    case: 'actionCreated',
    aggregateId,
    occurredAt: new Date(),
    correlationId: randomUUID(),
    causationId: randomUUID(),
    actor: { kind: 'service', id: 'actions-v2' },
    payload: { actionId: aggregateId, recommendationId: randomUUID(), title: 'archived' },
  });
  envelope.type = 'ActionArchived';
  envelope.payload = { case: undefined };
  const actionIdField = Buffer.concat([
    Buffer.from([0x0a]),
    varint(aggregateId.length),
    Buffer.from(aggregateId),
  ]);
  const reasonField = Buffer.concat([Buffer.from([0x12]), varint(9), Buffer.from('completed')]);
  // ActionArchived { action_id = 1; reason = 2 }, as the newer producer's schema would have it.
  const payload = Buffer.concat([actionIdField, reasonField]);
  // Field 99, wire type 2 (length-delimited): tag (99 << 3) | 2.
  return Buffer.concat([
    Buffer.from(encodeEnvelope(envelope)),
    varint((99 << 3) | 2),
    varint(payload.length),
    payload,
  ]);
}

describe('poison messages and events of an unknown type on the actions topic, under load', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startChaosStack('poison');
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('dead-letters garbage once per consumer group, skips the unknown type, loses nothing', async () => {
    const kafka = testKafka(stack.env.KAFKA_BROKERS);
    const topic = stack.topic('nmirf.actions.action.v1');
    const deadLetters = await observeTopics(kafka, [`${topic}.dlt`]);
    const producer = kafka.producer();
    await producer.connect();
    const groups = [
      `${stack.env.KAFKA_TOPIC_PREFIX}notifications`,
      `${stack.env.KAFKA_TOPIC_PREFIX}reporting`,
    ];
    const garbageSent: Buffer[] = [];
    const unknownSent: Buffer[] = [];
    try {
      const outcome = await runFault(stack, {
        family: 'poison',
        fault: `${PER_KIND} garbage + ${PER_KIND} unknown-type messages`,
        inject: async (burst) => {
          // Interleaved with the burst's own events, on every partition.
          for (let i = 0; i < PER_KIND; i += 1) {
            await burst.reached(0.2 + (0.5 * i) / PER_KIND);
            const aggregateId = randomUUID();
            garbageSent.push(garbage(i));
            unknownSent.push(unknownTypeEnvelope(aggregateId));
            await producer.send({
              topic,
              messages: [
                { partition: i % PARTITIONS, key: `garbage-${i}`, value: garbageSent[i] },
                { partition: (i + 1) % PARTITIONS, key: aggregateId, value: unknownSent[i] },
              ],
            });
          }
          return Date.now();
        },
      });
      // The burst went through after every poison message on every partition, so each consumer has
      // passed them all; allow a moment for dead letters still in flight.
      await waitFor(
        'every garbage message on the dead-letter topic',
        () =>
          garbageSent.every((sent) => deadLetters.messages.some((message) => message.value?.equals(sent))),
        { timeoutMs: chaos.hangMs },
      ).catch(() => undefined);
      await sleep(5_000);
      const deadLetterCounts = (sent: Buffer) =>
        Object.fromEntries(
          groups.map((group) => [
            group,
            deadLetters.messages.filter(
              (message) => message.value?.equals(sent) && message.headers['dlt-consumer-group'] === group,
            ).length,
          ]),
        );
      const garbageCounts = garbageSent.map(deadLetterCounts);
      const unknownCounts = unknownSent.map(deadLetterCounts);
      const lost = garbageCounts
        .flatMap((counts) => Object.values(counts))
        .filter((count) => count === 0).length;
      const duplicated = garbageCounts
        .flatMap((counts) => Object.values(counts))
        .reduce((sum, count) => sum + Math.max(0, count - 1), 0);
      const deadLetteredUnknown = unknownCounts
        .flatMap((counts) => Object.values(counts))
        .reduce((sum, count) => sum + count, 0);
      recordResult({
        family: 'poison',
        fault: 'dead letters of the poison',
        load: garbageSent.length + unknownSent.length,
        lost,
        duplicated,
        wrong: deadLetteredUnknown,
        recoveryMs: outcome.recoveryMs,
        notes:
          deadLetteredUnknown > 0
            ? [
                `${deadLetteredUnknown} dead letters of well-formed events of an unknown type (should be skipped)`,
              ]
            : [],
      });

      expectRecovered(outcome);
      const once = Object.fromEntries(groups.map((group) => [group, 1]));
      expect(garbageCounts).toEqual(garbageSent.map(() => once));
      const garbageLetter = deadLetters.messages.find((message) => message.value?.equals(garbageSent[0]));
      expect(garbageLetter?.headers).toMatchObject({ 'dlt-reason': 'invalid', 'dlt-source-topic': topic });
      // A newer producer's event type is acknowledged and skipped, not treated as poison.
      const never = Object.fromEntries(groups.map((group) => [group, 0]));
      expect(unknownCounts).toEqual(unknownSent.map(() => never));
      for (const service of ['notifications', 'reporting'] as const)
        expect((await http('GET', `${stack.url(service)}/health/ready`)).status).toBe(200);
    } finally {
      await producer.disconnect();
      await deadLetters.stop();
    }
  });
});
