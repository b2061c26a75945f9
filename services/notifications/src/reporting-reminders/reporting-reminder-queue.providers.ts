import type { Provider } from '@nestjs/common';
import { alertSettings, type NotificationsConfig } from '../config';
import { ReportingReminderQueue } from './reporting-reminder-queue';
import { REPORTING_REMINDER_SCHEDULER } from './reporting-reminder-scheduler';

/** The reporting-reminders queue: the API schedules jobs on it after each commit, the worker also restores them. */
export function reportingReminderQueueProviders(config: NotificationsConfig): Provider[] {
  return [
    {
      provide: ReportingReminderQueue,
      useFactory: () =>
        new ReportingReminderQueue(config.REDIS_URL, config.QUEUE_PREFIX, alertSettings(config)),
    },
    { provide: REPORTING_REMINDER_SCHEDULER, useExisting: ReportingReminderQueue },
  ];
}
