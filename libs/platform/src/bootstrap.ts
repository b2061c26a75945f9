import { DynamicModule, INestApplication, INestApplicationContext, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Kafka, Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import type { PlatformConfig } from './config/load-config';
import { migrate, type ServiceDatabaseOptions } from './db/data-source';
import { createHttpApp } from './http/create-http-app';
import { HEALTH_CHECKS, type HealthCheck } from './health/health.controller';
import {
  EventConsumerServer,
  RethrowRpcErrors,
  type EventConsumerOptions,
} from './kafka/event-consumer.server';
import { JsonLogger } from './observability/json-logger';
import { labelMetrics } from './observability/metrics';
import { startMetricsServer } from './observability/metrics-http';
import { KAFKA, KAFKA_PRODUCER, SERVICE_TOPICS } from './platform.module';

export interface ApiProcessOptions {
  module: Type<unknown> | DynamicModule;
  config: PlatformConfig;
  title: string;
  description: string;
  /** Consumes the service's topics with this Kafka consumer group. */
  consumerGroup?: string;
  consumedTopics?: (topics: string[]) => string[];
}

/** HTTP API plus Kafka consumers: the `main.ts` process of a service. */
export async function startApiProcess(options: ApiProcessOptions): Promise<INestApplication> {
  const logger = new JsonLogger(options.config.SERVICE_NAME, options.config.LOG_LEVEL);
  labelMetrics(options.config.SERVICE_NAME, 'api');
  const app = await createHttpApp(options.module, {
    title: options.title,
    description: options.description,
    logger,
  });
  if (options.consumerGroup) {
    const topics: string[] = app.get(SERVICE_TOPICS);
    connectEventConsumer(app, {
      kafka: app.get<Kafka>(KAFKA),
      groupId: options.consumerGroup,
      topics: options.consumedTopics ? options.consumedTopics(topics) : topics,
      dataSource: app.get(DataSource),
      producer: app.get<Producer>(KAFKA_PRODUCER),
      maxAttempts: options.config.CONSUMER_MAX_ATTEMPTS,
      retryBaseMs: options.config.CONSUMER_RETRY_BASE_MS,
      sessionTimeoutMs: options.config.KAFKA_SESSION_TIMEOUT_MS,
      parkTimeoutMs: options.config.CONSUMER_PARK_TIMEOUT_MS,
    });
    await app.startAllMicroservices();
  }
  await app.listen(options.config.HTTP_PORT, process.env.HTTP_HOST ?? '0.0.0.0');
  logger.log({ msg: 'listening', port: options.config.HTTP_PORT, docs: `/docs` }, 'Bootstrap');
  return app;
}

/**
 * Adds the Kafka consumer to an HTTP app. It gets none of the HTTP app's filters and pipes: a
 * handler's error must reach the consumer as it was thrown. Readiness waits for its partitions.
 */
export function connectEventConsumer(
  app: INestApplication,
  options: EventConsumerOptions,
): EventConsumerServer {
  const consumer = new EventConsumerServer(options);
  // Deferred: handlers are bound when the microservice starts, after the filter is in place.
  const microservice = app.connectMicroservice(
    { strategy: consumer },
    { inheritAppConfig: false, deferInitialization: true },
  );
  microservice.useGlobalFilters(new RethrowRpcErrors());
  const checks = app.get<HealthCheck[]>(HEALTH_CHECKS, { strict: false });
  checks.push({ name: 'consumer', check: async () => consumer.isConsuming });
  return consumer;
}

/** BullMQ workers without HTTP: the `worker.ts` process of a service. */
export async function startWorkerProcess(
  module: Type<unknown> | DynamicModule,
  config: PlatformConfig & { METRICS_PORT?: number },
): Promise<INestApplicationContext> {
  const logger = new JsonLogger(config.SERVICE_NAME, config.LOG_LEVEL);
  labelMetrics(config.SERVICE_NAME, 'worker');
  const app = await NestFactory.createApplicationContext(module, { logger, bufferLogs: true });
  app.enableShutdownHooks();
  await app.init();
  app.flushLogs();
  if (config.METRICS_ENABLED && config.METRICS_PORT) {
    const server = await startMetricsServer(config.METRICS_PORT, config.METRICS_TOKEN);
    process.once('SIGTERM', () => server.close());
    logger.log({ msg: 'metrics listening', port: config.METRICS_PORT }, 'Bootstrap');
  }
  logger.log({ msg: 'worker started', service: config.SERVICE_NAME }, 'Bootstrap');
  return app;
}

/** Runs a process entry point: a start-up failure is one JSON line on stderr and exit code 1. */
export function runProcess(main: () => Promise<unknown>): void {
  main().catch((error) => {
    process.stderr.write(
      `${JSON.stringify({ level: 'error', msg: 'start-up failed', error: String(error?.stack ?? error) })}\n`,
    );
    process.exit(1);
  });
}

/** `node main.js --migrate` creates the service's schema, applies its migrations and exits. */
export async function migrateIfRequested(
  config: PlatformConfig,
  database: Omit<ServiceDatabaseOptions, 'url'>,
): Promise<boolean> {
  if (!process.argv.includes('--migrate')) return false;
  const applied = await migrate({ ...database, url: config.DATABASE_URL });
  process.stdout.write(
    `${JSON.stringify({ level: 'info', msg: 'migrated', schema: database.schema, applied })}\n`,
  );
  return true;
}
