// Import benchmark: generates a UHRI-shaped workbook (default 250,000 rows) that follows the value
// distributions of the real Slovenian sample, with texts recombined from its sentences (a lead from one
// recommendation, the clauses of others, the State under review and recommending States varied), so
// full-text search and link detection meet varied text rather than copies. Then, in the same run:
//   1. raw PostgreSQL COPY of the same rows (16 text columns) into a bare table: the baseline;
//   2. the recommendations service importing the workbook over HTTP (one transaction, with events);
//   3. filtered full-text searches over the result;
//   4. the database's floor: what the import wrote, written again by INSERT … SELECT with no worker.
//   npm run bench:import [-- --rows 250000 --queries 200]   (or BENCH_IMPORT_ROWS=50000 to iterate)
//   --import-only skips 3. and link detection; --keep leaves the database; BENCH_RECOMMENDATIONS_DIR
//   runs another build of the service (a directory under the repo holding its dist/ and data/).
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, openAsBlob } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import yazl from 'yazl';
import {
  createTestDatabase,
  repoRoot,
  runToCompletion,
  demoToken,
  ServiceProcess,
  setDefaultAuthorization,
  testInfrastructure,
  waitFor,
  withAuthorization,
} from '@nmirf/testing';

const require = createRequire(import.meta.url);
// Another build of the service (a directory under the repo holding dist/ and data/) to compare against.
const SERVICE_DIR = process.env.BENCH_RECOMMENDATIONS_DIR ?? 'services/recommendations';
const formats = require(join(repoRoot, SERVICE_DIR, 'dist/imports/formats/index.js'));
const taxonomy = require(join(repoRoot, SERVICE_DIR, 'dist/taxonomy/index.js'));

const arg = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
};
const ROWS = arg('rows', Number(process.env.BENCH_IMPORT_ROWS) || 250_000);
const QUERIES = arg('queries', 200);
const SAMPLE = join(repoRoot, 'infra', 'seed', 'slovenia', 'uhri-export-sample-slovenia-c2c3.xlsx');
const PER_DOCUMENT = 300;

