import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { ManagedWorker, redisAnswerWithin, redisConnection, type JobProcessor } from '@nmirf/platform';
import { Queue, type JobsOptions } from 'bullmq';
import type IORedis from 'ioredis';
import { DataSource } from 'typeorm';
import { GatherDigests } from '../digests/gather-digest';
import { DeliverMail } from './deliver-mail';
import { digestSchedulerId, MAIL_QUEUE, MailJobs, sendMailJobId, type MailJobData } from './mail-jobs';
import type { DigestCadence } from './mail-kinds';
import { MAIL_SETTINGS, type MailSettings } from './mail-settings';

export interface MailWorkerOptions {
  redisUrl: string;
  queuePrefix: string;
}
export const MAIL_WORKER_OPTIONS = Symbol('MAIL_WORKER_OPTIONS');

/** Pending deliveries queued per round; the next round takes the rest. */
const DISPATCH_BATCH = 1_000;

/**
 * The mail queue. PostgreSQL holds what must be sent (pending deliveries, written with the
 * notifications); each round queues a job per pending delivery (job id = delivery id, so a round
 * that sees it again adds nothing) and keeps one digest scheduler per time zone and cadence.
 * A lost Redis is refilled by the next round.
 */
@Injectable()
export class MailWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(MailWorker.name);
  private readonly worker: ManagedWorker<MailJobData>;
  private connection?: IORedis;
  private queue?: Queue<MailJobData>;
  private schedulers = '';

  constructor(
    private readonly dataSource: DataSource,
    private readonly deliverMail: DeliverMail,
    private readonly digests: GatherDigests,
    @Inject(MAIL_SETTINGS) private readonly settings: MailSettings,
    @Inject(MAIL_WORKER_OPTIONS) private readonly options: MailWorkerOptions,
  ) {
    const processors: Record<string, JobProcessor<MailJobData>> = {
      [MailJobs['send-mail']]: (job) =>
        this.deliverMail.deliver(job.data.deliveryId as string, {
          made: job.attemptsMade,
          max: job.opts.attempts ?? 1,
        }),
      [MailJobs.digest]: (job) =>
        this.digests.run(job.data.cadence as DigestCadence, job.data.timeZone as string),
    };
    this.worker = new ManagedWorker({
      queue: MAIL_QUEUE,
      processors,
      redisUrl: options.redisUrl,
      prefix: options.queuePrefix,
      concurrency: 5,
      dependenciesReady: () => dataSource.query('SELECT 1'),
      reconcile: () => this.dispatch(),
      reconcileEveryMs: settings.dispatchEveryMs,
    });
  }

  private get jobOptions(): JobsOptions {
    return {
      attempts: this.settings.attempts,
      backoff: { type: 'exponential', delay: this.settings.retryDelayMs },
      removeOnComplete: { age: 7 * 24 * 3_600, count: 10_000 },
      removeOnFail: { age: 30 * 24 * 3_600 },
    };
  }

  onApplicationBootstrap(): void {
    this.connection = redisConnection(this.options.redisUrl, true);
    this.queue = new Queue<MailJobData>(MAIL_QUEUE, {
      connection: this.connection,
      prefix: this.options.queuePrefix,
    });
    this.worker.start();
  }

  whenStarted(): Promise<void> {
    return this.worker.whenStarted();
  }

  /** Queues the pending deliveries and keeps the digest schedulers; returns how many jobs it added. */
  async dispatch(): Promise<number> {
    const queue = this.queue;
    if (!queue) return 0;
    await this.keepDigestSchedulers(queue);
    const pending = (await this.dataSource.query(
      `SELECT id FROM deliveries WHERE status = 'pending' ORDER BY created_at LIMIT $1`,
      [DISPATCH_BATCH],
    )) as Array<{ id: string }>;
    if (pending.length === 0) return 0;
    await redisAnswerWithin(
      queue.addBulk(
        pending.map(({ id }) => ({
          name: MailJobs['send-mail'],
          data: { deliveryId: id },
          opts: { ...this.jobOptions, jobId: sendMailJobId(id) },
        })),
      ),
    );
    return 0; // adding a job that exists is a no-op, not a repair
  }

  /** One scheduler per time zone and cadence in use, at DIGEST_HOUR local time (weekly: Mondays). */
  private async keepDigestSchedulers(queue: Queue<MailJobData>): Promise<void> {
    const zones = (await this.dataSource.query(
      `SELECT DISTINCT r.time_zone, m.cadence
         FROM recipient_profiles r JOIN mail_preferences m ON m.subject = r.subject
        WHERE m.cadence IN ('daily', 'weekly')
        ORDER BY 1, 2`,
    )) as Array<{ time_zone: string; cadence: DigestCadence }>;
    const wanted = new Map(zones.map((zone) => [digestSchedulerId(zone.cadence, zone.time_zone), zone]));
    const fingerprint = [...wanted.keys()].join(',');
    // Redis may have been wiped: the schedulers are checked, not only remembered.
    const existing = await redisAnswerWithin(queue.getJobSchedulers());
    const present = new Set(existing.map((scheduler) => scheduler.key));
    if (fingerprint === this.schedulers && [...wanted.keys()].every((key) => present.has(key))) return;
    for (const scheduler of existing)
      if (scheduler.key.startsWith('digest:') && !wanted.has(scheduler.key))
        await queue.removeJobScheduler(scheduler.key);
    const hour = this.settings.digestHour;
    for (const [key, { cadence, time_zone: timeZone }] of wanted)
      await queue.upsertJobScheduler(
        key,
        { pattern: cadence === 'daily' ? `0 ${hour} * * *` : `0 ${hour} * * 1`, tz: timeZone },
        {
          name: MailJobs.digest,
          data: { cadence, timeZone },
          opts: { removeOnComplete: 100, removeOnFail: 100 },
        },
      );
    this.schedulers = fingerprint;
    this.logger.log({ msg: 'digest schedulers kept', count: wanted.size });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.worker.stop();
    await this.queue?.close();
    this.connection?.disconnect();
  }
}
