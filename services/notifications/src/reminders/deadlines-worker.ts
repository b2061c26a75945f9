import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { createWorker, redisConnection } from '@nmirf/platform';
import type { Worker } from 'bullmq';
import type IORedis from 'ioredis';
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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs the `deadlines` jobs and the reconciler. The worker starts paused and takes jobs only once
 * PostgreSQL answers: every job needs it, and a job taken while it is down only burns a retry.
 */
@Injectable()
export class DeadlinesWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(DeadlinesWorker.name);
  private connection?: IORedis;
  private worker?: Worker<DeadlineJobData>;
  private starting?: Promise<void>;
  private reconciling?: Promise<void>;
  private timer?: NodeJS.Timeout;
  private stopping = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly processor: DeadlineRemindersProcessor,
    private readonly reconciler: ReminderReconciler,
    @Inject(DEADLINES_WORKER_OPTIONS) private readonly options: DeadlinesWorkerOptions,
  ) {}

  onApplicationBootstrap(): void {
    this.connection = redisConnection(this.options.redisUrl, true);
    this.worker = createWorker(DEADLINES_QUEUE, this.processor.processors(), {
      connection: this.connection,
      prefix: this.options.queuePrefix,
      concurrency: 5,
    });
    this.starting = this.startWhenDatabaseAnswers();
  }

  /** Resolves once the worker takes jobs and the first reconciliation is done (or it stopped first). */
  whenStarted(): Promise<void> {
    return this.starting ?? Promise.resolve();
  }

  private async startWhenDatabaseAnswers(): Promise<void> {
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
    // run() resolves only when the worker closes.
    this.worker
      .run()
      .catch((error: Error) => this.logger.error({ msg: 'deadline worker stopped', error: error.message }));
    this.logger.log({ msg: 'deadline worker running', queue: DEADLINES_QUEUE });
    await this.reconcile();
    if (!this.stopping)
      this.timer = setInterval(() => void this.reconcile(), this.options.reconcileIntervalMs);
  }

  /** One reconciliation at a time; a failure waits for the next round. */
  private reconcile(): Promise<void> {
    this.reconciling ??= this.reconciler
      .reconcile()
      .then(() => undefined)
      .catch((error: Error) =>
        this.logger.warn({ msg: 'reconciliation failed; retried next round', error: error.message }),
      )
      .finally(() => (this.reconciling = undefined));
    return this.reconciling;
  }

  /** Lets running jobs finish (Worker.close waits for them) before the database closes. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    await this.starting?.catch(() => undefined);
    await this.reconciling;
    await this.worker?.close();
    this.connection?.disconnect();
  }
}
