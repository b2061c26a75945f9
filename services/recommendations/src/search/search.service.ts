import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { themeKeysMatching } from '../taxonomy';
import {
  DEFAULT_FACET_LIMIT,
  FACETS,
  searchOrder,
  searchWhere,
  sortColumns,
  type FacetName,
  type SearchFilters,
  type SortKey,
} from './search-filters';

/** A recommendation as lists and exports show it. */
export const VIEW_COLUMNS = `r.id, r.mechanism, r.body, r.type, r.document_symbol AS "documentSymbol", r.paragraph, r.text,
  r.language, r.state_under_review AS "stateUnderReview", r.upr_cycle AS "uprCycle", r.upr_session AS "uprSession",
  r.published_on::text AS "publishedOn", r.indexed_on::text AS "indexedOn",
  r.recommending_states AS "recommendingStates", r.position, r.imported_position AS "importedPosition",
  r.position_source AS "positionSource", r.position_justification AS "positionJustification",
  r.themes, r.theme_labels AS "themeLabels", r.groups, r.group_labels AS "groupLabels",
  r.sdg_goals AS "sdgGoals", r.sdg_targets AS "sdgTargets", r.cluster_headings AS "clusterHeadings",
  r.annotation_id AS "annotationId", r.sources, r.implementation_status AS "implementationStatus",
  r.published, r.version, r.updated_at AS "updatedAt"`;

/** Per search statement: the matches of a broad search and their facet counts stay in memory. */
const SEARCH_WORK_MEM = '64MB';

export type RecommendationView = Record<string, unknown> & { id: string };
export type Facets = Partial<Record<FacetName, { value: string; count: number }[]>>;

@Injectable()
export class SearchService {
  constructor(private readonly dataSource: DataSource) {}

  async search(
    filters: SearchFilters,
    page: { limit: number; offset: number; sort: SortKey; facets: boolean; facetLimit?: number },
  ): Promise<{
    items: RecommendationView[];
    total: number;
    facets?: Facets;
    /** The facets that have more values than `facetLimit` listed. */
    facetsTruncated?: FacetName[];
  }> {
    const { where, params, tsquery } = searchWhere(filters, themeKeysMatching);
    if (page.limit === 0 && !page.facets) {
      const [{ total }] = await this.dataSource.query(
        `SELECT count(*)::int AS total FROM recommendations r WHERE ${where}`,
        params,
      );
      return { items: [], total };
    }
    const facetLimit = Number.isInteger(page.facetLimit) ? (page.facetLimit as number) : DEFAULT_FACET_LIMIT;
    const found = await this.matches(where, params, {
      ...page,
      tsquery,
      facetLimit: page.facets ? facetLimit : undefined,
    });
    // The page's rows by primary key, in the order the matches gave.
    const rows: RecommendationView[] =
      found.page.length === 0
        ? []
        : await this.dataSource.query(
            `SELECT ${VIEW_COLUMNS} FROM recommendations r WHERE r.id = ANY($1::uuid[])`,
            [found.page],
          );
    const byId = new Map(rows.map((row) => [row.id, row]));
    const items = found.page.flatMap((id) => byId.get(id) ?? []);
    if (!page.facets) return { items, total: found.total };
    return { items, total: found.total, facets: found.facets, facetsTruncated: found.facetsTruncated };
  }

