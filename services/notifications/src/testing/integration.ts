import { migrate, type ServiceDatabaseOptions } from '@nmirf/platform';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { entities, migrations, SCHEMA } from '../database';

// Integration tests only (excluded from the build). libs/testing would be the shared home for these.
export const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export function uniqueName(prefix: string): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}

async function onServer<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: `${POSTGRES_URL}/postgres` });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A freshly migrated database of its own for one test file; `drop` removes it. */
export async function createMigratedDatabase(): Promise<{
  options: ServiceDatabaseOptions;
  drop: () => Promise<void>;
}> {
  const name = uniqueName('notif_it');
  await onServer((client) => client.query(`CREATE DATABASE ${name}`));
  const options: ServiceDatabaseOptions = {
    url: `${POSTGRES_URL}/${name}`,
    schema: SCHEMA,
    entities,
    migrations,
  };
  await migrate(options);
  return {
    options,
    drop: () =>
      onServer((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(
        () => undefined,
      ),
  };
}

/** Polls until `read` satisfies `done`, or fails after `timeoutMs` with the last value seen. */
export async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
