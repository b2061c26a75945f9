import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ClientBase } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { EntityManager } from 'typeorm';

/**
 * Streams COPY data (text, or binary from `binaryCopyChunks`) into a table, on the connection (and so
 * in the transaction) of `manager`: one round trip and no per-row statement, where a multi-row INSERT
 * parses every value as a parameter.
 */
export async function streamCopy(
  manager: EntityManager,
  table: string,
  columns: readonly string[],
  chunks: Iterable<Uint8Array>,
  format: 'text' | 'binary' = 'text',
): Promise<void> {
  const runner = manager.queryRunner;
  if (!runner) throw new Error('streamCopy needs a manager bound to a query runner');
  const client = (await runner.connect()) as ClientBase;
  await pipeline(
    Readable.from(chunks),
    client.query(
      copyFrom(
        `COPY ${table} (${columns.join(', ')}) FROM STDIN${format === 'binary' ? ' (FORMAT binary)' : ''}`,
      ),
    ),
  );
}
