import { MigrationInterface, QueryRunner } from 'typeorm';

export const ACTION_TRIGGER = `
  CREATE OR REPLACE FUNCTION action_dashboard_count() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
  BEGIN
    IF TG_OP = 'UPDATE'
       AND (OLD.lead_institution_id, OLD.supporting_institution_ids, OLD.sdg_targets, OLD.plan_id,
            OLD.workflow_status, OLD.status, OLD.public)
           IS NOT DISTINCT FROM
           (NEW.lead_institution_id, NEW.supporting_institution_ids, NEW.sdg_targets, NEW.plan_id,
            NEW.workflow_status, NEW.status, NEW.public) THEN
      RETURN NULL;
    END IF;
    INSERT INTO dashboard_count AS c (subject, scope, dimension, key, status, public, n)
    SELECT 'action', s.scope, k.dimension, k.key, v.status, v.public, sum(v.delta)
      FROM (SELECT OLD.lead_institution_id, OLD.supporting_institution_ids, OLD.sdg_targets, OLD.plan_id,
                   coalesce(OLD.workflow_status, OLD.status), OLD.public, -1 WHERE TG_OP <> 'INSERT'
            UNION ALL
            SELECT NEW.lead_institution_id, NEW.supporting_institution_ids, NEW.sdg_targets, NEW.plan_id,
                   coalesce(NEW.workflow_status, NEW.status), NEW.public, 1 WHERE TG_OP <> 'DELETE')
           AS v (lead, supporting, targets, plan, status, public, delta)
     CROSS JOIN LATERAL action_dashboard_scopes(v.lead, v.supporting) s
     CROSS JOIN LATERAL action_dashboard_keys(v.lead, v.supporting, v.targets, v.plan) k
     GROUP BY s.scope, k.dimension, k.key, v.status, v.public
    ON CONFLICT (subject, scope, dimension, public, key, status) DO UPDATE SET n = c.n + EXCLUDED.n;
    RETURN NULL;
  END $$`;

export const RECOMMENDATION_TRIGGER = `
  CREATE OR REPLACE FUNCTION recommendation_dashboard_count() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
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
    SELECT 'recommendation', '', k.dimension, k.key, v.status, v.public, sum(v.delta)
      FROM (SELECT OLD.mechanism, OLD.mechanism_kind, OLD.upr_cycle, OLD.themes, OLD.sdg_targets, OLD.clusters,
                   OLD.implementation_status, OLD.published, -1 WHERE TG_OP <> 'INSERT'
            UNION ALL
            SELECT NEW.mechanism, NEW.mechanism_kind, NEW.upr_cycle, NEW.themes, NEW.sdg_targets, NEW.clusters,
                   NEW.implementation_status, NEW.published, 1 WHERE TG_OP <> 'DELETE')
           AS v (mechanism, kind, cycle, themes, targets, clusters, status, public, delta)
     CROSS JOIN LATERAL recommendation_dashboard_keys(v.mechanism, v.kind, v.cycle, v.themes, v.targets, v.clusters) k
     GROUP BY k.dimension, k.key, v.status, v.public
    ON CONFLICT (subject, scope, dimension, public, key, status) DO UPDATE SET n = c.n + EXCLUDED.n;
    RETURN NULL;
  END $$`;

export const REBUILD = `
  CREATE OR REPLACE FUNCTION rebuild_dashboard_counts() RETURNS void LANGUAGE sql SET search_path FROM CURRENT AS $$
    DELETE FROM dashboard_count;
    INSERT INTO dashboard_count (subject, scope, dimension, key, status, public, n)
    SELECT 'action', s.scope, k.dimension, k.key, coalesce(a.workflow_status, a.status), a.public, count(*)
      FROM action_view a
     CROSS JOIN LATERAL action_dashboard_scopes(a.lead_institution_id, a.supporting_institution_ids) s
     CROSS JOIN LATERAL action_dashboard_keys(a.lead_institution_id, a.supporting_institution_ids,
                                              a.sdg_targets, a.plan_id) k
     GROUP BY 2, 3, 4, 5, 6;
    INSERT INTO dashboard_count (subject, scope, dimension, key, status, public, n)
    SELECT 'recommendation', '', k.dimension, k.key, r.implementation_status, r.published, count(*)
      FROM recommendation_view r
     CROSS JOIN LATERAL recommendation_dashboard_keys(r.mechanism, r.mechanism_kind, r.upr_cycle, r.themes,
                                                      r.sdg_targets, r.clusters) k
     GROUP BY 3, 4, 5, 6;
  $$`;

/** The functions as migration 1766000000020 wrote them: the same, without the scope. */
const withoutScope = (sql: string): string =>
  sql
    .replace(/'action', s\.scope, /g, `'action', `)
    .replace(/'recommendation', '', /g, `'recommendation', `)
    .replace(/GROUP BY s\.scope, /g, 'GROUP BY ')
    .replace(/\s*CROSS JOIN LATERAL action_dashboard_scopes\([^)]*\) s/g, '')
    .replace(/subject, scope, /g, 'subject, ')
    .replace(/GROUP BY 2, 3, 4, 5, 6/g, 'GROUP BY 2, 3, 4, 5')
    .replace(/GROUP BY 3, 4, 5, 6/g, 'GROUP BY 2, 3, 4, 5');

/**
 * The action counters also per institution (`scope`: the lowercased directory id; '' for everyone),
 * so the dashboard of a focal point of one institution is a lookup too, however many actions it has.
 */
export class InstitutionDashboardCounts1766000000021 implements MigrationInterface {
  name = 'InstitutionDashboardCounts1766000000021';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE dashboard_count ADD COLUMN scope text NOT NULL DEFAULT ''`);
    await queryRunner.query(`ALTER TABLE dashboard_count DROP CONSTRAINT dashboard_count_pkey`);
    await queryRunner.query(
      `ALTER TABLE dashboard_count ADD PRIMARY KEY (subject, scope, dimension, public, key, status)`,
    );
    // Everyone's counters, and each institution's (lead or supporting) once.
    await queryRunner.query(`
      CREATE FUNCTION action_dashboard_scopes(lead text, supporting text[])
        RETURNS TABLE (scope text) LANGUAGE sql IMMUTABLE AS $$
        SELECT ''
        UNION SELECT lower(i) FROM unnest(array_remove(ARRAY[lead], NULL) || supporting) i
      $$`);
    await queryRunner.query(ACTION_TRIGGER);
    await queryRunner.query(RECOMMENDATION_TRIGGER);
    await queryRunner.query(REBUILD);
    await queryRunner.query(`SELECT rebuild_dashboard_counts()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM dashboard_count WHERE scope <> ''`);
    await queryRunner.query(`ALTER TABLE dashboard_count DROP CONSTRAINT dashboard_count_pkey`);
    await queryRunner.query(`ALTER TABLE dashboard_count DROP COLUMN scope`);
    await queryRunner.query(
      `ALTER TABLE dashboard_count ADD PRIMARY KEY (subject, dimension, public, key, status)`,
    );
    for (const sql of [ACTION_TRIGGER, RECOMMENDATION_TRIGGER, REBUILD])
      await queryRunner.query(withoutScope(sql));
    await queryRunner.query(`DROP FUNCTION action_dashboard_scopes(text, text[])`);
  }
}
