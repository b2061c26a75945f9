// Dashboard query benchmark: reporting's read model filled like a large national catalogue (250,000
// recommendations, 1,000,000 actions by default), generated inside PostgreSQL (generate_series and a
// seeded random()) straight into its tables with the triggers off, then the counters rebuilt as
// `rebuild_dashboard_counts()` does. Every dashboard query of the
// reporting service's build (DashboardsService, the code the API runs) is timed for the coordinator,
// a focal point of a large ministry and an anonymous reader: cold (each sample on a new connection,
// so a new backend with empty caches; PostgreSQL's shared buffers and the OS cache stay warm, as the
// server is not restarted) and warm. The same numbers are counted again as a plain SQL GROUP BY on the
// rows, in the same run, checked equal, and timed: the ratio says what the counters and indexes buy.
//   npm run bench:dashboards [-- --recommendations 250000 --actions 1000000 --warm 30 --cold 5 --keep | --database URL | --dist DIR | --only WORD,WORD]
import { serviceDataSourceOptions, migrate } from '@nmirf/platform';
import { createTestDatabase } from '@nmirf/testing';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import pg from 'pg';
import { root } from '../../infra/scripts/lib.mjs';

const require = createRequire(import.meta.url);
// --dist DIR times another build of the reporting service (default: services/reporting/dist).
const distIndex = process.argv.indexOf('--dist');
const distDir = distIndex > 0 ? process.argv[distIndex + 1] : join(root, 'services/reporting/dist');
const dist = (path) => require(join(distDir, path));
const { DataSource } = require('typeorm');
const { entities, migrations, SCHEMA } = dist('database.js');
const { DashboardsService } = dist('dashboards/dashboards.service.js');
const { decodeCursor, MAX_TOP_GROUPS } = dist('dashboards/dashboard-query.js');

const arg = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
};
const RECOMMENDATIONS = arg('recommendations', 250_000);
const ACTIONS = arg('actions', 1_000_000);
const WARM = arg('warm', 30);
const COLD = arg('cold', 5);
const GOAL_MS = 50;

// The catalogue's shape, after the UHRI. Each distribution is drawn inside PostgreSQL from a table of
// slots: value i fills a share of the slots proportional to its weight (at least one), so one
// `slots[1 + floor(random() * n)]` draws it. The session's seed makes every run load the same catalogue.
/** Slots of a weighted choice among 1…weights.length, as an SQL int[] literal. */
const slots = (weights, size = 10_000) => {
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const values = weights.flatMap((weight, i) =>
    Array.from({ length: Math.max(1, Math.round((weight / total) * size)) }, () => i + 1),
  );
  return `'{${values.join(',')}}'::int[]`;
};
/** Zipf-like: a few items take most of the weight, as a few ministries lead most actions. */
const zipf = (count, exponent = 1) => Array.from({ length: count }, (_, rank) => 1 / (rank + 1) ** exponent);
/** An SQL array literal of text values, indexed by what a draw returns. */
const names = (values) => `ARRAY[${values.map((value) => `'${value}'`).join(', ')}]`;

// UPR over half, then the treaty bodies, then special procedures.
const MECHANISMS = [
  ['UPR', 'upr', 55],
  ['CEDAW', 'treaty_body', 7],
  ['CRC', 'treaty_body', 7],
  ['CESCR', 'treaty_body', 5],
  ['CCPR', 'treaty_body', 5],
  ['CAT', 'treaty_body', 3],
  ['CERD', 'treaty_body', 3],
  ['CRPD', 'treaty_body', 3],
  ['CMW', 'treaty_body', 1],
  ['CED', 'treaty_body', 1],
  ['SR-Torture', 'special_procedure', 4],
  ['SR-Education', 'special_procedure', 3],
  ['WG-Disappearances', 'special_procedure', 3],
];
const GOALS = [16, 5, 10, 4, 3, 8, 1, 11, 6, 2, 13, 17, 9, 12, 14, 15, 7];
const IMPLEMENTATION = [
  ['not_started', 45],
  ['in_progress', 30],
  ['partially_implemented', 12],
  ['implemented', 10],
  ['no_longer_applicable', 3],
];
const INSTITUTIONS = Array.from({ length: 70 }, (_, i) => `institution-${String(i + 1).padStart(2, '0')}`);
const WORKFLOW = [
  ['proposed', 5],
  ['assigned', 15],
  ['acknowledged', 10],
  ['declined', 2],
  ['in_progress', 35],
  ['blocked', 5],
  ['completed', 23],
  ['cancelled', 5],
];
// 20 plans (the first 12 published) at weight 4 each, and no plan at weight 20.
const PLANS = 20;
const PUBLISHED_PLANS = 12;
const DRAW = {
  mechanism: slots(MECHANISMS.map(([, , weight]) => weight)),
  theme: slots(zipf(60, 0.8)),
  goal: slots(zipf(GOALS.length, 0.9)),
  cluster: slots(zipf(2000, 0.6), 100_000),
  implementation: slots(IMPLEMENTATION.map(([, weight]) => weight)),
  lead: slots(zipf(INSTITUTIONS.length, 1)),
  support: slots(zipf(INSTITUTIONS.length, 0.7)),
  workflow: slots(WORKFLOW.map(([, weight]) => weight)),
  plan: slots([...Array.from({ length: PLANS }, () => 4), 20]),
};
const planId = (index) => `md5('plan-' || ${index})::uuid`;
const now = new Date();
// A month is 30.4 days, as the due dates and submissions spread over months.
const MONTH = `interval '30.4 days'`;

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const ms = (value) => value.toFixed(1).padStart(7);

