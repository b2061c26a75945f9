import { Logger } from '@nestjs/common';
import { redisAnswerWithin, type JobProcessor, type JobTrace, type StallDetection } from './job-queue';
import type { JobReconciler } from './job-reconciler';
import { ManagedWorker } from './managed-worker';

/** The job every derived-jobs queue runs on a BullMQ job scheduler: one reconciliation pass. */
export const RECONCILE_PASS = 'reconcile-pass';

export interface DerivedJobWorkerOptions<Data extends JobTrace> {
  /** Resolved at `start()`: the `@OnJob` handlers are looked up once every provider exists. */
  handlers: () => Record<string, JobProcessor<Data>>;
  reconciler: JobReconciler<Data>;
  /** What one pass does; default: the reconciler's pass. Housekeeping (e.g. purging) goes here. */
  pass?: () => Promise<unknown>;
  redisUrl: string;
  prefix: string;
  concurrency: number;
  dependenciesReady: () => Promise<unknown>;
  /**
   * How often a pass runs, on a BullMQ job scheduler (one replica runs each). With a horizon, keep it
   * well below the horizon: a job enters Redis at the latest one period before it is due.
   */
  passEveryMs: number;
  checkRedisEveryMs?: number;
  heartbeatFile?: string;
  stalls?: StallDetection;
}

/**
 * A queue whose jobs are derived from PostgreSQL: handlers found by `@OnJob`, a reconciler that puts
 * the horizon's jobs in Redis, run on a job scheduler every `passEveryMs`, at start-up, and at once
 * when Redis is seen wiped or replaced (the scheduler itself is then put back too).
 */
export class DerivedJobWorker<Data extends JobTrace> {
  private readonly logger: Logger;
  private worker?: ManagedWorker<Data>;

  constructor(private readonly options: DerivedJobWorkerOptions<Data>) {
    this.logger = new Logger(`derived-jobs:${options.reconciler.jobs.queue.name}`);
  }

  get queueName(): string {
    return this.options.reconciler.jobs.queue.name;
  }

  /** Throws (and the process does not start) when a declared kind has no handler, or two. */
  start(): void {
    const pass = this.options.pass ?? (() => this.options.reconciler.reconcile());
    const handlers = this.options.handlers();
    if (RECONCILE_PASS in handlers) throw new Error(`"${RECONCILE_PASS}" is the kit's own job kind`);
    this.worker = new ManagedWorker<Data>({
      queue: this.queueName,
      processors: { ...handlers, [RECONCILE_PASS]: () => pass() },
      redisUrl: this.options.redisUrl,
      prefix: this.options.prefix,
      concurrency: this.options.concurrency,
      dependenciesReady: this.options.dependenciesReady,
      reconcile: async () => {
        await this.schedulePasses();
        return pass();
      },
      // A backstop should the scheduler's jobs stop: the passes themselves come from BullMQ.
      reconcileEveryMs: this.options.passEveryMs * 4,
      checkRedisEveryMs: this.options.checkRedisEveryMs,
      heartbeatFile: this.options.heartbeatFile,
      stalls: this.options.stalls,
    });
    this.worker.start();
  }

  whenStarted(): Promise<void> {
    return this.worker?.whenStarted() ?? Promise.resolve();
  }

  stop(): Promise<void> {
    return this.worker?.stop() ?? Promise.resolve();
  }

  /** Idempotent: every replica upserts the same scheduler id, BullMQ keeps one. */
  private async schedulePasses(): Promise<void> {
    try {
      await redisAnswerWithin(
        this.options.reconciler.jobs.queue.upsertJobScheduler(
          RECONCILE_PASS as never,
          { every: this.options.passEveryMs },
          {
            name: RECONCILE_PASS as never,
            data: {} as never,
            opts: { attempts: 1, removeOnComplete: true, removeOnFail: { count: 20 } },
          },
        ),
      );
    } catch (error) {
      // The pass below still runs; the next reconciliation puts the scheduler back.
      this.logger.warn({ msg: 'reconcile-pass scheduler not set', error: (error as Error).message });
    }
  }
}
