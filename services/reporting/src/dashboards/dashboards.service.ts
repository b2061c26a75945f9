import { Inject, Injectable, OnModuleDestroy, Optional } from '@nestjs/common';
import type { Principal } from '@nmirf/platform';
import { DataSource } from 'typeorm';
import {
  actionFilterOf,
  DEFAULT_TOP_GROUPS,
  encodeCursor,
  IMPLEMENTATION_STATUSES,
  recommendationFilterOf,
  scopeOf,
  toBreakdown,
  WORKFLOW_STATUSES,
  type ActionDimension,
  type ActionQuery,
  type Breakdown,
  type Count,
  type CountRow,
  type DashboardScope,
  type DueWindow,
  type ListCursor,
  type RecommendationDimension,
  type RecommendationQuery,
} from './dashboard-query';
import {
  DEFAULT_INSTITUTION_GROUP_LIMIT,
  INSTITUTION_GROUP_LIMIT,
  InstitutionGroups,
} from './institution-groups';

const DAY_MS = 86_400_000;
const OPEN = `a.status NOT IN ('completed', 'cancelled')`;

/** Collects SQL conditions and their parameters ($1, $2… in order). */
class Conditions {
  readonly parts: string[] = [];
  constructor(readonly params: unknown[] = []) {}

  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  add(sql: string): void {
    this.parts.push(sql);
  }

  where(): string {
    return this.parts.length > 0 ? `WHERE ${this.parts.join(' AND ')}` : '';
  }
}

/** How each action dimension turns a row of action_view `a` into its keys. */
const ACTION_KEYS: Record<ActionDimension, string> = {
  status: `(VALUES ('')) k (key)`,
  lead_institution: `(VALUES (coalesce(a.lead_institution_id, ''))) k (key)`,
  supporting_institution: `unnest(a.supporting_institution_ids) k (key)`,
  institution: `unnest(array_remove(ARRAY[a.lead_institution_id], NULL) || a.supporting_institution_ids) k (key)`,
  sdg_goal: `(SELECT DISTINCT split_part(t, '.', 1) FROM unnest(a.sdg_targets) t) k (key)`,
  sdg_target: `unnest(a.sdg_targets) k (key)`,
  plan: `(VALUES (coalesce(a.plan_id::text, ''))) k (key)`,
};

const RECOMMENDATION_KEYS: Record<RecommendationDimension, string> = {
  implementation_status: `(VALUES ('')) k (key)`,
  mechanism: `(VALUES (r.mechanism)) k (key)`,
  mechanism_kind: `(VALUES (r.mechanism_kind)) k (key)`,
  cycle: `(SELECT r.upr_cycle::text WHERE r.upr_cycle > 0) k (key)`,
  theme: `unnest(r.themes) k (key)`,
  sdg_goal: `(SELECT DISTINCT split_part(t, '.', 1) FROM unnest(r.sdg_targets) t) k (key)`,
  sdg_target: `unnest(r.sdg_targets) k (key)`,
  cluster: `unnest(r.clusters) k (key)`,
};

/** The counters' dimensions (dashboard_count) for each action dimension. */
const ACTION_COUNTERS: Record<ActionDimension, string[]> = {
  status: ['all'],
  lead_institution: ['lead_institution'],
  supporting_institution: ['supporting_institution'],
  institution: ['lead_institution', 'supporting_institution'],
  sdg_goal: ['sdg_goal'],
  sdg_target: ['sdg_target'],
  plan: ['plan'],
};

/** The group dimensions of recommendation_pair_count (migration 1767000000870), under any filter key. */
const PAIR_BY: readonly RecommendationDimension[] = [
  'mechanism',
  'mechanism_kind',
  'cycle',
  'theme',
  'sdg_goal',
];
/** The filter dimensions whose drills by SDG target recommendation_pair_count also holds (migration 1767000001041). */
const TARGET_PAIR_FILTERS: readonly string[] = ['mechanism', 'mechanism_kind', 'cycle', 'theme', 'sdg_goal'];
/**
 * What institution_pair_count holds: these filter keys by mechanism (migration 1767000000871), and a
 * theme by SDG goal and back (1767000001061).
 */
const INSTITUTION_PAIR_FILTERS: readonly string[] = ['mechanism_kind', 'cycle', 'theme', 'sdg_goal'];
/** What action_pair_count (migration 1767000001061) holds: each of these by each other, everyone's. */
const ACTION_PAIRS: readonly string[] = ['lead_institution', 'plan', 'sdg_goal'];

/** The institutions whose rows a counter scope's partial days are counted from (none: everyone's). */
const membersOf = (scope: DashboardScope): string[] =>
  scope.kind === 'institutions' ? scope.institutions : [];

/**
 * The scope that counts an action filter: a focal point's filter naming one of their own
 * institutions keeps to their scope already, so everyone's numbers answer it.
 */
function impliedScope(scope: DashboardScope, filter: ActionQuery): DashboardScope {
  if (scope.kind !== 'institutions') return scope;
  const named = [filter.leadInstitution, filter.institution, filter.supportingInstitution];
  return named.some((id) => id && scope.institutions.includes(id.toLowerCase())) ? { kind: 'all' } : scope;
}

const sumOf = (rows: CountRow[]) => rows.reduce((sum, row) => sum + Number(row.n), 0);

const isEmpty = (query: object) => Object.values(query).every((value) => value === undefined);

/** The largest groups' counted rows, and how many groups there are in all. */
interface TopGroups {
  rows: CountRow[];
  groupCount: number;
}
const NO_GROUPS: Promise<TopGroups> = Promise.resolve({ rows: [], groupCount: 0 });

