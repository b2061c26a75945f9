// Report compilation benchmark: the UPR annex for 1,000 and for 10,000 recommendations, as DOCX and
// as PDF, each compiled by a fresh worker process (the reporting service's ReportCompiler from its
// build, the same code the worker runs) against a database filled like a State's catalogue: the real
// Slovenian recommendation texts reused, themes, positions, statuses, 1–3 actions each.
// Prints the time and CPU of each compilation and the peak RSS of the worker (Node) and of the worker
// with its Chromium (PDF). Chromium is started and a tab warmed before the clock starts, as the worker
// does when it starts. Goal: at most 5 s for 1,000 and 30 s for 10,000.
//   npm run bench:reports [-- --sizes 1000,10000]
import { createTestDatabase } from '@nmirf/testing';
import { execFileSync, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { ensureSystemPackages, root } from '../../infra/scripts/lib.mjs';

const require = createRequire(import.meta.url);
const dist = (path) => require(join(root, 'services/reporting/dist', path));
const arg = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? process.argv[index + 1] : fallback;
};

if (process.argv[2] === '--child') {
  // The worker side: compile one report and say how long it took and how much memory it held.
  const [, , , url, reportsDir, reportId, format] = process.argv;
  const { serviceDataSourceOptions, EventOutbox } = require('@nmirf/platform');
  const { DataSource } = require('typeorm');
  const { entities, migrations, SCHEMA } = dist('database.js');
  const { ReportCompiler } = dist('reports/report-compiler.js');
  const { PdfPrinter } = dist('documents/pdf-printer.js');
  const dataSource = await new DataSource(
    serviceDataSourceOptions({ url, schema: SCHEMA, entities, migrations, poolSize: 2 }),
  ).initialize();
  const pdf = new PdfPrinter(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium');
  // The worker starts Chromium and warms a tab when it starts (report-providers.ts), not per report:
  // neither the time nor the CPU figure counts it.
  if (format === 'pdf') await pdf.start();
  process.send({ starting: true });
  const compiler = new ReportCompiler(
    dataSource,
    new EventOutbox('reporting', '', `outbox_${SCHEMA}`),
    reportsDir,
    {
      pdf,
    },
  );
  const started = performance.now();
  await compiler.compile(reportId);
  const ms = performance.now() - started;
  await pdf.close();
  const [report] = await dataSource.query(
    `SELECT file_name, row_count, word_count FROM reports WHERE id = $1`,
    [reportId],
  );
  await dataSource.destroy();
  const [utime, stime] = readFileSync('/proc/self/stat', 'utf8')
    .replace(/^.*\) /, '')
    .split(' ')
    .slice(11, 13)
    .map(Number);
  process.send({ ms, ownTicks: utime + stime, maxRssKb: process.resourceUsage().maxRSS, ...report });
  process.exit(0);
}

ensureSystemPackages();
const sizes = arg('sizes', '1000,10000').split(',').map(Number);
const ExcelJS = require('exceljs');
const workbook = new ExcelJS.Workbook();
await workbook.xlsx.readFile(join(root, 'infra/seed/slovenia/uhri-export-sample-slovenia-c2c3.xlsx'));
const texts = [];
workbook.worksheets[0].eachRow((row, number) => {
  if (number > 1) texts.push(String(row.getCell(1).value).replace(/^\d+\.\d+\s*/, ''));
});
const themes = Object.keys(
  JSON.parse(readFileSync(join(root, 'services/reporting/src/documents/messages/themes.json'))),
);
const STATES = ['Germany', 'France', 'Brazil', 'Japan', 'Kenya', 'Chile', 'India', 'Canada', 'Egypt', 'Peru'];
const MINISTRIES = [
  'Justice',
  'Interior',
  'Health',
  'Education',
  'Labour',
  'Foreign Affairs',
  'Social Affairs',
];
const STATUSES = [
  ['not_started', 0.45],
  ['in_progress', 0.3],
  ['partially_implemented', 0.12],
  ['implemented', 0.12],
  ['no_longer_applicable', 0.01],
];
const pick = (list, i) => list[i % list.length];
const weighted = (i) => {
  let x = ((i * 7919) % 1000) / 1000;
  for (const [status, share] of STATUSES) if ((x -= share) < 0) return status;
  return 'not_started';
};

