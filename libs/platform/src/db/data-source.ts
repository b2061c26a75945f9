import { AuditContextSubscriber } from '../audit/audit-context.subscriber';
import { attachAuditTriggers } from '../audit/audit-triggers';
import { IdempotencyKeySubscriber } from '../idempotency/idempotency-key.subscriber';
import { DataSource, DataSourceOptions, MixedList } from 'typeorm';
import { retryPause, sleep } from '../time';

export interface ServiceDatabaseOptions {
  url: string;
  /** Each service owns one PostgreSQL schema; its tables, migrations, outbox and inbox live there. */
  schema: string;
  entities: MixedList<Function>;
  migrations: MixedList<Function>;
  poolSize?: number;
}

export function serviceDataSourceOptions(options: ServiceDatabaseOptions): DataSourceOptions {
  return {
    type: 'postgres',
    url: options.url,
    schema: options.schema,
    entities: options.entities,
    migrations: options.migrations,
    subscribers: [AuditContextSubscriber, IdempotencyKeySubscriber],
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    extra: {
      max: options.poolSize ?? 10,
      // Raw SQL (outbox, inbox, migrations) resolves unqualified names in the service's schema.
      options: `-c search_path=${options.schema},public`,
      connectionTimeoutMillis: 5_000,
      // Names the service in pg_stat_activity, and in the audit trail for changes made outside a request.
      application_name: options.schema,
    },
  };
}

/**
 * Runs `connect` again, with a growing pause, while it fails because the database is unreachable or
 * slow to answer (starting, restarting, or on a loaded machine), for up to `withinMs`: a process that
 * comes up before its database would otherwise exit. Any other failure (a wrong password, a missing
 * database) is thrown at once.
 */
export async function connectWithRetry<T>(
  connect: () => Promise<T>,
  onRetry: (error: Error, attempt: number) => void,
  withinMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await connect();
    } catch (error) {
      if (!isTransientDatabaseError(error) || Date.now() >= deadline) throw error;
      onRetry(error as Error, attempt);
      await sleep(retryPause(attempt));
    }
  }
}

/** An initialized data source, connected as `connectWithRetry` does. */
export function initializeDataSource(
  options: DataSourceOptions,
  onRetry: (error: Error, attempt: number) => void,
): Promise<DataSource> {
  return connectWithRetry(() => new DataSource(options).initialize(), onRetry);
}

/**
 * Creates the schema when missing, applies pending migrations and audits every table they made.
 * Never `synchronize`.
 */
export async function migrate(options: ServiceDatabaseOptions): Promise<string[]> {
  const dataSource = await initializeDataSource(
    serviceDataSourceOptions({ ...options, poolSize: 1 }),
    (error, attempt) =>
      process.stderr.write(
        `${JSON.stringify({ level: 'warn', msg: 'database not reachable yet; trying again', attempt, error: error.message })}\n`,
      ),
  );
  try {
    await dataSource.query(`CREATE SCHEMA IF NOT EXISTS "${options.schema}"`);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    await attachAuditTriggers(dataSource, options.schema, unauditedTables(options.migrations));
    return applied.map((migration) => migration.name);
  } finally {
    await dataSource.destroy();
  }
}

/** Tables a migration declares derived or bulky (`static unaudited = [...]`), left out of the trail. */
function unauditedTables(migrations: MixedList<Function>): string[] {
  const list = Array.isArray(migrations) ? migrations : Object.values(migrations);
  return list.flatMap((migration) => {
    const declared = (migration as { unaudited?: unknown }).unaudited;
    return Array.isArray(declared) ? declared.filter((name) => typeof name === 'string') : [];
  });
}

/** SQL that TypeORM would still need to match the entities: empty when migrations are complete. */
export async function pendingSchemaChanges(options: ServiceDatabaseOptions): Promise<string[]> {
  const dataSource = new DataSource(serviceDataSourceOptions({ ...options, poolSize: 1 }));
  await dataSource.initialize();
  try {
    const sql = await dataSource.driver.createSchemaBuilder().log();
    return sql.upQueries.map((query) => query.query);
  } finally {
    await dataSource.destroy();
  }
}

const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);

// pg's own connection failures (cut, pool or connect timeout, a client broken by an earlier error)
// carry no code, only a message.
const TRANSIENT_MESSAGE =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error/i;

/** True for failures of the database itself (down, restarting, full), not of the work. */
export function isTransientDatabaseError(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const { code, message, driverError } = error as {
    code?: unknown;
    message?: unknown;
    driverError?: unknown;
  };
  if (typeof code === 'string' && (TRANSIENT_CODES.has(code) || code.startsWith('08'))) return true;
  if (typeof message === 'string' && TRANSIENT_MESSAGE.test(message)) return true;
  // TypeORM's QueryFailedError copies the driver error's fields today; look inside in case it stops.
  return driverError !== undefined && driverError !== error && isTransientDatabaseError(driverError);
}