/** The counter cell behind a number: a scope, a dimension and maybe one key, maybe one status. */
interface CounterCell {
  scope: string;
  dimension: string;
  key?: { value: string; caseless: boolean };
  status?: string;
}

/** Filter fields the counters hold as a dimension's key (institution ids match case-insensitively). */
const ACTION_FILTER_COUNTERS: Partial<Record<keyof ActionQuery, { dimension: string; caseless?: boolean }>> =
  {
    leadInstitution: { dimension: 'lead_institution', caseless: true },
    sdgGoal: { dimension: 'sdg_goal' },
    sdgTarget: { dimension: 'sdg_target' },
    planId: { dimension: 'plan', caseless: true },
  };
const RECOMMENDATION_FILTER_COUNTERS: Partial<Record<keyof RecommendationQuery, { dimension: string }>> = {
  mechanism: { dimension: 'mechanism' },
  mechanismKind: { dimension: 'mechanism_kind' },
  cycle: { dimension: 'cycle' },
  theme: { dimension: 'theme' },
  sdgGoal: { dimension: 'sdg_goal' },
  sdgTarget: { dimension: 'sdg_target' },
  cluster: { dimension: 'cluster' },
};

/**
 * The counter cell that answers a filter, when one does: the status and at most one other field,
 * a counted key or (for everyone's or the public's numbers) an institution, whose scope it is.
 */
function counterCell(
  filter: object,
  statusField: string,
  keyed: Partial<Record<string, { dimension: string; caseless?: boolean }>>,
  scope: string | undefined,
): CounterCell | undefined {
  if (scope === undefined) return undefined;
  const cell: CounterCell = { scope, dimension: 'all' };
  let narrowed = false;
  for (const [field, value] of Object.entries(filter) as [string, unknown][]) {
    if (value === undefined || value === '') continue;
    if (field === statusField) {
      cell.status = String(value);
      continue;
    }
    if (narrowed) return undefined;
    narrowed = true;
    if (field === 'institution' && scope === '') {
      cell.scope = String(value).toLowerCase();
      continue;
    }
    const counter = keyed[field];
    // UPR cycles are counted from 1; other mechanisms' 0 is not a key.
    if (!counter || (field === 'cycle' && !(Number(value) > 0))) return undefined;
    cell.dimension = counter.dimension;
    cell.key = { value: String(value), caseless: counter.caseless ?? false };
  }
  return cell;
}

export interface ActionListItem {
  id: string;
  title: string;
  status: string;
  leadInstitutionId: string | null;
  leadInstitutionName: string | null;
  supportingInstitutionIds: string[];
  recommendationIds: string[];
  planId: string | null;
  dueAt: Date | null;
  sdgTargets: string[];
}

export interface RecommendationListItem {
  id: string;
  mechanism: string;
  mechanismKind: string;
  documentSymbol: string;
  paragraph: string;
  uprCycle: number;
  implementationStatus: string;
  themes: string[];
  sdgTargets: string[];
  clusters: string[];
}

/** A page of a list: `limit` items from `offset`, or after the item a cursor names. */
export interface ListPage {
  limit: number;
  offset?: number;
  after?: ListCursor;
}

export interface ListOf<T> {
  items: T[];
  /** Every item the filter selects, on all pages. */
  total: number;
  /** The cursor of the next page (`after`), or null on the last. */
  next: string | null;
}

export interface Deadlines {
  asOf: Date;
  scope: DashboardScope['kind'];
  overdue: Count<ActionQuery>;
  dueIn30Days: Count<ActionQuery>;
  dueIn60Days: Count<ActionQuery>;
  dueIn90Days: Count<ActionQuery>;
}

export interface StatusSeries {
  scope: DashboardScope['kind'];
  /** Each month's last day's count of recommendations per implementation status. */
  months: Array<{ month: string; byStatus: Record<string, number> }>;
}

export interface ProgressSeries {
  scope: DashboardScope['kind'];
  months: Array<{ month: string; count: number }>;
}

/**
 * Dashboard numbers from the read model. Top-level numbers of the secretariat and the public read
 * the trigger-kept counters; filtered or institution-scoped ones count rows through the indexes.
 */
@Injectable()
export class DashboardsService implements OnModuleDestroy {
  private readonly groups: InstitutionGroups;

  constructor(
    private readonly dataSource: DataSource,
    @Optional() @Inject(INSTITUTION_GROUP_LIMIT) groupLimit = DEFAULT_INSTITUTION_GROUP_LIMIT,
  ) {
    this.groups = new InstitutionGroups(dataSource, groupLimit);
  }

  onModuleDestroy(): Promise<void> {
    return this.groups.settled();
  }

  /**
   * The counters' scope of a caller: '' for everyone's or the public's, one institution's id, a
   * counted set of institutions; none (count the rows) while a set is being counted.
   */
  private async counterScope(scope: DashboardScope): Promise<string | undefined> {
    if (scope.kind !== 'institutions') return '';
    return scope.institutions.length === 1 ? scope.institutions[0] : this.groups.scopeOf(scope.institutions);
  }

  /** Counts the caller's set of institutions now if it is not yet (otherwise its first dashboard does). */
  async prepareScope(caller: Principal | undefined): Promise<void> {
    const scope = scopeOf(caller);
    if (scope.kind === 'institutions' && scope.institutions.length > 1)
      await this.groups.count(scope.institutions);
  }

