#!/usr/bin/env node
// npm test: the whole suite on real infrastructure. Lint and type checks, then unit, integration
// (real PostgreSQL, Redis, Kafka) and end-to-end tests (the services as separate processes).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, ensureDependencies, ensureInfrastructure, log, root, run } from './lib.mjs';
import { startContainersIfDockerIsReachable } from './testcontainers.mjs';

const bin = (name) => join(root, 'node_modules/.bin', name);
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', KAFKAJS_NO_PARTITIONER_WARNING: '1' };

ensureDependencies();
const containers = await startContainersIfDockerIsReachable(env);
if (!containers) await ensureInfrastructure();
env.TEST_POSTGRES_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';

build();
log('Type-checking, linting and format check');
run(bin('tsc'), ['-p', 'tsconfig.json'], { env });
run(bin('nx'), ['show', 'projects'], { env, stdio: 'ignore' }); // caches the graph the boundary rule reads
run(bin('eslint'), ['--max-warnings=0', '.'], { env });
run(bin('prettier'), ['--check', '.', '--log-level=warn'], { env });

const resultsDir = join(root, 'tmp', 'test-results');
mkdirSync(resultsDir, { recursive: true });
const totals = { passed: 0, failed: 0, suitesFailed: 0 };
let failed = false;
for (const [project, extra] of [
  ['unit', []],
  ['integration', ['--maxWorkers=2']],
  ['e2e', ['--runInBand']],
]) {
  log(`Jest: ${project} tests`);
  const output = join(resultsDir, `${project}.json`);
  const result = spawnSync(
    bin('jest'),
    ['--selectProjects', project, '--ci', '--forceExit', '--json', `--outputFile=${output}`, ...extra],
    { cwd: root, stdio: 'inherit', env },
  );
  try {
    const report = JSON.parse(readFileSync(output, 'utf8'));
    totals.passed += report.numPassedTests;
    totals.failed += report.numFailedTests;
    totals.suitesFailed += report.numFailedTestSuites;
    if (report.numTotalTests === 0) {
      process.stderr.write(`No ${project} tests ran\n`);
      failed = true;
    }
  } catch {
    totals.suitesFailed += 1;
  }
  if (result.status !== 0) failed = true;
}
await containers?.stop();
process.stdout.write(`\n${totals.passed} passed, ${totals.failed} failed\n`);
if (failed || totals.suitesFailed > 0) process.exit(1);
