import { MigrationInterface, QueryRunner } from 'typeorm';
import { RECOMMENDATION_TRIGGER, REBUILD } from './1766000000021-institution-dashboard-counts';

/** ±1 per (institution, recommendation) pair a link row adds or removes. */
export const INSTITUTION_RECOMMENDATION_TRACK = `
  CREATE FUNCTION institution_recommendation_track() RETURNS trigger LANGUAGE plpgsql
    SET search_path FROM CURRENT AS $$
  DECLARE
    row_action uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.action_id ELSE NEW.action_id END;
    delta integer := CASE WHEN TG_OP = 'DELETE' THEN -1 ELSE 1 END;
  BEGIN
    IF TG_TABLE_NAME = 'action_institution_view' THEN
      INSERT INTO institution_recommendation AS c (scope, recommendation_id, actions)
      SELECT lower(CASE WHEN TG_OP = 'DELETE' THEN OLD.institution_id ELSE NEW.institution_id END),
             r.recommendation_id, delta
        FROM action_recommendation_view r WHERE r.action_id = row_action
      ON CONFLICT (scope, recommendation_id) DO UPDATE SET actions = c.actions + EXCLUDED.actions;
    ELSE
      INSERT INTO institution_recommendation AS c (scope, recommendation_id, actions)
      SELECT DISTINCT lower(i.institution_id),
             CASE WHEN TG_OP = 'DELETE' THEN OLD.recommendation_id ELSE NEW.recommendation_id END, delta
        FROM action_institution_view i WHERE i.action_id = row_action
      ON CONFLICT (scope, recommendation_id) DO UPDATE SET actions = c.actions + EXCLUDED.actions;
    END IF;
    RETURN NULL;
  END $$`;

/**
 * Recommendation counters per institution too: `institution_recommendation` counts, for each
 * institution, the actions it leads or supports that serve each recommendation (kept by triggers on
 * the action's institutions and recommendations). A recommendation enters an institution's counters
 * with its first such action and leaves with its last; its own changes move every scope it is in.
 * The rebuild gets more memory to sort with, as it recounts millions of rows.
 */
