import type { Provider } from '@nestjs/common';
import { alertSettings, type NotificationsConfig } from '../config';
import { ALERT_SETTINGS } from './alert-settings';
import { DeadlineJobQueue } from './deadline-job-queue';
import { DEADLINE_JOB_SCHEDULER } from './deadline-job-scheduler';

/** The deadlines queue and its settings: the API schedules jobs on it, the worker also restores them. */
export function deadlineQueueProviders(config: NotificationsConfig): Provider[] {
  const settings = alertSettings(config);
  return [
    { provide: ALERT_SETTINGS, useValue: settings },
    {
      provide: DeadlineJobQueue,
      useFactory: () => new DeadlineJobQueue(config.REDIS_URL, config.QUEUE_PREFIX, settings),
    },
    { provide: DEADLINE_JOB_SCHEDULER, useExisting: DeadlineJobQueue },
  ];
}
