import { createTestDatabase, requireInfrastructure, type TestDatabase } from '@nmirf/testing';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { migrate, serviceDataSourceOptions } from '../db/data-source';
import { platformMigrations } from '../db/platform-migrations';
import { runWithContext, type RequestContext } from '../observability/correlation';
import { readAuditTrail, recordAudit, recordRefusal, suspendRowAudit } from './audit-trail';
import type { AccessRefusal } from '../auth/auth.guard';

jest.setTimeout(60_000);

class Widgets1765000000001 implements MigrationInterface {
  name = 'Widgets1765000000001';
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE widgets (
        id uuid PRIMARY KEY, name text NOT NULL, colour text, picture bytea,
        search tsvector GENERATED ALWAYS AS (to_tsvector('simple', name)) STORED,
        updated_at timestamptz NOT NULL DEFAULT now())`);
    await queryRunner.query(
      `CREATE TABLE widget_tags (widget_id uuid, tag text, PRIMARY KEY (widget_id, tag))`,
    );
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE widget_tags, widgets`);
  }
}

const verifier = join(__dirname, '../../../../infra/scripts/audit-verify.mjs');

async function auditVerify(url: string, schema: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout } = await promisify(execFile)('node', [
      verifier,
      '--database-url',
      url,
      '--schema',
      schema,
    ]);
    return { code: 0, output: stdout };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, output: failure.stdout + failure.stderr };
  }
}

const asJustice: RequestContext = {
  correlationId: 'corr-audit-1',
  causationId: 'corr-audit-1',
  actor: { kind: 'user', id: 'sub-focal-1', name: 'Focal Point', institution: 'ministry-of-justice' },
  client: { address: '203.0.113.7', userAgent: 'audit-test/1.0' },
};

