import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from './databases';
import { setDefaultAuthorization } from './http';
import { requireInfrastructure, testInfrastructure } from './infrastructure';
import { mailInfrastructure } from './mail';
import { migratedTemplate } from './migrated-template';
import { demoToken } from './oidc';
import { repoRoot, runToCompletion, ServiceProcess } from './service-process';

export const SERVICES = ['recommendations', 'actions', 'notifications', 'reporting'] as const;
export type ServiceName = (typeof SERVICES)[number];
export type ProcessName =
  ServiceName | 'recommendations-worker' | 'notifications-worker' | 'reporting-worker';

const processes: Record<ProcessName, { service: ServiceName; script: string; http: boolean }> = {
  recommendations: {
    service: 'recommendations',
    script: 'services/recommendations/dist/main.js',
    http: true,
  },
  'recommendations-worker': {
    service: 'recommendations',
    script: 'services/recommendations/dist/worker.js',
    http: false,
  },
  actions: { service: 'actions', script: 'services/actions/dist/main.js', http: true },
  notifications: { service: 'notifications', script: 'services/notifications/dist/main.js', http: true },
  'notifications-worker': {
    service: 'notifications',
    script: 'services/notifications/dist/worker.js',
    http: false,
  },
  reporting: { service: 'reporting', script: 'services/reporting/dist/main.js', http: true },
  'reporting-worker': { service: 'reporting', script: 'services/reporting/dist/worker.js', http: false },
};

export const PROCESS_NAMES = Object.keys(processes) as ProcessName[];

export interface StackOptions {
  /** Names the database, topic prefix and log folder of this run. */
  name: string;
  kafkaBrokers?: string;
  /**
   * A database on the PostgreSQL server to use instead of the shared one (e.g. a private
   * `PostgresCluster` that a test restarts); the stack's own database is created next to it.
   */
  postgresUrl?: string;
  /** Processes of each API and worker, each API instance on its own port (default 1). */
  instances?: number;
  env?: Record<string, string>;
  /** Fills the stack's new database before the migrations run (e.g. restores a dump into it). */
  prepareDatabase?: (database: TestDatabase) => Promise<void>;
}

const handedOut = new Set<number>();

/**
 * A free port below Linux's ephemeral range (32768 and up), so that no outgoing connection takes it
 * between this probe and the service binding it; never the same port twice in one test process.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (handedOut.has(port) || !(await canListen(port))) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error('No free port found between 20000 and 32000');
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true)));
  });
}

/**
 * The four services as separate processes on real PostgreSQL, Redis and Kafka, isolated from any
 * other run by their own database, topic prefix and queue prefix.
 */
export class Stack {
  /** Instance 0 of each process. */
  readonly processes = new Map<ProcessName, ServiceProcess>();
  /** Every instance of each process, instance 0 first. */
  readonly replicas = new Map<ProcessName, ServiceProcess[]>();

  private constructor(
    readonly id: string,
    readonly database: TestDatabase,
    readonly env: Record<string, string>,
    readonly logDir: string,
    readonly reportsDir: string,
  ) {}

