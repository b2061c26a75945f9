// Dashboard query benchmark: reporting's read model filled like a large national catalogue (250,000
// recommendations, 1,000,000 actions by default), COPYed straight into its tables with the triggers
// off, then the counters rebuilt as `rebuild_dashboard_counts()` does. Every dashboard query of the
// reporting service's build (DashboardsService, the code the API runs) is timed for the coordinator,
// a focal point of a large ministry and an anonymous reader: cold (each sample on a new connection,
// so a new backend with empty caches; PostgreSQL's shared buffers and the OS cache stay warm, as the
// server is not restarted) and warm. The same numbers are counted again as a plain SQL GROUP BY on the
// rows, in the same run, checked equal, and timed: the ratio says what the counters and indexes buy.
//   npm run bench:dashboards [-- --recommendations 250000 --actions 1000000 --warm 30 --cold 5 --keep | --database URL]
import { serviceDataSourceOptions, migrate } from '@nmirf/platform';
import { createTestDatabase } from '@nmirf/testing';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { root } from '../../infra/scripts/lib.mjs';

const require = createRequire(import.meta.url);
const dist = (path) => require(join(root, 'services/reporting/dist', path));
const { DataSource } = require('typeorm');
const { entities, migrations, SCHEMA } = dist('database.js');
const { DashboardsService } = dist('dashboards/dashboards.service.js');

const arg = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
};
const RECOMMENDATIONS = arg('recommendations', 250_000);
const ACTIONS = arg('actions', 1_000_000);
const WARM = arg('warm', 30);
const COLD = arg('cold', 5);
const GOAL_MS = 50;

// A seeded generator, so every run loads the same catalogue.
let seed = 0x2545f491;
const random = () => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 4294967296;
};
const pick = (items) => items[Math.floor(random() * items.length)];
/** Weighted choice: `weights` pairs [value, weight]. */
const weighted = (weights) => {
  const total = weights.reduce((sum, [, weight]) => sum + weight, 0);
  return () => {
    let r = random() * total;
    for (const [value, weight] of weights) if ((r -= weight) < 0) return value;
    return weights.at(-1)[0];
  };
};
/** Zipf-like: a few items take most of the weight, as a few ministries lead most actions. */
const zipf = (items, exponent = 1) => weighted(items.map((item, rank) => [item, 1 / (rank + 1) ** exponent]));
const uuid = () =>
  'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, (c) =>
    (c === 'x' ? Math.floor(random() * 16) : 8 + Math.floor(random() * 4)).toString(16),
  );
const some = (draw, min, max) => {
  const count = min + Math.floor(random() * (max - min + 1));
  return [...new Set(Array.from({ length: count }, draw))];
};
const array = (values) => `{${values.map((value) => `"${value}"`).join(',')}}`;
const DAY = 86_400_000;
const now = new Date();

// The catalogue's shape, after the UHRI: UPR over half, then the treaty bodies, then special procedures.
const MECHANISMS = weighted([
  [['UPR', 'upr'], 55],
  [['CEDAW', 'treaty_body'], 7],
  [['CRC', 'treaty_body'], 7],
  [['CESCR', 'treaty_body'], 5],
  [['CCPR', 'treaty_body'], 5],
  [['CAT', 'treaty_body'], 3],
  [['CERD', 'treaty_body'], 3],
  [['CRPD', 'treaty_body'], 3],
  [['CMW', 'treaty_body'], 1],
  [['CED', 'treaty_body'], 1],
  [['SR-Torture', 'special_procedure'], 4],
  [['SR-Education', 'special_procedure'], 3],
  [['WG-Disappearances', 'special_procedure'], 3],
]);
const THEMES = zipf(
  Array.from({ length: 60 }, (_, i) => `theme-${String(i + 1).padStart(2, '0')}`),
  0.8,
);
const GOALS = zipf([16, 5, 10, 4, 3, 8, 1, 11, 6, 2, 13, 17, 9, 12, 14, 15, 7], 0.9);
const SDG_TARGET = () => `${GOALS()}.${pick(['1', '2', '3', '4', '5', '6', '7', 'a', 'b'])}`;
const CLUSTERS = zipf(
  Array.from({ length: 2000 }, (_, i) => `cluster-${i + 1}`),
  0.6,
);
const IMPLEMENTATION = weighted([
  ['not_started', 45],
  ['in_progress', 30],
  ['partially_implemented', 12],
  ['implemented', 10],
  ['no_longer_applicable', 3],
]);
const INSTITUTIONS = Array.from({ length: 70 }, (_, i) => `institution-${String(i + 1).padStart(2, '0')}`);
const LEAD = zipf(INSTITUTIONS, 1);
const SUPPORT = zipf(INSTITUTIONS, 0.7);
const WORKFLOW = weighted([
  ['proposed', 5],
  ['assigned', 15],
  ['acknowledged', 10],
  ['declined', 2],
  ['in_progress', 35],
  ['blocked', 5],
  ['completed', 23],
  ['cancelled', 5],
]);
const BUCKET = {
  proposed: 'not_started',
  assigned: 'not_started',
  acknowledged: 'not_started',
  declined: 'not_started',
  in_progress: 'in_progress',
  blocked: 'blocked',
  completed: 'completed',
  cancelled: 'cancelled',
};
const PLANS = Array.from({ length: 20 }, (_, i) => ({ id: uuid(), published: i < 12 }));
const PLAN = weighted([...PLANS.map((plan) => [plan.id, 4]), [null, 20]]);
const PUBLISHED = new Set(PLANS.filter((plan) => plan.published).map((plan) => plan.id));
const monthsAgo = (months) => new Date(now.getTime() - months * 30.4 * DAY);

