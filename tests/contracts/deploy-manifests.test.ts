import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { platformEnvSchema } from '@nmirf/platform';

// The deployment files must agree with what the services validate at start-up: a compose file or a
// chart that starts a process with a missing or malformed variable fails on the first `up`.

const repoRoot = join(__dirname, '..', '..');
const readText = (path: string) => readFileSync(join(repoRoot, path), 'utf8');
const readYaml = (path: string) => parse(readText(path), { merge: true });

const apis = { recommendations: 3101, actions: 3102, notifications: 3103, reporting: 3104 } as const;
type ServiceName = keyof typeof apis;
const serviceNames = Object.keys(apis) as ServiceName[];
const workers: Record<string, ServiceName> = {
  'recommendations-worker': 'recommendations',
  'notifications-worker': 'notifications',
  'reporting-worker': 'reporting',
};
const infrastructure = ['postgres', 'redis', 'kafka'];

interface ComposeService {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: Array<string | { target: number; published: number | string }>;
  volumes?: Array<string | { type?: string; source?: string; target: string }>;
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string | string[] };
  restart?: string;
  stop_grace_period?: string;
}

/** Compose's variable substitution with an empty shell environment: `${VAR:-default}` gives the default. */
function interpolate(value: string, shell: Record<string, string> = {}): string {
  return value.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (
      match,
      braced: string | undefined,
      operator: string | undefined,
      argument: string | undefined,
      bare: string | undefined,
    ) => {
      if (match === '$$') return '$';
      const name = (braced ?? bare) as string;
      const current = shell[name];
      switch (operator) {
        case ':-':
          return current ? current : (argument ?? '');
        case '-':
          return current ?? argument ?? '';
        case ':+':
          return current ? (argument ?? '') : '';
        case '+':
          return current !== undefined ? (argument ?? '') : '';
        case ':?':
        case '?':
          if (current === undefined || (operator === ':?' && current === ''))
            throw new Error(`${name} must be set: ${argument}`);
          return current;
        default:
          return current ?? '';
      }
    },
  );
}

/** What an operator must put in the shell or .env: compose refuses to start without these. */
const requiredShell = {
  POSTGRES_PASSWORD: 'compose-test-password',
  KEYCLOAK_ADMIN_PASSWORD: 'kc-test-password',
};

/**
 * The environment a container gets with the required settings in the shell; variables without a
 * value are passed through from the shell, i.e. unset here.
 */
function containerEnv(
  service: ComposeService,
  shell: Record<string, string> = requiredShell,
): Record<string, string> {
  const env: Record<string, string> = {};
  const entries: Array<[string, unknown]> = Array.isArray(service.environment)
    ? service.environment.map((line) => {
        const at = line.indexOf('=');
        return at < 0 ? [line, null] : [line.slice(0, at), line.slice(at + 1)];
      })
    : Object.entries(service.environment ?? {});
  for (const [key, value] of entries) {
    if (value === null || value === undefined) continue;
    env[key] = interpolate(String(value), shell);
  }
  return env;
}

const commandLine = (service: ComposeService) =>
  Array.isArray(service.command) ? service.command.join(' ') : String(service.command ?? '');

const requiredPlatformKeys = Object.entries(platformEnvSchema.shape)
  .filter(([, field]) => !field.isOptional())
  .map(([key]) => key);
const workerEnvSchema = platformEnvSchema.omit({ HTTP_PORT: true });

