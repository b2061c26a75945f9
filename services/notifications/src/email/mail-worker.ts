import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import {
  DerivedJobWorker,
  JobHandlers,
  JobQueue,
  JobReconciler,
  OnJob,
  redisAnswerWithin,
  redisConnection,
  type ReconcileResult,
} from '@nmirf/platform';
import type { Job, Queue } from 'bullmq';
import type IORedis from 'ioredis';
import { DataSource } from 'typeorm';
import { GatherDigests } from '../digests/gather-digest';
import { DeliverMail, type DeliveryOutcome } from './deliver-mail';
import { MailJobSource } from './mail-job-source';
import { digestSchedulerId, MAIL_QUEUE, MailJobs, type MailJobData } from './mail-jobs';
import type { DigestCadence } from './mail-kinds';
import { MAIL_SETTINGS, type MailSettings } from './mail-settings';

export interface MailWorkerOptions {
  redisUrl: string;
  queuePrefix: string;
}
export const MAIL_WORKER_OPTIONS = Symbol('MAIL_WORKER_OPTIONS');

/**
 * The mail queue, on the derived-jobs kit. PostgreSQL holds what must be sent (pending deliveries,
 * written with the notifications); each pass (every MAIL_DISPATCH_INTERVAL) reconciles one job per
 * pending delivery (`mail-<delivery id>`) and keeps one digest scheduler per time zone and cadence.
 * A lost Redis, or a job that failed for good while its delivery stayed pending, is repaired by the
 * next pass.
 */
@Injectable()
export class MailWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(MailWorker.name);
  private readonly worker: DerivedJobWorker<MailJobData>;
  private readonly connection: IORedis;
  private readonly jobs: JobQueue<MailJobData>;
  private readonly reconciler: JobReconciler<MailJobData>;
  private schedulers = '';

  constructor(
    private readonly dataSource: DataSource,
    private readonly deliverMail: DeliverMail,
    private readonly digests: GatherDigests,
    @Inject(MAIL_SETTINGS) private readonly settings: MailSettings,
    @Inject(MAIL_WORKER_OPTIONS) options: MailWorkerOptions,
  ) {
    this.connection = redisConnection(options.redisUrl, false);
    this.jobs = new JobQueue<MailJobData>(MAIL_QUEUE, this.connection, options.queuePrefix, {
      attempts: settings.attempts,
      backoff: { type: 'exponential', delay: settings.retryDelayMs },
    });
    this.reconciler = new JobReconciler(this.jobs, new MailJobSource(dataSource));
    this.worker = new DerivedJobWorker<MailJobData>({
      // The handlers are this class's own: the queue is only built when SMTP_URL is set.
      handlers: () => JobHandlers.among(this).for<MailJobData>(MAIL_QUEUE, Object.values(MailJobs)),
      reconciler: this.reconciler,
      pass: () => this.pass(),
      redisUrl: options.redisUrl,
      prefix: options.queuePrefix,
      concurrency: 5,
      dependenciesReady: () => dataSource.query('SELECT 1'),
      passEveryMs: settings.dispatchEveryMs,
    });
  }

  @OnJob(MailJobs['send-mail'])
  sendMail(job: Job<MailJobData>): Promise<DeliveryOutcome> {
    return this.deliverMail.deliver(job.data.deliveryId as string, {
      made: job.attemptsMade,
      max: job.opts.attempts ?? 1,
    });
  }

  @OnJob(MailJobs.digest)
  digest(job: Job<MailJobData>): Promise<unknown> {
    return this.digests.run(job.data.cadence as DigestCadence, job.data.timeZone as string);
  }

  onApplicationBootstrap(): void {
    this.worker.start();
  }

  whenStarted(): Promise<void> {
    return this.worker.whenStarted();
  }

  /** One pass: the digest schedulers, then a job per pending delivery. */
  async pass(): Promise<ReconcileResult> {
    await this.keepDigestSchedulers(this.jobs.queue);
    return this.reconciler.reconcile();
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
    await this.jobs.close().catch(() => undefined);
    this.connection.disconnect();
  }
}
