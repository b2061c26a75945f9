import { migrate, serviceDataSourceOptions } from '@nmirf/platform';
import { createTestDatabase, requireInfrastructure, type TestDatabase } from '@nmirf/testing';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { entities, migrations, SCHEMA } from '../database';
import { ActionWorkflow1765600000000 } from './1765600000000-action-workflow';

jest.setTimeout(60_000);

/** Actions as the model before the workflow left them: status and lead institution. */
const BEFORE = {
  waitingWithLead: ['not_started', 'Ministry of Justice'],
  waitingWithoutLead: ['not_started', null],
  working: ['in_progress', 'Ministry of Justice'],
  stuck: ['blocked', 'Ministry of Interior'],
  done: ['completed', 'Ministry of Justice'],
  dropped: ['cancelled', null],
} as const;

describe('migration of action statuses to the workflow’s (real PostgreSQL)', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  const ids = new Map<keyof typeof BEFORE, string>();
  const recommendations = new Map<keyof typeof BEFORE, string>();
  const options = () => ({ url: database.url, schema: SCHEMA, entities, migrations });

  beforeAll(async () => {
    await requireInfrastructure('postgres');
    database = await createTestDatabase('actions_workflow_migration');
    const before = migrations.filter((migration) => migration !== ActionWorkflow1765600000000);
    await migrate({ ...options(), migrations: before });
    dataSource = await new DataSource(serviceDataSourceOptions({ ...options(), poolSize: 1 })).initialize();
    for (const [key, [status, lead]] of Object.entries(BEFORE)) {
      const id = randomUUID();
      ids.set(key as keyof typeof BEFORE, id);
      recommendations.set(key as keyof typeof BEFORE, randomUUID());
      await dataSource.query(
        `INSERT INTO actions (id, recommendation_id, title, lead_institution_id, status, due_at)
         VALUES ($1, $2, $3, $4, $5, now() + interval '30 days')`,
        [id, recommendations.get(key as keyof typeof BEFORE), `Action ${key}`, lead, status],
      );
    }
    expect(await migrate(options())).toEqual(['ActionWorkflow1765600000000']);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  async function statusOf(key: keyof typeof BEFORE): Promise<string> {
    const [row] = await dataSource.query(`SELECT status FROM actions WHERE id = $1`, [ids.get(key)]);
    return row.status;
  }

  it('makes an action not started assigned when it has a lead, proposed otherwise; the rest stay', async () => {
    expect(await statusOf('waitingWithLead')).toBe('assigned');
    expect(await statusOf('waitingWithoutLead')).toBe('proposed');
    expect(await statusOf('working')).toBe('in_progress');
    expect(await statusOf('stuck')).toBe('blocked');
    expect(await statusOf('done')).toBe('completed');
    expect(await statusOf('dropped')).toBe('cancelled');
  });

  it('lists each action’s recommendation in action_recommendations, and starts every version at 1', async () => {
    const rows = await dataSource.query(`SELECT action_id, recommendation_id FROM action_recommendations`);
    expect(rows).toHaveLength(Object.keys(BEFORE).length);
    for (const key of Object.keys(BEFORE) as (keyof typeof BEFORE)[])
      expect(rows).toContainEqual({ action_id: ids.get(key), recommendation_id: recommendations.get(key) });
    const versions = await dataSource.query(`SELECT DISTINCT version FROM actions`);
    expect(versions).toEqual([{ version: 1 }]);
  });

  it('refuses a status outside the workflow, and a supporting institution outside the directory', async () => {
    await expect(
      dataSource.query(`UPDATE actions SET status = 'not_started' WHERE id = $1`, [ids.get('working')]),
    ).rejects.toThrow(/actions_status/);
    await expect(
      dataSource.query(`INSERT INTO action_supporting_institutions VALUES ($1, 'Ministry of Magic')`, [
        ids.get('working'),
      ]),
    ).rejects.toThrow(/action_supporting_institutions_institution_id_fkey/);
  });

  it('reverts to not started', async () => {
    await dataSource.undoLastMigration({ transaction: 'each' });
    expect(await statusOf('waitingWithLead')).toBe('not_started');
    expect(await statusOf('waitingWithoutLead')).toBe('not_started');
    expect(await statusOf('working')).toBe('in_progress');
    expect(await migrate(options())).toEqual(['ActionWorkflow1765600000000']);
  });
});
