import { MigrationInterface, QueryRunner } from 'typeorm';
import { addRecountStep, removeRecountStep } from './recount-steps';
import { ACTION_TRIGGER } from './1766000000021-institution-dashboard-counts';
import { INSTITUTION_RECOMMENDATION_TRACK } from './1766000000022-institution-recommendation-counts';
import { OPEN_ACTION_DUE_DAY_TRACK, PROGRESS_REPORT_MONTH_TRACK } from './1767000000870-dashboard-fast-paths';

const month = (at: string) => `date_trunc('month', ${at} AT TIME ZONE 'UTC')::date`;
// Each history row as the status it entered (+1) and the one it left (-1).
const HISTORY_DELTAS = `CROSS JOIN LATERAL (VALUES (h.status, 1), (h.previous_status, -1)) s (status, delta)`;
/** A group counts in 64 chunks of ids, by their first byte (four values a chunk). */
const CHUNKS = 64;
/** Whether a group `g` (a dashboard_scope_group row) keeps the counters of an item with this id yet. */
const counted = (id: string, g = 'g') => `get_byte(uuid_send(${id}), 0) < ${g}.counted_chunks * 4`;
/** The lowercased institutions of an action's lead and supporting columns. */
const institutionsOf = (lead: string, supporting: string) =>
  `SELECT lower(x) FROM unnest(array_remove(ARRAY[${lead}], NULL) || ${supporting}) x`;
/** The groups an action's institutions are members of that keep its counters, each once. */
const groupsOf = (lead: string, supporting: string, action: string) =>
  `SELECT DISTINCT m.scope FROM dashboard_scope_member m JOIN dashboard_scope_group g ON g.scope = m.scope
    WHERE m.institution IN (${institutionsOf(lead, supporting)}) AND ${counted(action)}`;
const upsert = (key: string, column = 'n') =>
  `ON CONFLICT (${key}) DO UPDATE SET ${column} = c.${column} + EXCLUDED.${column}`;
const rowAction = `CASE WHEN TG_OP = 'DELETE' THEN OLD.action_id ELSE NEW.action_id END`;
/** Tables whose writers move a group's counters, in the order the projector writes them. */
const SOURCES = [
  'action_view',
  'action_recommendation_view',
  'action_institution_view',
  'recommendation_view',
  'implementation_status_history',
  'progress_report_view',
];
/** What a group's counters are written to. */
const COUNTERS = [
  'dashboard_count',
  'dashboard_key_total',
  'institution_recommendation',
  'open_action_due_day',
  'progress_report_month',
  'implementation_status_scope_month',
  'institution_pair_count',
];

/**
 * Counters for a focal point acting for several institutions: a group (`dashboard_scope_group`, its
 * key the sorted lowercased ids as a text array, `{justice,health}`) is a counter scope as one
 * institution is, holding each action and recommendation of any of its members once. Summing the
 * members' counters would count twice the work they share.
 *
 * - `register_dashboard_scope_group` records a set; `CALL count_dashboard_scope_group(scope)` then
 *   counts it from the rows in 64 chunks of ids, each in its own short transaction holding the read
 *   model's writers back (a national-scale set took 26 s counted at once). From the chunk it is
 *   counted on, an item's counters are kept by the triggers: `action_dashboard_scopes` answers the
 *   groups of an action's institutions, a group's row in `institution_recommendation` is the sum of
 *   its members' (so its scope entry and exit, its status series and its drills follow as an
 *   institution's do), and progress reports move with the action's institutions on `action_view`.
 *   A count cut short resumes from its last chunk; a group is read once every chunk is counted.
 * - `rebuild_dashboard_counts()` recounts every group after the rest.
 * Derived, so not audited.
 */
