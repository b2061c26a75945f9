import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@nmirf/platform';
import type { ReportingConfig } from './config';
import { entities, migrations, SCHEMA } from './database';
import {
  pdfPrinterProvider,
  reportCompilerProvider,
  reportJobsProvider,
  reportReconcilerProvider,
} from './reports/report-providers';
import { ReportWorker } from './reports/report-worker';

/** The worker process: compiles reports; its outbox relay publishes ReportCompiled. */
@Module({})
export class WorkerModule {
  static forRoot(config: ReportingConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        PlatformModule.forRoot({ config, schema: SCHEMA, entities, migrations, topics: ['reports'] }),
      ],
      providers: [
        reportJobsProvider,
        pdfPrinterProvider,
        reportCompilerProvider,
        reportReconcilerProvider,
        ReportWorker,
      ],
    };
  }
}
