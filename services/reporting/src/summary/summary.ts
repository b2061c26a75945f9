import { ACTION_STATUSES, type ActionStatus } from '../read-model/action-status';
import { IMPLEMENTATION_STATUSES, type ImplementationStatus } from '../read-model/implementation-status';

export type StatusCounts = Record<ActionStatus, number>;
export type ImplementationCounts = Record<ImplementationStatus, number>;

export interface InstitutionSummary {
  /** The lead institution's directory id; null for actions not assigned yet or from before the directory. */
  institutionId: string | null;
  /** Its English name as the events carried it; null for actions not assigned yet. */
  institution: string | null;
  total: number;
  byStatus: StatusCounts;
  overdue: number;
}

export interface Summary {
  asOf: Date;
  total: number;
  byStatus: StatusCounts;
  overdue: number;
  byInstitution: InstitutionSummary[];
  /** Recommendations by implementation status (with an institution, those it has actions for). */
  byImplementationStatus: ImplementationCounts;
}

/** One row of the GROUPING SETS query: an institution's counts, or the grand total. */
export type SummaryRow = {
  is_total: boolean;
  institution_id?: string | null;
  institution: string | null;
  total: number;
  overdue: number;
} & StatusCounts;

function counts(row: SummaryRow): StatusCounts {
  return Object.fromEntries(ACTION_STATUSES.map((status) => [status, row[status]])) as StatusCounts;
}

/** One row of the implementation query: how many recommendations have a status. */
export interface ImplementationRow {
  status: ImplementationStatus;
  count: number;
}

/** Shapes the queries' rows; an empty read model still yields a summary of zeros. */
export function toSummary(rows: SummaryRow[], asOf: Date, implementation: ImplementationRow[] = []): Summary {
  const totals = rows.find((row) => row.is_total);
  const zero = Object.fromEntries(ACTION_STATUSES.map((status) => [status, 0])) as StatusCounts;
  return {
    asOf,
    total: totals?.total ?? 0,
    byStatus: totals ? counts(totals) : zero,
    overdue: totals?.overdue ?? 0,
    byInstitution: rows
      .filter((row) => !row.is_total)
      .map((row) => ({
        institutionId: row.institution_id ?? null,
        institution: row.institution,
        total: row.total,
        byStatus: counts(row),
        overdue: row.overdue,
      })),
    byImplementationStatus: Object.fromEntries(
      IMPLEMENTATION_STATUSES.map((status) => [
        status,
        implementation.find((row) => row.status === status)?.count ?? 0,
      ]),
    ) as ImplementationCounts,
  };
}
