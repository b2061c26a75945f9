import type { Provider } from '@nestjs/common';
import { alertSettings, horizonSettings, type NotificationsConfig } from '../config';
import { ALERT_SETTINGS } from './alert-settings';
import { DeadlineJobQueue } from './deadline-job-queue';
import { DEADLINE_JOB_SCHEDULER } from './deadline-job-scheduler';
import { HORIZON_SETTINGS } from './horizon-settings';

/** The deadlines queue and its settings: the API schedules jobs within the horizon, the worker's passes the rest. */
export function deadlineQueueProviders(config: NotificationsConfig): Provider[] {
  const settings = alertSettings(config);
  const horizon = horizonSettings(config);
  return [
    { provide: ALERT_SETTINGS, useValue: settings },
    { provide: HORIZON_SETTINGS, useValue: horizon },
    {
      provide: DeadlineJobQueue,
      useFactory: () => new DeadlineJobQueue(config.REDIS_URL, config.QUEUE_PREFIX, settings, horizon),
    },
    { provide: DEADLINE_JOB_SCHEDULER, useExisting: DeadlineJobQueue },
  ];
}
