import { migrate, pendingSchemaChanges } from '@nmirf/platform';
import { createTestDatabase, requireInfrastructure, type TestDatabase } from '@nmirf/testing';
import { entities, migrations, SCHEMA } from './database';

describe(`${SCHEMA} schema`, () => {
  let database: TestDatabase;
  const options = () => ({ url: database.url, schema: SCHEMA, entities, migrations });

  beforeAll(async () => {
    await requireInfrastructure('postgres');
    database = await createTestDatabase(`${SCHEMA}_it`);
    await migrate(options());
  }, 30_000);
  afterAll(() => database?.drop());

  it('has migrations that match the entities exactly', async () => {
    expect(await pendingSchemaChanges(options())).toEqual([]);
  });

  it('migrates again without doing anything', async () => {
    expect(await migrate(options())).toEqual([]);
  });
});
