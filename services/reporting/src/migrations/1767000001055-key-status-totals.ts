import { MigrationInterface, QueryRunner } from 'typeorm';
import { KEY_TOTAL_RECOUNT, KEY_TOTAL_TRACK } from './1767000001020-dashboard-key-totals';

/**
 * Each counted key's counts per status beside its total (`dashboard_key_total.statuses`, a JSON
 * object of status → count), in the index-only range of its scope and dimension: a breakdown reads
 * its groups' numbers from that range alone. A breakdown of every cluster (2,000 keys) had looked
 * up each key's status counters, 20–60 ms at national scale. Kept by the trigger on
 * `dashboard_count` that keeps the totals; `dashboard_status_add` merges two such objects.
 */
export class KeyStatusTotals1767000001055 implements MigrationInterface {
  name = 'KeyStatusTotals1767000001055';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE dashboard_key_total ADD COLUMN statuses jsonb NOT NULL DEFAULT '{}'`,
    );
    await queryRunner.query(`ALTER TABLE dashboard_key_total DROP CONSTRAINT dashboard_key_total_pkey`);
    await queryRunner.query(
      `ALTER TABLE dashboard_key_total ADD PRIMARY KEY (subject, scope, dimension, public, key) INCLUDE (n, statuses)`,
    );
    await queryRunner.query(`
      CREATE FUNCTION dashboard_status_add(a jsonb, b jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
        SELECT coalesce(jsonb_object_agg(status, n), '{}')
          FROM (SELECT status, sum(n::bigint) AS n
                  FROM (SELECT * FROM jsonb_each_text(a) UNION ALL SELECT * FROM jsonb_each_text(b)) x (status, n)
                 GROUP BY 1 HAVING sum(n::bigint) <> 0) s
      $$`);
    // A counter's row changes its count only (its key and status are its primary key).
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION dashboard_key_total_track() RETURNS trigger LANGUAGE plpgsql
        SET search_path FROM CURRENT AS $$
      DECLARE
        counter dashboard_count;
        delta bigint := coalesce(CASE WHEN TG_OP <> 'DELETE' THEN NEW.n END, 0)
                        - coalesce(CASE WHEN TG_OP <> 'INSERT' THEN OLD.n END, 0);
      BEGIN
        IF delta = 0 THEN RETURN NULL; END IF;
        IF TG_OP = 'DELETE' THEN counter := OLD; ELSE counter := NEW; END IF;
        INSERT INTO dashboard_key_total AS t (subject, scope, dimension, public, key, n, statuses)
        VALUES (counter.subject, counter.scope, counter.dimension, counter.public, counter.key, delta,
                jsonb_build_object(counter.status, delta))
        ON CONFLICT (subject, scope, dimension, public, key) DO UPDATE
          SET n = t.n + EXCLUDED.n, statuses = dashboard_status_add(t.statuses, EXCLUDED.statuses);
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION rebuild_dashboard_key_totals() RETURNS void LANGUAGE sql
        SET search_path FROM CURRENT SET work_mem = '256MB' AS $$
        TRUNCATE dashboard_key_total;
        INSERT INTO dashboard_key_total (subject, scope, dimension, public, key, n, statuses)
        SELECT subject, scope, dimension, public, key, sum(n), jsonb_object_agg(status, n) FILTER (WHERE n <> 0)
          FROM (SELECT subject, scope, dimension, public, key, status, sum(n) AS n FROM dashboard_count
                 GROUP BY 1, 2, 3, 4, 5, 6) c
         GROUP BY 1, 2, 3, 4, 5 HAVING sum(n) <> 0
         ORDER BY 1, 2, 3, 4, 5;
      $$`);
    await queryRunner.query(`SELECT rebuild_dashboard_key_totals()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const sql of [KEY_TOTAL_RECOUNT, KEY_TOTAL_TRACK])
      await queryRunner.query(sql.replace('CREATE FUNCTION', 'CREATE OR REPLACE FUNCTION'));
    await queryRunner.query(`DROP FUNCTION dashboard_status_add(jsonb, jsonb)`);
    await queryRunner.query(`ALTER TABLE dashboard_key_total DROP CONSTRAINT dashboard_key_total_pkey`);
    await queryRunner.query(`ALTER TABLE dashboard_key_total DROP COLUMN statuses`);
    await queryRunner.query(
      `ALTER TABLE dashboard_key_total ADD PRIMARY KEY (subject, scope, dimension, public, key) INCLUDE (n)`,
    );
  }
}
