import { Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import type IORedis from 'ioredis';
import { isWithinDateWindow } from '../date-window';
import { dependencyUnavailable } from '../errors';
import { redisAnswerWithin, type JobQueue, type JobTrace } from './job-queue';

/** One job PostgreSQL says should be in Redis: deterministic id, kind (job name), data, and when it runs. */
export interface PlannedJob<Data extends JobTrace = JobTrace> {
  /** Deterministic: the same row always plans the same id ('-', not ':', which BullMQ refuses). */
  id: string;
  kind: string;
  data: Data;
  runAt: Date;
  /** The row the job derives from, for logs; bad jobs are counted once per row. */
  row?: string;
}

/** What a reconciliation pass asks for: jobs that run no later than `until` (the horizon). */
export interface PlanningWindow {
  now: Date;
  until: Date;
}

/**
 * Where a queue's jobs come from. `expected` reads PostgreSQL (index-backed, only the window's
 * slice) and yields every job that must be pending; the reconciler compares them with BullMQ.
 * A planned job that cannot be scheduled (an impossible date, a malformed id) is logged and skipped.
 */
export interface JobSource<Data extends JobTrace = JobTrace> {
  /** The kinds this source owns: a pending job of one of them that is not expected is removed. */
  readonly kinds: readonly string[];
  expected(window: PlanningWindow): AsyncIterable<PlannedJob<Data>>;
}

export interface ReconcileResult {
  /** Planned jobs within the horizon. */
  expected: number;
  added: number;
  /** Jobs for other data (a moved date), or ended while PostgreSQL still expects them. */
  replaced: number;
  /** Pending jobs PostgreSQL no longer expects (closed, moved out of the horizon). */
  removed: number;
  /** Rows whose jobs could not be planned; logged, and tried again by the next pass. */
  failed: number;
}

export interface JobReconcilerOptions {
  /** How far ahead jobs are put in Redis; undefined: every expected job, whatever its date. */
  horizonMs?: number;
  /** Jobs compared per Redis round trip. */
  batchSize?: number;
}

const TRACE_KEYS = new Set(['correlationId', 'causationId', 'traceparent']);

/** The data that says what a job does, without the trace that says who planned it. */
export function jobDataKey(data: unknown): string {
  if (!data || typeof data !== 'object') return JSON.stringify(data);
  const entries = Object.entries(data as Record<string, unknown>)
    .filter(([key, value]) => !TRACE_KEYS.has(key) && value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(entries);
}

/** Why a planned job cannot go to Redis, or undefined when it can. */
export function plannedJobProblem(job: PlannedJob, kinds: readonly string[]): string | undefined {
  if (typeof job.id !== 'string' || job.id === '' || job.id.includes(':'))
    return `malformed job id "${job.id}"`;
  if (!kinds.includes(job.kind)) return `job kind "${job.kind}" is not one of this queue's`;
  if (!job.data || typeof job.data !== 'object') return 'job data is not an object';
  if (!(job.runAt instanceof Date) || !isWithinDateWindow(job.runAt)) {
    return `run-at ${job.runAt instanceof Date && !Number.isNaN(job.runAt.getTime()) ? job.runAt.toISOString() : 'invalid'} is outside the accepted window`;
  }
  return undefined;
}

interface Existing {
  name: string | null;
  data: string | null;
  finishedOn: string | null;
  timestamp: string | null;
}

/**
 * Puts a queue in line with its source: adds missing jobs, replaces jobs for other data or that
 * already ended, and removes pending jobs the source no longer expects. Idempotent by job id, so
 * any number of passes (and replicas) may run; a job newer than the pass's read of PostgreSQL is
 * left alone (its own writer knew better). Redis or PostgreSQL down ends the pass; anything else
 * wrong with one row is logged, and the pass goes on.
 */
export class JobReconciler<Data extends JobTrace = JobTrace> {
  private readonly logger: Logger;
  private running?: Promise<ReconcileResult>;
  private next?: Promise<ReconcileResult>;

  constructor(
    readonly jobs: JobQueue<Data>,
    readonly source: JobSource<Data>,
    private readonly options: JobReconcilerOptions = {},
  ) {
    this.logger = new Logger(`reconciler:${jobs.queue.name}`);
  }

  /** The last instant a pass starting at `now` schedules. */
  until(now: Date): Date {
    return this.options.horizonMs === undefined
      ? new Date(8.64e15)
      : new Date(now.getTime() + this.options.horizonMs);
  }

  /**
   * One pass at a time in this process. A caller arriving during a pass gets the next one (it may
   * have changed PostgreSQL after the running pass read it); callers waiting together share it.
   */
  reconcile(now?: Date): Promise<ReconcileResult> {
    if (!this.running) {
      this.running = this.pass(now ?? new Date()).finally(() => (this.running = undefined));
      return this.running;
    }
    this.next ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.next = undefined;
        return this.reconcile(now);
      });
    return this.next;
  }

  private async pass(now: Date): Promise<ReconcileResult> {
    // Taken before PostgreSQL is read: a job created after it was planned from a newer state.
    const startedAt = Date.now();
    const until = this.until(now);
    const result: ReconcileResult = { expected: 0, added: 0, replaced: 0, removed: 0, failed: 0 };
    const badRows = new Set<string>();
    const seen = new Set<string>();
    const batchSize = this.options.batchSize ?? 500;
    let batch: PlannedJob<Data>[] = [];
    for await (const job of this.source.expected({ now, until })) {
      const problem = plannedJobProblem(job, this.source.kinds);
      if (problem) {
        badRows.add(job.row ?? String(job.id));
        this.logger.warn({
          msg: 'planned job skipped; next pass retries',
          jobId: job.id,
          row: job.row,
          error: problem,
        });
        continue;
      }
      if (job.runAt.getTime() > until.getTime() || seen.has(job.id)) continue;
      seen.add(job.id);
      batch.push(job);
      if (batch.length >= batchSize) {
        await this.apply(batch, startedAt, result, badRows);
        batch = [];
      }
    }
    if (batch.length > 0) await this.apply(batch, startedAt, result, badRows);
    result.expected = seen.size;
    await this.removeUnexpected(seen, startedAt, result);
    result.failed = badRows.size;
    if (result.added + result.replaced + result.removed + result.failed > 0) {
      this.logger.log({ msg: 'jobs reconciled', queue: this.jobs.queue.name, ...result });
    }
    return result;
  }

  /** Compares a batch with Redis in one round trip, then adds and replaces in one more. */
  private async apply(
    batch: PlannedJob<Data>[],
    startedAt: number,
    result: ReconcileResult,
    badRows: Set<string>,
  ): Promise<void> {
    const queue = this.jobs.queue;
    const client = (await queue.client) as unknown as IORedis;
    const pipeline = client.pipeline();
    for (const job of batch) pipeline.hmget(queue.toKey(job.id), 'name', 'data', 'finishedOn', 'timestamp');
    const replies = (await redisAnswerWithin(pipeline.exec())) ?? [];
    const toAdd: PlannedJob<Data>[] = [];
    const toReplace: PlannedJob<Data>[] = [];
    batch.forEach((job, index) => {
      const [error, fields] = replies[index] ?? [new Error('no reply'), null];
      if (error) throw error;
      const [name, data, finishedOn, timestamp] = fields as Array<string | null>;
      const existing: Existing = { name, data, finishedOn, timestamp };
      const verdict = compare(job, existing, startedAt);
      if (verdict === 'missing') toAdd.push(job);
      else if (verdict === 'replace') toReplace.push(job);
    });
    if (toReplace.length > 0) {
      // A running (locked) job is not removed; adding its id again is then a no-op.
      await redisAnswerWithin(Promise.all(toReplace.map((job) => queue.remove(job.id))));
    }
    const adding = [...toAdd, ...toReplace];
    if (adding.length === 0) return;
    try {
      await redisAnswerWithin(
        queue.addBulk(
          adding.map((job) => ({
            name: job.kind as never,
            data: job.data as never,
            opts: { jobId: job.id, delay: Math.max(0, job.runAt.getTime() - Date.now()) },
          })),
        ),
      );
    } catch (error) {
      if (dependencyUnavailable(error)) throw error;
      for (const job of adding) badRows.add(job.row ?? job.id);
      this.logger.warn({
        msg: 'jobs not added; next pass retries',
        count: adding.length,
        error: (error as Error).message,
      });
      return;
    }
    result.added += toAdd.length;
    result.replaced += toReplace.length;
  }

  /** Pending jobs of this source's kinds that no row expects, and older than this pass, go. */
  private async removeUnexpected(
    seen: Set<string>,
    startedAt: number,
    result: ReconcileResult,
  ): Promise<void> {
    const kinds = new Set(this.source.kinds);
    const stale: string[] = [];
    const pageSize = 1_000;
    for (let start = 0; ; start += pageSize) {
      const page: Job[] = await redisAnswerWithin(
        this.jobs.queue.getJobs(['delayed', 'waiting', 'prioritized'], start, start + pageSize - 1, true),
      );
      for (const job of page) {
        if (!job?.id || !kinds.has(job.name) || seen.has(job.id)) continue;
        if (job.timestamp > startedAt) continue;
        stale.push(job.id);
      }
      if (page.length < pageSize) break;
    }
    for (const id of stale) {
      // Looked at again: a writer may have planned a new job under this id meanwhile.
      const job = await redisAnswerWithin(this.jobs.queue.getJob(id));
      if (!job || job.timestamp > startedAt || job.finishedOn) continue;
      const removed = await redisAnswerWithin(this.jobs.queue.remove(id));
      if (removed === 1) result.removed += 1;
    }
  }
}

function compare(job: PlannedJob, existing: Existing, startedAt: number): 'missing' | 'present' | 'replace' {
  if (existing.data === null && existing.name === null) return 'missing';
  if (existing.finishedOn) return 'replace'; // it ran (or failed for good) while the row still expects it
  let same = existing.name === job.kind;
  if (same) {
    try {
      same = jobDataKey(JSON.parse(existing.data ?? 'null')) === jobDataKey(job.data);
    } catch {
      same = false;
    }
  }
  if (same) return 'present';
  // Planned after this pass read PostgreSQL: its writer saw a newer row than this pass did.
  if (Number(existing.timestamp) > startedAt) return 'present';
  return 'replace';
}
