import { Logger } from '@nestjs/common';
import type { Worker } from 'bullmq';
import type IORedis from 'ioredis';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { retryUntilDone } from '../time';
import { reconcilerRepairs, reconcilerRuns, repairsIn } from '../observability/metrics';
import {
  createWorker,
  redisAnswerWithin,
  redisConnection,
  type JobProcessor,
  type JobTrace,
  type StallDetection,
} from './job-queue';

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
  /**
   * How often to look for a wiped or replaced Redis (default 2 s). Its jobs are rebuilt at once
   * rather than at the next periodic reconciliation, so a reminder due meanwhile is not late.
   */
  checkRedisEveryMs?: number;
  /**
   * Touched every 10 s while the process runs, paused or not: the container's liveness probe checks
   * its age (deploy/helm/nmirf). Default: env WORKER_HEARTBEAT_FILE, else /tmp/worker-heartbeat.
   */
  heartbeatFile?: string;
  /** Default: BullMQ's (a job whose worker died runs again within about a minute). */
  stalls?: StallDetection;
}

const HEARTBEAT_EVERY_MS = 10_000;

/** One look at Redis: which server answers (INFO run_id) and whether our sentinel key survived. */
export interface RedisObservation {
  runId: string;
  sentinelPresent: boolean;
}

export type RedisLoss = 'replaced' | 'wiped';

/**
 * Why Redis may no longer hold the jobs the last successful reconciliation left there, or undefined
 * when nothing says so. `reconciledOn` is the run_id Redis had then (undefined: none succeeded yet).
 */
export function redisLoss(reconciledOn: string | undefined, seen: RedisObservation): RedisLoss | undefined {
  if (reconciledOn === undefined) return undefined;
  // A new run_id is a restart or another server: without persistence, or with its last second
  // unsaved, jobs are gone even if the sentinel came back from disk.
  if (seen.runId !== reconciledOn) return 'replaced';
  return seen.sentinelPresent ? undefined : 'wiped';
}

const lossMessage: Record<RedisLoss, string> = {
  replaced: 'Redis restarted or was replaced (new run_id); reconciling now',
  wiped: 'Redis lost its keys (reconciliation sentinel missing); reconciling now',
};

const runIdOf = (info: string): string => /^run_id:(\S+)/m.exec(info)?.[1] ?? '';

/**
 * A BullMQ worker with the platform's life cycle: starts paused, runs once its dependencies answer
 * and the reconciler has restored lost jobs, reconciles periodically and as soon as Redis is seen
 * wiped or replaced, and on shutdown lets running jobs finish.
 */
export class ManagedWorker<Data extends JobTrace> {
  private readonly logger: Logger;
  private readonly sentinelKey: string;
  private readonly checkRedisEveryMs: number;
  private connection?: IORedis;
  /** Fails fast, unlike the worker's: a look at Redis must never wait in a queue for it to return. */
  private watch?: IORedis;
  private worker?: Worker<Data>;
  private starting?: Promise<void>;
  private reconciling?: Promise<void>;
  private timer?: NodeJS.Timeout;
  private checkTimer?: NodeJS.Timeout;
  private checking?: Promise<void>;
  /** run_id of the Redis the last successful reconciliation filled. */
  private reconciledOn?: string;
  /** Set while a loss was seen and no reconciliation has succeeded since: retried with backoff. */
  private repair?: { failures: number; dueAt: number };
  private stopping = false;
  private heartbeatTimer?: NodeJS.Timeout;

  constructor(private readonly options: ManagedWorkerOptions<Data>) {
    this.logger = new Logger(`worker:${options.queue}`);
    this.sentinelKey = `${options.prefix}:${options.queue}:reconciler-sentinel`;
    this.checkRedisEveryMs = options.checkRedisEveryMs ?? 2_000;
  }

  start(): void {
    this.connection = redisConnection(this.options.redisUrl, true);
    this.watch = redisConnection(this.options.redisUrl, false);
    this.worker = createWorker(this.options.queue, this.options.processors, {
      connection: this.connection,
      prefix: this.options.prefix,
      concurrency: this.options.concurrency,
      stalls: this.options.stalls,
    });
    this.starting = this.runWhenReady();
    this.startHeartbeat();
  }

  /** Resolves once the worker takes jobs and the first reconciliation is done (or shutdown began). */
  whenStarted(): Promise<void> {
    return this.starting ?? Promise.resolve();
  }

