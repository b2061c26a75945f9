import { day, searchQuery, type SearchFilters, type SqlFragment } from './search-filters';

/**
 * What search reads: `recommendation_search`, kept by triggers on `recommendations`, holds each
 * recommendation's search vector, sort columns and filter columns, with the facet values as integer
 * codes listed in `search_terms` (code, facet, value).
 */
export const SEARCH_TABLE = 'recommendation_search';

/** The coded columns, by the facet name `search_terms` gives their values. */
export const CODED_COLUMNS = {
  mechanism: 'mechanism',
  body: 'body',
  position: 'position',
  type: 'type',
  state: 'state_under_review',
  implementationStatus: 'implementation_status',
  theme: 'themes',
  group: 'groups',
  sdg: 'sdg_goals',
  sdgTarget: 'sdg_targets',
  recommendingState: 'recommending_states',
} as const;
export type CodedFacet = keyof typeof CODED_COLUMNS;

/** The facet whose values are compared without case: body codes are mixed case ("SR on torture", "CommDH"). */
export const CASELESS_FACET: CodedFacet = 'body';

export type Codes = Partial<Record<CodedFacet, number[]>>;

const nonEmpty = (values: string[] | undefined) => (values && values.length > 0 ? values : undefined);

/** The values each coded filter asks for, as `search_terms` holds them (bodies lower-cased). */
export function wantedTerms(
  filters: SearchFilters,
  themeKeys: (key: string) => string[] = (key) => [key],
): Partial<Record<CodedFacet, string[]>> {
  const wanted: Partial<Record<CodedFacet, string[] | undefined>> = {
    mechanism: nonEmpty(filters.mechanism),
    body: nonEmpty(filters.body?.map((body) => body.toLowerCase())),
    position: nonEmpty(filters.position),
    type: nonEmpty(filters.type),
    state: nonEmpty(filters.state?.map((state) => state.toUpperCase())),
    implementationStatus: nonEmpty(filters.implementationStatus),
    theme: nonEmpty(filters.theme?.flatMap(themeKeys)),
    group: nonEmpty(filters.group),
    sdg: nonEmpty(filters.sdg?.filter((sdg) => !sdg.includes('.'))),
    sdgTarget: nonEmpty(filters.sdg?.filter((sdg) => sdg.includes('.'))),
    recommendingState: nonEmpty(filters.recommendingState),
  };
  return Object.fromEntries(Object.entries(wanted).filter(([, values]) => values)) as Partial<
    Record<CodedFacet, string[]>
  >;
}

/**
 * The filters as a parameterised WHERE clause on `recommendation_search s`, given the codes of the values
 * they name (`wantedTerms`, looked up). A value no recommendation has has no code, so it matches nothing,
 * as it did not on the full table.
 */
export function searchTableWhere(
  filters: SearchFilters,
  codes: Codes,
  themeKeys: (key: string) => string[] = (key) => [key],
): SqlFragment {
  const wanted = wantedTerms(filters, themeKeys);
  const clauses: string[] = [];
  const params: unknown[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const { clause: text, tsquery } = searchQuery(filters.q, param, 's.search_vector');
  if (text) clauses.push(text);
  // Coded filters are asked for when the request named a value, whether or not any code was found.
  const coded = (facet: CodedFacet) => (wanted[facet] ? param(codes[facet] ?? []) : undefined);
  const anyOf = (facet: CodedFacet) => {
    const codesParam = coded(facet);
    if (codesParam) clauses.push(`s.${CODED_COLUMNS[facet]} = ANY(${codesParam}::int[])`);
  };
  const overlaps = (facet: CodedFacet) => {
    const codesParam = coded(facet);
    if (codesParam) clauses.push(`s.${CODED_COLUMNS[facet]} && ${codesParam}::int[]`);
  };
  if (filters.ids?.length) clauses.push(`s.id = ANY(${param(filters.ids)}::uuid[])`);
  anyOf('mechanism');
  // A joint Special Procedures text is found by each of its mandates (`bodies` lists the others).
  const bodies = coded('body');
  if (bodies) clauses.push(`(s.body = ANY(${bodies}::int[]) OR s.bodies && ${bodies}::int[])`);
  if (filters.cycle?.length) clauses.push(`s.upr_cycle = ANY(${param(filters.cycle)}::smallint[])`);
  if (filters.session?.length) clauses.push(`s.upr_session = ANY(${param(filters.session)}::smallint[])`);
  anyOf('position');
  anyOf('type');
  anyOf('state');
  if (filters.documentSymbol?.length) {
    clauses.push(`s.document_symbol = ANY(${param(filters.documentSymbol)}::text[])`);
  }
  anyOf('implementationStatus');
  if (filters.published !== undefined) clauses.push(`s.published = ${param(filters.published)}::boolean`);
  overlaps('theme');
  overlaps('group');
  if (wanted.sdg && wanted.sdgTarget) {
    clauses.push(`(s.sdg_goals && ${coded('sdg')}::int[] OR s.sdg_targets && ${coded('sdgTarget')}::int[])`);
  } else {
    overlaps('sdg');
    overlaps('sdgTarget');
  }
  overlaps('recommendingState');
  if (filters.publishedFrom) clauses.push(`s.published_on >= ${param(day(filters.publishedFrom))}::date`);
  if (filters.publishedTo) clauses.push(`s.published_on <= ${param(day(filters.publishedTo))}::date`);
  if (filters.cluster) {
    clauses.push(
      `EXISTS (SELECT 1 FROM cluster_members m WHERE m.recommendation_id = s.id AND m.cluster_id = ${param(filters.cluster)}::uuid)`,
    );
  }
  return { where: clauses.length ? clauses.join(' AND ') : 'TRUE', params, tsquery };
}
