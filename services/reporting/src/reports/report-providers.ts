import type { Provider } from '@nestjs/common';
import { CONFIG, EventOutbox, JobQueue, REDIS } from '@nmirf/platform';
import type IORedis from 'ioredis';
import { DataSource } from 'typeorm';
import type { ReportingConfig } from '../config';
import { ReportCompiler } from './report-compiler';
import { ReportJobs, REPORTS_QUEUE } from './report-jobs';
import { ReportReconciler } from './report-reconciler';

/** The queue on the platform's fail-fast Redis connection: a request never waits for Redis. */
export const reportJobsProvider: Provider = {
  provide: ReportJobs,
  inject: [REDIS, CONFIG],
  useFactory: (redis: IORedis, config: ReportingConfig) =>
    new ReportJobs(new JobQueue(REPORTS_QUEUE, redis, config.QUEUE_PREFIX)),
};

export const reportCompilerProvider: Provider = {
  provide: ReportCompiler,
  inject: [DataSource, EventOutbox, CONFIG],
  useFactory: (dataSource: DataSource, outbox: EventOutbox, config: ReportingConfig) =>
    new ReportCompiler(dataSource, outbox, config.REPORTS_DIR),
};

export const reportReconcilerProvider: Provider = {
  provide: ReportReconciler,
  inject: [DataSource, ReportJobs],
  useFactory: (dataSource: DataSource, jobs: ReportJobs) => new ReportReconciler(dataSource, jobs),
};
