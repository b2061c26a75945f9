import {
  MATRIX_CYCLE2,
  MATRIX_CYCLE3,
  startRecommendationsApp,
  UHRI_SAMPLE,
  type RecommendationsApp,
} from '../testing/recommendations-app';

jest.setTimeout(120_000);

const positions = (app: RecommendationsApp, symbol?: string) =>
  app.dataSource.query(
    `SELECT position, count(*)::int AS n FROM recommendations WHERE ($1::text IS NULL OR document_symbol = $1)
     GROUP BY position ORDER BY position`,
    [symbol ?? null],
  );

/**
 * Pages left in the pending lists of the catalogue's GIN indexes, which every search would scan until
 * autovacuum merged them. Counting merges them (the function reports what it merged).
 */
const pendingGinPages = async (app: RecommendationsApp): Promise<number> => {
  const [{ pages }] = await app.dataSource.query(
    `SELECT coalesce(sum(gin_clean_pending_list(c.oid::regclass)), 0)::int AS pages
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam
      WHERE a.amname = 'gin' AND i.indrelid IN ('recommendations'::regclass, 'recommendation_search'::regclass)`,
  );
  return pages;
};

describe('importing the real Slovenian data', () => {
  let app: RecommendationsApp;

  beforeAll(async () => {
    app = await startRecommendationsApp();
  });
  afterAll(() => app?.close());

  it('imports the cycle-2 matrix: 163 recommendations, 142 Supported and 21 Noted', async () => {
    const { status, body } = await app.upload(MATRIX_CYCLE2);
    expect(status).toBe(202);
    expect(body).toMatchObject({
      status: 'applied',
      format: 'upr_matrix',
      created: 163,
      updated: 0,
      rejected: 0,
    });
    expect(await positions(app, 'A/HRC/28/15')).toEqual([
      { position: 'noted', n: 21 },
      { position: 'supported', n: 142 },
    ]);
    const [first] = await app.dataSource.query(
      `SELECT upr_cycle, upr_session, state_under_review, recommending_states, position_source, cluster_headings, themes
       FROM recommendations WHERE document_symbol = 'A/HRC/28/15' AND paragraph = '115.3'`,
    );
    expect(first).toMatchObject({
      upr_cycle: 2,
      upr_session: 20,
      state_under_review: 'SVN',
      recommending_states: ['Portugal', 'Slovakia'],
      position_source: 'A/HRC/28/15/Add.1 - Para. 3',
      cluster_headings: ['A12 Acceptance of international norms'],
    });
    expect(first.themes.length).toBeGreaterThan(0);
  });

  it('imports the cycle-3 matrix: 215 recommendations, 182 Supported and 33 Noted', async () => {
    const { body } = await app.upload(MATRIX_CYCLE3);
    expect(body).toMatchObject({ status: 'applied', created: 215, updated: 0, rejected: 0 });
    expect(await positions(app, 'A/HRC/43/15')).toEqual([
      { position: 'noted', n: 33 },
      { position: 'supported', n: 182 },
    ]);
    const [cped] = await app.dataSource.query(
      `SELECT recommending_states, sdg_goals, upr_cycle FROM recommendations
       WHERE document_symbol = 'A/HRC/43/15' AND paragraph = '121.2'`,
    );
    expect(cped).toEqual({ recommending_states: ['Ukraine', 'Slovakia'], sdg_goals: ['16'], upr_cycle: 3 });
  });

  it('recognises the UHRI export as the same 378 recommendations, not 756', async () => {
    const eventsBefore = (await app.events()).length;
    const { body } = await app.upload(UHRI_SAMPLE);
    expect(body).toMatchObject({ status: 'applied', format: 'uhri', created: 0, rejected: 0 });
    expect(body.updated + body.unchanged).toBe(378);
    expect(await app.count('SELECT 1 FROM recommendations')).toBe(378);
    expect(await app.count('SELECT 1 FROM recommendations WHERE annotation_id IS NOT NULL')).toBe(378);
    expect(await positions(app)).toEqual([
      { position: 'noted', n: 54 },
      { position: 'supported', n: 324 },
    ]);
    // One event per recommendation that really changed (it gained its annotation id, dates…).
    const events = (await app.events()).slice(eventsBefore);
    expect(events).toHaveLength(body.updated);
    expect(new Set(events.map((event) => event.type))).toEqual(new Set(['RecommendationUpdated']));
  });

  it('changes nothing and emits nothing when all three files are imported again', async () => {
    const eventsBefore = (await app.events()).length;
    for (const file of [UHRI_SAMPLE, MATRIX_CYCLE3, MATRIX_CYCLE2]) {
      const { body } = await app.upload(file);
      expect(body).toMatchObject({ status: 'applied', created: 0, updated: 0, rejected: 0 });
    }
    expect(await app.count('SELECT 1 FROM recommendations')).toBe(378);
    expect((await app.events()).length).toBe(eventsBefore);
  });

  it('changes nothing when records stored before joint bodies were kept are imported again', async () => {
    // As the rows and snapshots were before the bodies column: an empty list, no bodies in the data.
    await app.dataSource.query(`UPDATE recommendations SET bodies = '{}'`);
    await app.dataSource.query(
      `UPDATE recommendation_sources SET data = data - 'bodies', content_hash = 'stored before bodies'`,
    );
    const eventsBefore = (await app.events()).length;
    const { body } = await app.upload(UHRI_SAMPLE);
    expect(body).toMatchObject({ status: 'applied', created: 0, updated: 0, unchanged: 378, rejected: 0 });
    expect((await app.events()).length).toBe(eventsBefore);
  });

  it('writes a row-level report that says what happened to each row', async () => {
    const { body } = await app.upload(MATRIX_CYCLE2);
    const rows = await app.get(`/imports/${body.id}/rows?limit=500`);
    expect(rows.total).toBe(163);
    expect(new Set(rows.items.map((row: { outcome: string }) => row.outcome))).toEqual(
      new Set(['unchanged']),
    );
    expect(rows.items[0]).toMatchObject({ documentSymbol: 'A/HRC/28/15', paragraph: expect.any(String) });
  });
});

