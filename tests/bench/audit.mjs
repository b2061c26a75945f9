// Audit trail benchmark: what the row triggers and the per-service hash chain cost a write. The same
// table is written with and without the audit trail, in the same run, on the same database:
//   - single-row update transactions, one client after another;
//   - the same from 8 clients at once (they share the chain head at commit);
//   - one transaction inserting 5,000 rows (a row trigger each), and the same with row audit
//     suspended as imports do (one summary record).
//   npm run bench:audit [-- --transactions 2000]
import { migrate, platformMigrations } from '@nmirf/platform';
import { createTestDatabase } from '@nmirf/testing';
import pg from 'pg';

const arg = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
};
const TRANSACTIONS = arg('transactions', 2000);
const ROWS = 5000;
const CLIENTS = 8;

class Things {
  name = 'Things1765000000002';
  async up(queryRunner) {
    await queryRunner.query(
      `CREATE TABLE things (id int PRIMARY KEY, name text NOT NULL, counter int NOT NULL DEFAULT 0)`,
    );
  }
  async down(queryRunner) {
    await queryRunner.query(`DROP TABLE things`);
  }
}

const database = await createTestDatabase('bench_audit');
try {
  await migrate({
    url: database.url,
    schema: 'audited',
    entities: [],
    migrations: [...platformMigrations, Things],
  });
  const setup = new pg.Client({ connectionString: database.url });
  await setup.connect();
  await setup.query(
    `CREATE SCHEMA plain; CREATE TABLE plain.things (id int PRIMARY KEY, name text NOT NULL, counter int NOT NULL DEFAULT 0)`,
  );
  for (const schema of ['plain', 'audited'])
    await setup.query(
      `INSERT INTO ${schema}.things (id, name) SELECT g, 'thing ' || g FROM generate_series(1, 1000) g`,
    );
  await setup.end();

  const context = JSON.stringify({ actorKind: 'user', actorId: 'bench', correlationId: 'bench' });
  const clients = async (schema, count) =>
    Promise.all(
      Array.from({ length: count }, async () => {
        const client = new pg.Client({
          connectionString: database.url,
          options: `-c search_path=${schema},public`,
        });
        await client.connect();
        return client;
      }),
    );
  const update = async (client, schema, id) => {
    await client.query('BEGIN');
    // The audited path sets the actor as the platform's transaction subscriber does.
    if (schema === 'audited') await client.query(`SELECT set_config('nmirf.audit', $1, true)`, [context]);
    await client.query(`UPDATE things SET counter = counter + 1 WHERE id = $1`, [id]);
    await client.query('COMMIT');
  };
  const timed = async (work) => {
    const started = performance.now();
    await work();
    return performance.now() - started;
  };
  const results = {};
  for (const schema of ['plain', 'audited', 'plain', 'audited']) {
    const [one] = await clients(schema, 1);
    const sequential = await timed(async () => {
      for (let i = 0; i < TRANSACTIONS; i += 1) await update(one, schema, (i % 1000) + 1);
    });
    const many = await clients(schema, CLIENTS);
    const concurrent = await timed(() =>
      Promise.all(
        many.map(async (client, c) => {
          for (let i = 0; i < TRANSACTIONS / CLIENTS; i += 1)
            await update(client, schema, ((c * 97 + i) % 1000) + 1);
        }),
      ),
    );
    const bulk = async (suspend) =>
      timed(async () => {
        await one.query('BEGIN');
        if (schema === 'audited') await one.query(`SELECT set_config('nmirf.audit', $1, true)`, [context]);
        if (suspend && schema === 'audited')
          await one.query(`SELECT set_config('nmirf.audit_bulk', 'on', true)`);
        await one.query(
          `INSERT INTO things (id, name) SELECT g, 'bulk ' || g FROM generate_series(100001, ${100000 + ROWS}) g`,
        );
        await one.query('ROLLBACK');
      });
    const rowByRow = await bulk(false);
    const suspended = await bulk(true);
    await Promise.all([one, ...many].map((client) => client.end()));
    // The second round of each counts: the first warms caches.
    results[schema] = { sequential, concurrent, rowByRow, suspended };
  }
  const { plain, audited } = results;
  const line = (label, a, b, per) =>
    `${label.padEnd(44)} plain ${(a / per).toFixed(3)} ms   audited ${(b / per).toFixed(3)} ms   ratio ${(b / a).toFixed(2)}×\n`;
  process.stdout.write(
    `Audit trail cost (${TRANSACTIONS} transactions; bulk ${ROWS} rows)\n` +
      line('update transaction, 1 client (per txn)', plain.sequential, audited.sequential, TRANSACTIONS) +
      line(
        `update transaction, ${CLIENTS} clients (per txn)`,
        plain.concurrent,
        audited.concurrent,
        TRANSACTIONS,
      ) +
      line(`insert ${ROWS} rows, row audit (per row)`, plain.rowByRow, audited.rowByRow, ROWS) +
      line(`insert ${ROWS} rows, audit suspended (per row)`, plain.suspended, audited.suspended, ROWS),
  );
} catch (error) {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exitCode = 1;
} finally {
  await database.drop();
}
