import {
  searchOrder,
  searchWhere,
  SORTS,
  TEXT_VECTOR,
  visibleTo,
  type SearchFilters,
} from './search-filters';

const HOSTILE = "'); DROP TABLE recommendations; --";

/** The $n placeholders of a SQL text, in order of appearance. */
const placeholders = (sql: string) => [...sql.matchAll(/\$(\d+)/g)].map((match) => Number(match[1]));

describe('searchWhere', () => {
  it('matches everything when no filter is set', () => {
    expect(searchWhere({})).toEqual({ where: 'TRUE', params: [], tsquery: undefined });
  });

  it('ignores empty lists and a blank query', () => {
    const filters: SearchFilters = {
      q: '   ',
      mechanism: [],
      body: [],
      theme: [],
      sdg: [],
      recommendingState: [],
    };
    expect(searchWhere(filters)).toEqual({ where: 'TRUE', params: [], tsquery: undefined });
  });

  it('puts every value in the parameters and none in the SQL text', () => {
    const filters: SearchFilters = {
      q: HOSTILE,
      mechanism: [HOSTILE],
      body: [HOSTILE],
      cycle: [2],
      session: [20],
      theme: [HOSTILE],
      group: [HOSTILE],
      sdg: [HOSTILE, `16.${HOSTILE}`],
      position: [HOSTILE],
      type: [HOSTILE],
      state: [HOSTILE],
      recommendingState: [HOSTILE],
      documentSymbol: [HOSTILE],
      publishedFrom: HOSTILE,
      publishedTo: HOSTILE,
      cluster: HOSTILE,
    };
    const { where, params, tsquery } = searchWhere(filters);
    expect(where).not.toMatch(/DROP|recommendations;|--/i);
    expect(tsquery).not.toMatch(/DROP/i);
    expect(JSON.stringify(params)).toMatch(/DROP TABLE recommendations/);
    // Each parameter is referenced, numbered from $1 without gaps.
    const used = [...new Set(placeholders(where))].sort((a, b) => a - b);
    expect(used).toEqual(params.map((_, i) => i + 1));
  });

  it('searches the text in every language configuration with one parameter', () => {
    const { where, params, tsquery } = searchWhere({ q: '  enforced disappearance  ' });
    expect(params).toEqual(['enforced disappearance']);
    expect(tsquery).toBe(
      "(websearch_to_tsquery('english', $1) || websearch_to_tsquery('french', $1) || " +
        "websearch_to_tsquery('spanish', $1) || websearch_to_tsquery('russian', $1) || " +
        "websearch_to_tsquery('simple', $1))",
    );
    expect(where).toBe(`${TEXT_VECTOR} @@ ${tsquery}`);
  });

  it('combines filters with AND, numbering the parameters in order', () => {
    const { where, params } = searchWhere({
      q: 'torture',
      mechanism: ['upr'],
      cycle: [2, 3],
      state: ['svn'],
    });
    expect(where.split(' AND ')).toHaveLength(4);
    expect(where).toContain('r.mechanism = ANY($2::text[])');
    expect(where).toContain('r.upr_cycle = ANY($3::smallint[])');
    expect(where).toContain('r.state_under_review = ANY($4::text[])');
    expect(params).toEqual(['torture', ['upr'], [2, 3], ['SVN']]);
  });

  it('filters by implementation status, any of several, as a parameter', () => {
    const { where, params } = searchWhere({ implementationStatus: ['implemented', 'in_progress'] });
    expect(where).toBe('r.implementation_status = ANY($1::text[])');
    expect(params).toEqual([['implemented', 'in_progress']]);
  });

  it('filters SDG goals on the goals column', () => {
    const { where, params } = searchWhere({ sdg: ['16', '5'] });
    expect(where).toBe('r.sdg_goals && $1::text[]');
    expect(params).toEqual([['16', '5']]);
  });

  it('filters SDG targets on the targets column', () => {
    const { where, params } = searchWhere({ sdg: ['16.3'] });
    expect(where).toBe('r.sdg_targets && $1::text[]');
    expect(params).toEqual([['16.3']]);
  });

  it('matches a goal or a target when both are asked for', () => {
    const { where, params } = searchWhere({ sdg: ['16', '5.2'] });
    expect(where).toBe('(r.sdg_goals && $1::text[] OR r.sdg_targets && $2::text[])');
    expect(params).toEqual([['16'], ['5.2']]);
  });

  it('expands each theme through the given function', () => {
    const expand = jest.fn((key: string) => (key === 'women' ? ['women', 'women-girls'] : [key]));
    const { where, params } = searchWhere({ theme: ['women', 'torture'] }, expand);
    expect(expand).toHaveBeenCalledTimes(2);
    expect(where).toBe('r.themes && $1::text[]');
    expect(params).toEqual([['women', 'women-girls', 'torture']]);
  });

  it('takes theme keys as they are by default', () => {
    expect(searchWhere({ theme: ['prohibition-of-torture'] }).params).toEqual([['prohibition-of-torture']]);
  });

  it('filters groups and recommending States by overlap', () => {
    const { where, params } = searchWhere({ group: ['children'], recommendingState: ['France', 'Türkiye'] });
    expect(where).toBe('r.groups && $1::text[] AND r.recommending_states && $2::text[]');
    expect(params).toEqual([['children'], ['France', 'Türkiye']]);
  });

  it('bounds the publication date and casts it', () => {
    const { where, params } = searchWhere({ publishedFrom: '2015-01-01', publishedTo: '2020-12-31' });
    expect(where).toBe('r.published_on >= $1::date AND r.published_on <= $2::date');
    expect(params).toEqual(['2015-01-01', '2020-12-31']);
  });

  it('restricts to the members of a cluster', () => {
    const cluster = '2d5b2c3e-8f1a-4b6c-9d7e-0a1b2c3d4e5f';
    const { where, params } = searchWhere({ cluster });
    expect(where).toMatch(
      /^EXISTS \(SELECT 1 FROM cluster_members m WHERE m\.recommendation_id = r\.id AND m\.cluster_id = \$1::uuid\)$/,
    );
    expect(params).toEqual([cluster]);
  });
});

