import type { DataSource } from 'typeorm';
import { AUDIT_BULK_SETTING, UNAUDITED_TABLES } from './audit-sql';

/** Column types too bulky or derived to copy into the trail (search vectors, file bytes). */
const SKIPPED_TYPES = ['tsvector', 'bytea'];

/**
 * Attaches the audit row trigger to every table of the schema but the platform's bookkeeping, so a
 * table added by a later migration is audited without anyone remembering to; a migration can declare
 * its derived or bulky tables `unaudited`. Idempotent.
 */
export async function attachAuditTriggers(
  dataSource: DataSource,
  schema: string,
  unaudited: readonly string[] = [],
): Promise<string[]> {
  const tables: { table: string; keys: string | null; skipped: string | null }[] = await dataSource.query(
    `SELECT c.relname AS table,
            (SELECT string_agg(a.attname, ',' ORDER BY array_position(i.indkey::int2[], a.attnum))
               FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
              WHERE i.indrelid = c.oid AND i.indisprimary) AS keys,
            (SELECT string_agg(a.attname, ',')
               FROM pg_attribute a
              WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                AND (a.attgenerated <> '' OR format_type(a.atttypid, NULL) = ANY ($2))) AS skipped
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition
        AND c.relname <> ALL ($3)
      ORDER BY c.relname`,
    [schema, SKIPPED_TYPES, [...UNAUDITED_TABLES, ...unaudited]],
  );
  for (const { table, keys, skipped } of tables) {
    await dataSource.query(
      // The WHEN clause spares bulk writers (imports) a function call per row.
      `CREATE OR REPLACE TRIGGER audit_change AFTER INSERT OR UPDATE OR DELETE ON ${ident(schema)}.${ident(table)}
         FOR EACH ROW WHEN (current_setting('${AUDIT_BULK_SETTING}', true) IS DISTINCT FROM 'on') EXECUTE FUNCTION ${ident(schema)}.audit_row_change(${literal(keys ?? '')}, ${literal(skipped ?? '')})`,
    );
  }
  return tables.map(({ table }) => table);
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
const literal = (value: string) => `'${value.replace(/'/g, "''")}'`;