const { migrate } = require('@nmirf/platform');
const { entities, migrations, SCHEMA } = dist('database.js');
const database = await createTestDatabase('bench_reports');
const reportsDir = mkdtempSync(join(tmpdir(), 'bench-reports-'));
const pg = require('pg');
const results = [];
try {
  await migrate({ url: database.url, schema: SCHEMA, entities, migrations });
  const client = new pg.Client({
    connectionString: database.url,
    options: `-c search_path=${SCHEMA},public`,
  });
  await client.connect();
  // Bulk load without the dashboard triggers, then recount once (read-model/README.md).
  await client.query(`SET session_replication_role = replica`);
  for (const size of sizes) {
    const state = `B${String(size).slice(0, 2)}`;
    const ids = Array.from({ length: size }, () => randomUUID());
    for (let start = 0; start < size; start += 1000) {
      const slice = ids.slice(start, start + 1000);
      await client.query(
        `INSERT INTO recommendation_view (id, mechanism, mechanism_kind, document_symbol, paragraph, text, position,
                                          recommending_states, state_under_review, upr_cycle, upr_session, themes,
                                          implementation_status)
         SELECT id, 'UPR', 'upr', 'A/HRC/99/' || $2::text, (100 + (n / 300))::text || '.' || (n % 300 + 1)::text, text,
                position, ARRAY[st], $2, 3, 34, ARRAY[theme], status
           FROM unnest($1::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[])
                AS r (id, text, position, st, theme, status, n)`,
        [
          slice,
          state,
          slice.map((_, i) => pick(texts, start + i)),
          slice.map((_, i) => ((start + i) % 7 === 0 ? 'noted' : 'supported')),
          slice.map((_, i) => pick(STATES, start + i)),
          slice.map((_, i) => pick(themes, (start + i) * 13)),
          slice.map((_, i) => weighted(start + i)),
          slice.map((_, i) => start + i),
        ],
      );
    }
    // 1–3 actions per recommendation, a lead and sometimes a supporting ministry.
    await client.query(
      `INSERT INTO action_view (action_id, recommendation_id, recommendation_ids, title, institution, lead_institution_id,
                                supporting_institution_ids, status, due_at, created_at, updated_at)
       SELECT gen_random_uuid(), r.id, ARRAY[r.id], 'Measure ' || k || ' for paragraph ' || r.paragraph,
              'Ministry of ' || (ARRAY[${MINISTRIES.map((m) => `'${m}'`).join(',')}])[1 + (abs(hashtext(r.id::text || k)) % ${MINISTRIES.length})],
              NULL,
              CASE WHEN k = 2 THEN ARRAY['ministry-of-health'] ELSE '{}' END,
              (ARRAY['not_started','in_progress','completed','blocked'])[1 + (abs(hashtext(r.id::text)) % 4)],
              now() + ((abs(hashtext(r.id::text || k)) % 720) - 180) * interval '1 day', now(), now()
         FROM recommendation_view r CROSS JOIN LATERAL generate_series(1, 1 + abs(hashtext(r.id::text)) % 3) k
        WHERE r.state_under_review = $1`,
      [state],
    );
    for (const format of ['docx', 'pdf']) {
      const reportId = randomUUID();
      await client.query(
        `INSERT INTO reports (id, kind, format, filters, language) VALUES ($1, 'upr-annex', $2, $3, 'en')`,
        [reportId, format, { state, cycle: 3 }],
      );
      results.push({ size, format, ...(await compileInWorker(reportId, format)) });
      const last = results.at(-1);
      process.stdout.write(
        `annex ${size} recommendations ${format}: ${(last.ms / 1000).toFixed(2)} s (${last.cpuSeconds.toFixed(1)} s CPU), worker peak RSS ${last.workerMb} MB` +
          `${format === 'pdf' ? `, with Chromium ${last.treeMb} MB` : ''}, ${last.sizeMb} MB file` +
          `${last.pages ? `, ${last.pages} pages` : ''}\n`,
      );
    }
  }
  await client.end();
} finally {
  await database.drop();
  rmSync(reportsDir, { recursive: true, force: true });
}

