// Test-only (excluded from the build): the recommendations HTTP API on a migrated database of its own,
// with the real outbox (events are read back from its table) and without Kafka or Redis.
import type { INestApplication } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import {
  applyHttpConventions,
  applyHttpHardening,
  CONFIG,
  EventOutbox,
  migrate,
  serviceDataSourceOptions,
  type Principal,
} from '@nmirf/platform';
import {
  awaitImport,
  createTestDatabase,
  repoRoot,
  requireInfrastructure,
  waitFor,
  type TestDatabase,
} from '@nmirf/testing';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { DataSource } from 'typeorm';
import type { RecommendationsConfig } from '../config';
import { entities, migrations, SCHEMA } from '../database';
import { recommendationsControllers, recommendationsProviders } from '../app.module';
import { DetectImportLinks } from '../imports/jobs/detect-import-links';
import type { ImportScheduler } from '../imports/jobs/import-jobs';
import {
  IMPORT_SCHEDULER,
  importStoreProvider,
  importUseCaseProviders,
} from '../imports/jobs/import-providers';
import { RunImport } from '../imports/jobs/run-import';
import { TaxonomyModule } from '../taxonomy/taxonomy.module';

/** The real UN files the demo seed imports (see infra/seed/slovenia/NOTICE.md). */
export const SAMPLE_DATA = join(repoRoot, 'infra', 'seed', 'slovenia');
export const UHRI_SAMPLE = join(SAMPLE_DATA, 'uhri-export-sample-slovenia-c2c3.xlsx');
export const MATRIX_CYCLE2 = join(SAMPLE_DATA, 'slovenia-upr20-cycle2-A_HRC_28_15.docx');
export const MATRIX_CYCLE3 = join(SAMPLE_DATA, 'slovenia-upr34-cycle3-A_HRC_43_15.docx');

export const TEST_COORDINATOR: Principal = {
  subject: 'coordinator-1',
  name: 'Test Coordinator',
  kind: 'user',
  roles: new Set(['coordinator']),
  institutions: ['NMIRF Secretariat'],
  scopes: new Set(),
};

const ANONYMOUS_HEADER = 'x-test-anonymous';
/** Headers that make a request to the test app anonymous. */
export const ANONYMOUS = { [ANONYMOUS_HEADER]: '1' };

export interface RecommendationsApp {
  base: string;
  dataSource: DataSource;
  /**
   * Uploads a file (path or bytes) to POST /imports and returns its answer's status (202, or the 4xx
   * that refused it) and, once the job has run, the import as GET /imports/{id} shows it.
   */
  upload(
    file: string | { name: string; bytes: Buffer },
    fields?: Record<string, string>,
  ): Promise<{ status: number; body: any }>;
  /** GET a path of the API, as JSON. */
  get(path: string): Promise<any>;
  /** Resolves once no link detection started by an import is still running. */
  linksSettled(): Promise<void>;
  /** What the worker would do with the imports queue, run in this process instead. */
  jobs: InProcessImportJobs;
  /** Where uploads are stored (IMPORT_STORAGE_DIR). */
  importStorageDir: string;
  /** Events in the outbox, oldest first. */
  events(): Promise<{ type: string; key: string }[]>;
  count(sql: string, params?: unknown[]): Promise<number>;
  close(): Promise<void>;
}

