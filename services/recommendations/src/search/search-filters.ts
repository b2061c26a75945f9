/** What a coordinator can narrow the catalogue by; every field is optional. */
export interface SearchFilters {
  /** These recommendations only. */
  ids?: string[];
  q?: string;
  mechanism?: string[];
  body?: string[];
  cycle?: number[];
  session?: number[];
  theme?: string[];
  group?: string[];
  /** Goals ("16") or targets ("16.3"). */
  sdg?: string[];
  position?: string[];
  type?: string[];
  state?: string[];
  recommendingState?: string[];
  documentSymbol?: string[];
  /** A day: `2015-01-01`, or a Date whose UTC day is meant. */
  publishedFrom?: string | Date;
  publishedTo?: string | Date;
  cluster?: string;
  /** As the actions service rolls it up; not_started until it says otherwise. */
  implementationStatus?: string[];
  /** Published by the coordinator (anonymous readers always get `true`). */
  published?: boolean;
}

export const SORTS = ['relevance', 'published', 'document', 'updated'] as const;
export type SortKey = (typeof SORTS)[number];

export const FACETS = {
  mechanism: { column: 'mechanism', array: false },
  body: { column: 'body', array: false },
  cycle: { column: 'upr_cycle', array: false },
  session: { column: 'upr_session', array: false },
  position: { column: 'position', array: false },
  type: { column: 'type', array: false },
  state: { column: 'state_under_review', array: false },
  theme: { column: 'themes', array: true },
  group: { column: 'groups', array: true },
  sdg: { column: 'sdg_goals', array: true },
  recommendingState: { column: 'recommending_states', array: true },
  implementationStatus: { column: 'implementation_status', array: false },
} as const;
export type FacetName = keyof typeof FACETS;

/** Values listed per facet unless the request says otherwise (`facetLimit`). */
export const DEFAULT_FACET_LIMIT = 50;
export const MAX_FACET_LIMIT = 1000;

/** The languages' search configurations, OR-ed so a query matches whatever language a text is in. */
const QUERY_CONFIGS = ['english', 'french', 'spanish', 'russian', 'simple'];
export const TEXT_VECTOR = 'r.search_vector';

export interface SqlFragment {
  where: string;
  params: unknown[];
  /** The tsquery expression, when there is a text query (for ranking). */
  tsquery?: string;
}

/** A Date's UTC day, not the session time zone's reading of a timestamp. */
export const day = (value: string | Date) =>
  typeof value === 'string' ? value : value.toISOString().slice(0, 10);

/** What anonymous readers may search: the caller's filters, narrowed to published recommendations. */
export function visibleTo<T extends SearchFilters>(filters: T, signedIn: boolean): T {
  return signedIn ? filters : { ...filters, published: true };
}

/** The text query's clause on `vector` and its tsquery (for ranking), or nothing for a blank query. */
export function searchQuery(
  q: string | undefined,
  param: (value: unknown) => string,
  vector: string,
): { clause?: string; tsquery?: string } {
  if (!q || q.trim() === '') return {};
  const value = param(q.trim());
  const tsquery = `(${QUERY_CONFIGS.map((config) => `websearch_to_tsquery('${config}', ${value})`).join(' || ')})`;
  return { clause: `${vector} @@ ${tsquery}`, tsquery };
}

/**
 * The filters as a parameterised WHERE clause on the catalogue's own table `recommendations r`; values
 * never reach the SQL text. The service selects through the search table (`searchTableFilter`); this is
 * the plain reading of the filters that the search table's answers are checked against, on a table
 * that has no indexes for them.
 */
