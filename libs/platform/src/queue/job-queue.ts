import { Logger } from '@nestjs/common';
import { ROOT_CONTEXT } from '@opentelemetry/api';
import { Job, Queue, Worker, type JobsOptions } from 'bullmq';
import IORedis, { type RedisOptions } from 'ioredis';
import { runWithContext, newCorrelationId } from '../observability/correlation';
import { dependencyUnavailable, DependencyUnavailableError } from '../errors';
import { NoAnswerError, withinTime } from '../time';
import { jobDuration, scrapedGauge } from '../observability/metrics';
import { currentTraceparent, inSpan, SpanKind } from '../observability/tracing';

/** The queues this process uses, for the depth gauges and the admins' queue view. */
const usedQueues = new Set<string>();
export const knownQueues = (): ReadonlySet<string> => usedQueues;

/** Data every job carries so its logs and events join the flow that caused it. */
export interface JobTrace {
  correlationId?: string;
  causationId?: string;
  /** The trace context that scheduled the job; the job runs as a span linked to it. */
  traceparent?: string;
}

/** The job's data with the scheduling context's `traceparent`, unless it has one. */
function traced<Data extends JobTrace>(data: Data): Data {
  if (data.traceparent) return data;
  const traceparent = currentTraceparent();
  return traceparent ? { ...data, traceparent } : data;
}

export const defaultJobOptions: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: { age: 7 * 24 * 3_600, count: 10_000 },
  // Failed jobs stay for inspection.
  removeOnFail: { age: 30 * 24 * 3_600 },
};

export function redisConnection(url: string, forWorker: boolean): IORedis {
  const options: RedisOptions = forWorker
    ? { maxRetriesPerRequest: null, enableReadyCheck: true }
    : { maxRetriesPerRequest: 3, enableOfflineQueue: false, connectTimeout: 3_000 };
  const connection = new IORedis(url, options);
  connection.on('error', () => undefined); // reconnects by itself; readiness reports the outage
  return connection;
}

/**
 * BullMQ waits for Redis forever; a caller that can fall back (the reconciler repairs) must not.
 * No answer, or a connection that is down, rejects with DependencyUnavailableError (HTTP: 503).
 */
export const redisAnswerWithin = <T>(work: Promise<T>, ms = 3_000): Promise<T> =>
  withinTime(work, ms, 'Redis').catch((error: unknown) => {
    if (error instanceof NoAnswerError || dependencyUnavailable(error)) {
      throw new DependencyUnavailableError('Redis', (error as Error).message, { cause: error });
    }
    throw error;
  });

/**
 * A queue whose jobs have deterministic ids, so scheduling is idempotent and a job can be found
 * again to move or cancel it. Everything a job does must be derivable from PostgreSQL: Redis may
 * lose it, and the owner's reconciler adds it back.
 */
export class JobQueue<Data extends JobTrace = JobTrace> {
  readonly queue: Queue<Data>;

  /** `jobOptions`: a queue's own retries (e.g. mail's MAIL_ATTEMPTS), over the defaults. */
  constructor(name: string, connection: IORedis, prefix: string, jobOptions: JobsOptions = {}) {
    this.queue = new Queue<Data>(name, {
      connection,
      prefix,
      defaultJobOptions: { ...defaultJobOptions, ...jobOptions },
    });
    usedQueues.add(name);
  }

  /** Adds the job unless one with this id exists (waiting, delayed, active, or kept after it ran). */
  async ensure(jobName: string, jobId: string, data: Data, delayMs: number): Promise<void> {
    await redisAnswerWithin(
      this.queue.add(jobName as never, traced(data) as never, { jobId, delay: Math.max(0, delayMs) }),
    );
  }

  /** Replaces whatever job has this id: remove, then add. */
  async reschedule(jobName: string, jobId: string, data: Data, delayMs: number): Promise<void> {
    await this.cancel(jobId);
    await this.ensure(jobName, jobId, data, delayMs);
  }

  /** Replaces a set of jobs at once: removes every id in `replacing`, then adds `jobs` in one round trip. */
  async replaceAll(
    replacing: string[],
    jobs: Array<{ name: string; jobId: string; data: Data; delayMs: number }>,
  ): Promise<void> {
    await Promise.all(replacing.map((jobId) => this.cancel(jobId)));
    if (jobs.length === 0) return;
    await redisAnswerWithin(
      this.queue.addBulk(
        jobs.map(({ name, jobId, data, delayMs }) => ({
          name: name as never,
          data: traced(data) as never,
          opts: { jobId, delay: Math.max(0, delayMs) },
        })),
      ),
    );
  }

