import { Logger } from '@nestjs/common';
import { Kafka, logLevel, type Admin, type ITopicConfig, type LogEntry } from 'kafkajs';
import { deadLetterTopicName } from '@nmirf/contracts';
import { stopIdleRequestQueueTimers } from './idle-request-queue';

stopIdleRequestQueueTimers();

const levels: Record<number, 'error' | 'warn' | 'log' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'log',
  [logLevel.DEBUG]: 'debug',
};

export interface KafkaSecurity {
  ssl?: boolean;
  sasl?: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string };
}

/** SASL settings from the platform config; a mechanism without credentials is a configuration error. */
export function kafkaSecurity(config: {
  KAFKA_SSL: boolean;
  KAFKA_SASL_MECHANISM?: 'plain' | 'scram-sha-256' | 'scram-sha-512';
  KAFKA_SASL_USERNAME?: string;
  KAFKA_SASL_PASSWORD?: string;
}): KafkaSecurity {
  if (!config.KAFKA_SASL_MECHANISM) return { ssl: config.KAFKA_SSL };
  if (!config.KAFKA_SASL_USERNAME || !config.KAFKA_SASL_PASSWORD)
    throw new Error('KAFKA_SASL_MECHANISM needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD');
  return {
    ssl: config.KAFKA_SSL,
    sasl: {
      mechanism: config.KAFKA_SASL_MECHANISM,
      username: config.KAFKA_SASL_USERNAME,
      password: config.KAFKA_SASL_PASSWORD,
    },
  };
}

export function createKafka(clientId: string, brokers: string[], security: KafkaSecurity = {}): Kafka {
  const logger = new Logger('kafkajs');
  return new Kafka({
    clientId,
    brokers,
    ssl: security.ssl,
    sasl: security.sasl as never,
    connectionTimeout: 3_000,
    requestTimeout: 30_000,
    retry: { initialRetryTime: 300, retries: 8, maxRetryTime: 10_000 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ namespace, level, log }: LogEntry) => {
        const { message, ...extra } = log;
        // Our relay bounds producer retries on purpose (it resends the batch later, and consumers drop
        // duplicates by event id), so kafkajs's warning about it is expected.
        const expected = message.startsWith('Limiting retries for the idempotent producer');
        logger[expected ? 'debug' : (levels[level] ?? 'log')]({
          msg: message,
          namespace,
          broker: extra.broker,
          error: extra.error,
        });
      },
  });
}

/** Creates the topics (and their dead-letter topics) a service needs, if missing. */
export async function ensureTopics(admin: Admin, topics: string[], partitions: number): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const wanted: ITopicConfig[] = [...new Set(topics.flatMap((topic) => [topic, deadLetterTopicName(topic)]))]
    .filter((topic) => !existing.has(topic))
    .map((topic) => ({
      topic,
      numPartitions: topic.endsWith('.dlt') ? 1 : partitions,
      replicationFactor: -1,
      configEntries: topic.endsWith('.dlt')
        ? [{ name: 'retention.ms', value: String(30 * 24 * 3_600_000) }]
        : [],
    }));
  if (wanted.length === 0) return;
  try {
    await admin.createTopics({ topics: wanted, waitForLeaders: true });
  } catch (error) {
    // Another service may have created them at the same moment.
    if (!/already exists/i.test((error as Error).message)) throw error;
  }
}
