import { DynamicModule, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { PlatformModule } from '@nmirf/platform';
import { ActionEventsHandler } from './action-events/action-events.handler';
import { ActionFollowUp } from './action-events/action-follow-up';
import { CalendarEventsHandler } from './calendar-events/calendar-events.handler';
import { ReportingDeadlineFollowUp } from './calendar-events/reporting-deadline-follow-up';
import { ReportingDeadlinesController } from './calendar-events/reporting-deadlines.controller';
import { ReportingDeadlinesService } from './calendar-events/reporting-deadlines.service';
import { CommentEventsHandler } from './comment-events/comment-events.handler';
import { CommentFollowUp } from './comment-events/comment-follow-up';
import type { NotificationsConfig } from './config';
import { entities, migrations, SCHEMA } from './database';
import { DeadlinesController } from './deadlines/deadlines.controller';
import { DeadlinesService } from './deadlines/deadlines.service';
import { IndicatorEventsHandler } from './indicator-events/indicator-events.handler';
import { IndicatorFollowUp } from './indicator-events/indicator-follow-up';
import { InboxController } from './inbox/inbox.controller';
import { InboxService } from './inbox/inbox.service';
import { PreferencesController } from './preferences/preferences.controller';
import { PreferencesService } from './preferences/preferences.service';
import { ProgressEventsHandler } from './progress-events/progress-events.handler';
import { ProgressFollowUp } from './progress-events/progress-follow-up';
import { InstitutionDirectory } from './recipients/institution-directory';
import { InstitutionEventsHandler } from './recipients/institution-events.handler';
import { RecipientsController } from './recipients/recipients.controller';
import { COORDINATOR_INBOX, RecipientsService } from './recipients/recipients.service';
import { TokenProfileInterceptor } from './recipients/token-profile.interceptor';
import { deadlineQueueProviders } from './reminders/deadline-queue.providers';
import { reportingReminderQueueProviders } from './reporting-reminders/reporting-reminder-queue.providers';
import { WebhooksController } from './webhooks/webhooks.controller';
import { webhookApiProviders } from './webhooks/webhooks.providers';

/** The API process: inbox and deadline endpoints, and the consumer of action events. */
@Module({})
export class AppModule {
  static forRoot(config: NotificationsConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({
          config,
          schema: SCHEMA,
          entities,
          migrations,
          // 'reminders' too: the outbox relay elected in this process may publish the worker's events.
          topics: [
            'actions',
            'reminders',
            'calendar',
            'indicators',
            'comments',
            'progressReports',
            'institutions',
          ],
        }),
      ],
      controllers: [
        ActionEventsHandler,
        InboxController,
        DeadlinesController,
        CalendarEventsHandler,
        ReportingDeadlinesController,
        IndicatorEventsHandler,
        CommentEventsHandler,
        ProgressEventsHandler,
        InstitutionEventsHandler,
        RecipientsController,
        PreferencesController,
        WebhooksController,
      ],
      providers: [
        ActionFollowUp,
        InboxService,
        DeadlinesService,
        ReportingDeadlineFollowUp,
        ReportingDeadlinesService,
        IndicatorFollowUp,
        CommentFollowUp,
        ProgressFollowUp,
        InstitutionDirectory,
        RecipientsService,
        { provide: COORDINATOR_INBOX, useValue: config.COORDINATOR_INSTITUTION },
        PreferencesService,
        // Each signed-in call refreshes the caller's mail profile from the token's claims.
        { provide: APP_INTERCEPTOR, useClass: TokenProfileInterceptor },
        ...deadlineQueueProviders(config),
        ...reportingReminderQueueProviders(config),
        ...webhookApiProviders(config),
      ],
    };
  }
}
