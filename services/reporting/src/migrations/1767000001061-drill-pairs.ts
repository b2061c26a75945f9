import { MigrationInterface, QueryRunner } from 'typeorm';
import { addRecountStep, removeRecountStep } from './recount-steps';

/** What an institution's (or a group's) drills count by pairs (as migration 1767000000871, and now more). */
const SCOPED = `(by_dimension = 'mechanism' AND dimension IN ('mechanism_kind', 'cycle', 'theme', 'sdg_goal'))
            OR (by_dimension = 'sdg_goal' AND dimension = 'theme')
            OR (by_dimension = 'theme' AND dimension = 'sdg_goal')`;
/** What migration 1767000000871 counted. */
const SCOPED_BEFORE = `by_dimension = 'mechanism' AND dimension IN ('mechanism_kind', 'cycle', 'theme', 'sdg_goal')`;
const scopePairs = (where: string) => `
  CREATE OR REPLACE FUNCTION recommendation_scope_pairs(mechanism text, kind text, cycle integer, themes text[],
                                                        targets text[], clusters text[])
    RETURNS TABLE (dimension text, key text, by_dimension text, by_key text) LANGUAGE sql IMMUTABLE AS $$
    SELECT dimension, key, by_dimension, by_key
      FROM recommendation_dashboard_pairs(mechanism, kind, cycle, themes, targets, clusters)
     WHERE ${where}
  $$`;
const RECOUNT_SETTINGS = `SET search_path FROM CURRENT SET work_mem = '512MB' SET enable_sort = off SET jit = off
        SET nmirf.rebuilding_dashboard = 'on'`;

/** Each recommendation's institution pairs, as (dimension, key, by_dimension, by_key) rows of the recount. */
const PAIRS = [
  `SELECT 'mechanism_kind', r.mechanism_kind, 'mechanism', r.mechanism`,
  `SELECT 'cycle', r.upr_cycle::text, 'mechanism', r.mechanism WHERE r.upr_cycle > 0`,
  `SELECT 'theme', t, 'mechanism', r.mechanism FROM unnest(k.themes) t`,
  `SELECT 'sdg_goal', g, 'mechanism', r.mechanism FROM unnest(k.goals) g`,
  `SELECT 'theme', t, 'sdg_goal', g FROM unnest(k.themes) t, unnest(k.goals) g`,
  `SELECT 'sdg_goal', g, 'theme', t FROM unnest(k.goals) g, unnest(k.themes) t`,
];
const institutionRecount = (pairs: string[]) => `
  CREATE OR REPLACE FUNCTION rebuild_institution_drill_counts() RETURNS void LANGUAGE sql
    ${RECOUNT_SETTINGS} AS $$
    TRUNCATE institution_pair_count;
    INSERT INTO institution_pair_count (scope, dimension, key, by_dimension, by_key, status, public, n)
    WITH p AS MATERIALIZED (
      SELECT r.id, f.dimension, f.key, f.by_dimension, f.by_key, r.implementation_status AS status,
             r.published AS public
        FROM recommendation_view r
       CROSS JOIN LATERAL (SELECT ARRAY(SELECT DISTINCT unnest(r.themes)) AS themes,
                                  ARRAY(SELECT DISTINCT split_part(unnest(r.sdg_targets), '.', 1)) AS goals) k
       CROSS JOIN LATERAL (${pairs.join('\n                           UNION ALL ')}) f (dimension, key, by_dimension, by_key))
    SELECT i.scope, p.dimension, p.key, p.by_dimension, p.by_key, p.status, p.public, count(*)
      FROM p JOIN institution_recommendation i ON i.recommendation_id = p.id AND i.actions > 0
     GROUP BY 1, 2, 3, 4, 5, 6, 7;
  $$`;

/**
 * Two-dimension drills that still counted rows at national scale:
 * - one institution's (or group's) recommendations of a theme by SDG goal, and of an SDG goal by
 *   theme (the thematic crosswalk): `institution_pair_count` holds them too (391 ms from the rows);
 * - actions of one lead institution, plan or SDG goal by another of these: `action_pair_count`,
 *   everyone's and the public's. A focal point's drill into an institution of their own reads them
 *   too, as that filter already keeps to their scope (755 ms from the rows).
 * Kept by triggers, recounted by `rebuild_dashboard_counts()`. Derived, so not audited.
 */
export class DrillPairs1767000001061 implements MigrationInterface {
  name = 'DrillPairs1767000001061';
  static unaudited = ['action_pair_count'];