  async actionCounts(
    by: ActionDimension,
    filter: ActionQuery,
    caller: Principal | undefined,
    asOf = new Date(),
    top = DEFAULT_TOP_GROUPS,
  ): Promise<Breakdown<ActionQuery>> {
    const callerScope = scopeOf(caller);
    const scope = impliedScope(callerScope, filter);
    const all = scope.kind !== 'public';
    let grouped: Promise<TopGroups>;
    let totals: Promise<CountRow[]>;
    // Counters: everyone's, the public's, one institution's or a counted set's (each action once).
    const counterScope = await this.counterScope(scope);
    const cell = counterCell(filter, 'status', ACTION_FILTER_COUNTERS, counterScope);
    if (cell && (by === 'status' || isEmpty(filter))) {
      // A status breakdown of one counted key (say, a lead institution's actions) is a counter too.
      // toBreakdown sums a key's rows (public and not, lead and supporting).
      grouped =
        by === 'status'
          ? NO_GROUPS
          : this.topCountedGroups('action', cell.scope, ACTION_COUNTERS[by], all, top);
      totals = this.counterTotals('action', cell, all);
    } else if (
      cell?.key &&
      cell.scope === '' &&
      by !== cell.dimension &&
      ACTION_PAIRS.includes(by) &&
      ACTION_PAIRS.includes(cell.dimension)
    ) {
      // A two-dimension drill of everyone's actions: one filter key, grouped by another.
      const conditions = new Conditions([cell.dimension, cell.key.value, by, all]);
      if (cell.status !== undefined) conditions.add(`status = ${conditions.param(cell.status)}`);
      grouped = this.topGroups(
        `SELECT by_key AS key, status, sum(n) AS n FROM action_pair_count
          WHERE dimension = $1 AND ${cell.key.caseless ? 'lower(key) = lower($2)' : 'key = $2'}
            AND by_dimension = $3 AND (public OR $4) AND n <> 0
                ${conditions.parts.map((part) => `AND ${part}`).join(' ')}
          GROUP BY by_key, status`,
        conditions.params,
        top,
      );
      totals = this.counterTotals('action', cell, all);
    } else {
      const conditions = this.actionConditions(scope, filter, asOf);
      const where = conditions.where();
      grouped =
        by === 'status'
          ? NO_GROUPS
          : this.topGroups(
              `SELECT k.key, coalesce(a.workflow_status, a.status) AS status, count(*) AS n
                 FROM action_view a CROSS JOIN LATERAL ${ACTION_KEYS[by]} ${where}
                GROUP BY 1, 2`,
              conditions.params,
              top,
            );
      totals = this.dataSource.query(
        `SELECT '' AS key, coalesce(a.workflow_status, a.status) AS status, count(*) AS n
           FROM action_view a ${where} GROUP BY 2`,
        conditions.params,
      );
    }
    const [{ rows, groupCount }, totalRows] = await Promise.all([grouped, totals]);
    return toBreakdown(rows, totalRows, {
      asOf,
      scope: callerScope.kind,
      by,
      statuses: WORKFLOW_STATUSES,
      base: filter,
      statusField: 'status',
      keyField: by === 'status' ? undefined : actionFilterOf[by],
      groupCount,
    });
  }

  async recommendationCounts(
    by: RecommendationDimension,
    filter: RecommendationQuery,
    caller: Principal | undefined,
    asOf = new Date(),
    top = DEFAULT_TOP_GROUPS,
  ): Promise<Breakdown<RecommendationQuery>> {
    const scope = scopeOf(caller);
    let grouped: Promise<TopGroups>;
    let totals: Promise<CountRow[]>;
    const counterScope = await this.counterScope(scope);
    const cell = counterCell(filter, 'implementationStatus', RECOMMENDATION_FILTER_COUNTERS, counterScope);
    const all = scope.kind !== 'public';
    if (cell && (by === 'implementation_status' || isEmpty(filter))) {
      grouped =
        by === 'implementation_status'
          ? NO_GROUPS
          : this.topCountedGroups('recommendation', cell.scope, [by], all, top);
      totals = this.counterTotals('recommendation', cell, all);
    } else if (cell?.key && by !== cell.dimension && this.pairsCount(cell.scope, cell.dimension, by)) {
      // A two-dimension drill: one filter key, grouped by another.
      const conditions = new Conditions([cell.dimension, cell.key.value, by, all, cell.scope]);
      if (cell.status !== undefined) conditions.add(`status = ${conditions.param(cell.status)}`);
      grouped = this.topGroups(
        `SELECT by_key AS key, status, sum(n) AS n
           FROM ${cell.scope === '' ? 'recommendation_pair_count' : 'institution_pair_count'}
          WHERE dimension = $1 AND key = $2 AND by_dimension = $3 AND (public OR $4) AND n <> 0
                ${cell.scope === '' ? 'AND $5 = $5' : 'AND scope = $5'}
                ${conditions.parts.map((part) => `AND ${part}`).join(' ')}
          GROUP BY by_key, status`,
        conditions.params,
        top,
      );
      totals = this.counterTotals('recommendation', cell, all);
    } else {
      const conditions = this.recommendationConditions(scope, filter);
      const where = conditions.where();
      grouped =
        by === 'implementation_status'
          ? NO_GROUPS
          : this.topGroups(
              `SELECT k.key, r.implementation_status AS status, count(*) AS n
                 FROM recommendation_view r CROSS JOIN LATERAL ${RECOMMENDATION_KEYS[by]} ${where}
                GROUP BY 1, 2`,
              conditions.params,
              top,
            );
      totals = this.dataSource.query(
        `SELECT '' AS key, r.implementation_status AS status, count(*) AS n
           FROM recommendation_view r ${where} GROUP BY 2`,
        conditions.params,
      );
    }
    const [{ rows, groupCount }, totalRows] = await Promise.all([grouped, totals]);
    return toBreakdown(rows, totalRows, {
      asOf,
      scope: scope.kind,
      by,
      statuses: IMPLEMENTATION_STATUSES,
      base: filter,
      statusField: 'implementationStatus',
      keyField: by === 'implementation_status' ? undefined : recommendationFilterOf[by],
      keyValue: by === 'cycle' ? Number : undefined,
      groupCount,
    });
  }