describe('searchOrder', () => {
  it.each(SORTS.map((sort) => [sort]))('%s ends with the id, so pages never overlap', (sort) => {
    expect(searchOrder(sort, undefined)).toMatch(/(^|, )r\.id$/);
    expect(searchOrder(sort, "(websearch_to_tsquery('simple', $1))")).toMatch(/(^|, )r\.id$/);
  });

  it('ranks by relevance only when there is a text query', () => {
    const tsquery = "(websearch_to_tsquery('simple', $1))";
    expect(searchOrder('relevance', tsquery)).toMatch(new RegExp(`^ts_rank\\(.*\\) DESC, `));
    expect(searchOrder('relevance', tsquery)).toContain(tsquery);
    expect(searchOrder('relevance', undefined)).not.toContain('ts_rank');
    expect(searchOrder('relevance', undefined)).toBe(searchOrder('document', undefined));
  });

  it('orders paragraphs by number, not as text', () => {
    expect(searchOrder('document', undefined)).toBe(
      'r.document_symbol, r.paragraph COLLATE paragraph_order, r.id',
    );
  });

  it('puts recommendations without a date last when sorting by publication', () => {
    expect(searchOrder('published', undefined)).toMatch(/^r\.published_on DESC NULLS LAST, /);
  });
});

describe('visibleTo', () => {
  it('narrows an anonymous reader to published recommendations, whatever they ask for', () => {
    for (const published of [undefined, true, false]) {
      const { where, params } = searchWhere(visibleTo({ cycle: [3], published }, false));
      expect(where).toBe('r.upr_cycle = ANY($1::smallint[]) AND r.published = $2::boolean');
      expect(params).toEqual([[3], true]);
    }
  });

  it('leaves a signed-in user’s filters as they are', () => {
    expect(searchWhere(visibleTo({ cycle: [3] }, true))).toEqual(searchWhere({ cycle: [3] }));
    expect(searchWhere(visibleTo({ published: false }, true)).params).toEqual([false]);
  });
});
