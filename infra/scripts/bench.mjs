#!/usr/bin/env node
// Runs a benchmark script after making sure dependencies, infrastructure and builds are in place.
import { join } from 'node:path';
import { build, ensureDependencies, ensureInfrastructure, root, run } from './lib.mjs';

const script = process.argv[2];
ensureDependencies();
await ensureInfrastructure({ scratch: true });
build();
run(process.execPath, [join(root, script), ...process.argv.slice(3)], {
  env: {
    ...process.env,
    KAFKAJS_NO_PARTITIONER_WARNING: '1',
    TEST_POSTGRES_URL: process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  },
});
