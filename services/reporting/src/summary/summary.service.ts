import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ACTION_STATUSES } from '../read-model/action-status';
import { toSummary, type ImplementationRow, type Summary, type SummaryRow } from './summary';

const statusCounts = ACTION_STATUSES.map(
  (status) => `count(*) FILTER (WHERE status = '${status}')::int AS ${status}`,
).join(', ');

/**
 * Per lead institution and overall, in one pass: GROUPING SETS adds the grand total, and GROUPING()
 * tells it apart from the row of unassigned actions. Institutions are grouped by directory id, named
 * by the English name the events carried; actions from before the directory by that name alone.
 */
const SUMMARY_SQL = `
  SELECT GROUPING(coalesce(lead_institution_id, institution)) = 1 AS is_total,
         min(lead_institution_id) AS institution_id, max(institution) AS institution,
         count(*)::int AS total, ${statusCounts},
         count(*) FILTER (WHERE status NOT IN ('completed', 'cancelled') AND due_at < $1)::int AS overdue
    FROM action_view
   WHERE $2::text IS NULL OR lower(lead_institution_id) = lower($2::text) OR institution = $2::text
   GROUP BY GROUPING SETS ((coalesce(lead_institution_id, institution)), ())
   ORDER BY max(institution) NULLS LAST, min(lead_institution_id) NULLS LAST`;

/** Recommendations by implementation status; with an institution, those its actions serve as lead. */
const IMPLEMENTATION_SQL = `
  SELECT implementation_status AS status, count(*)::int AS count
    FROM recommendation_view r
   WHERE $1::text IS NULL
      OR EXISTS (SELECT 1 FROM action_recommendation_view ar JOIN action_view a ON a.action_id = ar.action_id
                  WHERE ar.recommendation_id = r.id
                    AND (lower(a.lead_institution_id) = lower($1::text) OR a.institution = $1::text))
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
