import { pendingSchemaChanges, type ServiceDatabaseOptions } from '@nmirf/platform';
import { createMigratedDatabase } from './testing/integration';

describe('notifications schema', () => {
  let database: { options: ServiceDatabaseOptions; drop: () => Promise<void> };

  beforeAll(async () => {
    database = await createMigratedDatabase();
  }, 30_000);
  afterAll(() => database?.drop());

  it('matches the entities exactly, so the migration is complete', async () => {
    expect(await pendingSchemaChanges(database.options)).toEqual([]);
  });
});