  /**
   * The counters of the `top` largest keys of a scope's dimensions (everyone's rows, or only the
   * public ones), from the keys' totals and counts per status (`dashboard_key_total`, one row a key
   * and publication): one index-only range, however many keys are asked for.
   */
  private async topCountedGroups(
    subject: 'action' | 'recommendation',
    scope: string,
    dimensions: string[],
    all: boolean,
    top: number,
  ): Promise<TopGroups> {
    const totals: Array<{ key: string; statuses: Record<string, number>; groups: string }> =
      await this.dataSource.query(
        `WITH totals AS (
           SELECT key, n, statuses FROM dashboard_key_total
            WHERE subject = $1 AND scope = $2 AND dimension = ANY($3) AND public = ANY($4) AND key <> '' AND n <> 0),
              ranked AS (
           SELECT key, count(*) OVER () AS groups FROM totals
            GROUP BY key HAVING sum(n) <> 0
            ORDER BY sum(n) DESC, key LIMIT $5)
         SELECT t.key, t.statuses, r.groups FROM ranked r JOIN totals t USING (key)`,
        [subject, scope, dimensions, all ? [false, true] : [true], top],
      );
    // A key's rows (public and not; lead and supporting) are summed by toBreakdown.
    const rows: CountRow[] = totals.flatMap(({ key, statuses }) =>
      Object.entries(statuses).map(([status, n]) => ({ key, status, n })),
    );
    return { rows, groupCount: totals.length > 0 ? Number(totals[0].groups) : 0 };
  }

  /**
   * The rows (key, status, n) of the `top` largest groups of a grouped count, chosen in SQL (largest
   * total first, then key), and how many groups there are in all: a breakdown by cluster has
   * thousands, and shaping each into numbers with their queries cost more than counting them.
   */
  private async topGroups(sql: string, params: unknown[], top: number): Promise<TopGroups> {
    const limit = `$${params.length + 1}`;
    const rows: Array<CountRow & { groups: string }> = await this.dataSource.query(
      `WITH counted AS MATERIALIZED (${sql}),
            ranked AS (SELECT key, count(*) OVER () AS groups FROM counted WHERE key <> ''
                        GROUP BY key HAVING sum(n) <> 0
                        ORDER BY sum(n) DESC, key LIMIT ${limit})
       SELECT c.key, c.status, c.n, r.groups FROM counted c JOIN ranked r USING (key)`,
      [...params, top],
    );
    return { rows, groupCount: rows.length > 0 ? Number(rows[0].groups) : 0 };
  }

  /** Open actions overdue, and due within 30, 60 and 90 days (each window includes the shorter). */
  async deadlines(
    filter: Omit<ActionQuery, 'due'>,
    caller: Principal | undefined,
    asOf = new Date(),
  ): Promise<Deadlines> {
    const callerScope = scopeOf(caller);
    const scope = impliedScope(callerScope, filter);
    const base = { ...filter, due: undefined };
    let row: { overdue: number; d30: number; d60: number; d90: number };
    const windows = (column: string, count: string) =>
      `count(${count}) FILTER (WHERE ${column} < $1) AS overdue,
       count(${count}) FILTER (WHERE ${column} >= $1 AND ${column} < $2) AS d30,
       count(${count}) FILTER (WHERE ${column} >= $1 AND ${column} < $3) AS d60,
       count(${count}) FILTER (WHERE ${column} >= $1 AND ${column} < $4) AS d90`;
    const bounds = [asOf, ...[30, 60, 90].map((days) => new Date(asOf.getTime() + days * DAY_MS))];
    const counterScope = await this.counterScope(scope);
    if (counterScope !== undefined && isEmpty(base)) {
      // Each window is the open actions due before its end, less those due before now.
      const [overdue, d30, d60, d90] = await this.openActionsDueBefore(
        bounds,
        counterScope,
        scope.kind !== 'public',
        membersOf(scope),
      );
      row = { overdue, d30: d30 - overdue, d60: d60 - overdue, d90: d90 - overdue };
    } else if (scope.kind === 'institutions' && isEmpty(base)) {
      // One index range per institution; an action two of one's institutions work on counts once.
      [row] = await this.dataSource.query(
        `SELECT ${windows('i.due_at', 'DISTINCT i.action_id')}
           FROM action_institution_view i
          WHERE lower(i.institution_id) = ANY($5) AND i.status NOT IN ('completed', 'cancelled')
            AND i.due_at < $4`,
        [...bounds, scope.institutions],
      );
    } else {
      const conditions = this.actionConditions(scope, base, asOf, [...bounds]);
      conditions.add(OPEN);
      conditions.add(`a.due_at < $4`);
      [row] = await this.dataSource.query(
        `SELECT ${windows('a.due_at', '*')} FROM action_view a ${conditions.where()}`,
        conditions.params,
      );
    }
    const count = (n: number, due: DueWindow): Count<ActionQuery> => ({
      count: Number(n),
      query: Object.fromEntries(
        Object.entries({ ...filter, due }).filter(([, value]) => value !== undefined),
      ) as ActionQuery,
    });
    return {
      asOf,
      scope: callerScope.kind,
      overdue: count(row.overdue, 'overdue'),
      dueIn30Days: count(row.d30, '30'),
      dueIn60Days: count(row.d60, '60'),
      dueIn90Days: count(row.d90, '90'),
    };
  }

