// Search and link-detection benchmark at the scale of the whole Universal Human Rights Index (250,000
// recommendations by default). A fresh database, migrated by the recommendations service's migrations,
// is filled inside PostgreSQL (one INSERT … SELECT over generate_series with a seeded random()): texts
// recombined from the leads and clauses of the real Slovenian recommendations (the gold set), with
// named entities, the State under review's name and 1–3 recommending States varied; ~190 States under
// review and recommending States, UPR cycles 1–4, UPR / treaty bodies / special procedures, themes,
// groups, SDGs and positions drawn from the taxonomy; and recurring subjects per State, so that near
// duplicates exist and link detection has links to find. Then, in the same run:
//   1. link detection for every record, through the job an applied import enqueues (DetectImportLinks),
//      then again after 1 % of the texts changed (the incremental path);
//   2. distinct, varied filtered full-text searches through the service's SearchService (the code the
//      API runs): with facets, without, and facets only (limit=0), cold (the query's first run) and
//      warm (its second), with the same searches written as plain SQL (page, count(*) and one GROUP BY
//      per facet) timed alongside as the baseline.
//   npm run bench:search [-- --records 250000 --queries 200 --keep | --database URL | --dist DIR | --no-links | --no-search
//                            | --against DIR]
// --against DIR also runs every search through that other build, interleaved with this one's (same load for
// both), fails if any answer differs (ids, order, total, facets), and prints both builds' figures.
import { migrate, serviceDataSourceOptions } from '@nmirf/platform';
import { createTestDatabase } from '@nmirf/testing';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { root } from '../../infra/scripts/lib.mjs';

const require = createRequire(import.meta.url);
// --dist DIR times another build of the recommendations service (default: services/recommendations/dist).
const option = (name) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? process.argv[index + 1] : undefined;
};
const arg = (name, fallback) => Number(option(name) ?? fallback);
const distDir = resolve(option('dist') ?? join(root, 'services/recommendations/dist'));
const dist = (path) => require(join(distDir, path));
const { DataSource } = require('typeorm');
// One line per detected State would drown the figures.
require('@nestjs/common').Logger.overrideLogger(['error', 'warn']);
const { entities, migrations, SCHEMA } = dist('database.js');
const { SearchService } = dist('search/search.service.js');
const againstDir = option('against') && resolve(option('against'));
const { LinksService } = dist('links/links.service.js');
const { DetectImportLinks } = dist('imports/jobs/detect-import-links.js');
// Builds before the scoring threads scored in the calling thread and take no pool.
const ScoringPool = existsSync(join(distDir, 'linking/scoring-pool.js'))
  ? dist('linking/scoring-pool.js').ScoringPool
  : undefined;
const taxonomy = dist('taxonomy/index.js');

const RECORDS = arg('records', 250_000);
const QUERIES = arg('queries', 200);
const PAGE = 20;
const SEARCH_GOAL_MS = 100;
const LINKS_GOAL_S = 60;

// Deterministic pseudo-random numbers, so two runs time the same queries.
function mulberry32(seed) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const ms = (value) => `${value.toFixed(1).padStart(6)} ms`;
const load = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');