export function searchWhere(
  filters: SearchFilters,
  themeKeys: (key: string) => string[] = (key) => [key],
): SqlFragment {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const { clause: text, tsquery } = searchQuery(filters.q, param, TEXT_VECTOR);
  if (text) clauses.push(text);
  const anyOf = (column: string, values: unknown[] | undefined, cast = 'text[]') => {
    if (values && values.length > 0) clauses.push(`r.${column} = ANY(${param(values)}::${cast})`);
  };
  const overlaps = (column: string, values: string[] | undefined) => {
    if (values && values.length > 0) clauses.push(`r.${column} && ${param(values)}::text[]`);
  };
  anyOf('id', filters.ids, 'uuid[]');
  anyOf('mechanism', filters.mechanism);
  // Codes are mixed case ("SR on torture", "CommDH"): compare without case. A joint Special Procedures
  // text is found by each of its mandates.
  if (filters.body?.length) {
    const bodies = param(filters.body.map((body) => body.toLowerCase()));
    clauses.push(
      `(lower(r.body) = ANY(${bodies}::text[]) OR EXISTS (SELECT 1 FROM unnest(r.bodies) b WHERE lower(b) = ANY(${bodies}::text[])))`,
    );
  }
  anyOf('upr_cycle', filters.cycle, 'smallint[]');
  anyOf('upr_session', filters.session, 'smallint[]');
  anyOf('position', filters.position);
  anyOf('type', filters.type);
  anyOf(
    'state_under_review',
    filters.state?.map((state) => state.toUpperCase()),
  );
  anyOf('document_symbol', filters.documentSymbol);
  anyOf('implementation_status', filters.implementationStatus);
  if (filters.published !== undefined) clauses.push(`r.published = ${param(filters.published)}::boolean`);
  overlaps('themes', filters.theme?.flatMap(themeKeys));
  overlaps('groups', filters.group);
  const goals = filters.sdg?.filter((sdg) => !sdg.includes('.'));
  const targets = filters.sdg?.filter((sdg) => sdg.includes('.'));
  if (goals?.length && targets?.length) {
    clauses.push(`(r.sdg_goals && ${param(goals)}::text[] OR r.sdg_targets && ${param(targets)}::text[])`);
  } else {
    overlaps('sdg_goals', goals);
    overlaps('sdg_targets', targets);
  }
  overlaps('recommending_states', filters.recommendingState);
  if (filters.publishedFrom) clauses.push(`r.published_on >= ${param(day(filters.publishedFrom))}::date`);
  if (filters.publishedTo) clauses.push(`r.published_on <= ${param(day(filters.publishedTo))}::date`);
  if (filters.cluster) {
    clauses.push(
      `EXISTS (SELECT 1 FROM cluster_members m WHERE m.recommendation_id = r.id AND m.cluster_id = ${param(filters.cluster)}::uuid)`,
    );
  }
  return { where: clauses.length ? clauses.join(' AND ') : 'TRUE', params, tsquery };
}

/**
 * A stable order: every sort ends with the id, so pages never overlap or skip. `alias` names the rows
 * sorted (the table, or matches taken from it with `sortColumns`); `rank` names their column holding
 * `ts_rank` already computed, if any.
 */
export function searchOrder(sort: SortKey, tsquery: string | undefined, alias = 'r', rank?: string): string {
  const r = alias;
  switch (sort) {
    case 'relevance':
      return tsquery
        ? `${rank ? `${r}.${rank}` : `ts_rank(${r}.search_vector, ${tsquery})`} DESC, ${r}.document_symbol, ${r}.paragraph COLLATE paragraph_order, ${r}.id`
        : `${r}.document_symbol, ${r}.paragraph COLLATE paragraph_order, ${r}.id`;
    case 'published':
      return `${r}.published_on DESC NULLS LAST, ${r}.document_symbol, ${r}.paragraph COLLATE paragraph_order, ${r}.id`;
    case 'updated':
      return `${r}.updated_at DESC, ${r}.id`;
    case 'document':
      return `${r}.document_symbol, ${r}.paragraph COLLATE paragraph_order, ${r}.id`;
  }
}

/** The columns `searchOrder` reads, per sort. */
export function sortColumns(sort: SortKey, tsquery: string | undefined): string[] {
  const document = ['document_symbol', 'paragraph', 'id'];
  switch (sort) {
    case 'relevance':
      return tsquery ? ['search_vector', ...document] : document;
    case 'published':
      return ['published_on', ...document];
    case 'updated':
      return ['updated_at', 'id'];
    case 'document':
      return document;
  }
}
