import {
  DynamicModule,
  Inject,
  Injectable,
  Logger,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { topicName, type TopicKey } from '@nmirf/contracts';
import type IORedis from 'ioredis';
import { Partitioners, type Admin, type Kafka, type Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { CONFIG, type PlatformConfig } from './config/load-config';
import { initializeDataSource, serviceDataSourceOptions } from './db/data-source';
import { AuditController } from './audit/audit.controller';
import { QueuesController } from './queue/queues.controller';
import { HEALTH_CHECKS, HealthController, type HealthCheck } from './health/health.controller';
import { createKafka, ensureTopics, kafkaSecurity } from './kafka/kafka-client';
import { EventOutbox } from './outbox/event-outbox';
import { OutboxRelay } from './outbox/outbox-relay';
import { observeQueues, redisConnection } from './queue/job-queue';
import { scrapedGauge } from './observability/metrics';
import { stopTracing } from './observability/tracing';
import { retryUntilDone } from './time';

import { KAFKA, KAFKA_ADMIN, KAFKA_PRODUCER, REDIS, SERVICE_TOPICS } from './platform-tokens';

export { KAFKA, KAFKA_ADMIN, KAFKA_PRODUCER, REDIS, SERVICE_TOPICS };

export interface PlatformModuleOptions {
  config: PlatformConfig;
  /** The service's own PostgreSQL schema. */
  schema: string;
  entities: Function[];
  migrations: Function[];
  /** Topics the service reads or writes; created (with dead-letter topics) when missing. */
  topics: TopicKey[];
}

/** Opens and closes the shared resources in a safe order. */
@Injectable()
class PlatformLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Platform');
  private stopping = false;
  private topicsReady?: Promise<void>;

  constructor(
    @Inject(CONFIG) private readonly config: PlatformConfig,
    @Inject(SERVICE_TOPICS) private readonly topics: string[],
    @Inject(KAFKA_ADMIN) private readonly admin: Admin,
    @Inject(KAFKA_PRODUCER) private readonly producer: Producer,
    @Inject(REDIS) private readonly redis: IORedis,
    private readonly relay: OutboxRelay,
    private readonly dataSource: DataSource,
  ) {}

  onApplicationBootstrap(): void {
    this.topicsReady = this.createTopicsWhenKafkaIsUp();
    this.relay.start();
    this.observe();
  }

  /** Gauges read at scrape time: the outbox backlog and its oldest row, leadership, queue depths. */
  private observe(): void {
    scrapedGauge(
      'nmirf_outbox_relay_leader',
      "1 while this process is its service's outbox relay leader, else 0",
      [],
      async () => [{ labels: {}, value: this.relay.isLeader ? 1 : 0 }],
    );
    // Both outbox gauges are collected in one scrape: they share one query while it runs.
    let reading: Promise<Array<{ backlog: number; age: number }>> | undefined;
    const outbox = () =>
      (reading ??= (
        this.dataSource.query(
          `SELECT count(*)::int AS backlog,
                  COALESCE(EXTRACT(EPOCH FROM clock_timestamp() - min(created_at)), 0)::float8 AS age
             FROM outbox WHERE published_at IS NULL`,
        ) as Promise<Array<{ backlog: number; age: number }>>
      ).finally(() => (reading = undefined)));
    scrapedGauge('nmirf_outbox_backlog', 'Outbox rows not yet published to Kafka', [], async () => [
      { labels: {}, value: (await outbox())[0].backlog },
    ]);
    scrapedGauge(
      'nmirf_outbox_oldest_age_seconds',
      'Age of the oldest outbox row not yet published (0 when none)',
      [],
      async () => [{ labels: {}, value: (await outbox())[0].age }],
    );
    observeQueues(this.redis, this.config.QUEUE_PREFIX);
  }

  private async createTopicsWhenKafkaIsUp(): Promise<void> {
    await retryUntilDone(
      async () => {
        await this.admin.connect();
        await ensureTopics(this.admin, this.topics, this.config.KAFKA_TOPIC_PARTITIONS);
      },
      () => this.stopping,
      (error, attempt) =>
        this.logger.warn({ msg: 'could not create topics yet', error: error.message, attempt }),
    );
  }

  /** Runs after HTTP and the consumers have stopped: flush the outbox, then close connections. */
  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.topicsReady?.catch(() => undefined);
    await this.relay.stop(this.config.SHUTDOWN_GRACE_MS);
    await this.producer.disconnect().catch(() => undefined);
    await this.admin.disconnect().catch(() => undefined);
    this.redis.disconnect();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    await stopTracing(); // sends the spans still buffered
  }
}