const STATES = taxonomy.STATES.filter((state) => state.status === 'member');
const THEMES = taxonomy.themeConcepts().map((concept) => concept.key);
const GROUPS = taxonomy.groupConcepts().map((concept) => concept.key);
const TREATY_BODIES = ['CEDAW', 'CRC', 'CESCR', 'CCPR', 'CAT', 'CERD', 'CRPD', 'CMW', 'CED'];
const SPECIAL_PROCEDURES = taxonomy.SPECIAL_PROCEDURES.map((mechanism) => mechanism.code).slice(0, 45);
const GOALS = Array.from({ length: 17 }, (_, i) => String(i + 1));
// Named entities the recombined texts carry, so that two texts on one subject still differ.
const ENTITIES = [
  'the Ombudsperson',
  'the national human rights institution',
  'the Ministry of Justice',
  'the Ministry of Interior',
  'the Ministry of Education',
  'the Ministry of Health',
  'the police',
  'the judiciary',
  'the Parliament',
  'local authorities',
  'civil society organizations',
  'the Office of the Prosecutor',
  'the Equality Body',
  'the National Preventive Mechanism',
  'the Labour Inspectorate',
  'Roma communities',
  'migrant workers',
  'asylum seekers',
  'persons with disabilities',
  'indigenous peoples',
  'older persons',
  'children in street situations',
  'rural women',
  'human rights defenders',
  'journalists',
  'LGBTI persons',
  'victims of trafficking',
  'internally displaced persons',
  'religious minorities',
  'domestic workers',
  'the 2030 Agenda',
  'the Paris Principles',
  'the Istanbul Convention',
  'the national action plan on business and human rights',
  'the national strategy against poverty',
  'the capital region',
  'remote areas',
  'prisons and detention centres',
];

async function fragments() {
  const gold = JSON.parse(
    await readFile(join(root, 'services/recommendations/src/linking/gold/slovenia-c2c3.json'), 'utf8'),
  );
  const leads = [];
  const clauses = [];
  for (const { text } of gold) {
    const parts = text
      .replace(/\s*\([^()]*\)\s*[;.]?\s*$/, '')
      .split(/(?:,|;| and | including | in order to | with a view to | in particular )\s*/);
    leads.push(parts[0].replace(/\bSlovenia\b/g, '%STATE%'));
    for (const part of parts.slice(1)) if (part.split(' ').length >= 3) clauses.push(part.trim());
  }
  return { leads: [...new Set(leads)], clauses: [...new Set(clauses)] };
}