  /**
   * One pass over the filtered set: the filter's matches are materialised in memory with the columns the
   * sort and the facets read, and the total, the page's ids and every facet's counts all come from them.
   * The page is sorted as a top-N (only its rows are kept while sorting); each facet lists its values
   * largest first, ties in a stable order.
   */
  private async matches(
    where: string,
    params: unknown[],
    options: { limit: number; offset: number; sort: SortKey; tsquery?: string; facetLimit?: number },
  ): Promise<{ total: number; page: string[]; facets: Facets; facetsTruncated: FacetName[] }> {
    const { limit, offset, sort, tsquery, facetLimit } = options;
    const facets =
      facetLimit === undefined ? [] : (Object.entries(FACETS) as [FacetName, (typeof FACETS)[FacetName]][]);
    const columns = new Set<string>(facets.map(([, { column }]) => column));
    if (limit > 0) for (const column of sortColumns(sort, tsquery)) columns.add(column);
    const n = params.length;
    const page =
      limit > 0
        ? `(SELECT array_agg(p.id::text ORDER BY ${searchOrder(sort, tsquery, 'p')})
              FROM (SELECT * FROM matches m ORDER BY ${searchOrder(sort, tsquery, 'm')}
                    LIMIT $${n + 1} OFFSET $${n + 2}) p)`
        : 'NULL::text[]';
    // Scalar facets in one pass of grouping sets (a value is NULL outside its own set, so the first
    // non-NULL column is the set's value); array facets each through unnest. Unpivoting every match
    // into (facet, value) rows instead cost five times as much at 40,000 matches.
    const scalars = facets.filter(([, { array }]) => !array);
    const arrays = facets.filter(([, { array }]) => array);
    const counted = [
      ...(scalars.length
        ? [
            `SELECT CASE ${scalars.map(([name, { column }]) => `WHEN GROUPING(${column}) = 0 THEN '${name}'`).join(' ')} END,
                    COALESCE(${scalars.map(([, { column }]) => `${column}::text`).join(', ')}), count(*)::int
               FROM matches GROUP BY GROUPING SETS (${scalars.map(([, { column }]) => `(${column})`).join(', ')})`,
          ]
        : []),
      ...arrays.map(
        ([name, { column }]) =>
          `SELECT '${name}', v, count(*)::int FROM (SELECT unnest(${column}) AS v FROM matches) u GROUP BY v`,
      ),
    ];
    // One value more than listed tells whether the facet was cut.
    const counts = facets.length
      ? `UNION ALL
         SELECT facet, value, count, NULL::text[]
           FROM (SELECT facet, value, count, row_number() OVER (PARTITION BY facet ORDER BY count DESC, value) AS place
                   FROM (${counted.join(' UNION ALL ')}) counted (facet, value, count)
                  WHERE value IS NOT NULL) ranked
          WHERE place <= ${(facetLimit ?? 0) + 1}`
      : '';
    const rows: { facet: FacetName | ''; value: string; count: number; page: string[] | null }[] =
      await this.dataSource.transaction(async (manager) => {
        // For this transaction only: enough memory that a broad search's matches and counts never spill
        // to disk (the default 4 MB did at 40,000 matches), and no JIT (a broad search's plan costs enough
        // to be compiled, which took longer, 40 ms, than it saved).
        await manager.query(`SELECT set_config('work_mem', $1, true), set_config('jit', 'off', true)`, [
          SEARCH_WORK_MEM,
        ]);
        return manager.query(
          `WITH matches AS MATERIALIZED (SELECT ${[...columns].map((column) => `r.${column}`).join(', ')}
                                         FROM recommendations r WHERE ${where})
           SELECT '' AS facet, NULL AS value, count(*)::int AS count, ${page} AS page FROM matches
           ${counts}`,
          limit > 0 ? [...params, limit, offset] : params,
        );
      });
    const result: Facets = Object.fromEntries(facets.map(([name]) => [name, []]));
    let total = 0;
    let ids: string[] = [];
    for (const row of rows) {
      if (row.facet === '') {
        total = row.count;
        ids = row.page ?? [];
      } else result[row.facet]?.push({ value: row.value, count: row.count });
    }
    // UNION ALL does not promise to keep each part's order.
    const truncated: FacetName[] = [];
    for (const [name, listed] of Object.entries(result) as [
      FacetName,
      { value: string; count: number }[],
    ][]) {
      listed.sort((x, y) => y.count - x.count || (x.value < y.value ? -1 : x.value > y.value ? 1 : 0));
      if (listed.length > (facetLimit ?? 0)) {
        listed.length = facetLimit ?? 0;
        truncated.push(name);
      }
    }
    return { total, page: ids, facets: result, facetsTruncated: truncated };
  }

  /**
   * Every match (or `limit` of them from `offset`) in pages from a cursor, so an export of the whole
   * catalogue stays in bounded memory.
   */
  async *export(
    filters: SearchFilters,
    sort: SortKey,
    page: { limit?: number; offset?: number } = {},
  ): AsyncGenerator<RecommendationView[]> {
    const { where, params, tsquery } = searchWhere(filters, themeKeysMatching);
    const n = params.length;
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction('REPEATABLE READ');
      await runner.query(
        `DECLARE export_cursor NO SCROLL CURSOR FOR
         SELECT ${VIEW_COLUMNS} FROM recommendations r WHERE ${where} ORDER BY ${searchOrder(sort, tsquery)}
         LIMIT $${n + 1} OFFSET $${n + 2}`,
        [...params, page.limit ?? null, page.offset ?? 0],
      );
      for (;;) {
        const rows: RecommendationView[] = await runner.query('FETCH 1000 FROM export_cursor');
        if (rows.length === 0) break;
        yield rows;
      }
      await runner.commitTransaction();
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      await runner.release();
    }
  }
}
