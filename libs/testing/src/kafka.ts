import { Kafka, logLevel, type Consumer, type IHeaders, type KafkaMessage } from 'kafkajs';
import { testInfrastructure } from './infrastructure';
import { waitFor } from './wait';

export function testKafka(brokers = testInfrastructure.kafkaBrokers): Kafka {
  return new Kafka({ clientId: 'tests', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
}

export interface ObservedMessage {
  topic: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

function headersOf(headers: IHeaders | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([name, value]) => [name, String(value)]));
}

/** Reads topics from the beginning into a list that tests can poll. */
export async function observeTopics(
  kafka: Kafka,
  topics: string[],
): Promise<{ messages: ObservedMessage[]; stop: () => Promise<void> }> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await waitFor(`topics ${topics.join(', ')}`, async () => {
      const existing = new Set(await admin.listTopics());
      return topics.every((topic) => existing.has(topic));
    });
  } finally {
    await admin.disconnect();
  }
  const messages: ObservedMessage[] = [];
  const consumer: Consumer = kafka.consumer({
    groupId: `observer-${Date.now()}-${Math.random().toString(36).slice(2)}`,
  });
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ topic, message }: { topic: string; message: KafkaMessage }) => {
      messages.push({
        topic,
        key: message.key?.toString() ?? null,
        value: message.value,
        headers: headersOf(message.headers),
      });
    },
  });
  return { messages, stop: () => consumer.disconnect() };
}
