// Test-only (excluded from the build): a migrated database of its own, a reports folder and
// envelopes to feed the projector, for the integration tests of this service.
import { buildEnvelope, type EventCase, type PayloadInit } from '@nmirf/contracts';
import { EventOutbox, migrate, serviceDataSourceOptions } from '@nmirf/platform';
import {
  createTestDatabase,
  requireInfrastructure,
  testInfrastructure,
  type TestDatabase,
} from '@nmirf/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import type { ReportingConfig } from '../config';
import { entities, migrations, SCHEMA } from '../database';
import { ReadModelProjector } from '../read-model/projector';

export interface ReportingFixture {
  database: TestDatabase;
  dataSource: DataSource;
  outbox: EventOutbox;
  reportsDir: string;
  config: ReportingConfig;
  /** Applies one event as the consumer would: in a transaction of its own. */
  feed<C extends EventCase>(
    payloadCase: C,
    aggregateId: string,
    payload: PayloadInit<C>,
    occurredAt?: Date,
  ): Promise<void>;
  close(): Promise<void>;
}

export async function startReportingFixture(): Promise<ReportingFixture> {
  await requireInfrastructure('postgres', 'redis');
  const database = await createTestDatabase('rep_it');
  await migrate({ url: database.url, schema: SCHEMA, entities, migrations });
  const dataSource = await new DataSource(
    serviceDataSourceOptions({ url: database.url, schema: SCHEMA, entities, migrations, poolSize: 4 }),
  ).initialize();
  const reportsDir = await mkdtemp(join(tmpdir(), 'rep-it-'));
  const config = {
    SERVICE_NAME: 'reporting',
    DATABASE_URL: database.url,
    REDIS_URL: testInfrastructure.redisUrl,
    KAFKA_TOPIC_PREFIX: '',
    REPORTS_DIR: reportsDir,
    QUEUE_PREFIX: `rep-it-${randomBytes(4).toString('hex')}`,
    REPORT_CONCURRENCY: 2,
    REPORTS_RECONCILE_MS: 60_000,
  } as ReportingConfig;
  const outbox = new EventOutbox('reporting', '', `outbox_${SCHEMA}`);
  const projector = new ReadModelProjector();
  return {
    database,
    dataSource,
    outbox,
    reportsDir,
    config,
    feed: (payloadCase, aggregateId, payload, occurredAt = new Date()) =>
      dataSource.transaction((manager) =>
        projector.apply(
          manager,
          buildEnvelope({
            eventId: randomUUID(),
            case: payloadCase,
            payload,
            aggregateId,
            occurredAt,
            correlationId: randomUUID(),
            causationId: randomUUID(),
            actor: { kind: 'service', id: 'test' },
          }),
        ),
      ),
    close: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      await database.drop();
      await rm(reportsDir, { recursive: true, force: true });
    },
  };
}
