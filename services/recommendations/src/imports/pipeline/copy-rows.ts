import { copyText } from '@nmirf/platform';
import type { EntityManager } from 'typeorm';
import { copyChunks, type CopyValue } from './copy-text';

export { copyField, type CopyValue } from './copy-text';

/** Rows into a table with COPY (see copyText), in the transaction of `manager`. */
export function copyRows(
  manager: EntityManager,
  table: string,
  columns: readonly string[],
  rows: Iterable<readonly CopyValue[]>,
): Promise<void> {
  return copyText(manager, table, columns, copyChunks(rows));
}
