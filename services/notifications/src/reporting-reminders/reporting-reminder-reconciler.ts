import { Inject, Injectable, Optional } from '@nestjs/common';
import { JobReconciler, newCorrelationId, runWithContext, type ReconcileResult } from '@nmirf/platform';
import { DataSource } from 'typeorm';
import { ALERT_SETTINGS, type AlertSettings } from '../reminders/alert-settings';
import { DEFAULT_HORIZON, HORIZON_SETTINGS, type HorizonSettings } from '../reminders/horizon-settings';
import type { ReportingReminderJobData } from './reporting-reminder-jobs';
import { ReportingReminderQueue } from './reporting-reminder-queue';
import { ReportingReminderSource } from './reporting-reminder-source';

/**
 * The horizon pass of the `reporting-reminders` queue: the platform's reconciler over open
 * reporting deadlines and indicators. Jobs due within REMINDER_HORIZON go to Redis (minus what was
 * sent); pending jobs of closed or moved deadlines go. Redis can then be lost, or an after-commit
 * reschedule fail, without a reminder going missing or going out for the wrong day.
 */
@Injectable()
export class ReportingReminderReconciler {
  readonly jobs: JobReconciler<ReportingReminderJobData>;

  constructor(
    dataSource: DataSource,
    queue: ReportingReminderQueue,
    @Inject(ALERT_SETTINGS) settings: AlertSettings,
    @Optional() @Inject(HORIZON_SETTINGS) horizon: HorizonSettings = DEFAULT_HORIZON,
  ) {
    const source = new ReportingReminderSource(dataSource, settings, horizon);
    this.jobs = new JobReconciler(queue.jobs, source, { horizonMs: horizon.horizonSeconds * 1_000 });
  }

  reconcile(now: Date = new Date()): Promise<ReconcileResult> {
    const correlationId = newCorrelationId();
    return runWithContext(
      {
        correlationId,
        causationId: correlationId,
        actor: { kind: 'system', id: 'reporting-reminder-reconciler' },
      },
      () => this.jobs.reconcile(now),
    );
  }
}
