import { OnApplicationShutdown } from '@nestjs/common';
import { JobQueue, redisConnection } from '@nmirf/platform';
import type IORedis from 'ioredis';
import { WebhookJobNames, webhookJobId, WEBHOOKS_QUEUE, type WebhookJobData } from './webhook-jobs';

/** A delivery attempt to run at a given time; what PostgreSQL says is pending. */
export interface PlannedAttempt {
  deliveryId: string;
  /** The attempt to make, from 1. */
  attempt: number;
  at: Date;
}

/** The `webhooks` BullMQ queue: each attempt of each delivery waits here for its moment. */
export class WebhookJobQueue implements OnApplicationShutdown {
  readonly jobs: JobQueue<WebhookJobData>;
  private readonly connection: IORedis;

  constructor(redisUrl: string, prefix: string) {
    this.connection = redisConnection(redisUrl, false);
    // The delivery's own schedule is the retry: a job that throws is not run again by BullMQ on top
    // of it; its delivery stays pending and the next pass plans the attempt again.
    this.jobs = new JobQueue<WebhookJobData>(WEBHOOKS_QUEUE, this.connection, prefix, { attempts: 1 });
  }

  async schedule(attempts: PlannedAttempt[], correlationId: string, now = new Date()): Promise<void> {
    for (const { deliveryId, attempt, at } of attempts) {
      await this.jobs.ensure(
        WebhookJobNames['webhook-delivery'],
        webhookJobId(deliveryId, attempt),
        { deliveryId, attempt, correlationId },
        at.getTime() - now.getTime(),
      );
    }
  }

  /** Runs the attempt now, in place of a retry of it waiting for its moment (a replay). */
  async runNow({ deliveryId, attempt }: Omit<PlannedAttempt, 'at'>, correlationId: string): Promise<void> {
    await this.jobs.reschedule(
      WebhookJobNames['webhook-delivery'],
      webhookJobId(deliveryId, attempt),
      { deliveryId, attempt, correlationId },
      0,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.jobs.close().catch(() => undefined);
    this.connection.disconnect();
  }
}
