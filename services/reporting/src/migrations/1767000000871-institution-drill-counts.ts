import { MigrationInterface, QueryRunner } from 'typeorm';
import { addRecountStep, removeRecountStep } from './recount-steps';

/** What an institution's drills count by pairs: a theme, SDG goal, cycle or mechanism kind, by body. */
const SCOPED = `by_dimension = 'mechanism' AND dimension IN ('mechanism_kind', 'cycle', 'theme', 'sdg_goal')`;

/**
 * Two-dimension drills of one institution's recommendations (a focal point's) as counters too, for
 * the drill they are built for, by mechanism: `institution_pair_count`, per institution (lowercased
 * id) as `recommendation_pair_count` is for everyone. Each recommendation is in a dozen
 * institutions' scopes, so only these pairs are kept per institution; other drills count rows.
 * Derived, so not audited.
 */
export class InstitutionDrillCounts1767000000871 implements MigrationInterface {
  name = 'InstitutionDrillCounts1767000000871';
  static unaudited = ['institution_pair_count'];

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE institution_pair_count (
        scope text NOT NULL,
        dimension text NOT NULL,
        key text NOT NULL,
        by_dimension text NOT NULL,
        by_key text NOT NULL,
        status text NOT NULL,
        public boolean NOT NULL,
        n bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (scope, dimension, key, by_dimension, public, by_key, status)
      )`);
    await queryRunner.query(`
      CREATE FUNCTION recommendation_scope_pairs(mechanism text, kind text, cycle integer, themes text[],
                                                 targets text[], clusters text[])
        RETURNS TABLE (dimension text, key text, by_dimension text, by_key text) LANGUAGE sql IMMUTABLE AS $$
        SELECT dimension, key, by_dimension, by_key
          FROM recommendation_dashboard_pairs(mechanism, kind, cycle, themes, targets, clusters)
         WHERE ${SCOPED}
      $$`);
    // A recommendation's change moves its pairs in every institution's scope it is in.
    await queryRunner.query(`
      CREATE FUNCTION recommendation_scope_pair_track() RETURNS trigger LANGUAGE plpgsql
        SET search_path FROM CURRENT AS $$
      BEGIN
        IF TG_OP = 'UPDATE'
           AND (OLD.mechanism, OLD.mechanism_kind, OLD.upr_cycle, OLD.themes, OLD.sdg_targets,
                OLD.implementation_status, OLD.published)
               IS NOT DISTINCT FROM
               (NEW.mechanism, NEW.mechanism_kind, NEW.upr_cycle, NEW.themes, NEW.sdg_targets,
                NEW.implementation_status, NEW.published) THEN
          RETURN NULL;
        END IF;
        INSERT INTO institution_pair_count AS c (scope, dimension, key, by_dimension, by_key, status, public, n)
        SELECT i.scope, p.dimension, p.key, p.by_dimension, p.by_key, v.status, v.public, sum(v.delta)
          FROM (SELECT OLD.id, OLD.mechanism, OLD.mechanism_kind, OLD.upr_cycle, OLD.themes, OLD.sdg_targets,
                       OLD.implementation_status, OLD.published, -1 WHERE TG_OP <> 'INSERT'
                UNION ALL
                SELECT NEW.id, NEW.mechanism, NEW.mechanism_kind, NEW.upr_cycle, NEW.themes, NEW.sdg_targets,
                       NEW.implementation_status, NEW.published, 1 WHERE TG_OP <> 'DELETE')
               AS v (id, mechanism, kind, cycle, themes, targets, status, public, delta)
          JOIN institution_recommendation i ON i.recommendation_id = v.id AND i.actions > 0
         CROSS JOIN LATERAL recommendation_scope_pairs(v.mechanism, v.kind, v.cycle, v.themes, v.targets, '{}') p
         GROUP BY 1, 2, 3, 4, 5, 6, 7
        ON CONFLICT (scope, dimension, key, by_dimension, public, by_key, status) DO UPDATE SET n = c.n + EXCLUDED.n;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER recommendation_scope_pair_track AFTER INSERT OR UPDATE OR DELETE ON recommendation_view
        FOR EACH ROW EXECUTE FUNCTION recommendation_scope_pair_track()`);
    // Entering or leaving an institution's scope moves the recommendation's pairs there.
    await queryRunner.query(`
      CREATE FUNCTION recommendation_scope_pair_enter() RETURNS trigger LANGUAGE plpgsql
        SET search_path FROM CURRENT AS $$
      DECLARE
        direction integer;
      BEGIN
        IF coalesce(OLD.actions, 0) <= 0 AND NEW.actions > 0 THEN direction := 1;
        ELSIF coalesce(OLD.actions, 0) > 0 AND NEW.actions <= 0 THEN direction := -1;
        ELSE RETURN NULL;
        END IF;
        INSERT INTO institution_pair_count AS c (scope, dimension, key, by_dimension, by_key, status, public, n)
        SELECT NEW.scope, p.dimension, p.key, p.by_dimension, p.by_key, r.implementation_status, r.published, direction
          FROM recommendation_view r
         CROSS JOIN LATERAL recommendation_scope_pairs(r.mechanism, r.mechanism_kind, r.upr_cycle, r.themes,
                                                       r.sdg_targets, '{}') p
         WHERE r.id = NEW.recommendation_id
        ON CONFLICT (scope, dimension, key, by_dimension, public, by_key, status) DO UPDATE SET n = c.n + EXCLUDED.n;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER recommendation_scope_pair_enter AFTER INSERT OR UPDATE ON institution_recommendation
        FOR EACH ROW WHEN (current_setting('nmirf.rebuilding_dashboard', true) IS DISTINCT FROM 'on')
        EXECUTE FUNCTION recommendation_scope_pair_enter()`);
    await queryRunner.query(`
      CREATE FUNCTION rebuild_institution_drill_counts() RETURNS void LANGUAGE sql
        SET search_path FROM CURRENT SET work_mem = '256MB' SET jit = off SET nmirf.rebuilding_dashboard = 'on' AS $$
        TRUNCATE institution_pair_count;
        INSERT INTO institution_pair_count (scope, dimension, key, by_dimension, by_key, status, public, n)
        WITH p AS MATERIALIZED (
          SELECT r.id, f.dimension, f.key, r.mechanism AS by_key, r.implementation_status AS status,
                 r.published AS public
            FROM recommendation_view r
           CROSS JOIN LATERAL (SELECT 'mechanism_kind', r.mechanism_kind
                               UNION ALL SELECT 'cycle', r.upr_cycle::text WHERE r.upr_cycle > 0
                               UNION ALL SELECT DISTINCT 'theme', unnest(r.themes)
                               UNION ALL SELECT DISTINCT 'sdg_goal', split_part(unnest(r.sdg_targets), '.', 1))
                 f (dimension, key))
        SELECT i.scope, p.dimension, p.key, 'mechanism', p.by_key, p.status, p.public, count(*)
          FROM p JOIN institution_recommendation i ON i.recommendation_id = p.id AND i.actions > 0
         GROUP BY 1, 2, 3, 5, 6, 7;
      $$`);
    // The recount: everything as before, then these.
    await addRecountStep(queryRunner, 'drills', `SELECT rebuild_institution_drill_counts();`);
    await queryRunner.query(`SELECT rebuild_institution_drill_counts()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await removeRecountStep(queryRunner, 'drills');
    await queryRunner.query(`DROP FUNCTION rebuild_institution_drill_counts()`);
    await queryRunner.query(`DROP TRIGGER recommendation_scope_pair_enter ON institution_recommendation`);
    await queryRunner.query(`DROP FUNCTION recommendation_scope_pair_enter()`);
    await queryRunner.query(`DROP TRIGGER recommendation_scope_pair_track ON recommendation_view`);
    await queryRunner.query(`DROP FUNCTION recommendation_scope_pair_track()`);
    await queryRunner.query(
      `DROP FUNCTION recommendation_scope_pairs(text, text, integer, text[], text[], text[])`,
    );
    await queryRunner.query(`DROP TABLE institution_pair_count`);
  }
}
