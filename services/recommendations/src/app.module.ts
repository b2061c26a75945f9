import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@nmirf/platform';
import type { RecommendationsConfig } from './config';
import { entities, migrations, SCHEMA } from './database';
import { RecommendationsController } from './recommendations/recommendations.controller';
import { RecommendationsService } from './recommendations/recommendations.service';

@Module({})
export class AppModule {
  static forRoot(config: RecommendationsConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({ config, schema: SCHEMA, entities, migrations, topics: ['recommendations'] }),
      ],
      controllers: [RecommendationsController],
      providers: [RecommendationsService],
    };
  }
}
