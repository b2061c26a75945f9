import type { OnApplicationShutdown, Provider } from '@nestjs/common';
import { CONFIG, createBlobStore, EventOutbox, JobQueue, REDIS, type BlobStore } from '@nmirf/platform';
import type IORedis from 'ioredis';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { importStorageConfig, type RecommendationsConfig } from '../../config';
import { LinksService } from '../../links/links.service';
import { DetectImportLinks } from './detect-import-links';
import { ImportJobs, IMPORTS_QUEUE, type ImportScheduler } from './import-jobs';
import { RunImport } from './run-import';

/** Where uploaded files wait for the worker: shared by the API and the worker. */
export const IMPORT_STORE = Symbol('IMPORT_STORE');
/** How the API tells the worker an import waits: BullMQ in production, a direct call in tests. */
export const IMPORT_SCHEDULER = Symbol('IMPORT_SCHEDULER');

export const importStoreProvider: Provider = {
  provide: IMPORT_STORE,
  inject: [CONFIG],
  useFactory: (config: RecommendationsConfig): Promise<BlobStore> =>
    createBlobStore(importStorageConfig(config)),
};

class ClosingImportJobs extends ImportJobs implements OnApplicationShutdown {
  onApplicationShutdown(): Promise<void> {
    return this.close();
  }
}

/** The queue on the platform's fail-fast Redis connection: a request never waits for Redis. */
export const importJobsProviders: Provider[] = [
  {
    provide: ImportJobs,
    inject: [REDIS, CONFIG],
    useFactory: (redis: IORedis, config: RecommendationsConfig) =>
      new ClosingImportJobs(new JobQueue(IMPORTS_QUEUE, redis, config.QUEUE_PREFIX)),
  },
  { provide: IMPORT_SCHEDULER, useExisting: ImportJobs },
];

/** The worker's use cases. */
export const importUseCaseProviders: Provider[] = [
  {
    provide: RunImport,
    inject: [DataSource, EventOutbox, IMPORT_STORE, IMPORT_SCHEDULER, CONFIG],
    useFactory: (
      dataSource: DataSource,
      outbox: EventOutbox,
      store: BlobStore,
      scheduler: ImportScheduler,
      config: RecommendationsConfig,
    ) =>
      new RunImport(dataSource, outbox, store, scheduler, {
        workDir: join(config.IMPORT_DIR, 'reading'),
        limits: {
          maxFileBytes: config.IMPORT_MAX_BYTES,
          maxUncompressedBytes: config.IMPORT_MAX_UNCOMPRESSED_BYTES,
        },
        maxAttempts: config.IMPORT_MAX_ATTEMPTS,
      }),
  },
  {
    provide: DetectImportLinks,
    inject: [DataSource, LinksService],
    useFactory: (dataSource: DataSource, links: LinksService) => new DetectImportLinks(dataSource, links),
  },
];
