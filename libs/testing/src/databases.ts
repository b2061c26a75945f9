import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { testInfrastructure } from './infrastructure';

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

async function admin<T>(adminUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A fresh database for one test file or one end-to-end run, empty or a copy of `template`, on the
 * shared server or, given `adminUrl` (any database of another server, e.g. a private cluster), on that one.
 */
export async function createTestDatabase(
  prefix: string,
  adminUrl: string = testInfrastructure.postgresUrl,
  template?: string,
): Promise<TestDatabase> {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`.toLowerCase();
  const copy = template ? ` TEMPLATE "${template}"` : '';
  await admin(adminUrl, (client) => client.query(`CREATE DATABASE "${name}"${copy}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () =>
      admin(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(
        () => undefined,
      ),
  };
}