process.stdout.write(
  `\nload average at the end: ${loadavg()
    .map((x) => x.toFixed(1))
    .join(', ')} on ${cpus().length} cores (other work shares them: CPU seconds are the steadier figure)\n`,
);
process.stdout.write(
  '| recommendations | format | time | CPU, worker + Chromium | goal | worker peak RSS | with Chromium | file | pages |\n',
);
process.stdout.write('|---|---|---|---|---|---|---|---|---|\n');
for (const r of results) {
  const goal = r.size <= 1000 ? 5 : 30;
  process.stdout.write(
    `| ${r.size.toLocaleString('en')} | ${r.format} | ${(r.ms / 1000).toFixed(2)} s | ${r.cpuSeconds.toFixed(1)} s | ≤${goal} s ${r.ms / 1000 <= goal ? 'met' : 'MISSED'} | ${r.workerMb} MB | ${r.format === 'pdf' ? `${r.treeMb} MB` : '–'} | ${r.sizeMb} MB | ${r.pages ?? '–'} |\n`,
  );
}

/**
 * Forks a worker for one report and samples it and its descendants (Chromium) meanwhile: the peak
 * of their summed RSS, and the CPU time each process had used when last seen.
 */
function compileInWorker(reportId, format) {
  return new Promise((resolve, reject) => {
    const child = fork(
      fileURLToPath(import.meta.url),
      ['--child', database.url, reportsDir, reportId, format],
      {
        stdio: 'inherit',
      },
    );
    let treePeakKb = 0;
    const cpuTicks = new Map();
    // CPU used before the compilation starts (the worker's start, Chromium's launch) is not counted.
    let before = new Map();
    const sample = setInterval(() => {
      const tree = sampleTree(child.pid);
      treePeakKb = Math.max(treePeakKb, tree.rssKb);
      for (const [pid, ticks] of tree.ticks) cpuTicks.set(pid, Math.max(ticks, cpuTicks.get(pid) ?? 0));
    }, 100);
    child.on('message', (message) => {
      if (message.starting) {
        before = sampleTree(child.pid).ticks;
        return;
      }
      clearInterval(sample);
      const file = join(reportsDir, message.file_name);
      const pages = message.file_name.endsWith('.pdf')
        ? Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))[1])
        : undefined;
      cpuTicks.set(child.pid, Math.max(cpuTicks.get(child.pid) ?? 0, message.ownTicks));
      resolve({
        ms: message.ms,
        cpuSeconds:
          [...cpuTicks].reduce((sum, [pid, ticks]) => sum + ticks - (before.get(pid) ?? 0), 0) / 100,
        workerMb: Math.round(message.maxRssKb / 1024),
        treeMb: Math.round(Math.max(treePeakKb, message.maxRssKb) / 1024),
        sizeMb: (readFileSync(file).length / 1_048_576).toFixed(1),
        pages,
      });
    });
    child.once('exit', (code) => {
      clearInterval(sample);
      if (code !== 0) reject(new Error(`worker for ${reportId} exited with ${code}`));
    });
  });
}

/** RSS (kB) and CPU ticks (utime + stime) of a process and its descendants, from /proc. */
function sampleTree(root) {
  const processes = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const fields = readFileSync(`/proc/${entry}/stat`, 'utf8')
        .replace(/^.*\) /, '')
        .split(' ');
      // After the name: state ppid … utime (12th) stime (13th) … rss in pages (22nd).
      processes.push({
        pid: Number(entry),
        ppid: Number(fields[1]),
        ticks: Number(fields[11]) + Number(fields[12]),
        rssKb: Number(fields[21]) * 4,
      });
    } catch {
      // it ended meanwhile
    }
  }
  const members = new Set([root]);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of processes)
      if (members.has(p.ppid) && !members.has(p.pid)) (members.add(p.pid), (grew = true));
  }
  const tree = processes.filter((p) => members.has(p.pid));
  return {
    rssKb: tree.reduce((sum, p) => sum + p.rssKb, 0),
    ticks: new Map(tree.map((p) => [p.pid, p.ticks])),
  };
}
