import { migrate, pendingSchemaChanges, serviceDataSourceOptions } from '@nmirf/platform';
import { createTestDatabase, requireInfrastructure, type TestDatabase } from '@nmirf/testing';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { entities, migrations, SCHEMA } from '../database';
import { Institutions1765300000000 } from './1765300000000-institutions';
import { ActionWorkflow1765600000000 } from './1765600000000-action-workflow';

jest.setTimeout(60_000);

/** What actions held before the directory: free text, as typed by whoever assigned them. */
const FREE_TEXT = {
  exact: 'Ministry of Justice',
  spaced: 'ministry of justice ',
  shouting: 'MINISTRY  OF  JUSTICE',
  french: 'ministère de la justice',
  acronym: 'nmirf',
  unknown: 'Unknown Body',
  unknownAgain: ' unknown body',
  unsafe: '/Office for Roma: Sinti?',
  blank: '   ',
  unassigned: null,
};

describe('migration of free-text institutions to directory ids (real PostgreSQL)', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  const ids = new Map<keyof typeof FREE_TEXT, string>();
  const options = () => ({ url: database.url, schema: SCHEMA, entities, migrations });

  beforeAll(async () => {
    await requireInfrastructure('postgres');
    database = await createTestDatabase('actions_institutions_migration');
    // The workflow's migration refers to the directory, so it runs after it here too.
    const before = migrations.filter(
      (migration) => migration !== Institutions1765300000000 && migration !== ActionWorkflow1765600000000,
    );
    await migrate({ ...options(), migrations: before });
    dataSource = await new DataSource(serviceDataSourceOptions({ ...options(), poolSize: 1 })).initialize();
    for (const [key, institution] of Object.entries(FREE_TEXT)) {
      const id = randomUUID();
      ids.set(key as keyof typeof FREE_TEXT, id);
      await dataSource.query(
        `INSERT INTO actions (id, recommendation_id, title, institution, due_at)
         VALUES ($1, $2, $3, $4, now() + interval '30 days')`,
        [id, randomUUID(), `Action for ${key}`, institution],
      );
    }
    await dataSource.query(
      `INSERT INTO progress_updates (id, action_id, previous_status, status, reported_by)
       VALUES ($1, $2, 'not_started', 'in_progress', 'focal-1')`,
      [randomUUID(), ids.get('exact')],
    );
    expect(await migrate(options())).toEqual(['Institutions1765300000000', 'ActionWorkflow1765600000000']);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  async function leadOf(key: keyof typeof FREE_TEXT): Promise<string | null> {
    const [row] = await dataSource.query(`SELECT lead_institution_id FROM actions WHERE id = $1`, [
      ids.get(key),
    ]);
    return row.lead_institution_id;
  }

  it('maps names to the directory ignoring case and spaces, in any language, and acronyms', async () => {
    for (const key of ['exact', 'spaced', 'shouting', 'french'] as const)
      expect({ key, id: await leadOf(key) }).toEqual({ key, id: 'Ministry of Justice' });
    expect(await leadOf('acronym')).toBe('NMIRF Secretariat');
    expect(await leadOf('unassigned')).toBeNull();
  });

  it('creates one entry per unknown name, of kind other and flagged for review, so nothing is lost', async () => {
    expect(await leadOf('unknown')).toBe('Unknown Body');
    expect(await leadOf('unknownAgain')).toBe('Unknown Body');
    // Not a valid id as it stands: the entry gets a cleaned-up id and keeps the name.
    expect(await leadOf('unsafe')).toBe('Office for Roma- Sinti-');
    const created = await dataSource.query(
      `SELECT id, kind, name_en, needs_review, active FROM institutions WHERE needs_review ORDER BY id`,
    );
    expect(created).toEqual([
      {
        id: 'Office for Roma- Sinti-',
        kind: 'other',
        name_en: '/Office for Roma: Sinti?',
        needs_review: true,
        active: true,
      },
      { id: 'Unknown Body', kind: 'other', name_en: 'Unknown Body', needs_review: true, active: true },
    ]);
  });

  it('leaves a blank institution unassigned, and keeps every action and its history', async () => {
    expect(await leadOf('blank')).toBeNull();
    const [counts] = await dataSource.query(
      `SELECT (SELECT count(*)::int FROM actions) AS actions, (SELECT count(*)::int FROM progress_updates) AS progress`,
    );
    expect(counts).toEqual({ actions: Object.keys(FREE_TEXT).length, progress: 1 });
  });

  it('drops the free-text column, and leaves the schema exactly as the entities describe it', async () => {
    const columns = await dataSource.query(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'actions'`,
      [SCHEMA],
    );
    const names = columns.map((column: { column_name: string }) => column.column_name);
    expect(names).toContain('lead_institution_id');
    expect(names).not.toContain('institution');
    expect(await pendingSchemaChanges(options())).toEqual([]);
    await expect(
      dataSource.query(`UPDATE actions SET lead_institution_id = 'Ministry of Magic' WHERE id = $1`, [
        ids.get('exact'),
      ]),
    ).rejects.toThrow(/actions_lead_institution_id_fkey/);
  });

  it('reverts to free text holding the English names', async () => {
    await dataSource.undoLastMigration({ transaction: 'each' }); // the workflow's
    await dataSource.undoLastMigration({ transaction: 'each' });
    const rows = await dataSource.query(`SELECT id, institution FROM actions`);
    const institutionOf = new Map(
      rows.map((row: { id: string; institution: string | null }) => [row.id, row.institution]),
    );
    expect(institutionOf.get(ids.get('shouting'))).toBe('Ministry of Justice');
    expect(institutionOf.get(ids.get('unknownAgain'))).toBe('Unknown Body');
    expect(await migrate(options())).toEqual(['Institutions1765300000000', 'ActionWorkflow1765600000000']);
  });
});