  /**
   * Recommendations per implementation status at the end of each month from `from` to `to`. The
   * secretariat's series is the running sum of the monthly counters; a scoped one is summed from
   * the history of the recommendations in scope.
   */
  async implementationSeries(from: Date, to: Date, caller: Principal | undefined): Promise<StatusSeries> {
    const scope = scopeOf(caller);
    let deltas: string;
    const conditions = new Conditions([from, to, IMPLEMENTATION_STATUSES]);
    const counterScope = await this.counterScope(scope);
    if (scope.kind === 'all') {
      deltas = `SELECT month, status, delta FROM implementation_status_month WHERE month <= $2::date`;
    } else if (counterScope !== undefined) {
      // The public's (published) or one institution's monthly deltas.
      deltas = `SELECT month, status, delta FROM implementation_status_scope_month
                 WHERE scope = ${conditions.param(counterScope)} AND (public OR ${conditions.param(scope.kind !== 'public')})
                   AND month <= $2::date`;
    } else {
      const inScope = this.recommendationConditions(scope, {}, conditions, 'r');
      deltas = `SELECT date_trunc('month', d.changed_at AT TIME ZONE 'UTC')::date AS month, d.status, sum(d.delta) AS delta
                  FROM (SELECT h.changed_at, h.status, 1 AS delta, h.recommendation_id FROM implementation_status_history h
                        UNION ALL
                        SELECT h.changed_at, h.previous_status, -1, h.recommendation_id FROM implementation_status_history h
                         WHERE h.previous_status IS NOT NULL) d
                  JOIN recommendation_view r ON r.id = d.recommendation_id
                 ${inScope.where()} ${inScope.parts.length > 0 ? 'AND' : 'WHERE'} d.changed_at < ($2::date + interval '1 month')
                 GROUP BY 1, 2`;
    }
    // The running sum of each status's monthly deltas, from before the first month on.
    const rows: Array<{ month: string; status: string; n: string }> = await this.dataSource.query(
      `WITH deltas AS MATERIALIZED (${deltas}),
            grid AS (SELECT m.month::date AS month, s.status
                       FROM generate_series(date_trunc('month', $1::date), date_trunc('month', $2::date),
                                            interval '1 month') m (month)
                      CROSS JOIN unnest($3::text[]) s (status)),
            monthly AS (SELECT month, status, sum(delta) AS delta FROM deltas GROUP BY 1, 2),
            earlier AS (SELECT status, sum(delta) AS n FROM deltas
                         WHERE month < date_trunc('month', $1::date) GROUP BY 1)
       SELECT to_char(g.month, 'YYYY-MM') AS month, g.status,
              coalesce(e.n, 0) + sum(coalesce(m.delta, 0)) OVER (PARTITION BY g.status ORDER BY g.month) AS n
         FROM grid g
         LEFT JOIN monthly m ON m.month = g.month AND m.status = g.status
         LEFT JOIN earlier e ON e.status = g.status
        ORDER BY g.month`,
      conditions.params,
    );
    const months = new Map<string, Record<string, number>>();
    for (const row of rows) {
      const counts = months.get(row.month) ?? {};
      counts[row.status] = Number(row.n);
      months.set(row.month, counts);
    }
    return {
      scope: scope.kind,
      months: [...months.entries()].map(([month, byStatus]) => ({ month, byStatus })),
    };
  }

  /** Progress reports first submitted in each month (signed-in callers; the public sees none). */
  async progressSeries(from: Date, to: Date, caller: Principal | undefined): Promise<ProgressSeries> {
    const scope = scopeOf(caller);
    const counterScope = await this.counterScope(scope);
    if (scope.kind !== 'public' && counterScope !== undefined) {
      // Everyone's or one institution's monthly counters.
      const counted: Array<{ month: string; n: string }> = await this.dataSource.query(
        `SELECT to_char(m.month, 'YYYY-MM') AS month, coalesce(c.n, 0) AS n
           FROM generate_series(date_trunc('month', $1::date), date_trunc('month', $2::date), interval '1 month') m (month)
           LEFT JOIN progress_report_month c ON c.scope = $3 AND c.month = m.month::date
          ORDER BY m.month`,
        [from, to, counterScope],
      );
      return {
        scope: scope.kind,
        months: counted.map((row) => ({ month: row.month, count: Number(row.n) })),
      };
    }
    const conditions = new Conditions([from, to]);
    conditions.add(`p.submitted_at >= date_trunc('month', $1::date)`);
    conditions.add(`p.submitted_at < date_trunc('month', $2::date) + interval '1 month'`);
    if (scope.kind === 'institutions')
      conditions.add(
        `p.action_id IN (SELECT action_id FROM action_institution_view
                          WHERE lower(institution_id) = ANY(${conditions.param(scope.institutions)}))`,
      );
    if (scope.kind === 'public') conditions.add('false');
    const rows: Array<{ month: string; n: string }> = await this.dataSource.query(
      `WITH counted AS (
         SELECT date_trunc('month', p.submitted_at AT TIME ZONE 'UTC')::date AS month, count(*) AS n
           FROM progress_report_view p ${conditions.where()} GROUP BY 1)
       SELECT to_char(m.month, 'YYYY-MM') AS month, coalesce(c.n, 0) AS n
         FROM generate_series(date_trunc('month', $1::date), date_trunc('month', $2::date), interval '1 month') m (month)
         LEFT JOIN counted c ON c.month = m.month::date
        ORDER BY m.month`,
      conditions.params,
    );
    return { scope: scope.kind, months: rows.map((row) => ({ month: row.month, count: Number(row.n) })) };
  }

