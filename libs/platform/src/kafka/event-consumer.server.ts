import { Catch, Logger, type RpcExceptionFilter } from '@nestjs/common';
import { CustomTransportStrategy, Server } from '@nestjs/microservices';
import {
  decodeEnvelope,
  deadLetterTopicName,
  InvalidEventError,
  UnknownEventTypeError,
  type EventEnvelope,
} from '@nmirf/contracts';
import type { Consumer, EachBatchPayload, IHeaders, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { lastValueFrom, throwError, type Observable } from 'rxjs';
import type { DataSource } from 'typeorm';
import { isTransientDatabaseError } from '../db/data-source';
import { runWithContext } from '../observability/correlation';
import { eventsConsumed, scrapedGauge, type EventOutcome } from '../observability/metrics';
import { contextOf, inSpan, SpanKind } from '../observability/tracing';
import { retryUntilDone, sleep } from '../time';
import { aggregateOrder, type AggregateStream, type ParkedEvent } from './aggregate-order';
import { EventContext, type AfterCommit, type MessagePosition } from './event-context';
import { unconsumedHandlers } from './handled-topics';
import { PermanentEventError } from './permanent-event-error';

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
  /** How soon a crashed member's partitions move to another pod. */
  sessionTimeoutMs?: number;
  /** How long an event that arrived ahead of a missing predecessor waits before it is applied anyway. */
  parkTimeoutMs?: number;
}

type Handler = NonNullable<ReturnType<Server['getHandlerByPattern']>>;
/** How a delivery reached the consumer: from Kafka, released after its predecessor, or overdue. */
type Mode = 'live' | 'released' | 'overdue';
type Outcome = 'applied' | 'duplicate' | 'stale' | 'parked';

interface Delivery {
  envelope: EventEnvelope;
  key: string | null;
  bytes: Buffer;
  position: MessagePosition;
  headers?: IHeaders;
}

class StoppingError extends Error {}

/** How long a consumer that kafkajs gave up on waits before a new one starts. */
const RESTART_PAUSE_MS = 1_000;

/**
 * An envelope to deliver. One of a type this build does not know comes back with `unknownType`: it
 * still takes its place in its aggregate's sequence, with no handler. Garbage throws InvalidEventError.
 */
function decodeDelivery(
  bytes: Buffer,
  key: string | null,
): { envelope: EventEnvelope; unknownType?: string } {
  try {
    return { envelope: decodeEnvelope(bytes, key) };
  } catch (error) {
    if (!(error instanceof UnknownEventTypeError)) throw error;
    return { envelope: error.envelope, unknownType: error.type };
  }
}

/**
 * Nest's default RPC filter replaces any error with "Internal server error". The consumer needs the
 * error itself: to tell a database outage (wait) from a failing handler (retry, then dead-letter),
 * and to put the real message in the logs and the dead letter's headers.
 */
@Catch()
export class RethrowRpcErrors implements RpcExceptionFilter {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}

/**
 * Nest transport that consumes our topics. Handlers are `@EventPattern('ActionAssigned')` methods.
 * - an event is applied in one transaction with its inbox record, so it takes effect once;
 * - per aggregate, an event at or below the last applied sequence is skipped, and one that arrives
 *   ahead of a missing predecessor is parked until the predecessor is applied (or `parkTimeoutMs`);
 * - a message that is not a valid event goes straight to `<topic>.dlt`; a well-formed event of a type
 *   this build does not know (a newer producer's) is acknowledged and counted;
 * - a handler that keeps failing is retried with backoff, then dead-lettered, and the partition moves on;
 * - while the database itself is unreachable the message waits instead: it is not the message's fault.
 */
export class EventConsumerServer extends Server implements CustomTransportStrategy {
  private readonly log = new Logger(EventConsumerServer.name);
  private consumer?: Consumer;
  private stopping = false;
  private started?: Promise<void>;
  private joined = false;
  private assigned = 0;
  private sweeper?: NodeJS.Timeout;
  private sweeping?: Promise<void>;
  private unknownTypes = 0;

  constructor(private readonly options: EventConsumerOptions) {
    super();
  }