async function fill() {
  const { leads, clauses } = await fragments();
  const client = new pg.Client({
    connectionString: database.url,
    options: `-c search_path=${SCHEMA},public`,
  });
  await client.connect();
  try {
    const step = async (label, sql, params = []) => {
      const begun = performance.now();
      const { rowCount } = await client.query(sql, params);
      console.log(
        `  ${label}: ${(rowCount ?? 0).toLocaleString('en')} rows in ${((performance.now() - begun) / 1000).toFixed(1)} s`,
      );
    };
    // A bulk load skips the row triggers (the search vector is written by the INSERT itself) and
    // builds the secondary indexes once afterwards, a sort each.
    await client.query(`SET session_replication_role = replica`);
    await client.query(`SET max_parallel_workers_per_gather = 0`);
    await client.query(`SET maintenance_work_mem = '256MB'`);
    await client.query(`SELECT setseed(0.1414)`);
    const { rows: indexes } = await client.query(
      `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition
         FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
        WHERE t.relnamespace = $1::regnamespace AND t.relname IN ('recommendations', 'recommendation_search')
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`,
      [SCHEMA],
    );
    for (const { name } of indexes) await client.query(`DROP INDEX ${name}`);
    await client.query(`
      CREATE FUNCTION pg_temp.pick(values_ text[]) RETURNS text LANGUAGE sql VOLATILE AS
        $$ SELECT values_[1 + floor(random() * cardinality(values_))::int] $$;
      -- A skewed draw: the first values are the most frequent, as a few themes hold most recommendations.
      CREATE FUNCTION pg_temp.skewed(values_ text[]) RETURNS text LANGUAGE sql VOLATILE AS
        $$ SELECT values_[1 + floor(power(random(), 2) * cardinality(values_))::int] $$;
      CREATE FUNCTION pg_temp.draws(values_ text[], low int, high int) RETURNS text[] LANGUAGE sql VOLATILE AS
        $$ SELECT coalesce(array_agg(DISTINCT pg_temp.skewed(values_)), '{}')
             FROM generate_series(1, low + floor(random() * (high - low + 1))::int) $$;
    `);
    // Draws per record first; a fifth of the records take their lead and first clause from one of
    // their State's 40 recurring subjects, so that near duplicates (across cycles and bodies) exist.
    await step(
      'drawn',
      `CREATE TEMP TABLE drawn AS
       SELECT i, s, m, recurring,
              CASE WHEN recurring THEN 1 + abs(hashint4(s * 41 + subject)) % $1::int
                   ELSE 1 + floor(random() * $1::int)::int END AS lead,
              CASE WHEN recurring THEN 1 + abs(hashint4(s * 43 + subject)) % $2::int
                   ELSE 1 + floor(random() * $2::int)::int END AS clause,
              1 + floor(random() * $2::int)::int AS clause2,
              random() < 0.5 AS two_clauses,
              CASE WHEN m = 'upr' THEN 1 + floor(random() * 4)::int END AS cycle
         FROM (SELECT i, 1 + floor(power(random(), 1.15) * $3::int)::int AS s,
                      CASE WHEN r < 0.55 THEN 'upr' WHEN r < 0.9 THEN 'treaty_body' ELSE 'special_procedure' END AS m,
                      random() < 0.2 AS recurring, 1 + floor(random() * 40)::int AS subject
                 FROM (SELECT i, random() AS r FROM generate_series(1, $4::int) i) x) y`,
      [leads.length, clauses.length, STATES.length, RECORDS],
    );
    await step(
      'recommendations',
      `INSERT INTO recommendations (
         id, mechanism, body, type, document_symbol, paragraph, text, language, state_under_review,
         upr_cycle, upr_session, published_on, indexed_on, recommending_states, position, themes, groups,
         sdg_goals, sdg_targets, annotation_id, sources, implementation_status, published, search_vector)
       SELECT id, m, body, type, symbol, paragraph, text, 'en', code, cycle, session, published_on,
              published_on + 30, recommending, position, themes, groups, goals,
              ARRAY(SELECT g || '.' || (1 + floor(random() * 6)::int) FROM unnest(goals) g), annotation,
              '{uhri}', status, published, to_tsvector('english', text)
         FROM (
           SELECT md5('recommendation-' || d.i)::uuid AS id, d.m,
                  CASE d.m WHEN 'upr' THEN 'UPR' WHEN 'treaty_body' THEN pg_temp.skewed($5::text[])
                           ELSE pg_temp.pick($6::text[]) END AS body,
                  CASE WHEN d.m = 'upr' OR random() < 0.6 THEN 'recommendation' ELSE 'observation' END AS type,
                  CASE d.m WHEN 'upr' THEN 'A/HRC/' || (5 + session) || '/' || (d.s % 20 + 2)
                           ELSE 'BENCH/' || d.m || '/' || ($4::text[])[d.s] || '/' || (d.i % 97) END AS symbol,
                  -- Unique per record, so the (document, paragraph) key never collides.
                  (100 + d.i / 1000) || '.' || (d.i % 1000) AS paragraph,
                  replace(($1::text[])[d.lead], '%STATE%', ($3::text[])[d.s]) || ', '
                    || pg_temp.pick(ARRAY['and', 'including', 'in particular', 'with a view to', 'as well as']) || ' '
                    || ($2::text[])[d.clause]
                    || CASE WHEN d.two_clauses THEN ', in cooperation with ' || pg_temp.pick($9::text[]) || ', and '
                                                   || ($2::text[])[d.clause2] ELSE '' END
                    || CASE WHEN d.m = 'upr' THEN ' (' || array_to_string(recommending, ', ') || ');' ELSE '.' END AS text,
                  ($4::text[])[d.s] AS code, d.cycle, session,
                  CASE WHEN d.cycle IS NOT NULL THEN date '2008-04-01' + ((session - 1) * 121 + floor(random() * 20)::int)
                       ELSE date '2006-01-01' + floor(random() * 7000)::int END AS published_on,
                  recommending,
                  CASE WHEN d.m <> 'upr' THEN 'pending'
                       ELSE pg_temp.pick(ARRAY['supported', 'supported', 'supported', 'noted', 'noted',
                                               'supported_in_part', 'pending']) END AS position,
                  pg_temp.draws($7::text[], 1, 3) AS themes, pg_temp.draws($8::text[], 0, 2) AS groups,
                  pg_temp.draws($10::text[], 0, 3) AS goals, md5('annotation-' || d.i)::uuid AS annotation,
                  pg_temp.pick(ARRAY['not_started', 'not_started', 'in_progress', 'partially_implemented', 'implemented'])
                    AS status,
                  random() < 0.6 AS published
             FROM (SELECT *, CASE WHEN cycle IS NOT NULL THEN (cycle - 1) * 14 + 1 + floor(random() * 14)::int END AS session,
                          CASE WHEN m = 'upr'
                               THEN ARRAY(SELECT DISTINCT pg_temp.pick($11::text[])
                                            FROM generate_series(1, 1 + floor(random() * 3)::int + 0 * i))
                               ELSE '{}'::text[] END AS recommending
                     FROM drawn) d) r`,
      [
        leads,
        clauses,
        STATES.map((state) => state.name),
        STATES.map((state) => state.iso3),
        TREATY_BODIES,
        SPECIAL_PROCEDURES,
        THEMES,
        GROUPS,
        ENTITIES,
        GOALS,
        STATES.map((state) => state.name),
      ],
    );
    // The triggers that keep search's narrow table did not run: it is written in one statement (builds
    // whose migrations have no such table skip this).
    const {
      rows: [{ narrow }],
    } = await client.query(`SELECT to_regclass('recommendation_search') IS NOT NULL AS narrow`);
    if (narrow) {
      const begun = performance.now();
      await client.query(`SELECT recommendation_search_rebuild()`);
      const {
        rows: [{ rows, size }],
      } = await client.query(
        `SELECT count(*)::int AS rows, pg_size_pretty(pg_relation_size('recommendation_search')) AS size
           FROM recommendation_search`,
      );
      console.log(
        `  search table: ${rows.toLocaleString('en')} rows (${size}) in ${((performance.now() - begun) / 1000).toFixed(1)} s`,
      );
    }
    const begun = performance.now();
    for (const { definition } of indexes) await client.query(definition);
    await client.query(`SET session_replication_role = origin`);
    await client.query(`VACUUM ANALYZE recommendations`);
    if (narrow) await client.query(`VACUUM ANALYZE recommendation_search`);
    console.log(
      `  ${indexes.length} indexes and VACUUM ANALYZE in ${((performance.now() - begun) / 1000).toFixed(1)} s`,
    );
    const {
      rows: [shape],
    } = await client.query(
      `SELECT count(*)::int AS records, count(DISTINCT text)::int AS texts,
              count(DISTINCT state_under_review)::int AS states,
              (SELECT count(DISTINCT s)::int FROM recommendations, unnest(recommending_states) s) AS recommending,
              count(DISTINCT body)::int AS bodies,
              pg_size_pretty(pg_total_relation_size('recommendations')) AS size
         FROM recommendations`,
    );
    console.log(
      `  ${shape.records.toLocaleString('en')} records, ${shape.texts.toLocaleString('en')} distinct texts, ${shape.states} States under review, ${shape.recommending} recommending States, ${shape.bodies} bodies, ${shape.size}`,
    );
  } finally {
    await client.end();
  }
}