  /**
   * The actions a number counted, soonest due first (then by id), a page at a time: from `offset`,
   * or after the item a cursor names (`next` of the page before), which reads an index range.
   */
  async listActions(
    filter: ActionQuery,
    page: ListPage,
    caller: Principal | undefined,
    asOf = new Date(),
  ): Promise<ListOf<ActionListItem>> {
    const callerScope = scopeOf(caller);
    const scope = impliedScope(callerScope, filter);
    const conditions = this.actionConditions(scope, filter, asOf);
    const after = page.after?.list === 'actions' ? page.after : undefined;
    const columns = `a.action_id AS id, a.title, coalesce(a.workflow_status, a.status) AS status,
                a.lead_institution_id AS "leadInstitutionId", a.institution AS "leadInstitutionName",
                a.supporting_institution_ids AS "supportingInstitutionIds",
                a.recommendation_ids AS "recommendationIds", a.plan_id AS "planId", a.due_at AS "dueAt",
                a.sdg_targets AS "sdgTargets", a.due_at::text AS cursor_due`;
    type Row = ActionListItem & { cursor_due: string | null };
    /** Items in the list's order, from `from` (SQL over $n… after the filter's parameters) on. */
    const read = (from: string, params: unknown[], limit: number, offset = 0): Promise<Row[]> => {
      const base = conditions.params.length;
      const where = [...conditions.parts, from].filter(Boolean).join(' AND ');
      return this.dataSource.query(
        `SELECT ${columns} FROM action_view a ${where ? `WHERE ${where}` : ''}
          ORDER BY a.due_at NULLS LAST, a.action_id LIMIT $${base + params.length + 1} OFFSET $${base + params.length + 2}`,
        [...conditions.params, ...params, limit, offset],
      );
    };
    const base = conditions.params.length;
    const readAfter = async (cursor: ListCursor & { list: 'actions' }): Promise<Row[]> => {
      // The dated actions after the cursor, then (a due window has none) the undated ones by id:
      // each a range of action_view_due (due_at, action_id), the second read only when the first
      // does not fill the page, as it would scan every undated action for a focal point's few.
      const rows =
        cursor.dueAt === null
          ? []
          : await read(
              `(a.due_at, a.action_id) > ($${base + 1}::timestamptz, $${base + 2}::uuid)`,
              [cursor.dueAt, cursor.id],
              page.limit,
            );
      if (rows.length < page.limit && !filter.due)
        rows.push(
          ...(await read(
            cursor.dueAt === null
              ? `a.due_at IS NULL AND a.action_id > $${base + 1}::uuid`
              : 'a.due_at IS NULL',
            cursor.dueAt === null ? [cursor.id] : [],
            page.limit - rows.length,
          )),
        );
      return rows;
    };
    const dueList = this.institutionsDueList(filter, scope, asOf);
    const [rows, total] = await Promise.all([
      dueList
        ? dueList.read(columns, page.limit, after ? 0 : (page.offset ?? 0), after)
        : after
          ? readAfter(after)
          : read('', [], page.limit, page.offset ?? 0),
      this.actionTotal(filter, scope, await this.counterScope(scope), asOf) ??
        dueList?.total() ??
        this.dataSource
          .query(`SELECT count(*)::int AS total FROM action_view a ${conditions.where()}`, conditions.params)
          .then(([row]: Array<{ total: number }>) => row.total),
    ]);
    const last = rows.at(-1);
    return {
      items: rows.map(({ cursor_due: _, ...item }) => item),
      total,
      next:
        last && rows.length === page.limit
          ? encodeCursor({ list: 'actions', dueAt: last.cursor_due, id: last.id })
          : null,
    };
  }

  /**
   * A focal point's due list (a due window its only filter), read from its institutions' open
   * actions by due date and id (`action_institution_view_open_due_id`): each institution's index
   * range stops at the page, where action_view's due-date order would walk every action's for a
   * ministry's few. An action two of the institutions share is listed once.
   */
  private institutionsDueList(filter: ActionQuery, scope: DashboardScope, asOf: Date) {
    const { due, ...rest } = filter;
    if (scope.kind !== 'institutions' || !due || !isEmpty(rest)) return undefined;
    const conditions = new Conditions([scope.institutions]);
    conditions.add(`lower(i.institution_id) = s.institution`);
    conditions.add(`i.status NOT IN ('completed', 'cancelled')`);
    const now = conditions.param(asOf);
    if (due === 'overdue') conditions.add(`i.due_at < ${now}`);
    else
      conditions.add(
        `i.due_at >= ${now} AND i.due_at < ${conditions.param(new Date(asOf.getTime() + Number(due) * DAY_MS))}`,
      );
    const from = `unnest($1::text[]) s (institution) CROSS JOIN LATERAL`;
    return {
      read: (
        columns: string,
        limit: number,
        offset: number,
        after?: ListCursor & { list: 'actions' },
      ): Promise<Array<ActionListItem & { cursor_due: string | null }>> => {
        const page = new Conditions([...conditions.params]);
        page.parts.push(...conditions.parts);
        // A due window lists dated actions only: a cursor past them (undated) ends the list.
        if (after?.dueAt === null) return Promise.resolve([]);
        if (after)
          page.add(
            `(i.due_at, i.action_id) > (${page.param(after.dueAt)}::timestamptz, ${page.param(after.id)}::uuid)`,
          );
        const n = page.param(limit + offset);
        return this.dataSource.query(
          `WITH page AS MATERIALIZED (
             SELECT DISTINCT d.action_id, d.due_at
               FROM ${from} (SELECT DISTINCT i.action_id, i.due_at FROM action_institution_view i
                                    ${page.where()} ORDER BY i.due_at, i.action_id LIMIT ${n}) d
              ORDER BY d.due_at, d.action_id LIMIT ${page.param(limit)} OFFSET ${page.param(offset)})
           SELECT ${columns} FROM page p JOIN action_view a ON a.action_id = p.action_id
            ORDER BY a.due_at, a.action_id`,
          page.params,
        );
      },
      total: (): Promise<number> =>
        this.dataSource
          .query(
            `SELECT count(DISTINCT i.action_id)::int AS total FROM ${from} (SELECT i.action_id FROM action_institution_view i
                ${conditions.where()}) i`,
            conditions.params,
          )
          .then(([row]: Array<{ total: number }>) => row.total),
    };
  }

