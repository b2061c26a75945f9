import type { Provider } from '@nestjs/common';
import { webhookSettings, type NotificationsConfig, type WorkerConfig } from '../config';
import {
  WEBHOOK_CONSUMER_OPTIONS,
  WebhookEventConsumer,
  type WebhookConsumerOptions,
} from './webhook-event-consumer';
import { WebhookDeliveries } from './webhook-deliveries';
import { WebhookJobQueue } from './webhook-job-queue';
import { WEBHOOK_SETTINGS } from './webhook-settings';
import { WebhookSubscriptions } from './webhook-subscriptions';
import { WEBHOOKS_WORKER_OPTIONS, WebhooksWorker, type WebhooksWorkerOptions } from './webhooks-worker';

function common(config: NotificationsConfig): Provider[] {
  return [
    { provide: WEBHOOK_SETTINGS, useValue: webhookSettings(config) },
    {
      provide: WebhookJobQueue,
      useFactory: () => new WebhookJobQueue(config.REDIS_URL, config.QUEUE_PREFIX),
    },
  ];
}

/** The API process: subscriptions, deliveries and replays. */
export function webhookApiProviders(config: NotificationsConfig): Provider[] {
  return [...common(config), WebhookSubscriptions];
}

/** The worker process: events into deliveries, and the attempts. */
export function webhookWorkerProviders(config: WorkerConfig): Provider[] {
  const worker: WebhooksWorkerOptions = {
    redisUrl: config.REDIS_URL,
    queuePrefix: config.QUEUE_PREFIX,
    reconcileIntervalMs: config.RECONCILE_INTERVAL * 1_000,
  };
  const consumer: WebhookConsumerOptions = {
    groupId: `${config.KAFKA_TOPIC_PREFIX}notifications-webhooks`,
    topicPrefix: config.KAFKA_TOPIC_PREFIX,
    topicPartitions: config.KAFKA_TOPIC_PARTITIONS,
  };
  return [
    ...common(config),
    WebhookDeliveries,
    { provide: WEBHOOKS_WORKER_OPTIONS, useValue: worker },
    WebhooksWorker,
    { provide: WEBHOOK_CONSUMER_OPTIONS, useValue: consumer },
    WebhookEventConsumer,
  ];
}
