import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { ManagedWorker, type JobProcessor, type JobTrace } from '@nmirf/platform';
import { DataSource } from 'typeorm';
import { DEADLINES_QUEUE, type DeadlineJobData } from './deadline-jobs';
import { DeadlineRemindersProcessor } from './deadline-reminders.processor';
import { ReminderReconciler } from './reminder-reconciler';

export interface DeadlinesWorkerOptions {
  redisUrl: string;
  queuePrefix: string;
  reconcileIntervalMs: number;
}

export const DEADLINES_WORKER_OPTIONS = Symbol('DEADLINES_WORKER_OPTIONS');

/**
 * A notifications queue run by a ManagedWorker: paused until PostgreSQL answers (every job needs it,
 * and a job taken while it is down only burns a retry), reconciled before the first job.
 */
export abstract class PostgresBackedWorker<Data extends JobTrace>
  implements OnApplicationBootstrap, BeforeApplicationShutdown
{
  private readonly worker: ManagedWorker<Data>;

  protected constructor(
    queue: string,
    processors: Record<string, JobProcessor<Data>>,
    reconcile: () => Promise<unknown>,
    dataSource: DataSource,
    options: DeadlinesWorkerOptions,
  ) {
    this.worker = new ManagedWorker({
      queue,
      processors,
      redisUrl: options.redisUrl,
      prefix: options.queuePrefix,
      concurrency: 5,
      dependenciesReady: () => dataSource.query('SELECT 1'),
      reconcile,
      reconcileEveryMs: options.reconcileIntervalMs,
    });
  }

  onApplicationBootstrap(): void {
    this.worker.start();
  }

  /** Resolves once the worker takes jobs and the first reconciliation is done (or it stopped first). */
  whenStarted(): Promise<void> {
    return this.worker.whenStarted();
  }

  /** Lets running jobs finish before the database closes. */
  beforeApplicationShutdown(): Promise<void> {
    return this.worker.stop();
  }
}

/** Runs the `deadlines` jobs and the reconciler. */
@Injectable()
export class DeadlinesWorker extends PostgresBackedWorker<DeadlineJobData> {
  constructor(
    dataSource: DataSource,
    processor: DeadlineRemindersProcessor,
    reconciler: ReminderReconciler,
    @Inject(DEADLINES_WORKER_OPTIONS) options: DeadlinesWorkerOptions,
  ) {
    super(DEADLINES_QUEUE, processor.processors(), () => reconciler.reconcile(), dataSource, options);
  }
}