  async up(queryRunner: QueryRunner): Promise<void> {
    // Institutions' pairs: the triggers and the groups' count read this function.
    await queryRunner.query(scopePairs(SCOPED));
    await queryRunner.query(institutionRecount(PAIRS));

    // Actions' pairs among lead institution, plan and SDG goal, for everyone and the public.
    await queryRunner.query(`
      CREATE TABLE action_pair_count (
        dimension text NOT NULL,
        key text NOT NULL,
        by_dimension text NOT NULL,
        by_key text NOT NULL,
        status text NOT NULL,
        public boolean NOT NULL,
        n bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (dimension, key, by_dimension, public, by_key, status)
      )`);
    await queryRunner.query(`
      CREATE INDEX action_pair_count_caseless ON action_pair_count (dimension, lower(key), by_dimension)`);
    await queryRunner.query(`
      CREATE FUNCTION action_dashboard_pairs(lead text, targets text[], plan uuid)
        RETURNS TABLE (dimension text, key text, by_dimension text, by_key text) LANGUAGE sql IMMUTABLE AS $$
        WITH k (dimension, key) AS (
          SELECT 'lead_institution', coalesce(lead, '')
          UNION ALL SELECT 'plan', coalesce(plan::text, '')
          UNION ALL SELECT DISTINCT 'sdg_goal', split_part(t, '.', 1) FROM unnest(targets) t)
        SELECT f.dimension, f.key, b.dimension, b.key FROM k f JOIN k b ON b.dimension <> f.dimension
      $$`);
    await queryRunner.query(`
      CREATE FUNCTION action_pair_count_track() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      BEGIN
        IF TG_OP = 'UPDATE'
           AND (OLD.lead_institution_id, OLD.sdg_targets, OLD.plan_id, OLD.workflow_status, OLD.status, OLD.public)
               IS NOT DISTINCT FROM
               (NEW.lead_institution_id, NEW.sdg_targets, NEW.plan_id, NEW.workflow_status, NEW.status, NEW.public) THEN
          RETURN NULL;
        END IF;
        INSERT INTO action_pair_count AS c (dimension, key, by_dimension, by_key, status, public, n)
        SELECT p.dimension, p.key, p.by_dimension, p.by_key, v.status, v.public, sum(v.delta)
          FROM (SELECT OLD.lead_institution_id, OLD.sdg_targets, OLD.plan_id, coalesce(OLD.workflow_status, OLD.status),
                       OLD.public, -1 WHERE TG_OP <> 'INSERT'
                UNION ALL
                SELECT NEW.lead_institution_id, NEW.sdg_targets, NEW.plan_id, coalesce(NEW.workflow_status, NEW.status),
                       NEW.public, 1 WHERE TG_OP <> 'DELETE')
               AS v (lead, targets, plan, status, public, delta)
         CROSS JOIN LATERAL action_dashboard_pairs(v.lead, v.targets, v.plan) p
         GROUP BY 1, 2, 3, 4, 5, 6
        ON CONFLICT (dimension, key, by_dimension, public, by_key, status) DO UPDATE SET n = c.n + EXCLUDED.n;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER action_pair_count_track AFTER INSERT OR UPDATE OR DELETE ON action_view
        FOR EACH ROW EXECUTE FUNCTION action_pair_count_track()`);
    await queryRunner.query(`
      CREATE FUNCTION rebuild_action_drill_counts() RETURNS void LANGUAGE sql ${RECOUNT_SETTINGS} AS $$
        TRUNCATE action_pair_count;
        INSERT INTO action_pair_count (dimension, key, by_dimension, by_key, status, public, n)
        WITH k AS MATERIALIZED (
          SELECT a.action_id, k.dimension, k.key, coalesce(a.workflow_status, a.status) AS status, a.public
            FROM action_view a
           CROSS JOIN LATERAL (SELECT 'lead_institution', coalesce(a.lead_institution_id, '')
                               UNION ALL SELECT 'plan', coalesce(a.plan_id::text, '')
                               UNION ALL SELECT DISTINCT 'sdg_goal', split_part(t, '.', 1)
                                           FROM unnest(a.sdg_targets) t) k (dimension, key))
        SELECT f.dimension, f.key, b.dimension, b.key, f.status, f.public, count(*)
          FROM k f JOIN k b ON b.action_id = f.action_id AND b.dimension <> f.dimension
         GROUP BY 1, 2, 3, 4, 5, 6;
      $$`);

    // The recount: everything as before, then the actions' pairs.
    await addRecountStep(queryRunner, 'action_pairs', `SELECT rebuild_action_drill_counts();`);
    // Groups' pairs are recounted with the institutions' (their rows are in institution_recommendation).
    await queryRunner.query(`SELECT rebuild_institution_drill_counts()`);
    await queryRunner.query(`SELECT rebuild_action_drill_counts()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await removeRecountStep(queryRunner, 'action_pairs');
    await queryRunner.query(`DROP FUNCTION rebuild_action_drill_counts()`);
    await queryRunner.query(`DROP TRIGGER action_pair_count_track ON action_view`);
    await queryRunner.query(`DROP FUNCTION action_pair_count_track()`);
    await queryRunner.query(`DROP FUNCTION action_dashboard_pairs(text, text[], uuid)`);
    await queryRunner.query(`DROP TABLE action_pair_count`);
    await queryRunner.query(scopePairs(SCOPED_BEFORE));
    await queryRunner.query(institutionRecount(PAIRS.slice(0, 4)));
    await queryRunner.query(`DELETE FROM institution_pair_count WHERE NOT (${SCOPED_BEFORE})`);
  }
}