/**
 * CPU seconds of this process and of the database's backends so far (from /proc: PostgreSQL runs on this
 * machine). On a loaded machine they say what the work costs where wall time says how long it waited.
 */
async function cpuSeconds() {
  const { user, system } = process.cpuUsage();
  let ticks = 0;
  for (const { pid } of await dataSource.query(
    `SELECT pid FROM pg_stat_activity WHERE datname = current_database()`,
  )) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields.length > 12) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return { node: (user + system) / 1e6, database: ticks / 100 };
}

async function linkDetection() {
  console.log('\nLink detection (the detect-import-links job, as after an import of every record)');
  const scoring = ScoringPool && new ScoringPool();
  const links = new LinksService(dataSource, scoring);
  const job = new DetectImportLinks(dataSource, links);
  const run = async (label, states) => {
    const id = randomUUID();
    await dataSource.query(
      `INSERT INTO imports (id, format, filename, byte_size, sha256, dry_run, skip_invalid, status, phase,
                            links_status, touched_states)
       VALUES ($1::uuid, 'uhri', 'bench.xlsx', 0, $1::text, false, false, 'applied', 'linking', 'queued', $2)`,
      [id, states],
    );
    const cpu = await cpuSeconds();
    const begun = performance.now();
    await job.run(id);
    const seconds = (performance.now() - begun) / 1000;
    const spent = await cpuSeconds();
    const [{ status }] = await dataSource.query(`SELECT links_status AS status FROM imports WHERE id = $1`, [
      id,
    ]);
    const [{ candidates, checked }] = await dataSource.query(
      `SELECT (SELECT count(*)::int FROM recommendation_links) AS candidates,
              (SELECT count(*)::int FROM recommendation_link_checks) AS checked`,
    );
    console.log(
      `  ${label}: ${seconds.toFixed(1)} s (goal ≤ ${LINKS_GOAL_S} s), ${status}; ${candidates.toLocaleString('en')} candidate links, ${checked.toLocaleString('en')} records compared; CPU ${(spent.node - cpu.node).toFixed(1)} s here + ${(spent.database - cpu.database).toFixed(1)} s in PostgreSQL; load ${load()}`,
    );
    if (status !== 'done') throw new Error(`link detection ended ${status}`);
  };
  const states = (
    await dataSource.query(`SELECT DISTINCT state_under_review AS s FROM recommendations ORDER BY 1`)
  ).map((row) => row.s);
  // A kept database (--database) was detected before: start from nothing, as a first import does.
  await dataSource.query(`TRUNCATE recommendation_links, recommendation_link_checks`);
  await run(`all ${RECORDS.toLocaleString('en')} records`, states);
  // An import that changes 1 % of the texts, spread over every State.
  const [{ changed }] = await dataSource.query(
    `WITH revised AS (UPDATE recommendations SET text = text || ' Revised.' WHERE hashtext(id::text) % 100 = 0 RETURNING 1)
     SELECT count(*)::int AS changed FROM revised`,
  );
  await run(`after ${changed.toLocaleString('en')} texts changed`, states);
  // Older builds closed the pool on module destroy.
  await (scoring?.onApplicationShutdown ?? scoring?.onModuleDestroy)?.call(scoring);
}

