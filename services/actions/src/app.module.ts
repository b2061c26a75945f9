import { DynamicModule, Module } from '@nestjs/common';
import { BLOB_STORE, createBlobStore, PlatformModule } from '@nmirf/platform';
import { ActionCommandsController } from './actions/action-commands.controller';
import { ActionsController } from './actions/actions.controller';
import { ActionsService } from './actions/actions.service';
import { AssessmentsController } from './assessments/assessments.controller';
import { AssessmentsService } from './assessments/assessments.service';
import { CalendarController } from './calendar/calendar.controller';
import { CalendarService } from './calendar/calendar.service';
import { CommentsController } from './comments/comments.controller';
import { CommentsService } from './comments/comments.service';
import { openOnFirstUse } from './assessments/evidence-store';
import type { ActionsConfig } from './config';
import { entities, migrations, SCHEMA } from './database';
import { InstitutionsController } from './institutions/institutions.controller';
import { InstitutionsService } from './institutions/institutions.service';
import { IndicatorsController } from './indicators/indicators.controller';
import { IndicatorsService } from './indicators/indicators.service';
import { ProgressReportsController } from './progress/progress-reports.controller';
import { ProgressReportsService } from './progress/progress-reports.service';
import { ReportPublicationService } from './progress/report-publication';
import { PlansController } from './plans/plans.controller';
import { PlansService } from './plans/plans.service';
import { RecommendationEventsHandler } from './recommendations/recommendation-events.handler';
import { ImplementationStatusController } from './rollup/implementation-status.controller';
import { ImplementationStatusService } from './rollup/implementation-status.service';

@Module({})
export class AppModule {
  static forRoot(config: ActionsConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({
          config,
          schema: SCHEMA,
          entities,
          migrations,
          topics: [
            'actions',
            'recommendations',
            'institutions',
            'implementation',
            'assessments',
            'progressReports',
            'calendar',
            'comments',
            'indicators',
            'plans',
          ],
        }),
      ],
      controllers: [
        ActionsController,
        ActionCommandsController,
        PlansController,
        InstitutionsController,
        AssessmentsController,
        RecommendationEventsHandler,
        ImplementationStatusController,
        ProgressReportsController,
        IndicatorsController,
        CalendarController,
        CommentsController,
      ],
      providers: [
        ActionsService,
        PlansService,
        InstitutionsService,
        ImplementationStatusService,
        AssessmentsService,
        ProgressReportsService,
        ReportPublicationService,
        IndicatorsService,
        CalendarService,
        CommentsService,
        // Evidence files (assessments'): a local directory or an S3-compatible bucket (EVIDENCE_*).
        { provide: BLOB_STORE, useValue: openOnFirstUse(() => createBlobStore(config)) },
      ],
    };
  }
}
