#!/usr/bin/env node
// npm start: install what is missing, bring up PostgreSQL, Redis and Kafka, migrate, start the four
// services (and their workers), seed a demo dataset, serve the web app with the APIs under one
// origin, and print where everything is.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startWebServer } from '../../services/web/server.mjs';
import {
  build,
  ensureDatabase,
  ensureDependencies,
  ensureInfrastructure,
  ensureSystemPackages,
  fail,
  log,
  root,
  run,
  urls,
} from './lib.mjs';

const services = [
  { name: 'recommendations', port: 3101, worker: true },
  { name: 'actions', port: 3102 },
  { name: 'notifications', port: 3103, worker: true },
  { name: 'reporting', port: 3104, worker: true },
];

const env = {
  ...process.env,
  DATABASE_URL: urls.database,
  REDIS_URL: urls.redis,
  KAFKA_BROKERS: urls.kafka,
  REPORTS_DIR: process.env.REPORTS_DIR ?? join(root, 'tmp', 'reports'),
  KAFKAJS_NO_PARTITIONER_WARNING: '1',
  OIDC_ISSUER_URL: process.env.OIDC_ISSUER_URL ?? 'http://127.0.0.1:8180/realms/nmirf',
  OIDC_AUDIENCE: process.env.OIDC_AUDIENCE ?? 'nmirf-api',
};
const logDir = join(root, 'tmp', 'logs');

ensureDependencies();
ensureSystemPackages(); // the reporting worker renders PDFs with Chromium
await ensureInfrastructure();
build();
await ensureDatabase(urls.database);

log('Migrating');
for (const { name } of services) {
  run(process.execPath, [`services/${name}/dist/main.js`, '--migrate'], {
    env: { ...env, SERVICE_NAME: name, HTTP_PORT: '1' },
  });
}

mkdirSync(logDir, { recursive: true });
const children = [];
function startProcess(name, script, extraEnv) {
  const out = createWriteStream(join(logDir, `${name}.log`), { flags: 'a' });
  const child = spawn(process.execPath, [script], {
    cwd: root,
    env: { ...env, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  child.on('exit', (code, signal) => {
    if (!stopping) process.stderr.write(`${name} exited (${code ?? signal}); see tmp/logs/${name}.log\n`);
  });
  children.push(child);
}

log('Starting services');
for (const { name, port, worker } of services) {
  startProcess(name, `services/${name}/dist/main.js`, { SERVICE_NAME: name, HTTP_PORT: String(port) });
  if (worker) startProcess(`${name}-worker`, `services/${name}/dist/worker.js`, { SERVICE_NAME: name });
}

let stopping = false;
async function stopAll() {
  if (stopping) return;
  stopping = true;
  log('Stopping (graceful: consumers stop, jobs finish, outboxes flush)');
  await Promise.all(
    children.map(
      (child) =>
        new Promise((resolve) =>
          child.exitCode !== null ? resolve() : (child.once('exit', resolve), child.kill('SIGTERM')),
        ),
    ),
  );
  process.exit(0);
}
process.on('SIGINT', stopAll);
process.on('SIGTERM', stopAll);

async function ready(port) {
  for (let i = 0; i < 240; i += 1) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health/ready`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stopAll();
  fail(`A service on port ${port} did not become ready; see tmp/logs/`);
}
await Promise.all(services.map(({ port }) => ready(port)));

/** The demo coordinator's token (demo password, local Keycloak only): the seed acts as that person. */
async function coordinatorToken() {
  const response = await fetch(`${env.OIDC_ISSUER_URL}/protocol/openid-connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: 'nmirf-web',
      username: 'coordinator',
      password: 'nmirf-demo',
    }),
  });
  const body = await response.json();
  if (!body.access_token) throw new Error(`no token for the demo coordinator: ${JSON.stringify(body)}`);
  return body.access_token;
}

