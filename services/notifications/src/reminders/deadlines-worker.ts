import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DerivedJobWorker, JobHandlers, type JobReconciler, type JobTrace } from '@nmirf/platform';
import { DataSource } from 'typeorm';
import { DeadlineJobNames, DEADLINES_QUEUE, type DeadlineJobData } from './deadline-jobs';
import { ReminderReconciler } from './reminder-reconciler';

export interface DeadlinesWorkerOptions {
  redisUrl: string;
  queuePrefix: string;
  /** How often the horizon pass runs (RECONCILE_INTERVAL). */
  reconcileIntervalMs: number;
  /** Jobs run at once (REMINDER_CONCURRENCY); default 5. */
  concurrency?: number;
  /** How often Redis is looked at for a wipe; default 2 s. */
  checkRedisEveryMs?: number;
}

export const DEADLINES_WORKER_OPTIONS = Symbol('DEADLINES_WORKER_OPTIONS');

/**
 * A notifications queue derived from PostgreSQL: handlers found by `@OnJob`, paused until
 * PostgreSQL answers (every job needs it, and a job taken while it is down only burns a retry), its
 * horizon passes on a BullMQ job scheduler, and one before the first job.
 */
export abstract class PostgresBackedWorker<Data extends JobTrace>
  implements OnApplicationBootstrap, BeforeApplicationShutdown
{
  private readonly worker: DerivedJobWorker<Data>;

  protected constructor(
    queue: string,
    kinds: readonly string[],
    handlers: JobHandlers,
    reconciler: JobReconciler<Data>,
    dataSource: DataSource,
    options: DeadlinesWorkerOptions,
  ) {
    this.worker = new DerivedJobWorker({
      handlers: () => handlers.for<Data>(queue, kinds),
      reconciler,
      redisUrl: options.redisUrl,
      prefix: options.queuePrefix,
      concurrency: options.concurrency ?? 5,
      dependenciesReady: () => dataSource.query('SELECT 1'),
      passEveryMs: options.reconcileIntervalMs,
      checkRedisEveryMs: options.checkRedisEveryMs,
    });
  }

  /** Refuses to start when a job kind of the queue has no `@OnJob` handler, or two. */
  onApplicationBootstrap(): void {
    this.worker.start();
  }

  /** Resolves once the worker takes jobs and the first pass is done (or it stopped first). */
  whenStarted(): Promise<void> {
    return this.worker.whenStarted();
  }

  /** Lets running jobs finish before the database closes. */
  beforeApplicationShutdown(): Promise<void> {
    return this.worker.stop();
  }
}

/** Runs the `deadlines` jobs and their horizon passes. */
@Injectable()
export class DeadlinesWorker extends PostgresBackedWorker<DeadlineJobData> {
  constructor(
    dataSource: DataSource,
    handlers: JobHandlers,
    reconciler: ReminderReconciler,
    @Inject(DEADLINES_WORKER_OPTIONS) options: DeadlinesWorkerOptions,
  ) {
    super(DEADLINES_QUEUE, Object.values(DeadlineJobNames), handlers, reconciler.jobs, dataSource, options);
  }
}