/** Distinct searches: words, phrases and exclusions, alone or with filters on State, cycle, body… */
function searchQueries(count) {
  const random = mulberry32(20261130);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const words = [
    'torture',
    'trafficking',
    'disappearance',
    'education',
    'Roma',
    'discrimination',
    'ombudsman',
    'migrants',
    'disabilities',
    'violence',
    'hate speech',
    'prison',
    'asylum',
    'children',
    'poverty',
    'housing',
    'journalists',
    'ratify',
    'minorities',
    'gender equality',
    'domestic violence',
    'police',
    'health',
    'indigenous',
    'corruption',
    'death penalty',
    'climate',
    'statelessness',
    'labour',
    'racism',
    'water',
    'detention',
    'freedom of expression',
    'Istanbul Convention',
    'Paris Principles',
    'national human rights institution',
    'sexual orientation',
    'juvenile justice',
    'birth registration',
    'human rights education',
  ];
  const phrases = [
    '"human rights"',
    '"domestic violence"',
    '"hate crimes"',
    '"persons with disabilities"',
    '"trafficking in persons"',
    '"national action plan"',
    '"optional protocol"',
    '"migrant workers"',
    '"civil society"',
    '"rule of law"',
  ];
  const seen = new Set();
  const queries = [];
  while (queries.length < count) {
    const filters = {};
    const r = random();
    if (r < 0.45) filters.q = pick(words);
    else if (r < 0.6) filters.q = pick(phrases);
    else if (r < 0.7) filters.q = `${pick(words)} ${pick(words)}`;
    else if (r < 0.78) filters.q = `${pick(words)} -${pick(words).split(' ')[0]}`;
    // …and about a fifth of the searches are filters alone, as a filter panel sends them.
    const state = pick(STATES);
    if (random() < 0.3) filters.state = [pick([state.iso3, state.name, ...state.aliases])];
    if (random() < 0.25) filters.cycle = random() < 0.7 ? [1 + Math.floor(random() * 4)] : [2, 3];
    if (random() < 0.2) filters.mechanism = [pick(['upr', 'treaty_body', 'special_procedure'])];
    if (random() < 0.05) filters.body = [pick(TREATY_BODIES)];
    if (random() < 0.2) filters.theme = [pick(THEMES.slice(0, 30))];
    if (random() < 0.08) filters.group = [pick(GROUPS)];
    if (random() < 0.08) filters.sdg = [pick(GOALS)];
    if (random() < 0.1) filters.recommendingState = [pick(STATES).name];
    if (random() < 0.08) filters.position = [pick(['supported', 'noted'])];
    if (random() < 0.15) {
      const from = 2008 + Math.floor(random() * 14);
      filters.publishedFrom = `${from}-01-01`;
      if (random() < 0.5) filters.publishedTo = `${from + 1 + Math.floor(random() * 5)}-12-31`;
    }
    if (random() < 0.1) filters.published = true;
    const key = JSON.stringify(filters);
    if (Object.keys(filters).length === 0 || seen.has(key)) continue;
    seen.add(key);
    queries.push(filters);
  }
  return queries;
}