export class InstitutionRecommendationCounts1766000000022 implements MigrationInterface {
  name = 'InstitutionRecommendationCounts1766000000022';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE institution_recommendation (
        scope text NOT NULL,
        recommendation_id uuid NOT NULL,
        actions integer NOT NULL,
        PRIMARY KEY (scope, recommendation_id)
      )`);
    await queryRunner.query(
      `CREATE INDEX institution_recommendation_recommendation ON institution_recommendation (recommendation_id)`,
    );
    await queryRunner.query(INSTITUTION_RECOMMENDATION_TRACK);
    for (const table of ['action_institution_view', 'action_recommendation_view'])
      await queryRunner.query(`
        CREATE TRIGGER ${table}_institution_recommendation AFTER INSERT OR DELETE ON ${table}
          FOR EACH ROW EXECUTE FUNCTION institution_recommendation_track()`);
    // Entering or leaving an institution's scope moves the recommendation's counts there.
    await queryRunner.query(`
      CREATE FUNCTION institution_recommendation_scope() RETURNS trigger LANGUAGE plpgsql
        SET search_path FROM CURRENT AS $$
      DECLARE
        delta integer;
      BEGIN
        -- The rebuild counts every scope itself.
        IF current_setting('nmirf.rebuilding_dashboard', true) = 'on' THEN RETURN NULL; END IF;
        IF coalesce(OLD.actions, 0) <= 0 AND NEW.actions > 0 THEN delta := 1;
        ELSIF coalesce(OLD.actions, 0) > 0 AND NEW.actions <= 0 THEN delta := -1;
        ELSE RETURN NULL;
        END IF;
        INSERT INTO dashboard_count AS c (subject, scope, dimension, key, status, public, n)
        SELECT 'recommendation', NEW.scope, k.dimension, k.key, r.implementation_status, r.published, delta
          FROM recommendation_view r
         CROSS JOIN LATERAL recommendation_dashboard_keys(r.mechanism, r.mechanism_kind, r.upr_cycle, r.themes,
                                                          r.sdg_targets, r.clusters) k
         WHERE r.id = NEW.recommendation_id
        ON CONFLICT (subject, scope, dimension, public, key, status) DO UPDATE SET n = c.n + EXCLUDED.n;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER institution_recommendation_scope AFTER INSERT OR UPDATE ON institution_recommendation
        FOR EACH ROW EXECUTE FUNCTION institution_recommendation_scope()`);
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION recommendation_dashboard_count() RETURNS trigger LANGUAGE plpgsql
        SET search_path FROM CURRENT AS $$
      BEGIN
        IF TG_OP = 'UPDATE'
           AND (OLD.mechanism, OLD.mechanism_kind, OLD.upr_cycle, OLD.themes, OLD.sdg_targets, OLD.clusters,
                OLD.implementation_status, OLD.published)
               IS NOT DISTINCT FROM
               (NEW.mechanism, NEW.mechanism_kind, NEW.upr_cycle, NEW.themes, NEW.sdg_targets, NEW.clusters,
                NEW.implementation_status, NEW.published) THEN
          RETURN NULL;
        END IF;
        INSERT INTO dashboard_count AS c (subject, scope, dimension, key, status, public, n)
        SELECT 'recommendation', s.scope, k.dimension, k.key, v.status, v.public, sum(v.delta)
          FROM (SELECT OLD.id, OLD.mechanism, OLD.mechanism_kind, OLD.upr_cycle, OLD.themes, OLD.sdg_targets,
                       OLD.clusters, OLD.implementation_status, OLD.published, -1 WHERE TG_OP <> 'INSERT'
                UNION ALL
                SELECT NEW.id, NEW.mechanism, NEW.mechanism_kind, NEW.upr_cycle, NEW.themes, NEW.sdg_targets,
                       NEW.clusters, NEW.implementation_status, NEW.published, 1 WHERE TG_OP <> 'DELETE')
               AS v (id, mechanism, kind, cycle, themes, targets, clusters, status, public, delta)
         CROSS JOIN LATERAL (SELECT '' AS scope
                             UNION ALL SELECT i.scope FROM institution_recommendation i
                              WHERE i.recommendation_id = v.id AND i.actions > 0) s
         CROSS JOIN LATERAL recommendation_dashboard_keys(v.mechanism, v.kind, v.cycle, v.themes, v.targets,
                                                          v.clusters) k
         GROUP BY s.scope, k.dimension, k.key, v.status, v.public
        ON CONFLICT (subject, scope, dimension, public, key, status) DO UPDATE SET n = c.n + EXCLUDED.n;
        RETURN NULL;
      END $$`);
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
          -- A join, not a lookup per recommendation: the table was just filled and has no statistics.
          JOIN (SELECT id AS recommendation_id, '' AS scope FROM recommendation_view
                UNION ALL
                SELECT recommendation_id, scope FROM institution_recommendation WHERE actions > 0) s
            ON s.recommendation_id = r.id
         CROSS JOIN LATERAL recommendation_dashboard_keys(r.mechanism, r.mechanism_kind, r.upr_cycle, r.themes,
                                                          r.sdg_targets, r.clusters) k
         GROUP BY 2, 3, 4, 5, 6;
      $$`);
    await queryRunner.query(`SELECT rebuild_dashboard_counts()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER institution_recommendation_scope ON institution_recommendation`);
    for (const table of ['action_institution_view', 'action_recommendation_view'])
      await queryRunner.query(`DROP TRIGGER ${table}_institution_recommendation ON ${table}`);
    await queryRunner.query(`DROP FUNCTION institution_recommendation_scope()`);
    await queryRunner.query(`DROP FUNCTION institution_recommendation_track()`);
    await queryRunner.query(`DROP TABLE institution_recommendation`);
    await queryRunner.query(`DELETE FROM dashboard_count WHERE subject = 'recommendation' AND scope <> ''`);
    // The functions as migration 1766000000021 left them.
    await queryRunner.query(RECOMMENDATION_TRIGGER);
    await queryRunner.query(REBUILD);
  }
}