export class InstitutionGroupCounts1767000001060 implements MigrationInterface {
  name = 'InstitutionGroupCounts1767000001060';
  static unaudited = ['dashboard_scope_group', 'dashboard_scope_member'];

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE dashboard_scope_group (
        scope text PRIMARY KEY,
        institutions text[] NOT NULL,
        counted_chunks integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE dashboard_scope_member (
        institution text NOT NULL,
        scope text NOT NULL REFERENCES dashboard_scope_group (scope) ON DELETE CASCADE,
        PRIMARY KEY (institution, scope)
      )`);

    // The action's counters: everyone's, each institution's, and its groups'.
    await queryRunner.query(`
      CREATE FUNCTION action_dashboard_scopes(lead text, supporting text[], action uuid)
        RETURNS TABLE (scope text) LANGUAGE sql STABLE AS $$
        SELECT ''
        UNION ${institutionsOf('lead', 'supporting')}
        UNION ${groupsOf('lead', 'supporting', 'action')}
      $$`);
    const withGroups = (sql: string) =>
      sql
        .replace('CREATE FUNCTION', 'CREATE OR REPLACE FUNCTION')
        .replace(
          'action_dashboard_scopes(v.lead, v.supporting)',
          `action_dashboard_scopes(v.lead, v.supporting, ${rowAction})`,
        );
    await queryRunner.query(withGroups(ACTION_TRIGGER));
    await queryRunner.query(withGroups(OPEN_ACTION_DUE_DAY_TRACK));

    // A group's count is the sum of its members' (±1 per member institution and recommendation).
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION institution_recommendation_track() RETURNS trigger LANGUAGE plpgsql
        SET search_path FROM CURRENT AS $$
      DECLARE
        row_action uuid := ${rowAction};
        delta integer := CASE WHEN TG_OP = 'DELETE' THEN -1 ELSE 1 END;
        row_institution text;
        row_recommendation uuid;
      BEGIN
        IF TG_TABLE_NAME = 'action_institution_view' THEN
          row_institution := lower(CASE WHEN TG_OP = 'DELETE' THEN OLD.institution_id ELSE NEW.institution_id END);
          INSERT INTO institution_recommendation AS c (scope, recommendation_id, actions)
          SELECT s.scope, r.recommendation_id, delta
            FROM action_recommendation_view r
           CROSS JOIN LATERAL (SELECT row_institution
                               UNION ALL
                               SELECT m.scope FROM dashboard_scope_member m
                                 JOIN dashboard_scope_group g ON g.scope = m.scope
                                WHERE m.institution = row_institution AND ${counted('r.recommendation_id')}) s (scope)
           WHERE r.action_id = row_action
          ${upsert('scope, recommendation_id', 'actions')};
        ELSE
          row_recommendation := CASE WHEN TG_OP = 'DELETE' THEN OLD.recommendation_id ELSE NEW.recommendation_id END;
          INSERT INTO institution_recommendation AS c (scope, recommendation_id, actions)
          SELECT s.scope, row_recommendation, sum(delta)
            FROM (SELECT DISTINCT lower(i.institution_id) AS id FROM action_institution_view i
                   WHERE i.action_id = row_action) i
           CROSS JOIN LATERAL (SELECT i.id
                               UNION ALL
                               SELECT m.scope FROM dashboard_scope_member m
                                 JOIN dashboard_scope_group g ON g.scope = m.scope
                                WHERE m.institution = i.id AND ${counted('row_recommendation')}) s (scope)
           GROUP BY s.scope
          ${upsert('scope, recommendation_id', 'actions')};
        END IF;
        RETURN NULL;
      END $$`);

    // A report counts once in each group of its action's institutions.
    await queryRunner.query(
      PROGRESS_REPORT_MONTH_TRACK.replace('CREATE FUNCTION', 'CREATE OR REPLACE FUNCTION').replace(
        `WHERE i.action_id = v.action_id) s (scope)`,
        `WHERE i.action_id = v.action_id
                         UNION SELECT ga.scope FROM action_view a
                          CROSS JOIN LATERAL (${groupsOf('a.lead_institution_id', 'a.supporting_institution_ids', 'a.action_id')}) ga
                          WHERE a.action_id = v.action_id) s (scope)`,
      ),
    );
    // An action joining or leaving a group takes its reports along.
    await queryRunner.query(`
      CREATE FUNCTION progress_report_month_group() RETURNS trigger LANGUAGE plpgsql
        SET search_path FROM CURRENT AS $$
      BEGIN
        INSERT INTO progress_report_month AS c (scope, month, n)
        SELECT g.scope, ${month('p.submitted_at')}, sum(g.delta)
          FROM (SELECT o.scope, -1
                  FROM (${groupsOf('OLD.lead_institution_id', 'OLD.supporting_institution_ids', 'OLD.action_id')}) o
                 WHERE TG_OP <> 'INSERT'
                UNION ALL
                SELECT n.scope, 1
                  FROM (${groupsOf('NEW.lead_institution_id', 'NEW.supporting_institution_ids', 'NEW.action_id')}) n
                 WHERE TG_OP <> 'DELETE') g (scope, delta)
          JOIN progress_report_view p ON p.action_id = ${rowAction} AND p.submitted_at IS NOT NULL
         GROUP BY 1, 2
        HAVING sum(g.delta) <> 0
        ${upsert('scope, month')};
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER progress_report_month_group
        AFTER INSERT OR UPDATE OF lead_institution_id, supporting_institution_ids OR DELETE ON action_view
        FOR EACH ROW EXECUTE FUNCTION progress_report_month_group()`);