// Deterministic pseudo-random numbers, so two runs import the same workbook.
function mulberry32(seed) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const uuidOf = (i) => {
  const h = createHash('sha1').update(`bench-${i}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};
const xml = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const tsv = (text) =>
  text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

async function readSample() {
  const rows = [];
  for await (const row of formats.readXlsxRows(SAMPLE)) rows.push(row.cells);
  return { header: rows[0], rows: rows.slice(1) };
}

/**
 * Texts recombined from the sample: the lead of one recommendation ("Take further steps to…"), one or
 * two clauses of others, the State under review's name where the sample names Slovenia, and 1–3
 * recommending States in brackets. Few rows share a text, as in the real Index.
 */
function textGenerator(sample, random, states) {
  const pick = (list) => list[Math.floor(random() * list.length)];
  const bodies = sample.rows
    .map((row) => row[0].replace(/^\d+(\.\d+)*\.?\s*/, '').replace(/\s*\([^()]*\)\s*[;.]?\s*$/, ''))
    .filter((text) => text.length > 20);
  const leads = [];
  const clauses = [];
  for (const text of bodies) {
    const parts = text.split(/(?:,|;| and | including | in order to | with a view to | in particular )\s*/);
    leads.push(parts[0]);
    for (const part of parts.slice(1)) if (part.split(' ').length >= 3) clauses.push(part.trim());
  }
  const connectors = ['and', 'including', 'in particular', 'with a view to', 'in order to', 'as well as'];
  return (stateName) => {
    const parts = [pick(leads).replace(/\bSlovenia\b/g, stateName)];
    const extra = 1 + Math.floor(random() * 2);
    for (let i = 0; i < extra; i++) parts.push(`${pick(connectors)} ${pick(clauses)}`);
    const recommending = Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(states).name);
    return `${parts.join(', ')} (${[...new Set(recommending)].join(', ')});`;
  };
}

/** Writes the workbook (shared strings, as UHRI exports have) and a TSV of the same cells for COPY. */
async function generate(dir, sample) {
  const random = mulberry32(20261127);
  const states = taxonomy.STATES.filter((state) => state.status === 'member');
  const sheetPath = join(dir, 'sheet1.xml');
  const stringsPath = join(dir, 'sharedStrings.xml');
  const tsvPath = join(dir, 'rows.tsv');
  const sheet = createWriteStream(sheetPath);
  const copy = createWriteStream(tsvPath);
  const strings = new Map();
  const index = (value) => {
    let i = strings.get(value);
    if (i === undefined) strings.set(value, (i = strings.size));
    return i;
  };
  const write = async (stream, chunk) => {
    if (!stream.write(chunk)) await once(stream, 'drain');
  };
  const column = (i) => String.fromCharCode(65 + i);
  const rowXml = (r, cells) =>
    `<row r="${r}">${cells
      .map((value, i) =>
        value === ''
          ? ''
          : /^\d+(\.\d+)?$/.test(value)
            ? `<c r="${column(i)}${r}"><v>${value}</v></c>`
            : `<c r="${column(i)}${r}" t="s"><v>${index(value)}</v></c>`,
      )
      .join('')}</row>`;
  await write(
    sheet,
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>',
  );
  await write(sheet, rowXml(1, sample.header));
  const textFor = textGenerator(sample, random, states);
  const texts = new Set();
  for (let i = 0; i < ROWS; i++) {
    const template = sample.rows[Math.floor(random() * sample.rows.length)];
    const document = Math.floor(i / PER_DOCUMENT);
    const state = states[document % states.length];
    const session = 1 + (document % 54);
    const paragraph = `${100 + (document % 60)}.${(i % PER_DOCUMENT) + 1}`;
    const text = textFor(state.name);
    texts.add(createHash('sha1').update(text).digest('base64'));
    const cells = [...template];
    cells[0] = `${paragraph} ${text}`;
    cells[1] = `- ${state.name}`;
    cells[3] = `A/HRC/${7 + Math.floor(document / 20)}/${2 + (document % 20)}`;
    cells[11] = uuidOf(i);
    cells[12] = `- ${session} Session`;
    await write(sheet, rowXml(i + 2, cells));
    await write(copy, `${cells.map(tsv).join('\t')}\n`);
  }
  await write(sheet, '</sheetData></worksheet>');
  sheet.end();
  copy.end();
  await Promise.all([once(sheet, 'finish'), once(copy, 'finish')]);

  const shared = createWriteStream(stringsPath);
  await write(
    shared,
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${strings.size}" uniqueCount="${strings.size}">`,
  );
  for (const value of strings.keys())
    await write(shared, `<si><t xml:space="preserve">${xml(value)}</t></si>`);
  await write(shared, '</sst>');
  shared.end();
  await once(shared, 'finish');

  const zip = new yazl.ZipFile();
  const ns = 'http://schemas.openxmlformats.org';
  zip.addBuffer(
    Buffer.from(
      `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="${ns}/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`,
    ),
    '[Content_Types].xml',
  );
  zip.addBuffer(
    Buffer.from(
      `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${ns}/package/2006/relationships"><Relationship Id="rId1" Type="${ns}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    ),
    '_rels/.rels',
  );
  zip.addBuffer(
    Buffer.from(
      `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${ns}/spreadsheetml/2006/main" xmlns:r="${ns}/officeDocument/2006/relationships"><sheets><sheet name="Export" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    ),
    'xl/workbook.xml',
  );
  zip.addBuffer(
    Buffer.from(
      `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${ns}/package/2006/relationships"><Relationship Id="rId1" Type="${ns}/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${ns}/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
    ),
    'xl/_rels/workbook.xml.rels',
  );
  zip.addFile(sheetPath, 'xl/worksheets/sheet1.xml');
  zip.addFile(stringsPath, 'xl/sharedStrings.xml');
  zip.end();
  const workbook = join(dir, 'uhri-bench.xlsx');
  await pipeline(zip.outputStream, createWriteStream(workbook));
  return { workbook, tsvPath, uniqueStrings: strings.size, distinctTexts: texts.size };
}

async function copyBaseline(databaseUrl, tsvPath) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query(
    `CREATE TABLE bench_raw (${Array.from({ length: 16 }, (_, i) => `c${i} text`).join(', ')})`,
  );
  const [{ pid }] = (await client.query('SELECT pg_backend_pid() AS pid')).rows;
  const cpuBefore = await cpuSeconds(pid);
  const started = performance.now();
  await pipeline(createReadStream(tsvPath), client.query(copyFrom('COPY bench_raw FROM STDIN')));
  const seconds = (performance.now() - started) / 1000;
  const cpu = (await cpuSeconds(pid)) - cpuBefore;
  const { rows } = await client.query('SELECT count(*)::int AS n FROM bench_raw');
  await client.query('DROP TABLE bench_raw');
  await client.end();
  return { seconds, cpu, rows: rows[0].n };
}

/**
 * The database's own floor for what an import writes: the rows this import wrote (records, snapshots,
 * row reports, events) inserted again by INSERT … SELECT in one transaction, with the importer's
 * settings, triggers and indexes, and no worker at all; then rolled back. No importer of this schema
 * can beat it, whatever its worker does.
 */
async function databaseFloor(databaseUrl) {
  const client = new pg.Client({ connectionString: databaseUrl, options: '-c search_path=recommendations' });
  await client.connect();
  const columns = async (table, except) =>
    (
      await client.query(
        `SELECT column_name AS name FROM information_schema.columns
          WHERE table_schema = 'recommendations' AND table_name = $1 AND NOT column_name = ANY($2)
          ORDER BY ordinal_position`,
        [table, except],
      )
    ).rows.map((row) => row.name);
  const kept = await columns('recommendations', ['id', 'annotation_id', 'document_symbol', 'search_vector']);
  const [{ pid }] = (await client.query('SELECT pg_backend_pid() AS pid')).rows;
  await client.query('BEGIN');
  try {
    // As the importer's transaction: row audit suspended, version bumps deferred, GIN lists merged once.
    await client.query(`SELECT set_config('nmirf.audit_bulk', 'on', true),
      set_config('nmirf.catalogue_version_deferred', 'on', true),
      set_config('gin_pending_list_limit', '32768', true), set_config('work_mem', '64MB', true),
      set_config('maintenance_work_mem', '64MB', true)`);
    await client.query(`CREATE TEMP TABLE floor_ids ON COMMIT DROP AS
      SELECT id, gen_random_uuid() AS new_id, CASE WHEN annotation_id IS NOT NULL THEN gen_random_uuid() END AS annotation_id
      FROM recommendations`);
    const cpuBefore = await cpuSeconds(pid);
    const parts = {};
    const timed = async (part, sql) => {
      const started = performance.now();
      const result = await client.query(sql);
      parts[part] = (performance.now() - started) / 1000;
      return result;
    };
    const { rowCount } = await timed(
      'records',
      `INSERT INTO recommendations (id, annotation_id, document_symbol, ${kept.join(', ')})
       SELECT f.new_id, f.annotation_id, r.document_symbol || ' (floor)', ${kept.map((c) => `r.${c}`).join(', ')}
       FROM recommendations r JOIN floor_ids f USING (id)`,
    );
    await timed(
      'snapshots',
      `INSERT INTO recommendation_sources (recommendation_id, source, data, content_hash, import_id)
       SELECT f.new_id, s.source, s.data, s.content_hash, s.import_id
       FROM recommendation_sources s JOIN floor_ids f ON f.id = s.recommendation_id`,
    );
    await timed(
      'row reports',
      `INSERT INTO import_rows (import_id, row_number, outcome, recommendation_id, document_symbol,
         paragraph, changed_fields, problems, warnings)
       SELECT '00000000-0000-4000-8000-000000000000', row_number, outcome, recommendation_id, document_symbol,
         paragraph, changed_fields, problems, warnings FROM import_rows`,
    );
    await timed(
      'events',
      `INSERT INTO outbox (event_id, event_type, topic, message_key, payload, correlation_id,
         aggregate_sequence, traceparent)
       SELECT gen_random_uuid(), event_type, topic, message_key, payload, correlation_id, aggregate_sequence, traceparent
       FROM outbox`,
    );
    await timed(
      'GIN merge',
      `SELECT count(gin_clean_pending_list(c.oid::regclass))
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam
       WHERE a.amname = 'gin' AND i.indrelid = ANY (ARRAY['recommendations'::regclass, 'recommendation_search'::regclass])`,
    );
    const seconds = Object.values(parts).reduce((sum, part) => sum + part, 0);
    return { seconds, parts, cpu: (await cpuSeconds(pid)) - cpuBefore, rows: rowCount };
  } finally {
    await client.query('ROLLBACK');
    await client.end();
  }
}

/**
 * CPU seconds a process (all its threads) has used. On a machine shared with other work, wall time
 * swings with the load; CPU time much less, so the bench reports both.
 */
async function cpuSeconds(pid) {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  if (!stat) return 0;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime, fields 14 and 15 of proc(5), in ticks of 1/100 s on Linux.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * The CPU the database's backends spend, sampled while the import runs (PostgreSQL on this host):
 * the first and last reading of each backend of the bench's database.
 */
function databaseCpu(client) {
  const seen = new Map();
  const sample = async () => {
    const { rows } = await client.query(
      'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
    );
    for (const { pid } of rows) {
      const cpu = await cpuSeconds(pid);
      const entry = seen.get(pid);
      if (entry) entry.last = Math.max(entry.last, cpu);
      else seen.set(pid, { first: cpu, last: cpu });
    }
  };
  return {
    sample,
    total: () => [...seen.values()].reduce((sum, { first, last }) => sum + last - first, 0),
  };
}

function peakRss(pid) {
  return readFile(`/proc/${pid}/status`, 'utf8').then(
    (status) => Number(/VmHWM:\s+(\d+) kB/.exec(status)[1]) * 1024,
  );
}

/**
 * Distinct filtered full-text queries: one or two words of the generated texts, each with a varied
 * filter (any cycle, a session, a State under review, a position, an SDG, or two of them).
 */
function searchQueries(count, sample) {
  const random = mulberry32(7);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const frequency = new Map();
  for (const row of sample.rows) {
    for (const word of row[0].toLowerCase().match(/[a-z]{5,}/g) ?? []) {
      frequency.set(word, (frequency.get(word) ?? 0) + 1);
    }
  }
  // Neither the rarest words nor the commonest ("ensure", "rights"): what people search for.
  const ranked = [...frequency.entries()].sort((a, b) => b[1] - a[1]).map(([word]) => word);
  const states = taxonomy.STATES.filter((state) => state.status === 'member');
  // State names are filters, not subjects.
  const names = new Set(states.flatMap((state) => state.name.toLowerCase().split(/\W+/)));
  const words = ranked.filter((word) => !names.has(word)).slice(15, 400);
  const filters = [
    () => `cycle=${1 + Math.floor(random() * 4)}`,
    () => `session=${1 + Math.floor(random() * 54)}`,
    () => `state=${pick(states).iso3}`,
    () => `position=${pick(['supported', 'noted'])}`,
    () => `sdg=${1 + Math.floor(random() * 17)}`,
    () => `cycle=${1 + Math.floor(random() * 4)}&position=${pick(['supported', 'noted'])}`,
  ];
  const queries = new Set();
  while (queries.size < count) {
    const q = random() < 0.6 ? pick(words) : `${pick(words)} ${pick(words)}`;
    queries.add(`q=${encodeURIComponent(q)}&${pick(filters)()}`);
  }
  return [...queries];
}

async function searchLatencies(base, queries, facets) {
  const latencies = [];
  for (const query of queries) {
    const started = performance.now();
    const response = await fetch(`${base}/recommendations?${query}&limit=20&facets=${facets}`);
    await response.json();
    if (response.status !== 200) throw new Error(`search answered ${response.status}`);
    latencies.push(performance.now() - started);
  }
  return latencies.sort((a, b) => a - b);
}

const dir = await mkdtemp(join(tmpdir(), 'bench-import-'));
const database = await createTestDatabase('bench_import');
let service;
let worker;
try {
  const sample = await readSample();
  let started = performance.now();
  const { workbook, tsvPath, uniqueStrings, distinctTexts } = await generate(dir, sample);
  const size = (await stat(workbook)).size;
  console.log(
    `generated ${ROWS} rows from ${sample.rows.length} sample rows in ${((performance.now() - started) / 1000).toFixed(1)} s: ${mb(size)} workbook, ${uniqueStrings} shared strings, ${distinctTexts} distinct texts`,
  );

  const copy = await copyBaseline(database.url, tsvPath);

  const env = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    SERVICE_NAME: 'recommendations',
    DATABASE_URL: database.url,
    REDIS_URL: testInfrastructure.redisUrl,
    KAFKA_BROKERS: testInfrastructure.kafkaBrokers,
    KAFKA_TOPIC_PREFIX: `bench-import-${Date.now()}.`,
    IMPORT_MAX_BYTES: String(1024 * 1024 * 1024),
    IMPORT_DIR: join(dir, 'uploads'),
    // The API stores the upload here; the worker imports it from here.
    IMPORT_STORAGE_DIR: join(dir, 'storage'),
    QUEUE_PREFIX: `bench-import-${Date.now()}`,
    OIDC_ISSUER_URL: testInfrastructure.oidcIssuer,
    // e.g. BENCH_SERVICE_NODE_OPTIONS='--require ./profile.cjs' to profile the service (Node refuses
    // --cpu-prof in NODE_OPTIONS; an inspector.Session started by a preload works).
    ...(process.env.BENCH_SERVICE_NODE_OPTIONS
      ? { NODE_OPTIONS: process.env.BENCH_SERVICE_NODE_OPTIONS }
      : {}),
  };
  setDefaultAuthorization(() => demoToken('coordinator'));
  await runToCompletion(`${SERVICE_DIR}/dist/main.js`, ['--migrate'], { ...env, HTTP_PORT: '1' });
  service = new ServiceProcess({
    name: 'recommendations',
    script: `${SERVICE_DIR}/dist/main.js`,
    env,
    logDir: join(repoRoot, 'tmp', 'bench-logs'),
    port: 3190,
  });
  service.start();
  await service.waitReady();
  // Imports run in the worker: its memory is what an import costs.
  worker = new ServiceProcess({
    name: 'recommendations-worker',
    script: `${SERVICE_DIR}/dist/worker.js`,
    // At 'warn' the worker would not say that it started, which is what the bench waits for.
    env: { ...env, LOG_LEVEL: 'info' },
    logDir: join(repoRoot, 'tmp', 'bench-logs'),
  });
  worker.start();
  await waitFor(
    'the worker to start',
    () => readFile(worker.logFile, 'utf8').then((log) => log.includes('worker started')),
    {
      timeoutMs: 120_000,
    },
  );
  const baseRss = await peakRss(worker.pid);

  const form = new FormData();
  form.append('file', await openAsBlob(workbook), 'uhri-bench.xlsx');
  const watcher = new pg.Client({ connectionString: database.url });
  await watcher.connect();
  const dbCpu = databaseCpu(watcher);
  await dbCpu.sample();
  const processCpu = async () => [await cpuSeconds(service.pid), await cpuSeconds(worker.pid)];
  const processCpuBefore = await processCpu();
  started = performance.now();
  const response = await fetch(`${service.url}/imports`, {
    method: 'POST',
    body: form,
    headers: await withAuthorization(),
  });
  const queued = await response.json();
  if (response.status !== 202) throw new Error(`import not queued: ${JSON.stringify(queued)}`);
  const result = await waitFor(
    'the worker to finish the import',
    async () => {
      await dbCpu.sample();
      const current = await (
        await fetch(`${service.url}/imports/${queued.id}`, { headers: await withAuthorization() })
      ).json();
      return ['applied', 'rejected', 'failed'].includes(current.status) ? current : undefined;
    },
    // Each poll costs the database a row-report summary: often enough to time, rarely enough not to weigh.
    { timeoutMs: 60 * 60_000, intervalMs: 1000 },
  );
  const importSeconds = (performance.now() - started) / 1000;
  await dbCpu.sample();
  const [serviceCpu, workerCpu] = await processCpu();
  const importCpu = {
    service: serviceCpu - processCpuBefore[0],
    worker: workerCpu - processCpuBefore[1],
    database: dbCpu.total(),
  };
  await watcher.end();
  if (result.status !== 'applied') throw new Error(`import failed: ${JSON.stringify(result)}`);
  const importRss = await peakRss(worker.pid);

  // What the importer wrote, not what was generated: rejected rows cost time but are not imported.
  const written = result.created + result.updated;
  const importRate = written / importSeconds;
  const copyRate = copy.rows / copy.seconds;
  const importCpuTotal = importCpu.service + importCpu.worker + importCpu.database;
  console.log('');
  console.log(
    `rows                      ${ROWS} generated, ${written} written (created ${result.created}, updated ${result.updated}, rejected ${result.rejected})`,
  );
  console.log(`raw COPY (16 text cols)   ${copy.seconds.toFixed(1)} s   ${Math.round(copyRate)} rows/s`);
  console.log(`importer (HTTP, parse,    ${importSeconds.toFixed(1)} s   ${Math.round(importRate)} rows/s`);
  console.log(`  classify, merge, events)`);
  console.log(`ratio importer/COPY       ${(importRate / copyRate).toFixed(3)}x (rows written per second)`);
  console.log(
    `CPU                       raw COPY ${copy.cpu.toFixed(1)} s (database); importer ${importCpuTotal.toFixed(1)} s (worker ${importCpu.worker.toFixed(1)} s, API ${importCpu.service.toFixed(1)} s, database ${importCpu.database.toFixed(1)} s)`,
  );
  console.log(
    `ratio of CPU per row      ${(copy.cpu / copy.rows / (importCpuTotal / written)).toFixed(3)}x (less sensitive to other work on the machine)`,
  );
  console.log(`worker peak RSS           ${mb(importRss)} (idle ${mb(baseRss)}), workbook ${mb(size)}`);
  if (!process.argv.includes('--import-only')) {
    await waitFor(
      'link detection',
      async () =>
        (
          await (
            await fetch(`${service.url}/imports/${result.id}`, { headers: await withAuthorization() })
          ).json()
        ).linksStatus === 'done',
      { timeoutMs: 30 * 60_000, intervalMs: 2000 },
    );
    const linkSeconds = (performance.now() - started) / 1000 - importSeconds;
    const links = await (
      await fetch(`${service.url}/links?limit=1`, { headers: await withAuthorization() })
    ).json();

    const queries = searchQueries(QUERIES, sample);
    const plain = await searchLatencies(service.url, queries, false);
    const faceted = await searchLatencies(service.url, queries, true);
    const facetsOnly = await searchLatencies(
      service.url,
      queries.map((query) => query.replace(/^q=[^&]*&/, '')).filter((q, i, all) => all.indexOf(q) === i),
      true,
    );
    console.log(
      `link detection            ${linkSeconds.toFixed(1)} s after the import, ${links.total} candidate links`,
    );
    console.log(
      `filtered FTS (no facets)  p50 ${percentile(plain, 50).toFixed(1)} ms  p95 ${percentile(plain, 95).toFixed(1)} ms  (${plain.length} queries)`,
    );
    console.log(
      `filtered FTS + facets     p50 ${percentile(faceted, 50).toFixed(1)} ms  p95 ${percentile(faceted, 95).toFixed(1)} ms  (${faceted.length} queries)`,
    );
    console.log(
      `filters + facets, no q    p50 ${percentile(facetsOnly, 50).toFixed(1)} ms  p95 ${percentile(facetsOnly, 95).toFixed(1)} ms  (${facetsOnly.length} queries)`,
    );
  }
  // Measured with the services stopped, so that link detection does not run beside it.
  // A running link detection finishes first.
  await worker.stop('SIGTERM', 30 * 60_000);
  await service.stop('SIGTERM');
  const floor = await databaseFloor(database.url);
  console.log(
    `database floor            ${floor.seconds.toFixed(1)} s   ${Math.round(floor.rows / floor.seconds)} rows/s (CPU ${floor.cpu.toFixed(1)} s): the import's writes again, by INSERT … SELECT, no worker`,
  );
  console.log(
    `  ${Object.entries(floor.parts)
      .map(([part, seconds]) => `${part} ${seconds.toFixed(1)} s`)
      .join(', ')}`,
  );
  console.log(
    `ratio floor/COPY          ${(floor.rows / floor.seconds / (copy.rows / copy.seconds)).toFixed(3)}x: no importer of this schema can do better`,
  );
} finally {
  await worker?.stop('SIGTERM').catch(() => undefined);
  await service?.stop('SIGTERM').catch(() => undefined);
  // --keep leaves the database for inspection (\d recommendations, EXPLAIN of the import's statements).
  if (process.argv.includes('--keep')) console.log(`kept database ${database.url}`);
  else await database.drop().catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
}
