import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Client } from 'pg';
import { repoRoot } from './service-process';

const PREFIX = 'e2e_template_';

/** Every built file the services' migrations come from: the migrations, their lists, the platform. */
function migrationSources(): string[] {
  const files: string[] = [];
  const walk = (directory: string) => {
    if (!existsSync(directory)) return;
    for (const name of readdirSync(directory).sort()) {
      const path = join(directory, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.js')) files.push(path);
    }
  };
  for (const service of readdirSync(join(repoRoot, 'services')).sort()) {
    walk(join(repoRoot, 'services', service, 'dist', 'migrations'));
    const list = join(repoRoot, 'services', service, 'dist', 'database.js');
    if (existsSync(list)) files.push(list);
  }
  walk(join(repoRoot, 'libs', 'platform', 'dist'));
  return files;
}

/**
 * The name of a database that holds every service's migrated schema, for stacks to copy (`CREATE
 * DATABASE … TEMPLATE`) rather than each run the migrations in four processes. It is made once per
 * build of the migrations, by `migrate`, under a lock that concurrent test runs share; templates of
 * older builds are dropped a day after they were made. Nothing connects to one, as a copy requires.
 */
export async function migratedTemplate(
  adminUrl: string,
  migrate: (url: string) => Promise<void>,
): Promise<string> {
  const hash = createHash('sha1');
  for (const file of migrationSources()) hash.update(relative(repoRoot, file)).update(readFileSync(file));
  const name = `${PREFIX}${hash.digest('hex').slice(0, 16)}`;
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`SELECT pg_advisory_lock(hashtext('${PREFIX}'))`);
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return name;
    // Another checkout's runs may still copy theirs: only templates a day old go.
    const stale = await client.query<{ datname: string }>(
      `SELECT datname FROM pg_database d
        WHERE datname LIKE '${PREFIX}%'
          AND coalesce(shobj_description(d.oid, 'pg_database'), '0')::bigint < $1`,
      [Date.now() - 86_400_000],
    );
    for (const { datname } of stale.rows) {
      await client.query(`ALTER DATABASE "${datname}" IS_TEMPLATE false`);
      await client.query(`DROP DATABASE "${datname}" WITH (FORCE)`);
    }
    const building = `${name}_building`;
    await client.query(`CREATE DATABASE "${building}"`);
    const url = new URL(adminUrl);
    url.pathname = `/${building}`;
    await migrate(url.toString());
    await client.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`);
    await client.query(`ALTER DATABASE "${name}" WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`);
    await client.query(`COMMENT ON DATABASE "${name}" IS '${Date.now()}'`);
    return name;
  } finally {
    await client.query(`SELECT pg_advisory_unlock(hashtext('${PREFIX}'))`).catch(() => undefined);
    await client.end();
  }
}