    // A group's counters of the items whose ids are in chunks first…last, from their rows, added to
    // what the counters hold (the triggers that a recount turns off are off).
    await queryRunner.query(`
      CREATE FUNCTION count_dashboard_scope_group_chunks(group_scope text, first_chunk integer, last_chunk integer)
        RETURNS void LANGUAGE plpgsql
        SET search_path FROM CURRENT SET work_mem = '256MB' SET jit = off SET nmirf.rebuilding_dashboard = 'on' AS $$
      DECLARE
        members text[] := (SELECT institutions FROM dashboard_scope_group WHERE scope = group_scope);
        lo uuid := (lpad(to_hex(first_chunk * 4), 2, '0') || '000000-0000-0000-0000-000000000000')::uuid;
        hi uuid := (lpad(to_hex(last_chunk * 4 + 3), 2, '0') || 'ffffff-ffff-ffff-ffff-ffffffffffff')::uuid;
      BEGIN
        CREATE TEMPORARY TABLE group_action ON COMMIT DROP AS
        SELECT a.action_id, a.lead_institution_id, a.supporting_institution_ids, a.sdg_targets, a.plan_id,
               coalesce(a.workflow_status, a.status) AS status, a.status AS progress, a.due_at, a.public
          FROM action_view a
         WHERE a.action_id BETWEEN lo AND hi
           AND EXISTS (SELECT 1 FROM (${institutionsOf('a.lead_institution_id', 'a.supporting_institution_ids')}) x (id)
                        WHERE x.id = ANY(members));
        CREATE TEMPORARY TABLE group_recommendation ON COMMIT DROP AS
        SELECT recommendation_id, sum(actions) AS actions FROM institution_recommendation
         WHERE recommendation_id BETWEEN lo AND hi AND scope = ANY(members)
         GROUP BY 1 HAVING sum(actions) <> 0;
        INSERT INTO institution_recommendation (scope, recommendation_id, actions)
        SELECT group_scope, recommendation_id, actions FROM group_recommendation;

        CREATE TEMPORARY TABLE group_count ON COMMIT DROP AS
        SELECT 'action' AS subject, k.dimension, k.key, a.status, a.public, count(*) AS n
          FROM group_action a
         CROSS JOIN LATERAL action_dashboard_keys(a.lead_institution_id, a.supporting_institution_ids,
                                                  a.sdg_targets, a.plan_id) k
         GROUP BY 2, 3, 4, 5
        UNION ALL
        SELECT 'recommendation', k.dimension, k.key, r.implementation_status, r.published, count(*)
          FROM group_recommendation i JOIN recommendation_view r ON r.id = i.recommendation_id
         CROSS JOIN LATERAL recommendation_dashboard_keys(r.mechanism, r.mechanism_kind, r.upr_cycle, r.themes,
                                                          r.sdg_targets, r.clusters) k
         WHERE i.actions > 0
         GROUP BY 2, 3, 4, 5;
        INSERT INTO dashboard_count AS c (subject, scope, dimension, key, status, public, n)
        SELECT subject, group_scope, dimension, key, status, public, n FROM group_count
        ${upsert('subject, scope, dimension, public, key, status')};
        INSERT INTO dashboard_key_total AS c (subject, scope, dimension, public, key, n, statuses)
        SELECT subject, group_scope, dimension, public, key, sum(n), jsonb_object_agg(status, n) FILTER (WHERE n <> 0)
          FROM group_count
         GROUP BY 1, 3, 4, 5 HAVING sum(n) <> 0
        ON CONFLICT (subject, scope, dimension, public, key) DO UPDATE
          SET n = c.n + EXCLUDED.n, statuses = dashboard_status_add(c.statuses, EXCLUDED.statuses);

        INSERT INTO open_action_due_day AS c (scope, day, public, n)
        SELECT group_scope, (a.due_at AT TIME ZONE 'UTC')::date, a.public, count(*)
          FROM group_action a
         WHERE a.due_at IS NOT NULL AND a.progress NOT IN ('completed', 'cancelled')
         GROUP BY 2, 3
        ${upsert('scope, day, public')};

        INSERT INTO progress_report_month AS c (scope, month, n)
        SELECT group_scope, ${month('p.submitted_at')}, count(*)
          FROM progress_report_view p JOIN group_action a ON a.action_id = p.action_id
         WHERE p.submitted_at IS NOT NULL
         GROUP BY 2
        ${upsert('scope, month')};

        INSERT INTO implementation_status_scope_month AS c (scope, public, month, status, delta)
        SELECT group_scope, r.published, ${month('h.changed_at')}, s.status, sum(s.delta)
          FROM group_recommendation i
          JOIN recommendation_view r ON r.id = i.recommendation_id
          JOIN implementation_status_history h ON h.recommendation_id = i.recommendation_id
               ${HISTORY_DELTAS}
         WHERE i.actions > 0 AND s.status IS NOT NULL
         GROUP BY 2, 3, 4
        ${upsert('scope, public, month, status', 'delta')};

        INSERT INTO institution_pair_count AS c (scope, dimension, key, by_dimension, by_key, status, public, n)
        SELECT group_scope, p.dimension, p.key, p.by_dimension, p.by_key, r.implementation_status, r.published,
               count(*)
          FROM group_recommendation i JOIN recommendation_view r ON r.id = i.recommendation_id
         CROSS JOIN LATERAL recommendation_scope_pairs(r.mechanism, r.mechanism_kind, r.upr_cycle, r.themes,
                                                       r.sdg_targets, '{}') p
         WHERE i.actions > 0
         GROUP BY 2, 3, 4, 5, 6, 7
        ${upsert('scope, dimension, key, by_dimension, public, by_key, status')};

        DROP TABLE group_action, group_recommendation, group_count;
      END $$`);

