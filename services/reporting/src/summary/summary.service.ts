import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ACTION_STATUSES } from '../read-model/action-status';
import { toSummary, type Summary, type SummaryRow } from './summary';

const statusCounts = ACTION_STATUSES.map(
  (status) => `count(*) FILTER (WHERE status = '${status}')::int AS ${status}`,
).join(', ');

/**
 * Per institution and overall, in one pass: GROUPING SETS adds the grand total, and GROUPING() tells
 * it apart from the row of unassigned actions, whose institution is null too.
 */
const SUMMARY_SQL = `
  SELECT GROUPING(institution) = 1 AS is_total, institution, count(*)::int AS total, ${statusCounts},
         count(*) FILTER (WHERE status NOT IN ('completed', 'cancelled') AND due_at < $1)::int AS overdue
    FROM action_view
   WHERE $2::text IS NULL OR institution = $2::text
   GROUP BY GROUPING SETS ((institution), ())
   ORDER BY institution NULLS LAST`;

/** Dashboard numbers from the read model. */
@Injectable()
export class SummaryService {
  constructor(private readonly dataSource: DataSource) {}

  async summarize(filter: { institution?: string }, asOf = new Date()): Promise<Summary> {
    const rows: SummaryRow[] = await this.dataSource.query(SUMMARY_SQL, [asOf, filter.institution ?? null]);
    return toSummary(rows, asOf);
  }
}
