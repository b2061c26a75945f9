import { MigrationInterface, QueryRunner } from 'typeorm';

/** The distinct `of(element)` of an array expression as an array (as migration 1767000000500). */
const distinct = (array: string, of = (element: string) => element) =>
  `CASE cardinality(${array}) WHEN 0 THEN '{}'::text[] WHEN 1 THEN ARRAY[${of(`(${array})[1]`)}]
        ELSE ARRAY(SELECT DISTINCT ${of('x')} FROM unnest(${array}) x) END`;
const goal = (target: string) => `split_part(${target}, '.', 1)`;
const month = (at: string) => `date_trunc('month', ${at} AT TIME ZONE 'UTC')::date`;
// The dimensions a two-dimension drill groups by: few keys each, so every pair stays small.
const PAIR_BY = `('mechanism', 'mechanism_kind', 'cycle', 'theme', 'sdg_goal')`;
// Each history row as the status it entered (+1) and the one it left (-1).
const HISTORY_DELTAS = `CROSS JOIN LATERAL (VALUES (h.status, 1), (h.previous_status, -1)) s (status, delta)`;

/** Open actions per due day: an action leaves its day when done, cancelled, moved or re-scoped. */
export const OPEN_ACTION_DUE_DAY_TRACK = `
  CREATE FUNCTION open_action_due_day_track() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
  BEGIN
    IF TG_OP = 'UPDATE'
       AND (OLD.lead_institution_id, OLD.supporting_institution_ids, OLD.status, OLD.due_at, OLD.public)
           IS NOT DISTINCT FROM
           (NEW.lead_institution_id, NEW.supporting_institution_ids, NEW.status, NEW.due_at, NEW.public) THEN
      RETURN NULL;
    END IF;
    INSERT INTO open_action_due_day AS c (scope, day, public, n)
    SELECT s.scope, v.day, v.public, sum(v.delta)
      FROM (SELECT OLD.lead_institution_id, OLD.supporting_institution_ids, (OLD.due_at AT TIME ZONE 'UTC')::date,
                   OLD.public, -1
             WHERE TG_OP <> 'INSERT' AND OLD.due_at IS NOT NULL AND OLD.status NOT IN ('completed', 'cancelled')
            UNION ALL
            SELECT NEW.lead_institution_id, NEW.supporting_institution_ids, (NEW.due_at AT TIME ZONE 'UTC')::date,
                   NEW.public, 1
             WHERE TG_OP <> 'DELETE' AND NEW.due_at IS NOT NULL AND NEW.status NOT IN ('completed', 'cancelled'))
           AS v (lead, supporting, day, public, delta)
     CROSS JOIN LATERAL action_dashboard_scopes(v.lead, v.supporting) s
     GROUP BY 1, 2, 3
    ON CONFLICT (scope, day, public) DO UPDATE SET n = c.n + EXCLUDED.n;
    RETURN NULL;
  END $$`;

/** Progress reports per month: a report counts for everyone and for each institution on its action. */
export const PROGRESS_REPORT_MONTH_TRACK = `
  CREATE FUNCTION progress_report_month_track() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
  BEGIN
    IF TG_OP = 'UPDATE' AND (OLD.action_id, OLD.submitted_at) IS NOT DISTINCT FROM (NEW.action_id, NEW.submitted_at) THEN
      RETURN NULL;
    END IF;
    INSERT INTO progress_report_month AS c (scope, month, n)
    SELECT s.scope, v.month, sum(v.delta)
      FROM (SELECT OLD.action_id, ${month('OLD.submitted_at')}, -1
             WHERE TG_OP <> 'INSERT' AND OLD.submitted_at IS NOT NULL
            UNION ALL
            SELECT NEW.action_id, ${month('NEW.submitted_at')}, 1
             WHERE TG_OP <> 'DELETE' AND NEW.submitted_at IS NOT NULL) AS v (action_id, month, delta)
     CROSS JOIN LATERAL (SELECT ''
                         UNION SELECT lower(i.institution_id) FROM action_institution_view i
                          WHERE i.action_id = v.action_id) s (scope)
     GROUP BY 1, 2
    ON CONFLICT (scope, month) DO UPDATE SET n = c.n + EXCLUDED.n;
    RETURN NULL;
  END $$`;

