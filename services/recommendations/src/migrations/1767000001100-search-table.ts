import { MigrationInterface, QueryRunner } from 'typeorm';

/** The scalar facets coded, by their facet name in `search_terms`. */
const SCALARS = {
  mechanism: 'mechanism',
  body: 'body',
  position: 'position',
  type: 'type',
  state: 'state_under_review',
  implementationStatus: 'implementation_status',
};
/** The lists coded (`bodies` under `body`: a joint text's mandates are bodies too). */
const LISTS = {
  body: 'bodies',
  theme: 'themes',
  group: 'groups',
  sdg: 'sdg_goals',
  sdgTarget: 'sdg_targets',
  recommendingState: 'recommending_states',
};
const listsOf = (r: string) =>
  `VALUES ${Object.entries(LISTS)
    .map(([facet, column]) => `('${facet}', ${r}.${column})`)
    .join(', ')}`;

/**
 * Every (facet, value) of the recommendations in `source` (a table, a transition table or a subquery of
 * either), to code new values before their rows are written.
 */
const terms = (source: string) => `
  SELECT x.facet, x.value
    FROM ${source} r
    CROSS JOIN LATERAL (VALUES ${Object.entries(SCALARS)
      .map(([facet, column]) => `('${facet}', r.${column})`)
      .join(', ')}) x (facet, value)
   WHERE x.value IS NOT NULL
  UNION ALL
  SELECT x.facet, v.value
    FROM ${source} r
    CROSS JOIN LATERAL (${listsOf('r')}) x (facet, list)
    CROSS JOIN LATERAL unnest(x.list) v (value)
   WHERE v.value IS NOT NULL`;

/**
 * The search rows of the recommendations in `source`, in the table's column order: values as codes
 * (joins on `search_terms`, set-based, no lookup per row), lists in their order with duplicates kept,
 * NULL for an empty list.
 */
const rows = (source: string) => `
  SELECT r.id, r.updated_at, r.published_on,
         ${Object.values(SCALARS)
           .map((column) => `c_${column}.code AS ${column}`)
           .join(', ')},
         r.upr_cycle, r.upr_session, r.published, r.document_symbol, r.paragraph,
         CASE WHEN r.bodies <@ ARRAY[r.body] THEN NULL ELSE lists.bodies END AS bodies,
         lists.themes, lists.groups, lists.sdg_goals, lists.sdg_targets, lists.recommending_states,
         r.search_vector
    FROM ${source} r
    ${Object.entries(SCALARS)
      .map(
        ([facet, column]) =>
          `LEFT JOIN search_terms c_${column} ON c_${column}.facet = '${facet}' AND c_${column}.value = r.${column}`,
      )
      .join('\n    ')}
    LEFT JOIN (
      SELECT l.id, ${Object.entries(LISTS)
        .map(
          ([facet, column]) =>
            `array_agg(t.code ORDER BY l.n) FILTER (WHERE l.facet = '${facet}') AS ${column}`,
        )
        .join(', ')}
        FROM (SELECT r.id, x.facet, v.value, v.n
                FROM ${source} r
                CROSS JOIN LATERAL (${listsOf('r')}) x (facet, list)
                CROSS JOIN LATERAL unnest(x.list) WITH ORDINALITY v (value, n)) l
        JOIN search_terms t ON t.facet = l.facet AND t.value = l.value
       GROUP BY l.id) lists ON lists.id = r.id`;

// Columns whose change rewrites a recommendation's search row.
const READ = [
  'search_vector',
  'mechanism',
  'body',
  'bodies',
  'position',
  'type',
  'state_under_review',
  'implementation_status',
  'upr_cycle',
  'upr_session',
  'published',
  'published_on',
  'updated_at',
  'document_symbol',
  'paragraph',
  'themes',
  'groups',
  'sdg_goals',
  'sdg_targets',
  'recommending_states',
];

/**
 * Search reads a narrow copy of the catalogue: per recommendation its search vector, the columns filters
 * and sorts read, and the facet values as integer codes (`search_terms`), about half the bytes of a
 * `recommendations` row. Statement triggers keep it in the writer's transaction from their statement's
 * transition tables: two or three set-based statements per statement written, not a trigger per row.
 */
export class SearchTable1767000001100 implements MigrationInterface {
  /** Derived from `recommendations`, which is audited. */
  static readonly unaudited = ['recommendation_search', 'search_terms'];

  name = 'SearchTable1767000001100';

