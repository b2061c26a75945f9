import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { ManagedWorker, newCorrelationId } from '@nmirf/platform';
import { UnrecoverableError } from 'bullmq';
import { DataSource } from 'typeorm';
import { WebhookDeliveries } from './webhook-deliveries';
import { WebhookJobNames, WEBHOOKS_QUEUE, type WebhookJobData } from './webhook-jobs';

export interface WebhooksWorkerOptions {
  redisUrl: string;
  queuePrefix: string;
  reconcileIntervalMs: number;
}

export const WEBHOOKS_WORKER_OPTIONS = Symbol('WEBHOOKS_WORKER_OPTIONS');

/**
 * Runs the `webhooks` queue: each job one attempt, which schedules the next itself when it fails.
 * Paused until PostgreSQL answers; the reconciler puts back every pending attempt Redis lost.
 */
@Injectable()
export class WebhooksWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly worker: ManagedWorker<WebhookJobData>;

  constructor(
    dataSource: DataSource,
    deliveries: WebhookDeliveries,
    @Inject(WEBHOOKS_WORKER_OPTIONS) options: WebhooksWorkerOptions,
  ) {
    this.worker = new ManagedWorker<WebhookJobData>({
      queue: WEBHOOKS_QUEUE,
      processors: {
        [WebhookJobNames['webhook-delivery']]: async (job) => {
          const { deliveryId, attempt, correlationId } = job.data;
          if (typeof deliveryId !== 'string' || !Number.isInteger(attempt))
            throw new UnrecoverableError('Malformed webhook job data');
          return deliveries.attempt(deliveryId, attempt, correlationId ?? newCorrelationId());
        },
      },
      redisUrl: options.redisUrl,
      prefix: options.queuePrefix,
      concurrency: 10,
      dependenciesReady: () => dataSource.query('SELECT 1'),
      reconcile: () => deliveries.reconcile(newCorrelationId()),
      reconcileEveryMs: options.reconcileIntervalMs,
    });
  }

  onApplicationBootstrap(): void {
    this.worker.start();
  }

  whenStarted(): Promise<void> {
    return this.worker.whenStarted();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.worker.stop();
  }
}