/**
 * Counters for the dashboard numbers that still counted rows at national scale, each kept in the
 * same transaction as the read-model row that moves it (triggers) and recounted by
 * `rebuild_dashboard_counts()`:
 * - `open_action_due_day`: open actions per due day (UTC), for everyone and per institution, public
 *   apart; a deadline window is whole days of counters plus the rows of its two partial days;
 * - `progress_report_month`: progress reports per month of first submission, for everyone and per
 *   institution leading or supporting the action;
 * - `implementation_status_scope_month`: the monthly status deltas of the recommendations in each
 *   institution's scope and of the published ones, so scoped series are running sums too;
 * - `recommendation_pair_count`: recommendations per (filter key, group key, status) for the
 *   two-dimension drills of everyone and of the public (a focal point's drills count rows).
 * Derived, so not audited.
 */
export class DashboardFastPaths1767000000870 implements MigrationInterface {
  name = 'DashboardFastPaths1767000000870';
  static unaudited = [
    'open_action_due_day',
    'progress_report_month',
    'implementation_status_scope_month',
    'recommendation_pair_count',
  ];

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE open_action_due_day (
        scope text NOT NULL,
        day date NOT NULL,
        public boolean NOT NULL,
        n bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (scope, day, public)
      )`);
    await queryRunner.query(`
      CREATE TABLE progress_report_month (
        scope text NOT NULL,
        month date NOT NULL,
        n bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (scope, month)
      )`);
    await queryRunner.query(`
      CREATE TABLE implementation_status_scope_month (
        scope text NOT NULL,
        public boolean NOT NULL,
        month date NOT NULL,
        status text NOT NULL,
        delta bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (scope, public, month, status)
      )`);
    await queryRunner.query(`
      CREATE TABLE recommendation_pair_count (
        dimension text NOT NULL,
        key text NOT NULL,
        by_dimension text NOT NULL,
        by_key text NOT NULL,
        status text NOT NULL,
        public boolean NOT NULL,
        n bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (dimension, key, by_dimension, public, by_key, status)
      )`);
    // The partial days of a deadline window, per institution; the reports of an action, for the
    // institution triggers.
    await queryRunner.query(`
      CREATE INDEX action_institution_view_open_due ON action_institution_view (lower(institution_id), due_at)
       WHERE status NOT IN ('completed', 'cancelled')`);
    await queryRunner.query(`CREATE INDEX progress_report_view_action ON progress_report_view (action_id)`);

    await queryRunner.query(OPEN_ACTION_DUE_DAY_TRACK);
    await queryRunner.query(`
      CREATE TRIGGER open_action_due_day_track AFTER INSERT OR UPDATE OR DELETE ON action_view
        FOR EACH ROW EXECUTE FUNCTION open_action_due_day_track()`);

    await queryRunner.query(PROGRESS_REPORT_MONTH_TRACK);
    await queryRunner.query(`
      CREATE TRIGGER progress_report_month_track AFTER INSERT OR UPDATE OR DELETE ON progress_report_view
        FOR EACH ROW EXECUTE FUNCTION progress_report_month_track()`);
    // An institution joining or leaving an action takes the action's reports along (once per
    // institution, whatever the case of its id: the projector replaces the rows, never updates them).
    await queryRunner.query(`
      CREATE FUNCTION progress_report_month_scope() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      DECLARE
        changed action_institution_view;
      BEGIN
        IF TG_OP = 'DELETE' THEN changed := OLD; ELSE changed := NEW; END IF;
        IF EXISTS (SELECT 1 FROM action_institution_view i
                    WHERE i.action_id = changed.action_id AND i.institution_id <> changed.institution_id
                      AND lower(i.institution_id) = lower(changed.institution_id)) THEN
          RETURN NULL;
        END IF;
        INSERT INTO progress_report_month AS c (scope, month, n)
        SELECT lower(changed.institution_id), ${month('p.submitted_at')},
               CASE WHEN TG_OP = 'DELETE' THEN -count(*) ELSE count(*) END
          FROM progress_report_view p
         WHERE p.action_id = changed.action_id AND p.submitted_at IS NOT NULL
         GROUP BY 2
        ON CONFLICT (scope, month) DO UPDATE SET n = c.n + EXCLUDED.n;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER progress_report_month_scope AFTER INSERT OR DELETE ON action_institution_view
        FOR EACH ROW EXECUTE FUNCTION progress_report_month_scope()`);

    // Scoped monthly status deltas of the recommendations in the view (as the rows are joined): a
    // status change moves everyone's and each scope the recommendation is in; arriving, entering or
    // leaving a scope, or being published or withdrawn, moves its whole history.
    const historyOf = (recommendation: string) => `
      SELECT ${month('h.changed_at')} AS month, s.status, sum(s.delta) AS delta
        FROM implementation_status_history h ${HISTORY_DELTAS}
       WHERE h.recommendation_id = ${recommendation} AND s.status IS NOT NULL
       GROUP BY 1, 2`;
    const scopesOf = (recommendation: string) =>
      `(SELECT '' UNION ALL SELECT i.scope FROM institution_recommendation i
         WHERE i.recommendation_id = ${recommendation} AND i.actions > 0) sc (scope)`;
    const upsert = `ON CONFLICT (scope, public, month, status) DO UPDATE SET delta = m.delta + EXCLUDED.delta`;
    await queryRunner.query(`
      CREATE FUNCTION implementation_status_scope_month_track() RETURNS trigger LANGUAGE plpgsql
        SET search_path FROM CURRENT AS $$
      BEGIN
        INSERT INTO implementation_status_scope_month AS m (scope, public, month, status, delta)
        SELECT sc.scope, r.published, ${month('NEW.changed_at')}, d.status, sum(d.delta)
          FROM recommendation_view r
         CROSS JOIN (VALUES (NEW.status, 1), (NEW.previous_status, -1)) d (status, delta)
         CROSS JOIN ${scopesOf('NEW.recommendation_id')}
         WHERE r.id = NEW.recommendation_id AND d.status IS NOT NULL
         GROUP BY 1, 2, 3, 4
        ${upsert};
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER implementation_status_scope_month_track AFTER INSERT ON implementation_status_history
        FOR EACH ROW EXECUTE FUNCTION implementation_status_scope_month_track()`);
    await queryRunner.query(`
      CREATE FUNCTION implementation_status_scope_enter() RETURNS trigger LANGUAGE plpgsql
        SET search_path FROM CURRENT AS $$
      DECLARE
        direction integer;
      BEGIN
        IF coalesce(OLD.actions, 0) <= 0 AND NEW.actions > 0 THEN direction := 1;
        ELSIF coalesce(OLD.actions, 0) > 0 AND NEW.actions <= 0 THEN direction := -1;
        ELSE RETURN NULL;
        END IF;
        INSERT INTO implementation_status_scope_month AS m (scope, public, month, status, delta)
        SELECT NEW.scope, r.published, d.month, d.status, direction * d.delta
          FROM recommendation_view r CROSS JOIN (${historyOf('NEW.recommendation_id')}) d
         WHERE r.id = NEW.recommendation_id
        ${upsert};
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER implementation_status_scope_enter AFTER INSERT OR UPDATE ON institution_recommendation
        FOR EACH ROW WHEN (current_setting('nmirf.rebuilding_dashboard', true) IS DISTINCT FROM 'on')
        EXECUTE FUNCTION implementation_status_scope_enter()`);
    await queryRunner.query(`
      CREATE FUNCTION implementation_status_scope_publish() RETURNS trigger LANGUAGE plpgsql
        SET search_path FROM CURRENT AS $$
      DECLARE
        recommendation uuid;
        -- null: not in the view (before it arrives, after it goes)
        was_public boolean := CASE WHEN TG_OP <> 'INSERT' THEN OLD.published END;
        is_public boolean := CASE WHEN TG_OP <> 'DELETE' THEN NEW.published END;
      BEGIN
        IF was_public IS NOT DISTINCT FROM is_public THEN RETURN NULL; END IF;
        IF TG_OP = 'DELETE' THEN recommendation := OLD.id; ELSE recommendation := NEW.id; END IF;
        INSERT INTO implementation_status_scope_month AS m (scope, public, month, status, delta)
        SELECT sc.scope, p.public, d.month, d.status, sum(p.sign * d.delta)
          FROM (${historyOf('recommendation')}) d
         CROSS JOIN ${scopesOf('recommendation')}
         CROSS JOIN (VALUES (was_public, -1), (is_public, 1)) p (public, sign)
         WHERE p.public IS NOT NULL
         GROUP BY 1, 2, 3, 4
        ${upsert};
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER implementation_status_scope_publish AFTER INSERT OR UPDATE OF published OR DELETE
        ON recommendation_view FOR EACH ROW EXECUTE FUNCTION implementation_status_scope_publish()`);

    // Pairs of keys: a recommendation under each filter key (any dimension) and each group key.
    await queryRunner.query(`
      CREATE FUNCTION recommendation_dashboard_pairs(mechanism text, kind text, cycle integer, themes text[],
                                                     targets text[], clusters text[])
        RETURNS TABLE (dimension text, key text, by_dimension text, by_key text) LANGUAGE sql IMMUTABLE AS $$
        SELECT f.dimension, f.key, b.dimension, b.key
          FROM recommendation_dashboard_keys(mechanism, kind, cycle, themes, targets, clusters) f
          JOIN recommendation_dashboard_keys(mechanism, kind, cycle, themes, targets, clusters) b
            ON b.dimension IN ${PAIR_BY} AND b.dimension <> f.dimension
         WHERE f.dimension <> 'all'
      $$`);
    await queryRunner.query(`
      CREATE FUNCTION recommendation_pair_count_track() RETURNS trigger LANGUAGE plpgsql
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
        INSERT INTO recommendation_pair_count AS c (dimension, key, by_dimension, by_key, status, public, n)
        SELECT p.dimension, p.key, p.by_dimension, p.by_key, v.status, v.public, sum(v.delta)
          FROM (SELECT OLD.mechanism, OLD.mechanism_kind, OLD.upr_cycle, OLD.themes, OLD.sdg_targets, OLD.clusters,
                       OLD.implementation_status, OLD.published, -1 WHERE TG_OP <> 'INSERT'
                UNION ALL
                SELECT NEW.mechanism, NEW.mechanism_kind, NEW.upr_cycle, NEW.themes, NEW.sdg_targets, NEW.clusters,
                       NEW.implementation_status, NEW.published, 1 WHERE TG_OP <> 'DELETE')
               AS v (mechanism, kind, cycle, themes, targets, clusters, status, public, delta)
         CROSS JOIN LATERAL recommendation_dashboard_pairs(v.mechanism, v.kind, v.cycle, v.themes, v.targets,
                                                           v.clusters) p
         GROUP BY 1, 2, 3, 4, 5, 6
        ON CONFLICT (dimension, key, by_dimension, public, by_key, status) DO UPDATE SET n = c.n + EXCLUDED.n;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER recommendation_pair_count_track AFTER INSERT OR UPDATE OR DELETE ON recommendation_view
        FOR EACH ROW EXECUTE FUNCTION recommendation_pair_count_track()`);

    // The recount: the key counters as before, then these, each one set-based pass.
    await queryRunner.query(
      `ALTER FUNCTION rebuild_dashboard_counts() RENAME TO rebuild_dashboard_key_counts`,
    );
    await queryRunner.query(`
      CREATE FUNCTION rebuild_dashboard_counts() RETURNS void LANGUAGE sql
        SET search_path FROM CURRENT SET work_mem = '256MB' SET jit = off SET nmirf.rebuilding_dashboard = 'on' AS $$
        SELECT rebuild_dashboard_key_counts();
        TRUNCATE open_action_due_day, progress_report_month, implementation_status_month,
                 implementation_status_scope_month, recommendation_pair_count;