/** Streams generated lines into `COPY table (columns) FROM STDIN`. */
async function copy(client, table, columns, rows) {
  const stream = client.query(copyFrom(`COPY ${table} (${columns}) FROM STDIN`));
  const lines = (function* () {
    let batch = [];
    for (const row of rows) {
      batch.push(row.map((value) => (value === null ? '\\N' : String(value))).join('\t'));
      if (batch.length === 5000) {
        yield `${batch.join('\n')}\n`;
        batch = [];
      }
    }
    if (batch.length > 0) yield `${batch.join('\n')}\n`;
  })();
  await pipeline(Readable.from(lines), stream);
}

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
  // A bulk load skips the row triggers; the counters are rebuilt from the rows afterwards.
  await loader.query(`SET session_replication_role = replica`);

  // Recommendations, their status history (1–3 changes over three years) and publication (40 %).
  const recommendationIds = [];
  const history = [];
  await copy(
    loader,
    'recommendation_view',
    `id, mechanism, mechanism_kind, document_symbol, paragraph, position, recommending_states, text,
     state_under_review, upr_cycle, upr_session, themes, sdg_targets, clusters, published,
     implementation_status, implementation_status_at, version`,
    (function* () {
      for (let i = 0; i < RECOMMENDATIONS; i += 1) {
        const id = uuid();
        recommendationIds.push(id);
        const [mechanism, kind] = MECHANISMS();
        const cycle = kind === 'upr' ? 1 + Math.floor(random() * 4) : 0;
        const status = IMPLEMENTATION();
        const arrived = monthsAgo(12 + random() * 24);
        const path = ['not_started'];
        if (status !== 'not_started') {
          if (status !== 'in_progress' && random() < 0.6) path.push('in_progress');
          path.push(status);
        }
        let at = arrived;
        path.forEach((step, index) => {
          history.push([id, step, index === 0 ? null : path[index - 1], at.toISOString()]);
          at = new Date(at.getTime() + random() * 180 * DAY);
        });
        yield [
          id,
          mechanism,
          kind,
          kind === 'upr'
            ? `A/HRC/${20 + cycle * 10}/15`
            : `${mechanism}/C/SVN/CO/${1 + Math.floor(random() * 5)}`,
          `${100 + Math.floor(random() * 50)}.${1 + Math.floor(random() * 250)}`,
          'supported',
          '{}',
          'Recommendation text',
          'SVN',
          cycle,
          cycle > 0 ? 10 + cycle * 10 : 0,
          array(some(THEMES, 1, 3)),
          array(some(SDG_TARGET, 0, 3)),
          array(random() < 0.3 ? [CLUSTERS()] : []),
          random() < 0.4,
          status,
          history.at(-1)[3],
          1,
        ];
      }
    })(),
  );
  await copy(
    loader,
    'implementation_status_history',
    'recommendation_id, status, previous_status, changed_at',
    history,
  );
  history.length = 0;
  await copy(
    loader,
    'plan_view',
    'id, state, title, kind, period_start, period_end, published, version',
    PLANS.map((plan, i) => [
      plan.id,
      'SVN',
      `Plan ${i + 1}`,
      'upr_cycle',
      '2025-01-01',
      '2029-12-31',
      plan.published,
      1,
    ]),
  );

  // Actions: 1–3 recommendations each, a lead (few ministries lead most), 0–3 supporting
  // institutions, SDG targets, due dates from two years ago to three years ahead.
  const counts = { links: 0, institutionRows: 0, reports: 0 };
  const CHUNK = 50_000;
  for (let first = 0; first < ACTIONS; first += CHUNK) {
    const actions = [];
    const links = [];
    const institutionRows = [];
    const reports = [];
    for (let i = first; i < Math.min(ACTIONS, first + CHUNK); i += 1) {
      const id = uuid();
      const served = some(() => pick(recommendationIds), 1, 3);
      const workflow = WORKFLOW();
      const status = BUCKET[workflow];
      const lead = workflow === 'proposed' ? null : LEAD();
      const supporting = lead ? some(SUPPORT, 0, 3).filter((one) => one !== lead) : [];
      const plan = PLAN();
      const created = monthsAgo(random() * 30);
      const due = workflow === 'proposed' ? null : new Date(now.getTime() + (random() * 5 - 2) * 365 * DAY);
      const dueText = due?.toISOString() ?? null;
      for (const recommendation of served) links.push([id, recommendation]);
      if (lead) institutionRows.push([id, lead, 'lead', workflow, status, dueText]);
      for (const one of supporting) institutionRows.push([id, one, 'supporting', workflow, status, dueText]);
      // A third of the actions under way have progress reports, submitted over the last three years.
      if (lead && ['in_progress', 'blocked', 'completed'].includes(workflow) && random() < 0.33)
        for (let r = 0; r < 1 + Math.floor(random() * 2); r += 1) {
          const at = monthsAgo(random() * 36).toISOString();
          reports.push([uuid(), id, lead, 'accepted_by_coordinator', at, at]);
        }
      actions.push([
        id,
        served[0],
        'Action',
        lead ? `Name of ${lead}` : null,
        status,
        dueText,
        created.toISOString(),
        status === 'completed' ? created.toISOString() : null,
        created.toISOString(),
        lead,
        array(supporting),
        array(served),
        plan,
        workflow,
        array(some(SDG_TARGET, 0, 2)),
        3,
        plan !== null && PUBLISHED.has(plan),
      ]);
    }
    await copy(
      loader,
      'action_view',
      `action_id, recommendation_id, title, institution, status, due_at, created_at, completed_at, updated_at,
       lead_institution_id, supporting_institution_ids, recommendation_ids, plan_id, workflow_status,
       sdg_targets, version, public`,
      actions,
    );
    await copy(loader, 'action_recommendation_view', 'action_id, recommendation_id', links);
    await copy(
      loader,
      'action_institution_view',
      'action_id, institution_id, role, workflow_status, status, due_at',
      institutionRows,
    );
    await copy(
      loader,
      'progress_report_view',
      'report_id, action_id, institution_id, status, submitted_at, updated_at',
      reports,
    );
    counts.links += links.length;
    counts.institutionRows += institutionRows.length;
    counts.reports += reports.length;
  }
  await loader.query(`SET session_replication_role = DEFAULT`);
  const copiedSeconds = (performance.now() - started) / 1000;
  console.log(`Generated and COPYed the rows in ${copiedSeconds.toFixed(0)} s; recounting…`);
  // What the triggers would have kept: the counters and the monthly status deltas.
  await loader.query(`ANALYZE`);
  const rebuildStarted = performance.now();
  await loader.query(`SELECT rebuild_dashboard_counts()`);
  const rebuildSeconds = (performance.now() - rebuildStarted) / 1000;
  await loader.query(`
    INSERT INTO implementation_status_month (month, status, delta)
    SELECT date_trunc('month', changed_at AT TIME ZONE 'UTC')::date, s.status, sum(s.delta)
      FROM implementation_status_history h
     CROSS JOIN LATERAL (VALUES (h.status, 1), (h.previous_status, -1)) s (status, delta)
     WHERE s.status IS NOT NULL GROUP BY 1, 2`);
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
  }

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
    if (!name.startsWith('coordinator') || !/ by /.test(name)) continue;
    const query = queries.find((one) => one.name === name);
    const answer = await query.run(check.dashboards);
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

  console.log(`Timing ${queries.length} queries (${COLD} cold, ${WARM} warm samples each)…`);
  const results = [];
  for (const query of queries) {
    const cold = [];
    for (let i = 0; i < COLD; i += 1) {
      const fresh = await service(1);
      cold.push((await time(() => query.run(fresh.dashboards)))[0]);
      await fresh.dataSource.destroy();
    }
    results.push({ name: query.name, cold });
  }
  const warmService = await service(4);
  for (const result of results) {
    const query = queries.find((one) => one.name === result.name);
    await query.run(warmService.dashboards);
    result.warm = [];
    for (let i = 0; i < WARM; i += 1)
      result.warm.push((await time(() => query.run(warmService.dashboards)))[0]);
  }
  // The plain GROUP BYs take seconds each at full scale: three samples (the check's run among them).
  const rawTimes = {};
  for (const [name, sql] of Object.entries(raw)) {
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
