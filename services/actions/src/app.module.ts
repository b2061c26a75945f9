import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@nmirf/platform';
import { ActionsController } from './actions/actions.controller';
import { ActionsService } from './actions/actions.service';
import type { ActionsConfig } from './config';
import { entities, migrations, SCHEMA } from './database';
import { RecommendationEventsHandler } from './recommendations/recommendation-events.handler';

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
          topics: ['actions', 'recommendations'],
        }),
      ],
      controllers: [ActionsController, RecommendationEventsHandler],
      providers: [ActionsService],
    };
  }
}
