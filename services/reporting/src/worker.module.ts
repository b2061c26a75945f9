import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { JobHandlers, PlatformModule } from '@nmirf/platform';
import type { ReportingConfig } from './config';
import { entities, migrations, SCHEMA } from './database';
import {
  pdfPrinterProvider,
  reportCompilerProvider,
  reportJobsProvider,
  reportReconcilerProvider,
} from './reports/report-providers';
import { CompileReportHandler, ReportWorker } from './reports/report-worker';

/** The worker process: compiles reports; its outbox relay publishes ReportCompiled. */
@Module({})
export class WorkerModule {
  static forRoot(config: ReportingConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        PlatformModule.forRoot({ config, schema: SCHEMA, entities, migrations, topics: ['reports'] }),
        // The worker finds its @OnJob handlers among the providers.
        DiscoveryModule,
      ],
      providers: [
        JobHandlers,
        CompileReportHandler,
        reportJobsProvider,
        pdfPrinterProvider,
        reportCompilerProvider,
        reportReconcilerProvider,
        ReportWorker,
      ],
    };
  }
}
