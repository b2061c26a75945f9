#!/usr/bin/env node
// npm run fuzz: the fuzzing of every HTTP operation (tests/fuzz) with 10,000 bad inputs per operation
// and a random seed, printed so that a failure can be replayed. Prints the answers by status class per
// service and writes them to tmp/fuzz-results.json.
//   FUZZ_RUNS=10000 FUZZ_SEED=123 FUZZ_ONLY='^actions POST /actions$' npm run fuzz
import { spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { join } from 'node:path';
import * as lib from './lib.mjs';

const { build, ensureDependencies, ensureInfrastructure, log, root } = lib;

ensureDependencies();
await ensureInfrastructure({ scratch: true });
build();

const env = {
  ...process.env,
  ...(lib.oidcEnv ?? {}),
  NX_DAEMON: 'false',
  NX_NO_CLOUD: 'true',
  KAFKAJS_NO_PARTITIONER_WARNING: '1',
  TEST_POSTGRES_URL: process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  FUZZ_RUNS: process.env.FUZZ_RUNS ?? '10000',
  FUZZ_SEED: process.env.FUZZ_SEED ?? String(randomInt(2 ** 31)),
};
log(
  `Fuzzing: ${env.FUZZ_RUNS} bad inputs per operation, seed ${env.FUZZ_SEED} (replay with FUZZ_SEED=${env.FUZZ_SEED})`,
);
const result = spawnSync(
  join(root, 'node_modules/.bin/jest'),
  [...process.argv.slice(2), '--runInBand', '--forceExit', '--selectProjects', 'fuzz'],
  { cwd: root, stdio: 'inherit', env },
);
process.exit(result.status ?? 1);