describe('first import of the UHRI export alone', () => {
  let app: RecommendationsApp;

  beforeAll(async () => {
    app = await startRecommendationsApp();
  });
  afterAll(() => app?.close());

  it('previews without changing anything', async () => {
    const { body } = await app.upload(UHRI_SAMPLE, { dryRun: 'true' });
    expect(body).toMatchObject({ status: 'previewed', created: 378, rejected: 0 });
    expect(await app.count('SELECT 1 FROM recommendations')).toBe(0);
    expect(await app.events()).toEqual([]);
    const rows = await app.get(`/imports/${body.id}/rows?outcome=created&limit=1`);
    expect(rows.total).toBe(378);
    // The preview's index entries are merged, not left for searches to scan.
    expect(await pendingGinPages(app)).toBe(0);
  });

  it('imports 378 recommendations, 324 Supported and 54 Noted, each with one creation event', async () => {
    const { body } = await app.upload(UHRI_SAMPLE);
    expect(body).toMatchObject({ status: 'applied', created: 378, updated: 0, unchanged: 0, rejected: 0 });
    expect(await positions(app)).toEqual([
      { position: 'noted', n: 54 },
      { position: 'supported', n: 324 },
    ]);
    const events = await app.events();
    expect(events).toHaveLength(378);
    expect(new Set(events.map((event) => event.type))).toEqual(new Set(['RecommendationCreated']));
    const [row] = await app.dataSource.query(
      `SELECT published_on::text, indexed_on::text, upr_session, upr_cycle, body, mechanism, type, text
       FROM recommendations WHERE annotation_id = '0ea992e8-3a9a-5d41-b7f8-795b1bca6034'`,
    );
    expect(row).toMatchObject({
      published_on: '2014-12-12',
      indexed_on: '2015-01-11',
      upr_session: 20,
      upr_cycle: 2,
      body: 'UPR',
      mechanism: 'upr',
      type: 'recommendation',
    });
    expect(row.text).toMatch(/^Take further steps for the ratification/);
    // The import let its GIN entries pile up and merged them once, before it committed.
    expect(await pendingGinPages(app)).toBe(0);
  });

  it('keeps history and emits one event when a re-import really changes a recommendation', async () => {
    const { body: matrix } = await app.upload(MATRIX_CYCLE2);
    expect(matrix).toMatchObject({ status: 'applied', created: 0, rejected: 0 });
    expect(matrix.updated).toBeGreaterThan(0);
    const [history] = await app.dataSource.query(
      `SELECT h.changes FROM recommendation_history h JOIN recommendations r ON r.id = h.recommendation_id
       WHERE r.document_symbol = 'A/HRC/28/15' AND r.paragraph = '115.1' AND h.kind = 'import'`,
    );
    expect(Object.keys(history.changes)).toEqual(
      expect.arrayContaining(['positionSource', 'clusterHeadings']),
    );
  });
});
