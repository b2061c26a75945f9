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

/** Groups a breakdown answers with unless asked for more: the largest, as a chart shows them. */
export const DEFAULT_TOP_GROUPS = 100;
export const MAX_TOP_GROUPS = 5000;

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

/**
 * Where a list's next page starts (keyset pagination): the sort key of the last item a page held,
 * so a later page costs an index range, not a skip over every earlier row as OFFSET does.
 * Opaque to clients: base64url of JSON.
 */
export type ListCursor =
  | { list: 'actions'; dueAt: string | null; id: string }
  | { list: 'recommendations'; documentSymbol: string; paragraph: string; id: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// PostgreSQL's text form of a timestamptz, as the list reads it (microseconds kept).
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:[+-]\d{2}(?::\d{2})?|Z)$/;

export function encodeCursor(cursor: ListCursor): string {
  const fields =
    cursor.list === 'actions'
      ? ['a', cursor.dueAt, cursor.id]
      : ['r', cursor.documentSymbol, cursor.paragraph, cursor.id];
  return Buffer.from(JSON.stringify(fields)).toString('base64url');
}

/** The cursor a client sent back, or undefined when it is not one of `list`'s. */
export function decodeCursor(text: string, list: ListCursor['list']): ListCursor | undefined {
  let fields: unknown;
  try {
    fields = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(fields)) return undefined;
  const isText = (value: unknown, max: number): value is string =>
    typeof value === 'string' && value.length <= max;
  if (list === 'actions' && fields.length === 3 && fields[0] === 'a') {
    const [, dueAt, id] = fields;
    if ((dueAt === null || (isText(dueAt, 40) && TIMESTAMP.test(dueAt))) && isText(id, 36) && UUID.test(id))
      return { list, dueAt, id };
  }
  if (list === 'recommendations' && fields.length === 4 && fields[0] === 'r') {
    const [, documentSymbol, paragraph, id] = fields;
    if (isText(documentSymbol, 500) && isText(paragraph, 200) && isText(id, 36) && UUID.test(id))
      return { list, documentSymbol, paragraph, id };
  }
  return undefined;
}

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
  /** The largest groups (by their total, then key), at most the `top` asked for. */
  groups: Array<Group<Q>>;
  /** How many groups there are in all: more than `groups` holds when only the top ones were asked for. */
  groupCount: number;
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
 * A copy of `query` with `field` set. A loop, not a spread with a computed key: a cluster breakdown
 * builds ten thousand of these, and V8's spreads of such objects cost microseconds each.
 */
function withField<Q extends object>(query: Q, field: keyof Q, value: unknown): Q {
  const copy: Record<string, unknown> = {};
  for (const name in query) copy[name] = query[name];
  copy[field as string] = value;
  return copy as Q;
}

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
    /** Groups in all, when `rows` hold only the largest; else the groups of `rows`. */
    groupCount?: number;
  },
): Breakdown<Q> {
  const { statuses, statusField, keyField } = options;
  const base = withoutEmpty(options.base);
  const withStatus = (query: Q, status: string): Q => withField(query, statusField, status);
  const tally = (counted: CountRow[]) => {
    const byKey = new Map<string, Map<string, number>>();
    for (const row of counted) {
      const n = Number(row.n);
      if (n === 0) continue;
      let counts = byKey.get(row.key);
      if (!counts) byKey.set(row.key, (counts = new Map<string, number>()));
      counts.set(row.status, (counts.get(row.status) ?? 0) + n);
    }
    return byKey;
  };
  const sum = (counts: Map<string, number>) => {
    let total = 0;
    for (const n of counts.values()) total += n;
    return total;
  };
  const cells = (counts: Map<string, number>, query: Q) => {
    const byStatus: Record<string, Count<Q>> = {};
    for (const status of statuses)
      byStatus[status] = { count: counts.get(status) ?? 0, query: withStatus(query, status) };
    return byStatus;
  };
  const overall = new Map<string, number>();
  for (const counts of tally(totals).values())
    for (const [status, n] of counts) overall.set(status, (overall.get(status) ?? 0) + n);
  const collator = new Intl.Collator();
  const groups = keyField
    ? [...tally(rows).entries()]
        .map(([key, counts]) => {
          const query =
            key === '' ? base : withField(base, keyField, options.keyValue ? options.keyValue(key) : key);
          return { key, total: { count: sum(counts), query }, byStatus: cells(counts, query) };
        })
        .sort((a, b) => b.total.count - a.total.count || collator.compare(a.key, b.key))
    : [];
  return {
    asOf: options.asOf,
    scope: options.scope,
    by: options.by,
    total: { count: sum(overall), query: base },
    byStatus: cells(overall, base),
    groups,
    groupCount: options.groupCount ?? groups.length,
  };
}

export { IMPLEMENTATION_STATUSES, WORKFLOW_STATUSES };
