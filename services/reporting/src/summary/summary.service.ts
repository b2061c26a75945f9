import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ACTION_STATUSES } from '../read-model/action-status';
import { toSummary, type ImplementationRow, type Summary, type SummaryRow } from './summary';

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

/** Recommendations by implementation status; with an institution, those it has actions for. */
const IMPLEMENTATION_SQL = `
  SELECT implementation_status AS status, count(*)::int AS count
    FROM recommendation_view r
   WHERE $1::text IS NULL
      OR EXISTS (SELECT 1 FROM action_view a WHERE a.recommendation_id = r.id AND a.institution = $1::text)
   GROUP BY implementation_status`;

/** Dashboard numbers from the read model. */
@Injectable()
export class SummaryService {
  constructor(private readonly dataSource: DataSource) {}

  async summarize(filter: { institution?: string }, asOf = new Date()): Promise<Summary> {
    const institution = filter.institution ?? null;
    const [rows, implementation]: [SummaryRow[], ImplementationRow[]] = await Promise.all([
      this.dataSource.query(SUMMARY_SQL, [asOf, institution]),
      this.dataSource.query(IMPLEMENTATION_SQL, [institution]),
    ]);
    return toSummary(rows, asOf, implementation);
  }
}