  listen(callback: () => void): void {
    // A handler on a topic this process does not consume would silently never run: refuse to start.
    const unconsumed = unconsumedHandlers(this.getHandlers().keys(), this.options.topics);
    if (unconsumed.length > 0)
      throw new Error(`Event handlers that would never run: ${unconsumed.join('; ')}`);
    this.observeLag();
    // Kafka may be down at start-up: HTTP still comes up, readiness says not ready, we keep trying.
    this.started = this.connectWithRetry();
    const parkTimeoutMs = this.options.parkTimeoutMs ?? 30_000;
    this.sweeper = setInterval(
      () => {
        this.sweeping ??= this.applyOverdue(parkTimeoutMs).finally(() => (this.sweeping = undefined));
      },
      Math.min(5_000, parkTimeoutMs),
    );
    callback();
  }

  /** Joined to its group with partitions assigned: the pod is consuming. */
  get isConsuming(): boolean {
    return this.joined && this.assigned > 0;
  }

  get consumerStatus() {
    return { joined: this.joined, partitions: this.assigned, unknownEventTypes: this.unknownTypes };
  }

  async close(): Promise<void> {
    this.stopping = true;
    clearInterval(this.sweeper);
    await this.sweeping;
    await this.started?.catch(() => undefined);
    // Waits for the batch in progress, commits its offsets and leaves the group, so the partitions
    // move to another member at once instead of after the session timeout.
    await this.consumer?.disconnect().catch(() => undefined);
    await this.closeLagAdmin?.();
    this.joined = false;
  }

  on(): never {
    throw new Error('EventConsumerServer does not support event listeners');
  }

  unwrap<T>(): T {
    return this.consumer as T;
  }

  private count(topic: string, outcome: EventOutcome): void {
    eventsConsumed.inc({ group: this.options.groupId, topic, outcome });
  }

  /** `nmirf_consumer_lag{group,topic,partition}`: the newest offset minus the group's committed one. */
  private observeLag(): void {
    const admin = this.options.kafka.admin();
    let connected: Promise<void> | undefined;
    scrapedGauge(
      'nmirf_consumer_lag',
      'Messages in a partition the consumer group has not committed yet',
      ['group', 'topic', 'partition'],
      async () => {
        if (this.stopping) return [];
        connected ??= admin.connect().catch((error: Error) => {
          connected = undefined;
          throw error;
        });
        await connected;
        const { groupId, topics } = this.options;
        const committed = await admin.fetchOffsets({ groupId, topics });
        const values = [];
        for (const { topic, partitions } of committed) {
          const ends = await admin.fetchTopicOffsets(topic);
          for (const end of ends) {
            const offset = Number(partitions.find((p) => p.partition === end.partition)?.offset ?? -1);
            const from = offset >= 0 ? offset : Number(end.low);
            values.push({
              labels: { group: groupId, topic, partition: String(end.partition) },
              value: Math.max(0, Number(end.high) - from),
            });
          }
        }
        return values;
      },
    );
    this.closeLagAdmin = () => admin.disconnect().catch(() => undefined);
  }

  private closeLagAdmin?: () => Promise<unknown>;

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

  /** A new consumer in place of one kafkajs will not restart, after a pause, until one starts. */
  private restartAfterCrash(crashed: Consumer): void {
    if (this.stopping || this.consumer !== crashed) return;
    this.log.warn({
      msg: 'kafkajs will not restart the consumer; starting a new one',
      inMs: RESTART_PAUSE_MS,
    });
    this.started = (async () => {
      await crashed.disconnect().catch(() => undefined);
      await sleep(RESTART_PAUSE_MS);
      if (!this.stopping) await this.connectWithRetry();
    })();
  }

