import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The dashboards' read model: the whole action (ActionChanged) and recommendation, plans, progress
 * reports, the implementation-status history, and counters kept by triggers so the top-level numbers
 * are lookups. `reporting.rebuild_dashboard_counts()` recomputes the counters from the rows (after a
 * bulk load with triggers off, or to check them).
 */
export class DashboardReadModel1766000000020 implements MigrationInterface {
  name = 'DashboardReadModel1766000000020';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE action_view
        ADD COLUMN lead_institution_id text,
        ADD COLUMN supporting_institution_ids text[] NOT NULL DEFAULT '{}',
        ADD COLUMN recommendation_ids uuid[] NOT NULL DEFAULT '{}',
        ADD COLUMN plan_id uuid,
        ADD COLUMN workflow_status text,
        ADD COLUMN start_date date,
        ADD COLUMN sdg_targets text[] NOT NULL DEFAULT '{}',
        ADD COLUMN budget_line text,
        ADD COLUMN milestones jsonb NOT NULL DEFAULT '[]',
        ADD COLUMN version integer NOT NULL DEFAULT 0,
        ADD COLUMN public boolean NOT NULL DEFAULT false`);
    // Open work by due date (overdue, due in 30/60/90 days), for everyone and for the public.
    await queryRunner.query(`
      CREATE INDEX action_view_open_due ON action_view (due_at)
       WHERE status NOT IN ('completed', 'cancelled')`);
    await queryRunner.query(`
      CREATE INDEX action_view_public_open_due ON action_view (due_at)
       WHERE public AND status NOT IN ('completed', 'cancelled')`);
    await queryRunner.query(`CREATE INDEX action_view_plan ON action_view (plan_id)`);
    // The lists behind the numbers, by due date and by document and paragraph.
    await queryRunner.query(`CREATE INDEX action_view_due ON action_view (due_at, action_id)`);

    // One row per institution working on an action, with what its dashboards filter on.
    await queryRunner.query(`
      CREATE TABLE action_institution_view (
        action_id uuid NOT NULL REFERENCES action_view (action_id) ON DELETE CASCADE,
        institution_id text NOT NULL,
        role text NOT NULL CONSTRAINT action_institution_view_role CHECK (role IN ('lead', 'supporting')),
        workflow_status text NOT NULL,
        status text NOT NULL,
        due_at timestamptz,
        PRIMARY KEY (action_id, institution_id)
      )`);
    // Token claims match directory ids case-insensitively.
    await queryRunner.query(`
      CREATE INDEX action_institution_view_institution
          ON action_institution_view (lower(institution_id), workflow_status, due_at, action_id)`);

    await queryRunner.query(`
      CREATE TABLE action_recommendation_view (
        action_id uuid NOT NULL REFERENCES action_view (action_id) ON DELETE CASCADE,
        recommendation_id uuid NOT NULL,
        PRIMARY KEY (action_id, recommendation_id)
      )`);
    await queryRunner.query(`
      CREATE INDEX action_recommendation_view_recommendation
          ON action_recommendation_view (recommendation_id, action_id)`);

    await queryRunner.query(`
      CREATE TABLE plan_view (
        id uuid PRIMARY KEY,
        state text NOT NULL,
        title text NOT NULL,
        kind text NOT NULL,
        period_start date,
        period_end date,
        published boolean NOT NULL DEFAULT false,
        version integer NOT NULL DEFAULT 0
      )`);

    await queryRunner.query(`
      ALTER TABLE recommendation_view
        ADD COLUMN text text NOT NULL DEFAULT '',
        ADD COLUMN mechanism_kind text NOT NULL DEFAULT '',
        ADD COLUMN state_under_review text NOT NULL DEFAULT '',
        ADD COLUMN upr_cycle integer NOT NULL DEFAULT 0,
        ADD COLUMN upr_session integer NOT NULL DEFAULT 0,
        ADD COLUMN themes text[] NOT NULL DEFAULT '{}',
        ADD COLUMN sdg_targets text[] NOT NULL DEFAULT '{}',
        ADD COLUMN clusters text[] NOT NULL DEFAULT '{}',
        ADD COLUMN annotation_id text NOT NULL DEFAULT '',
        ADD COLUMN published boolean NOT NULL DEFAULT false,
        ADD COLUMN implementation_status_at timestamptz,
        ADD COLUMN version integer NOT NULL DEFAULT 0`);
    await queryRunner.query(
      `CREATE INDEX recommendation_view_status ON recommendation_view (implementation_status, id)`,
    );
    await queryRunner.query(
      `CREATE INDEX recommendation_view_document ON recommendation_view (document_symbol, paragraph, id)`,
    );
    await queryRunner.query(
      `CREATE INDEX recommendation_view_themes ON recommendation_view USING gin (themes)`,
    );
    await queryRunner.query(
      `CREATE INDEX recommendation_view_sdg_targets ON recommendation_view USING gin (sdg_targets)`,
    );

    // Every change of a recommendation's implementation status, for the series over time.
    await queryRunner.query(`
      CREATE TABLE implementation_status_history (
        id bigserial PRIMARY KEY,
        recommendation_id uuid NOT NULL,
        status text NOT NULL,
        previous_status text,
        changed_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`
      CREATE INDEX implementation_status_history_recommendation
          ON implementation_status_history (recommendation_id, changed_at)`);
    // Per month and status, how many recommendations entered (+) or left (-) it; the running sum is
    // the monthly snapshot. Kept by a trigger on the history, so it rebuilds from it.
    await queryRunner.query(`
      CREATE TABLE implementation_status_month (
        month date NOT NULL,
        status text NOT NULL,
        delta bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (month, status)
      )`);
    await queryRunner.query(`
      CREATE FUNCTION implementation_status_month_track() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      BEGIN
        INSERT INTO implementation_status_month AS m (month, status, delta)
        SELECT date_trunc('month', NEW.changed_at AT TIME ZONE 'UTC')::date, s.status, s.delta
          FROM (VALUES (NEW.status, 1), (NEW.previous_status, -1)) AS s (status, delta)
         WHERE s.status IS NOT NULL
        ON CONFLICT (month, status) DO UPDATE SET delta = m.delta + EXCLUDED.delta;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER implementation_status_month_track AFTER INSERT ON implementation_status_history
        FOR EACH ROW EXECUTE FUNCTION implementation_status_month_track()`);