        INSERT INTO open_action_due_day (scope, day, public, n)
        SELECT s.scope, (a.due_at AT TIME ZONE 'UTC')::date, a.public, count(*)
          FROM action_view a
         CROSS JOIN LATERAL unnest(ARRAY[''] || ${distinct(
           `array_remove(ARRAY[a.lead_institution_id], NULL) || a.supporting_institution_ids`,
           (id) => `lower(${id})`,
         )}) s (scope)
         WHERE a.due_at IS NOT NULL AND a.status NOT IN ('completed', 'cancelled')
         GROUP BY 1, 2, 3;

        INSERT INTO progress_report_month (scope, month, n)
        SELECT '', ${month('submitted_at')}, count(*) FROM progress_report_view
         WHERE submitted_at IS NOT NULL GROUP BY 2
        UNION ALL
        SELECT i.scope, ${month('p.submitted_at')}, count(*)
          FROM progress_report_view p
          JOIN (SELECT DISTINCT action_id, lower(institution_id) AS scope FROM action_institution_view) i
            ON i.action_id = p.action_id
         WHERE p.submitted_at IS NOT NULL
         GROUP BY 1, 2;

        INSERT INTO implementation_status_month (month, status, delta)
        SELECT ${month('h.changed_at')}, s.status, sum(s.delta)
          FROM implementation_status_history h ${HISTORY_DELTAS}
         WHERE s.status IS NOT NULL GROUP BY 1, 2;

