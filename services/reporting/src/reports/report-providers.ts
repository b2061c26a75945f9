import {
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type Provider,
} from '@nestjs/common';
import { CONFIG, EventOutbox, JobQueue, REDIS } from '@nmirf/platform';
import type IORedis from 'ioredis';
import { DataSource } from 'typeorm';
import type { ReportingConfig } from '../config';
import { PdfPrinter } from '../documents/pdf-printer';
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

/**
 * The worker's Chromium, started with a warm tab when the worker starts (in the background: a
 * report that comes first waits for it) and closed on shutdown. If it cannot start, the first PDF
 * tries again and fails with the reason.
 */
export class ManagedPdfPrinter extends PdfPrinter implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PdfPrinter.name);

  onApplicationBootstrap(): void {
    this.start().catch((error: unknown) =>
      this.logger.warn({ msg: 'Chromium did not start; the first PDF tries again', error: String(error) }),
    );
  }

  onApplicationShutdown(): Promise<void> {
    return this.close();
  }
}

export const pdfPrinterProvider: Provider = {
  provide: PdfPrinter,
  inject: [CONFIG],
  useFactory: (config: ReportingConfig) => new ManagedPdfPrinter(config.CHROMIUM_PATH),
};

export const reportCompilerProvider: Provider = {
  provide: ReportCompiler,
  inject: [DataSource, EventOutbox, CONFIG, PdfPrinter],
  useFactory: (dataSource: DataSource, outbox: EventOutbox, config: ReportingConfig, pdf: PdfPrinter) =>
    new ReportCompiler(dataSource, outbox, config.REPORTS_DIR, {
      pdf,
      retentionDays: config.REPORT_RETENTION_DAYS,
    }),
};

export const reportReconcilerProvider: Provider = {
  provide: ReportReconciler,
  inject: [DataSource, ReportJobs, CONFIG],
  useFactory: (dataSource: DataSource, jobs: ReportJobs, config: ReportingConfig) =>
    new ReportReconciler(dataSource, jobs, config.REPORTS_DIR),
};
