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

  // Foreign keys replaced by triggers (migration 1767000001300): children go with their parent.
  const children = [
    {
      name: "a recommendation's source snapshots",
      parent: 'recommendations',
      child: 'recommendation_sources',
      column: 'recommendation_id',
      insert: [
        `INSERT INTO recommendations (id, mechanism, body, document_symbol, paragraph, text, language)
         VALUES ($1::uuid, 'upr', 'UPR', 'A/HRC/1/1', $1::uuid::text, 'Ratify the Convention', 'en')`,
        `INSERT INTO recommendation_sources (recommendation_id, source, data, content_hash)
         VALUES ($1, 'uhri', '{}', 'h')`,
      ],
    },
    {
      name: "an import's row report",
      parent: 'imports',
      child: 'import_rows',
      column: 'import_id',
      insert: [
        `INSERT INTO imports (id, format, filename, byte_size, sha256, dry_run, skip_invalid, status)
         VALUES ($1, 'uhri', 'f.xlsx', 1, 'x', false, false, 'applied')`,
        `INSERT INTO import_rows (import_id, row_number, outcome) VALUES ($1, 2, 'created'), ($1, 3, 'created')`,
      ],
    },
  ];
  it.each(children)('removes $name with it, and empties them with a truncation', async (table) => {
    const dataSource = await new DataSource(serviceDataSourceOptions(options())).initialize();
    try {
      const [a, b] = ['00000000-0000-4000-8000-00000000000a', '00000000-0000-4000-8000-00000000000b'];
      for (const id of [a, b]) for (const sql of table.insert) await dataSource.query(sql, [id]);
      const parents = async () =>
        (await dataSource.query(`SELECT DISTINCT ${table.column} AS id FROM ${table.child}`)).map(
          (row: { id: string }) => row.id,
        );
      await dataSource.query(`DELETE FROM ${table.parent} WHERE id = $1`, [a]);
      expect(await parents()).toEqual([b]);
      await dataSource.query(`TRUNCATE ${table.parent} CASCADE`);
      expect(await parents()).toEqual([]);
    } finally {
      await dataSource.destroy();
    }
  });

  it('migrates again without doing anything', async () => {
    expect(await migrate(options())).toEqual([]);
  });
});
