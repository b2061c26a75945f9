// A checksum of every row of every table of the services' schemas: compared before and after a batch
// of bad requests, it shows any row that a refused request wrote, changed or deleted.
import { Client } from 'pg';

/**
 * Tables that change on a refused request, by design: the audit trail records refusals. Everything
 * else, the outbox, inbox and idempotency keys included, must stay as it was.
 */
const BOOKKEEPING = new Set(['audit_record', 'audit_chain', 'migrations']);

/**
 * A refused import is kept as the report of what was wrong (`GET /imports/{id}/rows`): its row in
 * `imports`, with status rejected or failed, and its rows. Nothing it read is applied.
 */
const REFUSED_IMPORTS = `status IN ('rejected', 'failed')`;
const ROW_FILTERS: Record<string, string> = {
  imports: `NOT (${REFUSED_IMPORTS})`,
  import_rows: `import_id NOT IN (SELECT id FROM imports WHERE ${REFUSED_IMPORTS})`,
};

export type Checksums = Map<string, string>;

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

export class TableChecksums {
  /** The services are fuzzed side by side; their checksums take turns on the one connection. */
  private turn: Promise<unknown> = Promise.resolve();

  private constructor(private readonly client: Client) {}

  static async connect(databaseUrl: string): Promise<TableChecksums> {
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    return new TableChecksums(client);
  }

  /**
   * `schema.table` → row count and a hash of the rows' text, for every base table of the services, or
   * of one service's schema (each service owns one, named after it).
   */
  take(schema?: string): Promise<Checksums> {
    const taken = this.turn.then(() => this.compute(schema));
    this.turn = taken.catch(() => undefined);
    return taken;
  }

  private async compute(schema?: string): Promise<Checksums> {
    const tables = await this.client.query<{ schema: string; name: string }>(
      `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
        WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
          AND ($1::text IS NULL OR table_schema = $1)
        ORDER BY 1, 2`,
      [schema ?? null],
    );
    const sums: Checksums = new Map();
    for (const { schema, name } of tables.rows) {
      if (BOOKKEEPING.has(name)) continue;
      const where = ROW_FILTERS[name]
        ? ` WHERE ${ROW_FILTERS[name].replace(/\bimports\b/g, `${quote(schema)}.imports`)}`
        : '';
      const result = await this.client.query<{ rows: string; hash: string | null }>(
        `SELECT count(*) AS rows, md5(string_agg(md5(t::text), '' ORDER BY md5(t::text))) AS hash
           FROM ${quote(schema)}.${quote(name)} t${where}`,
      );
      sums.set(`${schema}.${name}`, `${result.rows[0].rows} rows, ${result.rows[0].hash ?? '-'}`);
    }
    return sums;
  }

  /** Tables whose rows differ between two checksums, with both. */
  static changed(before: Checksums, after: Checksums): string[] {
    const names = new Set([...before.keys(), ...after.keys()]);
    return [...names]
      .filter((name) => before.get(name) !== after.get(name))
      .map((name) => `${name}: ${before.get(name) ?? 'absent'} → ${after.get(name) ?? 'absent'}`);
  }

  /** Waits until nothing changes for `quietMs` (events of the fixtures relayed and consumed). */
  async settle(quietMs = 3_000, timeoutMs = 90_000): Promise<Checksums> {
    const deadline = Date.now() + timeoutMs;
    let last = await this.take();
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, quietMs));
      const now = await this.take();
      if (TableChecksums.changed(last, now).length === 0) return now;
      if (Date.now() > deadline)
        throw new Error(`The database never settled: ${TableChecksums.changed(last, now).join('; ')}`);
      last = now;
    }
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}
