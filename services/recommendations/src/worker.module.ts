import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { JobHandlers, PlatformModule } from '@nmirf/platform';
import type { RecommendationsConfig } from './config';
import { entities, migrations, SCHEMA } from './database';
import {
  importJobsProviders,
  importStoreProvider,
  importUseCaseProviders,
} from './imports/jobs/import-providers';
import { ImportJobHandlers, ImportWorker } from './imports/jobs/import-worker';
import { ScoringPool } from './linking/scoring-pool';
import { LinksService } from './links/links.service';

/**
 * The worker process: runs imports from the import storage and link detection after them; its outbox
 * relay publishes the recommendation events they write. No HTTP.
 */
@Module({})
export class WorkerModule {
  static forRoot(config: RecommendationsConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        PlatformModule.forRoot({ config, schema: SCHEMA, entities, migrations, topics: ['recommendations'] }),
        // The worker finds its @OnJob handlers among the providers.
        DiscoveryModule,
      ],
      providers: [
        JobHandlers,
        importStoreProvider,
        ...importJobsProviders,
        LinksService,
        ScoringPool,
        ...importUseCaseProviders,
        ImportJobHandlers,
        ImportWorker,
      ],
    };
  }
}