  /** Removes the job if it is still pending; a job already running (locked) is left to finish. */
  async cancel(jobId: string): Promise<void> {
    await redisAnswerWithin(this.queue.remove(jobId));
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}

export type JobProcessor<Data> = (job: Job<Data>) => Promise<unknown>;

/**
 * When a job whose worker died runs again. BullMQ's defaults (a 30 s lock, checked every 30 s, one
 * stall allowed) take up to a minute; a queue of long jobs that resume idempotently can say sooner.
 */
export interface StallDetection {
  /** A running job's lock lasts this long (renewed every half of it); expired locks are looked for as often. */
  lockDurationMs: number;
  /** Stalls a job survives before BullMQ fails it. */
  maxStalledCount: number;
}

/**
 * A worker with exactly one processor per job name: an unknown job name fails the job (kept for
 * inspection), and registering a processor twice fails at start-up. Starts paused; call `run()`
 * once the worker's dependencies are ready.
 */
export function createWorker<Data extends JobTrace>(
  queueName: string,
  processors: Record<string, JobProcessor<Data>>,
  options: { connection: IORedis; prefix: string; concurrency: number; stalls?: StallDetection },
): Worker<Data> {
  const logger = new Logger(`worker:${queueName}`);
  usedQueues.add(queueName);
  const worker = new Worker<Data>(
    queueName,
    async (job) => {
      const processor = processors[job.name];
      if (!processor) throw new Error(`No processor for job "${job.name}"`);
      const correlationId = job.data.correlationId ?? newCorrelationId();
      const timer = jobDuration.startTimer({ queue: queueName, name: job.name });
      try {
        // A new trace, linked to the one that scheduled the job: it may run days later.
        const result = await inSpan(
          `${queueName} ${job.name}`,
          {
            kind: SpanKind.CONSUMER,
            parent: ROOT_CONTEXT,
            linkTo: job.data.traceparent,
            attributes: { 'messaging.system': 'bullmq', 'messaging.message.id': String(job.id) },
          },
          () =>
            runWithContext(
              {
                correlationId,
                causationId: job.data.causationId ?? correlationId,
                actor: { kind: 'system', id: queueName },
              },
              () => processor(job),
            ),
        );
        timer({ outcome: 'completed' });
        return result;
      } catch (error) {
        timer({ outcome: 'failed' });
        throw error;
      }
    },
    {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: options.concurrency,
      autorun: false,
      ...(options.stalls && {
        lockDuration: options.stalls.lockDurationMs,
        stalledInterval: options.stalls.lockDurationMs,
        maxStalledCount: options.stalls.maxStalledCount,
      }),
    },
  );
  worker.on('failed', (job, error) =>
    logger.warn({
      msg: 'job failed',
      jobId: job?.id,
      name: job?.name,
      attemptsMade: job?.attemptsMade,
      error: error.message,
    }),
  );
  worker.on('error', (error) => logger.error({ msg: 'worker error', error: error.message }));
  return worker;
}

/** Names, once: a job name registered twice is a programming error caught at start-up. */
export function defineJobNames<const T extends readonly string[]>(...names: T): { [K in T[number]]: K } {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw new Error(`Job name "${name}" is defined twice`);
    seen.add(name);
  }
  return Object.fromEntries(names.map((name) => [name, name])) as { [K in T[number]]: K };
}

const JOB_STATES = ['waiting', 'delayed', 'active', 'failed'] as const;

const handles = new Map<string, Queue>();

/** A Queue to read one of this process's queues (depths, jobs), made once per name and prefix. */
export function queueHandle(name: string, connection: IORedis, prefix: string): Queue {
  const key = `${prefix}:${name}`;
  let queue = handles.get(key);
  if (!queue) {
    queue = new Queue(name, { connection, prefix });
    handles.set(key, queue);
  }
  return queue;
}

/** `nmirf_queue_jobs{queue,state}`, read from Redis at scrape time for every queue this process uses. */
export function observeQueues(connection: IORedis, prefix: string): void {
  scrapedGauge('nmirf_queue_jobs', 'BullMQ jobs by queue and state', ['queue', 'state'], async () => {
    const values: Array<{ labels: { queue: string; state: string }; value: number }> = [];
    for (const name of usedQueues) {
      const queue = queueHandle(name, connection, prefix);
      const counts = await redisAnswerWithin(queue.getJobCounts(...JOB_STATES), 2_000);
      for (const state of JOB_STATES)
        values.push({ labels: { queue: name, state }, value: counts[state] ?? 0 });
    }
    return values;
  });
}