/** The filters as the API's DTO leaves them: a State by code, a recommending State by its UN name. */
function asService(filters) {
  return {
    ...filters,
    state: filters.state?.map((value) => taxonomy.resolveState(value)?.iso3 ?? value),
    recommendingState: filters.recommendingState?.map((value) => taxonomy.resolveState(value)?.name ?? value),
  };
}

// The baseline: each search written as plain SQL on the table and its indexes (the page by rank, a
// count(*), one GROUP BY per facet), one statement after another, with no strategy of its own.
const FACET_COLUMNS = [
  ['mechanism', false],
  ['body', false],
  ['upr_cycle', false],
  ['upr_session', false],
  ['position', false],
  ['type', false],
  ['state_under_review', false],
  ['themes', true],
  ['groups', true],
  ['sdg_goals', true],
  ['recommending_states', true],
  ['implementation_status', false],
];
function plainSql(filters) {
  const clauses = [];
  const params = [];
  const param = (value) => {
    params.push(value);
    return `$${params.length}`;
  };
  let query;
  if (filters.q) {
    const q = param(filters.q);
    query = `(${['english', 'french', 'spanish', 'russian', 'simple'].map((c) => `websearch_to_tsquery('${c}', ${q})`).join(' || ')})`;
    clauses.push(`search_vector @@ ${query}`);
  }
  const any = (column, values, cast = 'text[]') =>
    values && clauses.push(`${column} = ANY(${param(values)}::${cast})`);
  const overlaps = (column, values) => values && clauses.push(`${column} && ${param(values)}::text[]`);
  any('state_under_review', filters.state);
  any('upr_cycle', filters.cycle, 'smallint[]');
  any('mechanism', filters.mechanism);
  any('body', filters.body);
  any('position', filters.position);
  overlaps('themes', filters.theme?.flatMap(taxonomy.themeKeysMatching));
  overlaps('groups', filters.group);
  overlaps('sdg_goals', filters.sdg);
  overlaps('recommending_states', filters.recommendingState);
  if (filters.publishedFrom) clauses.push(`published_on >= ${param(filters.publishedFrom)}::date`);
  if (filters.publishedTo) clauses.push(`published_on <= ${param(filters.publishedTo)}::date`);
  if (filters.published !== undefined) clauses.push(`published = ${param(filters.published)}`);
  const where = clauses.join(' AND ') || 'TRUE';
  const order = query ? `ts_rank(search_vector, ${query}) DESC, id` : 'document_symbol, paragraph, id';
  return {
    params,
    page: `SELECT id, document_symbol, paragraph, text FROM recommendations WHERE ${where} ORDER BY ${order} LIMIT ${PAGE}`,
    count: `SELECT count(*) FROM recommendations WHERE ${where}`,
    facets: FACET_COLUMNS.map(
      ([column, array]) =>
        `SELECT v, count(*) FROM (SELECT ${array ? `unnest(${column})` : column} AS v FROM recommendations WHERE ${where}) x
          GROUP BY v ORDER BY count(*) DESC LIMIT 51`,
    ),
  };
}