async function api(method, url, body) {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await coordinatorToken()}` },
    body: body && JSON.stringify(body),
  });
  return { status: response.status, body: await response.json().catch(() => undefined) };
}

async function importFile(name) {
  const form = new FormData();
  form.append('file', new Blob([readFileSync(join(root, 'infra/seed/slovenia', name))]), name);
  const response = await fetch('http://127.0.0.1:3101/imports', {
    method: 'POST',
    body: form,
    headers: { authorization: `Bearer ${await coordinatorToken()}` },
  });
  const queued = await response.json();
  if (response.status !== 202) throw new Error(`importing ${name} failed: ${JSON.stringify(queued)}`);
  // The recommendations worker runs the import; the next file waits until it has finished.
  for (;;) {
    const { body: result } = await api('GET', `http://127.0.0.1:3101/imports/${queued.id}`);
    if (['applied', 'previewed', 'rejected', 'failed'].includes(result?.status)) {
      if (result.status !== 'applied') throw new Error(`importing ${name} failed: ${JSON.stringify(result)}`);
      return result;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function seed() {
  const demo = JSON.parse(readFileSync(join(root, 'infra/seed/demo.json'), 'utf8'));
  const existing = await api('GET', 'http://127.0.0.1:3101/recommendations?limit=1&facets=false');
  if (existing.body?.total > 0) return 'kept the existing data';
  for (const file of demo.imports) await importFile(file);
  const total = (await api('GET', 'http://127.0.0.1:3101/recommendations?limit=1&facets=false')).body.total;
  // Imports start unpublished; the demo publishes the latest UPR outcome so a public portal shows something.
  const published = await api('POST', 'http://127.0.0.1:3101/recommendations/publication', {
    published: true,
    documentSymbol: ['A/HRC/43/15'],
  });
  if (published.status !== 200) throw new Error(`publishing failed: ${JSON.stringify(published.body)}`);
  for (const action of demo.actions) {
    const found = await api(
      'GET',
      `http://127.0.0.1:3101/recommendations?documentSymbol=${encodeURIComponent(action.documentSymbol)}&limit=500&facets=false`,
    );
    const recommendation = found.body.items.find((item) => item.paragraph === action.paragraph);
    const body = {
      recommendationId: recommendation.id,
      title: action.title,
      institution: action.institution,
      dueDate: new Date(Date.now() + action.dueInDays * 86_400_000).toISOString(),
    };
    let created;
    // The actions service learns of new recommendations through Kafka; wait for it.
    for (let i = 0; i < 240 && created?.status !== 201; i += 1) {
      created = await api('POST', 'http://127.0.0.1:3102/actions', body);
      if (created.status === 422) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    if (created.status !== 201) throw new Error(`seeding an action failed: ${JSON.stringify(created.body)}`);
    if (action.progress)
      await api('POST', `http://127.0.0.1:3102/actions/${created.body.id}/progress`, {
        status: action.progress,
      });
  }
  return `imported ${total} recommendations from ${demo.imports.length} files (published ${published.body.changed}, from A/HRC/43/15), and seeded ${demo.actions.length} actions`;
}
log(`Demo data: ${await seed()}`);

// One origin for the browser: the built app, and /api/<service>/… routed to each service.
const webPort = Number(process.env.WEB_PORT ?? 3100);
await startWebServer({
  port: webPort,
  root: join(root, 'services/web/dist'),
  upstreams: Object.fromEntries(services.map(({ name, port }) => [name, `http://127.0.0.1:${port}`])),
  oidc: { issuer: env.OIDC_ISSUER_URL, clientId: process.env.OIDC_CLIENT_ID ?? 'nmirf-web' },
});

process.stdout.write(`
NMIRF platform is up. Logs: tmp/logs/. Ctrl-C stops everything.

  web app          http://127.0.0.1:${webPort}      (APIs under /api/<service>/)

  service          API                        OpenAPI
${services.map(({ name, port }) => `  ${name.padEnd(16)} http://127.0.0.1:${port}      http://127.0.0.1:${port}/docs`).join('\n')}

  Kafka ${urls.kafka} · PostgreSQL ${urls.database} · Redis ${urls.redis} · sign-in ${env.OIDC_ISSUER_URL}
  Demo users (password nmirf-demo): coordinator, focal.justice, focal.interior, validator.justice, nhri, cso, admin
`);