  /** How many actions a list holds, from the counters when its filter is a counter cell or a due window. */
  private actionTotal(
    filter: ActionQuery,
    scope: DashboardScope,
    counterScope: string | undefined,
    asOf: Date,
  ): Promise<number> | undefined {
    if (counterScope === undefined) return undefined;
    const all = scope.kind !== 'public';
    const { due, ...rest } = filter;
    if (due) {
      if (!isEmpty(rest)) return undefined;
      const end = due === 'overdue' ? [] : [new Date(asOf.getTime() + Number(due) * DAY_MS)];
      return this.openActionsDueBefore([asOf, ...end], counterScope, all, membersOf(scope)).then(
        ([before, untilEnd]) => (due === 'overdue' ? before : untilEnd - before),
      );
    }
    const cell = counterCell(filter, 'status', ACTION_FILTER_COUNTERS, counterScope);
    return cell ? this.counterTotals('action', cell, all).then(sumOf) : undefined;
  }

  /** The recommendations a number counted, by document and paragraph, a page at a time (as `listActions`). */
  async listRecommendations(
    filter: RecommendationQuery,
    page: ListPage,
    caller: Principal | undefined,
  ): Promise<ListOf<RecommendationListItem>> {
    const scope = scopeOf(caller);
    const conditions = this.recommendationConditions(scope, filter);
    const countParams = [...conditions.params];
    const countWhere = conditions.where();
    const after = page.after?.list === 'recommendations' ? page.after : undefined;
    if (after)
      conditions.add(
        `(r.document_symbol, r.paragraph, r.id) > (${conditions.param(after.documentSymbol)}, ${conditions.param(after.paragraph)}, ${conditions.param(after.id)}::uuid)`,
      );
    const where = conditions.where();
    const limit = conditions.param(page.limit);
    const offset = conditions.param(after ? 0 : (page.offset ?? 0));
    // The total from the counters when the filter is one counter cell.
    const cell = counterCell(
      filter,
      'implementationStatus',
      RECOMMENDATION_FILTER_COUNTERS,
      await this.counterScope(scope),
    );
    const [items, total] = await Promise.all([
      this.dataSource.query(
        `SELECT r.id, r.mechanism, r.mechanism_kind AS "mechanismKind", r.document_symbol AS "documentSymbol",
                r.paragraph, r.upr_cycle AS "uprCycle", r.implementation_status AS "implementationStatus",
                r.themes, r.sdg_targets AS "sdgTargets", r.clusters
           FROM recommendation_view r ${where}
          ORDER BY r.document_symbol, r.paragraph, r.id LIMIT ${limit} OFFSET ${offset}`,
        conditions.params,
      ) as Promise<RecommendationListItem[]>,
      cell
        ? this.counterTotals('recommendation', cell, scope.kind !== 'public').then(sumOf)
        : this.dataSource
            .query(`SELECT count(*)::int AS total FROM recommendation_view r ${countWhere}`, countParams)
            .then(([row]: Array<{ total: number }>) => row.total),
    ]);
    const last = items.at(-1);
    return {
      items,
      total,
      next:
        last && items.length === page.limit
          ? encodeCursor({
              list: 'recommendations',
              documentSymbol: last.documentSymbol,
              paragraph: last.paragraph,
              id: last.id,
            })
          : null,
    };
  }

  /**
   * Open actions due before each bound, in a counters' scope: whole UTC days from
   * `open_action_due_day`, the bound's own day up to the bound from the rows (an index range).
   */
  private async openActionsDueBefore(
    bounds: Date[],
    scope: string,
    all: boolean,
    members: string[],
  ): Promise<number[]> {
    const partialDay =
      scope === ''
        ? `SELECT count(*) FROM action_view a
            WHERE ${OPEN} AND (a.public OR $3) AND a.due_at >= b.day_start AND a.due_at < b.at`
        : `SELECT count(DISTINCT i.action_id) FROM action_institution_view i
            WHERE lower(i.institution_id) = ANY($4) AND i.status NOT IN ('completed', 'cancelled')
              AND i.due_at >= b.day_start AND i.due_at < b.at`;
    const rows: Array<{ n: string }> = await this.dataSource.query(
      `SELECT (SELECT coalesce(sum(c.n), 0) FROM open_action_due_day c
                WHERE c.scope = $2 AND (c.public OR $3) AND c.day < b.day)
              + (${partialDay}) AS n
         FROM (SELECT u.at, d.day, d.day::timestamp AT TIME ZONE 'UTC' AS day_start, u.ordinality
                 FROM unnest($1::timestamptz[]) WITH ORDINALITY u (at, ordinality)
                 CROSS JOIN LATERAL (SELECT (u.at AT TIME ZONE 'UTC')::date) d (day)) b
        ORDER BY b.ordinality`,
      scope === '' ? [bounds, scope, all] : [bounds, scope, all, members],
    );
    return rows.map((row) => Number(row.n));
  }

