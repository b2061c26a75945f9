#!/usr/bin/env node
// npm run chaos: the chaos suite (tests/chaos) with long bursts, after making sure dependencies,
// infrastructure and builds are in place. Prints the table of load, fault, lost, duplicated and
// recovery time, and writes it to tmp/chaos/results.md.
//   CHAOS_ACTIONS=500 npm run chaos [-- tests/chaos/kafka-outage.chaos.ts]
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import * as lib from './lib.mjs';

const { build, ensureDependencies, ensureInfrastructure, log, root } = lib;

ensureDependencies();
await ensureInfrastructure({ scratch: true });
build();

const env = {
  ...process.env,
  // Where the services and tests find the identity provider, when the platform has one.
  ...(lib.oidcEnv ?? {}),
  NX_DAEMON: 'false',
  NX_NO_CLOUD: 'true',
  KAFKAJS_NO_PARTITIONER_WARNING: '1',
  TEST_POSTGRES_URL: process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  CHAOS_ACTIONS: process.env.CHAOS_ACTIONS ?? '500',
  CHAOS_CONCURRENCY: process.env.CHAOS_CONCURRENCY ?? '6',
};
log(`Chaos suite: ${env.CHAOS_ACTIONS} actions per fault`);
const result = spawnSync(
  join(root, 'node_modules/.bin/jest'),
  // Paths first: --selectProjects takes every bare argument after it as a project name.
  [...process.argv.slice(2), '--runInBand', '--forceExit', '--selectProjects', 'chaos'],
  { cwd: root, stdio: 'inherit', env },
);
process.exit(result.status ?? 1);
