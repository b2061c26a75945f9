import { MigrationInterface, QueryRunner } from 'typeorm';
import { addRecountStep, removeRecountStep } from './recount-steps';

/** Each counted key's total moved by each change of a counter. */
export const KEY_TOTAL_TRACK = `
  CREATE FUNCTION dashboard_key_total_track() RETURNS trigger LANGUAGE plpgsql
    SET search_path FROM CURRENT AS $$
  BEGIN
    INSERT INTO dashboard_key_total AS t (subject, scope, dimension, public, key, n)
    SELECT subject, scope, dimension, public, key, sum(delta)
      FROM (SELECT OLD.subject, OLD.scope, OLD.dimension, OLD.public, OLD.key, -OLD.n WHERE TG_OP <> 'INSERT'
            UNION ALL
            SELECT NEW.subject, NEW.scope, NEW.dimension, NEW.public, NEW.key, NEW.n WHERE TG_OP <> 'DELETE')
           AS v (subject, scope, dimension, public, key, delta)
     GROUP BY 1, 2, 3, 4, 5
    HAVING sum(delta) <> 0
    ON CONFLICT (subject, scope, dimension, public, key) DO UPDATE SET n = t.n + excluded.n;
    RETURN NULL;
  END $$`;

/** The totals recounted from the counters. */
export const KEY_TOTAL_RECOUNT = `
  CREATE FUNCTION rebuild_dashboard_key_totals() RETURNS void LANGUAGE sql
    SET search_path FROM CURRENT SET work_mem = '256MB' AS $$
    TRUNCATE dashboard_key_total;
    INSERT INTO dashboard_key_total (subject, scope, dimension, public, key, n)
    SELECT subject, scope, dimension, public, key, sum(n) FROM dashboard_count
     GROUP BY 1, 2, 3, 4, 5 HAVING sum(n) <> 0
     ORDER BY 1, 2, 3, 4, 5;
  $$`;

/**
 * Each counted key's total over its statuses (`dashboard_key_total`), so a breakdown picks its
 * largest groups from one row a key and reads the status rows of those alone: at national scale a
 * breakdown by cluster had summed 15,000 counter rows (2,000 clusters) to keep a hundred. Kept by a
 * trigger on `dashboard_count` itself, so every path that moves a counter moves its key's total;
 * the recount's counters are written with it off (`nmirf.rebuilding_dashboard`, migration
 * 1767000000500) and totalled once afterwards.
 * Derived, so not audited.
 */
export class DashboardKeyTotals1767000001020 implements MigrationInterface {
  name = 'DashboardKeyTotals1767000001020';
  static unaudited = ['dashboard_key_total'];

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE dashboard_key_total (
        subject text NOT NULL,
        scope text NOT NULL,
        dimension text NOT NULL,
        public boolean NOT NULL,
        key text NOT NULL,
        n bigint NOT NULL DEFAULT 0,
        -- A scope and dimension's totals are an index-only range.
        PRIMARY KEY (subject, scope, dimension, public, key) INCLUDE (n)
      )`);
    await queryRunner.query(KEY_TOTAL_TRACK);
    await queryRunner.query(`
      CREATE TRIGGER dashboard_key_total_track AFTER INSERT OR UPDATE OF n OR DELETE ON dashboard_count
        FOR EACH ROW WHEN (current_setting('nmirf.rebuilding_dashboard', true) IS DISTINCT FROM 'on')
        EXECUTE FUNCTION dashboard_key_total_track()`);
    await queryRunner.query(KEY_TOTAL_RECOUNT);
    // The recount: everything as before, then the totals of what it wrote.
    await addRecountStep(queryRunner, 'totals', `SELECT rebuild_dashboard_key_totals();`);
    await queryRunner.query(`SELECT rebuild_dashboard_key_totals()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await removeRecountStep(queryRunner, 'totals');
    await queryRunner.query(`DROP FUNCTION rebuild_dashboard_key_totals()`);
    await queryRunner.query(`DROP TRIGGER dashboard_key_total_track ON dashboard_count`);
    await queryRunner.query(`DROP FUNCTION dashboard_key_total_track()`);
    await queryRunner.query(`DROP TABLE dashboard_key_total`);
  }
}
