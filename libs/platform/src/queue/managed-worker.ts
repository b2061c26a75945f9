import { Logger } from '@nestjs/common';
import type { Worker } from 'bullmq';
import type IORedis from 'ioredis';
import { retryUntilDone } from '../time';
import { createWorker, redisConnection, type JobProcessor, type JobTrace } from './job-queue';

export interface ManagedWorkerOptions<Data extends JobTrace> {
  queue: string;
  processors: Record<string, JobProcessor<Data>>;
  redisUrl: string;
  prefix: string;
  concurrency: number;
  /** Every job needs these (e.g. `SELECT 1`): until they answer, the worker stays paused. */
  dependenciesReady: () => Promise<unknown>;
  /** Rebuilds jobs Redis may have lost from PostgreSQL: before the first job, then periodically. */
  reconcile: () => Promise<unknown>;
  reconcileEveryMs: number;
}

/**
 * A BullMQ worker with the platform's life cycle: starts paused, runs once its dependencies answer
 * and the reconciler has restored lost jobs, reconciles periodically, and on shutdown lets running
 * jobs finish.
 */
export class ManagedWorker<Data extends JobTrace> {
  private readonly logger: Logger;
  private connection?: IORedis;
  private worker?: Worker<Data>;
  private starting?: Promise<void>;
  private reconciling?: Promise<void>;
  private timer?: NodeJS.Timeout;
  private stopping = false;

  constructor(private readonly options: ManagedWorkerOptions<Data>) {
    this.logger = new Logger(`worker:${options.queue}`);
  }

  start(): void {
    this.connection = redisConnection(this.options.redisUrl, true);
    this.worker = createWorker(this.options.queue, this.options.processors, {
      connection: this.connection,
      prefix: this.options.prefix,
      concurrency: this.options.concurrency,
    });
    this.starting = this.runWhenReady();
  }

  /** Resolves once the worker takes jobs and the first reconciliation is done (or shutdown began). */
  whenStarted(): Promise<void> {
    return this.starting ?? Promise.resolve();
  }

  /** One reconciliation at a time; a failure waits for the next round. */
  reconcile(): Promise<void> {
    this.reconciling ??= this.options
      .reconcile()
      .then(() => undefined)
      .catch((error: Error) =>
        this.logger.warn({ msg: 'reconciliation failed; retried next round', error: error.message }),
      )
      .finally(() => (this.reconciling = undefined));
    return this.reconciling;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    await this.starting?.catch(() => undefined);
    await this.reconciling;
    this.logger.log({ msg: 'worker stopping; running jobs finish first' });
    await this.worker?.close(); // waits for the jobs in progress
    await this.connection?.quit().catch(() => this.connection?.disconnect());
  }

  private async runWhenReady(): Promise<void> {
    await retryUntilDone(
      () => this.options.dependenciesReady(),
      () => this.stopping,
      (error, attempt) =>
        this.logger.warn({
          msg: 'dependencies not ready; worker stays paused',
          error: error.message,
          attempt,
        }),
    );
    if (this.stopping || !this.worker) return;
    await this.reconcile();
    // run() resolves only when the worker closes.
    this.worker
      .run()
      .catch((error: Error) => this.logger.error({ msg: 'worker stopped', error: error.message }));
    this.logger.log({ msg: 'worker running', concurrency: this.options.concurrency });
    if (!this.stopping) this.timer = setInterval(() => void this.reconcile(), this.options.reconcileEveryMs);
  }
}