    await queryRunner.query(`
      CREATE FUNCTION register_dashboard_scope_group(institutions text[]) RETURNS text LANGUAGE plpgsql
        SET search_path FROM CURRENT AS $$
      DECLARE
        members text[] := ARRAY(SELECT DISTINCT lower(x) COLLATE "C" FROM unnest(institutions) x ORDER BY 1);
        group_scope text := members::text;
      BEGIN
        IF cardinality(members) < 2 THEN
          RAISE EXCEPTION 'a group holds at least two institutions, not %', members;
        END IF;
        INSERT INTO dashboard_scope_group (scope, institutions) VALUES (group_scope, members)
        ON CONFLICT (scope) DO NOTHING;
        INSERT INTO dashboard_scope_member (institution, scope) SELECT unnest(members), group_scope
        ON CONFLICT DO NOTHING;
        RETURN group_scope;
      END $$`);
    // Each chunk in its own transaction, while the writers of its rows wait (they would otherwise
    // move counters the count cannot see, or miss ones it wrote); at most \`chunks\` of them.
    await queryRunner.query(`
      CREATE PROCEDURE count_dashboard_scope_group(group_scope text, chunks integer DEFAULT ${CHUNKS})
        LANGUAGE plpgsql AS $$
      DECLARE
        done integer;
        counted_any boolean := false;
      BEGIN
        FOR step IN 1..chunks LOOP
          LOCK TABLE ${SOURCES.join(', ')} IN SHARE ROW EXCLUSIVE MODE;
          SELECT counted_chunks INTO done FROM dashboard_scope_group WHERE scope = group_scope FOR UPDATE;
          EXIT WHEN done IS NULL OR done >= ${CHUNKS};
          PERFORM count_dashboard_scope_group_chunks(group_scope, done, done);
          UPDATE dashboard_scope_group SET counted_chunks = done + 1 WHERE scope = group_scope;
          COMMIT;
          counted_any := true;
        END LOOP;
        COMMIT;
        -- A new scope's counters are unknown to the planner until analysed.
        IF counted_any THEN
          ANALYZE ${COUNTERS.join(', ')};
        END IF;
      END $$`);

    // The recount: everything as before, then each group whole.
    await addRecountStep(
      queryRunner,
      'groups',
      `SELECT count_dashboard_scope_group_chunks(scope, 0, ${CHUNKS - 1}) FROM dashboard_scope_group ORDER BY scope;
       UPDATE dashboard_scope_group SET counted_chunks = ${CHUNKS};`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await removeRecountStep(queryRunner, 'groups');
    await queryRunner.query(`DROP PROCEDURE count_dashboard_scope_group(text, integer)`);
    await queryRunner.query(`DROP FUNCTION register_dashboard_scope_group(text[])`);
    await queryRunner.query(`DROP FUNCTION count_dashboard_scope_group_chunks(text, integer, integer)`);
    await queryRunner.query(`DROP TRIGGER progress_report_month_group ON action_view`);
    await queryRunner.query(`DROP FUNCTION progress_report_month_group()`);
    for (const table of COUNTERS)
      await queryRunner.query(
        `DELETE FROM ${table} WHERE scope IN (SELECT scope FROM dashboard_scope_group)`,
      );
    for (const sql of [
      PROGRESS_REPORT_MONTH_TRACK,
      INSTITUTION_RECOMMENDATION_TRACK,
      OPEN_ACTION_DUE_DAY_TRACK,
    ])
      await queryRunner.query(sql.replace('CREATE FUNCTION', 'CREATE OR REPLACE FUNCTION'));
    await queryRunner.query(ACTION_TRIGGER);
    await queryRunner.query(`DROP FUNCTION action_dashboard_scopes(text, text[], uuid)`);
    await queryRunner.query(`DROP TABLE dashboard_scope_member`);
    await queryRunner.query(`DROP TABLE dashboard_scope_group`);
  }
}