    // Progress reports, from ProgressReportTransitioned: counted per month of first submission.
    await queryRunner.query(`
      CREATE TABLE progress_report_view (
        report_id uuid PRIMARY KEY,
        action_id uuid NOT NULL,
        institution_id text NOT NULL,
        status text NOT NULL,
        final boolean NOT NULL DEFAULT false,
        percentage integer NOT NULL DEFAULT 0,
        submitted_at timestamptz,
        updated_at timestamptz NOT NULL,
        version integer NOT NULL DEFAULT 0
      )`);
    await queryRunner.query(
      `CREATE INDEX progress_report_view_submitted ON progress_report_view (submitted_at) WHERE submitted_at IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX progress_report_view_institution ON progress_report_view (lower(institution_id), submitted_at)`,
    );

    // Counters: how many actions (by workflow status) or recommendations (by implementation status)
    // fall under each dimension's key, apart for what the public may see.
    await queryRunner.query(`
      CREATE TABLE dashboard_count (
        subject text NOT NULL CONSTRAINT dashboard_count_subject CHECK (subject IN ('action', 'recommendation')),
        dimension text NOT NULL,
        key text NOT NULL,
        status text NOT NULL,
        public boolean NOT NULL,
        n bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (subject, dimension, public, key, status)
      )`);
    await queryRunner.query(`
      CREATE FUNCTION action_dashboard_keys(lead text, supporting text[], targets text[], plan uuid)
        RETURNS TABLE (dimension text, key text) LANGUAGE sql IMMUTABLE AS $$
        SELECT 'all', ''
        UNION ALL SELECT 'lead_institution', coalesce(lead, '')
        UNION ALL SELECT DISTINCT 'supporting_institution', s FROM unnest(supporting) s
        UNION ALL SELECT DISTINCT 'sdg_target', t FROM unnest(targets) t
        UNION ALL SELECT DISTINCT 'sdg_goal', split_part(t, '.', 1) FROM unnest(targets) t
        UNION ALL SELECT 'plan', coalesce(plan::text, '')
      $$`);
    await queryRunner.query(`
      CREATE FUNCTION recommendation_dashboard_keys(mechanism text, kind text, cycle integer, themes text[],
                                                    targets text[], clusters text[])
        RETURNS TABLE (dimension text, key text) LANGUAGE sql IMMUTABLE AS $$
        SELECT 'all', ''
        UNION ALL SELECT 'mechanism', mechanism
        UNION ALL SELECT 'mechanism_kind', kind
        UNION ALL SELECT 'cycle', cycle::text WHERE cycle > 0
        UNION ALL SELECT DISTINCT 'theme', t FROM unnest(themes) t
        UNION ALL SELECT DISTINCT 'sdg_target', t FROM unnest(targets) t
        UNION ALL SELECT DISTINCT 'sdg_goal', split_part(t, '.', 1) FROM unnest(targets) t
        UNION ALL SELECT DISTINCT 'cluster', c FROM unnest(clusters) c
      $$`);
    await queryRunner.query(`
      CREATE FUNCTION action_dashboard_count() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      BEGIN
        IF TG_OP = 'UPDATE'
           AND (OLD.lead_institution_id, OLD.supporting_institution_ids, OLD.sdg_targets, OLD.plan_id,
                OLD.workflow_status, OLD.status, OLD.public)
               IS NOT DISTINCT FROM
               (NEW.lead_institution_id, NEW.supporting_institution_ids, NEW.sdg_targets, NEW.plan_id,
                NEW.workflow_status, NEW.status, NEW.public) THEN
          RETURN NULL;
        END IF;
        INSERT INTO dashboard_count AS c (subject, dimension, key, status, public, n)
        SELECT 'action', k.dimension, k.key, v.status, v.public, sum(v.delta)
          FROM (SELECT OLD.lead_institution_id, OLD.supporting_institution_ids, OLD.sdg_targets, OLD.plan_id,
                       coalesce(OLD.workflow_status, OLD.status), OLD.public, -1 WHERE TG_OP <> 'INSERT'
                UNION ALL
                SELECT NEW.lead_institution_id, NEW.supporting_institution_ids, NEW.sdg_targets, NEW.plan_id,
                       coalesce(NEW.workflow_status, NEW.status), NEW.public, 1 WHERE TG_OP <> 'DELETE')
               AS v (lead, supporting, targets, plan, status, public, delta)
         CROSS JOIN LATERAL action_dashboard_keys(v.lead, v.supporting, v.targets, v.plan) k
         GROUP BY k.dimension, k.key, v.status, v.public
        ON CONFLICT (subject, dimension, public, key, status) DO UPDATE SET n = c.n + EXCLUDED.n;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER action_dashboard_count AFTER INSERT OR UPDATE OR DELETE ON action_view
        FOR EACH ROW EXECUTE FUNCTION action_dashboard_count()`);
    await queryRunner.query(`
      CREATE FUNCTION recommendation_dashboard_count() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      BEGIN
        IF TG_OP = 'UPDATE'
           AND (OLD.mechanism, OLD.mechanism_kind, OLD.upr_cycle, OLD.themes, OLD.sdg_targets, OLD.clusters,
                OLD.implementation_status, OLD.published)
               IS NOT DISTINCT FROM
               (NEW.mechanism, NEW.mechanism_kind, NEW.upr_cycle, NEW.themes, NEW.sdg_targets, NEW.clusters,
                NEW.implementation_status, NEW.published) THEN
          RETURN NULL;
        END IF;
        INSERT INTO dashboard_count AS c (subject, dimension, key, status, public, n)
        SELECT 'recommendation', k.dimension, k.key, v.status, v.public, sum(v.delta)
          FROM (SELECT OLD.mechanism, OLD.mechanism_kind, OLD.upr_cycle, OLD.themes, OLD.sdg_targets, OLD.clusters,
                       OLD.implementation_status, OLD.published, -1 WHERE TG_OP <> 'INSERT'
                UNION ALL
                SELECT NEW.mechanism, NEW.mechanism_kind, NEW.upr_cycle, NEW.themes, NEW.sdg_targets, NEW.clusters,
                       NEW.implementation_status, NEW.published, 1 WHERE TG_OP <> 'DELETE')
               AS v (mechanism, kind, cycle, themes, targets, clusters, status, public, delta)
         CROSS JOIN LATERAL recommendation_dashboard_keys(v.mechanism, v.kind, v.cycle, v.themes, v.targets, v.clusters) k
         GROUP BY k.dimension, k.key, v.status, v.public
        ON CONFLICT (subject, dimension, public, key, status) DO UPDATE SET n = c.n + EXCLUDED.n;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER recommendation_dashboard_count AFTER INSERT OR UPDATE OR DELETE ON recommendation_view
        FOR EACH ROW EXECUTE FUNCTION recommendation_dashboard_count()`);
    // Recounts everything from the rows: after a bulk load that bypassed the triggers, or to check them.
    await queryRunner.query(`
      CREATE FUNCTION rebuild_dashboard_counts() RETURNS void LANGUAGE sql SET search_path FROM CURRENT AS $$
        DELETE FROM dashboard_count;
        INSERT INTO dashboard_count (subject, dimension, key, status, public, n)
        SELECT 'action', k.dimension, k.key, coalesce(a.workflow_status, a.status), a.public, count(*)
          FROM action_view a
         CROSS JOIN LATERAL action_dashboard_keys(a.lead_institution_id, a.supporting_institution_ids,
                                                  a.sdg_targets, a.plan_id) k
         GROUP BY 2, 3, 4, 5;
        INSERT INTO dashboard_count (subject, dimension, key, status, public, n)
        SELECT 'recommendation', k.dimension, k.key, r.implementation_status, r.published, count(*)
          FROM recommendation_view r
         CROSS JOIN LATERAL recommendation_dashboard_keys(r.mechanism, r.mechanism_kind, r.upr_cycle, r.themes,
                                                          r.sdg_targets, r.clusters) k
         GROUP BY 2, 3, 4, 5;
      $$`);
    await queryRunner.query(`SELECT rebuild_dashboard_counts()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER recommendation_dashboard_count ON recommendation_view`);
    await queryRunner.query(`DROP TRIGGER action_dashboard_count ON action_view`);
    await queryRunner.query(`DROP FUNCTION rebuild_dashboard_counts()`);
    await queryRunner.query(`DROP FUNCTION recommendation_dashboard_count()`);
    await queryRunner.query(`DROP FUNCTION action_dashboard_count()`);
    await queryRunner.query(
      `DROP FUNCTION recommendation_dashboard_keys(text, text, integer, text[], text[], text[])`,
    );
    await queryRunner.query(`DROP FUNCTION action_dashboard_keys(text, text[], text[], uuid)`);
    await queryRunner.query(`DROP TABLE dashboard_count`);
    await queryRunner.query(`DROP TABLE progress_report_view`);
    await queryRunner.query(`DROP TABLE implementation_status_month`);
    await queryRunner.query(`DROP TABLE implementation_status_history`);
    await queryRunner.query(`DROP FUNCTION implementation_status_month_track()`);
    await queryRunner.query(`DROP INDEX recommendation_view_sdg_targets`);
    await queryRunner.query(`DROP INDEX recommendation_view_themes`);
    await queryRunner.query(`DROP INDEX recommendation_view_status`);
    await queryRunner.query(`DROP INDEX recommendation_view_document`);
    await queryRunner.query(`
      ALTER TABLE recommendation_view
        DROP COLUMN text, DROP COLUMN mechanism_kind, DROP COLUMN state_under_review, DROP COLUMN upr_cycle,
        DROP COLUMN upr_session, DROP COLUMN themes, DROP COLUMN sdg_targets, DROP COLUMN clusters,
        DROP COLUMN annotation_id, DROP COLUMN published, DROP COLUMN implementation_status_at, DROP COLUMN version`);
    await queryRunner.query(`DROP TABLE plan_view`);
    await queryRunner.query(`DROP TABLE action_recommendation_view`);
    await queryRunner.query(`DROP TABLE action_institution_view`);
    await queryRunner.query(`DROP INDEX action_view_due`);
    await queryRunner.query(`DROP INDEX action_view_plan`);
    await queryRunner.query(`DROP INDEX action_view_public_open_due`);
    await queryRunner.query(`DROP INDEX action_view_open_due`);
    await queryRunner.query(`
      ALTER TABLE action_view
        DROP COLUMN lead_institution_id, DROP COLUMN supporting_institution_ids, DROP COLUMN recommendation_ids,
        DROP COLUMN plan_id, DROP COLUMN workflow_status, DROP COLUMN start_date, DROP COLUMN sdg_targets,
        DROP COLUMN budget_line, DROP COLUMN milestones, DROP COLUMN version, DROP COLUMN public`);
  }
}