export async function startRecommendationsApp(
  overrides: Partial<RecommendationsConfig> = {},
): Promise<RecommendationsApp> {
  await requireInfrastructure('postgres');
  const database: TestDatabase = await createTestDatabase('rec_it');
  const options = { url: database.url, schema: SCHEMA, entities, migrations, poolSize: 6 };
  await migrate(options);
  const dataSource = await new DataSource(serviceDataSourceOptions(options)).initialize();
  const importDir = await mkdtemp(join(tmpdir(), 'rec-it-'));
  const config = {
    SERVICE_NAME: 'recommendations',
    DATABASE_URL: database.url,
    KAFKA_TOPIC_PREFIX: '',
    IMPORT_DIR: importDir,
    IMPORT_MAX_BYTES: 50 * 1024 * 1024,
    IMPORT_MAX_UNCOMPRESSED_BYTES: 1024 * 1024 * 1024,
    IMPORT_STORAGE: 'local',
    IMPORT_STORAGE_DIR: join(importDir, 'storage'),
    IMPORT_MAX_ATTEMPTS: 3,
    IMPORT_LOCK_MS: 10_000,
    ...overrides,
  } as RecommendationsConfig;
  const jobs = new InProcessImportJobs();
  const module = await Test.createTestingModule({
    imports: [
      MulterModule.register({ dest: importDir, limits: { fileSize: config.IMPORT_MAX_BYTES, files: 1 } }),
      TaxonomyModule,
    ],
    controllers: recommendationsControllers,
    providers: [
      ...recommendationsProviders,
      { provide: DataSource, useValue: dataSource },
      { provide: EventOutbox, useValue: new EventOutbox('recommendations', '', `outbox_${SCHEMA}`) },
      { provide: CONFIG, useValue: config },
      importStoreProvider,
      { provide: IMPORT_SCHEDULER, useValue: jobs },
      ...importUseCaseProviders,
    ],
  }).compile();
  jobs.runImport = module.get(RunImport);
  jobs.detectLinks = module.get(DetectImportLinks);
  const app: INestApplication = module.createNestApplication({ logger: false });
  // Authentication is tested on the real provider elsewhere; here every request is the demo coordinator,
  // except those sent with `ANONYMOUS` headers, which carry no principal (an anonymous reader).
  app.use(
    (
      request: { principal?: Principal; headers: Record<string, unknown> },
      _response: unknown,
      next: () => void,
    ) => {
      if (request.headers[ANONYMOUS_HEADER] === undefined) request.principal = TEST_COORDINATOR;
      next();
    },
  );
  applyHttpHardening(app);
  applyHttpConventions(app);
  await app.listen(0, '127.0.0.1');
  const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');

  return {
    base,
    dataSource,
    async upload(file, fields = {}) {
      const form = new FormData();
      const { name, bytes } =
        typeof file === 'string' ? { name: basename(file), bytes: await readFile(file) } : file;
      form.append('file', new Blob([bytes]), name);
      for (const [key, value] of Object.entries(fields)) form.append(key, value);
      const response = await fetch(`${base}/imports`, { method: 'POST', body: form });
      const text = await response.text();
      const body = text ? JSON.parse(text) : undefined;
      if (response.status !== 202) return { status: response.status, body };
      return { status: response.status, body: await awaitImport(base, body.id) };
    },
    get: (path) => fetch(`${base}${path}`).then((response) => response.json()),
    linksSettled: () =>
      waitFor('link detection after imports', async () => {
        const running = await dataSource.query(
          `SELECT 1 FROM imports WHERE links_status IN ('queued', 'running')`,
        );
        return running.length === 0 && jobs.idle;
      }).then(() => undefined),
    events: () => dataSource.query(`SELECT event_type AS type, message_key AS key FROM outbox ORDER BY seq`),
    async count(sql, params = []) {
      const [row] = await dataSource.query(`SELECT count(*)::int AS n FROM (${sql}) q`, params);
      return row.n;
    },
    jobs,
    importStorageDir: config.IMPORT_STORAGE_DIR,
    async close() {
      await jobs.settled();
      await app.close();
      if (dataSource.isInitialized) await dataSource.destroy();
      await database.drop();
      await rm(importDir, { recursive: true, force: true });
    },
  };
}

/**
 * The imports queue without Redis: each queued job runs at once in this process, as the worker would
 * run it (the worker process itself is tested end to end).
 */
export class InProcessImportJobs implements ImportScheduler {
  runImport?: RunImport;
  detectLinks?: DetectImportLinks;
  private readonly running = new Set<Promise<void>>();

  get idle(): boolean {
    return this.running.size === 0;
  }

  /** While held, queued imports wait (as with no worker running) until `release`. */
  held = false;
  private readonly waiting: string[] = [];

  async importQueued(importId: string): Promise<void> {
    if (this.held) this.waiting.push(importId);
    else this.track(() => this.runImport?.run(importId));
  }

  release(): void {
    this.held = false;
    for (const importId of this.waiting.splice(0)) this.track(() => this.runImport?.run(importId));
  }

  async linksQueued(importId: string): Promise<void> {
    this.track(() => this.detectLinks?.run(importId));
  }

  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  private track(job: () => Promise<void> | undefined): void {
    const done: Promise<void> = Promise.resolve()
      .then(job)
      .catch((error: unknown) => {
        // A job that throws is retried by BullMQ; here the test sees the import left unfinished.
        process.stderr.write(`import job failed: ${String(error)}\n`);
      })
      .finally(() => this.running.delete(done));
    this.running.add(done);
  }
}