@Module({})
export class PlatformModule {
  static forRoot(options: PlatformModuleOptions): DynamicModule {
    const { config } = options;
    const notifyChannel = `outbox_${options.schema}`;
    return {
      module: PlatformModule,
      global: true,
      controllers: [HealthController, AuditController, QueuesController],
      providers: [
        { provide: CONFIG, useValue: config },
        {
          provide: SERVICE_TOPICS,
          useValue: options.topics.map((key) => topicName(key, config.KAFKA_TOPIC_PREFIX)),
        },
        {
          provide: DataSource,
          useFactory: () =>
            initializeDataSource(
              serviceDataSourceOptions({
                url: config.DATABASE_URL,
                schema: options.schema,
                entities: options.entities,
                migrations: options.migrations,
              }),
              (error, attempt) =>
                new Logger('Database').warn({
                  msg: 'database not reachable yet; trying again',
                  attempt,
                  error: error.message,
                }),
            ),
        },
        {
          provide: KAFKA,
          useFactory: () => createKafka(config.SERVICE_NAME, config.KAFKA_BROKERS, kafkaSecurity(config)),
        },
        {
          provide: KAFKA_PRODUCER,
          inject: [KAFKA],
          useFactory: (kafka: Kafka) =>
            kafka.producer({
              idempotent: true,
              maxInFlightRequests: 1,
              allowAutoTopicCreation: false,
              createPartitioner: Partitioners.DefaultPartitioner,
            }),
        },
        { provide: KAFKA_ADMIN, inject: [KAFKA], useFactory: (kafka: Kafka) => kafka.admin() },
        { provide: REDIS, useFactory: () => redisConnection(config.REDIS_URL, false) },
        {
          provide: EventOutbox,
          useFactory: () => new EventOutbox(config.SERVICE_NAME, config.KAFKA_TOPIC_PREFIX, notifyChannel),
        },
        {
          provide: OutboxRelay,
          inject: [DataSource, KAFKA_PRODUCER],
          useFactory: (dataSource: DataSource, producer: Producer) =>
            new OutboxRelay(dataSource, producer, {
              databaseUrl: config.DATABASE_URL,
              schema: options.schema,
              notifyChannel,
              pollMs: config.OUTBOX_POLL_MS,
              idempotencyKeyHours: config.IDEMPOTENCY_KEY_HOURS,
            }),
        },
        {
          provide: HEALTH_CHECKS,
          inject: [DataSource, REDIS, KAFKA_ADMIN],
          useFactory: (dataSource: DataSource, redis: IORedis, admin: Admin): HealthCheck[] => [
            { name: 'database', check: async () => (await dataSource.query('SELECT 1 AS ok'))[0].ok === 1 },
            { name: 'redis', check: async () => (await redis.ping()) === 'PONG' },
            { name: 'kafka', check: async () => (await admin.describeCluster()).brokers.length > 0 },
          ],
        },
        PlatformLifecycle,
      ],
      exports: [
        CONFIG,
        DataSource,
        KAFKA,
        KAFKA_PRODUCER,
        KAFKA_ADMIN,
        REDIS,
        EventOutbox,
        OutboxRelay,
        SERVICE_TOPICS,
      ],
    };
  }
}
