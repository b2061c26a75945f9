import { migrate, pendingSchemaChanges, serviceDataSourceOptions } from '@nmirf/platform';
import { createTestDatabase, requireInfrastructure, type TestDatabase } from '@nmirf/testing';
import { DataSource } from 'typeorm';
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

  it("removes a recommendation's source snapshots with it, and empties them with a truncation", async () => {
    const dataSource = await new DataSource(serviceDataSourceOptions(options())).initialize();
    try {
      const insert = async (id: string, paragraph: string) => {
        await dataSource.query(
          `INSERT INTO recommendations (id, mechanism, body, document_symbol, paragraph, text, language)
           VALUES ($1, 'upr', 'UPR', 'A/HRC/1/1', $2, 'Ratify the Convention', 'en')`,
          [id, paragraph],
        );
        await dataSource.query(
          `INSERT INTO recommendation_sources (recommendation_id, source, data, content_hash)
           VALUES ($1, 'uhri', '{}', 'h')`,
          [id],
        );
      };
      const snapshots = async () =>
        (await dataSource.query(`SELECT recommendation_id AS id FROM recommendation_sources ORDER BY 1`)).map(
          (row: { id: string }) => row.id,
        );
      const [a, b] = ['00000000-0000-4000-8000-00000000000a', '00000000-0000-4000-8000-00000000000b'];
      await insert(a, '1');
      await insert(b, '2');
      await dataSource.query(`DELETE FROM recommendations WHERE id = $1`, [a]);
      expect(await snapshots()).toEqual([b]);
      await dataSource.query(`TRUNCATE recommendations CASCADE`);
      expect(await snapshots()).toEqual([]);
    } finally {
      await dataSource.destroy();
    }
  });

  it("removes an import's row report with it, and empties the reports with a truncation", async () => {
    const dataSource = await new DataSource(serviceDataSourceOptions(options())).initialize();
    try {
      const insert = async (id: string) => {
        await dataSource.query(
          `INSERT INTO imports (id, format, filename, byte_size, sha256, dry_run, skip_invalid, status)
           VALUES ($1, 'uhri', 'f.xlsx', 1, 'x', false, false, 'applied')`,
          [id],
        );
        await dataSource.query(
          `INSERT INTO import_rows (import_id, row_number, outcome) VALUES ($1, 2, 'created'), ($1, 3, 'created')`,
          [id],
        );
      };
      const reported = async () =>
        (await dataSource.query(`SELECT DISTINCT import_id AS id FROM import_rows`)).map(
          (row: { id: string }) => row.id,
        );
      const [a, b] = ['00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-0000000000b1'];
      await insert(a);
      await insert(b);
      await dataSource.query(`DELETE FROM imports WHERE id = $1`, [a]);
      expect(await reported()).toEqual([b]);
      await dataSource.query(`TRUNCATE imports CASCADE`);
      expect(await reported()).toEqual([]);
    } finally {
      await dataSource.destroy();
    }
  });

  it('migrates again without doing anything', async () => {
    expect(await migrate(options())).toEqual([]);
  });
});