  private async start(): Promise<void> {
    const sessionTimeout = this.options.sessionTimeoutMs ?? 8_000;
    const consumer = this.options.kafka.consumer({
      groupId: this.options.groupId,
      sessionTimeout,
      heartbeatInterval: Math.max(500, Math.min(3_000, Math.floor(sessionTimeout / 6))),
      // A rebalance waits this long for members to rejoin; a live member rejoins within a heartbeat.
      rebalanceTimeout: Math.max(sessionTimeout * 2, 20_000),
      retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 300, maxRetryTime: 5_000 },
    });
    this.consumer = consumer;
    consumer.on(consumer.events.CRASH, (event) => {
      this.joined = false;
      this.log.error({
        msg: 'consumer crashed',
        error: event.payload.error?.message,
        restart: event.payload.restart,
      });
      // kafkajs gives up for good on an error it deems not retriable, such as "Failed to find group
      // coordinator" while a broker restarts; the pod would stay up and never consume again.
      if (!event.payload.restart) this.restartAfterCrash(consumer);
    });
    consumer.on(consumer.events.GROUP_JOIN, (event) => {
      this.joined = true;
      this.assigned = Object.values(event.payload.memberAssignment).reduce(
        (sum, partitions) => sum + partitions.length,
        0,
      );
      this.log.log({ msg: 'joined consumer group', partitions: this.assigned, ms: event.payload.duration });
    });
    consumer.on(consumer.events.REBALANCING, () => (this.joined = false));
    consumer.on(consumer.events.STOP, () => (this.joined = false));
    consumer.on(consumer.events.DISCONNECT, () => (this.joined = false));
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
      await this.consumeMessage(
        message,
        { topic: batch.topic, partition: batch.partition, offset: message.offset },
        heartbeat,
      );
      resolveOffset(message.offset);
      await heartbeat();
    }
  }

  private async consumeMessage(
    message: KafkaMessage,
    position: MessagePosition,
    heartbeat: () => Promise<void>,
  ): Promise<void> {
    const key = message.key?.toString('utf8') ?? null;
    const bytes = message.value ?? Buffer.alloc(0);
    let decoded: ReturnType<typeof decodeDelivery>;
    try {
      decoded = decodeDelivery(bytes, key);
    } catch (error) {
      if (!(error instanceof InvalidEventError)) throw error;
      await this.deadLetter({ key, bytes, position, headers: message.headers }, 'invalid', error.reason, 0);
      return;
    }
    const { envelope, unknownType } = decoded;
    if (unknownType) {
      this.unknownTypes += 1;
      this.log.log({ msg: 'skipped an event of an unknown type', type: unknownType, ...position });
    }
    // A child of the span that published it, so one trace runs from the request to this handler.
    const traceparent = message.headers?.traceparent?.toString();
    await inSpan(
      `${envelope.type} process`,
      {
        kind: SpanKind.CONSUMER,
        parent: contextOf(traceparent),
        attributes: {
          'messaging.system': 'kafka',
          'messaging.destination.name': position.topic,
          'messaging.consumer.group.name': this.options.groupId,
          'messaging.message.id': envelope.eventId,
          'messaging.kafka.offset': position.offset,
          'nmirf.event_type': envelope.type,
        },
      },
      () => this.deliver({ envelope, key, bytes, position, headers: message.headers }, 'live', heartbeat),
    );
  }

  /** Applies one delivery with retries; dead-letters it when the handler keeps failing. */
  private async deliver(delivery: Delivery, mode: Mode, heartbeat?: () => Promise<void>): Promise<void> {
    const { envelope } = delivery;
    const handler = envelope.payload.case ? this.getHandlerByPattern(envelope.type) : undefined;
    // An unsequenced event this service does not use needs no bookkeeping.
    if (!handler && envelope.aggregateSequence === 0n) return;
    let attempt = 0;
    for (;;) {
      try {
        const outcome = await this.applyOnce(delivery, handler ?? undefined, mode);
        this.count(delivery.position.topic, outcome);
        if (outcome === 'applied') await this.releaseSuccessors(this.stream(delivery));
        if (outcome === 'parked' && mode === 'live')
          this.log.warn({
            msg: 'event arrived ahead of its predecessor; parked',
            eventId: envelope.eventId,
            sequence: String(envelope.aggregateSequence),
            ...delivery.position,
          });
        return;
      } catch (error) {
        if (error instanceof StoppingError) throw error;
        if (isTransientDatabaseError(error)) {
          if (this.stopping) throw new StoppingError('stopping while the database is down');
          this.log.warn({ msg: 'database unavailable; event waits', eventId: envelope.eventId });
          await heartbeat?.().catch(() => undefined);
          await sleep(1_000);
          continue;
        }
        attempt += 1;
        const message = error instanceof Error ? error.message : String(error);
        // An impossible event fails the same way every time: no retries.
        const rejected = error instanceof PermanentEventError;
        if (rejected || attempt >= this.options.maxAttempts) {
          await this.deadLetter(
            delivery,
            rejected ? 'rejected' : 'handler-failed',
            message,
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
          error: message,
        });
        await heartbeat?.().catch(() => undefined);
        await sleep(delay);
        if (this.stopping) throw new StoppingError('stopping during retries');
      }
    }
  }

  private stream(delivery: Delivery): AggregateStream {
    return {
      consumer: this.options.groupId,
      topic: delivery.position.topic,
      aggregateId: delivery.envelope.aggregateId,
    };
  }

  private async applyOnce(delivery: Delivery, handler: Handler | undefined, mode: Mode): Promise<Outcome> {
    const { envelope, position } = delivery;
    const sequence = envelope.aggregateSequence;
    const stream = this.stream(delivery);
    const afterCommit: AfterCommit[] = [];
    let outcome: Outcome = 'applied';
    await runWithContext(
      {
        correlationId: envelope.correlationId,
        causationId: envelope.eventId,
        actor: { kind: 'service', id: this.options.groupId },
      },
      async () => {
        await this.options.dataSource.transaction(async (manager) => {
          if (sequence > 0n) {
            const place = await aggregateOrder.place(manager, stream, sequence);
            if (place === 'stale') return void (outcome = 'stale');
            if (place === 'ahead' && mode !== 'overdue') {
              if (mode === 'live')
                await aggregateOrder.park(manager, stream, {
                  sequence,
                  eventId: envelope.eventId,
                  key: delivery.key,
                  bytes: delivery.bytes,
                  ...position,
                });
              return void (outcome = 'parked');
            }
            if (mode !== 'live' && !(await aggregateOrder.unpark(manager, stream, sequence)))
              return void (outcome = 'duplicate');
            if (place === 'ahead')
              this.log.warn({
                msg: 'predecessor never arrived; applying over the gap',
                eventId: envelope.eventId,
                sequence: String(sequence),
                aggregateId: envelope.aggregateId,
              });
            await aggregateOrder.advance(manager, stream, sequence);
          }
          // The position alone keeps track of events this service does not use.
          if (!handler) return;
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
          if (recorded.length === 0) return void (outcome = 'duplicate');
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
    return outcome;
  }

  /** Applies parked events that were waiting for the one just applied, in sequence order. */
  private async releaseSuccessors(stream: AggregateStream): Promise<void> {
    const manager = this.options.dataSource.manager;
    for (;;) {
      const { first, count } = await aggregateOrder.firstParked(manager, stream);
      if (!first) return;
      await this.deliverParked(first, 'released');
      // Still there: it waits for another predecessor.
      if ((await aggregateOrder.firstParked(manager, stream)).count >= count) return;
    }
  }

  private async deliverParked(parked: ParkedEvent, mode: Mode): Promise<void> {
    const position = { topic: parked.stream.topic, partition: parked.partition, offset: parked.offset };
    const { envelope } = decodeDelivery(parked.bytes, parked.key);
    await this.deliver({ envelope, key: parked.key, bytes: parked.bytes, position }, mode);
  }

  /** Parked events whose predecessor never came (lost, or deleted by retention) go on after a while. */
  private async applyOverdue(parkTimeoutMs: number): Promise<void> {
    if (this.stopping || !this.joined) return;
    try {
      const overdue = await aggregateOrder.overdue(
        this.options.dataSource.manager,
        this.options.groupId,
        parkTimeoutMs,
      );
      for (const parked of overdue) {
        if (this.stopping) return;
        await this.deliverParked(parked, 'overdue');
        await this.releaseSuccessors(parked.stream);
      }
    } catch (error) {
      this.log.warn({ msg: 'could not apply overdue parked events', error: (error as Error).message });
    }
  }

  private async deadLetter(
    delivery: Omit<Delivery, 'envelope'>,
    reason: 'invalid' | 'handler-failed' | 'rejected',
    error: string,
    attempts: number,
    envelope?: EventEnvelope,
  ): Promise<void> {
    const { position } = delivery;
    const headers: IHeaders = {
      ...delivery.headers,
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
      messages: [{ key: delivery.key, value: delivery.bytes, headers }],
    });
    this.count(position.topic, reason === 'invalid' ? 'invalid' : 'dead_lettered');
    this.log.error({
      msg: 'message sent to dead-letter topic',
      reason,
      error: error.slice(0, 300),
      eventId: envelope?.eventId,
      ...position,
    });
    if (envelope && envelope.aggregateSequence > 0n) {
      const stream = this.stream({ ...delivery, envelope });
      await this.options.dataSource.transaction(async (manager) => {
        await aggregateOrder.markDeadLettered(manager, stream, envelope.aggregateSequence, envelope.eventId);
        await aggregateOrder.unpark(manager, stream, envelope.aggregateSequence);
      });
      await this.releaseSuccessors(stream);
    }
  }
}