        INSERT INTO implementation_status_scope_month (scope, public, month, status, delta)
        WITH d AS MATERIALIZED (
          SELECT h.recommendation_id, r.published AS public, ${month('h.changed_at')} AS month,
                 s.status, sum(s.delta) AS delta
            FROM implementation_status_history h JOIN recommendation_view r ON r.id = h.recommendation_id
                 ${HISTORY_DELTAS}
           WHERE s.status IS NOT NULL
           GROUP BY 1, 2, 3, 4)
        SELECT '', public, month, status, sum(delta) FROM d GROUP BY 2, 3, 4
        UNION ALL
        SELECT i.scope, d.public, d.month, d.status, sum(d.delta)
          FROM d JOIN institution_recommendation i ON i.recommendation_id = d.recommendation_id AND i.actions > 0
         GROUP BY 1, 2, 3, 4;

        INSERT INTO recommendation_pair_count (dimension, key, by_dimension, by_key, status, public, n)
        WITH k AS MATERIALIZED (
          SELECT r.id, k.dimension, k.key, r.implementation_status AS status, r.published AS public
            FROM recommendation_view r
           CROSS JOIN LATERAL (SELECT 'mechanism', r.mechanism
                               UNION ALL SELECT 'mechanism_kind', r.mechanism_kind
                               UNION ALL SELECT 'cycle', r.upr_cycle::text WHERE r.upr_cycle > 0
                               UNION ALL SELECT 'theme', unnest(${distinct('r.themes')})
                               UNION ALL SELECT 'sdg_target', unnest(${distinct('r.sdg_targets')})
                               UNION ALL SELECT 'sdg_goal', unnest(${distinct('r.sdg_targets', goal)})
                               UNION ALL SELECT 'cluster', unnest(${distinct('r.clusters')})) k (dimension, key))
        SELECT f.dimension, f.key, b.dimension, b.key, f.status, f.public, count(*)
          FROM k f JOIN k b ON b.id = f.id AND b.dimension IN ${PAIR_BY} AND b.dimension <> f.dimension
         GROUP BY 1, 2, 3, 4, 5, 6;
      $$`);
    await queryRunner.query(`SELECT rebuild_dashboard_counts()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION rebuild_dashboard_counts()`);
    await queryRunner.query(
      `ALTER FUNCTION rebuild_dashboard_key_counts() RENAME TO rebuild_dashboard_counts`,
    );
    await queryRunner.query(`DROP TRIGGER recommendation_pair_count_track ON recommendation_view`);
    await queryRunner.query(`DROP FUNCTION recommendation_pair_count_track()`);
    await queryRunner.query(
      `DROP FUNCTION recommendation_dashboard_pairs(text, text, integer, text[], text[], text[])`,
    );
    await queryRunner.query(`DROP TRIGGER implementation_status_scope_publish ON recommendation_view`);
    await queryRunner.query(`DROP FUNCTION implementation_status_scope_publish()`);
    await queryRunner.query(`DROP TRIGGER implementation_status_scope_enter ON institution_recommendation`);
    await queryRunner.query(`DROP FUNCTION implementation_status_scope_enter()`);
    await queryRunner.query(
      `DROP TRIGGER implementation_status_scope_month_track ON implementation_status_history`,
    );
    await queryRunner.query(`DROP FUNCTION implementation_status_scope_month_track()`);
    await queryRunner.query(`DROP TRIGGER progress_report_month_scope ON action_institution_view`);
    await queryRunner.query(`DROP FUNCTION progress_report_month_scope()`);
    await queryRunner.query(`DROP TRIGGER progress_report_month_track ON progress_report_view`);
    await queryRunner.query(`DROP FUNCTION progress_report_month_track()`);
    await queryRunner.query(`DROP TRIGGER open_action_due_day_track ON action_view`);
    await queryRunner.query(`DROP FUNCTION open_action_due_day_track()`);
    await queryRunner.query(`DROP INDEX progress_report_view_action`);
    await queryRunner.query(`DROP INDEX action_institution_view_open_due`);
    for (const table of DashboardFastPaths1767000000870.unaudited.slice().reverse())
      await queryRunner.query(`DROP TABLE ${table}`);
  }
}
