import { EventOutbox } from '@nmirf/platform';
import { randomUUID } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { SCHEMA } from '../../database';
import { migratedDatabase, type MigratedDatabase } from '../../testing/migrated-database';
import { MATRIX_CYCLE2, UHRI_SAMPLE } from '../../testing/recommendations-app';
import { RecommendationImporter, type ImportResult } from './importer';

jest.setTimeout(120_000);

/** Rows of one file that meet across batches are decided as in one batch. */
describe('imports in batches', () => {
  let database: MigratedDatabase | undefined;
  let dataSource: DataSource;
  let importer: RecommendationImporter;

  beforeAll(async () => {
    database = await migratedDatabase('batches_it');
    dataSource = database.dataSource;
    importer = new RecommendationImporter(
      dataSource,
      new EventOutbox('recommendations', '', `outbox_${SCHEMA}`),
    );
  });
  afterAll(async () => {
    await database?.drop();
  });
  beforeEach(() => dataSource.query(`TRUNCATE recommendations, outbox, outbox_sequence, imports CASCADE`));

  const run = (path: string, batchSize?: number): Promise<ImportResult> =>
    importer.run({ importId: randomUUID(), path, dryRun: false, skipInvalid: true, matrix: {}, batchSize });

  /** The catalogue as imports left it, by natural key, with what each record's events said. */
  const catalogue = async () => ({
    records: await dataSource.query(
      `SELECT document_symbol, paragraph, version, text, position, published_on::text, sources,
              (SELECT array_agg(s.source ORDER BY s.source) FROM recommendation_sources s
                WHERE s.recommendation_id = r.id) AS snapshots,
              (SELECT array_agg(o.event_type || ' ' || o.aggregate_sequence ORDER BY o.seq) FROM outbox o
                WHERE o.message_key = r.id::text) AS events,
              (SELECT count(*)::int FROM recommendation_search x WHERE x.id = r.id) AS searchable
         FROM recommendations r ORDER BY document_symbol, paragraph`,
    ),
    reports: await dataSource.query(
      `SELECT row_number, outcome, problems FROM import_rows ORDER BY import_id, row_number`,
    ),
  });

  it('applies the real UHRI export and matrix in batches of 7 as in one batch', async () => {
    const counts = async (batchSize?: number) => {
      const uhri = await run(UHRI_SAMPLE, batchSize);
      const matrix = await run(MATRIX_CYCLE2, batchSize);
      return [uhri.counts, matrix.counts];
    };
    const oneBatch = await counts();
    const whole = await catalogue();
    await dataSource.query(`TRUNCATE recommendations, outbox, outbox_sequence, imports CASCADE`);
    expect(await counts(7)).toEqual(oneBatch);
    const batched = await catalogue();
    expect(batched.records).toHaveLength(378);
    expect(batched.records.filter((r: { version: number }) => r.version > 1).length).toBeGreaterThan(100);
    // Row reports are ordered by import id, which differs between the runs: compare them as sets.
    expect(new Set(batched.reports.map((r: unknown) => JSON.stringify(r)))).toEqual(
      new Set(whole.reports.map((r: unknown) => JSON.stringify(r))),
    );
    expect(batched.records).toEqual(whole.records);
  });

  it('rejects a row that repeats one of an earlier batch, by annotation or by paragraph', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'batches-'));
    const path = join(dir, 'template.csv');
    const line = (paragraph: string, text: string) =>
      `treaty_body,CAT,CAT/C/SVN/CO/4,${paragraph},"${text}",recommendation,SVN`;
    await writeFile(
      path,
      [
        'mechanism,body,document_symbol,paragraph,text,type,state_under_review',
        line('10', 'Investigate allegations of torture.'),
        line('11', 'Ratify the Optional Protocol.'),
        line('12', 'Train the police.'),
        // Batch 2 (rows 5–6): row 2 again, and a new paragraph.
        line('10', 'Investigate allegations of torture, again.'),
        line('13', 'Inspect places of detention.'),
        // Batch 3 (rows 7–8): rows 3 and 6 again.
        line('11', 'Ratify the Optional Protocol.'),
        line('13', 'Inspect places of detention.'),
      ].join('\n'),
    );
    const result = await run(path, 2);
    expect(result).toMatchObject({
      status: 'applied',
      counts: { created: 4, updated: 0, unchanged: 0, rejected: 3 },
    });
    const { records, reports } = await catalogue();
    expect(records.map((r: { paragraph: string }) => r.paragraph)).toEqual(['10', '11', '12', '13']);
    expect(records.every((r: { events: string[] }) => r.events.join() === 'RecommendationCreated 1')).toBe(
      true,
    );
    expect(reports.filter((r: { outcome: string }) => r.outcome === 'rejected')).toEqual(
      [5, 7, 8].map((rowNumber) => ({
        row_number: rowNumber,
        outcome: 'rejected',
        problems: ['This recommendation already appears in an earlier row of this file.'],
      })),
    );
  });
});
