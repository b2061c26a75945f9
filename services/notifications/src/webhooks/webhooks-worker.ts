import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import {
  DerivedJobWorker,
  JobHandlers,
  JobReconciler,
  newCorrelationId,
  OnJob,
  type ReconcileResult,
} from '@nmirf/platform';
import { UnrecoverableError, type Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { WebhookDeliveries, type AttemptOutcome } from './webhook-deliveries';
import { WebhookJobQueue } from './webhook-job-queue';
import { WebhookJobSource } from './webhook-job-source';
import { WebhookJobNames, WEBHOOKS_QUEUE, type WebhookJobData } from './webhook-jobs';

export interface WebhooksWorkerOptions {
  redisUrl: string;
  queuePrefix: string;
  reconcileIntervalMs: number;
}

export const WEBHOOKS_WORKER_OPTIONS = Symbol('WEBHOOKS_WORKER_OPTIONS');

/**
 * Runs the `webhooks` queue on the derived-jobs kit: each job one attempt, which schedules the next
 * itself when it fails. Paused until PostgreSQL answers; each pass (every RECONCILE_INTERVAL, on a
 * BullMQ job scheduler) puts back every pending delivery's next attempt Redis lost or ended.
 */
@Injectable()
export class WebhooksWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly worker: DerivedJobWorker<WebhookJobData>;
  private readonly reconciler: JobReconciler<WebhookJobData>;

  constructor(
    dataSource: DataSource,
    private readonly deliveries: WebhookDeliveries,
    queue: WebhookJobQueue,
    @Inject(WEBHOOKS_WORKER_OPTIONS) options: WebhooksWorkerOptions,
  ) {
    this.reconciler = new JobReconciler(queue.jobs, new WebhookJobSource(deliveries));
    this.worker = new DerivedJobWorker<WebhookJobData>({
      handlers: () =>
        JobHandlers.among(this).for<WebhookJobData>(WEBHOOKS_QUEUE, Object.values(WebhookJobNames)),
      reconciler: this.reconciler,
      redisUrl: options.redisUrl,
      prefix: options.queuePrefix,
      concurrency: 10,
      dependenciesReady: () => dataSource.query('SELECT 1'),
      passEveryMs: options.reconcileIntervalMs,
    });
  }

  @OnJob(WebhookJobNames['webhook-delivery'])
  attempt(job: Job<WebhookJobData>): Promise<AttemptOutcome> {
    const { deliveryId, attempt, correlationId } = job.data;
    if (typeof deliveryId !== 'string' || !Number.isInteger(attempt))
      throw new UnrecoverableError('Malformed webhook job data');
    return this.deliveries.attempt(deliveryId, attempt, correlationId ?? newCorrelationId());
  }

  /** One pass now, as the job scheduler runs them: each pending delivery's next attempt in Redis. */
  pass(): Promise<ReconcileResult> {
    return this.reconciler.reconcile();
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
