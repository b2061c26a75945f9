import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { decodeEnvelope } from '@nmirf/contracts';
import { ensureTopics, KAFKA } from '@nmirf/platform';
import type { Consumer, Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { webhookTopics } from './webhook-events';
import { fanOutEvent } from './webhook-fan-out';
import { WebhookJobQueue } from './webhook-job-queue';

export interface WebhookConsumerOptions {
  /** Its own consumer group: every event of every topic, apart from the inbox's consumers. */
  groupId: string;
  topicPrefix: string;
  /** For the topics it creates when their producers have not yet (topic creation is off in Kafka). */
  topicPartitions: number;
  /**
   * A new group's start: the latest offsets (the default), so a first deployment does not push the
   * whole history to today's subscribers; a test on topics of its own reads them from the start.
   */
  fromBeginning?: boolean;
}

export const WEBHOOK_CONSUMER_OPTIONS = Symbol('WEBHOOK_CONSUMER_OPTIONS');

/**
 * Reads every event topic and turns each event into deliveries for the subscriptions to its type.
 * Thin: the deliveries are rows written in one transaction (idempotent per event and subscription),
 * the HTTP work is the `webhooks` queue's. The offset is committed after the rows, so a crash reads
 * the event again and adds nothing; a first attempt whose scheduling is lost is the reconciler's.
 */
@Injectable()
export class WebhookEventConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(WebhookEventConsumer.name);
  private consumer?: Consumer;
  private stopping = false;
  private running?: Promise<void>;

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    private readonly dataSource: DataSource,
    private readonly queue: WebhookJobQueue,
    @Inject(WEBHOOK_CONSUMER_OPTIONS) private readonly options: WebhookConsumerOptions,
  ) {}

  onApplicationBootstrap(): void {
    this.running = this.startWithRetry();
  }

  /** Resolves once the consumer has joined its group (or shutdown began). */
  whenStarted(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.running?.catch(() => undefined);
    await this.consumer?.disconnect().catch(() => undefined);
  }

  private async startWithRetry(): Promise<void> {
    for (let attempt = 1; !this.stopping; attempt += 1) {
      try {
        await this.start();
        return;
      } catch (error) {
        await this.consumer?.disconnect().catch(() => undefined);
        this.logger.warn({
          msg: 'webhook consumer not started yet',
          attempt,
          error: (error as Error).message,
        });
        await new Promise((resolve) => setTimeout(resolve, Math.min(30_000, 1_000 * attempt)));
      }
    }
  }

  private async start(): Promise<void> {
    const consumer = this.kafka.consumer({ groupId: this.options.groupId });
    this.consumer = consumer;
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    const topics = webhookTopics(this.options.topicPrefix);
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await ensureTopics(admin, topics, this.options.topicPartitions);
    } finally {
      await admin.disconnect();
    }
    await consumer.connect();
    await consumer.subscribe({
      topics,
      fromBeginning: this.options.fromBeginning ?? false,
    });
    await consumer.run({
      eachMessage: async ({ message, topic }) => {
        let envelope;
        try {
          envelope = decodeEnvelope(message.value, message.key?.toString() ?? null);
        } catch (error) {
          // Not an event (or a newer producer's type): nothing a subscriber could be sent.
          this.logger.warn({ msg: 'not sent to webhooks', topic, error: (error as Error).message });
          return;
        }
        const decoded = envelope;
        const planned = await this.dataSource.transaction((manager) => fanOutEvent(manager, decoded));
        if (planned.length > 0)
          await this.queue.schedule(planned, decoded.correlationId).catch((error: Error) =>
            this.logger.warn({
              msg: 'first attempts not scheduled; the reconciler will',
              error: error.message,
            }),
          );
      },
    });
    await joined;
  }
}
