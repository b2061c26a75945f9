import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  DEADLINES_WORKER_OPTIONS,
  PostgresBackedWorker,
  type DeadlinesWorkerOptions,
} from '../reminders/deadlines-worker';
import { REPORTING_REMINDERS_QUEUE, type ReportingReminderJobData } from './reporting-reminder-jobs';
import { ReportingReminderReconciler } from './reporting-reminder-reconciler';
import { ReportingRemindersProcessor } from './reporting-reminders.processor';

/** Runs the `reporting-reminders` jobs and their reconciler, with the deadlines worker's options. */
@Injectable()
export class ReportingRemindersWorker extends PostgresBackedWorker<ReportingReminderJobData> {
  constructor(
    dataSource: DataSource,
    processor: ReportingRemindersProcessor,
    reconciler: ReportingReminderReconciler,
    @Inject(DEADLINES_WORKER_OPTIONS) options: DeadlinesWorkerOptions,
  ) {
    super(
      REPORTING_REMINDERS_QUEUE,
      processor.processors(),
      () => reconciler.reconcile(),
      dataSource,
      options,
    );
  }
}
