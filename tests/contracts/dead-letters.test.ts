import { deadLetterTopicName } from '@nmirf/contracts';
import {
  observeTopics,
  repoRoot,
  requireInfrastructure,
  testInfrastructure,
  testKafka,
  waitFor,
} from '@nmirf/testing';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';

jest.setTimeout(60_000);

describe('dead-letter tool (real Kafka)', () => {
  const prefix = `dlt-${randomUUID().slice(0, 8)}.`;
  const name = 'nmirf.actions.action.v1';
  const source = `${prefix}${name}`;
  const tool = (command: string) =>
    execFileSync('node', [join(repoRoot, 'infra/scripts/dead-letters.mjs'), command, name], {
      encoding: 'utf8',
      env: { ...process.env, KAFKA_BROKERS: testInfrastructure.kafkaBrokers, KAFKA_TOPIC_PREFIX: prefix },
    });

  beforeAll(async () => {
    await requireInfrastructure('kafka');
    const admin = testKafka().admin();
    await admin.connect();
    await admin.createTopics({
      topics: [{ topic: source }, { topic: deadLetterTopicName(source) }],
      waitForLeaders: true,
    });
    await admin.disconnect();
    const producer = testKafka().producer();
    await producer.connect();
    await producer.send({
      topic: deadLetterTopicName(source),
      messages: [
        {
          key: 'action-1',
          value: 'first',
          headers: {
            'event-id': 'e-1',
            'dlt-reason': 'handler-failed',
            'dlt-error': 'database constraint',
            'dlt-consumer-group': 'notifications',
          },
        },
        {
          key: 'action-2',
          value: 'second',
          headers: { 'dlt-reason': 'invalid', 'dlt-error': 'not a protobuf EventEnvelope' },
        },
      ],
    });
    await producer.disconnect();
  });

  it('lists dead letters with why they failed', () => {
    const output = tool('list');
    expect(output).toContain('handler-failed\tnotifications\tevent e-1\tdatabase constraint');
    expect(output).toContain('invalid');
    expect(output).toMatch(/2 dead letter\(s\)/);
  });

  it('re-drives each dead letter once, as it was before it failed', async () => {
    const observed = await observeTopics(testKafka(), [source]);
    try {
      expect(tool('redrive')).toMatch(/re-drove 2 dead letter\(s\)/);
      const messages = await waitFor('the re-driven messages', () =>
        observed.messages.length >= 2 ? observed.messages : undefined,
      );
      // Keys may land on different partitions, so the order across them is not fixed.
      const byKey = new Map(messages.map((message) => [message.key, message]));
      expect(messages).toHaveLength(2);
      expect(byKey.get('action-1')?.value?.toString()).toBe('first');
      expect(byKey.get('action-2')?.value?.toString()).toBe('second');
      expect(byKey.get('action-1')?.headers).toEqual({ 'event-id': 'e-1' });
      expect(byKey.get('action-2')?.headers).toEqual({});
      expect(tool('redrive')).toMatch(/re-drove 0 dead letter\(s\)/);
    } finally {
      await observed.stop();
    }
  });
});