  /** One reconciliation at a time; a failure waits for the next round (after a loss: a few seconds). */
  reconcile(): Promise<void> {
    this.reconciling ??= this.reconcileAndMark().finally(() => (this.reconciling = undefined));
    return this.reconciling;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    clearTimeout(this.checkTimer);
    await this.starting?.catch(() => undefined);
    await this.checking;
    await this.reconciling;
    this.logger.log({ msg: 'worker stopping; running jobs finish first' });
    await this.worker?.close(); // waits for the jobs in progress
    await this.connection?.quit().catch(() => this.connection?.disconnect());
    this.watch?.disconnect();
    // Only now: jobs may take most of the termination grace period to finish.
    clearInterval(this.heartbeatTimer);
  }

  /** Liveness, not readiness: it says the event loop turns, so a dependency outage never restarts the pod. */
  private startHeartbeat(): void {
    const file = this.options.heartbeatFile ?? process.env.WORKER_HEARTBEAT_FILE ?? '/tmp/worker-heartbeat';
    let failing = false;
    const beat = () =>
      writeFile(file, `${new Date().toISOString()}\n`).then(
        () => (failing = false),
        (error: Error) => {
          if (!failing)
            this.logger.warn({ msg: 'cannot write the heartbeat file', file, error: error.message });
          failing = true;
        },
      );
    void beat();
    this.heartbeatTimer = setInterval(() => void beat(), HEARTBEAT_EVERY_MS);
    this.heartbeatTimer.unref();
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
    if (this.stopping) return;
    this.timer = setInterval(() => void this.reconcile(), this.options.reconcileEveryMs);
    this.scheduleRedisCheck();
  }

  private async reconcileAndMark(): Promise<void> {
    // The sentinel goes in before the work, so a wipe during the reconciliation removes it and is seen.
    const runId = await this.markRedis();
    try {
      const result = await this.options.reconcile();
      reconcilerRuns.inc({ queue: this.options.queue, outcome: 'ok' });
      reconcilerRepairs.inc({ queue: this.options.queue }, repairsIn(result));
    } catch (error) {
      reconcilerRuns.inc({ queue: this.options.queue, outcome: 'error' });
      this.logger.warn({ msg: 'reconciliation failed; retried next round', error: (error as Error).message });
      if (this.repair) {
        this.repair.failures += 1;
        const backoff = this.checkRedisEveryMs * 2 ** this.repair.failures;
        this.repair.dueAt = Date.now() + Math.min(backoff, this.options.reconcileEveryMs);
      }
      return;
    }
    this.reconciledOn = runId;
    this.repair = undefined;
  }

  /** Writes the sentinel and returns Redis's run_id; undefined when Redis does not answer. */
  private async markRedis(): Promise<string | undefined> {
    const connection = this.watch;
    if (!connection) return undefined;
    try {
      // At start-up the first reconciliation may come before the connection is up.
      if (connection.status !== 'ready') await redisAnswerWithin(once(connection, 'ready'));
      const [info] = await redisAnswerWithin(
        Promise.all([connection.info('server'), connection.set(this.sentinelKey, new Date().toISOString())]),
      );
      return runIdOf(info);
    } catch {
      return undefined; // the watch stays off until a reconciliation can mark Redis again
    }
  }

  private async observeRedis(): Promise<RedisObservation | undefined> {
    const connection = this.watch;
    // While Redis is away there is nothing to look at; a replacement shows in run_id once it is back.
    if (connection?.status !== 'ready') return undefined;
    try {
      const [info, present] = await redisAnswerWithin(
        Promise.all([connection.info('server'), connection.exists(this.sentinelKey)]),
        this.checkRedisEveryMs,
      );
      return { runId: runIdOf(info), sentinelPresent: present === 1 };
    } catch {
      return undefined;
    }
  }

  private async checkRedis(): Promise<void> {
    if (this.stopping) return;
    if (this.repair) {
      if (Date.now() >= this.repair.dueAt) await this.reconcile();
      return;
    }
    const seen = await this.observeRedis();
    const loss = seen && redisLoss(this.reconciledOn, seen);
    if (!loss || this.stopping) return;
    this.logger.warn({ msg: lossMessage[loss], queue: this.options.queue });
    this.reconciledOn = undefined;
    this.repair = { failures: 0, dueAt: Date.now() };
    await this.reconcile();
  }

  /** A chain rather than an interval: a slow look never overlaps the next one. */
  private scheduleRedisCheck(): void {
    if (this.stopping) return;
    this.checkTimer = setTimeout(() => {
      this.checking = this.checkRedis().finally(() => {
        this.checking = undefined;
        this.scheduleRedisCheck();
      });
    }, this.checkRedisEveryMs);
  }
}
