#!/usr/bin/env node
// npm test: the whole suite on real infrastructure. Lint and type checks, then unit, integration
// (real PostgreSQL, Redis, Kafka) and end-to-end tests (the services as separate processes).
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import {
  build,
  ensureDependencies,
  ensureGreenMail,
  ensureInfrastructure,
  ensureSystemPackages,
  fail,
  log,
  oidcEnv,
  root,
} from './lib.mjs';
import { startContainersIfDockerIsReachable } from './testcontainers.mjs';

const bin = (name) => join(root, 'node_modules/.bin', name);
const env = {
  ...process.env,
  ...oidcEnv,
  NX_DAEMON: 'false',
  NX_NO_CLOUD: 'true',
  KAFKAJS_NO_PARTITIONER_WARNING: '1',
};

ensureDependencies();
ensureSystemPackages(); // Chromium, Noto fonts and poppler: the report tests render and read back PDFs
const containers = await startContainersIfDockerIsReachable(env);
// Containers bring no SMTP server: GreenMail runs from its jar either way.
if (containers) await ensureGreenMail();
else await ensureInfrastructure({ scratch: true });
env.TEST_POSTGRES_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';

build();
/**
 * Runs each list of commands in order, the lists side by side (each of these tools uses one core), and
 * fails the run once all have ended if any command failed.
 */
async function sideBySide(...lists) {
  const failures = [];
  await Promise.all(
    lists.map(async (commands) => {
      for (const [command, args, options = {}] of commands) {
        const child = spawn(command, args, { cwd: root, stdio: 'inherit', env, ...options });
        const [code, signal] = await once(child, 'exit');
        if (code !== 0)
          failures.push(`${relative(root, command)} ${args.join(' ')} exited with ${code ?? signal}`);
      }
    }),
  );
  if (failures.length > 0) fail(failures.join('\n'));
}
log('Type checks, lint, format check, and the web component tests (vitest), two at a time');
await sideBySide(
  [
    [bin('tsc'), ['-p', 'tsconfig.json']],
    [bin('tsc'), ['-p', 'services/web/tsconfig.json']],
  ],
  [
    [bin('nx'), ['show', 'projects'], { stdio: 'ignore' }], // caches the graph the boundary rule reads
    [bin('eslint'), ['--max-warnings=0', '.']],
    [bin('prettier'), ['--check', '.', '--log-level=warn']],
    [bin('vitest'), ['run', '--root', 'services/web']],
  ],
);

const resultsDir = join(root, 'tmp', 'test-results');
rmSync(resultsDir, { recursive: true, force: true }); // reports of an earlier run must not stand in
mkdirSync(resultsDir, { recursive: true });
const NOT_RUN = new Set(['pending', 'skipped', 'todo', 'disabled']);
/**
 * Each failed test and suite with the head of its message, printed again at the end: with two lanes
 * interleaved, and only the end of a long log kept by some CI systems, they are otherwise hard to find.
 */
