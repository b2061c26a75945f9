import type { Provider } from '@nestjs/common';
import { alertSettings, horizonSettings, type NotificationsConfig } from '../config';
import { ReportingReminderQueue } from './reporting-reminder-queue';
import { REPORTING_REMINDER_SCHEDULER } from './reporting-reminder-scheduler';

/** The reporting-reminders queue: the API schedules jobs on it after each commit, the worker's horizon passes the rest. */
export function reportingReminderQueueProviders(config: NotificationsConfig): Provider[] {
  return [
    {
      provide: ReportingReminderQueue,
      useFactory: () =>
        new ReportingReminderQueue(
          config.REDIS_URL,
          config.QUEUE_PREFIX,
          alertSettings(config),
          horizonSettings(config),
        ),
    },
    { provide: REPORTING_REMINDER_SCHEDULER, useExisting: ReportingReminderQueue },
  ];
}
