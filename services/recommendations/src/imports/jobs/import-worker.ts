import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { CONFIG, DerivedJobWorker, JobHandlers, JobReconciler, OnJob } from '@nmirf/platform';
import type { Job } from 'bullmq';
import { DataSource } from 'typeorm';
import type { RecommendationsConfig } from '../../config';
import { DetectImportLinks } from './detect-import-links';
import { ImportJobNames, ImportJobs, IMPORTS_QUEUE, type ImportJobData } from './import-jobs';
import { ImportJobSource } from './import-job-source';
import { RunImport } from './run-import';

/** The imports queue's jobs, each handed to its use case. */
@Injectable()
export class ImportJobHandlers {
  constructor(
    private readonly runImport: RunImport,
    private readonly detectLinks: DetectImportLinks,
  ) {}

  @OnJob(ImportJobNames['run-import'])
  run(job: Job<ImportJobData>): Promise<void> {
    return this.runImport.run(job.data.importId);
  }

  @OnJob(ImportJobNames['detect-import-links'])
  links(job: Job<ImportJobData>): Promise<void> {
    return this.detectLinks.run(job.data.importId);
  }
}

/**
 * Runs the imports queue in the worker process: paused until PostgreSQL answers, reconciled against
 * the imports in flight before the first job and every IMPORT_RECONCILE_MS (a job Redis lost is added
 * again), and on shutdown lets the running import finish.
 */
@Injectable()
export class ImportWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly worker: DerivedJobWorker<ImportJobData>;

  constructor(
    @Inject(CONFIG) config: RecommendationsConfig,
    dataSource: DataSource,
    handlers: JobHandlers,
    jobs: ImportJobs,
  ) {
    this.worker = new DerivedJobWorker({
      handlers: () => handlers.for<ImportJobData>(IMPORTS_QUEUE, Object.values(ImportJobNames)),
      reconciler: new JobReconciler(jobs.queue, new ImportJobSource(dataSource)),
      redisUrl: config.REDIS_URL,
      prefix: config.QUEUE_PREFIX,
      concurrency: config.IMPORT_CONCURRENCY,
      dependenciesReady: () => dataSource.query('SELECT 1'),
      passEveryMs: config.IMPORT_RECONCILE_MS,
      // A killed worker's import resumes within about 2 × IMPORT_LOCK_MS, not BullMQ's minute. Each
      // run is counted and given up on by the import itself (IMPORT_MAX_ATTEMPTS), not by BullMQ.
      stalls: { lockDurationMs: config.IMPORT_LOCK_MS, maxStalledCount: config.IMPORT_MAX_ATTEMPTS },
    });
  }

  onApplicationBootstrap(): void {
    this.worker.start();
  }

  get started(): Promise<void> {
    return this.worker.whenStarted();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.worker.stop();
  }
}
