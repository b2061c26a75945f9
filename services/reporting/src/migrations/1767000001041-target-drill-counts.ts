import { MigrationInterface, QueryRunner } from 'typeorm';
import { addRecountStep, removeRecountStep } from './recount-steps';

// The filter dimensions whose drills by SDG target are counted: few keys each, so the pairs stay
// small (a cluster's few recommendations are counted from the rows through the GIN index).
const TARGET_FILTERS = `('mechanism', 'mechanism_kind', 'cycle', 'theme', 'sdg_goal')`;

/**
 * Drills of everyone's or the public's recommendations by SDG target (a theme's targets, say) as
 * `recommendation_pair_count` rows with `by_dimension = 'sdg_target'`: at national scale they
 * counted 166 ms of rows. Kept by their own trigger beside the other pairs' and recounted after
 * them by `rebuild_dashboard_counts()`. Derived, so not audited (the table is already).
 */
export class TargetDrillCounts1767000001041 implements MigrationInterface {
  name = 'TargetDrillCounts1767000001041';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION recommendation_target_pairs(mechanism text, kind text, cycle integer, themes text[],
                                                  targets text[], clusters text[])
        RETURNS TABLE (dimension text, key text, by_key text) LANGUAGE sql IMMUTABLE AS $$
        SELECT f.dimension, f.key, t.t
          FROM recommendation_dashboard_keys(mechanism, kind, cycle, themes, targets, clusters) f
         CROSS JOIN (SELECT DISTINCT t FROM unnest(targets) t) t
         WHERE f.dimension IN ${TARGET_FILTERS}
      $$`);
    await queryRunner.query(`
      CREATE FUNCTION recommendation_target_pair_track() RETURNS trigger LANGUAGE plpgsql
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
        INSERT INTO recommendation_pair_count AS c (dimension, key, by_dimension, by_key, status, public, n)
        SELECT p.dimension, p.key, 'sdg_target', p.by_key, v.status, v.public, sum(v.delta)
          FROM (SELECT OLD.mechanism, OLD.mechanism_kind, OLD.upr_cycle, OLD.themes, OLD.sdg_targets,
                       OLD.implementation_status, OLD.published, -1 WHERE TG_OP <> 'INSERT'
                UNION ALL
                SELECT NEW.mechanism, NEW.mechanism_kind, NEW.upr_cycle, NEW.themes, NEW.sdg_targets,
                       NEW.implementation_status, NEW.published, 1 WHERE TG_OP <> 'DELETE')
               AS v (mechanism, kind, cycle, themes, targets, status, public, delta)
         CROSS JOIN LATERAL recommendation_target_pairs(v.mechanism, v.kind, v.cycle, v.themes, v.targets,
                                                        '{}') p
         GROUP BY 1, 2, 3, 4, 5, 6
        ON CONFLICT (dimension, key, by_dimension, public, by_key, status) DO UPDATE SET n = c.n + EXCLUDED.n;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER recommendation_target_pair_track AFTER INSERT OR UPDATE OR DELETE ON recommendation_view
        FOR EACH ROW EXECUTE FUNCTION recommendation_target_pair_track()`);
    // The recount of these pairs alone (set-based: each row's keys once, one hash aggregate).
    await queryRunner.query(`
      CREATE FUNCTION rebuild_target_drill_counts() RETURNS void LANGUAGE sql
        SET search_path FROM CURRENT SET work_mem = '256MB' SET jit = off AS $$
        DELETE FROM recommendation_pair_count WHERE by_dimension = 'sdg_target';
        INSERT INTO recommendation_pair_count (dimension, key, by_dimension, by_key, status, public, n)
        SELECT p.dimension, p.key, 'sdg_target', p.by_key, r.implementation_status, r.published, count(*)
          FROM recommendation_view r
         CROSS JOIN LATERAL recommendation_target_pairs(r.mechanism, r.mechanism_kind, r.upr_cycle, r.themes,
                                                        r.sdg_targets, '{}') p
         WHERE cardinality(r.sdg_targets) > 0
         GROUP BY 1, 2, 4, 5, 6
         ORDER BY 1, 2, 4, 6, 5;
      $$`);
    await addRecountStep(queryRunner, 'target_drills', `SELECT rebuild_target_drill_counts();`);
    await queryRunner.query(`SELECT rebuild_target_drill_counts()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await removeRecountStep(queryRunner, 'target_drills');
    await queryRunner.query(`DROP FUNCTION rebuild_target_drill_counts()`);
    await queryRunner.query(`DROP TRIGGER recommendation_target_pair_track ON recommendation_view`);
    await queryRunner.query(`DROP FUNCTION recommendation_target_pair_track()`);
    await queryRunner.query(`DELETE FROM recommendation_pair_count WHERE by_dimension = 'sdg_target'`);
    await queryRunner.query(
      `DROP FUNCTION recommendation_target_pairs(text, text, integer, text[], text[], text[])`,
    );
  }
}
