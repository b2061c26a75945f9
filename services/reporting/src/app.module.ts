import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@nmirf/platform';
import type { ReportingConfig } from './config';
import { entities, migrations, SCHEMA } from './database';
import { DashboardsController } from './dashboards/dashboards.controller';
import { DashboardsService } from './dashboards/dashboards.service';
import { EscalationCounts } from './dashboards/escalation-counts';
import { EscalationsController } from './dashboards/escalations.controller';
import { ReadModelEventHandlers } from './read-model/event-handlers';
import { ReadModelProjector } from './read-model/projector';
import { reportJobsProvider } from './reports/report-providers';
import { ReportsController } from './reports/reports.controller';
import { ReportsService } from './reports/reports.service';
import { SummaryController } from './summary/summary.controller';
import { SummaryService } from './summary/summary.service';

/** The API process: read model fed by events, dashboard summary, report requests and downloads. */
@Module({})
export class AppModule {
  static forRoot(config: ReportingConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({
          config,
          schema: SCHEMA,
          entities,
          migrations,
          topics: [
            'recommendations',
            'actions',
            'reminders',
            'reports',
            'implementation',
            'plans',
            'progressReports',
            'indicators',
            'assessments',
          ],
        }),
      ],
      controllers: [
        ReadModelEventHandlers,
        SummaryController,
        ReportsController,
        DashboardsController,
        EscalationsController,
      ],
      providers: [
        ReadModelProjector,
        SummaryService,
        ReportsService,
        reportJobsProvider,
        DashboardsService,
        EscalationCounts,
      ],
    };
  }
}
