import { DynamicModule, Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { PlatformModule } from '@nmirf/platform';
import { ClustersController } from './clusters/clusters.controller';
import { ClustersService } from './clusters/clusters.service';
import type { RecommendationsConfig } from './config';
import { entities, migrations, SCHEMA } from './database';
import { ImplementationEventsHandler } from './implementation/implementation-events.handler';
import { ImportsController } from './imports/http/imports.controller';
import { importJobsProviders, importStoreProvider } from './imports/jobs/import-providers';
import { ImportsService } from './imports/http/imports.service';
import { LinksController } from './links/links.controller';
import { ScoringPool } from './linking/scoring-pool';
import { LinksService } from './links/links.service';
import { PublicationController } from './publication/publication.controller';
import { PublicationService } from './publication/publication.service';
import { RecommendationsController } from './recommendations/recommendations.controller';
import { RecommendationsService } from './recommendations/recommendations.service';
import { SearchService } from './search/search.service';
import { TaxonomyModule } from './taxonomy/taxonomy.module';

/** The service's HTTP surface and use cases, also mounted as they are by the integration tests. */
export const recommendationsControllers = [
  ImportsController,
  RecommendationsController,
  PublicationController,
  LinksController,
  ClustersController,
];
export const recommendationsProviders = [
  RecommendationsService,
  PublicationService,
  SearchService,
  ImportsService,
  LinksService,
  ScoringPool,
  ClustersService,
];

@Module({})
export class AppModule {
  static forRoot(config: RecommendationsConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({
          config,
          schema: SCHEMA,
          entities,
          migrations,
          topics: ['recommendations', 'implementation'],
        }),
        MulterModule.register({
          dest: config.IMPORT_DIR,
          limits: { fileSize: config.IMPORT_MAX_BYTES, files: 1, fields: 20, fieldSize: 10_000 },
        }),
        TaxonomyModule,
      ],
      controllers: [...recommendationsControllers, ImplementationEventsHandler],
      // Imports are queued here and run by the worker (worker.ts).
      providers: [...recommendationsProviders, importStoreProvider, ...importJobsProviders],
    };
  }
}