  /** Whether the pair counters hold a drill of a filter dimension by another, in a counters' scope. */
  private pairsCount(scope: string, dimension: string, by: RecommendationDimension): boolean {
    return scope === ''
      ? PAIR_BY.includes(by) || (by === 'sdg_target' && TARGET_PAIR_FILTERS.includes(dimension))
      : (by === 'mechanism' && INSTITUTION_PAIR_FILTERS.includes(dimension)) ||
          (by === 'sdg_goal' && dimension === 'theme') ||
          (by === 'theme' && dimension === 'sdg_goal');
  }

  /** Per status, the count of one counter cell (everyone's rows, or only the public ones). */
  private counterTotals(
    subject: 'action' | 'recommendation',
    cell: CounterCell,
    all: boolean,
  ): Promise<CountRow[]> {
    const conditions = new Conditions([subject, cell.scope, cell.dimension, all]);
    if (cell.key)
      conditions.add(
        cell.key.caseless
          ? `lower(key) = lower(${conditions.param(cell.key.value)})`
          : `key = ${conditions.param(cell.key.value)}`,
      );
    else conditions.add(`key = ''`);
    if (cell.status !== undefined) conditions.add(`status = ${conditions.param(cell.status)}`);
    return this.dataSource.query(
      `SELECT '' AS key, status, sum(n) AS n FROM dashboard_count
        WHERE subject = $1 AND scope = $2 AND dimension = $3 AND (public OR $4) AND ${conditions.parts.join(' AND ')}
        GROUP BY status`,
      conditions.params,
    );
  }

  private actionConditions(
    scope: DashboardScope,
    filter: ActionQuery,
    asOf: Date,
    params: unknown[] = [],
  ): Conditions {
    const conditions = new Conditions(params);
    if (scope.kind === 'public') conditions.add('a.public');
    if (scope.kind === 'institutions')
      conditions.add(
        `a.action_id IN (SELECT action_id FROM action_institution_view
                          WHERE lower(institution_id) = ANY(${conditions.param(scope.institutions)}))`,
      );
    if (filter.status)
      conditions.add(`coalesce(a.workflow_status, a.status) = ${conditions.param(filter.status)}`);
    if (filter.leadInstitution)
      conditions.add(`lower(a.lead_institution_id) = lower(${conditions.param(filter.leadInstitution)})`);
    for (const [field, role] of [
      ['supportingInstitution', `AND i.role = 'supporting'`],
      ['institution', ''],
    ] as const) {
      const value = filter[field];
      if (value)
        conditions.add(
          `EXISTS (SELECT 1 FROM action_institution_view i WHERE i.action_id = a.action_id ${role}
                      AND lower(i.institution_id) = lower(${conditions.param(value)}))`,
        );
    }
    if (filter.sdgTarget)
      conditions.add(`a.sdg_targets @> ARRAY[${conditions.param(filter.sdgTarget)}::text]`);
    if (filter.sdgGoal)
      conditions.add(
        `EXISTS (SELECT 1 FROM unnest(a.sdg_targets) t WHERE split_part(t, '.', 1) = ${conditions.param(filter.sdgGoal)})`,
      );
    if (filter.planId) conditions.add(`a.plan_id = ${conditions.param(filter.planId)}::uuid`);
    if (filter.recommendationId)
      conditions.add(
        `a.action_id IN (SELECT action_id FROM action_recommendation_view
                          WHERE recommendation_id = ${conditions.param(filter.recommendationId)}::uuid)`,
      );
    if (filter.due) {
      conditions.add(OPEN);
      const now = conditions.param(asOf);
      if (filter.due === 'overdue') conditions.add(`a.due_at < ${now}`);
      else {
        const end = conditions.param(new Date(asOf.getTime() + Number(filter.due) * DAY_MS));
        conditions.add(`a.due_at >= ${now} AND a.due_at < ${end}`);
      }
    }
    return conditions;
  }

  private recommendationConditions(
    scope: DashboardScope,
    filter: RecommendationQuery,
    conditions = new Conditions(),
    alias = 'r',
  ): Conditions {
    const r = alias;
    // The recommendations institutions' actions serve: kept per institution (lowercased) by triggers.
    const servedBy = (institutions: string) =>
      `${r}.id IN (SELECT ir.recommendation_id FROM institution_recommendation ir
                    WHERE ir.scope = ${institutions} AND ir.actions > 0)`;
    if (scope.kind === 'public') conditions.add(`${r}.published`);
    if (scope.kind === 'institutions')
      conditions.add(servedBy(`ANY(${conditions.param(scope.institutions)})`));
    if (filter.implementationStatus)
      conditions.add(`${r}.implementation_status = ${conditions.param(filter.implementationStatus)}`);
    if (filter.mechanism) conditions.add(`${r}.mechanism = ${conditions.param(filter.mechanism)}`);
    if (filter.mechanismKind)
      conditions.add(`${r}.mechanism_kind = ${conditions.param(filter.mechanismKind)}`);
    if (filter.cycle !== undefined) conditions.add(`${r}.upr_cycle = ${conditions.param(filter.cycle)}`);
    if (filter.theme) conditions.add(`${r}.themes @> ARRAY[${conditions.param(filter.theme)}::text]`);
    if (filter.sdgTarget)
      conditions.add(`${r}.sdg_targets @> ARRAY[${conditions.param(filter.sdgTarget)}::text]`);
    if (filter.sdgGoal)
      conditions.add(
        `EXISTS (SELECT 1 FROM unnest(${r}.sdg_targets) t WHERE split_part(t, '.', 1) = ${conditions.param(filter.sdgGoal)})`,
      );
    if (filter.cluster) conditions.add(`${r}.clusters @> ARRAY[${conditions.param(filter.cluster)}::text]`);
    if (filter.institution) conditions.add(servedBy(`lower(${conditions.param(filter.institution)})`));
    return conditions;
  }
}