async function searches() {
  const service = new SearchService(dataSource);
  const client = new pg.Client({
    connectionString: database.url,
    options: `-c search_path=${SCHEMA},public`,
  });
  client.on('error', () => undefined);
  await client.connect();
  const queries = searchQueries(QUERIES);
  const filtered = queries.filter((filters) => Object.keys(filters).some((key) => key !== 'q')).length;
  console.log(
    `\nSearch: ${queries.length} distinct searches (${queries.filter((f) => f.q).length} with text, ${filtered} with filters), ${PAGE} per page`,
  );
  const timed = async (work) => {
    const begun = performance.now();
    const result = await work();
    return [performance.now() - begun, result];
  };
  const kinds = {
    'FTS + facets': { limit: PAGE, facets: true },
    'FTS, no facets': { limit: PAGE, facets: false },
    'facets only (limit=0)': { limit: 0, facets: true },
  };
  const results = {};
  const totals = [];
  for (const [kind, page] of Object.entries(kinds)) {
    const cold = [];
    const warm = [];
    for (const filters of queries) {
      const run = () => service.search(asService(filters), { ...page, offset: 0, sort: 'relevance' });
      const [first, found] = await timed(run);
      const [second] = await timed(run);
      cold.push(first);
      warm.push(second);
      if (page.facets) totals.push(found.total);
    }
    results[kind] = { cold, warm };
  }
  // Once per search (the slowest part of the run), after the service ran it: compared with warm runs.
  const baseline = [];
  for (const filters of queries) {
    const sql = plainSql(asService(filters));
    const [elapsed] = await timed(async () => {
      await client.query(sql.page, sql.params);
      await client.query(sql.count, sql.params);
      for (const facet of sql.facets) await client.query(facet, sql.params);
    });
    baseline.push(elapsed);
  }
  await client.end();
  const counts = totals.sort((a, b) => a - b);
  console.log(
    `  matches per search: median ${percentile(counts, 50).toLocaleString('en')}, p95 ${percentile(counts, 95).toLocaleString('en')}, max ${counts.at(-1).toLocaleString('en')}`,
  );
  const line = (label, { cold, warm }) =>
    console.log(
      `  ${label.padEnd(28)} cold p50 ${ms(percentile(cold, 50))} p95 ${ms(percentile(cold, 95))}   warm p50 ${ms(percentile(warm, 50))} p95 ${ms(percentile(warm, 95))}`,
    );
  for (const [kind, samples] of Object.entries(results)) line(kind, samples);
  console.log(
    `  ${'plain SQL (page+count+facets)'.padEnd(28)} ${' '.repeat(36)}warm p50 ${ms(percentile(baseline, 50))} p95 ${ms(percentile(baseline, 95))}`,
  );
  const faceted = results['FTS + facets'];
  console.log(
    `  FTS + facets against plain SQL: warm p50 ${(percentile(faceted.warm, 50) / percentile(baseline, 50)).toFixed(2)}×, p95 ${(percentile(faceted.warm, 95) / percentile(baseline, 95)).toFixed(2)}× (goal p95 ≤ ${SEARCH_GOAL_MS} ms, aim 50 ms); load ${load()}`,
  );
}

