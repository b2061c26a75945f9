import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ClientBase } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { EntityManager } from 'typeorm';

/** A value as COPY's text format writes it: null, a scalar, an array or a JSON document. */
export type CopyValue = string | number | boolean | null | undefined | readonly string[] | { json: unknown };

const escapeText = (text: string): string =>
  text.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));

// Inside an array literal every element is quoted, so only quotes and backslashes need escaping.
const arrayLiteral = (values: readonly string[]): string =>
  `{${values.map((value) => `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`;

export function copyField(value: CopyValue): string {
  if (value === null || value === undefined) return '\\N';
  if (Array.isArray(value)) return escapeText(arrayLiteral(value as readonly string[]));
  if (typeof value === 'object') return escapeText(JSON.stringify((value as { json: unknown }).json));
  return escapeText(String(value));
}

/**
 * Streams rows into a table with COPY, on the connection (and so in the transaction) of `manager`:
 * one round trip and no per-row statement, where a multi-row INSERT parses every value as a parameter.
 */
export async function copyRows(
  manager: EntityManager,
  table: string,
  columns: readonly string[],
  rows: Iterable<readonly CopyValue[]>,
): Promise<void> {
  const runner = manager.queryRunner;
  if (!runner) throw new Error('copyRows needs a manager bound to a query runner');
  const client = (await runner.connect()) as ClientBase;
  function* lines(): Generator<string> {
    let chunk = '';
    for (const row of rows) {
      chunk += `${row.map(copyField).join('\t')}\n`;
      if (chunk.length > 64 * 1024) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk) yield chunk;
  }
  await pipeline(
    Readable.from(lines()),
    client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`)),
  );
}
