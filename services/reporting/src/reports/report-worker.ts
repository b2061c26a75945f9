import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { CONFIG, DerivedJobWorker, JobHandlers, OnJob, type JobProcessor } from '@nmirf/platform';
import type { Job } from 'bullmq';
import { DataSource } from 'typeorm';
import type { ReportingConfig } from '../config';
import { ReportCompiler } from './report-compiler';
import { ReportJobNames, REPORTS_QUEUE, type CompileReportJob } from './report-jobs';
import { ReportReconciler } from './report-reconciler';

/** The BullMQ side of compilation: a failure is retried, and the last one is written on the report. */
export function compileReportProcessor(compiler: ReportCompiler): JobProcessor<CompileReportJob> {
  return async (job) => {
    try {
      await compiler.compile(job.data.reportId);
    } catch (error) {
      const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (finalAttempt) await compiler.markFailed(job.data.reportId, (error as Error).message);
      throw error;
    }
  };
}

/** The `compile-report` job, handed to the compiler. */
@Injectable()
export class CompileReportHandler {
  private readonly process: JobProcessor<CompileReportJob>;

  constructor(compiler: ReportCompiler) {
    this.process = compileReportProcessor(compiler);
  }

  @OnJob(ReportJobNames['compile-report'])
  compile(job: Job<CompileReportJob>): Promise<unknown> {
    return this.process(job);
  }
}

/**
 * Runs the compile-report worker in the worker process. It starts paused, resumes once PostgreSQL
 * answers (every job needs it) and the reconciler has restored jobs Redis may have lost, reconciles
 * periodically (a report requested while Redis was down must not wait for a restart), and on
 * shutdown lets running jobs finish.
 */
@Injectable()
export class ReportWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly worker: DerivedJobWorker<CompileReportJob>;

  constructor(
    @Inject(CONFIG) config: ReportingConfig,
    dataSource: DataSource,
    handlers: JobHandlers,
    reconciler: ReportReconciler,
  ) {
    this.worker = new DerivedJobWorker({
      handlers: () => handlers.for<CompileReportJob>(REPORTS_QUEUE, Object.values(ReportJobNames)),
      reconciler: reconciler.jobs,
      redisUrl: config.REDIS_URL,
      prefix: config.QUEUE_PREFIX,
      concurrency: config.REPORT_CONCURRENCY,
      dependenciesReady: () => dataSource.query('SELECT 1'),
      passEveryMs: config.REPORTS_RECONCILE_MS,
      pass: () => reconciler.reconcile(),
    });
  }

  onApplicationBootstrap(): void {
    this.worker.start();
  }

  /** Resolves once the worker takes jobs (or shutdown began first). */
  get started(): Promise<void> {
    return this.worker.whenStarted();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.worker.stop();
  }
}
