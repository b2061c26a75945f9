import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { CONFIG, createWorker, redisConnection, type JobProcessor } from '@nmirf/platform';
import type { Worker } from 'bullmq';
import type IORedis from 'ioredis';
import { DataSource } from 'typeorm';
import type { ReportingConfig } from '../config';
import { ReportCompiler } from './report-compiler';
import { ReportJobNames, REPORTS_QUEUE, type CompileReportJob } from './report-jobs';
import { ReportReconciler } from './report-reconciler';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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

/**
 * Runs the compile-report worker in the worker process. It starts paused, resumes once PostgreSQL
 * answers (every job needs it) and the reconciler has restored jobs Redis may have lost, and on
 * shutdown lets running jobs finish.
 */
@Injectable()
export class ReportWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ReportWorker.name);
  private connection?: IORedis;
  private worker?: Worker<CompileReportJob>;
  private starting?: Promise<void>;
  private stopping = false;
  private reconcileTimer?: NodeJS.Timeout;

  constructor(
    @Inject(CONFIG) private readonly config: ReportingConfig,
    private readonly dataSource: DataSource,
    private readonly compiler: ReportCompiler,
    private readonly reconciler: ReportReconciler,
  ) {}

  onApplicationBootstrap(): void {
    this.connection = redisConnection(this.config.REDIS_URL, true);
    this.worker = createWorker(
      REPORTS_QUEUE,
      { [ReportJobNames['compile-report']]: compileReportProcessor(this.compiler) },
      {
        connection: this.connection,
        prefix: this.config.QUEUE_PREFIX,
        concurrency: this.config.REPORT_CONCURRENCY,
      },
    );
    this.starting = this.startWhenReady();
  }

  /** Resolves once the worker takes jobs (or shutdown began first). */
  get started(): Promise<void> | undefined {
    return this.starting;
  }

  private async startWhenReady(): Promise<void> {
    for (let attempt = 1; !this.stopping; attempt += 1) {
      try {
        await this.dataSource.query('SELECT 1');
        break;
      } catch (error) {
        this.logger.warn({
          msg: 'database not reachable; worker stays paused',
          error: (error as Error).message,
          attempt,
        });
        await sleep(Math.min(500 * attempt, 5_000));
      }
    }
    if (this.stopping || !this.worker) return;
    await this.reconcile();
    this.worker
      .run()
      .catch((error: Error) => this.logger.error({ msg: 'report worker stopped', error: error.message }));
    this.logger.log({
      msg: 'report worker running',
      queue: REPORTS_QUEUE,
      concurrency: this.config.REPORT_CONCURRENCY,
    });
    this.scheduleReconcile();
  }

  /** Also periodic: a report requested while Redis was down must not wait for the next restart. */
  private scheduleReconcile(): void {
    if (this.stopping) return;
    this.reconcileTimer = setTimeout(async () => {
      await this.reconcile();
      this.scheduleReconcile();
    }, this.config.REPORTS_RECONCILE_MS);
  }

  private async reconcile(): Promise<void> {
    await this.reconciler
      .reconcile()
      .catch((error: Error) =>
        this.logger.warn({ msg: 'report reconciliation failed; will retry', error: error.message }),
      );
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.reconcileTimer);
    await this.starting;
    this.logger.log({ msg: 'report worker stopping; running jobs finish first' });
    await this.worker?.close(); // waits for the jobs in progress
    await this.connection?.quit().catch(() => this.connection?.disconnect());
  }
}
