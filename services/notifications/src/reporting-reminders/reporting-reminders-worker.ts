import { Inject, Injectable } from '@nestjs/common';
import { JobHandlers } from '@nmirf/platform';
import { DataSource } from 'typeorm';
import {
  DEADLINES_WORKER_OPTIONS,
  PostgresBackedWorker,
  type DeadlinesWorkerOptions,
} from '../reminders/deadlines-worker';
import {
  REPORTING_REMINDERS_QUEUE,
  ReportingReminderJobNames,
  type ReportingReminderJobData,
} from './reporting-reminder-jobs';
import { ReportingReminderReconciler } from './reporting-reminder-reconciler';

/** Runs the `reporting-reminders` jobs and their horizon passes, with the deadlines worker's options. */
@Injectable()
export class ReportingRemindersWorker extends PostgresBackedWorker<ReportingReminderJobData> {
  constructor(
    dataSource: DataSource,
    handlers: JobHandlers,
    reconciler: ReportingReminderReconciler,
    @Inject(DEADLINES_WORKER_OPTIONS) options: DeadlinesWorkerOptions,
  ) {
    super(
      REPORTING_REMINDERS_QUEUE,
      Object.values(ReportingReminderJobNames),
      handlers,
      reconciler.jobs,
      dataSource,
      options,
    );
  }
}
