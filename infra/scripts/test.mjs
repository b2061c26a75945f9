#!/usr/bin/env node
// npm test: the whole suite on real infrastructure. Lint and type checks, then unit, integration
// (real PostgreSQL, Redis, Kafka) and end-to-end tests (the services as separate processes).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import {
  build,
  ensureDependencies,
  ensureGreenMail,
  ensureInfrastructure,
  ensureSystemPackages,
  log,
  oidcEnv,
  root,
  run,
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
else await ensureInfrastructure();
env.TEST_POSTGRES_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';

build();
log('Type-checking, linting and format check');
run(bin('tsc'), ['-p', 'tsconfig.json'], { env });
run(bin('nx'), ['show', 'projects'], { env, stdio: 'ignore' }); // caches the graph the boundary rule reads
run(bin('eslint'), ['--max-warnings=0', '.'], { env });
run(bin('prettier'), ['--check', '.', '--log-level=warn'], { env });
log('Web application: type check and component tests (vitest)');
run(bin('tsc'), ['-p', 'services/web/tsconfig.json'], { env });
run(bin('vitest'), ['run', '--root', 'services/web'], { env });

const resultsDir = join(root, 'tmp', 'test-results');
mkdirSync(resultsDir, { recursive: true });
const NOT_RUN = new Set(['pending', 'skipped', 'todo', 'disabled']);
const totals = { passed: 0, failed: 0, skipped: 0, suitesFailed: 0 };
let failed = false;

/**
 * One Jest project, counted from its JSON report. With `lane`, its output lines carry the lane's
 * name, so two projects running side by side stay readable.
 */
async function jestProject(project, extra = [], lane) {
  log(`Jest: ${project} tests${lane ? ` (lane ${lane})` : ''}`);
  const output = join(resultsDir, `${project}.json`);
  rmSync(output, { force: true }); // a report left by an earlier run must not stand in for this one
  const child = spawn(
    bin('jest'),
    ['--selectProjects', project, '--ci', '--forceExit', '--json', `--outputFile=${output}`, ...extra],
    { cwd: root, stdio: lane ? ['ignore', 'pipe', 'pipe'] : 'inherit', env },
  );
  if (lane)
    for (const [from, to] of [
      [child.stdout, process.stdout],
      [child.stderr, process.stderr],
    ])
      createInterface({ input: from }).on('line', (line) => to.write(`[${lane}] ${line}\n`));
  const [status] = await once(child, 'close');
  try {
    const report = JSON.parse(readFileSync(output, 'utf8'));
    // Skipped and todo tests count against the run: a test that did not run proves nothing, and
    // this project has no test that may legitimately be left out (CI runs this script as is).
    const skipped = report.numPendingTests + report.numTodoTests;
    totals.passed += report.numPassedTests;
    totals.failed += report.numFailedTests;
    totals.skipped += skipped;
    totals.suitesFailed += report.numFailedTestSuites;
    const seconds = Math.round((Date.now() - report.startTime) / 1000);
    process.stdout.write(
      `${project}: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped (${seconds} s)\n`,
    );
    if (report.numTotalTests === 0) {
      process.stderr.write(`No ${project} tests ran\n`);
      failed = true;
    }
    if (skipped > 0) {
      for (const suite of report.testResults ?? []) {
        for (const test of suite.assertionResults ?? []) {
          if (NOT_RUN.has(test.status))
            process.stderr.write(
              `Skipped (${test.status}): ${relative(root, suite.name)} › ${test.fullName}\n`,
            );
        }
      }
    }
  } catch {
    process.stderr.write(`No readable Jest report for the ${project} tests (${output})\n`);
    totals.suitesFailed += 1;
  }
  if (status !== 0) failed = true;
}

await jestProject('unit');
await jestProject('integration', ['--maxWorkers=2']);
// Two lanes side by side: the end-to-end suites, and the fuzz then chaos suites. Each suite has its
// own databases, topics and queue prefix; the faults that touch shared parts use private ones
// (a Kafka broker, a PostgreSQL cluster, a Redis server), so neither lane disturbs the other.
await Promise.all([
  jestProject('e2e', ['--runInBand'], 'e2e'),
  (async () => {
    await jestProject('fuzz', ['--runInBand'], 'fuzz');
    await jestProject('chaos', ['--runInBand'], 'chaos');
  })(),
]);
await containers?.stop();
process.stdout.write(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`);
if (totals.skipped > 0)
  process.stderr.write('Skipped or todo tests fail the run: make them run or remove them\n');
if (failed || totals.suitesFailed > 0 || totals.skipped > 0) process.exit(1);
