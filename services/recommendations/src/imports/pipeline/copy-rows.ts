import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ClientBase } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { EntityManager } from 'typeorm';

/** A value as COPY's text format writes it: null, a scalar, an array or a JSON document. */
export type CopyValue = string | number | boolean | null | undefined | readonly string[] | { json: unknown };

const SPECIAL = /[\\\t\n\r]/;
const escapeText = (text: string): string =>
  // Most values have nothing to escape: a scan is cheaper than a replace that allocates.
  SPECIAL.test(text)
    ? text.replace(/[\\\t\n\r]/g, (c) =>
        c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r',
      )
    : text;

// Inside an array literal every element is quoted, so only quotes and backslashes need escaping.
const arrayLiteral = (values: readonly string[]): string =>
  `{${values.map((value) => `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`;

export function copyField(value: CopyValue): string {
  if (value === null || value === undefined) return '\\N';
  if (Array.isArray(value)) return escapeText(arrayLiteral(value as readonly string[]));
  if (typeof value === 'object') {
    // JSON has no raw tab or line break, only its own backslash escapes, which COPY must double.
    const json = JSON.stringify((value as { json: unknown }).json);
    return json.includes('\\') ? json.replace(/\\/g, '\\\\') : json;
  }
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
  // Lines are joined into flat strings and encoded once per chunk: appending to one string builds a
  // rope of thousands of pieces that is slow to flatten when the socket writes it.
  function* chunks(): Generator<Buffer> {
    let lines: string[] = [];
    let length = 0;
    for (const row of rows) {
      const line = row.map(copyField).join('\t');
      lines.push(line);
      length += line.length + 1;
      if (length > 256 * 1024) {
        yield Buffer.from(`${lines.join('\n')}\n`, 'utf8');
        lines = [];
        length = 0;
      }
    }
    if (lines.length > 0) yield Buffer.from(`${lines.join('\n')}\n`, 'utf8');
  }
  await pipeline(
    Readable.from(chunks()),
    client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`)),
  );
}