describe('Audit trail (real PostgreSQL)', () => {
  let database: TestDatabase;
  const sources: DataSource[] = [];

  beforeAll(async () => {
    await requireInfrastructure('postgres');
    database = await createTestDatabase('it_audit');
  });

  afterAll(async () => {
    await Promise.all(sources.map((source) => source.destroy()));
    await database?.drop();
  });

  async function service(schema: string): Promise<DataSource> {
    const options = {
      url: database.url,
      schema,
      entities: [],
      migrations: [...platformMigrations, Widgets1765000000001],
    };
    await migrate(options);
    const dataSource = await new DataSource(
      serviceDataSourceOptions({ ...options, poolSize: 8 }),
    ).initialize();
    sources.push(dataSource);
    return dataSource;
  }

  it('records who changed what, in the same transaction, with only the changed fields of an update', async () => {
    const db = await service('audit_a');
    const id = randomUUID();
    await runWithContext(asJustice, () =>
      db.transaction(async (manager) => {
        await manager.query(
          `INSERT INTO widgets (id, name, colour, picture) VALUES ($1, 'Gauge', 'red', '\\x00ff')`,
          [id],
        );
        await manager.query(`UPDATE widgets SET colour = 'blue' WHERE id = $1`, [id]);
        await manager.query(`UPDATE widgets SET colour = 'blue' WHERE id = $1`, [id]); // no change, no record
        await manager.query(`INSERT INTO widget_tags VALUES ($1, 'a')`, [id]);
        await manager.query(`DELETE FROM widget_tags WHERE widget_id = $1`, [id]);
      }),
    );
    const records = (await readAuditTrail(db, { limit: 10 })).reverse();
    expect(records.map((r) => [r.seq, r.entity, r.action])).toEqual([
      [1, 'widgets', 'insert'],
      [2, 'widgets', 'update'],
      [3, 'widget_tags', 'insert'],
      [4, 'widget_tags', 'delete'],
    ]);
    expect(records[0].actor).toEqual({
      kind: 'user',
      id: 'sub-focal-1',
      name: 'Focal Point',
      institution: 'ministry-of-justice',
    });
    expect(records[0]).toMatchObject({
      entityId: id,
      outcome: 'applied',
      correlationId: 'corr-audit-1',
      clientAddress: '203.0.113.7',
      userAgent: 'audit-test/1.0',
      before: null,
    });
    // Bulky and derived columns stay out of the trail.
    expect(Object.keys(records[0].after ?? {}).sort()).toEqual(['colour', 'id', 'name', 'updated_at']);
    expect(records[1]).toMatchObject({ before: { colour: 'red' }, after: { colour: 'blue' } });
    expect(records[3]).toMatchObject({
      entityId: `${id}/a`,
      before: { widget_id: id, tag: 'a' },
      after: null,
    });
    expect(await auditVerify(database.url, 'audit_a')).toEqual({
      code: 0,
      output: expect.stringMatching(/^audit_a: 4 record\(s\), chain intact, head [0-9a-f]{64}\n$/),
    });
  });

  it('names the service as the actor of a change made outside any request, and keeps nothing of a rollback', async () => {
    const db = await service('audit_b');
    await db.query(`INSERT INTO widgets (id, name) VALUES ($1, 'Loose')`, [randomUUID()]);
    await expect(
      runWithContext(asJustice, () =>
        db.transaction(async (manager) => {
          await manager.query(`INSERT INTO widgets (id, name) VALUES ($1, 'Gone')`, [randomUUID()]);
          throw new Error('rolled back');
        }),
      ),
    ).rejects.toThrow('rolled back');
    await db.query(`INSERT INTO widgets (id, name) VALUES ($1, 'After')`, [randomUUID()]);
    const records = await readAuditTrail(db, { limit: 10 });
    expect(records.map((r) => [r.seq, r.actor.kind, r.actor.id, r.after?.name])).toEqual([
      [2, 'system', 'audit_b', 'After'],
      [1, 'system', 'audit_b', 'Loose'],
    ]);
  });

  it('chains concurrent writers without gaps or deadlocks', async () => {
    const db = await service('audit_c');
    const ids = Array.from({ length: 10 }, () => randomUUID());
    await db.query(`INSERT INTO widgets (id, name) SELECT unnest($1::uuid[]), 'w'`, [ids]);
    // Writers lock rows in opposite orders before committing; only the chain head is shared.
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        runWithContext({ ...asJustice, correlationId: `c${i}` }, () =>
          db.transaction(async (manager) => {
            const order = i % 2 ? ids : [...ids].reverse();
            for (const id of order.slice(0, 3))
              await manager.query(`UPDATE widgets SET colour = $2 WHERE id = $1`, [id, `c${i}-${id}`]);
          }),
        ),
      ),
    );
    const [{ count, max }] = await db.query(
      `SELECT count(*)::int AS count, max(seq)::int AS max FROM audit_record`,
    );
    expect(count).toBe(max);
    expect(count).toBeGreaterThan(10);
    expect((await auditVerify(database.url, 'audit_c')).code).toBe(0);
  });

  it('refuses updates, deletes and truncation of the trail', async () => {
    const db = await service('audit_d');
    await db.query(`INSERT INTO widgets (id, name) VALUES ($1, 'x')`, [randomUUID()]);
    await expect(db.query(`UPDATE audit_record SET actor_id = 'someone else'`)).rejects.toThrow(
      'append-only',
    );
    await expect(db.query(`DELETE FROM audit_record`)).rejects.toThrow('append-only');
    await expect(db.query(`TRUNCATE audit_record`)).rejects.toThrow('append-only');
    expect((await auditVerify(database.url, 'audit_d')).code).toBe(0);
  });

  it('detects an edited record, naming it', async () => {
    const db = await service('audit_e');
    for (const name of ['one', 'two', 'three'])
      await db.query(`INSERT INTO widgets (id, name) VALUES ($1, $2)`, [randomUUID(), name]);
    // Someone with the power to switch the guard off edits the second record.
    await db.query(`ALTER TABLE audit_record DISABLE TRIGGER audit_record_append_only`);
    await db.query(
      `UPDATE audit_record SET new_values = jsonb_set(new_values, '{name}', '"forged"') WHERE seq = 2`,
    );
    const result = await auditVerify(database.url, 'audit_e');
    expect(result.code).toBe(1);
    expect(result.output).toMatch(
      /^audit_e: BROKEN after 1 good record\(s\): record 2 \(id \d+\) was changed after it was written/,
    );
  });

  it('detects a deleted record in the middle and one cut from the end', async () => {
    const db = await service('audit_f');
    for (const name of ['one', 'two', 'three', 'four'])
      await db.query(`INSERT INTO widgets (id, name) VALUES ($1, $2)`, [randomUUID(), name]);
    await db.query(`ALTER TABLE audit_record DISABLE TRIGGER audit_record_append_only`);
    await db.query(`DELETE FROM audit_record WHERE seq = 4`);
    expect((await auditVerify(database.url, 'audit_f')).output).toContain(
      'records 4 to 4 are missing (deleted)',
    );
    await db.query(`DELETE FROM audit_record WHERE seq = 2`);
    const result = await auditVerify(database.url, 'audit_f');
    expect(result.code).toBe(1);
    expect(result.output).toContain(
      'BROKEN after 1 good record(s): record 2 is missing (deleted): the next is 3',
    );
  });

  it('records a refusal, and a bulk write as one summary', async () => {
    const db = await service('audit_g');
    const refusal = {
      status: 403,
      reason: 'Your role does not allow this',
      principal: {
        subject: 'sub-cso',
        name: 'CSO',
        kind: 'user',
        roles: new Set(),
        institutions: [],
        scopes: new Set(),
      },
      request: {
        method: 'DELETE',
        route: { path: '/clusters/:id' },
        path: '/clusters/1',
        ip: '198.51.100.1',
        header: () => 'curl/8',
      },
    } as unknown as AccessRefusal;
    await runWithContext(asJustice, () => recordRefusal(db, refusal));
    await runWithContext(asJustice, () =>
      db.transaction(async (manager) => {
        await suspendRowAudit(manager);
        await manager.query(
          `INSERT INTO widgets (id, name) SELECT gen_random_uuid(), 'bulk' FROM generate_series(1, 3)`,
        );
        await recordAudit(manager, {
          entity: 'import',
          entityId: 'imp-1',
          action: 'import.completed',
          after: { rows: 3 },
        });
      }),
    );
    await db.query(`INSERT INTO widgets (id, name) VALUES ($1, 'single')`, [randomUUID()]); // the switch was local
    const records = await readAuditTrail(db, { limit: 10 });
    expect(records.map((r) => [r.seq, r.entity, r.action, r.outcome])).toEqual([
      [3, 'widgets', 'insert', 'applied'],
      [2, 'import', 'import.completed', 'applied'],
      [1, 'route', 'access.refused', 'refused'],
    ]);
    expect(records[2]).toMatchObject({
      actor: { kind: 'user', id: 'sub-cso' },
      entityId: 'DELETE /clusters/:id',
      detail: 'Your role does not allow this',
      clientAddress: '203.0.113.7',
    });
    expect(await readAuditTrail(db, { limit: 10, outcome: 'refused', actorId: 'sub-cso' })).toHaveLength(1);
    expect((await auditVerify(database.url, 'audit_g')).code).toBe(0);
  });
});