  static async start(options: StackOptions): Promise<Stack> {
    await requireInfrastructure(
      ...(options.postgresUrl ? [] : (['postgres'] as const)),
      'redis',
      'kafka',
      'keycloak',
      'greenmail',
    );
    // Unless a test says otherwise, it acts as the demo coordinator with a real token.
    setDefaultAuthorization(() => demoToken('coordinator'));
    const instances = options.instances ?? 1;
    if (!Number.isInteger(instances) || instances < 1)
      throw new Error(`instances must be ≥ 1, got ${instances}`);
    const id = `${options.name}-${randomBytes(3).toString('hex')}`;
    const logDir = join(repoRoot, 'tmp', 'e2e-logs', id);
    const reportsDir = join(repoRoot, 'tmp', 'reports', id);
    mkdirSync(reportsDir, { recursive: true });
    const env: Record<string, string> = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      DATABASE_URL: '', // the stack's own database, created below
      REDIS_URL: testInfrastructure.redisUrl,
      KAFKA_BROKERS: options.kafkaBrokers ?? testInfrastructure.kafkaBrokers,
      KAFKA_TOPIC_PREFIX: `${id}.`,
      KAFKA_TOPIC_PARTITIONS: '3',
      QUEUE_PREFIX: `q-${id}`,
      REPORTS_DIR: reportsDir,
      // The recommendations API stores uploads here and its worker imports them from here.
      IMPORT_STORAGE_DIR: join(reportsDir, 'imports'),
      IMPORT_RECONCILE_MS: '5000',
      // A killed worker's import runs again within about twice this (BullMQ's default: up to a minute).
      IMPORT_LOCK_MS: '5000',
      CONSUMER_RETRY_BASE_MS: '100',
      OIDC_ISSUER_URL: testInfrastructure.oidcIssuer,
      OIDC_AUDIENCE: 'nmirf-api',
      // Bursts of load come from one test client; the limiter has its own test.
      RATE_LIMIT_PER_TOKEN: '1000000',
      RATE_LIMIT_PER_ADDRESS: '1000000',
      KAFKAJS_NO_PARTITIONER_WARNING: '1',
      // The notifications worker mails through GreenMail; tests read the mails back from its API.
      SMTP_URL: mailInfrastructure.smtpUrl,
      MAIL_FROM: 'NMIRF <no-reply@nmirf.test>',
      WEB_APP_URL: 'https://nmirf.test',
      MAIL_DISPATCH_INTERVAL: '1s',
      MAIL_RETRY_DELAY: '1s',
      ...options.env,
    };
    const migrate = async (url: string) => {
      await Promise.all(
        SERVICES.map((service) =>
          runToCompletion(processes[service].script, ['--migrate'], {
            ...env,
            DATABASE_URL: url,
            SERVICE_NAME: service,
            HTTP_PORT: '1',
          }),
        ),
      );
    };
    // On the shared server a stack's database is a copy of the migrated template. On a private server,
    // or when the database is filled first (a restored dump), the stack runs the migrations itself.
    const copied = !options.postgresUrl && !options.prepareDatabase;
    const template = copied ? await migratedTemplate(testInfrastructure.postgresUrl, migrate) : undefined;
    const prefix = `e2e_${options.name.replace(/\W/g, '_')}`;
    const database = await createTestDatabase(prefix, options.postgresUrl, template);
    env.DATABASE_URL = database.url;
    if (!copied) {
      await options.prepareDatabase?.(database);
      await migrate(database.url);
    }
    const stack = new Stack(id, database, env, logDir, reportsDir);
    for (const name of PROCESS_NAMES) {
      const definition = processes[name];
      const replicas: ServiceProcess[] = [];
      for (let index = 0; index < instances; index += 1) {
        replicas.push(
          new ServiceProcess({
            // Instance 0 keeps the plain name (and log file) that single-instance tests know.
            name: index === 0 ? name : `${name}-${index}`,
            script: definition.script,
            env: { ...env, SERVICE_NAME: definition.service },
            logDir,
            port: definition.http ? await freePort() : undefined,
            metricsPort: definition.http ? undefined : await freePort(),
          }),
        );
      }
      stack.replicas.set(name, replicas);
      stack.processes.set(name, replicas[0]);
    }
    for (const process of stack.allProcesses()) process.start();
    try {
      await Promise.all(stack.allProcesses().map((process) => process.waitReady()));
    } catch (error) {
      // The test never gets the stack to stop: stop it here, or its processes outlive the run.
      await stack.stop().catch(() => undefined);
      throw error;
    }
    return stack;
  }

  /** Instance `index` (default 0) of a process. */
  process(name: ProcessName, index = 0): ServiceProcess {
    const found = this.replicas.get(name)?.[index];
    if (!found) throw new Error(`No process ${name} #${index}`);
    return found;
  }

  /** Every instance of a process. */
  instances(name: ProcessName): ServiceProcess[] {
    const found = this.replicas.get(name);
    if (!found) throw new Error(`No process ${name}`);
    return found;
  }

  /** Every process of the stack, all instances. */
  allProcesses(): ServiceProcess[] {
    return [...this.replicas.values()].flat();
  }

  url(service: ServiceName, index = 0): string {
    return this.process(service, index).url;
  }

  topic(name: string): string {
    return `${this.env.KAFKA_TOPIC_PREFIX}${name}`;
  }

  async stop(): Promise<void> {
    await Promise.all(this.allProcesses().map((process) => process.stop('SIGTERM')));
    await this.database.drop().catch(() => undefined);
    rmSync(this.reportsDir, { recursive: true, force: true });
  }
}
