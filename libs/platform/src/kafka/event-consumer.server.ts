import { Logger } from '@nestjs/common';
import { CustomTransportStrategy, Server } from '@nestjs/microservices';
import { decodeEnvelope, deadLetterTopicName, InvalidEventError, type EventEnvelope } from '@nmirf/contracts';
import type { Consumer, EachBatchPayload, IHeaders, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { lastValueFrom } from 'rxjs';
import type { DataSource } from 'typeorm';
import { isTransientDatabaseError } from '../db/data-source';
import { runWithContext } from '../observability/correlation';
import { retryUntilDone, sleep } from '../time';
import { EventContext, type AfterCommit, type MessagePosition } from './event-context';

export interface EventConsumerOptions {
  kafka: Kafka;
  /** Shared by every pod of the service: Kafka spreads partitions across them. */
  groupId: string;
  topics: string[];
  dataSource: DataSource;
  /** Used for dead letters only. */
  producer: Producer;
  maxAttempts: number;
  retryBaseMs: number;
  sessionTimeoutMs?: number;
}

class StoppingError extends Error {}

/**
 * Nest transport that consumes our topics. Handlers are `@EventPattern('ActionAssigned')` methods.
 * - an event is applied in one transaction with its inbox record, so it takes effect once;
 * - a message that is not a valid event goes straight to `<topic>.dlt`;
 * - a handler that keeps failing is retried with backoff, then dead-lettered, and the partition moves on;
 * - while the database itself is unreachable the message waits instead: it is not the message's fault.
 */
export class EventConsumerServer extends Server implements CustomTransportStrategy {
  private readonly log = new Logger(EventConsumerServer.name);
  private consumer?: Consumer;
  private stopping = false;
  private started?: Promise<void>;
  private connected = false;

  constructor(private readonly options: EventConsumerOptions) {
    super();
  }

  listen(callback: () => void): void {
    // Kafka may be down at start-up: HTTP still comes up, readiness says not ready, we keep trying.
    this.started = this.connectWithRetry();
    callback();
  }

  get isConnected(): boolean {
    return this.connected;
  }

  async close(): Promise<void> {
    this.stopping = true;
    await this.started?.catch(() => undefined);
    // Waits for the batch in progress to finish and commits its offsets.
    await this.consumer?.disconnect().catch(() => undefined);
    this.connected = false;
  }

  on(): never {
    throw new Error('EventConsumerServer does not support event listeners');
  }

  unwrap<T>(): T {
    return this.consumer as T;
  }

  private async connectWithRetry(): Promise<void> {
    await retryUntilDone(
      () => this.start(),
      () => this.stopping,
      async (error, attempt) => {
        this.log.warn({ msg: 'consumer could not start; retrying', error: error.message, attempt });
        await this.consumer?.disconnect().catch(() => undefined);
      },
    );
  }

  private async start(): Promise<void> {
    const consumer = this.options.kafka.consumer({
      groupId: this.options.groupId,
      sessionTimeout: this.options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: Math.min(3_000, Math.floor((this.options.sessionTimeoutMs ?? 30_000) / 3)),
      retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 300, maxRetryTime: 5_000 },
    });
    this.consumer = consumer;
    consumer.on(consumer.events.CRASH, (event) =>
      this.log.error({
        msg: 'consumer crashed',
        error: event.payload.error?.message,
        restart: event.payload.restart,
      }),
    );
    consumer.on(consumer.events.GROUP_JOIN, () => {
      this.connected = true;
    });
    consumer.on(consumer.events.DISCONNECT, () => {
      this.connected = false;
    });
    await consumer.connect();
    await consumer.subscribe({ topics: this.options.topics, fromBeginning: true });
    await consumer.run({
      autoCommit: true,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 3,
      eachBatch: (payload) => this.consumeBatch(payload),
    });
    this.log.log({ msg: 'consuming', groupId: this.options.groupId, topics: this.options.topics });
  }

  private async consumeBatch({
    batch,
    resolveOffset,
    heartbeat,
    isRunning,
    isStale,
  }: EachBatchPayload): Promise<void> {
    for (const message of batch.messages) {
      if (!isRunning() || isStale() || this.stopping) return;
      await this.consumeMessage(message, {
        topic: batch.topic,
        partition: batch.partition,
        offset: message.offset,
      });
      resolveOffset(message.offset);
      await heartbeat();
    }
  }

  private async consumeMessage(message: KafkaMessage, position: MessagePosition): Promise<void> {
    let envelope: EventEnvelope;
    try {
      envelope = decodeEnvelope(message.value, message.key?.toString('utf8'));
    } catch (error) {
      if (!(error instanceof InvalidEventError)) throw error;
      await this.deadLetter(message, position, 'invalid', error.reason, 0);
      return;
    }
    const handler = this.getHandlerByPattern(envelope.type);
    if (!handler) return; // an event type this service does not use

    let attempt = 0;
    for (;;) {
      try {
        await this.applyOnce(envelope, position, handler);
        return;
      } catch (error) {
        if (error instanceof StoppingError) throw error;
        if (isTransientDatabaseError(error)) {
          if (this.stopping) throw new StoppingError('stopping while the database is down');
          this.log.warn({ msg: 'database unavailable; event waits', eventId: envelope.eventId });
          await sleep(1_000);
          continue;
        }
        attempt += 1;
        if (attempt >= this.options.maxAttempts) {
          await this.deadLetter(
            message,
            position,
            'handler-failed',
            (error as Error).message,
            attempt,
            envelope,
          );
          return;
        }
        const delay = this.options.retryBaseMs * 2 ** (attempt - 1);
        this.log.warn({
          msg: 'event failed; retrying',
          eventId: envelope.eventId,
          attempt,
          retryInMs: delay,
          error: (error as Error).message,
        });
        await sleep(delay);
        if (this.stopping) throw new StoppingError('stopping during retries');
      }
    }
  }

  private async applyOnce(
    envelope: EventEnvelope,
    position: MessagePosition,
    handler: NonNullable<ReturnType<Server['getHandlerByPattern']>>,
  ): Promise<void> {
    const afterCommit: AfterCommit[] = [];
    await runWithContext(
      {
        correlationId: envelope.correlationId,
        causationId: envelope.eventId,
        actor: { kind: 'service', id: this.options.groupId },
      },
      async () => {
        await this.options.dataSource.transaction(async (manager) => {
          const recorded = await manager.query(
            `INSERT INTO inbox (consumer, event_id, event_type, topic, kafka_partition, kafka_offset)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING event_id`,
            [
              this.options.groupId,
              envelope.eventId,
              envelope.type,
              position.topic,
              position.partition,
              position.offset,
            ],
          );
          if (recorded.length === 0) return; // already applied
          const context = new EventContext([envelope, manager, position, afterCommit]);
          const result = await handler(envelope, context);
          await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
        });
        for (const work of afterCommit) {
          await work().catch((error: Error) =>
            this.log.warn({
              msg: 'after-commit work failed; the reconciler will repair it',
              eventId: envelope.eventId,
              error: error.message,
            }),
          );
        }
      },
    );
  }

  private async deadLetter(
    message: KafkaMessage,
    position: MessagePosition,
    reason: 'invalid' | 'handler-failed',
    error: string,
    attempts: number,
    envelope?: EventEnvelope,
  ): Promise<void> {
    const headers: IHeaders = {
      ...message.headers,
      'dlt-reason': reason,
      'dlt-error': error.slice(0, 1_000),
      'dlt-attempts': String(attempts),
      'dlt-consumer-group': this.options.groupId,
      'dlt-source-topic': position.topic,
      'dlt-source-partition': String(position.partition),
      'dlt-source-offset': position.offset,
      'dlt-at': new Date().toISOString(),
    };
    // If this send fails the offset is not committed, so the message is retried, not lost.
    await this.options.producer.send({
      topic: deadLetterTopicName(position.topic),
      acks: -1,
      messages: [{ key: message.key, value: message.value, headers }],
    });
    this.log.error({
      msg: 'message sent to dead-letter topic',
      reason,
      error: error.slice(0, 300),
      eventId: envelope?.eventId,
      ...position,
    });
  }
}
