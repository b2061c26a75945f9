import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { themeKeysMatching } from '../taxonomy';
import {
  DEFAULT_FACET_LIMIT,
  FACETS,
  searchOrder,
  searchWhere,
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
    const order = searchOrder(page.sort, tsquery);
    const n = params.length;
    // limit=0: the counts only, for a filter panel.
    const items: Promise<RecommendationView[]> =
      page.limit === 0
        ? Promise.resolve([])
        : this.dataSource.query(
            `SELECT ${VIEW_COLUMNS} FROM recommendations r WHERE ${where} ORDER BY ${order} LIMIT $${n + 1} OFFSET $${n + 2}`,
            [...params, page.limit, page.offset],
          );
    if (!page.facets) {
      const [found, [{ total }]] = await Promise.all([
        items,
        this.dataSource.query(`SELECT count(*)::int AS total FROM recommendations r WHERE ${where}`, params),
      ]);
      return { items: found, total };
    }
    const facetLimit = Number.isInteger(page.facetLimit) ? (page.facetLimit as number) : DEFAULT_FACET_LIMIT;
    // The total comes with the facets, from the same matches: the filter runs twice, not three times.
    const [found, counted] = await Promise.all([items, this.facets(where, params, facetLimit)]);
    return { items: found, ...counted };
  }

  /**
   * Counts over the whole filtered set, largest first, ties in a stable order. The filter runs once:
   * its matches are materialised and every facet is counted from them in the same statement.
   */
  private async facets(
    where: string,
    params: unknown[],
    limit: number,
  ): Promise<{ total: number; facets: Facets; facetsTruncated: FacetName[] }> {
    const facets = Object.entries(FACETS) as [FacetName, (typeof FACETS)[FacetName]][];
    const columns = [...new Set(facets.map(([, { column }]) => column))];
    // One value more than listed tells whether the facet was cut.
    const counts = facets.map(
      ([name, { column, array }]) =>
        `(SELECT '${name}' AS facet, v::text AS value, count(*)::int AS count
          FROM (SELECT ${array ? `unnest(${column})` : column} AS v FROM matches) m
          WHERE v IS NOT NULL GROUP BY v ORDER BY count(*) DESC, v::text LIMIT ${limit + 1})`,
    );
    const rows: { facet: FacetName | ''; value: string; count: number }[] = await this.dataSource.query(
      `WITH matches AS MATERIALIZED (SELECT ${columns.map((column) => `r.${column}`).join(', ')}
                                     FROM recommendations r WHERE ${where})
       (SELECT '' AS facet, NULL AS value, count(*)::int AS count FROM matches) UNION ALL
       ${counts.join(' UNION ALL ')}`,
      params,
    );
    const result: Facets = Object.fromEntries(facets.map(([name]) => [name, []]));
    let total = 0;
    for (const row of rows) {
      if (row.facet === '') total = row.count;
      else result[row.facet]?.push({ value: row.value, count: row.count });
    }
    // UNION ALL does not promise to keep each part's order.
    const truncated: FacetName[] = [];
    for (const [name, values] of Object.entries(result) as [
      FacetName,
      { value: string; count: number }[],
    ][]) {
      values.sort((x, y) => y.count - x.count || (x.value < y.value ? -1 : x.value > y.value ? 1 : 0));
      if (values.length > limit) {
        values.length = limit;
        truncated.push(name);
      }
    }
    return { total, facets: result, facetsTruncated: truncated };
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
