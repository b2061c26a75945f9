import type { CsvValue } from '@nmirf/platform';
import type { ReportFilters } from './report.entity';

/** Stable column keys: consumers of the file key on them, so rename nothing. */
export const ACTION_PROGRESS_COLUMNS = [
  'action_id',
  'recommendation_id',
  'document_symbol',
  'paragraph',
  'mechanism',
  'title',
  'institution',
  'status',
  'due_at',
  'completed_at',
  'overdue',
  'reminders_sent',
] as const;

type ActionProgressRow = Record<(typeof ACTION_PROGRESS_COLUMNS)[number], CsvValue>;

/** Every action with its recommendation; a recommendation not heard of yet leaves its cells empty. */
export function actionProgressQuery(filters: ReportFilters): { sql: string; parameters: unknown[] } {
  const parameters: unknown[] = [];
  let where = '';
  if (filters.institution) {
    parameters.push(filters.institution);
    where = `WHERE a.institution = $${parameters.length}`;
  }
  return {
    sql: `SELECT a.action_id, a.recommendation_id, r.document_symbol, r.paragraph, r.mechanism, a.title, a.institution,
                 a.status, a.due_at, a.completed_at,
                 (a.status NOT IN ('completed', 'cancelled') AND a.due_at < now()) IS TRUE AS overdue,
                 a.reminders_sent
            FROM action_view a LEFT JOIN recommendation_view r ON r.id = a.recommendation_id
            ${where}
           ORDER BY a.institution, a.due_at, a.action_id`,
    parameters,
  };
}

export function actionProgressCells(row: ActionProgressRow): CsvValue[] {
  return ACTION_PROGRESS_COLUMNS.map((column) => row[column]);
}
