import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The distinct `of(element)` of an array expression as an array; no subquery for the common arrays
 * of none or one element.
 */
const distinct = (array: string, of = (element: string) => element) =>
  `CASE cardinality(${array}) WHEN 0 THEN '{}'::text[] WHEN 1 THEN ARRAY[${of(`(${array})[1]`)}]
        ELSE ARRAY(SELECT DISTINCT ${of('x')} FROM unnest(${array}) x) END`;
const goal = (target: string) => `split_part(${target}, '.', 1)`;

/**
 * Recounting the dashboard counters is set-based: each action's and each recommendation's keys are
 * worked out once (distinct elements, lowercased scopes), then expanded and counted in one hash
 * aggregate per subject, and written in key order. The counters are derived and left out of the
 * audit trail (a change of an action moved a dozen counter rows, each audited). The per-institution
 * recommendation table is keyed by recommendation first, which is how its triggers look it up, with
 * an index by institution for the dashboards; its scope trigger is not even queued during a rebuild.
 */
export class DashboardRebuild1767000000500 implements MigrationInterface {
  name = 'DashboardRebuild1767000000500';
  static unaudited = ['dashboard_count', 'institution_recommendation', 'implementation_status_month'];

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of DashboardRebuild1767000000500.unaudited)
      await queryRunner.query(`DROP TRIGGER IF EXISTS audit_change ON ${table}`);
    await queryRunner.query(
      `ALTER TABLE institution_recommendation DROP CONSTRAINT institution_recommendation_pkey`,
    );
    await queryRunner.query(
      `ALTER TABLE institution_recommendation ADD PRIMARY KEY (recommendation_id, scope)`,
    );
    await queryRunner.query(`DROP INDEX institution_recommendation_recommendation`);
    // A focal point's recommendations (and the drill by institution) are a range of this index.
    await queryRunner.query(`
      CREATE INDEX institution_recommendation_by_scope ON institution_recommendation (scope, recommendation_id)
       WHERE actions > 0`);
    await queryRunner.query(`DROP TRIGGER institution_recommendation_scope ON institution_recommendation`);
    await queryRunner.query(`
      CREATE TRIGGER institution_recommendation_scope AFTER INSERT OR UPDATE ON institution_recommendation
        FOR EACH ROW WHEN (current_setting('nmirf.rebuilding_dashboard', true) IS DISTINCT FROM 'on')
        EXECUTE FUNCTION institution_recommendation_scope()`);
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION rebuild_dashboard_counts() RETURNS void LANGUAGE sql
        SET search_path FROM CURRENT SET work_mem = '256MB' SET jit = off SET nmirf.rebuilding_dashboard = 'on' AS $$
        TRUNCATE dashboard_count, institution_recommendation;

        INSERT INTO institution_recommendation (recommendation_id, scope, actions)
        SELECT r.recommendation_id, lower(i.institution_id), count(*)
          FROM action_institution_view i JOIN action_recommendation_view r ON r.action_id = i.action_id
         GROUP BY 1, 2
         ORDER BY 1, 2;

        -- Actions: everyone's scope and each institution's (lead or supporting) once, by every key.
        INSERT INTO dashboard_count (subject, scope, dimension, key, status, public, n)
        WITH a AS MATERIALIZED (
          SELECT ARRAY[''] || ${distinct(
            `array_remove(ARRAY[a.lead_institution_id], NULL) || a.supporting_institution_ids`,
            (id) => `lower(${id})`,
          )} AS scopes,
                 coalesce(a.lead_institution_id, '') AS lead, coalesce(a.plan_id::text, '') AS plan,
                 ${distinct('a.supporting_institution_ids')} AS supporting,
                 ${distinct('a.sdg_targets')} AS targets,
                 ${distinct('a.sdg_targets', goal)} AS goals,
                 coalesce(a.workflow_status, a.status) AS status, a.public
            FROM action_view a)
        SELECT 'action', s.scope, k.dimension, k.key, a.status, a.public, count(*)
          FROM a
         CROSS JOIN LATERAL unnest(a.scopes) s (scope)
         CROSS JOIN LATERAL (SELECT 'all', ''
                             UNION ALL SELECT 'lead_institution', a.lead
                             UNION ALL SELECT 'plan', a.plan
                             UNION ALL SELECT 'supporting_institution', unnest(a.supporting)
                             UNION ALL SELECT 'sdg_target', unnest(a.targets)
                             UNION ALL SELECT 'sdg_goal', unnest(a.goals)) k (dimension, key)
         GROUP BY 2, 3, 4, 5, 6
         ORDER BY 2, 3, 6, 4, 5;

        -- Recommendations: everyone's scope, and each institution whose actions serve them.
        INSERT INTO dashboard_count (subject, scope, dimension, key, status, public, n)
        WITH k AS MATERIALIZED (
          SELECT r.id, k.dimension, k.key, r.implementation_status AS status, r.published AS public
            FROM recommendation_view r
           CROSS JOIN LATERAL (SELECT 'all', ''
                               UNION ALL SELECT 'mechanism', r.mechanism
                               UNION ALL SELECT 'mechanism_kind', r.mechanism_kind
                               UNION ALL SELECT 'cycle', r.upr_cycle::text WHERE r.upr_cycle > 0
                               UNION ALL SELECT 'theme', unnest(${distinct('r.themes')})
                               UNION ALL SELECT 'sdg_target', unnest(${distinct('r.sdg_targets')})
                               UNION ALL SELECT 'sdg_goal', unnest(${distinct('r.sdg_targets', goal)})
                               UNION ALL SELECT 'cluster', unnest(${distinct('r.clusters')})) k (dimension, key))
        SELECT 'recommendation', c.scope, c.dimension, c.key, c.status, c.public, sum(c.n)
          FROM (SELECT '' AS scope, dimension, key, status, public, count(*) AS n FROM k GROUP BY 2, 3, 4, 5
                UNION ALL
                SELECT i.scope, k.dimension, k.key, k.status, k.public, count(*)
                  FROM k JOIN institution_recommendation i ON i.recommendation_id = k.id AND i.actions > 0
                 GROUP BY 1, 2, 3, 4, 5) c
         GROUP BY 2, 3, 4, 5, 6
         ORDER BY 2, 3, 6, 4, 5;
      $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION rebuild_dashboard_counts() RETURNS void LANGUAGE sql
        SET search_path FROM CURRENT SET work_mem = '256MB' SET nmirf.rebuilding_dashboard = 'on' AS $$
        DELETE FROM dashboard_count;
        DELETE FROM institution_recommendation;
        INSERT INTO institution_recommendation (scope, recommendation_id, actions)
        SELECT lower(i.institution_id), r.recommendation_id, count(*)
          FROM action_institution_view i JOIN action_recommendation_view r ON r.action_id = i.action_id
         GROUP BY 1, 2;
        INSERT INTO dashboard_count (subject, scope, dimension, key, status, public, n)
        SELECT 'action', s.scope, k.dimension, k.key, coalesce(a.workflow_status, a.status), a.public, count(*)
          FROM action_view a
         CROSS JOIN LATERAL action_dashboard_scopes(a.lead_institution_id, a.supporting_institution_ids) s
         CROSS JOIN LATERAL action_dashboard_keys(a.lead_institution_id, a.supporting_institution_ids,
                                                  a.sdg_targets, a.plan_id) k
         GROUP BY 2, 3, 4, 5, 6;
        INSERT INTO dashboard_count (subject, scope, dimension, key, status, public, n)
        SELECT 'recommendation', s.scope, k.dimension, k.key, r.implementation_status, r.published, count(*)
          FROM recommendation_view r
          JOIN (SELECT id AS recommendation_id, '' AS scope FROM recommendation_view
                UNION ALL
                SELECT recommendation_id, scope FROM institution_recommendation WHERE actions > 0) s
            ON s.recommendation_id = r.id
         CROSS JOIN LATERAL recommendation_dashboard_keys(r.mechanism, r.mechanism_kind, r.upr_cycle, r.themes,
                                                          r.sdg_targets, r.clusters) k
         GROUP BY 2, 3, 4, 5, 6;
      $$`);
    await queryRunner.query(`DROP TRIGGER institution_recommendation_scope ON institution_recommendation`);
    await queryRunner.query(`
      CREATE TRIGGER institution_recommendation_scope AFTER INSERT OR UPDATE ON institution_recommendation
        FOR EACH ROW EXECUTE FUNCTION institution_recommendation_scope()`);
    await queryRunner.query(`DROP INDEX institution_recommendation_by_scope`);
    await queryRunner.query(
      `CREATE INDEX institution_recommendation_recommendation ON institution_recommendation (recommendation_id)`,
    );
    await queryRunner.query(
      `ALTER TABLE institution_recommendation DROP CONSTRAINT institution_recommendation_pkey`,
    );
    await queryRunner.query(
      `ALTER TABLE institution_recommendation ADD PRIMARY KEY (scope, recommendation_id)`,
    );
  }
}
