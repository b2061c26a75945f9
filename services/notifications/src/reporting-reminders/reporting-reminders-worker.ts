import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { ManagedWorker } from '@nmirf/platform';
import { DataSource } from 'typeorm';
import { DEADLINES_WORKER_OPTIONS, type DeadlinesWorkerOptions } from '../reminders/deadlines-worker';
import { REPORTING_REMINDERS_QUEUE, type ReportingReminderJobData } from './reporting-reminder-jobs';
import { ReportingReminderReconciler } from './reporting-reminder-reconciler';
import { ReportingRemindersProcessor } from './reporting-reminders.processor';

/**
 * Runs the `reporting-reminders` jobs and their reconciler, with the same life cycle and options as
 * the actions' deadlines worker: paused until PostgreSQL answers, reconciled before the first job.
 */
@Injectable()
export class ReportingRemindersWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly worker: ManagedWorker<ReportingReminderJobData>;

  constructor(
    dataSource: DataSource,
    processor: ReportingRemindersProcessor,
    reconciler: ReportingReminderReconciler,
    @Inject(DEADLINES_WORKER_OPTIONS) options: DeadlinesWorkerOptions,
  ) {
    this.worker = new ManagedWorker({
      queue: REPORTING_REMINDERS_QUEUE,
      processors: processor.processors(),
      redisUrl: options.redisUrl,
      prefix: options.queuePrefix,
      concurrency: 5,
      dependenciesReady: () => dataSource.query('SELECT 1'),
      reconcile: () => reconciler.reconcile(),
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
