import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { JobHandlers, PlatformModule } from '@nmirf/platform';
import type { WorkerConfig } from './config';
import { entities, migrations, SCHEMA } from './database';
import { mailWorkerProviders } from './email/mail.providers';
import { DeadlineAlerts } from './reminders/deadline-alerts';
import { deadlineQueueProviders } from './reminders/deadline-queue.providers';
import { DeadlineRemindersProcessor } from './reminders/deadline-reminders.processor';
import {
  DEADLINES_WORKER_OPTIONS,
  DeadlinesWorker,
  type DeadlinesWorkerOptions,
} from './reminders/deadlines-worker';
import { ReminderReconciler } from './reminders/reminder-reconciler';
import { ReportingReminderAlerts } from './reporting-reminders/reporting-reminder-alerts';
import { reportingReminderQueueProviders } from './reporting-reminders/reporting-reminder-queue.providers';
import { ReportingReminderReconciler } from './reporting-reminders/reporting-reminder-reconciler';
import { ReportingRemindersProcessor } from './reporting-reminders/reporting-reminders.processor';
import { ReportingRemindersWorker } from './reporting-reminders/reporting-reminders-worker';
import { webhookWorkerProviders } from './webhooks/webhooks.providers';

/**
 * The worker process: sends reminders and escalations of actions, and reminders of reporting
 * deadlines and indicators, when they fall due; mails and digests; no HTTP.
 */
@Module({})
export class WorkerModule {
  static forRoot(config: WorkerConfig): DynamicModule {
    const options: DeadlinesWorkerOptions = {
      redisUrl: config.REDIS_URL,
      queuePrefix: config.QUEUE_PREFIX,
      reconcileIntervalMs: config.RECONCILE_INTERVAL * 1_000,
      concurrency: config.REMINDER_CONCURRENCY,
    };
    return {
      module: WorkerModule,
      // DeadlineReminderSent events leave through this process's outbox relay.
      imports: [
        PlatformModule.forRoot({ config, schema: SCHEMA, entities, migrations, topics: ['reminders'] }),
        // The workers find their @OnJob handlers among the providers.
        DiscoveryModule,
      ],
      providers: [
        JobHandlers,
        ...deadlineQueueProviders(config),
        { provide: DEADLINES_WORKER_OPTIONS, useValue: options },
        DeadlineAlerts,
        DeadlineRemindersProcessor,
        ReminderReconciler,
        DeadlinesWorker,
        ...reportingReminderQueueProviders(config),
        ReportingReminderAlerts,
        ReportingRemindersProcessor,
        ReportingReminderReconciler,
        ReportingRemindersWorker,
        // Mails and digests, when SMTP_URL is set.
        ...mailWorkerProviders(config),
        // Events pushed to webhook subscribers, signed; retried, and replayed on request.
        ...webhookWorkerProviders(config),
      ],
    };
  }
}
