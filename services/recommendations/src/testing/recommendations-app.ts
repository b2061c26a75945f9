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
  /** Uploads a file (path or bytes) to POST /imports and returns status and body. */
  upload(
    file: string | { name: string; bytes: Buffer },
    fields?: Record<string, string>,
  ): Promise<{ status: number; body: any }>;
  /** GET a path of the API, as JSON. */
  get(path: string): Promise<any>;
  /** Resolves once no link detection started by an import is still running. */
  linksSettled(): Promise<void>;
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
    ...overrides,
  } as RecommendationsConfig;
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
    ],
  }).compile();
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
      for (const [key, value] of Object.entries({ wait: 'true', ...fields })) form.append(key, value);
      const response = await fetch(`${base}/imports`, { method: 'POST', body: form });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : undefined };
    },
    get: (path) => fetch(`${base}${path}`).then((response) => response.json()),
    linksSettled: () =>
      waitFor('link detection after imports', async () => {
        const running = await dataSource.query(`SELECT 1 FROM imports WHERE links_status = 'running'`);
        return running.length === 0;
      }).then(() => undefined),
    events: () => dataSource.query(`SELECT event_type AS type, message_key AS key FROM outbox ORDER BY seq`),
    async count(sql, params = []) {
      const [row] = await dataSource.query(`SELECT count(*)::int AS n FROM (${sql}) q`, params);
      return row.n;
    },
    async close() {
      await app.close();
      if (dataSource.isInitialized) await dataSource.destroy();
      await database.drop();
      await rm(importDir, { recursive: true, force: true });
    },
  };
}