// --database URL times the queries on a database an earlier run left behind (--keep), without loading.
const reuse = process.argv.includes('--database')
  ? process.argv[process.argv.indexOf('--database') + 1]
  : null;
const database = reuse
  ? { url: reuse, drop: async () => undefined }
  : await createTestDatabase('bench_dashboards');
const started = performance.now();
try {
  if (!reuse) await load();
  // A kept database gets the migrations written since it was loaded (each recounts what it adds).
  else await migrate({ url: database.url, schema: SCHEMA, entities, migrations });
  await measure();
} finally {
  // --keep leaves the loaded database behind, to look at query plans.
  if (process.argv.includes('--keep') || reuse) console.log(`Kept ${database.url}`);
  else await database.drop();
}

async function load() {
  await migrate({ url: database.url, schema: SCHEMA, entities, migrations });
  const loader = new pg.Client({
    connectionString: database.url,
    options: `-c search_path=${SCHEMA},public`,
  });
  await loader.connect();
  const step = async (label, sql, params = []) => {
    const begun = performance.now();
    const { rowCount } = await loader.query(sql, params);
    console.log(
      `  ${label}: ${(rowCount ?? 0).toLocaleString('en')} rows in ${((performance.now() - begun) / 1000).toFixed(1)} s`,
    );
    return rowCount ?? 0;
  };
  // A bulk load skips the row triggers; the counters are rebuilt from the rows afterwards. One
  // backend draws every value (no parallel workers), from a fixed seed.
  await loader.query(`SET session_replication_role = replica`);
  await loader.query(`SET max_parallel_workers_per_gather = 0`);
  await loader.query(`SET temp_buffers = '256MB'`);
  await loader.query(`SET work_mem = '256MB'`);
  await loader.query(`SELECT setseed(0.2545)`);
  await loader.query(`
    CREATE FUNCTION pg_temp.draw(slots int[]) RETURNS int LANGUAGE sql VOLATILE AS
      $$ SELECT slots[1 + floor(random() * cardinality(slots))::int] $$;
    -- low…high draws of a distribution, each value once.
    CREATE FUNCTION pg_temp.draws(slots int[], low int, high int) RETURNS int[] LANGUAGE sql VOLATILE AS
      $$ SELECT ARRAY(SELECT DISTINCT pg_temp.draw(slots)
                        FROM generate_series(1, low + floor(random() * (high - low + 1))::int)) $$;
    CREATE FUNCTION pg_temp.labels(prefix text, ids int[]) RETURNS text[] LANGUAGE sql IMMUTABLE AS
      $$ SELECT ARRAY(SELECT prefix || lpad(id::text, 2, '0') FROM unnest(ids) id) $$;
    CREATE FUNCTION pg_temp.sdg_targets(low int, high int) RETURNS text[] LANGUAGE sql VOLATILE AS
      $$ SELECT ARRAY(SELECT DISTINCT (ARRAY[${GOALS.join(', ')}])[pg_temp.draw(${DRAW.goal})] || '.' ||
                                      (ARRAY['1', '2', '3', '4', '5', '6', '7', 'a', 'b'])[1 + floor(random() * 9)::int]
                        FROM generate_series(1, low + floor(random() * (high - low + 1))::int)) $$;
    -- 1–3 recommendations of the catalogue, uniformly.
    CREATE FUNCTION pg_temp.served(catalogue int) RETURNS uuid[] LANGUAGE sql VOLATILE AS
      $$ SELECT ARRAY(SELECT DISTINCT md5('recommendation-' || (1 + floor(random() * catalogue))::int)::uuid
                        FROM generate_series(1, 1 + floor(random() * 3)::int)) $$;
  `);

  // Secondary indexes are built once after the load, a sort each, rather than entry by entry.
  const { rows: indexes } = await loader.query(
    `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition
       FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
      WHERE t.relnamespace = $1::regnamespace AND t.relname = ANY ($2)
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`,
    [
      SCHEMA,
      [
        'recommendation_view',
        'implementation_status_history',
        'action_view',
        'action_recommendation_view',
        'action_institution_view',
        'progress_report_view',
      ],
    ],
  );
  for (const { name } of indexes) await loader.query(`DROP INDEX ${name}`);

  // Recommendations, their status history (1–3 changes over three years) and publication (40 %).
  await step(
    'generated recommendations',
    `CREATE TEMP TABLE generated_recommendation AS
     SELECT md5('recommendation-' || i)::uuid AS id,
            (${names(MECHANISMS.map(([name]) => name))})[m] AS mechanism,
            (${names(MECHANISMS.map(([, kind]) => kind))})[m] AS kind,
            (${names(IMPLEMENTATION.map(([name]) => name))})[s] AS status,
            cycle, co, paragraph, arrived, arrived + step1 AS second_at, arrived + step1 + step2 AS third_at,
            via_progress, themes, targets, clusters, published
       FROM (SELECT i, pg_temp.draw(${DRAW.mechanism}) AS m, pg_temp.draw(${DRAW.implementation}) AS s,
                    $1::timestamptz - (12 + random() * 24) * ${MONTH} AS arrived,
                    random() * interval '180 days' AS step1, random() * interval '180 days' AS step2,
                    random() < 0.6 AS via_progress, 1 + floor(random() * 4)::int AS cycle,
                    1 + floor(random() * 5)::int AS co,
                    (100 + floor(random() * 50))::int || '.' || (1 + floor(random() * 250))::int AS paragraph,
                    pg_temp.labels('theme-', pg_temp.draws(${DRAW.theme}, 1, 3)) AS themes,
                    pg_temp.sdg_targets(0, 3) AS targets,
                    CASE WHEN random() < 0.3 THEN ARRAY['cluster-' || pg_temp.draw(${DRAW.cluster})] ELSE '{}' END
                      AS clusters,
                    random() < 0.4 AS published
               FROM generate_series(1, $2::int) i OFFSET 0) g`,
    [now, RECOMMENDATIONS],
  );
  await step(
    'recommendation_view',
    `INSERT INTO recommendation_view (id, mechanism, mechanism_kind, document_symbol, paragraph, position,
       recommending_states, text, state_under_review, upr_cycle, upr_session, themes, sdg_targets, clusters,
       published, implementation_status, implementation_status_at, version)
     SELECT id, mechanism, kind,
            CASE WHEN kind = 'upr' THEN 'A/HRC/' || (20 + g.cycle * 10) || '/15' ELSE mechanism || '/C/SVN/CO/' || co END,
            paragraph, 'supported', '{}', 'Recommendation text', 'SVN', u.cycle, u.cycle * 10 + 10,
            themes, targets, clusters, published, status,
            CASE WHEN status = 'not_started' THEN arrived
                 WHEN status = 'in_progress' OR NOT via_progress THEN second_at ELSE third_at END, 1
       FROM generated_recommendation g
      CROSS JOIN LATERAL (SELECT CASE WHEN g.kind = 'upr' THEN g.cycle ELSE 0 END) u (cycle)`,
  );
  await step(
    'implementation_status_history',
    `INSERT INTO implementation_status_history (recommendation_id, status, previous_status, changed_at)
     SELECT id, 'not_started', NULL, arrived FROM generated_recommendation
     UNION ALL
     SELECT id, 'in_progress', 'not_started', second_at FROM generated_recommendation
      WHERE status = 'in_progress' OR (status <> 'not_started' AND via_progress)
     UNION ALL
     SELECT id, status, 'not_started', second_at FROM generated_recommendation
      WHERE status NOT IN ('not_started', 'in_progress') AND NOT via_progress
     UNION ALL
     SELECT id, status, 'in_progress', third_at FROM generated_recommendation
      WHERE status NOT IN ('not_started', 'in_progress') AND via_progress`,
  );
  await step(
    'plan_view',
    `INSERT INTO plan_view (id, state, title, kind, period_start, period_end, published, version)
     SELECT ${planId('i')}, 'SVN', 'Plan ' || i, 'upr_cycle', '2025-01-01', '2029-12-31', i <= ${PUBLISHED_PLANS}, 1
       FROM generate_series(1, ${PLANS}) i`,
  );

  // Actions: 1–3 recommendations each, a lead (few ministries lead most), 0–3 supporting
  // institutions, SDG targets, due dates from two years ago to three years ahead.
  const bucket = (workflow) =>
    `CASE ${workflow} WHEN 'in_progress' THEN 'in_progress' WHEN 'blocked' THEN 'blocked'
                      WHEN 'completed' THEN 'completed' WHEN 'cancelled' THEN 'cancelled' ELSE 'not_started' END`;
  // Drawn inline (no function call per value): a million rows.
  const draw = (slotsSql) => `(${slotsSql})[1 + floor(random() * cardinality(${slotsSql}))::int]`;
  const institution = (id) => `'institution-' || lpad(${id}::text, 2, '0')`;
  await step(
    'action_view',
    `INSERT INTO action_view (action_id, recommendation_id, title, institution, status, due_at, created_at,
       completed_at, updated_at, lead_institution_id, supporting_institution_ids, recommendation_ids, plan_id,
       workflow_status, sdg_targets, version, public)
     SELECT md5('action-' || i)::uuid, served[1], 'Action', 'Name of ' || lead, ${bucket('workflow')},
            CASE WHEN lead IS NOT NULL THEN due END, created,
            CASE WHEN workflow = 'completed' THEN created END, created, lead,
            CASE WHEN lead IS NULL THEN '{}' ELSE array_remove(supporting, lead) END, served,
            CASE WHEN plan <= ${PLANS} THEN ${planId('plan')} END, workflow, targets, 3, plan <= ${PUBLISHED_PLANS}
       FROM (SELECT i, workflow, CASE WHEN workflow <> 'proposed' THEN ${institution('lead')} END AS lead,
                    ARRAY(SELECT DISTINCT ${institution('x')} FROM unnest(supports[1:support_count]) x) AS supporting,
                    ARRAY(SELECT DISTINCT md5('recommendation-' || x)::uuid FROM unnest(served_draws[1:served_count]) x)
                      AS served,
                    plan, created, due,
                    ARRAY(SELECT DISTINCT (ARRAY[${GOALS.join(', ')}])[g] || '.' ||
                                          (ARRAY['1', '2', '3', '4', '5', '6', '7', 'a', 'b'])[t]
                            FROM unnest(goals[1:target_count], suffixes[1:target_count]) u (g, t)) AS targets
               FROM (SELECT i, (${names(WORKFLOW.map(([name]) => name))})[${draw(DRAW.workflow)}] AS workflow,
                            ${draw(DRAW.lead)} AS lead,
                            floor(random() * 4)::int AS support_count,
                            ARRAY[${[1, 2, 3].map(() => draw(DRAW.support)).join(', ')}] AS supports,
                            1 + floor(random() * 3)::int AS served_count,
                            ARRAY[${[1, 2, 3].map(() => `1 + floor(random() * $3::int)::int`).join(', ')}] AS served_draws,
                            ${draw(DRAW.plan)} AS plan,
                            $1::timestamptz - random() * 30 * ${MONTH} AS created,
                            $1::timestamptz + (random() * 5 - 2) * interval '365 days' AS due,
                            floor(random() * 3)::int AS target_count,
                            ARRAY[${draw(DRAW.goal)}, ${draw(DRAW.goal)}] AS goals,
                            ARRAY[1 + floor(random() * 9)::int, 1 + floor(random() * 9)::int] AS suffixes
                       FROM generate_series(1, $2::int) i OFFSET 0) drawn) a`,
    [now, ACTIONS, RECOMMENDATIONS],
  );
  const counts = {
    links: await step(
      'action_recommendation_view',
      `INSERT INTO action_recommendation_view (action_id, recommendation_id)
       SELECT action_id, unnest(recommendation_ids) FROM action_view`,
    ),
    institutionRows: await step(
      'action_institution_view',
      `INSERT INTO action_institution_view (action_id, institution_id, role, workflow_status, status, due_at)
       SELECT action_id, lead_institution_id, 'lead', workflow_status, status, due_at
         FROM action_view WHERE lead_institution_id IS NOT NULL
       UNION ALL
       SELECT action_id, unnest(supporting_institution_ids), 'supporting', workflow_status, status, due_at
         FROM action_view`,
    ),
    // A third of the actions under way have progress reports, submitted over the last three years.
    reports: await step(
      'progress_report_view',
      `INSERT INTO progress_report_view (report_id, action_id, institution_id, status, submitted_at, updated_at)
       SELECT md5('report-' || action_id || '-' || n)::uuid, action_id, lead_institution_id,
              'accepted_by_coordinator', at, at
         FROM (SELECT a.action_id, a.lead_institution_id, n, $1::timestamptz - random() * 36 * ${MONTH} AS at
                 FROM (SELECT action_id, lead_institution_id, 1 + floor(random() * 2)::int AS reports
                         FROM action_view
                        WHERE workflow_status IN ('in_progress', 'blocked', 'completed')
                          AND lead_institution_id IS NOT NULL AND random() < 0.33 OFFSET 0) a
                CROSS JOIN LATERAL generate_series(1, a.reports) n OFFSET 0) p`,
      [now],
    ),
  };
  await loader.query(`DROP TABLE generated_recommendation`);
  await loader.query(`SET maintenance_work_mem = '512MB'`);
  const indexed = performance.now();
  for (const { definition } of indexes) await loader.query(definition);
  console.log(
    `  ${indexes.length} secondary indexes built in ${((performance.now() - indexed) / 1000).toFixed(1)} s`,
  );
  await loader.query(`RESET maintenance_work_mem`);
  await loader.query(`RESET work_mem`);
  await loader.query(`SET session_replication_role = DEFAULT`);
  const generatedSeconds = (performance.now() - started) / 1000;
  console.log(`Generated the rows in PostgreSQL in ${generatedSeconds.toFixed(0)} s; recounting…`);
  // What the triggers would have kept: the counters, the monthly status deltas and series.
  await loader.query(`ANALYZE`);
  const rebuildStarted = performance.now();
  await loader.query(`SELECT rebuild_dashboard_counts()`);
  const rebuildSeconds = (performance.now() - rebuildStarted) / 1000;
  await loader.query(`VACUUM ANALYZE`);
  const loadSeconds = (performance.now() - started) / 1000;
  const [{ size }] = (
    await loader.query(`SELECT pg_size_pretty(pg_database_size(current_database())) AS size`)
  ).rows;
  console.log(
    `Loaded ${RECOMMENDATIONS.toLocaleString('en')} recommendations, ${ACTIONS.toLocaleString('en')} actions ` +
      `(${counts.links.toLocaleString('en')} action-recommendation links, ${counts.institutionRows.toLocaleString('en')} ` +
      `action-institution rows, ${counts.reports.toLocaleString('en')} progress reports) in ${loadSeconds.toFixed(0)} s ` +
      `(of which rebuild_dashboard_counts() ${rebuildSeconds.toFixed(0)} s); database ${size}`,
  );
  await loader.end();
}

