import { migrate, serviceDataSourceOptions } from '@nmirf/platform';
import { createTestDatabase, requireInfrastructure } from '@nmirf/testing';
import { DataSource } from 'typeorm';
import { entities, migrations, SCHEMA } from '../database';

/** A database of its own with this service's migrations run, and a DataSource on it. */
export interface MigratedDatabase {
  dataSource: DataSource;
  /** Closes the DataSource and drops the database. */
  drop(): Promise<void>;
}

export async function migratedDatabase(name: string): Promise<MigratedDatabase> {
  await requireInfrastructure('postgres');
  const database = await createTestDatabase(`${SCHEMA}_${name}`);
  const options = { url: database.url, schema: SCHEMA, entities, migrations };
  await migrate(options);
  const dataSource = await new DataSource(serviceDataSourceOptions(options)).initialize();
  return {
    dataSource,
    drop: async () => {
      await dataSource.destroy();
      await database.drop();
    },
  };
}
