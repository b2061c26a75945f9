import { hasRole, type Principal } from '@nmirf/platform';
import { WORKFLOW_STATUSES } from '../read-model/action-status';
import { IMPLEMENTATION_STATUSES } from '../read-model/implementation-status';

/**
 * Whose numbers a caller sees: the secretariat everything; someone acting for institutions the
 * actions those institutions lead or support (and the recommendations those actions serve);
 * everyone else, anonymous readers included, only what is published.
 */
export type DashboardScope =
  { kind: 'all' } | { kind: 'institutions'; institutions: string[] } | { kind: 'public' };

export function scopeOf(caller: Principal | undefined): DashboardScope {
  if (hasRole(caller, 'coordinator', 'admin')) return { kind: 'all' };
  const institutions = [...new Set((caller?.institutions ?? []).map((id) => id.toLowerCase()))];
  if (institutions.length > 0) return { kind: 'institutions', institutions };
  return { kind: 'public' };
}

export const ACTION_DIMENSIONS = [
  'status',
  'lead_institution',
  'supporting_institution',
  'institution',
  'sdg_goal',
  'sdg_target',
  'plan',
] as const;
export type ActionDimension = (typeof ACTION_DIMENSIONS)[number];

export const RECOMMENDATION_DIMENSIONS = [
  'implementation_status',
  'mechanism',
  'mechanism_kind',
  'cycle',
  'theme',
  'sdg_goal',
  'sdg_target',
  'cluster',
] as const;
export type RecommendationDimension = (typeof RECOMMENDATION_DIMENSIONS)[number];

export const DUE_WINDOWS = ['overdue', '30', '60', '90'] as const;
export type DueWindow = (typeof DUE_WINDOWS)[number];

/** The filter `GET /dashboards/actions` takes; every action count answers with one. */
export interface ActionQuery {
  status?: string;
  leadInstitution?: string;
  supportingInstitution?: string;
  institution?: string;
  sdgGoal?: string;
  sdgTarget?: string;
  planId?: string;
  recommendationId?: string;
  /** Open actions past their due date, or due within 30, 60 or 90 days from now. */
  due?: DueWindow;
}

/** The filter `GET /dashboards/recommendations` takes; every recommendation count answers with one. */
export interface RecommendationQuery {
  implementationStatus?: string;
  mechanism?: string;
  mechanismKind?: string;
  cycle?: number;
  theme?: string;
  sdgGoal?: string;
  sdgTarget?: string;
  cluster?: string;
  /** Recommendations that an institution's actions (lead or supporting) serve. */
  institution?: string;
}

/** Each action dimension's key as the filter that selects it. */
export const actionFilterOf: Record<Exclude<ActionDimension, 'status'>, keyof ActionQuery> = {
  lead_institution: 'leadInstitution',
  supporting_institution: 'supportingInstitution',
  institution: 'institution',
  sdg_goal: 'sdgGoal',
  sdg_target: 'sdgTarget',
  plan: 'planId',
};

export const recommendationFilterOf: Record<
  Exclude<RecommendationDimension, 'implementation_status'>,
  keyof RecommendationQuery
> = {
  mechanism: 'mechanism',
  mechanism_kind: 'mechanismKind',
  cycle: 'cycle',
  theme: 'theme',
  sdg_goal: 'sdgGoal',
  sdg_target: 'sdgTarget',
  cluster: 'cluster',
};

/** A number and the list behind it. */
export interface Count<Q> {
  count: number;
  query: Q;
}

export interface Group<Q> {
  /** The dimension's value: an institution's id, an SDG goal, a theme key… ('' for none). */
  key: string;
  total: Count<Q>;
  byStatus: Record<string, Count<Q>>;
}

export interface Breakdown<Q> {
  asOf: Date;
  scope: DashboardScope['kind'];
  by: string;
  total: Count<Q>;
  byStatus: Record<string, Count<Q>>;
  groups: Array<Group<Q>>;
}

/** A counted row: key, status, count. */
export interface CountRow {
  key: string;
  status: string;
  n: number | string;
}

const withoutEmpty = <Q extends object>(query: Q): Q =>
  Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined && value !== '')) as Q;

/**
 * Shapes counted rows into groups, each number with the filter that lists what it counts: the
 * caller's filter narrowed to the group's key and, in a cell, to the status. `totals` counts each
 * item once (a multi-valued dimension, such as SDG targets, counts an item in several groups).
 */
export function toBreakdown<Q extends object>(
  rows: CountRow[],
  totals: CountRow[],
  options: {
    asOf: Date;
    scope: DashboardScope['kind'];
    by: string;
    statuses: readonly string[];
    base: Q;
    statusField: keyof Q;
    /** The filter field of the dimension; undefined when grouping by status itself. */
    keyField?: keyof Q;
    keyValue?: (key: string) => unknown;
  },
): Breakdown<Q> {
  const { statuses, base, statusField, keyField } = options;
  const query = (key: string | undefined, status: string | undefined): Q =>
    withoutEmpty({
      ...base,
      ...(keyField && key !== undefined
        ? { [keyField]: options.keyValue ? options.keyValue(key) : key }
        : {}),
      ...(status !== undefined ? { [statusField]: status } : {}),
    } as Q);
  const tally = (counted: CountRow[]) => {
    const byKey = new Map<string, Map<string, number>>();
    for (const row of counted) {
      const n = Number(row.n);
      if (n === 0) continue;
      const counts = byKey.get(row.key) ?? new Map<string, number>();
      counts.set(row.status, (counts.get(row.status) ?? 0) + n);
      byKey.set(row.key, counts);
    }
    return byKey;
  };
  const sum = (counts: Map<string, number>) => [...counts.values()].reduce((a, b) => a + b, 0);
  const cells = (counts: Map<string, number>, key: string | undefined) =>
    Object.fromEntries(
      statuses.map((status) => [status, { count: counts.get(status) ?? 0, query: query(key, status) }]),
    );
  const overall = new Map<string, number>();
  for (const counts of tally(totals).values())
    for (const [status, n] of counts) overall.set(status, (overall.get(status) ?? 0) + n);
  const groups = keyField
    ? [...tally(rows).entries()]
        .map(([key, counts]) => ({
          key,
          total: { count: sum(counts), query: query(key, undefined) },
          byStatus: cells(counts, key),
        }))
        .sort((a, b) => b.total.count - a.total.count || a.key.localeCompare(b.key))
    : [];
  return {
    asOf: options.asOf,
    scope: options.scope,
    by: options.by,
    total: { count: sum(overall), query: query(undefined, undefined) },
    byStatus: cells(overall, undefined),
    groups,
  };
}

export { IMPLEMENTATION_STATUSES, WORKFLOW_STATUSES };