async function measure() {
  // The callers: the coordinator, the focal point of a large ministry (the 3rd largest), anonymous.
  const person = (roles, institutions) => ({
    subject: 'bench',
    name: 'bench',
    kind: 'user',
    roles: new Set(roles),
    institutions,
    scopes: new Set(),
  });
  const callers = {
    coordinator: person(['coordinator'], []),
    focal: person(['focal_point'], [INSTITUTIONS[2]]),
    public: undefined,
  };
  const from = new Date(Date.UTC(now.getUTCFullYear() - 2, now.getUTCMonth(), 1));
  const page = { limit: 50, offset: 0 };
  const ACTION_BY = [
    'status',
    'lead_institution',
    'supporting_institution',
    'institution',
    'sdg_goal',
    'sdg_target',
    'plan',
  ];
  const RECOMMENDATION_BY = [
    'implementation_status',
    'mechanism',
    'mechanism_kind',
    'cycle',
    'theme',
    'sdg_goal',
    'sdg_target',
    'cluster',
  ];
  const queries = [];
  for (const [who, caller] of Object.entries(callers)) {
    for (const by of ACTION_BY)
      queries.push({ name: `${who} actions by ${by}`, run: (s) => s.actionCounts(by, {}, caller, now) });
    for (const by of RECOMMENDATION_BY)
      queries.push({
        name: `${who} recommendations by ${by}`,
        run: (s) => s.recommendationCounts(by, {}, caller, now),
      });
    queries.push({ name: `${who} deadlines`, run: (s) => s.deadlines({}, caller, now) });
    queries.push({
      name: `${who} implementation series (24 months)`,
      run: (s) => s.implementationSeries(from, now, caller),
    });
    if (caller)
      queries.push({
        name: `${who} progress reports per month`,
        run: (s) => s.progressSeries(from, now, caller),
      });
    queries.push({
      name: `${who} drill: SDG goal 16 by mechanism`,
      run: (s) => s.recommendationCounts('mechanism', { sdgGoal: '16' }, caller, now),
    });
    queries.push({
      name: `${who} drill: lead institution by status`,
      run: (s) => s.actionCounts('status', { leadInstitution: INSTITUTIONS[0] }, caller, now),
    });
    queries.push({
      name: `${who} list: overdue actions`,
      run: (s) => s.listActions({ due: 'overdue' }, page, caller, now),
    });
    queries.push({
      name: `${who} list: recommendations of a theme`,
      run: (s) => s.listRecommendations({ theme: 'theme-01' }, page, caller),
    });
    // Breakdowns answer their 100 largest groups unless asked for more: every cluster, as asked.
    queries.push({
      name: `${who} recommendations by cluster, all groups`,
      run: (s) => s.recommendationCounts('cluster', {}, caller, now, MAX_TOP_GROUPS),
    });
    // A deep page of a list: by OFFSET, and after the cursor of the page before (set before timing).
    const deep = { limit: 50, offset: 5_000 };
    queries.push({
      name: `${who} list: overdue actions, offset 5,000`,
      run: (s) => s.listActions({ due: 'overdue' }, deep, caller, now),
    });
    queries.push({
      name: `${who} list: overdue actions, after a cursor at 5,000`,
      prepare: async (s) => {
        const before = await s.listActions({ due: 'overdue' }, { limit: 50, offset: 4_950 }, caller, now);
        return { limit: 50, after: before.next ? decodeCursor(before.next, 'actions') : undefined };
      },
      run: (s, after) => s.listActions({ due: 'overdue' }, after, caller, now),
    });
  }

  // Drills other than a key by mechanism (by SDG target for everyone; any but by mechanism for one
  // institution, counted from the rows), a focal point acting for two institutions (their group's
  // counters, each shared action once), and a small ministry's overdue list.
  const two = person(['focal_point'], [INSTITUTIONS[2], INSTITUTIONS[4]]);
  const small = person(['focal_point'], [INSTITUTIONS[59]]);
  queries.push(
    {
      name: 'coordinator drill: theme by sdg_target',
      run: (s) => s.recommendationCounts('sdg_target', { theme: 'theme-01' }, callers.coordinator, now),
    },
    {
      name: 'focal drill: theme by sdg_goal',
      run: (s) => s.recommendationCounts('sdg_goal', { theme: 'theme-01' }, callers.focal, now),
    },
    {
      name: 'focal drill: lead institution by sdg_goal',
      run: (s) => s.actionCounts('sdg_goal', { leadInstitution: INSTITUTIONS[2] }, callers.focal, now),
    },
    {
      name: 'two institutions: recommendations by theme',
      run: (s) => s.recommendationCounts('theme', {}, two, now),
    },
    { name: 'two institutions: actions by status', run: (s) => s.actionCounts('status', {}, two, now) },
    { name: 'two institutions: deadlines', run: (s) => s.deadlines({}, two, now) },
    {
      name: 'small ministry list: overdue actions',
      run: (s) => s.listActions({ due: 'overdue' }, page, small, now),
    },
  );

  // --only a,b times only the queries whose names contain one of those words (and their GROUP BYs).
  const only = process.argv.includes('--only')
    ? process.argv[process.argv.indexOf('--only') + 1].split(',')
    : undefined;
  const chosen = (name) => !only || only.some((word) => name.includes(word));
  queries.splice(0, queries.length, ...queries.filter((query) => chosen(query.name)));

  // The same numbers as a plain GROUP BY on the rows, for the coordinator.
  const raw = {
    'coordinator actions by status': `SELECT coalesce(workflow_status, status) AS status, count(*) FROM action_view GROUP BY 1`,
    'coordinator actions by lead_institution': `SELECT lead_institution_id, coalesce(workflow_status, status), count(*) FROM action_view WHERE lead_institution_id IS NOT NULL GROUP BY 1, 2`,
    'coordinator actions by supporting_institution': `SELECT s, coalesce(workflow_status, status), count(*) FROM action_view, unnest(supporting_institution_ids) s GROUP BY 1, 2`,
    'coordinator actions by institution': `SELECT s, coalesce(workflow_status, status), count(*) FROM action_view, unnest(array_remove(ARRAY[lead_institution_id], NULL) || supporting_institution_ids) s GROUP BY 1, 2`,
    'coordinator actions by sdg_goal': `SELECT g, coalesce(workflow_status, status), count(*) FROM action_view, LATERAL (SELECT DISTINCT split_part(t, '.', 1) FROM unnest(sdg_targets) t) x (g) GROUP BY 1, 2`,
    'coordinator actions by sdg_target': `SELECT t, coalesce(workflow_status, status), count(*) FROM action_view, unnest(sdg_targets) t GROUP BY 1, 2`,
    'coordinator actions by plan': `SELECT plan_id, coalesce(workflow_status, status), count(*) FROM action_view WHERE plan_id IS NOT NULL GROUP BY 1, 2`,
    'coordinator recommendations by implementation_status': `SELECT implementation_status, count(*) FROM recommendation_view GROUP BY 1`,
    'coordinator recommendations by mechanism': `SELECT mechanism, implementation_status, count(*) FROM recommendation_view GROUP BY 1, 2`,
    'coordinator recommendations by mechanism_kind': `SELECT mechanism_kind, implementation_status, count(*) FROM recommendation_view GROUP BY 1, 2`,
    'coordinator recommendations by cycle': `SELECT upr_cycle, implementation_status, count(*) FROM recommendation_view WHERE upr_cycle > 0 GROUP BY 1, 2`,
    'coordinator recommendations by theme': `SELECT t, implementation_status, count(*) FROM recommendation_view, unnest(themes) t GROUP BY 1, 2`,
    'coordinator recommendations by sdg_goal': `SELECT g, implementation_status, count(*) FROM recommendation_view, LATERAL (SELECT DISTINCT split_part(t, '.', 1) FROM unnest(sdg_targets) t) x (g) GROUP BY 1, 2`,
    'coordinator recommendations by sdg_target': `SELECT t, implementation_status, count(*) FROM recommendation_view, unnest(sdg_targets) t GROUP BY 1, 2`,
    'coordinator recommendations by cluster': `SELECT c, implementation_status, count(*) FROM recommendation_view, unnest(clusters) c GROUP BY 1, 2`,
    'coordinator deadlines': `SELECT count(*) FILTER (WHERE due_at < now()), count(*) FILTER (WHERE due_at >= now() AND due_at < now() + interval '30 days') FROM action_view WHERE status NOT IN ('completed', 'cancelled')`,
    'coordinator implementation series (24 months)': `SELECT m, h.status, count(*) FROM generate_series(date_trunc('month', now() - interval '2 years'), now(), interval '1 month') m JOIN LATERAL (SELECT DISTINCT ON (recommendation_id) status FROM implementation_status_history WHERE changed_at < m + interval '1 month' ORDER BY recommendation_id, changed_at DESC) h ON true GROUP BY 1, 2`,
    'coordinator progress reports per month': `SELECT date_trunc('month', submitted_at), count(*) FROM progress_report_view WHERE submitted_at >= now() - interval '2 years' GROUP BY 1`,
    'coordinator drill: SDG goal 16 by mechanism': `SELECT mechanism, implementation_status, count(*) FROM recommendation_view WHERE EXISTS (SELECT 1 FROM unnest(sdg_targets) t WHERE split_part(t, '.', 1) = '16') GROUP BY 1, 2`,
    'focal deadlines': `SELECT count(DISTINCT action_id) FILTER (WHERE due_at < now()), count(DISTINCT action_id) FILTER (WHERE due_at >= now() AND due_at < now() + interval '30 days') FROM action_institution_view WHERE lower(institution_id) = '${INSTITUTIONS[2]}' AND status NOT IN ('completed', 'cancelled')`,
    'focal progress reports per month': `SELECT date_trunc('month', submitted_at), count(*) FROM progress_report_view WHERE submitted_at >= now() - interval '2 years' AND action_id IN (SELECT action_id FROM action_institution_view WHERE lower(institution_id) = '${INSTITUTIONS[2]}') GROUP BY 1`,
    'focal actions by status': `SELECT coalesce(a.workflow_status, a.status), count(*) FROM action_view a WHERE EXISTS (SELECT 1 FROM unnest(array_remove(ARRAY[a.lead_institution_id], NULL) || a.supporting_institution_ids) s WHERE lower(s) = '${INSTITUTIONS[2]}') GROUP BY 1`,
    'public actions by status': `SELECT coalesce(workflow_status, status), count(*) FROM action_view WHERE public GROUP BY 1`,
    'public recommendations by theme': `SELECT t, implementation_status, count(*) FROM recommendation_view, unnest(themes) t WHERE published GROUP BY 1, 2`,
  };

  const service = async (poolSize) => {
    const options = serviceDataSourceOptions({
      url: database.url,
      schema: SCHEMA,
      entities,
      migrations,
      poolSize,
    });
    // A busy machine may take longer than the service's 5 s to accept a connection.
    options.extra = { ...options.extra, connectionTimeoutMillis: 60_000 };
    const dataSource = await new DataSource(options).initialize();
    return { dataSource, dashboards: new DashboardsService(dataSource) };
  };
  const time = async (work) => {
    const begun = performance.now();
    const result = await work();
    return [performance.now() - begun, result];
  };

  // The counters must say what the rows say: each coordinator breakdown against its GROUP BY.
  const check = await service(1);
  const mismatches = [];
  // Each plain GROUP BY's first (cold) run, kept as one of its samples.
  const rawSamples = {};
  for (const [name, expectedSql] of Object.entries(raw)) {
    if (!chosen(name) || !name.startsWith('coordinator') || !/ by /.test(name)) continue;
    // Every group, to compare with every row of the GROUP BY.
    const breakdown = /^(\w+) (actions|recommendations) by (\w+)$/.exec(name);
    const answer = !breakdown
      ? await queries.find((one) => one.name === name).run(check.dashboards)
      : breakdown[2] === 'actions'
        ? await check.dashboards.actionCounts(breakdown[3], {}, callers[breakdown[1]], now, MAX_TOP_GROUPS)
        : await check.dashboards.recommendationCounts(
            breakdown[3],
            {},
            callers[breakdown[1]],
            now,
            MAX_TOP_GROUPS,
          );
    const [rawMs, rawRows] = await time(() => check.dataSource.query(expectedSql));
    rawSamples[name] = [rawMs];
    const rows = rawRows.map((row) => Object.values(row));
    const expected = new Map();
    for (const row of rows) {
      const [key, status, n] = row.length === 2 ? ['', row[0], row[1]] : row;
      expected.set(`${key}|${status}`, Number(n));
    }
    const got = new Map();
    const cells = answer.groups.length > 0 ? answer.groups : [{ key: '', byStatus: answer.byStatus }];
    for (const group of cells)
      for (const [status, cell] of Object.entries(group.byStatus))
        if (cell.count > 0) got.set(`${group.key}|${status}`, cell.count);
    const same = expected.size === got.size && [...expected].every(([key, n]) => got.get(key) === n);
    if (!same) mismatches.push(name);
  }
  await check.dataSource.destroy();
  console.log(
    mismatches.length === 0
      ? 'Counters agree with GROUP BY on the rows for every breakdown.'
      : `MISMATCH: ${mismatches.join(', ')}`,
  );

  // What a query needs before its clock starts (the cursor of the page before a deep page).
  const prepared = await service(1);
  for (const query of queries) query.input = await query.prepare?.(prepared.dashboards);
  // The two institutions' group is counted on their first dashboard (in the background): here, once.
  const [groupMs] = await time(() => prepared.dashboards.prepareScope(two));
  console.log(`Counting the group of two institutions once: ${(groupMs / 1000).toFixed(1)} s`);
  await prepared.dataSource.destroy();

  console.log(`Timing ${queries.length} queries (${COLD} cold, ${WARM} warm samples each)…`);
  const results = [];
  for (const query of queries) {
    const cold = [];
    for (let i = 0; i < COLD; i += 1) {
      const fresh = await service(1);
      cold.push((await time(() => query.run(fresh.dashboards, query.input)))[0]);
      await fresh.dataSource.destroy();
    }
    results.push({ name: query.name, cold });
  }
  const warmService = await service(4);
  for (const result of results) {
    const query = queries.find((one) => one.name === result.name);
    await query.run(warmService.dashboards, query.input);
    result.warm = [];
    for (let i = 0; i < WARM; i += 1)
      result.warm.push((await time(() => query.run(warmService.dashboards, query.input)))[0]);
  }
  // The plain GROUP BYs take seconds each at full scale: three samples (the check's run among them).
  const rawTimes = {};
  for (const [name, sql] of Object.entries(raw)) {
    if (!chosen(name)) continue;
    const samples = rawSamples[name] ?? [];
    while (samples.length < 3) samples.push((await time(() => warmService.dataSource.query(sql)))[0]);
    rawTimes[name] = percentile(samples, 50);
  }
  await warmService.dataSource.destroy();

  console.log(
    `\n${'query'.padEnd(52)}  cold p50  cold p95  warm p50  warm p95  GROUP BY p50  ratio  goal (p95 ≤ ${GOAL_MS} ms)`,
  );
  let failures = 0;
  for (const result of results) {
    const warm95 = percentile(result.warm, 95);
    const cold95 = percentile(result.cold, 95);
    const baseline = rawTimes[result.name];
    const ok = warm95 <= GOAL_MS;
    if (!ok) failures += 1;
    console.log(
      `${result.name.padEnd(52)}  ${ms(percentile(result.cold, 50))}  ${ms(cold95)}  ${ms(percentile(result.warm, 50))}  ${ms(warm95)}  ` +
        `${baseline === undefined ? '            ' : `${ms(baseline)}     `}  ${baseline === undefined ? '     ' : `${(baseline / percentile(result.warm, 50)).toFixed(0).padStart(4)}×`}  ${ok ? 'ok' : 'OVER'}${cold95 > GOAL_MS ? ' (cold over)' : ''}`,
    );
  }
  console.log(
    `\n${results.length - failures}/${results.length} queries at warm p95 ≤ ${GOAL_MS} ms; ratio = plain GROUP BY p50 / dashboard warm p50 (same numbers, same run). Times in ms.`,
  );
}