/** Each search through this build and the other (`--against`), one after the other, warm; answers must match. */
async function against() {
  const { SearchService: OtherService } = require(join(againstDir, 'search/search.service.js'));
  const builds = { this: new SearchService(dataSource), other: new OtherService(dataSource) };
  const queries = searchQueries(QUERIES);
  console.log(
    `\nInterleaved with ${againstDir}: ${queries.length} searches, each warm, this build then the other`,
  );
  const kinds = {
    'FTS + facets': { limit: PAGE, facets: true },
    'FTS, no facets': { limit: PAGE, facets: false },
    'facets only (limit=0)': { limit: 0, facets: true },
  };
  const answer = (found) =>
    JSON.stringify({
      total: found.total,
      ids: found.items.map((item) => item.id),
      facets: found.facets,
      truncated: found.facetsTruncated,
    });
  let differ = 0;
  const slowest = [];
  for (const [kind, page] of Object.entries(kinds)) {
    const times = { this: [], other: [] };
    for (const filters of queries) {
      const answers = {};
      for (const [name, service] of Object.entries(builds)) {
        const run = () => service.search(asService(filters), { ...page, offset: 0, sort: 'relevance' });
        await run();
        const begun = performance.now();
        answers[name] = await run();
        const elapsed = performance.now() - begun;
        times[name].push(elapsed);
        if (name === 'this' && page.facets && page.limit > 0)
          slowest.push([elapsed, answers[name].total, filters]);
      }
      if (answer(answers.this) !== answer(answers.other)) {
        differ += 1;
        console.log(`  different answers (${kind}): ${JSON.stringify(filters)}`);
      }
    }
    for (const [name, samples] of Object.entries(times)) {
      console.log(
        `  ${kind.padEnd(22)} ${name.padEnd(6)} warm p50 ${ms(percentile(samples, 50))} p95 ${ms(percentile(samples, 95))} max ${ms(Math.max(...samples))}`,
      );
    }
  }
  console.log(`  slowest with facets (this build):`);
  for (const [elapsed, total, filters] of slowest.sort((a, b) => b[0] - a[0]).slice(0, 8)) {
    console.log(`    ${ms(elapsed)} ${String(total).padStart(6)} matches ${JSON.stringify(filters)}`);
  }
  console.log(
    `  ${differ === 0 ? 'same answers to every search' : `${differ} answers differ`}; load ${load()}`,
  );
  if (differ > 0) throw new Error(`${differ} answers differ between the builds`);
}

// --database URL times a database an earlier run left behind (--keep), without loading it again.
const reuse = option('database');
const database = reuse
  ? { url: reuse, drop: async () => undefined }
  : await createTestDatabase('bench_search');
const options = { url: database.url, schema: SCHEMA, entities, migrations };
const started = performance.now();
let dataSource;
try {
  await migrate(options);
  if (!reuse) await fill();
  dataSource = await new DataSource(serviceDataSourceOptions(options)).initialize();
  console.log(`\nload average ${load()}`);
  if (!process.argv.includes('--no-links')) await linkDetection();
  if (!process.argv.includes('--no-search')) await searches();
  if (againstDir) await against();
  console.log(`\nload average ${load()}; whole run ${((performance.now() - started) / 1000).toFixed(0)} s`);
} finally {
  await dataSource?.destroy();
  if (process.argv.includes('--keep') || reuse) console.log(`Kept ${database.url}`);
  else await database.drop();
}