function parseDuration(value: string): number {
  const match = /^(\d+)(ms|s|m|h)?$/.exec(value);
  if (!match) throw new Error(`unreadable duration ${value}`);
  const unit = { ms: 0.001, s: 1, m: 60, h: 3600 }[(match[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  return Number(match[1]) * unit;
}

describe('docker-compose.yml', () => {
  const compose = readYaml('docker-compose.yml') as {
    services: Record<string, ComposeService>;
    volumes?: Record<string, unknown>;
  };
  const services = compose.services;
  /** The one-shot container that migrates the service's schema. */
  function migrationOf(name: ServiceName): [string, ComposeService] {
    const found = Object.entries(services).find(
      ([, service]) => commandLine(service) === `node services/${name}/dist/main.js --migrate`,
    );
    if (!found) throw new Error(`no service runs node services/${name}/dist/main.js --migrate`);
    return found;
  }

  it('runs the four APIs and the three workers from the project image', () => {
    for (const name of serviceNames) {
      expect(services[name]).toBeDefined();
      expect(commandLine(services[name])).toBe(`node services/${name}/dist/main.js`);
    }
    for (const [worker, name] of Object.entries(workers)) {
      expect(services[worker]).toBeDefined();
      expect(commandLine(services[worker])).toBe(`node services/${name}/dist/worker.js`);
    }
    for (const name of [...serviceNames, ...Object.keys(workers)]) {
      const build = services[name].build;
      expect(typeof build === 'object' ? build.dockerfile : undefined).toBe('deploy/docker/Dockerfile');
      expect(typeof build === 'object' ? (build.context ?? '.') : build).toBe('.');
    }
  });

  it('gives every API the variables the platform requires, valid, with its own name and port', () => {
    for (const name of serviceNames) {
      const env = containerEnv(services[name]);
      for (const key of requiredPlatformKeys)
        expect({ service: name, key, present: key in env }).toEqual({ service: name, key, present: true });
      const parsed = platformEnvSchema.safeParse(env);
      expect({ service: name, issues: parsed.success ? [] : parsed.error.issues }).toEqual({
        service: name,
        issues: [],
      });
      expect(env.SERVICE_NAME).toBe(name);
      expect(Number(env.HTTP_PORT)).toBe(apis[name]);
    }
  });

  it('gives the workers the same variables except HTTP_PORT, and publishes no port for them', () => {
    for (const [worker, name] of Object.entries(workers)) {
      const env = containerEnv(services[worker]);
      for (const key of requiredPlatformKeys.filter((key) => key !== 'HTTP_PORT')) {
        expect({ service: worker, key, present: key in env }).toEqual({
          service: worker,
          key,
          present: true,
        });
      }
      const parsed = workerEnvSchema.safeParse(env);
      expect({ service: worker, issues: parsed.success ? [] : parsed.error.issues }).toEqual({
        service: worker,
        issues: [],
      });
      expect(env.SERVICE_NAME).toBe(name);
      expect(services[worker].ports ?? []).toEqual([]);
    }
  });

  it('passes the mail and webhook settings from the shell to the notifications API and worker only', () => {
    const mailKeys = [
      'SMTP_URL',
      'MAIL_FROM',
      'WEB_APP_URL',
      'WEBHOOK_ALLOWED_HOSTS',
      'WEBHOOK_ALLOWED_CIDRS',
    ];
    const raw = (name: string) => services[name].environment as Record<string, unknown>;
    for (const name of ['notifications', 'notifications-worker']) {
      // No value in the file: set in the shell or .env, or unset (no mail; public webhook hosts only).
      for (const key of mailKeys)
        expect({ name, key, value: raw(name)[key] }).toEqual({ name, key, value: null });
    }
    for (const name of [...serviceNames, ...Object.keys(workers)].filter(
      (name) => !['notifications', 'notifications-worker'].includes(name),
    ))
      expect(Object.keys(raw(name)).filter((key) => mailKeys.includes(key))).toEqual([]);
  });

  it('shares one imports volume between the recommendations API and worker, where both store and read', () => {
    for (const name of ['recommendations', 'recommendations-worker']) {
      expect(containerEnv(services[name]).IMPORT_STORAGE_DIR).toBe('/var/lib/nmirf/imports');
      expect(services[name].volumes).toContain('imports:/var/lib/nmirf/imports');
    }
  });

  it('checks the workers through their heartbeat file, not HTTP', () => {
    for (const worker of Object.keys(workers)) {
      const test = services[worker].healthcheck?.test;
      const line = Array.isArray(test) ? test.join(' ') : String(test);
      expect(line).toContain('WORKER_HEARTBEAT_FILE');
      expect(line).not.toMatch(/fetch|http/);
      expect(containerEnv(services[worker]).WORKER_HEARTBEAT_FILE).toMatch(/^\/tmp\//);
    }
  });

  it('has no default database or Keycloak admin password: compose refuses to start without them', () => {
    for (const [variable] of Object.entries(requiredShell)) {
      const users = Object.entries(services).filter(([, service]) =>
        JSON.stringify(service.environment ?? {}).includes(`\${${variable}`),
      );
      expect(users.length).toBeGreaterThan(0);
      for (const [name, service] of users) {
        const withoutIt = { ...requiredShell } as Record<string, string>;
        delete withoutIt[variable];
        expect(() => containerEnv(service, withoutIt)).toThrow(new RegExp(`${variable} must be set`));
        expect({ name, value: JSON.stringify(service.environment) }).not.toEqual({
          name,
          value: expect.stringMatching(new RegExp(`\\$\\{${variable}:?-`)),
        });
      }
    }
  });

  it('asks PostgreSQL over TCP whether it is ready, which the first-boot init server does not answer', () => {
    const test = services.postgres.healthcheck?.test;
    const line = Array.isArray(test) ? test.join(' ') : String(test);
    expect(line).toMatch(/pg_isready\b.*-h 127\.0\.0\.1/);
  });

  it('runs Keycloak 26.7.3 in dev mode with the nmirf realm, issuing tokens for the issuer the services trust', () => {
    const keycloak = services.keycloak;
    expect(keycloak.image).toBe('quay.io/keycloak/keycloak:26.7.3');
    const command = commandLine(keycloak).split(' ');
    expect(command).toEqual(expect.arrayContaining(['start-dev', '--import-realm']));
    const volumes = (keycloak.volumes ?? []).map((volume) => (typeof volume === 'string' ? volume : ''));
    expect(volumes).toContain('./infra/keycloak/realm:/opt/keycloak/data/import:ro');
    expect(keycloak.healthcheck?.test).toBeDefined();
    const env = containerEnv(keycloak);
    const httpPort = /--http-port=(\d+)/.exec(commandLine(keycloak))?.[1];
    const hostname = new URL(env.KC_HOSTNAME);
    // The services reach Keycloak by its compose name on the port it listens on.
    expect(hostname.hostname).toBe('keycloak');
    expect(hostname.port).toBe(httpPort);
    for (const name of [...serviceNames, ...Object.keys(workers)]) {
      const processEnv = containerEnv(services[name]);
      expect(processEnv.OIDC_ISSUER_URL).toBe(`${env.KC_HOSTNAME}/realms/nmirf`);
      expect(processEnv).toMatchObject({
        OIDC_AUDIENCE: 'nmirf-api',
        OIDC_ROLES_CLAIM: 'roles',
        OIDC_INSTITUTIONS_CLAIM: 'institutions',
        HTTP_DOCS_ENABLED: 'true',
      });
    }
    // The State's own provider replaces it through the shell.
    expect(
      containerEnv(services.actions, { ...requiredShell, OIDC_ISSUER_URL: 'https://id.example.org/realms/x' })
        .OIDC_ISSUER_URL,
    ).toBe('https://id.example.org/realms/x');
  });

  it('runs a one-shot migration per service with a configuration main.js accepts', () => {
    for (const name of serviceNames) {
      const [, service] = migrationOf(name);
      expect(service.restart ?? 'no').toBe('no');
      const env = containerEnv(service);
      // main.js validates the full API configuration before it looks at --migrate.
      const parsed = platformEnvSchema.safeParse(env);
      expect({ service: name, issues: parsed.success ? [] : parsed.error.issues }).toEqual({
        service: name,
        issues: [],
      });
      expect(env.SERVICE_NAME).toBe(name);
      expect(env.DATABASE_URL).toBe(containerEnv(services[name]).DATABASE_URL);
    }
  });

  it('points every process at the compose PostgreSQL, Redis and Kafka', () => {
    const kafkaEnv = containerEnv(services.kafka);
    const advertised = kafkaEnv.KAFKA_ADVERTISED_LISTENERS.split(',').map((listener) =>
      listener.replace(/^[A-Z_]+:\/\//, ''),
    );
    for (const name of [...serviceNames, ...Object.keys(workers)]) {
      const env = containerEnv(services[name]);
      expect(new URL(env.DATABASE_URL).hostname).toBe('postgres');
      expect(new URL(env.REDIS_URL).hostname).toBe('redis');
      for (const broker of env.KAFKA_BROKERS.split(',')) expect(advertised).toContain(broker);
    }
    const postgresEnv = containerEnv(services.postgres);
    const databaseUrl = new URL(containerEnv(services.actions).DATABASE_URL);
    expect(decodeURIComponent(databaseUrl.username)).toBe(postgresEnv.POSTGRES_USER);
    expect(decodeURIComponent(databaseUrl.password)).toBe(postgresEnv.POSTGRES_PASSWORD);
    expect(databaseUrl.pathname).toBe(`/${postgresEnv.POSTGRES_DB}`);
  });

  it('publishes the APIs on 3101-3104 and checks their readiness endpoint', () => {
    for (const name of serviceNames) {
      const ports = (services[name].ports ?? []).map((port) => {
        if (typeof port !== 'string')
          return { published: Number(port.published), target: Number(port.target) };
        const parts = interpolate(port)
          .replace(/\/tcp$/, '')
          .split(':');
        return { published: Number(parts[parts.length - 2]), target: Number(parts[parts.length - 1]) };
      });
      expect(ports).toEqual([{ published: apis[name], target: apis[name] }]);
      const test = services[name].healthcheck?.test;
      expect(Array.isArray(test) ? test.join(' ') : String(test)).toContain('/health/ready');
    }
  });

  it('runs Kafka 3.9 in KRaft mode, single node, without ZooKeeper or topic auto-creation', () => {
    const kafka = services.kafka;
    expect(kafka.image).toMatch(/^apache\/kafka:3\.9\.\d+$/);
    expect(
      Object.keys(services).filter(
        (name) => /zookeeper/i.test(name) || /zookeeper/i.test(services[name].image ?? ''),
      ),
    ).toEqual([]);
    const env = containerEnv(kafka);
    expect(Object.keys(env).filter((key) => /ZOOKEEPER/.test(key))).toEqual([]);
    expect(env.KAFKA_PROCESS_ROLES.split(',').sort()).toEqual(['broker', 'controller']);
    expect(env.KAFKA_CONTROLLER_LISTENER_NAMES).toBe('CONTROLLER');
    expect(env.KAFKA_LISTENERS).toMatch(/CONTROLLER:\/\//);
    expect(env.KAFKA_CONTROLLER_QUORUM_VOTERS).toMatch(new RegExp(`^${env.KAFKA_NODE_ID}@[^:]+:\\d+$`));
    expect(env.CLUSTER_ID).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(env.KAFKA_AUTO_CREATE_TOPICS_ENABLE).toBe('false');
    for (const key of [
      'KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR',
      'KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR',
      'KAFKA_TRANSACTION_STATE_LOG_MIN_ISR',
      'KAFKA_DEFAULT_REPLICATION_FACTOR',
    ]) {
      expect({ key, value: env[key] }).toEqual({ key, value: '1' });
    }
    expect(kafka.healthcheck?.test).toBeDefined();
  });

  it('runs PostgreSQL 15 and Redis 7 with health checks, Redis with noeviction', () => {
    expect(services.postgres.image).toMatch(/^postgres:15(\.|$|-)/);
    expect(services.redis.image).toMatch(/^redis:7(\.|$|-)/);
    expect(commandLine(services.redis)).toMatch(/--maxmemory-policy[ =]noeviction\b/);
    for (const name of infrastructure)
      expect({ name, healthcheck: Boolean(services[name].healthcheck?.test) }).toEqual({
        name,
        healthcheck: true,
      });
  });

  it('starts each process once its dependencies are healthy and its migration has completed', () => {
    const migrationNames = new Set(serviceNames.map((name) => migrationOf(name)[0]));
    for (const [name, service] of Object.entries(services)) {
      if (!service.depends_on) continue;
      // The short list form would only wait for the containers to start.
      expect({ name, longForm: !Array.isArray(service.depends_on) }).toEqual({ name, longForm: true });
      for (const [dependency, { condition }] of Object.entries(
        service.depends_on as Record<string, { condition?: string }>,
      )) {
        expect(services[dependency]).toBeDefined();
        if (condition === 'service_healthy') expect(services[dependency].healthcheck?.test).toBeDefined();
        else if (condition === 'service_completed_successfully')
          expect(migrationNames.has(dependency)).toBe(true);
        else throw new Error(`${name} depends on ${dependency} with condition ${condition}`);
      }
    }
    const processes: Array<[string, ServiceName]> = [
      ...serviceNames.map((name) => [name, name] as [string, ServiceName]),
      ...Object.entries(workers),
    ];
    for (const [name, owner] of processes) {
      const dependsOn = services[name].depends_on as Record<string, { condition?: string }>;
      for (const dependency of infrastructure)
        expect(dependsOn[dependency]?.condition).toBe('service_healthy');
      expect(dependsOn[migrationOf(owner)[0]]?.condition).toBe('service_completed_successfully');
    }
  });

  it('gives the processes more time to stop than SHUTDOWN_GRACE_MS', () => {
    for (const name of [...serviceNames, ...Object.keys(workers)]) {
      const graceMs = Number(containerEnv(services[name]).SHUTDOWN_GRACE_MS ?? 10_000);
      const stopSeconds = parseDuration(services[name].stop_grace_period ?? '10s');
      expect({ name, longer: stopSeconds * 1000 > graceMs }).toEqual({ name, longer: true });
    }
  });

  it('shares one named volume between the reporting API and worker, mounted at REPORTS_DIR', () => {
    const mountAtReportsDir = (name: string) => {
      const reportsDir = containerEnv(services[name]).REPORTS_DIR;
      expect(reportsDir).toMatch(/^\//);
      const mount = (services[name].volumes ?? [])
        .map((volume) => {
          if (typeof volume !== 'string') return { source: volume.source, target: volume.target };
          const [source, target] = volume.split(':');
          return { source, target };
        })
        .find((volume) => volume.target === reportsDir);
      if (!mount?.source) throw new Error(`${name} mounts no volume at REPORTS_DIR ${reportsDir}`);
      return mount.source;
    };
    const apiVolume = mountAtReportsDir('reporting');
    expect(mountAtReportsDir('reporting-worker')).toBe(apiVolume);
    expect(apiVolume).not.toMatch(/^[./~]/);
    expect(Object.keys(compose.volumes ?? {})).toContain(apiVolume);
  });
});

describe('Helm chart deploy/helm/nmirf', () => {
  const chartDir = 'deploy/helm/nmirf';

  function yamlFilesOutsideTemplates(dir: string): string[] {
    return readdirSync(join(repoRoot, dir)).flatMap((entry) => {
      const path = join(dir, entry);
      if (statSync(join(repoRoot, path)).isDirectory())
        return entry === 'templates' ? [] : yamlFilesOutsideTemplates(path);
      return /\.ya?ml$/.test(entry) ? [path] : [];
    });
  }

  it('has YAML that parses, outside the templates', () => {
    const files = yamlFilesOutsideTemplates('deploy/helm');
    expect(files.map((file) => relative(chartDir, file)).sort()).toEqual(
      expect.arrayContaining(['Chart.yaml', 'values.yaml']),
    );
    for (const file of files) expect(() => readYaml(file)).not.toThrow();
  });

  it('is a v2 chart named nmirf', () => {
    const chart = readYaml(`${chartDir}/Chart.yaml`);
    expect(chart).toMatchObject({ apiVersion: 'v2', name: 'nmirf', type: 'application' });
    expect(chart.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('lists the same services, ports and workers as docker-compose.yml', () => {
    const values = readYaml(`${chartDir}/values.yaml`);
    const compose = readYaml('docker-compose.yml') as { services: Record<string, ComposeService> };
    expect(Object.keys(values.services).sort()).toEqual([...serviceNames].sort());
    for (const name of serviceNames) {
      expect({ name, port: values.services[name].port }).toEqual({ name, port: apis[name] });
      expect(values.services[name].replicas).toBeGreaterThanOrEqual(1);
    }
    const chartWorkers = serviceNames
      .filter((name) => values.services[name].worker?.enabled)
      .map((name) => `${name}-worker`);
    const composeWorkers = Object.keys(compose.services).filter((name) =>
      /\/dist\/worker\.js$/.test(commandLine(compose.services[name])),
    );
    expect(chartWorkers.sort()).toEqual(composeWorkers.sort());
    expect(values.services.reporting.mountReports).toBe(true);
  });

  it('keeps credentials out of the shared settings, which the platform accepts', () => {
    const values = readYaml(`${chartDir}/values.yaml`);
    expect(values.connections.existingSecret).toBe('');
    expect(values.connections.keys).toEqual({
      databaseUrl: 'DATABASE_URL',
      redisUrl: 'REDIS_URL',
      kafkaSaslPassword: 'KAFKA_SASL_PASSWORD',
      smtpUrl: 'SMTP_URL',
    });
    const config = Object.fromEntries(
      Object.entries(values.config as Record<string, unknown>).map(([key, value]) => [
        key,
        String(value ?? ''),
      ]),
    );
    for (const key of ['DATABASE_URL', 'REDIS_URL', 'KAFKA_SASL_PASSWORD', 'SMTP_URL'])
      expect(config).not.toHaveProperty(key);
    const withConnections = {
      ...config,
      SERVICE_NAME: 'actions',
      DATABASE_URL: 'postgres://u:p@db:5432/nmirf',
      REDIS_URL: 'redis://redis:6379',
      KAFKA_BROKERS: 'kafka:9092',
      OIDC_ISSUER_URL: 'https://id.example.org/realms/nmirf',
    };
    const parsed = workerEnvSchema.safeParse(withConnections);
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
  });

  it('has a values schema that closes the top level, and a production values file', () => {
    const schema = JSON.parse(readText(`${chartDir}/values.schema.json`));
    expect(schema.additionalProperties).toBe(false);
    const values = readYaml(`${chartDir}/values.yaml`);
    expect(Object.keys(values).filter((key) => !(key in schema.properties))).toEqual([]);
    const production = readYaml(`${chartDir}/values-production.yaml`);
    expect(production.config.HTTP_DOCS_ENABLED).toBe('false');
    expect(production.connections.existingSecret).toBeTruthy();
    expect(production.keycloak.enabled).toBe(false);
  });

  it('stops workers later than the outbox flush and the reports volume is ReadWriteMany', () => {
    const values = readYaml(`${chartDir}/values.yaml`);
    const graceSeconds = Number(values.config.SHUTDOWN_GRACE_MS) / 1000;
    for (const name of serviceNames) {
      const override = values.services[name].worker?.terminationGracePeriodSeconds;
      if (override) expect(Number(override)).toBeGreaterThan(graceSeconds);
    }
    expect(readText(`${chartDir}/templates/reports-pvc.yaml`)).toContain('ReadWriteMany');
  });

  it('migrates before install and upgrade', () => {
    const job = readText(`${chartDir}/templates/migrate-job.yaml`);
    expect(job).toContain('helm.sh/hook: pre-install,pre-upgrade');
    expect(job).toContain('--migrate');
  });
});

describe('deploy/docker/Dockerfile', () => {
  const dockerfile = readText('deploy/docker/Dockerfile');
  const instructions = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));

  it('builds with npm ci on Node 20 bookworm-slim and installs production dependencies only in the runtime', () => {
    const stages: string[] = [];
    for (const line of instructions.filter((instruction) => /^FROM\s/i.test(instruction))) {
      const [, image, stage] = /^FROM\s+(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?/i.exec(line) ?? [];
      // Every stage starts from Node 20 on Debian bookworm (slim), directly or through an earlier stage.
      expect({ line, ok: image === 'node:20-bookworm-slim' || stages.includes(image) }).toEqual({
        line,
        ok: true,
      });
      if (stage) stages.push(stage);
    }
    expect(instructions.some((line) => /^RUN\b.*\bnpm ci\b(?!.*--omit=dev)/.test(line))).toBe(true);
    expect(instructions.some((line) => /^RUN\b.*\bnpm ci --omit=dev\b/.test(line))).toBe(true);
    expect(instructions.some((line) => /^RUN\b.*\bnx run-many -t build\b/.test(line))).toBe(true);
  });

  it('has what the reporting worker needs to print PDFs: Chromium, the Noto fonts and poppler', () => {
    const lastFrom = instructions.map((line) => /^FROM\s/i.test(line)).lastIndexOf(true);
    const runtime = instructions.slice(lastFrom).join('\n');
    for (const name of ['chromium', 'fonts-noto-core', 'fonts-noto-cjk', 'poppler-utils'])
      expect(runtime).toMatch(new RegExp(`^RUN\\b.*apt-get install\\b.*\\b${name}\\b`, 'm'));
    expect(runtime).toMatch(/CHROMIUM_PATH=\/usr\/bin\/chromium/);
  });

  it('runs as a non-root user', () => {
    const users = instructions.filter((line) => /^USER\s/i.test(line));
    expect(users.length).toBeGreaterThan(0);
    const finalUser = users[users.length - 1].split(/\s+/)[1].split(':')[0];
    expect(['root', '0']).not.toContain(finalUser);
    // The USER comes after the last FROM, so it applies to the runtime stage.
    const lastFrom = instructions.map((line) => /^FROM\s/i.test(line)).lastIndexOf(true);
    expect(
      instructions.findIndex((line, index) => index > lastFrom && /^USER\s/i.test(line)),
    ).toBeGreaterThan(lastFrom);
  });

  it('has its ignore file next to it, leaving dependencies and build output out of the context', () => {
    const ignorePath = 'deploy/docker/Dockerfile.dockerignore';
    expect(existsSync(join(repoRoot, ignorePath))).toBe(true);
    const rules = readText(ignorePath)
      .split('\n')
      .map((line) => line.trim());
    expect(rules).toEqual(expect.arrayContaining(['**/node_modules', '**/dist']));
    expect(rules).toContain('!tests/package.json');
  });
});