const failures = [];
const headOf = (message) =>
  message
    .replace(/\u001b\[[0-9;]*m/g, '')
    .split('\n')
    .filter((text) => text.trim() !== '')
    .slice(0, 12)
    .join('\n    ');
function noteFailures(suite) {
  const where = relative(root, suite.name);
  const tests = (suite.assertionResults ?? []).filter((test) => test.status === 'failed');
  for (const test of tests)
    failures.push(`✕ ${where} › ${test.fullName}\n    ${headOf(test.failureMessages.join('\n'))}`);
  if (tests.length === 0 && suite.status === 'failed')
    failures.push(`✕ ${where} (the suite failed)\n    ${headOf(suite.message ?? '')}`);
}
/** Per project: tests passed, failed and not run, suites failed, seconds spent. */
const counts = new Map();
let failed = false;

/**
 * One Jest run (a project, or some of its files), counted from its JSON report into its project's
 * line. With `lane`, its output lines carry the lane's name, so runs side by side stay readable.
 */
async function jest({ project, name = project, files = [], extra = [], lane }) {
  log(`Jest: ${name}${lane ? ` (lane ${lane})` : ''}`);
  const output = join(resultsDir, `${name.replace(/\W+/g, '-')}.json`);
  const started = Date.now();
  const child = spawn(
    bin('jest'),
    [
      ...files,
      '--selectProjects',
      project,
      '--ci',
      '--forceExit',
      '--json',
      `--outputFile=${output}`,
      ...extra,
    ],
    { cwd: root, stdio: lane ? ['ignore', 'pipe', 'pipe'] : 'inherit', env },
  );
  if (lane)
    for (const [from, to] of [
      [child.stdout, process.stdout],
      [child.stderr, process.stderr],
    ])
      createInterface({ input: from }).on('line', (line) => to.write(`[${lane}] ${line}\n`));
  const [status] = await once(child, 'close');
  const count = counts.get(project) ?? { passed: 0, failed: 0, skipped: 0, suitesFailed: 0, seconds: 0 };
  counts.set(project, count);
  count.seconds += (Date.now() - started) / 1000;
  try {
    const report = JSON.parse(readFileSync(output, 'utf8'));
    // Skipped and todo tests count against the run: a test that did not run proves nothing, and
    // this project has no test that may legitimately be left out (CI runs this script as is).
    count.passed += report.numPassedTests;
    count.failed += report.numFailedTests;
    count.skipped += report.numPendingTests + report.numTodoTests;
    count.suitesFailed += report.numFailedTestSuites;
    if (report.numTotalTests === 0) {
      process.stderr.write(`No ${name} tests ran\n`);
      failed = true;
    }
    for (const suite of report.testResults ?? []) {
      for (const test of suite.assertionResults ?? [])
        if (NOT_RUN.has(test.status))
          process.stderr.write(
            `Skipped (${test.status}): ${relative(root, suite.name)} › ${test.fullName}\n`,
          );
      noteFailures(suite);
    }
  } catch {
    process.stderr.write(`No readable Jest report for ${name} (${output})\n`);
    count.suitesFailed += 1;
  }
  if (status !== 0) failed = true;
}

const line = (project) => {
  const count = counts.get(project);
  return `${project}: ${count.passed} passed, ${count.failed} failed, ${count.skipped} skipped (${Math.round(count.seconds)} s of Jest runs)\n`;
};

await jest({ project: 'unit' });
process.stdout.write(line('unit'));
await jest({ project: 'integration', extra: ['--maxWorkers=2'] });
process.stdout.write(line('integration'));

// The suites that start the services run in two lanes side by side, most of their time being spent
// waiting on the services rather than on the two cores. Each suite has its own databases, topics and
// queue prefix, and the faults that touch shared parts use private ones (a Kafka broker, a
// PostgreSQL cluster, a Redis server). A lane takes the next run when it is free: the chaos and fuzz
// projects whole (the chaos teardown prints the run's table), then each end-to-end file, largest first.
/** A test file's size with the local modules it imports (the web suite's flows live in tests/e2e/web/). */
const weight = (file) =>
  [...readFileSync(file, 'utf8').matchAll(/from '(\.\.?\/[^']+)'/g)]
    .map(([, module]) => join(dirname(file), `${module}.ts`))
    .filter((module) => existsSync(module))
    .reduce((sum, module) => sum + statSync(module).size, statSync(file).size);
const e2eFiles = spawnSync(bin('jest'), ['--selectProjects', 'e2e', '--listTests'], {
  cwd: root,
  env,
  encoding: 'utf8',
})
  .stdout.split('\n')
  .filter((file) => file.endsWith('.e2e.ts'))
  .map((file) => ({ file, weight: weight(file) }))
  .sort((a, b) => b.weight - a.weight)
  .map(({ file }) => file);
if (e2eFiles.length === 0) {
  process.stderr.write('No end-to-end test files found\n');
  failed = true;
}
const queue = [
  { project: 'chaos', extra: ['--runInBand'] },
  { project: 'fuzz', extra: ['--runInBand'] },
  ...e2eFiles.map((file) => ({
    project: 'e2e',
    name: `e2e ${relative(join(root, 'tests/e2e'), file)}`,
    files: [file],
  })),
];
await Promise.all(
  ['A', 'B'].map(async (lane) => {
    for (let next = queue.shift(); next; next = queue.shift()) await jest({ ...next, lane });
  }),
);
for (const project of ['e2e', 'fuzz', 'chaos']) if (counts.has(project)) process.stdout.write(line(project));
const totals = [...counts.values()].reduce(
  (sum, count) => ({
    passed: sum.passed + count.passed,
    failed: sum.failed + count.failed,
    skipped: sum.skipped + count.skipped,
    suitesFailed: sum.suitesFailed + count.suitesFailed,
  }),
  { passed: 0, failed: 0, skipped: 0, suitesFailed: 0 },
);
await containers?.stop();
if (failures.length > 0) process.stdout.write(`\nFailed:\n${failures.join('\n')}\n`);
process.stdout.write(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`);
if (totals.skipped > 0)
  process.stderr.write('Skipped or todo tests fail the run: make them run or remove them\n');
if (failed || totals.suitesFailed > 0 || totals.skipped > 0) process.exit(1);
