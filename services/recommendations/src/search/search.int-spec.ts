import { decodeEnvelope } from '@nmirf/contracts';
import { http } from '@nmirf/testing';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readXlsxRows } from '../imports/formats';
import {
  MATRIX_CYCLE2,
  MATRIX_CYCLE3,
  startRecommendationsApp,
  UHRI_SAMPLE,
  type RecommendationsApp,
} from '../testing/recommendations-app';
import { searchOrder, searchWhere, SORTS } from './search-filters';

jest.setTimeout(120_000);

describe('searching, editing positions, linking and clustering the real data', () => {
  let app: RecommendationsApp;
  const search = (query: string) => http('GET', `${app.base}/recommendations?${query}`);
  const idOf = async (symbol: string, paragraph: string): Promise<string> =>
    (
      await app.dataSource.query(
        `SELECT id FROM recommendations WHERE document_symbol = $1 AND paragraph = $2`,
        [symbol, paragraph],
      )
    )[0].id;

  beforeAll(async () => {
    app = await startRecommendationsApp();
    for (const file of [MATRIX_CYCLE2, MATRIX_CYCLE3, UHRI_SAMPLE]) {
      expect((await app.upload(file)).body.status).toBe('applied');
    }
    await app.linksSettled();
  });
  afterAll(() => app?.close());

  it('finds recommendations by full text, with stemming', async () => {
    const { body } = await search('q=enforced%20disappearances&facets=false&limit=100');
    const found = body.items.map((item: { paragraph: string }) => item.paragraph);
    expect(found).toEqual(expect.arrayContaining(['115.5', '121.1', '121.2']));
    expect(body.total).toBe(body.items.length);
  });

  it('filters by cycle, position and SDG, and counts facets on the filtered set', async () => {
    const { body } = await search('cycle=3&position=noted&limit=1');
    expect(body.total).toBe(33);
    expect(body.facets.cycle).toEqual([{ value: '3', count: 33 }]);
    expect(body.facets.position).toEqual([{ value: 'noted', count: 33 }]);
    const all = await search('limit=1');
    expect(all.body.total).toBe(378);
    expect(all.body.facets.position).toEqual([
      { value: 'supported', count: 324 },
      { value: 'noted', count: 54 },
    ]);
    expect(all.body.facets.cycle).toEqual([
      { value: '3', count: 215 },
      { value: '2', count: 163 },
    ]);
    const sdg16 = await search('sdg=16&facets=false&limit=1');
    expect(sdg16.body.total).toBeGreaterThan(0);
    expect(sdg16.body.total).toBeLessThan(378);
  });

  it('counts by State under review, and lists as many facet values as asked, saying which were cut', async () => {
    const { body } = await search('limit=1');
    expect(body.facets.state).toEqual([{ value: 'SVN', count: 378 }]);
    // 50 values by default: more States recommended to Slovenia than that, and the answer says so.
    expect(body.facets.recommendingState).toHaveLength(50);
    expect(body.facetsTruncated).toContain('recommendingState');
    expect(body.facetsTruncated).not.toContain('state');

    const all = await search('limit=1&facetLimit=1000');
    expect(all.body.facetsTruncated).toEqual([]);
    expect(all.body.facets.recommendingState.length).toBeGreaterThan(50);
    expect(all.body.facets.recommendingState.slice(0, 50)).toEqual(body.facets.recommendingState);

    const cut = await search('limit=1&facetLimit=3');
    expect(cut.body.facets.recommendingState).toEqual(body.facets.recommendingState.slice(0, 3));
    expect(cut.body.facets.position).toHaveLength(2);
    expect(cut.body.facetsTruncated).toEqual(expect.arrayContaining(['recommendingState', 'theme']));
    expect(cut.body.facetsTruncated).not.toContain('position');

    expect((await search('facetLimit=0')).status).toBe(400);
    expect((await search('facetLimit=1001')).status).toBe(400);
  });

  it('answers the total and the facets only for limit=0', async () => {
    const { status, body } = await search('cycle=3&limit=0');
    expect(status).toBe(200);
    expect(body.items).toEqual([]);
    expect(body.total).toBe(215);
    expect(body.facets.cycle).toEqual([{ value: '3', count: 215 }]);
  });

  it('takes a State by ISO code, name or alias, wherever a filter takes one', async () => {
    const named = await search('recommendingState=Netherlands%20(Kingdom%20of%20the)&facets=false&limit=0');
    expect(named.body.total).toBeGreaterThan(0);
    for (const alias of ['NLD', 'nld', 'Kingdom%20of%20the%20Netherlands', 'Netherlands']) {
      const found = await search(`recommendingState=${alias}&facets=false&limit=0`);
      expect({ alias, total: found.body.total }).toEqual({ alias, total: named.body.total });
    }
    for (const state of ['SVN', 'svn', 'Slovenia']) {
      const found = await search(`state=${state}&facets=false&limit=0`);
      expect({ state, total: found.body.total }).toEqual({ state, total: 378 });
    }
  });

  it('gives sizes and counts as JSON numbers', async () => {
    const [imported] = (await app.get('/imports?limit=1')).items;
    expect(typeof imported.byteSize).toBe('number');
    expect(imported.byteSize).toBeGreaterThan(0);
    const one = await app.get(`/imports/${imported.id}`);
    expect(typeof one.byteSize).toBe('number');
    for (const key of ['rowsRead', 'created', 'updated', 'unchanged', 'rejected'])
      expect(typeof one[key]).toBe('number');
    const { body } = await search('limit=1');
    expect(typeof body.total).toBe('number');
    expect(typeof body.facets.theme[0].count).toBe('number');
  });

  it("finds a cycle-2 recommendation through today's theme", async () => {
    const [{ theme }] = await app.dataSource.query(
      `SELECT themes[1] AS theme FROM recommendations WHERE document_symbol = 'A/HRC/28/15' AND paragraph = '115.5'`,
    );
    const { body } = await search(`theme=${encodeURIComponent(theme)}&facets=false&limit=500`);
    const cycles = new Set(body.items.map((item: { uprCycle: number }) => item.uprCycle));
    expect(cycles).toEqual(new Set([2, 3]));
  });

  it('pages in a stable order: pages joined are the whole list, once each, paragraphs in numeric order', async () => {
    const whole = await search('documentSymbol=A/HRC/28/15&sort=document&facets=false&limit=500');
    const pages: string[] = [];
    for (let offset = 0; offset < whole.body.total; offset += 25) {
      const page = await search(
        `documentSymbol=A/HRC/28/15&sort=document&facets=false&limit=25&offset=${offset}`,
      );
      pages.push(...page.body.items.map((item: { id: string }) => item.id));
    }
    expect(pages).toEqual(whole.body.items.map((item: { id: string }) => item.id));
    const paragraphs = whole.body.items.map((item: { paragraph: string }) => item.paragraph);
    expect(paragraphs.indexOf('115.2')).toBeLessThan(paragraphs.indexOf('115.10'));
  });

  it('gives every sort’s page in the order the table sorts it, with or without facets', async () => {
    const { where, params, tsquery } = searchWhere({ q: 'discrimination' });
    for (const sort of SORTS) {
      const expected = (
        (await app.dataSource.query(
          `SELECT r.id FROM recommendations r WHERE ${where} ORDER BY ${searchOrder(sort, tsquery)} LIMIT 15 OFFSET 5`,
          params,
        )) as { id: string }[]
      ).map((row) => row.id);
      expect(expected).toHaveLength(15);
      for (const facets of [true, false]) {
        const { body } = await search(`q=discrimination&sort=${sort}&facets=${facets}&limit=15&offset=5`);
        expect({ sort, facets, ids: body.items.map((item: { id: string }) => item.id) }).toEqual({
          sort,
          facets,
          ids: expected,
        });
      }
    }
  });

  it('answers 400 for a bad filter, naming it', async () => {
    const { status, body } = await search('cycle=two&position=maybe&sdg=x');
    expect(status).toBe(400);
    expect(body.errors.map((error: { field: string }) => error.field).sort()).toEqual([
      'cycle',
      'position',
      'sdg',
    ]);
  });

  it("edits the State's position with a justification, keeps history, and later imports keep it", async () => {
    const id = await idOf('A/HRC/43/15', '121.5');
    const before = await http('GET', `${app.base}/recommendations/${id}`);
    const missing = await http('PUT', `${app.base}/recommendations/${id}/position`, {
      position: 'supported',
    });
    expect(missing.status).toBe(400);
    const edited = await http('PUT', `${app.base}/recommendations/${id}/position`, {
      position: 'supported_in_part',
      justification: 'Supported at the mid-term review, except the reporting part.',
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({
      position: 'supported_in_part',
      importedPosition: before.body.importedPosition,
    });
    const history = await http('GET', `${app.base}/recommendations/${id}/history`);
    expect(history.body.at(-1)).toMatchObject({
      kind: 'position',
      actor: 'coordinator-1',
      changes: { position: { from: before.body.position, to: 'supported_in_part' } },
    });
    const events = await app.events();
    expect(events.at(-1)).toEqual({ type: 'RecommendationUpdated', key: id });
    await app.upload(UHRI_SAMPLE);
    expect((await http('GET', `${app.base}/recommendations/${id}`)).body.position).toBe('supported_in_part');
  });

  it('exports search results as CSV that a spreadsheet will not run', async () => {
    const created = await http('POST', `${app.base}/recommendations`, {
      body: 'CEDAW',
      documentSymbol: 'CEDAW/C/SVN/CO/7',
      paragraph: '12',
      text: '=HYPERLINK("http://example.org","click") and adopt a law on equal pay',
    });
    expect(created.status).toBe(201);
    const response = await fetch(`${app.base}/recommendations/export?body=CEDAW`);
    expect(response.headers.get('content-type')).toMatch(/text\/csv/);
    const csv = await response.text();
    expect(csv).toContain(`"'=HYPERLINK(""http://example.org"",""click"") and adopt a law on equal pay"`);
    // In the workbook the text is an inline string, which a spreadsheet never evaluates.
    const xlsx = await fetch(`${app.base}/recommendations/export?body=CEDAW&format=xlsx`);
    const path = join(await mkdtemp(join(tmpdir(), 'export-')), 'recommendations.xlsx');
    await writeFile(path, Buffer.from(await xlsx.arrayBuffer()));
    const rows: string[][] = [];
    for await (const row of readXlsxRows(path)) rows.push(row.cells);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toContain('=HYPERLINK("http://example.org","click") and adopt a law on equal pay');
  });

  it('offers cycle-2 and cycle-3 recommendations on the same subject as links, with reasons', async () => {
    const cped2 = await idOf('A/HRC/28/15', '115.5');
    const cped3 = await idOf('A/HRC/43/15', '121.1');
    const { body } = await http('GET', `${app.base}/links?recommendationId=${cped2}&limit=50`);
    const link = body.items.find((item: { a: { id: string }; b: { id: string } }) =>
      [item.a.id, item.b.id].includes(cped3),
    );
    expect(link).toMatchObject({ status: 'candidate', score: expect.any(Number) });
    expect(link.explanation.sharedTerms.length).toBeGreaterThan(0);
    const crossCycle = await app.count(
      `SELECT 1 FROM recommendation_links l JOIN recommendations a ON a.id = l.a_id JOIN recommendations b ON b.id = l.b_id
       WHERE a.upr_cycle <> b.upr_cycle`,
    );
    expect(crossCycle).toBeGreaterThan(20);
  });

  it('keeps confirm and reject decisions across re-detection and re-imports', async () => {
    const { body } = await http('GET', `${app.base}/links?status=candidate&limit=2`);
    const [confirm, reject] = body.items;
    expect(
      (await http('POST', `${app.base}/links/${confirm.id}/decision`, { decision: 'confirmed' })).status,
    ).toBe(200);
    expect(
      (
        await http('POST', `${app.base}/links/${reject.id}/decision`, {
          decision: 'rejected',
          note: 'different treaty',
        })
      ).status,
    ).toBe(200);
    expect((await http('POST', `${app.base}/links/detect`, { state: 'SVN' })).status).toBe(200);
    for (const file of [UHRI_SAMPLE, MATRIX_CYCLE2]) await app.upload(file);
    await app.linksSettled();
    const after = await http('GET', `${app.base}/links?limit=500`);
    const statusOf = (id: string) => after.body.items.find((item: { id: string }) => item.id === id)?.status;
    expect([statusOf(confirm.id), statusOf(reject.id)]).toEqual(['confirmed', 'rejected']);
  });

  it('suggests clusters by theme and accepts them once', async () => {
    const suggestions = await http('GET', `${app.base}/clusters/suggestions?basis=theme&state=SVN`);
    expect(suggestions.body.items.length).toBeGreaterThan(10);
    const [largest] = suggestions.body.items;
    expect(largest.name).not.toBe(largest.key); // named by the theme's label, not its key
    const accepted = await http('POST', `${app.base}/clusters/suggestions/accept`, {
      basis: 'theme',
      keys: [largest.key],
    });
    expect(accepted.body.clusters).toEqual([expect.objectContaining({ added: largest.size })]);
    const again = await http('POST', `${app.base}/clusters/suggestions/accept`, {
      basis: 'theme',
      keys: [largest.key],
    });
    expect(again.body.clusters).toEqual([
      expect.objectContaining({ id: accepted.body.clusters[0].id, added: 0 }),
    ]);
    const members = await search(`cluster=${accepted.body.clusters[0].id}&facets=false&limit=1`);
    expect(members.body.total).toBe(largest.size);
    // Linked suggestions: the CPED recommendations of both cycles end up in one cluster.
    const linked = await http('GET', `${app.base}/clusters/suggestions?basis=linked&state=SVN`);
    expect(linked.body.items.length).toBeGreaterThan(5);
    const [cped2, cped3] = [await idOf('A/HRC/28/15', '115.5'), await idOf('A/HRC/43/15', '121.1')];
    const accepted2 = await http('POST', `${app.base}/clusters/suggestions/accept`, {
      basis: 'linked',
      state: 'SVN',
    });
    const clusterOf = async (id: string) =>
      (
        await app.dataSource.query(
          `SELECT m.cluster_id FROM cluster_members m JOIN clusters c ON c.id = m.cluster_id
           WHERE c.basis = 'linked' AND m.recommendation_id = $1`,
          [id],
        )
      )[0]?.cluster_id;
    expect(accepted2.body.clusters.length).toBe(linked.body.items.length);
    expect(await clusterOf(cped2)).toBeDefined();
    expect(await clusterOf(cped2)).toBe(await clusterOf(cped3));
    const own = await http('POST', `${app.base}/clusters`, { name: 'Roma inclusion', recommendationIds: [] });
    expect(own.status).toBe(201);
    const clash = await http('POST', `${app.base}/clusters`, { name: 'roma INCLUSION' });
    expect(clash.status).toBe(409);
  });

  it('tells reporting each change of a cluster’s members, and its deletion, with ClusterChanged', async () => {
    const changes = async (clusterId: string) =>
      (
        await app.dataSource.query(`SELECT payload FROM outbox WHERE message_key = $1 ORDER BY seq`, [
          clusterId,
        ])
      ).map((row: { payload: Buffer }) => {
        const envelope = decodeEnvelope(row.payload, clusterId);
        if (envelope.payload.case !== 'clusterChanged') throw new Error(envelope.type);
        const { name, addedRecommendationIds, removedRecommendationIds, deleted } = envelope.payload.value;
        return { name, added: addedRecommendationIds.length, removed: removedRecommendationIds, deleted };
      });
    const [first, second] = [await idOf('A/HRC/43/15', '121.1'), await idOf('A/HRC/43/15', '121.2')];
    const created = await http('POST', `${app.base}/clusters`, {
      name: 'Enforced disappearance',
      recommendationIds: [first, second],
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(
      (await http('POST', `${app.base}/clusters/${id}/members`, { recommendationIds: [first] })).status,
    ).toBe(200); // already a member: no event
    expect((await http('DELETE', `${app.base}/clusters/${id}/members/${second}`)).status).toBe(200);
    expect((await http('DELETE', `${app.base}/clusters/${id}`)).status).toBe(204);
    const name = 'Enforced disappearance';
    expect(await changes(id)).toEqual([
      { name, added: 2, removed: [], deleted: false },
      { name, added: 0, removed: [second], deleted: false },
      { name, added: 0, removed: [], deleted: true },
    ]);
  });
});