  async up(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    await q(`
      CREATE TABLE search_terms (
        code integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        facet text NOT NULL,
        value text NOT NULL,
        CONSTRAINT search_terms_value UNIQUE (facet, value)
      )`);
    // Fixed-width columns first, widest first, so that no padding is stored.
    await q(`
      CREATE TABLE recommendation_search (
        id uuid PRIMARY KEY,
        updated_at timestamptz NOT NULL,
        published_on date,
        mechanism integer NOT NULL,
        body integer NOT NULL,
        position integer NOT NULL,
        type integer NOT NULL,
        state_under_review integer,
        implementation_status integer NOT NULL,
        upr_cycle smallint,
        upr_session smallint,
        published boolean NOT NULL,
        document_symbol text NOT NULL,
        paragraph text NOT NULL,
        bodies integer[],
        themes integer[],
        groups integer[],
        sdg_goals integer[],
        sdg_targets integer[],
        recommending_states integer[],
        search_vector tsvector
      )`);
    // What the table should hold, for checks.
    await q(`CREATE VIEW recommendation_search_source AS ${rows('recommendations')}`);
    // New values are coded first; EXCEPT spares the identity a number per value already coded. The
    // triggers read their statement's transition tables, not the catalogue again.
    const write = (source: string) => `
        INSERT INTO search_terms (facet, value)
        SELECT facet, value FROM (${terms(source)}) terms
        EXCEPT SELECT facet, value FROM search_terms
        ON CONFLICT DO NOTHING;
        INSERT INTO recommendation_search ${rows(source)};`;
    await q(`
      CREATE FUNCTION recommendation_search_rebuild() RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        TRUNCATE recommendation_search;
        ${write('recommendations')}
      END $$`);
    await q(`
      CREATE FUNCTION recommendation_search_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        ${write('new_rows')}
        RETURN NULL;
      END $$`);
    const changed = `(SELECT n.* FROM new_rows n JOIN old_rows o ON o.id = n.id
                       WHERE (${READ.map((column) => `n.${column}`).join(', ')})
                             IS DISTINCT FROM (${READ.map((column) => `o.${column}`).join(', ')}))`;
    await q(`
      CREATE FUNCTION recommendation_search_updated() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM recommendation_search s USING ${changed} c WHERE s.id = c.id;
        ${write(changed)}
        RETURN NULL;
      END $$`);
    await q(`
      CREATE FUNCTION recommendation_search_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM recommendation_search WHERE id IN (SELECT id FROM old_rows);
        RETURN NULL;
      END $$`);
    await q(`
      CREATE FUNCTION recommendation_search_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        TRUNCATE recommendation_search;
        RETURN NULL;
      END $$`);
    await q(`
      CREATE TRIGGER recommendation_search_inserted AFTER INSERT ON recommendations
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION recommendation_search_inserted()`);
    await q(`
      CREATE TRIGGER recommendation_search_updated AFTER UPDATE ON recommendations
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION recommendation_search_updated()`);
    await q(`
      CREATE TRIGGER recommendation_search_deleted AFTER DELETE ON recommendations
      REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION recommendation_search_deleted()`);
    await q(`
      CREATE TRIGGER recommendation_search_truncated AFTER TRUNCATE ON recommendations
      FOR EACH STATEMENT EXECUTE FUNCTION recommendation_search_truncated()`);
    await q(`SELECT recommendation_search_rebuild()`);
    // The indexes of the filters that can be narrow; broad ones read the (smaller) table.
    await q(`CREATE INDEX recommendation_search_text ON recommendation_search USING gin (search_vector)`);
    await q(`CREATE INDEX recommendation_search_state ON recommendation_search (state_under_review)`);
    // A search with no text reads everything but the vector (a third of the bytes) from this index alone.
    await q(`
      CREATE INDEX recommendation_search_filters ON recommendation_search (mechanism, body, upr_cycle, upr_session)
      INCLUDE (id, updated_at, published_on, position, type, state_under_review, implementation_status, published,
               document_symbol, paragraph, bodies, themes, groups, sdg_goals, sdg_targets, recommending_states)`);
    // A cycle narrows a text's matches before their rows are read (a bitmap AND with the text's).
    await q(`CREATE INDEX recommendation_search_cycle ON recommendation_search (upr_cycle, upr_session)`);
    await q(`CREATE INDEX recommendation_search_document ON recommendation_search (document_symbol)`);
    await q(`CREATE INDEX recommendation_search_published ON recommendation_search (published_on)`);
    for (const column of ['bodies', 'themes', 'groups', 'sdg_goals', 'sdg_targets', 'recommending_states']) {
      await q(`CREATE INDEX recommendation_search_${column} ON recommendation_search USING gin (${column})`);
    }
    await q(`ANALYZE recommendation_search`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    for (const event of ['inserted', 'updated', 'deleted', 'truncated']) {
      await q(`DROP TRIGGER recommendation_search_${event} ON recommendations`);
      await q(`DROP FUNCTION recommendation_search_${event}()`);
    }
    await q(`DROP FUNCTION recommendation_search_rebuild()`);
    await q(`DROP VIEW recommendation_search_source`);
    await q(`DROP TABLE recommendation_search`);
    await q(`DROP TABLE search_terms`);
  }
}
