// Shared by the project's scripts: bring up what the platform needs on one machine, using only Node's
// standard library (these run before `npm ci`).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { Socket } from 'node:net';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Where infra/*.sh keep downloaded jars and data (their NMIRF_CACHE_DIR). */
const cacheRoot = process.env.NMIRF_CACHE_DIR ?? join(homedir(), '.cache', 'nmirf');

export function log(message) {
  process.stdout.write(`\x1b[1m▸ ${message}\x1b[0m\n`);
}

export function fail(message) {
  process.stderr.write(`\n✖ ${message}\n`);
  process.exit(1);
}

export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.status !== 0) fail(`${command} ${args.join(' ')} exited with ${result.status ?? result.signal}`);
}

export function reachable(host, port, ms = 1_500) {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(ms, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(port, host, () => done(true));
  });
}

async function waitReachable(name, host, port, seconds) {
  for (let i = 0; i < seconds * 4; i += 1) {
    if (await reachable(host, port)) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  fail(`${name} did not come up on ${host}:${port}`);
}

/** `npm ci` when node_modules is missing or older than the lock file. */
export function ensureDependencies() {
  const marker = join(root, 'node_modules', '.package-lock.json');
  const lock = join(root, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  log('Installing dependencies (npm ci)');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}

export const urls = {
  database: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/nmirf',
  redis: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  kafka: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
  // The OpenID Connect issuer whose tokens the services accept; the local Keycloak realm unless set.
  oidcIssuer: (process.env.OIDC_ISSUER_URL ?? 'http://127.0.0.1:8180/realms/nmirf').replace(/\/$/, ''),
  // The SMTP server the tests' mails go to (GreenMail), and the REST API they are read back from.
  smtp: process.env.TEST_SMTP_URL ?? 'smtp://127.0.0.1:3025',
  greenmailApi: (process.env.GREENMAIL_API_URL ?? 'http://127.0.0.1:8025').replace(/\/$/, ''),
};

/** What the services need to verify access tokens (pass it down in their environment). */
export const oidcEnv = {
  OIDC_ISSUER_URL: urls.oidcIssuer,
  OIDC_AUDIENCE: process.env.OIDC_AUDIENCE ?? 'nmirf-api',
};

function hostPort(url, fallbackPort) {
  const parsed = new URL(url.includes('://') ? url : `tcp://${url}`);
  return [parsed.hostname, Number(parsed.port || fallbackPort)];
}

const isLocal = (host) => ['127.0.0.1', 'localhost', '::1'].includes(host);

/** PostgreSQL: use the given URL; start the local cluster when it is local and down. */
export async function ensurePostgres() {
  const [host, port] = hostPort(urls.database, 5432);
  if (await reachable(host, port)) return;
  if (!isLocal(host) || !existsSync('/etc/postgresql'))
    fail(`PostgreSQL is not reachable at ${host}:${port} (DATABASE_URL)`);
  const version = readdirSync('/etc/postgresql')[0];
  log(`Starting local PostgreSQL ${version}`);
  run('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start']);
  await waitReachable('PostgreSQL', host, port, 30);
}

/** Redis: use the given URL; start a local server when it is local and down. */
export async function ensureRedis() {
  const [host, port] = hostPort(urls.redis, 6379);
  if (await reachable(host, port)) return;
  if (!isLocal(host)) fail(`Redis is not reachable at ${host}:${port} (REDIS_URL)`);
  log('Starting local Redis');
  // noeviction: BullMQ must never lose a job to memory pressure.
  run('redis-server', [
    '--daemonize',
    'yes',
    '--bind',
    '127.0.0.1',
    '-::1',
    '--port',
    String(port),
    '--save',
    '',
    '--appendonly',
    'no',
    '--maxmemory-policy',
    'noeviction',
    '--dir',
    '/var/lib/redis',
    '--logfile',
    '/var/log/redis/ci.log',
  ]);
  await waitReachable('Redis', host, port, 15);
}

/**
 * Kafka: use the given brokers; start the project's KRaft broker when it is local and down. With
 * `scratch` (the test, fuzz, chaos and bench runs) a broker started here gets an empty data directory:
 * a run never replays the metadata of earlier runs' topics, nor waits out a killed broker's
 * registration, and the broker that `npm start` keeps data in is left alone.
 */
export async function ensureKafka({ scratch = false } = {}) {
  const [host, port] = hostPort(urls.kafka.split(',')[0], 9092);
  if (await reachable(host, port)) return;
  if (!isLocal(host)) fail(`Kafka is not reachable at ${host}:${port} (KAFKA_BROKERS)`);
  log(`Starting Kafka (KRaft, from Maven Central artifacts${scratch ? ', empty data directory' : ''})`);
  const env = { ...process.env, KAFKA_PORT: String(port) };
  const script = join(root, 'infra/kafka/kafka.sh');
  if (scratch) {
    env.KAFKA_DATA_DIR = join(cacheRoot, `kafka-scratch-${port}`);
    run('bash', [script, 'reset'], { env });
  }
  run('bash', [script, 'start'], { env });
}

/** 200 from the issuer's discovery document, naming that same issuer. */
async function issuerAnswers(issuer) {
  try {
    const response = await fetch(`${issuer}/.well-known/openid-configuration`, {
      signal: AbortSignal.timeout(3_000),
    });
    if (!response.ok) return `answered ${response.status}`;
    const document = await response.json();
    return document.issuer === issuer || `names the issuer ${document.issuer}`;
  } catch (error) {
    return error.cause?.code ?? error.name;
  }
}

/**
 * Keycloak: use the given issuer; start the project's Keycloak (infra/keycloak, realm nmirf) when the
 * issuer is local and its discovery document does not answer (keycloak.sh waits for one that is
 * still starting, and refuses a port taken by something else).
 */
export async function ensureKeycloak() {
  const issuer = urls.oidcIssuer;
  const state = await issuerAnswers(issuer);
  if (state === true) return;
  // Tokens would carry the other issuer and every service would refuse them.
  if (state.startsWith('names')) fail(`The discovery document at ${issuer} (OIDC_ISSUER_URL) ${state}`);
  const { hostname, port, protocol, pathname } = new URL(issuer);
  if (!isLocal(hostname) || protocol !== 'http:' || pathname !== '/realms/nmirf')
    fail(`The OpenID Connect issuer ${issuer} (OIDC_ISSUER_URL) is not answering: ${state}`);
  log('Starting Keycloak (realm nmirf, from Maven Central artifacts)');
  const httpPort = Number(port || 80);
  run('bash', [join(root, 'infra/keycloak/keycloak.sh'), 'start'], {
    env: {
      ...process.env,
      KEYCLOAK_PORT: String(httpPort),
      KEYCLOAK_MANAGEMENT_PORT: process.env.KEYCLOAK_MANAGEMENT_PORT ?? String(httpPort + 1000),
      // The issuer in the tokens is exactly the URL the services are given.
      KEYCLOAK_HOSTNAME: new URL(issuer).origin,
    },
  });
}

/**
 * Debian packages the tests need: Chromium renders PDFs, Noto covers the six UN scripts, poppler
 * reads PDFs back; Prometheus scrapes the services and promtool tests the alert rules.
 */
export const systemPackages = {
  chromium: '/usr/bin/chromium',
  'fonts-noto-core': '/usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf',
  'fonts-noto-cjk': '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
  'poppler-utils': '/usr/bin/pdftotext',
  prometheus: '/usr/bin/prometheus',
};

/** Installs the missing ones with apt-get (as root); a run that cannot have them stops and names them. */
export function ensureSystemPackages() {
  const missing = Object.entries(systemPackages)
    .filter(([, file]) => !existsSync(file))
    .map(([name]) => name);
  if (missing.length === 0) return;
  const apt = (args) =>
    spawnSync('apt-get', args, {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  log(`Installing ${missing.join(', ')} (apt-get)`);
  const installed =
    apt(['update']).status === 0 &&
    apt(['install', '-y', '--no-install-recommends', ...missing]).status === 0;
  const stillMissing = Object.entries(systemPackages)
    .filter(([, file]) => !existsSync(file))
    .map(([name]) => name);
  if (!installed || stillMissing.length > 0)
    fail(
      `Missing system packages: ${(stillMissing.length ? stillMissing : missing).join(', ')} (apt-get install -y ${missing.join(' ')})`,
    );
}

/**
 * GreenMail (infra/greenmail): an SMTP server whose REST API shows what it received, for the mail
 * tests. Started here when the configured one is local and not answering; fails naming what is wrong.
 */
export async function ensureGreenMail() {
  const [host, port] = hostPort(urls.smtp, 25);
  const api = new URL(urls.greenmailApi);
  const apiPort = Number(api.port || 80);
  if ((await reachable(host, port)) && (await reachable(api.hostname, apiPort))) return;
  if (!isLocal(host) || !isLocal(api.hostname))
    fail(
      `GreenMail is not reachable at ${urls.smtp} (TEST_SMTP_URL) and ${urls.greenmailApi} (GREENMAIL_API_URL)`,
    );
  log('Starting GreenMail (SMTP for the mail tests, from Maven Central artifacts)');
  run('bash', [join(root, 'infra/greenmail/greenmail.sh'), 'start'], {
    env: { ...process.env, GREENMAIL_SMTP_PORT: String(port), GREENMAIL_API_PORT: String(apiPort) },
  });
}

/** `scratch`: see ensureKafka. */
export async function ensureInfrastructure({ scratch = false } = {}) {
  await ensurePostgres();
  await ensureRedis();
  await ensureKafka({ scratch });
  await ensureKeycloak();
  await ensureGreenMail();
}

/** Creates the database named in the URL when it does not exist. */
export async function ensureDatabase(databaseUrl) {
  const { Client } = createRequire(join(root, 'package.json'))('pg');
  const name = new URL(databaseUrl).pathname.slice(1);
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) {
      log(`Creating database ${name}`);
      await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
    }
  } finally {
    await client.end();
  }
}

export function build() {
  log('Building libraries and services');
  run(join(root, 'node_modules/.bin/nx'), ['run-many', '-t', 'build', '--output-style=static'], {
    env: {
      ...process.env,
      NX_DAEMON: 'false',
      NX_NO_CLOUD: 'true',
      NX_SKIP_NX_CACHE: process.env.CI ? 'true' : '',
    },
  });
}
