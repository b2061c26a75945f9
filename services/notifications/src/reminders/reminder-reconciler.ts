import { Inject, Injectable, Optional } from '@nestjs/common';
import { JobReconciler, newCorrelationId, runWithContext, type ReconcileResult } from '@nmirf/platform';
import { DataSource } from 'typeorm';
import { ALERT_SETTINGS, type AlertSettings } from './alert-settings';
import { DeadlineJobQueue } from './deadline-job-queue';
import { DeadlineJobSource } from './deadline-job-source';
import type { DeadlineJobData } from './deadline-jobs';
import { DEFAULT_HORIZON, HORIZON_SETTINGS, type HorizonSettings } from './horizon-settings';

/**
 * The horizon pass of the `deadlines` queue: the platform's reconciler over DeadlineJobSource. Puts
 * in Redis every reminder and escalation due within REMINDER_HORIZON, moves or removes the jobs of
 * deadlines changed or closed since, and rebuilds the horizon after Redis lost it.
 */
@Injectable()
export class ReminderReconciler {
  readonly jobs: JobReconciler<DeadlineJobData>;

  constructor(
    dataSource: DataSource,
    queue: DeadlineJobQueue,
    @Inject(ALERT_SETTINGS) settings: AlertSettings,
    @Optional() @Inject(HORIZON_SETTINGS) horizon: HorizonSettings = DEFAULT_HORIZON,
  ) {
    const source = new DeadlineJobSource(dataSource, settings, horizon);
    this.jobs = new JobReconciler(queue.jobs, source, { horizonMs: horizon.horizonSeconds * 1_000 });
  }

  reconcile(now: Date = new Date()): Promise<ReconcileResult> {
    const correlationId = newCorrelationId();
    return runWithContext(
      { correlationId, causationId: correlationId, actor: { kind: 'system', id: 'reminder-reconciler' } },
      () => this.jobs.reconcile(now),
    );
  }
}
