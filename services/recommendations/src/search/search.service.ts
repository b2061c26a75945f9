import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { themeKeysMatching } from '../taxonomy';
import {
  DEFAULT_FACET_LIMIT,
  FACETS,
  searchOrder,
  sortColumns,
  type FacetName,
  type SearchFilters,
  type SortKey,
  type SqlFragment,
} from './search-filters';
import {
  CASELESS_FACET,
  CODED_COLUMNS,
  SEARCH_TABLE,
  searchTableWhere,
  wantedTerms,
  type Codes,
} from './search-table';

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
/** Per search statement: the narrow table and its indexes are read from memory (PostgreSQL's default is 4). */
const SEARCH_RANDOM_PAGE_COST = '1.1';

export type RecommendationView = Record<string, unknown> & { id: string };
export type Facets = Partial<Record<FacetName, { value: string; count: number }[]>>;

/**
 * The filters as a WHERE clause on `recommendation_search s`, with the codes of the values they name
 * looked up in one round trip (none when no coded filter is set). Search, export and publication
 * all select through it: the catalogue's own table has no indexes for these filters.
 */
export async function searchTableFilter(
  manager: EntityManager,
  filters: SearchFilters,
): Promise<SqlFragment> {
  const wanted = Object.entries(wantedTerms(filters, themeKeysMatching));
  let codes: Codes = {};
  if (wanted.length > 0) {
    const found: { facet: keyof Codes; codes: number[] }[] = await manager.query(
      `SELECT t.facet, array_agg(t.code) AS codes
         FROM search_terms t
         JOIN unnest($1::text[], $2::text[]) w (facet, value)
           ON t.facet = w.facet AND (CASE WHEN w.facet = $3 THEN lower(t.value) ELSE t.value END) = w.value
        GROUP BY t.facet`,
      [
        wanted.flatMap(([facet, values]) => values.map(() => facet)),
        wanted.flatMap(([, values]) => values),
        CASELESS_FACET,
      ],
    );
    codes = Object.fromEntries(found.map((row) => [row.facet, row.codes]));
  }
  return searchTableWhere(filters, codes, themeKeysMatching);
}

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
    const facetLimit = Number.isInteger(page.facetLimit) ? (page.facetLimit as number) : DEFAULT_FACET_LIMIT;
    const found = await this.matches(filters, {
      ...page,
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
   * One pass over the filtered set of `recommendation_search` (the narrow copy: codes, sort columns and
   * search vector): the filter's matches are materialised in memory with the columns the sort and the
   * facets read, and the total, the page's ids and every facet's counts all come from them. The page is
   * sorted as a top-N (only its rows are kept while sorting); facets are counted by code and the codes'
   * values looked up once counted; each facet lists its values largest first, ties in a stable order.
   */
  private async matches(
    filters: SearchFilters,
    options: { limit: number; offset: number; sort: SortKey; facetLimit?: number },
  ): Promise<{ total: number; page: string[]; facets: Facets; facetsTruncated: FacetName[] }> {
    const { limit, offset, sort, facetLimit } = options;
    const facets =
      facetLimit === undefined ? [] : (Object.entries(FACETS) as [FacetName, (typeof FACETS)[FacetName]][]);
    const rows: { facet: FacetName | ''; value: string; count: number; page: string[] | null }[] =
      await this.dataSource.transaction(async (manager) => {
        // For this transaction only: enough memory that a broad search's matches and counts never spill
        // to disk (the default 4 MB did at 40,000 matches); no JIT (a broad search's plan costs enough
        // to be compiled, which took longer, 40 ms, than it saved); and the cost of a page read out of
        // order as for memory, not disk, so that a broad search with no text reads the covering index
        // (half the pages) rather than the table.
        await manager.query(
          `SELECT set_config('work_mem', $1, true), set_config('jit', 'off', true),
                  set_config('random_page_cost', $2, true)`,
          [SEARCH_WORK_MEM, SEARCH_RANDOM_PAGE_COST],
        );
        const { where, params, tsquery } = await searchTableFilter(manager, filters);
        if (limit === 0 && facets.length === 0) {
          return manager.query(
            `SELECT '' AS facet, NULL AS value, count(*)::int AS count, NULL::text[] AS page
               FROM ${SEARCH_TABLE} s WHERE ${where}`,
            params,
          );
        }
        return manager.query(
          this.statement(where, params.length, { limit, sort, tsquery, facetLimit }, facets),
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

  /** The one statement: the matches, then their total and page, then each facet's counts. */
  private statement(
    where: string,
    n: number,
    options: { limit: number; sort: SortKey; tsquery?: string; facetLimit?: number },
    facets: [FacetName, (typeof FACETS)[FacetName]][],
  ): string {
    const { limit, sort, tsquery, facetLimit } = options;
    const columns = new Set<string>(facets.map(([, { column }]) => `s.${column}`));
    // The rank, not the search vector, is kept with the matches: the vector is over half a row's bytes.
    if (limit > 0) {
      for (const column of sortColumns(sort, tsquery)) {
        columns.add(
          column === 'search_vector' ? `ts_rank(s.search_vector, ${tsquery}) AS rank` : `s.${column}`,
        );
      }
    }
    const page =
      limit > 0
        ? `(SELECT array_agg(p.id::text ORDER BY ${searchOrder(sort, tsquery, 'p', 'rank')})
              FROM (SELECT * FROM matches m ORDER BY ${searchOrder(sort, tsquery, 'm', 'rank')}
                    LIMIT $${n + 1} OFFSET $${n + 2}) p)`
        : 'NULL::text[]';
    // Codes are unique across facets, so one unnest of every coded value of a match counts all coded
    // facets in one hash aggregate, and the code's term names its facet and value. The cycle and the
    // session are their own values: one pass of grouping sets (a key is NULL outside its own set).
    const coded = facets.filter(([name]) => name in CODED_COLUMNS);
    const scalars = coded.filter(([, { array }]) => !array).map(([, { column }]) => column);
    const arrays = coded.filter(([, { array }]) => array).map(([, { column }]) => column);
    const numbers = facets.filter(([name]) => !(name in CODED_COLUMNS));
    const counted = [
      ...(coded.length
        ? [
            `SELECT t.facet, t.value, c.count
               FROM (SELECT v, count(*)::int AS count
                       FROM (SELECT unnest(${[`ARRAY[${scalars.join(', ')}]::int[]`, ...arrays].join(' || ')}) AS v
                               FROM matches) u
                      GROUP BY v) c
               JOIN search_terms t ON t.code = c.v`,
          ]
        : []),
      ...(numbers.length
        ? [
            `SELECT CASE ${numbers.map(([name, { column }]) => `WHEN GROUPING(${column}) = 0 THEN '${name}'`).join(' ')} END,
                    COALESCE(${numbers.map(([, { column }]) => `${column}::text`).join(', ')}), count(*)::int
               FROM matches GROUP BY GROUPING SETS (${numbers.map(([, { column }]) => `(${column})`).join(', ')})`,
          ]
        : []),
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
    return `WITH matches AS MATERIALIZED (SELECT ${[...columns].join(', ')} FROM ${SEARCH_TABLE} s WHERE ${where})
            SELECT '' AS facet, NULL AS value, count(*)::int AS count, ${page} AS page FROM matches
            ${counts}`;
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
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction('REPEATABLE READ');
      const { where, params, tsquery } = await searchTableFilter(runner.manager, filters);
      const n = params.length;
      await runner.query(
        `DECLARE export_cursor NO SCROLL CURSOR FOR
         SELECT ${VIEW_COLUMNS} FROM ${SEARCH_TABLE} s JOIN recommendations r ON r.id = s.id
          WHERE ${where} ORDER BY ${searchOrder(sort, tsquery, 's')}
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
