import type { Import } from './import.entity';

/** Rows that share a reason, and the first of them. */
export interface ReasonCount {
  /** The message with its row-specific values ("…") left out. */
  reason: string;
  count: number;
  examples: { rowNumber: number; message: string }[];
}

/** What an import did, said in one sentence, and why rows were refused or warned about. */
export interface ImportSummary {
  message: string;
  rejections: ReasonCount[];
  warnings: ReasonCount[];
}

type Counts = Pick<
  Import,
  'status' | 'rowsRead' | 'created' | 'updated' | 'unchanged' | 'rejected' | 'error'
>;

const rows = (n: number) => `${n.toLocaleString('en')} row${n === 1 ? '' : 's'}`;

/**
 * The one sentence a data manager reads first. An import that changed nothing says so, whether rows
 * were rejected, skipped or were already in the catalogue.
 */
export function importMessage(counts: Counts): string {
  const { created, updated, unchanged, rejected } = counts;
  const valid = created + updated + unchanged;
  switch (counts.status) {
    case 'queued':
      return 'Waiting for the worker: nothing read yet.';
    case 'running':
      return `Importing: ${rows(counts.rowsRead)} read so far.`;
    case 'failed':
      return counts.error?.message ?? 'The import failed; nothing was applied.';
    case 'previewed':
      return (
        `Preview, nothing was applied: ${created} would be created, ${updated} updated, ${unchanged} unchanged` +
        (rejected > 0 ? `; ${rows(rejected)} would be rejected.` : '.')
      );
    case 'rejected':
      return valid === 0
        ? `Nothing was applied: all ${rows(rejected)} were rejected.`
        : `Nothing was applied: ${rejected} of ${rows(counts.rowsRead)} were rejected. Correct them, or import again with skipInvalid=true to apply the other ${valid}.`;
    case 'applied':
      if (created + updated === 0) {
        return (
          'Nothing was applied: ' +
          (unchanged > 0
            ? `the ${rows(unchanged)} read are already in the catalogue as they are`
            : 'no rows') +
          (rejected > 0 ? `; ${rows(rejected)} rejected and skipped.` : '.')
        );
      }
      return (
        `Applied: ${created} created, ${updated} updated, ${unchanged} unchanged` +
        (rejected > 0 ? `; ${rows(rejected)} rejected and skipped.` : '.')
      );
  }
}

/** Per reason, the number of rows and the first three examples; `column` is problems or warnings. */
export const REASONS_SQL = (column: 'problems' | 'warnings') => `
  SELECT reason, count(*)::int AS count,
         (array_agg(jsonb_build_object('rowNumber', row_number, 'message', message) ORDER BY row_number))[1:3] AS examples
  FROM (SELECT r.row_number, m AS message,
               regexp_replace(regexp_replace(regexp_replace(m,
                 '"[^"]*"', '"…"', 'g'),
                 '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}', '…', 'gi'),
                 '\\S+ para\\. \\S+', '… para. …', 'g') AS reason
        FROM import_rows r, unnest(r.${column}) AS m
        WHERE r.import_id = $1 AND cardinality(r.${column}) > 0) x
  GROUP BY reason ORDER BY count DESC, min(row_number) LIMIT 20`;
