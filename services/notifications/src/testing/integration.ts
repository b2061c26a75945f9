import { migrate, type ServiceDatabaseOptions } from '@nmirf/platform';
import { createTestDatabase, testInfrastructure } from '@nmirf/testing';
import { randomBytes } from 'node:crypto';
import { entities, migrations, SCHEMA } from '../database';

// Integration tests only (excluded from the build).
export const REDIS_URL = testInfrastructure.redisUrl;

export function uniqueName(prefix: string): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}

/** A freshly migrated database of its own for one test file; `drop` removes it. */
export async function createMigratedDatabase(): Promise<{
  options: ServiceDatabaseOptions;
  drop: () => Promise<void>;
}> {
  const database = await createTestDatabase('notif_it');
  const options: ServiceDatabaseOptions = { url: database.url, schema: SCHEMA, entities, migrations };
  await migrate(options);
  return { options, drop: database.drop };
}
